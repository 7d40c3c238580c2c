"""Weighted sums of many values in one compiled pass, with the metrics' input checks.

:mod:`sim.metrics.statistics` calls :func:`weighted_sums` for arrays of at least
``sim.metrics.statistics._COMPILED_FROM`` values: in numpy, checking the values for NaN, checking the
weights, the total weight, the weight below a line and a weighted total were one pass over
the arrays each (about 30 ms for a poverty rate of 6.2 M households). Here they are one pass.

The sums are added block by block (:data:`BLOCK` values in order, then the blocks' sums in
order), not in numpy's pairwise order, so their last bits can differ from
``w.sum()`` or ``np.dot``; the rounding error grows with the number of blocks plus the block
size, not with the number of values.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

#: Values added in order before a block's sum joins the total.
BLOCK = 1024


class WeightedSums(NamedTuple):
    """What one pass over ``values`` and ``weights`` found."""

    has_nan_value: bool
    has_bad_weight: bool  # negative, infinite or NaN
    all_weights_positive: bool
    total_weight: float  # Σ w
    weight_below: float  # Σ w where v < line (0 if line is NaN)
    weighted_total: float  # Σ v·w


def weighted_sums(values: np.ndarray, weights: np.ndarray, line: float = np.nan) -> WeightedSums:
    """The checks and sums of :class:`WeightedSums` for 1-D float64 arrays of equal length.

    >>> s = weighted_sums(np.array([50.0, 100.0, 200.0]), np.array([1.0, 1.0, 2.0]), 100.0)
    >>> s.total_weight, s.weight_below, s.weighted_total, s.has_nan_value
    (4.0, 1.0, 550.0, False)
    """
    return WeightedSums(*_weighted_sums(values, weights, float(line)))


@numba.njit(cache=True, nogil=True)
def _weighted_sums(v, w, line):  # pragma: no cover
    n = v.size
    total = below = product = 0.0
    smallest = np.inf
    for start in range(0, n, BLOCK):
        block_total = block_below = block_product = 0.0
        for i in range(start, min(start + BLOCK, n)):
            value = v[i]
            weight = w[i]
            block_total += weight
            block_below += weight if value < line else 0.0
            block_product += value * weight
            smallest = min(smallest, weight)
        total += block_total
        below += block_below
        product += block_product
    # A NaN value makes Σ v·w NaN, a NaN or infinite weight Σ w; only then look closer.
    has_nan = bad_weight = False
    if not (np.isfinite(product) and np.isfinite(total)):
        for i in range(n):
            has_nan |= v[i] != v[i]
            bad_weight |= not (0.0 <= w[i] < np.inf)  # False for NaN: comparisons are
    bad_weight |= smallest < 0.0
    return has_nan, bad_weight, smallest > 0.0, total, below, product
