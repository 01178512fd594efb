"""Calendar months in UTC: retention periods and consent lifetimes depend on these."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from consent_server.timeutil import add_months, isoformat, parse_iso


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (utc(2025, 1, 15), 1, utc(2025, 2, 15)),
        (utc(2025, 11, 15), 2, utc(2026, 1, 15)),
        (utc(2025, 12, 1), 1, utc(2026, 1, 1)),
        (utc(2025, 5, 31, 12, 30, 45, 123456), 0, utc(2025, 5, 31, 12, 30, 45, 123456)),
        (utc(2025, 1, 1), 12, utc(2026, 1, 1)),
    ],
)
def test_add_months_moves_by_calendar_months(start: datetime, months: int, expected: datetime) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (utc(2025, 1, 31), 1, utc(2025, 2, 28)),
        (utc(2024, 1, 31), 1, utc(2024, 2, 29)),
        (utc(2025, 3, 31), 1, utc(2025, 4, 30)),
        (utc(2025, 8, 31), 1, utc(2025, 9, 30)),
        (utc(2025, 3, 31), -1, utc(2025, 2, 28)),
        (utc(2024, 3, 30), -1, utc(2024, 2, 29)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_a_shorter_month(
    start: datetime, months: int, expected: datetime
) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (utc(2024, 2, 29), 12, utc(2025, 2, 28)),
        (utc(2024, 2, 29), 48, utc(2028, 2, 29)),
        (utc(2024, 2, 29), -12, utc(2023, 2, 28)),
        (utc(2000, 1, 31), 1, utc(2000, 2, 29)),  # divisible by 400: leap
        (utc(2100, 1, 31), 1, utc(2100, 2, 28)),  # divisible by 100: not leap
    ],
)
def test_add_months_knows_leap_years(start: datetime, months: int, expected: datetime) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (utc(2025, 1, 15), -1, utc(2024, 12, 15)),
        (utc(2025, 2, 15), -14, utc(2023, 12, 15)),
        (utc(2026, 3, 15, 8), -26, utc(2024, 1, 15, 8)),  # analytics retention
        (utc(2026, 4, 30), -26, utc(2024, 2, 29)),
        (utc(2026, 3, 31), -38, utc(2023, 1, 31)),  # consent proof retention
        (utc(2026, 5, 31), -38, utc(2023, 3, 31)),
        (utc(2026, 6, 30), -38, utc(2023, 4, 30)),
        (utc(2027, 2, 28), -36, utc(2024, 2, 28)),
    ],
)
def test_add_months_goes_back_across_years(start: datetime, months: int, expected: datetime) -> None:
    assert add_months(start, months) == expected


def test_add_months_keeps_time_of_day_and_zone() -> None:
    moved = add_months(utc(2025, 1, 31, 23, 59, 59), 1)
    assert moved == utc(2025, 2, 28, 23, 59, 59)
    assert moved.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-02T03:04:05Z", utc(2025, 1, 2, 3, 4, 5)),
        ("2025-01-02T03:04:05.123456Z", utc(2025, 1, 2, 3, 4, 5, 123456)),
        ("2025-01-02T03:04:05+00:00", utc(2025, 1, 2, 3, 4, 5)),
    ],
)
def test_parse_iso_reads_z_as_utc(text: str, expected: datetime) -> None:
    parsed = parse_iso(text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-02T03:04:05+02:00", utc(2025, 1, 2, 1, 4, 5)),
        ("2025-01-01T01:00:00+02:00", utc(2024, 12, 31, 23, 0, 0)),
        ("2025-06-30T20:00:00-05:00", utc(2025, 7, 1, 1, 0, 0)),
    ],
)
def test_parse_iso_converts_offsets_to_utc(text: str, expected: datetime) -> None:
    parsed = parse_iso(text)
    assert parsed.tzinfo is UTC
    assert parsed.replace(tzinfo=None) == expected.replace(tzinfo=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-02T03:04:05", utc(2025, 1, 2, 3, 4, 5)),
        ("2025-01-02", utc(2025, 1, 2)),
    ],
)
def test_parse_iso_takes_naive_values_as_utc(text: str, expected: datetime) -> None:
    parsed = parse_iso(text)
    assert parsed == expected
    assert parsed.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    ["garbage", "", "2025-13-01", "2025-02-30", "2025-01-02T25:00:00Z", "ZZZ", "yesterday", "2025/01/02"],
)
def test_parse_iso_raises_value_error_for_garbage(text: str) -> None:
    with pytest.raises(ValueError):
        parse_iso(text)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (utc(2025, 1, 2, 3, 4, 5), "2025-01-02T03:04:05Z"),
        (utc(2025, 1, 2, 3, 4, 5, 120000), "2025-01-02T03:04:05.120000Z"),
        (datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))), "2025-01-02T01:04:05Z"),
        (datetime(2025, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))), "2024-12-31T23:30:00Z"),
    ],
)
def test_isoformat_writes_utc_with_z(moment: datetime, text: str) -> None:
    assert isoformat(moment) == text


@pytest.mark.parametrize("text", ["2025-01-02T03:04:05Z", "2024-02-29T23:59:59.999999Z"])
def test_isoformat_round_trips_through_parse_iso(text: str) -> None:
    assert isoformat(parse_iso(text)) == text
