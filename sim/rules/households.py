"""Person-to-household machinery: sums, counts and ranks by household with one index.

Every rule that needs a household total uses these, so the grouping is written once.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.law.parameters import whole_numbers


def household_sum(
    values: np.ndarray, *, household_idx: np.ndarray, n_households: int
) -> np.ndarray:
    """Sum person values by household (float64).

    >>> household_sum(np.array([1.0, 2.0, 4.0]), household_idx=np.array([0, 0, 2]), n_households=3)
    array([3., 0., 4.])
    >>> household_sum(np.array([]), household_idx=np.array([], dtype=int), n_households=2)
    array([0., 0.])
    """
    sums = np.bincount(household_idx, weights=values, minlength=n_households)
    # Without persons np.bincount gives int64 zeros even with weights.
    return sums.astype(np.float64, copy=False)


def household_count(
    mask: np.ndarray, *, household_idx: np.ndarray, n_households: int
) -> np.ndarray:
    """Count persons where ``mask`` is true, by household (int64).

    >>> household_count(np.array([True, False, True]), household_idx=np.array([0, 0, 1]), n_households=2)
    array([1, 1])
    """
    return np.bincount(household_idx[mask], minlength=n_households)


def once_per_count(counts: np.ndarray, formula: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``formula(counts)`` for an elementwise ``formula`` of counts (persons, children):
    for an integer array of at least 1 024 counts between 0 and 1 023, evaluated once for
    each whole number up to the largest and gathered (the same numbers, one pass instead of
    the formula's).

    >>> once_per_count(np.array([3, 0, 2] * 500), lambda n: n * 1.5)[:3].tolist()
    [4.5, 0.0, 3.0]
    """
    counts = np.asarray(counts)
    if counts.dtype.kind in "iu" and counts.size >= 1024:
        low, high = int(counts.min()), int(counts.max())
        if low >= 0 and high < 1024:
            return np.take(formula(np.arange(high + 1, dtype=counts.dtype)), counts)
    return formula(counts)


def rank_within_household(
    *, household_idx: np.ndarray, order_key: np.ndarray, mask: np.ndarray
) -> np.ndarray:
    """Rank (1, 2, ...) of each masked person within its household by ascending ``order_key``.

    Ties keep the input order. Persons outside ``mask`` get rank 0.

    >>> rank_within_household(household_idx=np.array([0, 0, 0, 1]),
    ...     order_key=np.array([5, 2, 9, 1]), mask=np.array([True, True, True, True])).tolist()
    [2, 1, 3, 1]
    """
    rank = np.zeros(len(household_idx), dtype=np.int64)
    selected = np.flatnonzero(mask)
    if selected.size == 0:
        return rank
    key = order_key[selected]
    groups = household_idx[selected]
    whole = whole_numbers(key)
    if whole is not None:
        key = whole  # whole numbers (ages) order the same as integers
    if np.issubdtype(key.dtype, np.integer) and key.size:
        # One stable sort on a combined integer key gives lexsort's order; persons usually
        # come sorted by household already, which the stable sort (timsort) finds in O(n).
        low = int(key.min())
        span = int(key.max()) - low + 1
        if int(groups.max()) * span < 2**62:
            combined = groups.astype(np.int64) * span + (key - low)
            order = selected[np.argsort(combined, kind="stable")]
        else:  # pragma: no cover - keys too wide to combine
            order = selected[np.lexsort((key, groups))]
    else:
        order = selected[np.lexsort((key, groups))]
    groups = household_idx[order]
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    rank[order] = np.arange(len(order)) - group_start + 1
    return rank
