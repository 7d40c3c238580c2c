"""Bidragstaket (prop. 2025/26:201, from 2027-01-01) and the SOU 2025:15 alternatives.

Three parts, each behind a switch in sim/params/bidragstak.yaml:

1. *Modernised riksnorm*: the norm is built on a reference value from price surveys, with
   "vissa ändringar i riksnormens kostnadsposter" (lagrådsremiss, Dec 2025). Until the
   official modernised table is in the law files (``sim/params/riksnorm.yaml``, dated
   entries with ``modernised`` 1: :func:`sim.projection.split_modernised_riksnorm`), the
   change is modelled by component, each a named assumption in
   sim/assumptions/bidragstak.yaml: the single adult's personal cost, the cohabiting
   adults', the children's and the common household cost (:func:`modernised_norm_factors`),
   calibrated jointly to the government's typfall (``sim/bidragstak_calibration.py``,
   docs/reforms.md §2.1.1).
2. *Fourth-child rule*: the personal cost of the fourth and later children is reduced by
   75 % (couples) or 40 % (single parents), phased in during 2027
   (:func:`fourth_child_factor`). Which child is "the fourth" is not public: the reading is
   the assumption ``bidragstak.fourth_child_order`` (:class:`FourthChildOrder`).
3. *No amounts above the norm* "som huvudregel": municipal top-ups for särskilda skäl are
   no longer given, except an assumed share of exceptions (:func:`counted_norm_topup`).

SOU 2025:15 model A caps all benefits at 80 % of what the household would have at a
22 000 kr wage (:func:`sou_cap_reduction`); model B halves the personal cost from the
fourth child (the fourth-child rule with 50 %/50 %).
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

import numba
import numpy as np

from sim.rules.households import rank_within_household


class FourthChildOrder(enum.IntEnum):
    """Readings of "från och med det fjärde barnet" (assumption ``fourth_child_order``).

    The proposal reduces the personal cost "per barn från och med det fjärde barnet" (TT,
    Sep 2025); which of a large family's children that is, is not public (law.md §2.2).
    """

    #: The reduction falls on the children with the highest personal costs (children are
    #: ranked from the cheapest: the (n − 3) most expensive are "the fourth and later").
    MOST_EXPENSIVE = 0
    #: Birth order: children ranked from the oldest, so the youngest are the fourth and later.
    BIRTH_ORDER = 1
    #: Every child from the fourth counts at the household's average child cost (no ranking).
    AVERAGE = 2


class NormFactors(NamedTuple):
    """Factors on the riksnorm's parts under the modernised norm (1 where it does not apply)."""

    single_adult: float
    cohabiting_adults: float
    children: float
    common: float


def modernised_norm_factors(*, p: Any, a: Any, table_is_modernised: bool = False) -> NormFactors:
    """The modernised norm's factor on each part of the riksnorm (part 1).

    ``p``: the bidragstak's law section; ``a``: its assumptions. Each factor is 1 − the
    assumed cut of that part where the modernised norm applies, and 1 otherwise. Where the
    law files hold the official modernised table (``table_is_modernised``) the table is the
    norm and no cut applies.

    >>> from types import SimpleNamespace as P
    >>> a = P(norm_cut_single_adult=0.05, norm_cut_cohabiting_adults=0.04,
    ...       norm_cut_children=0.06, norm_cut_common=0.1)
    >>> modernised_norm_factors(p=P(modernised_riksnorm=1.0), a=a)
    NormFactors(single_adult=0.95, cohabiting_adults=0.96, children=0.94, common=0.9)
    >>> modernised_norm_factors(p=P(modernised_riksnorm=1.0), a=a, table_is_modernised=True)
    NormFactors(single_adult=1.0, cohabiting_adults=1.0, children=1.0, common=1.0)
    """
    on = 0.0 if table_is_modernised else float(p.modernised_riksnorm)
    return NormFactors(
        single_adult=1.0 - a.norm_cut_single_adult * on,
        cohabiting_adults=1.0 - a.norm_cut_cohabiting_adults * on,
        children=1.0 - a.norm_cut_children * on,
        common=1.0 - a.norm_cut_common * on,
    )


def child_order_key(*, age: np.ndarray, cost: np.ndarray, order: int) -> np.ndarray:
    """The key children are ranked by (ascending) under the reading ``order``.

    Most expensive: the cheapest first, equal costs the youngest first, so the most
    expensive (and among equals the oldest) get the ranks from the fourth. Birth order: the
    oldest first (ages are whole years up to 20 and costs whole kronor below 10⁶).

    >>> child_order_key(age=np.array([3, 15, 9]), cost=np.array([2760, 5030, 3880]),
    ...     order=FourthChildOrder.MOST_EXPENSIVE).tolist()
    [276003.0, 503015.0, 388009.0]
    >>> child_order_key(age=np.array([3, 15, 9]), cost=np.array([2760, 5030, 3880]),
    ...     order=FourthChildOrder.BIRTH_ORDER).tolist()
    [-3.0, -15.0, -9.0]
    """
    if order == FourthChildOrder.BIRTH_ORDER:
        return -np.asarray(age, dtype=np.float64)
    return np.asarray(cost, dtype=np.float64) * 100.0 + np.asarray(age, dtype=np.float64)


def child_rank(
    *,
    household_idx: np.ndarray,
    age: np.ndarray,
    is_child: np.ndarray,
    cost: np.ndarray | None = None,
    order: int = FourthChildOrder.BIRTH_ORDER,
) -> np.ndarray:
    """Rank of each child in its household under the reading ``order`` (1, 2, ...); 0 for
    adults. ``cost``: each person's personal cost (needed for the most-expensive reading).

    >>> child_rank(household_idx=np.array([0, 0, 0, 0]), age=np.array([40, 3, 9, 6]),
    ...     is_child=np.array([False, True, True, True])).tolist()
    [0, 3, 1, 2]
    >>> child_rank(household_idx=np.array([0, 0, 0, 0]), age=np.array([40, 3, 9, 6]),
    ...     is_child=np.array([False, True, True, True]),
    ...     cost=np.array([0, 2760, 3880, 3110]), order=FourthChildOrder.MOST_EXPENSIVE).tolist()
    [0, 1, 3, 2]
    """
    key = child_order_key(
        age=age, cost=np.zeros(np.shape(age)) if cost is None else cost, order=order
    )
    return rank_within_household(household_idx=household_idx, order_key=key, mask=is_child)


def fourth_child_factor(*, rank: np.ndarray, is_single_parent: np.ndarray, p: Any) -> np.ndarray:
    """Factor on each child's personal cost under the fourth-child rule (1 if not affected).

    >>> from types import SimpleNamespace as P
    >>> p = P(fourth_child_rule=1.0, fourth_child_rank=4, fourth_child_reduction_couple=0.75,
    ...       fourth_child_reduction_single=0.40, fourth_child_phase=1.0)
    >>> fourth_child_factor(rank=np.array([0, 3, 4, 5, 4]),
    ...     is_single_parent=np.array([False, False, False, False, True]), p=p).tolist()
    [1.0, 1.0, 0.25, 0.25, 0.6]
    """
    reduction = np.where(
        is_single_parent, p.fourth_child_reduction_single, p.fourth_child_reduction_couple
    )
    affected = rank >= p.fourth_child_rank
    return np.where(affected, 1.0 - reduction * p.fourth_child_phase * p.fourth_child_rule, 1.0)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def counted_norm_topup(norm_topup: float, topup_kept_factor: float) -> float:
    """Municipal amount above the norm that is still granted, SEK/month (part 3).

    Where part 3 applies only the exceptions remain: ``topup_kept_factor`` of today's
    amount (:func:`topup_kept_factor`).

    >>> from types import SimpleNamespace as P
    >>> counted_norm_topup(500.0, topup_kept_factor(p=P(no_topups=1.0), a=P(topup_kept_share=0.2)))
    100.0
    """
    return norm_topup * topup_kept_factor


def topup_kept_factor(*, p: Any, a: Any) -> float:
    """The share of today's amount above the norm still granted: all of it without part 3,
    ``topup_kept_share`` (the exceptions) where it applies, in between while it phases in.

    >>> from types import SimpleNamespace as P
    >>> topup_kept_factor(p=P(no_topups=0.5), a=P(topup_kept_share=0.2))
    0.6
    """
    return (1.0 - p.no_topups) + p.no_topups * a.topup_kept_share


def sou_cap_reduction(
    *, benefits: np.ndarray, reference_total: np.ndarray, fs: np.ndarray, p: Any
) -> np.ndarray:
    """SOU 2025:15 model A: the cut of FS that keeps benefits within the cap.

    ``benefits``: all transfers the household receives (net); ``reference_total``: its
    disposable income with one adult at the reference wage. The excess over
    ``sou_cap_share × reference_total`` is taken from FS, never more than FS.

    >>> from types import SimpleNamespace as P
    >>> sou_cap_reduction(benefits=np.array([30000.0, 10000.0]), reference_total=np.array([30000.0, 30000.0]),
    ...     fs=np.array([20000.0, 5000.0]), p=P(sou_cap=1.0, sou_cap_share=0.8)).tolist()
    [6000.0, 0.0]
    """
    excess = np.maximum(0.0, benefits - p.sou_cap_share * reference_total)
    return np.minimum(fs, excess) * p.sou_cap
