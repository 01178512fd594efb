"""The chart: one point per day, month or hour, empty points included, points below the floor blanked."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from consent_server.errors import InvalidInput
from consent_server.extensions import db
from consent_server.stats.services import timeseries
from tests.integration.test_stats_aggregate import DAY, at, period, rollup, visit


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


def chart(site: Any, when: Any, k: int = 1, **options: Any) -> Any:
    return timeseries(db.session, site, when, k=k, **options)


def test_daily_points_cover_every_day_of_the_period(site: Any) -> None:
    visit(site, at(DAY), pages=("/", "/a"))
    visit(site, at(DAY))
    rollup(DAY)
    answer = chart(site, period("7d", "2026-11-21"), metrics=["visitors", "pageviews"])
    assert answer["meta"]["interval"] == "day"
    assert [row["date"] for row in answer["results"]] == [f"2026-11-{day}" for day in range(15, 22)]
    assert answer["results"][5] == {"date": "2026-11-20", "visitors": 2, "pageviews": 3}
    assert answer["results"][0] == {"date": "2026-11-15", "visitors": 0, "pageviews": 0}


def test_monthly_points_add_up_the_days_of_each_month(site: Any) -> None:
    for day in (date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 31)):
        visit(site, at(day), visitor="same-person")
    rollup(date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 31))
    answer = chart(site, period("6mo"))
    assert answer["meta"]["interval"] == "month"
    points = {row["date"]: row["visitors"] for row in answer["results"]}
    assert points == {
        "2026-06-01": 0,
        "2026-07-01": 0,
        "2026-08-01": 0,
        "2026-09-01": 1,
        "2026-10-01": 2,
        "2026-11-01": 0,
    }


def test_a_day_below_the_floor_is_blanked_with_the_smallest_other_day(site: Any) -> None:
    counts = {date(2026, 11, 18): 9, date(2026, 11, 19): 6, date(2026, 11, 20): 2}
    for day, visitors in counts.items():
        for _ in range(visitors):
            visit(site, at(day))
    rollup(*counts)
    rows = chart(site, period("7d", "2026-11-21"), k=5, metrics=["visitors", "visits"])["results"]
    by_day = {row["date"]: row for row in rows}
    assert by_day["2026-11-18"] == {"date": "2026-11-18", "visitors": 9, "visits": 9}
    # Nov 20 alone would be the period total minus the days shown: Nov 19 is blanked with it.
    assert by_day["2026-11-19"] == {"date": "2026-11-19", "visitors": None, "visits": None, "below_k": True}
    assert by_day["2026-11-20"]["below_k"] is True
    assert by_day["2026-11-21"] == {"date": "2026-11-21", "visitors": 0, "visits": 0}


def test_hourly_points_of_one_day_come_from_the_raw_rows(site: Any) -> None:
    visit(site, at(DAY, 0, 5))
    visit(site, at(DAY, 13, 10), pages=("/", "/a"))
    visit(site, at(DAY, 13, 40))
    db.session.commit()  # no rollup: hours are read from the raw rows
    answer = chart(site, period("day", DAY.isoformat()), interval="hour", metrics=["visits", "pageviews"])
    assert answer["meta"]["source"] == "raw"
    rows = {row["date"]: row for row in answer["results"]}
    assert len(rows) == 24
    assert rows["2026-11-20 00:00:00"] == {"date": "2026-11-20 00:00:00", "visits": 1, "pageviews": 1}
    assert rows["2026-11-20 13:00:00"] == {"date": "2026-11-20 13:00:00", "visits": 2, "pageviews": 3}


def test_daily_points_from_rollups_equal_the_raw_rows(site: Any) -> None:
    for offset in range(5):
        visit(site, at(DAY - timedelta(days=offset), 23, 55), pages=("/", "/a", "/b"), gap_s=200)
    rollup(*(DAY - timedelta(days=offset) for offset in range(-1, 5)))
    metrics = ["visitors", "visits", "pageviews", "bounce_rate", "visit_duration", "events"]
    for name in ("30d", "12mo"):
        from_rollups = chart(site, period(name), metrics=metrics)
        assert from_rollups["results"] == chart(site, period(name), metrics=metrics, read="raw")["results"]


def test_the_hour_interval_needs_a_single_day(site: Any) -> None:
    with pytest.raises(InvalidInput, match="only available for a single day"):
        chart(site, period("7d"), interval="hour")
