"""Skäliga kostnader outside the riksnorm: housing, hushållsel, hemförsäkring, work travel, fees.

SoL (2025:400) 12 kap. 7 § första stycket 2: försörjningsstöd covers reasonable costs for
boende, hushållsel, arbetsresor, hemförsäkring and membership of a trade union and an
a-kassa. The law sets no amounts. Actual costs are accepted, housing only up to the
municipality's reasonable level (an assumption: sim/law/assumptions/skaliga_kostnader.yaml).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sim.common.jit import jit
from sim.rules.tables import columns


class HousingLimits(NamedTuple):
    """The assumed reasonable housing costs as the compiled rules read them: the highest
    accepted cost (SEK/month) of the households from ``n_persons_from`` persons, and a
    scale on all of them."""

    n_persons_from: tuple[float, ...]
    limit: tuple[float, ...]
    scale: float


def housing_limits(a: Any) -> HousingLimits:
    """The :class:`HousingLimits` of the assumptions section ``a``
    (``assumptions.skaliga_kostnader``)."""
    return HousingLimits(*columns(a.housing_limit, "limit"), float(a.housing_limit_scale))


@jit
def housing_limit(n_persons: int, housing_limit_factor: float, limits: HousingLimits) -> float:
    """The household's highest reasonable housing cost, SEK/month (an assumption, not law):
    the limit of its size (the last row for larger ones), scaled, times its own factor.

    >>> from sim.law.assumptions import default_assumptions
    >>> limits = housing_limits(default_assumptions().skaliga_kostnader)
    >>> housing_limit(1, 1.0, limits), housing_limit(9, 1.2, limits)
    (5500.0, 14160.0)
    """
    limit = limits.limit[0]
    for k in range(1, len(limits.n_persons_from)):
        if n_persons >= limits.n_persons_from[k]:
            limit = limits.limit[k]
    return limit * limits.scale * housing_limit_factor


@jit
def housing_counted(housing_cost: float, housing_limit: float) -> float:
    """The housing cost accepted: the actual cost up to the limit, SEK/month.

    >>> housing_counted(7000.0, 6000.0), housing_counted(5000.0, 6000.0)
    (6000.0, 5000.0)
    """
    return min(housing_cost, housing_limit)


@jit
def skaliga_kostnader(
    housing: float,
    hushallsel: float,
    hemforsakring: float,
    arbetsresor: float,
    fack_akassa: float,
) -> float:
    """The reasonable costs of 12 kap. 7 § första stycket 2, SEK/month: the accepted housing
    cost and the others as they are.

    >>> skaliga_kostnader(6000.0, 400.0, 150.0, 0.0, 0.0)
    6550.0
    """
    return housing + hushallsel + hemforsakring + arbetsresor + fack_akassa
