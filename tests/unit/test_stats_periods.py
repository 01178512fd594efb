"""Periods in Plausible's vocabulary resolve to whole UTC days; the previous period has equal length."""

from __future__ import annotations

from datetime import date

import pytest

from consent_server.errors import InvalidInput
from consent_server.stats.periods import parse_interval, parse_period

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("name", "anchor", "first", "last"),
    [
        ("day", None, "2026-11-25", "2026-11-25"),
        ("day", "2026-02-03", "2026-02-03", "2026-02-03"),
        ("7d", None, "2026-11-19", "2026-11-25"),
        ("30d", None, "2026-10-27", "2026-11-25"),
        ("30d", "2026-03-01", "2026-01-31", "2026-03-01"),
        ("month", None, "2026-11-01", "2026-11-30"),
        ("month", "2024-02-10", "2024-02-01", "2024-02-29"),
        ("6mo", None, "2026-06-01", "2026-11-30"),
        ("12mo", None, "2025-12-01", "2026-11-30"),
        ("12mo", "2026-01-15", "2025-02-01", "2026-01-31"),
        ("custom", "2026-01-01,2026-01-31", "2026-01-01", "2026-01-31"),
        (None, None, "2026-10-27", "2026-11-25"),  # Plausible's default: 30d
    ],
)
def test_period_resolves_to_utc_days(name: str | None, anchor: str | None, first: str, last: str) -> None:
    period = parse_period(name, anchor, TODAY)
    assert (period.first.isoformat(), period.last.isoformat()) == (first, last)


def test_previous_period_ends_the_day_before_and_has_equal_length() -> None:
    previous = parse_period("7d", "2026-11-10", TODAY).previous()
    assert (previous.first, previous.last) == (date(2026, 10, 28), date(2026, 11, 3))


def test_previous_period_of_a_running_period_counts_only_the_days_begun() -> None:
    previous = parse_period("12mo", None, TODAY).previous()
    # Dec 1 2025 .. Nov 25 2026 has begun: 360 days, so the 360 days before Dec 1 2025.
    assert (previous.first, previous.last) == (date(2024, 12, 6), date(2025, 11, 30))


def test_previous_period_of_a_past_month_is_as_long_as_that_month() -> None:
    previous = parse_period("month", "2026-03-05", TODAY).previous()
    assert (previous.first, previous.last) == (date(2026, 1, 29), date(2026, 2, 28))


@pytest.mark.parametrize(
    ("name", "anchor", "message"),
    [
        ("year", None, "Invalid period `year`"),
        ("custom", None, "required with period=custom"),
        ("custom", "2026-01-01", "expected two dates"),
        ("custom", "2026-02-01,2026-01-01", "is after the last date"),
        ("custom", "2020-01-01,2026-01-01", "at most 1200 days"),
        ("30d", "25-11-2026", "not a date in the format YYYY-MM-DD"),
        ("day", "2026-02-30", "not a date"),
    ],
)
def test_invalid_periods_are_refused_with_a_message(name: str, anchor: str | None, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_period(name, anchor, TODAY)


@pytest.mark.parametrize(
    ("name", "interval", "expected"),
    [
        ("30d", None, "day"),
        ("6mo", None, "month"),
        ("12mo", None, "month"),
        ("12mo", "date", "day"),
        ("day", "hour", "hour"),
    ],
)
def test_interval_defaults_like_plausible(name: str, interval: str | None, expected: str) -> None:
    assert parse_interval(interval, parse_period(name, None, TODAY)) == expected


def test_unknown_interval_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Invalid interval `week`"):
        parse_interval("week", parse_period("30d", None, TODAY))


@pytest.mark.parametrize(
    ("name", "anchor"), [("30d", "0001-01-05"), ("12mo", "9999-12-31"), ("day", "0001-01-01")]
)
def test_a_period_outside_the_calendar_is_refused(name: str, anchor: str) -> None:
    with pytest.raises(InvalidInput, match="outside the calendar"):
        parse_period(name, anchor, TODAY)
