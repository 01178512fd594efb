"""Monthly rollups: a complete month summed once its days are final, read only while it equals them.

Each test compares answers read through the monthly rows with the raw rows (read="raw"), on both
databases, and shows that a month goes back to being read by its days whenever a day of it changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from consent_server.analytics.jobs import run_due_jobs
from consent_server.analytics.rollups import months_to_build, refresh_day, refresh_months
from consent_server.extensions import db
from consent_server.models import DailyRollup, MonthlyRollup, RollupMonth
from consent_server.retention.services import purge
from consent_server.stats.periods import parse_period
from consent_server.stats.query import PROPERTIES
from consent_server.stats.reads import built_months, whole_months
from consent_server.stats.services import breakdown
from consent_server.timeutil import add_months
from tests.integration.test_stats_aggregate import at, visit

TODAY = date(2026, 11, 25)
NOW = at(TODAY, 12)
AUGUST, SEPTEMBER, OCTOBER, NOVEMBER = (date(2026, month, 1) for month in (8, 9, 10, 11))


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


VISIT_DAYS = [date(2026, *day) for day in ((8, 3), (8, 31), (9, 15), (10, 1), (10, 31), (11, 2), (11, 25))]


@pytest.fixture
def months(site: Any) -> Any:
    """Visits from August to today, one crossing into September at midnight; the daily rollups of
    every day from 31 July, and the monthly ones of August, September and October."""
    visit(site, at(date(2026, 8, 3)), pages=("/", "/a"), events=("Klik",), source="Google", country="BE")
    visit(site, at(date(2026, 8, 31), 23, 50), pages=("/a", "/b"), gap_s=900, referrer_host="t.co")
    visit(site, at(date(2026, 9, 15)), pages=("/b",), visitor="twice", device="mobile", os="iOS")
    visit(site, at(date(2026, 9, 15), 14), pages=("/",), visitor="twice", device="mobile", events=("Klik",))
    visit(site, at(date(2026, 10, 1), 0, 5), pages=("/",), utm_source="nieuwsbrief", screen="laptop")
    visit(site, at(date(2026, 10, 31), 23), pages=("/c",), country=None)
    visit(site, at(date(2026, 11, 2)), pages=("/", "/c"), source="Google")
    visit(site, at(TODAY, 9), pages=("/a",))
    for day in sorted({moment for first in VISIT_DAYS for moment in (first, first + timedelta(days=1))}):
        refresh_day(db.session, day)
    assert refresh_months(db.session, NOW) == [OCTOBER, SEPTEMBER, AUGUST]
    db.session.commit()
    return site


def table(site: Any, prop: str, when: Any, **options: Any) -> Any:
    return breakdown(db.session, site, when, prop, list(PROPERTIES[prop].metrics), k=1, **options)


YEAR = parse_period("12mo", None, TODAY)
FROM_MID_AUGUST = parse_period("custom", "2026-08-15,2026-11-25", TODAY)
SEPTEMBER_ONLY = parse_period("custom", "2026-09-01,2026-09-30", TODAY)


@pytest.mark.parametrize(
    "when", [YEAR, FROM_MID_AUGUST, SEPTEMBER_ONLY], ids=["12mo", "mid-august", "september"]
)
def test_every_breakdown_read_through_built_months_equals_the_raw_rows(months: Any, when: Any) -> None:
    assert built_months(db.session, when.first, when.last)  # the reads below go through monthly rows
    for prop in sorted(PROPERTIES):
        answer = table(months, prop, when)
        assert answer["meta"]["source"] == "rollups"
        assert answer["results"] == table(months, prop, when, read="raw")["results"], prop


def test_a_listed_month_is_read_from_its_monthly_rows_and_a_forgotten_one_from_its_days(months: Any) -> None:
    # Proof of which rows answer: change a monthly row by hand (never done outside this test).
    db.session.execute(
        update(MonthlyRollup)
        .where(
            MonthlyRollup.month == SEPTEMBER, MonthlyRollup.dimension == "page", MonthlyRollup.value == "/b"
        )
        .values(visitors=1000)
    )
    rows = {row["page"]: row["visitors"] for row in table(months, "event:page", YEAR)["results"]}
    assert rows == {"/": 4, "/a": 3, "/b": 1000, "/c": 2}
    # A day of September rebuilt: the month is forgotten, and read from its days again.
    refresh_day(db.session, date(2026, 9, 15))
    assert built_months(db.session, YEAR.first, YEAR.last) == [AUGUST, OCTOBER]
    rows = {row["page"]: row["visitors"] for row in table(months, "event:page", YEAR)["results"]}
    assert rows["/b"] == 2


def test_a_visit_added_to_a_built_month_counts_once_its_day_is_rebuilt(months: Any) -> None:
    visit(months, at(date(2026, 10, 10)), pages=("/nieuw",), source="Bing")
    refresh_day(db.session, date(2026, 10, 10))
    assert built_months(db.session, OCTOBER, date(2026, 10, 31)) == []
    assert refresh_months(db.session, NOW) == [OCTOBER]
    for prop in ("event:page", "visit:source"):
        answer = table(months, prop, YEAR)["results"]
        assert answer == table(months, prop, YEAR, read="raw")["results"]
        assert any(row.get("page") == "/nieuw" or row.get("source") == "Bing" for row in answer)


def test_the_rollup_command_rebuilds_a_day_and_then_its_month(months: Any, app: Any) -> None:
    visit(months, at(date(2026, 10, 10)), pages=("/nieuw",))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["analytics", "rollup", "--day", "2026-10-10"])
    assert result.exit_code == 0, result.output
    assert "2026-10-10:" in result.output and "2026-10: monthly rollups built" in result.output
    assert built_months(db.session, OCTOBER, date(2026, 10, 31)) == [OCTOBER]
    answer = table(months, "event:page", YEAR)["results"]
    assert answer == table(months, "event:page", YEAR, read="raw")["results"]
    assert {"page": "/nieuw", "visitors": 1, "pageviews": 1} in answer


def test_a_month_is_built_once_it_is_over_and_its_last_day_is_no_longer_refreshed(months: Any) -> None:
    assert months_to_build(db.session, NOW) == []  # built in the fixture; November is running
    first_hour = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)  # November 30th is still being refreshed
    assert months_to_build(db.session, first_hour) == []
    assert months_to_build(db.session, first_hour + timedelta(hours=1)) == [NOVEMBER]
    db.session.execute(RollupMonth.__table__.delete())
    assert months_to_build(db.session, NOW) == [OCTOBER, SEPTEMBER, AUGUST]


def test_the_job_builds_one_month_a_run_newest_first(site: Any, app: Any) -> None:
    visit(site, at(date(2026, 9, 10)))
    visit(site, at(date(2026, 10, 10)))
    for day in (date(2026, 9, 10), date(2026, 10, 10)):
        refresh_day(db.session, day)
    db.session.commit()
    for minutes, listed in ((0, [OCTOBER]), (1, [SEPTEMBER, OCTOBER]), (2, [SEPTEMBER, OCTOBER])):
        assert "rollups" in run_due_jobs(
            db.session, app.config, NOW + timedelta(minutes=minutes), db.session.commit
        )
        assert sorted(db.session.scalars(select(RollupMonth.month))) == listed


def test_purging_some_days_of_a_month_forgets_it_and_the_next_build_sums_the_days_left(
    months: Any, app: Any
) -> None:
    # A cutoff on 20 August: the first days of August go, August is no longer a whole built month.
    now = add_months(datetime(2026, 8, 20, 12, tzinfo=UTC), app.config["ANALYTICS_RETENTION_MONTHS"])
    deleted = purge(db.session, app.config, now)
    assert deleted["analytics_months"] == 1 and deleted["analytics_monthly"] > 0  # August
    assert db.session.scalar(select(func.min(MonthlyRollup.month))) == SEPTEMBER
    assert db.session.scalar(select(func.min(DailyRollup.day))) == date(2026, 8, 31)  # the 3rd went
    refresh_months(db.session, now)
    assert built_months(db.session, AUGUST, TODAY) == [AUGUST, SEPTEMBER, OCTOBER]
    for prop in ("event:page", "visit:country", "visit:source"):
        assert table(months, prop, YEAR)["results"] == table(months, prop, YEAR, read="raw")["results"]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2026, 8, 1), date(2026, 8, 31), [AUGUST]),
        (date(2026, 8, 2), date(2026, 8, 31), []),
        (date(2026, 8, 1), date(2026, 8, 30), []),
        (date(2025, 12, 26), date(2026, 2, 28), [date(2026, 1, 1), date(2026, 2, 1)]),
        (date(2026, 11, 1), date(2026, 11, 25), []),
    ],
)
def test_whole_months_of_a_range(first: date, last: date, expected: list[date]) -> None:
    assert whole_months(first, last) == expected
