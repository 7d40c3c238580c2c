"""Jobbstimulans, the "särskild beräkningsregel" of SoL (2025:400) 12 kap. 8 §.

For a person who has had försörjningsstöd six months in a row, 25 % of income from
employment is not counted, for two years; then six months in a row are needed again. It
does not apply to children's and school youths' earnings (those follow 12 kap. 9 §).
Applied to net pay, as municipal systems do (law.md §1.1: the gross/net question is [U]).
Eligibility is tracked per household: the months of receipt are the household's.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def jobbstimulans_applies(
    *, months_on_fs: np.ndarray, jobbstimulans_months_used: np.ndarray, p: Any
) -> np.ndarray:
    """True where the rule applies this month.

    It starts after ``required_months`` consecutive months with FS and then runs for
    ``duration_months`` (counted in ``jobbstimulans_months_used``).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).jobbstimulans
    >>> jobbstimulans_applies(months_on_fs=np.array([5, 6, 0, 30]),
    ...     jobbstimulans_months_used=np.array([0, 0, 10, 24]), p=p).tolist()
    [False, True, True, False]
    """
    started = (jobbstimulans_months_used > 0) | (months_on_fs >= p.required_months)
    return started & (jobbstimulans_months_used < p.duration_months)


def jobbstimulans_disregard(
    *, net_earnings_adults: np.ndarray, applies: np.ndarray, p: Any
) -> np.ndarray:
    """The part of the adults' net earnings that is not counted, per household, SEK/month.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).jobbstimulans
    >>> jobbstimulans_disregard(net_earnings_adults=np.array([8000.0, 8000.0]),
    ...     applies=np.array([True, False]), p=p).tolist()
    [2000.0, 0.0]
    """
    return np.where(applies, p.disregarded_share * net_earnings_adults, 0.0)
