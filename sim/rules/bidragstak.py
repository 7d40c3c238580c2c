"""Bidragstaket (prop. 2025/26:201, from 2027-01-01) and the SOU 2025:15 alternatives.

Three parts, each behind a switch in sim/law/params/bidragstak.yaml:

1. *Modernised riksnorm*: the norm is built on a reference value from price surveys, with
   "vissa ändringar i riksnormens kostnadsposter" (lagrådsremiss, Dec 2025). Until the
   official modernised table is in the law files (``sim/law/params/riksnorm.yaml``, dated
   entries with ``modernised`` 1: :func:`sim.law.projection.split_modernised_riksnorm`), the
   change is modelled by component, each a named assumption in
   sim/law/assumptions/bidragstak.yaml: the single adult's personal cost, the cohabiting
   adults', the children's and the common household cost (:func:`modernised_norm_factors`),
   calibrated jointly to the government's typfall (``sim/bidragstak_calibration.py``,
   docs/reforms.md §2.1.1).
2. *Fourth-child rule*: the personal cost of the fourth and later children is reduced by
   75 % (couples) or 40 % (single parents), phased in during 2027
   (:func:`fourth_child_rule`). Which child is "the fourth" is not public: the reading is
   the assumption ``bidragstak.fourth_child_order`` (:class:`FourthChildOrder`).
3. *No amounts above the norm* "som huvudregel": municipal top-ups for särskilda skäl are
   no longer given, except an assumed share of exceptions (:func:`counted_norm_topup`).

SOU 2025:15 model A caps all benefits at 80 % of what the household would have at a
22 000 kr wage (:func:`sou_cap_reduction`); model B halves the personal cost from the
fourth child (the fourth-child rule with 50 %/50 %).
"""

from __future__ import annotations

import enum
import functools
from typing import Any, NamedTuple

import numpy as np

from sim.common.jit import jit
from sim.rules.riksnorm import RiksnormLaw, child_personal_cost


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


class FourthChildLaw(NamedTuple):
    """The fourth-child rule (part 2) as the compiled rules read it (:func:`fourth_child_law`)."""

    #: The rank from which a child's personal cost is reduced (the fourth).
    rank_from: float
    reduction_couple: float
    reduction_single: float
    #: The share of the reduction in force (phased in during 2027).
    phase: float
    #: The switch: 1 where the rule applies.
    rule: float


@functools.lru_cache(maxsize=16)
def fourth_child_law(p: Any) -> FourthChildLaw:
    """The law's ``bidragstak`` section as a :class:`FourthChildLaw` (cached)."""
    return FourthChildLaw(
        rank_from=float(p.fourth_child_rank),
        reduction_couple=float(p.fourth_child_reduction_couple),
        reduction_single=float(p.fourth_child_reduction_single),
        phase=float(p.fourth_child_phase),
        rule=float(p.fourth_child_rule),
    )


#: The readings as plain integers (compile-time constants of the compiled rules).
_BIRTH_ORDER = int(FourthChildOrder.BIRTH_ORDER)
_AVERAGE = int(FourthChildOrder.AVERAGE)


@jit(inline="always")
def child_order_key(age: float, cost: float, order: int) -> float:  # pragma: no cover
    """The key children are ranked by (ascending) under the reading ``order``.

    Most expensive: the cheapest first, equal costs the youngest first, so the most
    expensive (and among equals the oldest) get the ranks from the fourth. Birth order: the
    oldest first (ages are whole years up to 20 and costs whole kronor below 10⁶).

    >>> [child_order_key(age, cost, FourthChildOrder.MOST_EXPENSIVE)
    ...  for age, cost in ((3.0, 2760.0), (15.0, 5030.0), (9.0, 3880.0))]
    [276003.0, 503015.0, 388009.0]
    >>> child_order_key(15.0, 5030.0, FourthChildOrder.BIRTH_ORDER)
    -15.0
    """
    if order == _BIRTH_ORDER:
        return -age
    return cost * 100.0 + age


@jit(inline="always")
def child_rank(keys: np.ndarray, is_child: np.ndarray, j: int) -> int:  # pragma: no cover
    """The rank (1, 2, ...) of the household's child ``j`` among its children (``is_child``,
    one per person) by ascending ``keys`` (one per person, or more); equal keys in the
    persons' order.

    >>> keys = np.array([0.0, -3.0, -9.0, -6.0])  # an adult, then children of 3, 9 and 6
    >>> is_child = np.array([False, True, True, True])
    >>> [child_rank(keys, is_child, j) for j in (1, 2, 3)]
    [3, 1, 2]
    """
    rank = 1
    for k in range(is_child.size):
        if is_child[k] and (keys[k] < keys[j] or (keys[k] == keys[j] and k < j)):
            rank += 1
    return rank


@jit(inline="always")
def fourth_child_factor(
    rank: int, is_single_parent: bool, law: FourthChildLaw
) -> float:  # pragma: no cover
    """Factor on a child's personal cost under the fourth-child rule (1 if not affected):
    from the fourth child, 1 − the reduction (75 % for couples, 40 % for single parents)
    times the share phased in.

    >>> law = FourthChildLaw(rank_from=4.0, reduction_couple=0.75, reduction_single=0.40,
    ...     phase=1.0, rule=1.0)
    >>> [fourth_child_factor(rank, False, law) for rank in (3, 4, 5)]
    [1.0, 0.25, 0.25]
    >>> fourth_child_factor(4, True, law)
    0.6
    """
    if rank < law.rank_from:
        return 1.0
    reduction = law.reduction_single if is_single_parent else law.reduction_couple
    return 1.0 - reduction * law.phase * law.rule


@jit
def fourth_child_rule(
    age: np.ndarray,
    is_child: np.ndarray,
    has_preschool_lunch: np.ndarray,
    is_single_parent: bool,
    order: int,
    child_factor: float,
    riksnorm_law: RiksnormLaw,
    law: FourthChildLaw,
    costs: np.ndarray,
    keys: np.ndarray,
) -> tuple[float, float]:  # pragma: no cover
    """The fourth-child rule on one household: its children's personal costs after the
    rule and what the rule takes from them, SEK/month.

    ``age``, ``is_child``, ``has_preschool_lunch``: the household's persons, in their
    order. Each child's personal cost is the riksnorm's
    (:func:`sim.rules.riksnorm.child_personal_cost`) times ``child_factor`` (the
    modernised norm's factor on children); the rule takes ``(1 − factor) × base`` from each
    child ranked from the fourth under the reading ``order`` (:func:`child_order_key`,
    :func:`child_rank`, :func:`fourth_child_factor`), the base being the child's own cost,
    or under the average reading the household's mean child cost. ``costs`` and ``keys``:
    room for the children's costs and keys, at least the household's size (the caller's, so
    that no household allocates).

    >>> import datetime as dt
    >>> from sim.rules.riksnorm import riksnorm_law
    >>> from sim.scenarios.scenario import load_scenario
    >>> law = load_scenario("bidragstak").law(2027).resolve(dt.date(2027, 3, 1))
    >>> after, taken = fourth_child_rule(np.array([40.0, 12.0, 3.0, 9.0, 5.0, 7.0]),
    ...     np.array([False] + [True] * 5), np.zeros(6, dtype=bool), True,
    ...     FourthChildOrder.BIRTH_ORDER, 1.0, riksnorm_law(law.riksnorm),
    ...     fourth_child_law(law.bidragstak), np.empty(6), np.empty(6))
    >>> round(after, 6), round(taken, 6)
    (16916.0, 1174.0)

    A single parent with five children of 12, 3, 9, 5 and 7 years (personal costs 4 460,
    2 760, 3 880, 3 110 and 3 880 kr in 2027: 18 090 kr). Ranked from the oldest, the
    5-year-old is the fourth and the 3-year-old the fifth; a single parent's reduction is
    40 %, half of it in March 2027 (``fourth_child_phase``): 20 % of 3 110 + 2 760 kr is
    1 174 kr, leaving 16 916 kr.
    """
    size = age.size
    # Each child's cost and ranking key, once; the mean child cost (the average reading)
    # is a sum in the persons' order.
    cost_sum = 0.0
    count = 0
    for j in range(size):
        if is_child[j]:
            costs[j] = child_personal_cost(age[j], has_preschool_lunch[j], riksnorm_law)
            keys[j] = child_order_key(age[j], costs[j], order)
            cost_sum += costs[j] * child_factor
            count += 1
    mean = cost_sum / max(count, 1)
    children_cost = 0.0
    taken = 0.0
    for j in range(size):
        if is_child[j]:
            factor = fourth_child_factor(child_rank(keys, is_child, j), is_single_parent, law)
            cost = costs[j] * child_factor
            base = mean if order == _AVERAGE else cost
            child_taken = (1.0 - factor) * base
            children_cost += cost - child_taken
            taken += child_taken
    return children_cost, taken


@jit
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
