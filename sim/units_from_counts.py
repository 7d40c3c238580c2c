"""Consumption units of many households from their counts: checked and looked up in one pass.

:func:`sim.metrics.consumption_units_from_counts` calls :func:`units_from_counts` from
``sim.metrics._COMPILED_FROM`` households on. In numpy its checks (no negative count, a
partner only with a second adult, no children without an adult) and the lookup key were
about fifteen passes over the counts: 44 ms of the 6.2 M households of ``sim bench``; one
compiled (numba) pass takes a few. The units come from a table of the scale's formula for
every (adults, children, partner) it covers, so they are the formula's numbers.
"""

from __future__ import annotations

import numba
import numpy as np

#: The counts the table covers: 0..MAX_ADULTS adults and 0..MAX_CHILDREN children.
MAX_ADULTS = 15
MAX_CHILDREN = 31
#: Table length: one entry per (adults, children, partner).
TABLE_SIZE = (MAX_ADULTS + 1) * (MAX_CHILDREN + 1) * 2


def table_counts() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Adults, children and partner (True/False) of each table entry, in the table's order."""
    entry = np.arange(TABLE_SIZE)
    return entry // 2 // (MAX_CHILDREN + 1), entry // 2 % (MAX_CHILDREN + 1), entry % 2 == 1


def units_from_counts(
    adults: np.ndarray,
    children: np.ndarray,
    partner: np.ndarray,
    table: np.ndarray,
    out: np.ndarray,
) -> bool:
    """Write each household's units from ``table`` (the scale's units at
    :func:`table_counts`) into ``out`` (float64, the households' length). False, with ``out``
    partly written, where a household breaks a check or is beyond the table: the caller then
    checks and computes in numpy.

    >>> adults, children, partner = table_counts()
    >>> table = 1.0 * adults + 0.5 * partner + 0.3 * children
    >>> out = np.empty(3)
    >>> units_from_counts(np.array([1, 2, 2]), np.array([0, 1, 3]),
    ...     np.array([False, True, False]), table, out), out.tolist()
    (True, [1.0, 2.8, 2.9])
    >>> units_from_counts(np.array([0]), np.array([1]), np.array([False]), table, out)
    False
    """
    return _units_from_counts(adults, children, partner, table, out)


@numba.njit(cache=True, nogil=True)
def _units_from_counts(adults, children, partner, table, out):  # pragma: no cover
    for i in range(adults.size):
        a = np.int64(adults[i])
        c = np.int64(children[i])
        p = partner[i]
        if a < 0 or c < 0 or a > MAX_ADULTS or c > MAX_CHILDREN or (p and a < 2) or (a == 0 < c):
            return False
        out[i] = table[(a * (MAX_CHILDREN + 1) + c) * 2 + p]
    return True
