"""Metric values from counters and Plausible's `change`."""

from __future__ import annotations

import pytest

from consent_server.stats.figures import Totals, change, counters_for


def test_rates_and_averages_are_per_visit_and_rounded_half_up() -> None:
    totals = Totals(visitors=3, visits=8, pageviews=13, bounces=3, duration_s=500, events=2)
    assert [totals.value(m) for m in ("views_per_visit", "bounce_rate", "visit_duration")] == [1.63, 38, 63]


def test_no_visits_gives_zero_rates() -> None:
    assert [Totals().value(m) for m in ("views_per_visit", "bounce_rate", "visit_duration")] == [0.0, 0, 0]


@pytest.mark.parametrize(
    ("metric", "old", "new", "expected"),
    [
        ("visitors", 100, 125, 25),
        ("visitors", 3, 2, -33),
        ("visitors", 0, 7, 100),
        ("visitors", 0, 0, 0),
        ("bounce_rate", 40, 35, -5),  # percentage points
        ("views_per_visit", 2.0, 2.5, 25),
    ],
)
def test_change_is_a_percentage_except_bounce_rate(
    metric: str, old: float, new: float, expected: int
) -> None:
    assert change(metric, old, new) == expected


def test_counters_for_metrics_always_include_visitors() -> None:
    assert counters_for(["pageviews"]) == ("visitors", "pageviews")
    assert counters_for(["bounce_rate", "visit_duration"]) == ("visitors", "visits", "bounces", "duration_s")
