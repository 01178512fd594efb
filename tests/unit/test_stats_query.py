"""Metrics, properties and filters in Plausible's v1 syntax; refusals name what is wrong."""

from __future__ import annotations

import pytest

from consent_server.errors import InvalidInput
from consent_server.stats.query import PROPERTIES, parse_compare, parse_filters, parse_limit, parse_metrics


def test_filters_parse_equality_inequality_and_alternatives() -> None:
    filters = parse_filters("visit:source==Google|Bing;event:page!=/about")
    assert [(f.prop.name, f.negate, f.values) for f in filters] == [
        ("visit:source", False, ("Google", "Bing")),
        ("event:page", True, ("/about",)),
    ]


def test_an_escaped_pipe_is_part_of_the_value() -> None:
    [only] = parse_filters(r"visit:utm_campaign==campaign\|one")
    assert only.values == ("campaign|one",)


def test_a_filter_prints_back_in_its_syntax() -> None:
    assert [str(f) for f in parse_filters("visit:source==A|B;event:name!=x")] == [
        "visit:source==A|B",
        "event:name!=x",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("visit:city==Utrecht", "Invalid filter property `visit:city`"),
        ("visit:source=Google", "expected property==value"),
        ("visit:source==", "a value is empty"),
        ("visit:source==A||B", "a value is empty"),
        (";".join(["visit:source==A"] * 11), "At most 10 filters"),
    ],
)
def test_invalid_filters_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_filters(text)


def test_no_filter_text_is_no_filter() -> None:
    assert parse_filters(None) == parse_filters("") == []


def test_metrics_default_to_visitors() -> None:
    assert parse_metrics(None) == ["visitors"]
    assert parse_metrics("visitors, bounce_rate") == ["visitors", "bounce_rate"]


@pytest.mark.parametrize(
    ("text", "prop", "message"),
    [
        ("visitors,time_on_page", None, "`time_on_page` is not recognized"),
        ("visitors,visitors", None, "cannot be queried multiple times"),
        ("visitors,visits", "event:name", "`visits` is not available for a breakdown by event:name"),
        ("views_per_visit", "event:page", "`views_per_visit` is not available"),
    ],
)
def test_invalid_metrics_are_refused(text: str, prop: str | None, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_metrics(text, PROPERTIES[prop] if prop else None)


def test_every_property_of_the_issue_is_known() -> None:
    assert set(PROPERTIES) == {
        "event:page",
        "event:name",
        "visit:source",
        "visit:channel",
        "visit:referrer",
        "visit:entry_page",
        "visit:exit_page",
        "visit:browser",
        "visit:os",
        "visit:device",
        "visit:country",
        "visit:utm_source",
        "visit:utm_medium",
        "visit:utm_campaign",
        "visit:utm_term",
        "visit:utm_content",
        "visit:screen",
    }


@pytest.mark.parametrize(
    ("limit", "page", "expected"), [(None, None, (100, 1)), ("5", "2", (5, 2)), (1000, 1, (1000, 1))]
)
def test_limit_and_page(limit: str | None, page: str | None, expected: tuple[int, int]) -> None:
    assert parse_limit(limit, page) == expected


@pytest.mark.parametrize(("limit", "page"), [("0", None), ("1001", None), ("ten", None), (None, "0")])
def test_out_of_range_limit_or_page_is_refused(limit: str | None, page: str | None) -> None:
    with pytest.raises(InvalidInput):
        parse_limit(limit, page)


def test_compare_accepts_previous_period_only() -> None:
    assert parse_compare("previous_period") is True
    assert parse_compare(None) is False
    with pytest.raises(InvalidInput, match="only one is previous_period"):
        parse_compare("year_over_year")
