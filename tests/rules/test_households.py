"""Tests of sim.rules.households: ranks within households against their definition, and
formulas of counts evaluated once per count."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.law.parameters import default_law
from sim.rules.households import once_per_count, rank_within_household
from sim.rules.riksnorm import common_cost


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


@pytest.mark.parametrize(
    "counts",
    [
        np.random.default_rng(4).integers(0, 12, 5_000),  # gathered
        np.random.default_rng(4).integers(0, 12, 5_000).astype(np.int8),
        np.array([3, 0, 2]),  # too few: the formula itself
        np.array([2, 5000] * 600),  # beyond 1 023
        np.array([-1, 2] * 600),  # negative
        np.array([2.0, 3.0] * 600),  # not integers
    ],
    ids=["int64", "int8", "few", "large", "negative", "float"],
)
def test_once_per_count_equals_the_formula(counts):
    def formula(n):
        return np.maximum(n - 7, 0) * 190.0 + np.where(n % 2 == 1, 0.1, 1280.0) + n / 3.0

    got = once_per_count(counts, formula)
    assert got.dtype == formula(counts).dtype
    np.testing.assert_array_equal(got, formula(counts))


def test_common_cost_by_count_equals_each_household_alone():
    # The riksnorm's common cost per household size, gathered for many households, is the
    # cost of each size computed on its own (12 kap. 3 §: above seven persons, a step).
    p = default_law().resolve(dt.date(2026, 1, 1)).riksnorm
    sizes = np.random.default_rng(5).integers(1, 14, 4_000)
    alone = np.array([common_cost(n_persons=np.array([size]), p=p)[0] for size in range(14)])
    np.testing.assert_array_equal(common_cost(n_persons=sizes, p=p), alone[sizes])
