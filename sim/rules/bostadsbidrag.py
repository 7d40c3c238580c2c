"""Bostadsbidrag for families with children (SFB (2010:110) 96-97 kap.), monthly model.

The annual rule of 97 kap.: a housing part of 50 % of the housing cost between 1 400 kr and
a cap by number of children (18 §), plus särskilt bidrag för hemmavarande barn (22 §); never
for more than three children (17 §). The annual amount 12·(housing part + särskilt bidrag)
is reduced by 20 % of the bidragsgrundande inkomst above 150 000 kr for a single applicant,
or of each spouse's income above 75 000 kr (15 §), and not paid below 1 200 kr a year
(16 §). The preliminary monthly amount is rounded down to whole hundreds. A temporary
tilläggsbidrag (a share of it) was paid in 2024 and January-June 2025.

Simplifications, each stated in sim/law/params/bostadsbidrag.yaml: bidragsgrundande inkomst is
12 × the month's taxable income plus etableringsersättning; area limits (97:20-21) are
not applied; households without children are not modelled.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def income_over_limit(
    *, income_sek_year: np.ndarray, is_adult: np.ndarray, is_cohabiting: np.ndarray, p: Any
) -> np.ndarray:
    """Each adult's bidragsgrundande inkomst above the limit of 97:15, SEK/year.

    A single applicant's limit is 150 000 kr; each spouse or sambo has 75 000 kr. Children's
    incomes do not count (0). The household's reduction base is the sum over its adults.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).bostadsbidrag
    >>> income_over_limit(income_sek_year=np.array([180_000.0, 100_000.0, 50_000.0]),
    ...     is_adult=np.array([True, True, True]), is_cohabiting=np.array([False, True, True]),
    ...     p=p).tolist()
    [30000.0, 25000.0, 0.0]
    """
    limit = np.where(is_cohabiting, p.income_limit_spouse, p.income_limit_single)
    return np.where(is_adult, np.maximum(0.0, income_sek_year - limit), 0.0)


def bostadsbidrag(
    *,
    n_children: np.ndarray,
    housing_cost: np.ndarray,
    income_over_limit_sek_year: np.ndarray,
    p: Any,
) -> dict[str, np.ndarray]:
    """Bostadsbidrag and tilläggsbidrag per household, SEK/month.

    ``n_children``: children who qualify (hemmavarande with barnbidrag or studiebidrag).
    ``income_over_limit_sek_year``: the household's sum of :func:`income_over_limit`.
    Returns ``bostadsbidrag``, ``tillaggsbidrag`` and ``total``.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> p = default_law().resolve(dt.date(2026, 1, 1)).bostadsbidrag
    >>> r = bostadsbidrag(n_children=np.array([1, 2, 3, 5]), housing_cost=np.full(4, 9000.0),
    ...     income_over_limit_sek_year=np.zeros(4), p=p)
    >>> r["bostadsbidrag"].tolist()
    [4200.0, 5200.0, 6200.0, 6200.0]
    """
    # A whole-number bound keeps the counts integers (looked up once per count).
    counted_children = np.minimum(n_children, int(p.max_children))
    has_children = counted_children > 0
    cap = p.housing_cost_cap.lookup("cap", counted_children)
    housing_part = p.housing_share * np.maximum(
        0.0, np.minimum(housing_cost, cap) - p.housing_cost_floor
    )
    sarskilt = p.sarskilt_bidrag.lookup("amount", counted_children)
    annual = 12.0 * (housing_part + sarskilt) - p.reduction_rate * income_over_limit_sek_year
    annual = np.where(has_children & (annual >= p.minimum_annual), annual, 0.0)
    monthly = np.floor(annual / 12.0 / p.rounding_step) * p.rounding_step
    tillagg = p.tillaggsbidrag_share * monthly
    return {"bostadsbidrag": monthly, "tillaggsbidrag": tillagg, "total": monthly + tillagg}
