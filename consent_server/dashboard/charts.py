"""Bar charts as plain geometry for server-rendered SVG: no JavaScript, no inline styles.

The SVG stretches to the width of its box (viewBox with preserveAspectRatio="none"), so the bars only
carry coordinates; the axis labels are HTML next to it, so they keep their size on a phone. Colours are
CSS classes. A point withheld by the k-anonymity floor is drawn as a short hatched stub, never as a
value, and the chart's data table says "fewer than k" for it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

HEIGHT = 100.0  # viewBox units; the CSS decides the real height
SLOT = 10.0  # viewBox width per point
GAP = 0.2  # share of a slot left empty between bars
WITHHELD_HEIGHT = 3.0


@dataclass(frozen=True)
class Segment:
    """One rectangle of a bar (a whole bar, or one series of a stacked bar)."""

    series: str
    y: float
    height: float


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    label: str  # what the point is, for its tooltip ("3 nov 2026: 12")
    segments: tuple[Segment, ...] = ()
    withheld: bool = False


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    bars: tuple[Bar, ...]
    top: float  # the value at the top of the scale
    gridlines: tuple[float, ...] = field(default=(0.0, 50.0))  # the top and middle labels


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^n that is at least `value` (1 for nothing), for the scale."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power + 1e-9:
            return step * power
    return 10.0 * power


def stacked_chart(
    points: Sequence[tuple[str, Sequence[tuple[str, float]], bool]],
) -> Chart:
    """A chart of (label, [(series, value), ...], withheld) points; one series is a plain bar chart.

    Series are stacked bottom-up in the order given. Withheld points get a stub and no value.
    """
    totals = [sum(value for _, value in series) for _, series, withheld in points if not withheld]
    top = nice_ceiling(max(totals, default=0.0))
    bars = []
    width = SLOT * (1 - GAP)
    for index, (label, series, withheld) in enumerate(points):
        x = index * SLOT + SLOT * GAP / 2
        if withheld:
            stub = Segment("withheld", HEIGHT - WITHHELD_HEIGHT, WITHHELD_HEIGHT)
            bars.append(Bar(x, width, label, (stub,), withheld=True))
            continue
        base = HEIGHT
        segments = []
        for name, value in series:
            if value <= 0:
                continue
            height = value / top * HEIGHT
            base -= height
            segments.append(Segment(name, round(base, 3), round(height, 3)))
        bars.append(Bar(x, width, label, tuple(segments)))
    return Chart(SLOT * max(len(points), 1), HEIGHT, tuple(bars), top)


def axis_labels(labels: Sequence[str], wanted: int = 3) -> list[str]:
    """First, middle and last label (fewer when there are fewer points), for the x axis."""
    if len(labels) <= wanted:
        return list(labels)
    last = len(labels) - 1
    return [labels[round(last * step / (wanted - 1))] for step in range(wanted)]


def bar_ratio(value: float, largest: float) -> float:
    """A row's bar in a table, in percent of the largest row (at least a sliver for any value)."""
    if largest <= 0 or value <= 0:
        return 0.0
    return max(1.0, round(value * 100 / largest, 1))
