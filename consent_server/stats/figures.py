"""Metric values from summed counters, the same way for rollups and raw rows, and Plausible's `change`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from ..models import ROLLUP_COUNTERS

COUNTERS = ROLLUP_COUNTERS  # the additive columns of the rollup tables
# The counters each metric is computed from.
NEEDS = {
    "visitors": ("visitors",),
    "visits": ("visits",),
    "pageviews": ("pageviews",),
    "views_per_visit": ("pageviews", "visits"),
    "bounce_rate": ("bounces", "visits"),
    "visit_duration": ("duration_s", "visits"),
    "events": ("events",),
}


def counters_for(metrics: Sequence[str]) -> tuple[str, ...]:
    """The counters behind some metrics, visitors always (the k-anonymity floor counts them)."""
    needed = {"visitors"} | {name for metric in metrics for name in NEEDS[metric]}
    return tuple(name for name in COUNTERS if name in needed)


@dataclass
class Totals:
    """The additive counters behind every metric (the columns of analytics_daily)."""

    visitors: int = 0
    visits: int = 0
    pageviews: int = 0
    bounces: int = 0
    duration_s: int = 0
    events: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def scaled(self, factor: int) -> Totals:
        """Every counter times `factor`: the estimate of the whole from a 1-in-`factor` sample."""
        return Totals(*(getattr(self, f.name) * factor for f in fields(self)))

    def value(self, metric: str) -> int | float:
        """One metric: counts as they are; rates and averages per visit (0 when there is no visit)."""
        if metric == "views_per_visit":
            return float(round_half_up(self.pageviews / self.visits, 2)) if self.visits else 0.0
        if metric == "bounce_rate":
            return int(round_half_up(self.bounces * 100 / self.visits)) if self.visits else 0
        if metric == "visit_duration":
            return int(round_half_up(self.duration_s / self.visits)) if self.visits else 0
        number: int = getattr(self, metric)
        return number


def round_half_up(value: float, digits: int = 0) -> Decimal:
    """Round like people do (2.5 -> 3), not like Python's round (2.5 -> 2)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def change(metric: str, old: int | float, new: int | float) -> int | float:
    """Plausible's `change`: percentage points for bounce_rate, else the percent change, rounded
    (100 when it grew from 0, 0 when both are 0)."""
    if metric == "bounce_rate":
        return int(new) - int(old)
    if old == 0:
        return 100 if new > 0 else 0
    return int(round_half_up((new - old) * 100 / old))
