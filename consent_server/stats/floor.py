"""The k-anonymity floor (privacy invariant 7), as pure functions over counts.

A group counting fewer than k visitors (k = STATS_MIN_VISITORS, default 5) is never shown on its own:

- breakdown rows below k are folded into one "(other)" row that sums them;
- if those rows add up to fewer than k, the smallest rows that did reach k are folded in as well, until
  "(other)" reaches k. Without this second step, "(other)" holding a single small row would show that
  row, and "(other)" holding 3 visitors would be a group below k all the same;
- if every row together stays below k there is no "(other)" row: nothing is shown;
- chart points (and consent days) below k show no numbers ("fewer than k"), with the same second step:
  otherwise the period's total minus the points shown would give the hidden point back;
- totals (metric cards) of a period with fewer than k visitors show no numbers either.

A group with 0 visitors reveals nobody and is shown as 0. Visitors are counted per day and added up (see
labels.py), so the floor applies to that figure: over several days one person can count more than once.
The floor protects each answer; subtracting two answers with different filters (`source!=Google` from
the total) can still reveal a folded row, so filtered views are for the authorised users of a site only.
"""

from __future__ import annotations

from collections.abc import Sequence


def below_floor(visitors: int, k: int) -> bool:
    """True for a group too small to show: more than nobody, fewer than k."""
    return 0 < visitors < k


def hidden_indexes(weights: Sequence[int], k: int) -> set[int]:
    """Which groups to fold or hide: every group below k, plus the smallest of the others until the
    hidden groups together reach k (or nothing is left to add). Ties go to the later group."""
    hidden = {index for index, weight in enumerate(weights) if below_floor(weight, k)}
    if not hidden:
        return hidden
    total = sum(weights[index] for index in hidden)
    candidates = sorted(
        (index for index, weight in enumerate(weights) if index not in hidden and weight > 0),
        key=lambda index: (weights[index], -index),
    )
    for index in candidates:
        if total >= k:
            break
        hidden.add(index)
        total += weights[index]
    return hidden


def hidden_total_shown(weights: Sequence[int], hidden: set[int], k: int) -> bool:
    """Whether the hidden groups together may be shown as "(other)": only when they reach k."""
    return sum(weights[index] for index in hidden) >= k
