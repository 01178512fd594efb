"""CSV text from results: header row, blanked points, formula injection defused."""

from __future__ import annotations

from typing import Any

import pytest

from consent_server.stats.export import consent_csv, safe_cell, to_csv


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6", "'+31 6"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("/contact", "/contact"),
        (-2, -2),  # numbers are numbers, not text
        (None, ""),
    ],
)
def test_cells_that_would_start_a_formula_get_a_quote(value: Any, written: Any) -> None:
    assert safe_cell(value) == written


def test_breakdown_csv_has_a_header_and_a_row_per_result() -> None:
    result = {
        "results": [{"page": "/", "visitors": 9}, {"page": "(other)", "visitors": 6, "other": True}],
        "meta": {"property": "event:page", "metrics": ["visitors"], "k": 5},
    }
    assert to_csv(result) == "page,visitors\r\n/,9\r\n(other),6\r\n"


def test_a_blanked_point_says_fewer_than_k() -> None:
    result = {
        "results": [{"date": "2026-11-01", "visitors": None, "pageviews": None, "below_k": True}],
        "meta": {"metrics": ["visitors", "pageviews"], "k": 5, "interval": "day"},
    }
    assert to_csv(result) == "date,visitors,pageviews\r\n2026-11-01,<5,\r\n"


def test_an_unknown_consent_table_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown consent table"):
        consent_csv({"results": {}, "meta": {"k": 5, "categories": []}}, "cookies")
