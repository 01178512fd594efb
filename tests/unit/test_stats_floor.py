"""The k-anonymity floor: which groups are folded or blanked, and when "(other)" may be shown."""

from __future__ import annotations

import pytest

from consent_server.stats.floor import below_floor, hidden_indexes, hidden_total_shown


@pytest.mark.parametrize(
    ("weights", "hidden", "other_shown"),
    [
        ([9, 7, 5], set(), False),  # nothing below k
        ([9, 7, 3, 2], {2, 3}, True),  # folded rows reach k together
        ([9, 6, 1], {1, 2}, True),  # one small row: the smallest shown row joins it
        ([9, 6, 6, 1], {2, 3}, True),  # of equal rows the later (lower in the table) one joins
        ([2, 1], {0, 1}, False),  # all below k, still below k together: nothing shown
        ([9, 0, 0], set(), False),  # 0 visitors reveals nobody
        ([9, 1, 1, 1, 1, 1], {1, 2, 3, 4, 5}, True),
    ],
)
def test_groups_below_k_are_hidden_until_the_hidden_ones_reach_k(
    weights: list[int], hidden: set[int], other_shown: bool
) -> None:
    assert hidden_indexes(weights, 5) == hidden
    assert hidden_total_shown(weights, hidden, 5) is other_shown


def test_below_floor_means_some_but_fewer_than_k() -> None:
    assert [below_floor(n, 5) for n in (0, 1, 4, 5)] == [False, True, True, False]


def test_k_of_one_hides_nothing() -> None:
    assert hidden_indexes([1, 1, 0], 1) == set()
