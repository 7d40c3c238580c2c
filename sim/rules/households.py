"""Person-to-household machinery: sums by household with one index.

The compiled rules add up each household's persons in its own pass
(:func:`sim.engine.chunks.by_household`); :func:`household_sum` is the numpy sum for the
rest.
"""

from __future__ import annotations

import numpy as np


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
