"""Consumption units of many households from their counts: checked and looked up in one pass.

:func:`sim.metrics.statistics.consumption_units_from_counts` calls :func:`units_from_counts` from
``sim.metrics.statistics._COMPILED_FROM`` households on, with its table of the scale's units (the one
its numpy lookup uses). In numpy the checks (no negative count, a partner only with a second
adult, no children without an adult) and the lookup key were about fifteen passes over the
counts: 44 ms of the 6.2 M households of ``sim bench``; one compiled (numba) pass takes a
few.
"""

from __future__ import annotations

import numba
import numpy as np


def units_from_counts(
    adults: np.ndarray,
    children: np.ndarray,
    partner: np.ndarray,
    table: np.ndarray,
    max_adults: int,
    max_children: int,
    out: np.ndarray,
) -> bool:
    """Write each household's units into ``out`` (float64, the households' length) from
    ``table``, the units of every household of up to ``max_adults`` adults and
    ``max_children`` children at ``(adults × (max_children + 1) + children) × 2 + partner``.
    False, with ``out`` partly written, where a household breaks a check or is beyond the
    table: the caller then checks and computes in numpy.

    >>> entry = np.arange(3 * 4 * 2)  # up to 2 adults and 3 children
    >>> table = 1.0 * (entry // 8) + 0.3 * (entry // 2 % 4) + 0.5 * (entry % 2)
    >>> out = np.empty(3)
    >>> units_from_counts(np.array([1, 2, 2]), np.array([0, 1, 3]),
    ...     np.array([False, True, False]), table, 2, 3, out), out.tolist()
    (True, [1.0, 2.8, 2.9])
    >>> units_from_counts(np.array([0]), np.array([1]), np.array([False]), table, 2, 3, out)
    False
    """
    return _units_from_counts(adults, children, partner, table, max_adults, max_children, out)


@numba.njit(cache=True, nogil=True)
def _units_from_counts(
    adults, children, partner, table, max_adults, max_children, out
):  # pragma: no cover
    for i in range(adults.size):
        a = np.int64(adults[i])
        c = np.int64(children[i])
        p = partner[i]
        if a < 0 or c < 0 or a > max_adults or c > max_children or (p and a < 2) or (a == 0 < c):
            return False
        out[i] = table[(a * (max_children + 1) + c) * 2 + p]
    return True
