"""CSV export of real tables: the floor holds, headers come first, formulas are defused."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from consent_server.extensions import db
from consent_server.stats.export import to_csv
from consent_server.stats.services import aggregate, breakdown, timeseries
from tests.integration.test_stats_aggregate import DAY, at, period, rollup, visit


@pytest.fixture
def site(make_site: Any) -> Any:
    return make_site()


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_breakdown_csv_folds_small_rows_like_the_screen(site: Any) -> None:
    for campaign, visitors in {"winter": 7, "zomer": 3, "lente": 2}.items():
        for _ in range(visitors):
            visit(site, at(DAY), pages=("/", "/a"), utm_campaign=campaign)
    rollup(DAY)
    answer = breakdown(db.session, site, period(), "visit:utm_campaign", ["visitors", "pageviews"], k=5)
    assert parsed(to_csv(answer)) == [
        ["utm_campaign", "visitors", "pageviews"],
        ["winter", "7", "14"],
        ["(other)", "5", "10"],
    ]


def test_csv_headers_can_be_labels_in_dutch(site: Any) -> None:
    for _ in range(5):
        visit(site, at(DAY))
    rollup(DAY)
    answer = breakdown(db.session, site, period(), "visit:country", ["visitors", "bounce_rate"], k=5)
    assert parsed(to_csv(answer, language="nl"))[0] == ["Land", "Unieke bezoekers", "Bouncepercentage"]


def test_values_that_start_a_formula_are_defused(site: Any) -> None:
    for campaign in ('=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "veilig"):
        for _ in range(5):
            visit(site, at(DAY), utm_campaign=campaign)
    rollup(DAY)
    answer = breakdown(db.session, site, period(), "visit:utm_campaign", ["visitors"], k=5)
    campaigns = sorted(row[0] for row in parsed(to_csv(answer))[1:])
    assert campaigns == ["'+1", "'-1", '\'=HYPERLINK("http://x")', "'@SUM(A1)", "veilig"]


def test_timeseries_csv_marks_blanked_days_as_below_k(site: Any) -> None:
    for day, visitors in {date(2026, 11, 19): 9, date(2026, 11, 20): 3, date(2026, 11, 21): 6}.items():
        for _ in range(visitors):
            visit(site, at(day))
    rollup(date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 21))
    answer = timeseries(
        db.session, site, period("custom", "2026-11-19,2026-11-21"), ["visitors", "visits"], k=5
    )
    assert parsed(to_csv(answer)) == [
        ["date", "visitors", "visits"],
        ["2026-11-19", "9", "9"],
        ["2026-11-20", "<5", ""],
        ["2026-11-21", "<5", ""],
    ]


def test_aggregate_csv_has_a_row_per_metric_with_its_change(site: Any) -> None:
    for _ in range(5):
        visit(site, at(DAY))
    rollup(DAY)
    answer = aggregate(
        db.session, site, period("day", DAY.isoformat()), ["visitors", "bounce_rate"], compare=True, k=5
    )
    assert parsed(to_csv(answer)) == [
        ["metric", "value", "change"],
        ["visitors", "5", "100"],
        ["bounce_rate", "100", "100"],
    ]
