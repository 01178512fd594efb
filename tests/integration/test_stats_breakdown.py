"""Breakdown tables: rows per value from the rollups, most visitors first, the floor, paging."""

from __future__ import annotations

from typing import Any

import pytest

from consent_server.errors import InvalidInput
from consent_server.extensions import db
from consent_server.stats.query import PROPERTIES
from consent_server.stats.services import breakdown
from tests.integration.test_stats_aggregate import DAY, at, period, rollup, visit


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


def table(site: Any, prop: str, metrics: tuple[str, ...] = ("visitors",), k: int = 5, **options: Any) -> Any:
    return breakdown(db.session, site, period(), prop, list(metrics), k=k, **options)


def sources(site: Any, counts: dict[str, int]) -> None:
    for source, visitors in counts.items():
        for _ in range(visitors):
            visit(site, at(DAY), source=source, channel="search")
    rollup(DAY)


def test_pages_count_visitors_and_pageviews_most_visitors_first(site: Any) -> None:
    visit(site, at(DAY), pages=("/", "/contact", "/"))
    visit(site, at(DAY), pages=("/contact",))
    visit(site, at(DAY), pages=("/contact", "/afval"))
    rollup(DAY)
    rows = table(site, "event:page", ("visitors", "pageviews"), k=1)["results"]
    assert rows == [
        {"page": "/contact", "visitors": 3, "pageviews": 3},
        {"page": "/", "visitors": 1, "pageviews": 2},
        {"page": "/afval", "visitors": 1, "pageviews": 1},
    ]


def test_visit_properties_answer_every_visit_metric(site: Any) -> None:
    visit(site, at(DAY), pages=("/", "/a"), source="Google", gap_s=30)
    visit(site, at(DAY), source="Google")
    visit(site, at(DAY), source="Bing")
    rollup(DAY)
    metrics = ("visitors", "visits", "pageviews", "views_per_visit", "bounce_rate", "visit_duration")
    rows = table(site, "visit:source", metrics, k=1)["results"]
    assert rows[0] == {
        "source": "Google",
        "visitors": 2,
        "visits": 2,
        "pageviews": 3,
        "views_per_visit": 1.5,
        "bounce_rate": 50,
        "visit_duration": 15,
    }


def test_custom_events_count_senders_and_events(site: Any) -> None:
    visit(site, at(DAY), events=("Download", "Download"))
    visit(site, at(DAY), events=("Download", "Aanmelden"))
    rollup(DAY)
    rows = table(site, "event:name", ("visitors", "events"), k=1)["results"]
    assert rows == [
        {"name": "Download", "visitors": 2, "events": 3},
        {"name": "Aanmelden", "visitors": 1, "events": 1},
    ]


def test_rows_below_the_floor_are_folded_into_other(site: Any) -> None:
    sources(site, {"Google": 9, "Bing": 7, "DuckDuckGo": 3, "Ecosia": 2, "Startpage": 1})
    answer = table(site, "visit:source")
    assert answer["results"] == [
        {"source": "Google", "visitors": 9},
        {"source": "Bing", "visitors": 7},
        {"source": "(other)", "visitors": 6, "other": True},
    ]
    assert answer["meta"]["folded_rows"] == 3


def test_other_below_the_floor_takes_in_the_smallest_row_that_reached_it(site: Any) -> None:
    # "(other)" with only the 1 visitor of Startpage would show that one visitor.
    sources(site, {"Google": 9, "Bing": 6, "Startpage": 1})
    rows = table(site, "visit:source")["results"]
    assert rows == [{"source": "Google", "visitors": 9}, {"source": "(other)", "visitors": 7, "other": True}]


def test_rows_that_stay_below_the_floor_together_are_not_shown_at_all(site: Any) -> None:
    sources(site, {"Bing": 2, "Startpage": 1})
    answer = table(site, "visit:source")
    assert answer["results"] == []
    assert answer["meta"]["withheld_rows"] == 2


def test_empty_values_are_shown_as_none(site: Any) -> None:
    visit(site, at(DAY), utm_campaign="winter")
    visit(site, at(DAY))
    rollup(DAY)
    rows = table(site, "visit:utm_campaign", k=1)["results"]
    assert {row["utm_campaign"] for row in rows} == {"winter", "(none)"}


def test_limit_and_page_slice_the_table_with_other_last(site: Any) -> None:
    sources(site, {"A": 9, "B": 8, "C": 7, "D": 2, "E": 3})
    first = table(site, "visit:source", limit=2, page=1)
    second = table(site, "visit:source", limit=2, page=2)
    assert [row["source"] for row in first["results"]] == ["A", "B"]
    assert [row["source"] for row in second["results"]] == ["C", "(other)"]
    assert first["meta"]["total_rows"] == 4


@pytest.mark.parametrize("prop", sorted(PROPERTIES))
def test_every_property_from_rollups_equals_the_raw_rows(site: Any, prop: str) -> None:
    visit(
        site, at(DAY), pages=("/", "/a"), events=("Klik",), source="Google", utm_source="g", screen="laptop"
    )
    visit(site, at(DAY, 23, 50), pages=("/a", "/b"), gap_s=900, country=None, referrer_host="t.co")
    visit(site, at(DAY, 8), pages=("/b",), visitor="twice", device="mobile", os="iOS")
    visit(site, at(DAY, 9), pages=("/",), visitor="twice", device="mobile", os="iOS", events=("Klik",))
    rollup(DAY, DAY.replace(day=DAY.day + 1))
    metrics = PROPERTIES[prop].metrics
    from_rollups = table(site, prop, metrics, k=1)
    assert from_rollups["meta"]["source"] == "rollups"
    assert from_rollups["results"] == table(site, prop, metrics, k=1, read="raw")["results"]


def test_a_visit_metric_of_the_pages_table_is_refused(site: Any) -> None:
    with pytest.raises(InvalidInput, match="bounce_rate` is not available for a breakdown by event:page"):
        table(site, "event:page", ("visitors", "bounce_rate"))


def test_an_unknown_property_is_refused(site: Any) -> None:
    with pytest.raises(InvalidInput, match="Invalid property `visit:city`"):
        table(site, "visit:city")
