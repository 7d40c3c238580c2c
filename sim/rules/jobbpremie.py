"""Jobbpremie (2026-2028): a tax-free state premium for leaving försörjningsstöd for work.

15 % of the gross monthly wage, at most 3 750 kr, for at most 18 calendar months within the
window from 1 March 2026, to a person who had försörjningsstöd paid every month
July-December 2025, in a month with earnings and without försörjningsstöd (law.md §1.8;
the household condition "no one in the household receives FS" follows third-party code
[U] and is used here because FS is decided per household).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def jobbpremie(
    *,
    earnings: np.ndarray,
    is_eligible: np.ndarray,
    household_has_fs: np.ndarray,
    months_used: np.ndarray,
    p: Any,
) -> np.ndarray:
    """Premium per person this month, SEK/month.

    >>> from types import SimpleNamespace as P
    >>> p = P(in_force=1.0, rate=0.15, max_sek_month=3750, max_months=18)
    >>> jobbpremie(earnings=np.array([20000.0, 30000.0, 20000.0, 20000.0, 0.0]),
    ...     is_eligible=np.array([True, True, True, False, True]),
    ...     household_has_fs=np.array([False, False, True, False, False]),
    ...     months_used=np.array([0, 17, 0, 0, 0]), p=p).tolist()
    [3000.0, 3750.0, 0.0, 0.0, 0.0]
    """
    paid = (
        (p.in_force > 0)
        & is_eligible
        & (earnings > 0)
        & ~household_has_fs
        & (months_used < p.max_months)
    )
    return np.where(paid, np.minimum(p.rate * earnings, p.max_sek_month), 0.0)
