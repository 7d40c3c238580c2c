"""Försörjningsstöd: the last-resort top-up to the norm (SoL (2025:400) 12 kap. 1 and 7 §§).

FS = max(0, riksnorm + skäliga kostnader − counted income), where counted income is every
net income of the household (:data:`COUNTED_INCOME`), including the benefits it is entitled
to first (barnbidrag, bostadsbidrag, underhållsstöd), less the jobbstimulans and
children's-earnings disregards. Whether it is paid depends on take-up, a modelled household
state.
"""

from __future__ import annotations

import numpy as np

from sim.common.jit import jit

#: The household's net incomes counted against the norm (12 kap. 1 §), in the order they
#: are added (the engine's names): the adults' net earnings, less the jobbstimulans'
#: disregard (12 kap. 8 §); the adults' other net income (taxable benefits after tax and
#: tax-free income); the children's earnings above their exempt amount (12 kap. 9 §); the
#: children's other income; barnbidrag with flerbarnstillägg and studiebidrag;
#: underhållsstöd; bostadsbidrag and its temporary tilläggsbidrag.
COUNTED_INCOME = (
    "net_earnings_adults",
    "net_other_adults",
    "counted_child",
    "child_other_income",
    "barnbidrag_total",
    "underhallsstod",
    "bostadsbidrag",
    "tillaggsbidrag",
)


@jit
def counted_income(
    incomes: tuple[np.ndarray, ...], h: int, jobbstimulans_disregard: float
) -> float:
    """The counted income of household ``h``, SEK/month (12 kap. 1 §): the amounts of
    :data:`COUNTED_INCOME` (household arrays, in its order) added in that order, the first,
    the adults' net earnings, less the jobbstimulans' disregard.

    >>> one = lambda value: np.array([value])
    >>> counted_income((one(8000.0), one(500.0), *(one(0.0),) * 5, one(300.0)), 0, 2000.0)
    6800.0
    """
    income = incomes[0][h] - jobbstimulans_disregard
    for k in range(1, len(incomes)):
        income += incomes[k][h]
    return income


@jit
def forsorjningsstod(
    riksnorm: float, norm_topup: float, skaliga_kostnader: float, counted_income: float
) -> float:
    """Entitlement to försörjningsstöd, SEK/month (12 kap. 1 §, the norm of 12 kap. 7 §
    första stycket 1 and any amount granted above it, and the costs of första stycket 2):
    what the counted income leaves of them uncovered, never negative.

    >>> forsorjningsstod(5220.0, 0.0, 6000.0, 10000.0), forsorjningsstod(5220.0, 0.0, 6000.0, 12000.0)
    (1220.0, 0.0)
    """
    need = riksnorm + norm_topup + skaliga_kostnader - counted_income
    return need if need > 0.0 else 0.0
