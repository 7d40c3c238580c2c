"""The bidragstak's fourth-child rule on the riksnorm, household by household, in one pass.

Under the bidragstak the personal cost of a household's fourth and later children is
reduced (:func:`sim.rules.bidragstak.fourth_child_factor`; children ranked by the reading
``order``, :class:`sim.rules.bidragstak.FourthChildOrder`, :func:`sim.rules.bidragstak.child_rank`).
The rule can reach only households with at least ``fourth_child_rank`` children; their
children's personal costs (the riksnorm's, :func:`sim.rules.riksnorm.child_personal_cost`,
times ``child_factor``, the modernised norm's factor on children) are added again less what
the rule takes from each child ranked from the fourth: ``(1 − factor) × base``, the base
being the child's own cost, or under the average reading the household's mean child cost.
What the rule takes away is kept as ``reduction``.

:func:`fourth_child_rule_by_rules` composes the rules' numpy functions, as the engine did:
the readable statement and the reference ``tests/test_fourth_child.py`` compares with.
:func:`fourth_child_rule` gives the same numbers, bit for bit, in one compiled (numba) pass
over persons grouped by household: each large household's children are ranked among
themselves where they lie. In numpy the ranking needs a sort and the sums a gather of every
child's row (docs/performance.md). Persons not grouped by household, ages that are not
whole numbers or above the riksnorm's tables take the numpy path.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numba
import numpy as np

from sim.engine.chunks import readonly
from sim.engine.riksnorm_pass import child_cost_tables
from sim.law.parameters import whole_numbers
from sim.rules import bidragstak, riksnorm
from sim.rules.households import household_sum


class FourthChildRule(NamedTuple):
    """Household arrays, SEK/month: the children's personal costs after the rule, what the
    rule took away, and the riksnorm's total with the children's costs after the rule."""

    personal_children: np.ndarray
    reduction: np.ndarray
    total: np.ndarray


def fourth_child_rule_by_rules(
    *,
    household_idx: np.ndarray,
    is_child: np.ndarray,
    age: np.ndarray,
    has_preschool_lunch: np.ndarray,
    n_children: np.ndarray,
    n_adults: np.ndarray,
    personal_children: np.ndarray,
    personal_adults: np.ndarray,
    common: np.ndarray,
    riksnorm_law: Any,
    bidragstak_law: Any,
    order: int = bidragstak.FourthChildOrder.BIRTH_ORDER,
    child_factor: float = 1.0,
) -> FourthChildRule:
    """The rule from the rules' numpy functions (see the module docstring).

    Person arrays: ``household_idx``, ``is_child``, ``age``, ``has_preschool_lunch``;
    household arrays: ``n_children`` and ``n_adults`` (all children and adults), the
    riksnorm's parts before the rule (``personal_children``, ``personal_adults``,
    ``common``, the children's already times ``child_factor``); the law's riksnorm and
    bidragstak sections; the reading ``order`` and the modernised norm's ``child_factor``.
    """
    n = personal_children.size
    is_large = n_children >= bidragstak_law.fourth_child_rank
    households = np.flatnonzero(is_large)
    children = np.flatnonzero(is_child)
    rows = children[is_large[household_idx[children]]]
    child_idx = household_idx[rows]
    child_age = age[rows]
    whole = whole_numbers(child_age)
    child_age = child_age if whole is None else whole  # table lookups by whole years
    table_cost = riksnorm.child_personal_cost(
        age=child_age, has_preschool_lunch=has_preschool_lunch[rows], p=riksnorm_law
    )
    # A child's rank depends on its own household's children only, and no child of a
    # smaller household reaches the rank: they are ranked among themselves.
    rank = bidragstak.child_rank(
        household_idx=child_idx,
        age=child_age,
        is_child=np.ones(rows.size, dtype=bool),
        cost=table_cost,
        order=order,
    )
    factor = bidragstak.fourth_child_factor(
        rank=rank, is_single_parent=n_adults[child_idx] == 1, p=bidragstak_law
    )
    full_cost = table_cost * child_factor
    position = np.searchsorted(households, child_idx)

    def by_large_household(values: np.ndarray) -> np.ndarray:
        return household_sum(values, household_idx=position, n_households=households.size)

    base = full_cost
    if order == bidragstak.FourthChildOrder.AVERAGE:
        counts = np.bincount(position, minlength=households.size)
        base = (by_large_household(full_cost) / np.maximum(counts, 1))[position]
    taken = (1.0 - factor) * base
    # Every other household's children keep factor 1: their sums stay the riksnorm's.
    after = personal_children.copy()
    after[households] = by_large_household(full_cost - taken)
    reduction = np.zeros(n)
    reduction[households] = by_large_household(taken)
    return FourthChildRule(after, reduction, after + personal_adults + common)


def fourth_child_rule(
    *,
    household_idx: np.ndarray,
    is_child: np.ndarray,
    age: np.ndarray,
    has_preschool_lunch: np.ndarray,
    n_children: np.ndarray,
    n_adults: np.ndarray,
    personal_children: np.ndarray,
    personal_adults: np.ndarray,
    common: np.ndarray,
    riksnorm_law: Any,
    bidragstak_law: Any,
    order: int = bidragstak.FourthChildOrder.BIRTH_ORDER,
    child_factor: float = 1.0,
) -> FourthChildRule:
    """:func:`fourth_child_rule_by_rules`, the same numbers, compiled (module docstring).

    >>> import datetime as dt
    >>> from sim.scenarios.scenario import load_scenario
    >>> law = load_scenario("bidragstak").law(2027).resolve(dt.date(2027, 3, 1))
    >>> r = fourth_child_rule(household_idx=np.zeros(6, dtype=np.int64),
    ...     is_child=np.array([False] + [True] * 5),
    ...     age=np.array([40.0, 12.0, 3.0, 9.0, 5.0, 7.0]),
    ...     has_preschool_lunch=np.zeros(6, dtype=bool), n_children=np.array([5]),
    ...     n_adults=np.array([1]), personal_children=np.array([18_090.0]),
    ...     personal_adults=np.array([4_000.0]), common=np.array([2_680.0]),
    ...     riksnorm_law=law.riksnorm, bidragstak_law=law.bidragstak)
    >>> [round(float(values[0]), 6) for values in r]
    [16916.0, 1174.0, 23596.0]

    A single parent with five children of 12, 3, 9, 5 and 7 years (personal costs 4 460,
    2 760, 3 880, 3 110 and 3 880 kr in 2027: 18 090 kr). Ranked from the oldest, the
    5-year-old is the fourth and the 3-year-old the fifth; a single parent's reduction is
    40 %, half of it in 2027 (``fourth_child_phase``): 20 % of 3 110 + 2 760 kr is
    1 174 kr, leaving 16 916 kr; with 4 000 kr for the adult and 2 680 kr common cost for
    six persons, a riksnorm of 23 596 kr.
    """
    n_persons, n = household_idx.size, personal_children.size
    persons = (
        household_idx,
        is_child,
        np.ascontiguousarray(age, dtype=np.float64),
        has_preschool_lunch,
    )
    households = (n_children, n_adults, personal_children, personal_adults, common)
    if any(values.shape != (n_persons,) for values in persons) or any(
        values.shape != (n,) for values in households
    ):
        raise ValueError("fourth_child_rule: person or household arrays of different lengths")
    p = bidragstak_law
    scalars = (
        float(p.fourth_child_rank),
        float(p.fourth_child_reduction_single),
        float(p.fourth_child_reduction_couple),
        float(p.fourth_child_phase),
        float(p.fourth_child_rule),
        float(int(order)),
        float(child_factor),
    )
    tables = child_cost_tables(riksnorm_law)
    out, status = _fourth_child(*readonly((persons, households, tables)), scalars)
    if status == _OUTSIDE:
        raise ValueError("a person's household_idx points outside the households")
    if status == _NOT_COVERED:
        return fourth_child_rule_by_rules(
            household_idx=household_idx,
            is_child=is_child,
            age=age,
            has_preschool_lunch=has_preschool_lunch,
            n_children=n_children,
            n_adults=n_adults,
            personal_children=personal_children,
            personal_adults=personal_adults,
            common=common,
            riksnorm_law=riksnorm_law,
            bidragstak_law=bidragstak_law,
            order=order,
            child_factor=child_factor,
        )
    return FourthChildRule(*out)


#: The kernel's status, the worst one kept: done, an input it does not cover (the numpy
#: path takes it), a household index outside the households (an error).
_DONE, _NOT_COVERED, _OUTSIDE = 0, 1, 2
#: The readings as the kernel's float scalars (compile-time constants for numba).
_BIRTH_ORDER = float(bidragstak.FourthChildOrder.BIRTH_ORDER)
_AVERAGE = float(bidragstak.FourthChildOrder.AVERAGE)


@numba.njit(cache=True, nogil=True)
def _fourth_child(persons, households, tables, scalars):  # pragma: no cover
    """The rule over persons grouped by household; the outputs and the status."""
    household_idx, is_child, age, has_preschool_lunch = persons
    n_children, n_adults, personal_children, personal_adults, common = households
    with_lunch, without_lunch = tables
    rank_from, reduction_single, reduction_couple, phase, rule, order, child_factor = scalars
    n = personal_children.size
    after = personal_children.copy()
    reduction = np.zeros(n)
    total = np.empty(n)
    status = _DONE
    previous = -1
    start = 0
    keys, costs = np.empty(16), np.empty(16)
    while start < household_idx.size:
        h = household_idx[start]
        if h < 0 or h >= n:  # compiled code does not check an index itself
            return (after, reduction, total), _OUTSIDE
        if h < previous:
            status = max(status, _NOT_COVERED)  # not grouped: the numpy path
        previous = h
        if n_children[h] < rank_from:  # most households: the rule cannot reach them
            start += 1
            continue
        end = start + 1
        while end < household_idx.size and household_idx[end] == h:
            end += 1
        size = end - start
        if size > keys.size:  # scratch for the household's children, grown when needed
            keys, costs = np.empty(2 * size), np.empty(2 * size)
        # Each child's table cost and ranking key, once; every age must be a whole number
        # in the tables, else the numpy path. The mean child cost (the average reading) is
        # a sum in the persons' order, as numpy's bincount adds.
        covered = True
        cost_sum = 0.0
        count = 0
        for j in range(size):
            i = start + j
            if not is_child[i]:
                continue
            a = age[i]
            if not (a >= 0.0 and a == np.floor(a) and a < with_lunch.size):
                covered = False
                break
            costs[j] = without_lunch[int(a)] if has_preschool_lunch[i] else with_lunch[int(a)]
            keys[j] = _order_key(a, costs[j], order)
            cost_sum += costs[j] * child_factor
            count += 1
        if not covered:
            status = max(status, _NOT_COVERED)
            start = end
            continue
        mean = cost_sum / max(count, 1)
        # bidragstak.fourth_child_factor for a child ranked at least rank_from
        share = reduction_single if n_adults[h] == 1 else reduction_couple
        reduced = 1.0 - share * phase * rule
        children_cost = 0.0
        taken = 0.0
        for j in range(size):
            if not is_child[start + j]:
                continue
            # bidragstak.child_rank: ascending key, equal keys in the persons' order.
            rank = 1
            for k in range(size):
                if is_child[start + k] and (keys[k] < keys[j] or (keys[k] == keys[j] and k < j)):
                    rank += 1
            factor = reduced if rank >= rank_from else 1.0
            cost = costs[j] * child_factor
            base = mean if order == _AVERAGE else cost
            child_taken = (1.0 - factor) * base
            children_cost += cost - child_taken
            taken += child_taken
        after[h] = children_cost
        reduction[h] = taken
        start = end
    for h in range(n):
        total[h] = after[h] + personal_adults[h] + common[h]
    return (after, reduction, total), status


@numba.njit(cache=True, nogil=True, inline="always")
def _order_key(a, cost, order):  # pragma: no cover
    """bidragstak.child_order_key."""
    if order == _BIRTH_ORDER:
        return -a
    return cost * 100.0 + a
