"""Sampling: a filtered question over a busy period reads a 1-in-N sample of visitors and scales it up.

The visitors here have keys whose first byte is spread evenly over 00..ff (as keyed hashes are), so a
1-in-16 sample holds exactly one in sixteen of them and the estimate equals the truth.
"""

from __future__ import annotations

from typing import Any

import pytest

from consent_server.extensions import db
from consent_server.stats.query import parse_filters
from consent_server.stats.reads import sample_prefixes
from consent_server.stats.services import aggregate, breakdown, sample_for, timeseries
from tests.integration.dashboard_support import granted_reader, page_text
from tests.integration.test_stats_aggregate import DAY, at, period, rollup, visit

ON_DAY = period("day", DAY.isoformat())
MOBILE = parse_filters("visit:device==mobile")


def spread_key(index: int, of: int) -> str:
    """The index-th of `of` keys whose first bytes are spread evenly over 00..ff."""
    return f"{index * 256 // of:02x}" + f"{index:030x}"


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


@pytest.fixture
def busy(site: Any) -> Any:
    """128 visitors on DAY, all on mobile: 64 from Google (two pages), 64 direct (one page)."""
    for index in range(128):
        google = index % 2 == 0
        visit(
            site,
            at(DAY, 10),
            pages=("/", "/contact") if google else ("/",),
            visitor=spread_key(index, 128),
            source="Google" if google else "Direct / None",
            device="mobile",
        )
    rollup(DAY)
    return site


def test_a_sample_is_the_lowest_first_bytes_of_the_visitor_keys() -> None:
    assert sample_prefixes(64) == ["00", "01", "02", "03"]
    assert sample_prefixes(16) == [f"{first:02x}" for first in range(16)]
    assert sample_prefixes(2)[-1] == "7f" and len(sample_prefixes(2)) == 128
    with pytest.raises(ValueError):
        sample_prefixes(3)


def test_the_sample_is_the_smallest_that_leaves_at_most_the_threshold(busy: Any) -> None:
    assert sample_for(db.session, busy, ON_DAY, sample_above=0) == 1  # 0: never
    assert sample_for(db.session, busy, ON_DAY, sample_above=128) == 1
    assert sample_for(db.session, busy, ON_DAY, sample_above=127) == 2
    assert sample_for(db.session, busy, ON_DAY, sample_above=8) == 16
    assert sample_for(db.session, busy, ON_DAY, sample_above=1) == 64  # the finest there is


def test_a_sampled_breakdown_is_scaled_up_and_says_so(busy: Any) -> None:
    answer = breakdown(
        db.session,
        busy,
        ON_DAY,
        "visit:source",
        ["visitors", "visits", "pageviews"],
        MOBILE,
        k=1,
        sample_above=8,
    )
    assert answer["meta"]["sample"] == 16
    assert answer["results"] == [
        {"source": "Direct / None", "visitors": 64, "visits": 64, "pageviews": 64},
        {"source": "Google", "visitors": 64, "visits": 64, "pageviews": 128},
    ]
    exact = breakdown(
        db.session,
        busy,
        ON_DAY,
        "visit:source",
        ["visitors", "visits", "pageviews"],
        MOBILE,
        k=1,
        sample_above=0,
    )
    assert "sample" not in exact["meta"] and exact["results"] == answer["results"]


def test_sampled_cards_and_chart_are_scaled_up(busy: Any) -> None:
    contact = parse_filters("event:page==/contact")
    cards = aggregate(db.session, busy, ON_DAY, ["visitors", "pageviews"], contact, k=1, sample_above=8)
    assert cards["meta"]["sample"] == 16
    assert cards["results"] == {"visitors": {"value": 64}, "pageviews": {"value": 64}}
    chart = timeseries(db.session, busy, ON_DAY, ["visitors"], contact, "hour", k=1, sample_above=8)
    assert chart["meta"]["sample"] == 16
    assert next(point for point in chart["results"] if point["date"].endswith("10:00:00"))["visitors"] == 64


def test_a_sampled_table_of_pages_filtered_by_a_visit_property_joins_the_sampled_visits(site: Any) -> None:
    for index in range(128):  # every other visitor on mobile, each with a page of their own device
        mobile = index % 2 == 0
        visit(
            site,
            at(DAY, 10),
            pages=("/", "/m") if mobile else ("/", "/d"),
            visitor=spread_key(index, 128),
            device="mobile" if mobile else "desktop",
        )
    rollup(DAY)
    options: dict[str, Any] = {"k": 1, "sample_above": 8}
    answer = breakdown(db.session, site, ON_DAY, "event:page", ["visitors", "pageviews"], MOBILE, **options)
    assert answer["meta"]["sample"] == 16
    assert answer["results"] == [
        {"page": "/", "visitors": 64, "pageviews": 64},
        {"page": "/m", "visitors": 64, "pageviews": 64},
    ]
    by_page = parse_filters("visit:device==mobile;event:page==/")
    cards = aggregate(db.session, site, ON_DAY, ["visitors", "visits", "pageviews"], by_page, **options)
    assert cards["results"] == {
        "visitors": {"value": 64},
        "visits": {"value": 64},
        "pageviews": {"value": 64},
    }


def test_the_floor_counts_the_sample_not_the_estimate(busy: Any) -> None:
    # 1 in 64 of 128 visitors is 2 sampled visitors: an estimate of 128, but only 2 people behind it.
    answer = breakdown(db.session, busy, ON_DAY, "visit:source", ["visitors"], MOBILE, k=5, sample_above=2)
    assert answer["meta"]["sample"] == 64
    assert answer["results"] == []
    assert answer["meta"]["withheld_rows"] == 2
    contact = parse_filters("event:page==/contact")  # a visit filter's cards read the exact rollups
    cards = aggregate(db.session, busy, ON_DAY, ["visitors"], contact, k=5, sample_above=2)
    assert cards["meta"]["sample"] == 64
    assert cards["results"]["visitors"] == {"value": None, "below_k": True}


def test_unfiltered_questions_and_the_raw_baseline_are_never_sampled(busy: Any) -> None:
    unfiltered = breakdown(db.session, busy, ON_DAY, "visit:source", ["visitors"], k=1, sample_above=1)
    assert "sample" not in unfiltered["meta"] and unfiltered["meta"]["source"] == "rollups"
    raw = breakdown(
        db.session, busy, ON_DAY, "visit:source", ["visitors"], MOBILE, k=1, read="raw", sample_above=1
    )
    assert "sample" not in raw["meta"]
    assert [row["visitors"] for row in raw["results"]] == [64, 64]


def test_a_sample_holds_whole_visitors_with_all_their_visits(site: Any) -> None:
    # Two visits of each visitor: a sample that split a visitor's hits would count visits wrongly.
    for index in range(32):
        for hour in (9, 15):
            visit(site, at(DAY, hour), visitor=spread_key(index, 32), device="mobile")
    rollup(DAY)
    two = parse_filters("visit:device==mobile;visit:source==Direct / None")  # two filters: raw rows
    answer = aggregate(db.session, site, ON_DAY, ["visitors", "visits"], two, k=1, sample_above=4)
    assert answer["meta"]["sample"] == 16
    assert answer["results"] == {"visitors": {"value": 32}, "visits": {"value": 64}}


def test_the_dashboard_says_when_filtered_figures_are_estimated(
    busy: Any, client: Any, make_user: Any, login_as: Any, app: Any
) -> None:
    ask = granted_reader(client, make_user, login_as, busy)
    params = {"period": "day", "date": DAY.isoformat()}
    app.config["STATS_SAMPLE_ABOVE_VISITS"] = 8
    text = page_text(ask(filters="visit:device==mobile", **params).get_data(as_text=True))
    assert "steekproef van 1 op de 16 bezoekers" in text
    assert "steekproef" not in page_text(ask(**params).get_data(as_text=True))  # unfiltered: exact
    app.config["STATS_SAMPLE_ABOVE_VISITS"] = 1000
    assert "steekproef" not in page_text(ask(filters="visit:device==mobile", **params).get_data(as_text=True))


def test_the_stats_api_samples_by_the_setting_and_says_so_in_meta(
    busy: Any, client: Any, make_user: Any, login_as: Any, app: Any
) -> None:
    login_as(make_user("marketing", [busy]))
    params = {
        "site_id": busy.key,
        "period": "day",
        "date": DAY.isoformat(),
        "property": "visit:source",
        "filters": "visit:device==mobile",
    }
    app.config["STATS_SAMPLE_ABOVE_VISITS"] = 8
    app.config["STATS_MIN_VISITORS"] = 4  # the sample holds 4 visitors per source
    sampled = client.get("/api/v1/stats/breakdown", query_string=params)
    assert sampled.get_json()["meta"]["sample"] == 16
    assert [row["visitors"] for row in sampled.get_json()["results"]] == [64, 64], sampled.get_json()
    app.config["STATS_SAMPLE_ABOVE_VISITS"] = 0
    exact = client.get("/api/v1/stats/breakdown", query_string=params)
    assert "sample" not in exact.get_json()["meta"]
