"""Answers have the shape of Plausible's Stats API v1 documented examples (plausible.io/docs/stats-api-v1),
so its clients carry over; our additions live under `meta`. Also: figures from the real ingest path."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from consent_server.analytics.rollups import refresh_day
from consent_server.extensions import db
from consent_server.stats.periods import parse_period
from consent_server.stats.query import parse_filters
from consent_server.stats.services import aggregate, breakdown, timeseries
from tests.integration.test_collect import give_consent, hit
from tests.integration.test_stats_aggregate import DAY, at, period, rollup, visit

# The documented responses, verbatim in structure (numbers as documented).
DOCUMENTED_AGGREGATE = {
    "results": {
        "bounce_rate": {"value": 53.0},
        "pageviews": {"value": 673814},
        "visit_duration": {"value": 86.0},
        "visitors": {"value": 201524},
    }
}
DOCUMENTED_TIMESERIES_6MO = {
    "results": [
        {"date": "2020-08-01", "visitors": 36085},
        {"date": "2020-09-01", "visitors": 27688},
        {"date": "2020-10-01", "visitors": 71615},
        {"date": "2020-11-01", "visitors": 31440},
        {"date": "2020-12-01", "visitors": 35804},
        {"date": "2021-01-01", "visitors": 0},
    ]
}
DOCUMENTED_SOURCES = {
    "results": [
        {"bounce_rate": 49.0, "source": "(Direct / None)", "visitors": 94932},
        {"bounce_rate": 75.0, "source": "Hacker News", "visitors": 22540},
    ]
}
DOCUMENTED_TOP_PAGES = {"results": [{"page": "/", "visitors": 94298}, {"page": "/sites", "visitors": 32386}]}
DOCUMENTED_PAGE_VISITORS = {"results": {"visitors": {"value": 1480}}}


def shape(value: Any) -> Any:
    """The structure of a JSON value: keys kept, numbers and strings replaced by their kind."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    return "number" if isinstance(value, int | float) else "string"


@pytest.fixture
def traffic(make_site: Any) -> Any:
    site = make_site()
    for index in range(12):
        source = "Google" if index % 2 else "Direct / None"
        visit(site, at(DAY), pages=("/", "/sites")[: 1 + index % 2], source=source)
    rollup(DAY)
    return site


def results(answer: dict[str, Any]) -> dict[str, Any]:
    return {"results": answer["results"]}


def test_aggregate_has_the_documented_shape(traffic: Any) -> None:
    metrics = ["visitors", "pageviews", "bounce_rate", "visit_duration"]
    answer = aggregate(db.session, traffic, period("6mo"), metrics, k=5)
    assert shape(results(answer)) == shape(DOCUMENTED_AGGREGATE)


def test_timeseries_of_six_months_has_the_documented_monthly_shape(traffic: Any) -> None:
    answer = timeseries(db.session, traffic, period("6mo"), k=5)
    assert shape(results(answer)) == shape(DOCUMENTED_TIMESERIES_6MO)
    assert answer["results"][0]["date"] == "2026-06-01"


def test_sources_breakdown_has_the_documented_shape(traffic: Any) -> None:
    answer = breakdown(
        db.session, traffic, period("6mo"), "visit:source", ["visitors", "bounce_rate"], limit=5, k=5
    )
    assert shape(results(answer)) == shape(DOCUMENTED_SOURCES)


def test_top_pages_have_the_documented_shape(traffic: Any) -> None:
    answer = breakdown(db.session, traffic, period("6mo"), "event:page", limit=5, k=5)
    assert shape(results(answer)) == shape(DOCUMENTED_TOP_PAGES)


def test_visitors_of_one_page_have_the_documented_shape(traffic: Any) -> None:
    filters = parse_filters("event:page==/sites")
    answer = aggregate(db.session, traffic, period("6mo"), ["visitors"], filters, k=5)
    assert results(answer) == {"results": {"visitors": {"value": 6}}}
    assert shape(results(answer)) == shape(DOCUMENTED_PAGE_VISITORS)


def test_comparison_adds_change_next_to_value(traffic: Any) -> None:
    answer = aggregate(db.session, traffic, period("day", DAY.isoformat()), ["visitors"], compare=True, k=5)
    assert answer["results"] == {"visitors": {"value": 12, "change": 100}}


def test_figures_from_hits_through_the_collector(client: Any, make_site: Any) -> None:
    site = make_site()
    tokens = [give_consent(client)["token"] for _ in range(5)]
    for token in tokens:
        assert hit(client, token, url="https://www.example.nl/").status_code == 202
    assert hit(client, tokens[0], url="https://www.example.nl/contact").status_code == 202
    today = datetime.now(UTC).date()
    refresh_day(db.session, today)
    db.session.commit()
    when = parse_period("day", None, today)
    answer = aggregate(db.session, site, when, ["visitors", "visits", "pageviews", "bounce_rate"], k=5)
    values = {metric: entry["value"] for metric, entry in answer["results"].items()}
    assert values == {"visitors": 5, "visits": 5, "pageviews": 6, "bounce_rate": 80}
    pages = breakdown(db.session, site, when, "event:page", ["visitors"], k=5)["results"]
    # /contact (1 visitor) is below the floor; "(other)" takes in "/" too, or the cards minus "/" would
    # give /contact away.
    assert pages == [{"page": "(other)", "visitors": 6, "other": True}]
