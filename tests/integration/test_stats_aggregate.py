"""Metric cards: totals of a period from the daily rollups, the comparison, the floor, realtime.

The helpers here (visit, rollup) store visits and events the way the collector does and build the
rollups with the real refresh_day; the other test_stats_* modules use them too.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from consent_server.analytics.rollups import refresh_day
from consent_server.errors import InvalidInput
from consent_server.extensions import db
from consent_server.models import AnalyticsEvent, AnalyticsSession
from consent_server.stats.periods import DateRange, parse_period
from consent_server.stats.services import aggregate, realtime_visitors

TODAY = date(2026, 11, 25)
DAY = date(2026, 11, 20)
_visitor_numbers = itertools.count(1)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def period(name: str = "30d", when: str | None = None) -> DateRange:
    return parse_period(name, when, TODAY)


def visit(
    site: Any,
    when: datetime,
    pages: Sequence[str] = ("/",),
    events: Sequence[str] = (),
    visitor: str | None = None,
    gap_s: int = 60,
    **fields: Any,
) -> AnalyticsSession:
    """One visit with a pageview per page, then its custom events, `gap_s` apart; fields override the
    visit's columns (source, country, device...). Each call is a new visitor unless `visitor` is given."""
    hits = [("pageview", page, None) for page in pages] + [("event", pages[-1], name) for name in events]
    row = AnalyticsSession(
        site_id=site.id,
        visitor_key=visitor or f"visitor{next(_visitor_numbers):024d}",
        started_at=when,
        last_seen_at=when + timedelta(seconds=gap_s * (len(hits) - 1)),
        entry_page=pages[0],
        exit_page=pages[-1],
        pageviews=len(pages),
        events=len(events),
        engaged_ms=0,
        duration_s=gap_s * (len(hits) - 1),
        source="Direct / None",
        channel="direct",
        browser="Chrome 131",
        os="Windows",
        device="desktop",
        country="NL",
    )
    for name, value in fields.items():
        setattr(row, name, value)
    db.session.add(row)
    db.session.flush()
    for offset, (kind, page, name) in enumerate(hits):
        db.session.add(
            AnalyticsEvent(
                site_id=site.id,
                session_id=row.id,
                visitor_key=row.visitor_key,
                occurred_at=when + timedelta(seconds=gap_s * offset),
                kind=kind,
                host="www.example.nl",
                page=page,
                name=name,
            )
        )
    db.session.flush()
    return row


def rollup(*days: date) -> None:
    for day in days:
        refresh_day(db.session, day)
    db.session.commit()


def cards(site: Any, when: DateRange | None = None, k: int = 1, **options: Any) -> dict[str, Any]:
    return aggregate(
        db.session,
        site,
        when or period(),
        ["visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration", "events"],
        k=k,
        **options,
    )


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


@pytest.fixture
def two_days(site: Any) -> Any:
    """Nov 19: one bounce. Nov 20: a three-page visit with an event, and a returning visitor twice."""
    visit(site, at(date(2026, 11, 19)))
    visit(site, at(DAY, 9), pages=("/", "/afval", "/contact"), events=("Aanmelden",), gap_s=40)
    visit(site, at(DAY, 10), pages=("/nieuws",), visitor="returning")
    visit(site, at(DAY, 15), pages=("/nieuws", "/"), visitor="returning", gap_s=100)
    rollup(date(2026, 11, 19), DAY)
    return site


def test_cards_sum_daily_visitors_and_count_visits_pageviews_and_bounces(two_days: Any) -> None:
    results = cards(two_days)["results"]
    values = {metric: entry["value"] for metric, entry in results.items()}
    assert values == {
        "visitors": 3,  # 1 on Nov 19 + 2 on Nov 20 (the returning visitor once that day)
        "visits": 4,
        "pageviews": 7,
        "views_per_visit": 1.75,
        "bounce_rate": 50,  # the Nov 19 visit and the first /nieuws visit
        "visit_duration": 55,  # (0 + 120 + 0 + 100) / 4
        "events": 1,
    }


def test_a_person_on_two_days_counts_as_two_visitors(site: Any) -> None:
    visit(site, at(date(2026, 11, 18)), visitor="same-key-both-days")
    visit(site, at(date(2026, 11, 19)), visitor="same-key-both-days")
    rollup(date(2026, 11, 18), date(2026, 11, 19))
    assert cards(site)["results"]["visitors"]["value"] == 2


def test_cards_read_the_rollups_not_the_raw_rows(two_days: Any) -> None:
    visit(two_days, at(DAY, 20))  # stored after the last rollup run: not counted until the next
    answer = cards(two_days)
    assert answer["meta"]["source"] == "rollups"
    assert answer["results"]["visits"]["value"] == 4


def test_cards_from_rollups_equal_the_raw_rows(two_days: Any) -> None:
    assert cards(two_days)["results"] == cards(two_days, read="raw")["results"]


def test_period_outside_the_data_gives_zeros(two_days: Any) -> None:
    results = cards(two_days, period("month", "2026-09-10"))["results"]
    assert {entry["value"] for entry in results.values()} == {0}


def test_change_compares_with_the_previous_period_of_equal_length(site: Any) -> None:
    previous_day, current_day = date(2026, 11, 19), date(2026, 11, 20)
    for _ in range(4):
        visit(site, at(previous_day))
    for _ in range(5):
        visit(site, at(current_day), pages=("/", "/a"))
    rollup(previous_day, current_day)
    results = cards(site, period("day", "2026-11-20"), compare=True)["results"]
    assert results["visitors"] == {"value": 5, "change": 25}
    assert results["pageviews"] == {"value": 10, "change": 150}
    assert results["bounce_rate"] == {"value": 0, "change": -100}  # percentage points


def test_change_from_nothing_is_100_percent(site: Any) -> None:
    visit(site, at(DAY))
    rollup(DAY)
    assert cards(site, period("day", DAY.isoformat()), compare=True)["results"]["visits"]["change"] == 100


def test_comparison_of_a_running_month_uses_only_the_days_so_far(site: Any) -> None:
    answer = cards(site, period("month"), compare=True)
    assert answer["meta"]["date_range"] == ["2026-11-01", "2026-11-30"]
    assert answer["meta"]["comparison"] == ["2026-10-07", "2026-10-31"]  # 25 days, like Nov 1-25


def test_cards_below_the_floor_show_no_numbers(two_days: Any) -> None:
    results = cards(two_days, k=5)["results"]
    assert results["visitors"] == {"value": None, "below_k": True}
    assert {entry["value"] for entry in results.values()} == {None}


def test_cards_at_the_floor_show_their_numbers(site: Any) -> None:
    for _ in range(5):
        visit(site, at(DAY))
    rollup(DAY)
    assert cards(site, k=5)["results"]["visitors"] == {"value": 5}


def test_no_change_is_shown_against_a_previous_period_below_the_floor(site: Any) -> None:
    visit(site, at(date(2026, 11, 19)))
    for _ in range(6):
        visit(site, at(DAY))
    rollup(date(2026, 11, 19), DAY)
    answer = cards(site, period("day", DAY.isoformat()), k=5, compare=True)
    assert answer["results"]["visitors"] == {"value": 6, "change": None}
    assert answer["meta"]["comparison_below_k"] is True


def test_realtime_counts_visitors_with_a_hit_in_the_last_five_minutes(site: Any) -> None:
    now = at(DAY, 12, 30)
    visit(site, now - timedelta(minutes=20))
    visit(site, now - timedelta(minutes=4), pages=("/", "/a"), gap_s=60)
    visit(site, now - timedelta(minutes=7), pages=("/", "/b", "/c"), gap_s=150)  # last hit 2 min ago
    visit(site, now - timedelta(minutes=1))
    db.session.commit()
    assert realtime_visitors(db.session, site, now, k=1)["results"]["visitors"] == {"value": 3}


def test_realtime_below_the_floor_shows_no_number(site: Any) -> None:
    now = at(DAY, 12, 30)
    visit(site, now - timedelta(minutes=1))
    db.session.commit()
    assert realtime_visitors(db.session, site, now, k=5)["results"]["visitors"] == {
        "value": None,
        "below_k": True,
    }


def test_unknown_metric_is_refused_with_its_name(site: Any) -> None:
    with pytest.raises(InvalidInput, match="`conversion_rate` is not recognized"):
        aggregate(db.session, site, period(), ["visitors", "conversion_rate"], k=5)
