"""Försörjningsstöd: the last-resort top-up to the norm (SoL (2025:400) 12 kap. 1 and 7 §§).

FS = max(0, riksnorm + skäliga kostnader − counted income), where counted income is every
net income of the household, including the benefits it is entitled to first (barnbidrag,
bostadsbidrag, underhållsstöd), less the jobbstimulans and children's-earnings disregards.
Whether it is paid depends on take-up, a modelled household state.
"""

from __future__ import annotations

import numpy as np


def forsorjningsstod(
    *, riksnorm: np.ndarray, skaliga_kostnader: np.ndarray, counted_income: np.ndarray
) -> np.ndarray:
    """Entitlement to försörjningsstöd per household, SEK/month (never negative).

    >>> forsorjningsstod(riksnorm=np.array([5220.0, 5220.0]), skaliga_kostnader=np.array([6000.0, 6000.0]),
    ...     counted_income=np.array([10000.0, 12000.0])).tolist()
    [1220.0, 0.0]
    """
    return np.maximum(0.0, riksnorm + skaliga_kostnader - counted_income)
