"""Filters (Plausible v1 syntax) are answered from the raw rows of the period."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from consent_server.extensions import db
from consent_server.stats.query import parse_filters
from consent_server.stats.services import aggregate, breakdown, timeseries
from tests.integration.test_stats_aggregate import DAY, at, period, rollup, visit

MOBILE = parse_filters("visit:device==mobile")


@pytest.fixture
def traffic(make_site: Any) -> Any:
    """Google: two visits (one reads /afval and signs up). Bing: one bounce. Direct: /nieuws, mobile."""
    site = make_site()
    visit(site, at(DAY, 9), pages=("/", "/afval"), events=("Aanmelden",), source="Google", gap_s=30)
    visit(site, at(DAY, 10), pages=("/",), source="Google", country="BE")
    visit(site, at(DAY, 11), pages=("/",), source="Bing")
    visit(site, at(DAY, 12), pages=("/nieuws", "/afval"), device="mobile", country=None, gap_s=90)
    rollup(DAY)
    return site


def cards(site: Any, filters: str, metrics: tuple[str, ...] = ("visitors", "visits", "pageviews")) -> Any:
    """The filtered cards; whichever way they are read, the raw rows give the same answer."""
    parsed = parse_filters(filters)
    answer = aggregate(db.session, site, period(), list(metrics), parsed, k=1)
    assert (
        answer["results"]
        == aggregate(db.session, site, period(), list(metrics), parsed, k=1, read="raw")["results"]
    )
    return {metric: entry["value"] for metric, entry in answer["results"].items()}


def test_a_visit_filter_keeps_the_matching_visits(traffic: Any) -> None:
    assert cards(traffic, "visit:source==Google") == {"visitors": 2, "visits": 2, "pageviews": 3}


def test_not_equal_keeps_every_other_visit(traffic: Any) -> None:
    assert cards(traffic, "visit:source!=Google") == {"visitors": 2, "visits": 2, "pageviews": 3}


def test_alternatives_are_separated_by_a_pipe(traffic: Any) -> None:
    assert cards(traffic, "visit:source==Google|Bing")["visits"] == 3


def test_filters_separated_by_semicolons_must_all_match(traffic: Any) -> None:
    assert cards(traffic, "visit:source==Google;visit:country==NL")["visits"] == 1


def test_none_matches_visits_without_a_value(traffic: Any) -> None:
    assert cards(traffic, "visit:country==(none)")["visits"] == 1
    assert cards(traffic, "visit:country!=(none)")["visits"] == 3


def test_a_page_filter_counts_that_pages_views_and_the_visits_that_viewed_it(traffic: Any) -> None:
    figures = cards(traffic, "event:page==/afval", ("visitors", "visits", "pageviews", "bounce_rate"))
    assert figures == {"visitors": 2, "visits": 2, "pageviews": 2, "bounce_rate": 0}


def test_a_wildcard_matches_any_characters(traffic: Any) -> None:
    assert cards(traffic, "event:page==/nie*")["pageviews"] == 1


def test_an_event_name_filter_counts_the_visitors_who_sent_it(traffic: Any) -> None:
    figures = cards(traffic, "event:name==Aanmelden", ("visitors", "visits", "events", "visit_duration"))
    assert figures == {"visitors": 1, "visits": 1, "events": 1, "visit_duration": 60}


def test_an_event_name_filter_can_name_pageviews_as_plausible_does(traffic: Any) -> None:
    assert cards(traffic, "event:name==pageview")["pageviews"] == 6


def test_a_filtered_breakdown_groups_the_matching_visits(traffic: Any) -> None:
    answer = breakdown(
        db.session,
        traffic,
        period(),
        "event:page",
        ["visitors", "pageviews"],
        parse_filters("visit:source==Google"),
        k=1,
    )
    assert answer["results"] == [
        {"page": "/", "visitors": 2, "pageviews": 2},
        {"page": "/afval", "visitors": 1, "pageviews": 1},
    ]


def test_a_page_viewed_after_midnight_counts_with_the_properties_of_its_visit_of_the_day_before(
    make_site: Any,
) -> None:
    # The visit starts before the period (joined all the same) and its second page falls inside it.
    site = make_site()
    visit(site, at(DAY - timedelta(days=1), 23, 50), pages=("/", "/laat"), gap_s=1200, device="mobile")
    rollup(DAY - timedelta(days=1), DAY)
    on_day = period("day", DAY.isoformat())
    rows = breakdown(db.session, site, on_day, "event:page", ["visitors", "pageviews"], MOBILE, k=1)
    assert rows["results"] == [{"page": "/laat", "visitors": 1, "pageviews": 1}]


def test_a_visit_breakdown_filtered_by_page_counts_the_visits_that_viewed_it(traffic: Any) -> None:
    answer = breakdown(
        db.session,
        traffic,
        period(),
        "visit:device",
        ["visitors", "visits"],
        parse_filters("event:page==/afval"),
        k=1,
    )
    assert answer["results"] == [
        {"device": "desktop", "visitors": 1, "visits": 1},
        {"device": "mobile", "visitors": 1, "visits": 1},
    ]


def test_a_filtered_timeseries_counts_the_matching_visits_per_day(traffic: Any) -> None:
    answer = timeseries(
        db.session, traffic, period("7d", "2026-11-21"), ["visits"], parse_filters("visit:source==Bing"), k=1
    )
    assert [row["visits"] for row in answer["results"]] == [0, 0, 0, 0, 0, 1, 0]


def test_filtered_answers_apply_the_floor(traffic: Any) -> None:
    answer = aggregate(db.session, traffic, period(), ["visitors"], parse_filters("visit:source==Bing"), k=5)
    assert answer["results"]["visitors"] == {"value": None, "below_k": True}


def test_cards_and_chart_filtered_by_one_visit_value_read_its_rollup_rows(traffic: Any) -> None:
    visit(traffic, at(DAY, 20), source="Google")  # after the rollup run: not in the rollups yet
    filters = parse_filters("visit:source==Google")
    answer = aggregate(db.session, traffic, period(), ["visits"], filters, k=1)
    chart = timeseries(db.session, traffic, period("7d", "2026-11-21"), ["visits"], filters, k=1)
    assert (answer["meta"]["source"], answer["results"]["visits"]["value"]) == ("rollups", 2)
    assert (chart["meta"]["source"], chart["results"][5]["visits"]) == ("rollups", 2)


@pytest.mark.parametrize(
    "filters", ["visit:source==Google|Bing", "visit:source!=Google", "visit:source==Goo*", "event:page==/"]
)
def test_other_filters_read_the_raw_rows(traffic: Any, filters: str) -> None:
    answer = aggregate(db.session, traffic, period(), ["visits"], parse_filters(filters), k=1)
    assert answer["meta"]["source"] == "raw"


def test_a_table_of_pages_seeks_to_the_period_even_without_planner_statistics(traffic: Any) -> None:
    """SQLite without ANALYZE (as a production file usually is) would walk the index of pages through
    the site's whole history to skip a sort (a sampled read, here); the read seeks to the period."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL keeps its own planner statistics (autovacuum)")
    statements: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        breakdown(db.session, traffic, period(), "event:page", ["visitors"], MOBILE, k=1, sample_above=1)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    statement, parameters = next(item for item in statements if "GROUP BY" in item[0])
    connection = db.session.connection()
    # As a production file: no statistics (the demo data of another test may have left some).
    connection.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
    plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    events = next(step for step in plan if "analytics_events" in step)
    assert "occurred_at>?" in events, plan
