"""Underhållsstöd (SFB (2010:110) 18 kap.).

Paid by Försäkringskassan to the resident parent when the other parent does not pay
underhållsbidrag; the full amount depends on the child's age (18:20). Whether a child
receives it is an input (``receives_underhallsstod``). The reduction for the child's own
income (18:30) is not modelled.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.rules.households import household_sum


def underhallsstod_per_child(
    *, age: np.ndarray, is_child: np.ndarray, receives_underhallsstod: np.ndarray, p: Any
) -> np.ndarray:
    """Underhållsstöd per person (0 unless a child for whom it is paid), SEK/month.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).underhallsstod
    >>> underhallsstod_per_child(age=np.array([3, 7, 15, 20]), is_child=np.array([True] * 4),
    ...     receives_underhallsstod=np.array([True] * 4), p=p).tolist()
    [1673.0, 1823.0, 2223.0, 0.0]
    """
    paid = np.flatnonzero(is_child & receives_underhallsstod & (age < p.age_limit))
    amount = np.zeros(np.shape(age))
    amount[paid] = p.amount.lookup("amount", age[paid])
    return amount


def underhallsstod(
    *,
    household_idx: np.ndarray,
    age: np.ndarray,
    is_child: np.ndarray,
    receives_underhallsstod: np.ndarray,
    n_households: int,
    p: Any,
) -> np.ndarray:
    """Underhållsstöd per household, SEK/month."""
    per_child = underhallsstod_per_child(
        age=age, is_child=is_child, receives_underhallsstod=receives_underhallsstod, p=p
    )
    return household_sum(per_child, household_idx=household_idx, n_households=n_households)
