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

Compiled functions of one adult and one household (:mod:`sim.common.jit`) reading the law as a
:class:`BostadsbidragLaw`; :mod:`sim.engine.benefits_pass` runs them for every household.
"""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

import numpy as np

from sim.common.jit import jit
from sim.rules.tables import columns, lookup


class BostadsbidragLaw(NamedTuple):
    """96-97 kap. as the compiled rules read it (:func:`bostadsbidrag_law`)."""

    income_limit_single: float
    income_limit_spouse: float
    max_children: int
    housing_share: float
    housing_cost_floor: float
    #: The housing cost's cap by the number of children (97:18): bounds and caps.
    housing_cost_cap_from: tuple[float, ...]
    housing_cost_cap: tuple[float, ...]
    #: Särskilt bidrag by the number of children (97:22): bounds and amounts.
    sarskilt_bidrag_from: tuple[float, ...]
    sarskilt_bidrag: tuple[float, ...]
    reduction_rate: float
    minimum_annual: float
    rounding_step: float
    tillaggsbidrag_share: float


@functools.lru_cache(maxsize=16)
def bostadsbidrag_law(p: Any) -> BostadsbidragLaw:
    """The law's ``bostadsbidrag`` section as a :class:`BostadsbidragLaw` (cached)."""
    cap_from, cap = columns(p.housing_cost_cap, "cap")
    sarskilt_from, sarskilt = columns(p.sarskilt_bidrag, "amount")
    return BostadsbidragLaw(
        income_limit_single=float(p.income_limit_single),
        income_limit_spouse=float(p.income_limit_spouse),
        # A whole-number bound keeps the counts integers.
        max_children=math.floor(p.max_children),
        housing_share=float(p.housing_share),
        housing_cost_floor=float(p.housing_cost_floor),
        housing_cost_cap_from=cap_from,
        housing_cost_cap=cap,
        sarskilt_bidrag_from=sarskilt_from,
        sarskilt_bidrag=sarskilt,
        reduction_rate=float(p.reduction_rate),
        minimum_annual=float(p.minimum_annual),
        rounding_step=float(p.rounding_step),
        tillaggsbidrag_share=float(p.tillaggsbidrag_share),
    )


@jit(inline="always")
def income_over_limit(
    income_sek_year: float, is_cohabiting: bool, law: BostadsbidragLaw
) -> float:  # pragma: no cover
    """An adult's bidragsgrundande inkomst above the limit of 97:15, SEK/year.

    A single applicant's limit is 150 000 kr; each spouse or sambo has 75 000 kr. Children's
    incomes do not count. The household's reduction base is the sum over its adults.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = bostadsbidrag_law(default_law().resolve(dt.date(2026, 1, 1)).bostadsbidrag)
    >>> income_over_limit(180_000.0, False, law), income_over_limit(100_000.0, True, law)
    (30000.0, 25000.0)
    >>> income_over_limit(50_000.0, True, law)
    0.0
    """
    limit = law.income_limit_spouse if is_cohabiting else law.income_limit_single
    over = income_sek_year - limit
    return over if over > 0.0 else 0.0


@jit(inline="always")
def bostadsbidrag(
    n_children: int, housing_cost: float, income_over_limit_sek_year: float, law: BostadsbidragLaw
) -> float:  # pragma: no cover
    """Bostadsbidrag of a family, SEK/month (97:15-18, 22; the preliminary monthly amount).

    ``n_children``: children who qualify (hemmavarande with barnbidrag or studiebidrag),
    counted up to three (97:17); ``income_over_limit_sek_year``: the household's sum of
    :func:`income_over_limit`. The annual amount 12 × (housing part + särskilt bidrag), less
    the reduction for income (97:15), is not paid below the minimum (97:16); a twelfth of
    it is rounded down to whole hundreds. 0 without children.

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = bostadsbidrag_law(default_law().resolve(dt.date(2026, 1, 1)).bostadsbidrag)
    >>> [bostadsbidrag(n, 9000.0, 0.0, law) for n in (1, 2, 3, 5)]
    [4200.0, 5200.0, 6200.0, 6200.0]
    >>> bostadsbidrag(0, 9000.0, 0.0, law)
    0.0
    """
    counted = min(n_children, law.max_children)
    if counted <= 0:
        return 0.0
    cap = lookup(law.housing_cost_cap_from, law.housing_cost_cap, counted)
    counted_cost = min(housing_cost, cap) - law.housing_cost_floor
    housing_part = law.housing_share * (counted_cost if counted_cost > 0.0 else 0.0)
    sarskilt = lookup(law.sarskilt_bidrag_from, law.sarskilt_bidrag, counted)
    annual = 12.0 * (housing_part + sarskilt) - law.reduction_rate * income_over_limit_sek_year
    if not annual >= law.minimum_annual:
        return 0.0
    return np.floor(annual / 12.0 / law.rounding_step) * law.rounding_step


@jit(inline="always")
def tillaggsbidrag(
    bostadsbidrag_sek_month: float, law: BostadsbidragLaw
) -> float:  # pragma: no cover
    """The temporary tilläggsbidrag on a bostadsbidrag, SEK/month: its share of the
    bostadsbidrag (40 % in 2024, 25 % in January-June 2025, else 0).

    >>> from sim.law.parameters import default_law; import datetime as dt
    >>> law = bostadsbidrag_law(default_law().resolve(dt.date(2024, 3, 1)).bostadsbidrag)
    >>> tillaggsbidrag(4200.0, law)
    1680.0
    """
    return law.tillaggsbidrag_share * bostadsbidrag_sek_month
