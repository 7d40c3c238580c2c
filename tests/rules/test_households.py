"""Tests of sim.rules.households: ranks within households against their definition."""

from __future__ import annotations

import numpy as np
import pytest

from sim.rules.households import rank_within_household


def rank_by_definition(household_idx, order_key, mask):
    """1 + the masked members of the same household with a smaller key, or an equal key
    earlier in the input; 0 outside the mask."""
    rank = np.zeros(len(household_idx), dtype=np.int64)
    for i in np.flatnonzero(mask):
        same = mask & (household_idx == household_idx[i])
        before = (order_key < order_key[i]) | (
            (order_key == order_key[i]) & (np.arange(len(order_key)) < i)
        )
        rank[i] = 1 + int((same & before).sum())
    return rank


@pytest.mark.parametrize("sorted_by_household", [True, False])
@pytest.mark.parametrize("key_kind", ["int", "whole float", "fractional float"])
def test_rank_meets_its_definition(sorted_by_household, key_kind):
    # Sorted households take the compiled path, unsorted ones the sort; ties are frequent.
    rng = np.random.default_rng(3)
    n = 3_000
    household_idx = rng.integers(0, 700, n)
    if sorted_by_household:
        household_idx = np.sort(household_idx)
    order_key = rng.integers(0, 6, n)
    if key_kind == "whole float":
        order_key = order_key.astype(float)
    elif key_kind == "fractional float":
        order_key = order_key / 4.0 + 0.1
    mask = rng.random(n) < 0.6
    got = rank_within_household(household_idx=household_idx, order_key=order_key, mask=mask)
    assert np.array_equal(got, rank_by_definition(household_idx, order_key, mask))
