"""The bidragstak's fourth-child rule on the riksnorm, household by household.

Under the bidragstak the personal cost of a household's fourth and later children is
reduced (:func:`sim.rules.bidragstak.fourth_child_rule`: children ranked by the reading
``order``, :class:`sim.rules.bidragstak.FourthChildOrder`). The rule can reach only
households with at least ``fourth_child_rank`` children; their children's personal costs
(the riksnorm's times ``child_factor``, the modernised norm's factor on children) are added
again less what the rule takes, which is kept as ``reduction``. Every other household keeps
its riksnorm. This module only runs the rule for every household (in ranges of households
on several threads, :func:`sim.engine.chunks.in_household_ranges`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from sim.common.jit import jit
from sim.engine.chunks import Chunks, by_household, in_household_ranges
from sim.rules import bidragstak, riksnorm


class FourthChildRule(NamedTuple):
    """Household arrays, SEK/month: the children's personal costs after the rule, what the
    rule took away, and the riksnorm's total with the children's costs after the rule."""

    personal_children: np.ndarray
    reduction: np.ndarray
    total: np.ndarray


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
    chunks: Chunks = None,
) -> FourthChildRule:
    """The rule for every household (see the module docstring).

    Person arrays: ``household_idx``, ``is_child``, ``age``, ``has_preschool_lunch``;
    household arrays: ``n_children`` and ``n_adults`` (all children and adults), the
    riksnorm's parts before the rule (``personal_children``, ``personal_adults``,
    ``common``, the children's already times ``child_factor``); the law's riksnorm and
    bidragstak sections; the reading ``order`` and the modernised norm's ``child_factor``.
    The households run in as many ranges as ``chunks`` (:data:`sim.engine.chunks.Chunks`).

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
    persons = (is_child, np.ascontiguousarray(age, dtype=np.float64), has_preschool_lunch)
    households = (n_children, n_adults, personal_children, personal_adults, common)
    if any(values.shape != (n_persons,) for values in persons) or any(
        values.shape != (n,) for values in households
    ):
        raise ValueError("fourth_child_rule: person or household arrays of different lengths")
    starts, persons = by_household(household_idx, n, persons)
    out = FourthChildRule(*(np.empty(n) for _ in FourthChildRule._fields))
    inputs = (
        starts,
        persons,
        households,
        riksnorm.riksnorm_law(riksnorm_law),
        bidragstak.fourth_child_law(bidragstak_law),
        int(order),
        float(child_factor),
    )
    in_household_ranges(_fourth_child, n, inputs, tuple(out), chunks)
    return out


@jit
def _fourth_child(
    first, last, starts, persons, households, riksnorm_law, law, order, child_factor, out
):  # pragma: no cover
    """Households ``first:last`` of :func:`fourth_child_rule`."""
    is_child, age, has_preschool_lunch = persons
    n_children, n_adults, personal_children, personal_adults, common = households
    after, reduction, total = out
    largest = 0
    for h in range(first, last):
        largest = max(largest, starts[h + 1] - starts[h])
    costs, keys = np.empty(largest), np.empty(largest)  # room for a household's children
    for h in range(first, last):
        children_cost = personal_children[h]
        taken = 0.0
        if n_children[h] >= law.rank_from:  # most households: the rule cannot reach them
            start, end = starts[h], starts[h + 1]
            children_cost, taken = bidragstak.fourth_child_rule(
                age[start:end],
                is_child[start:end],
                has_preschool_lunch[start:end],
                n_adults[h] == 1,
                order,
                child_factor,
                riksnorm_law,
                law,
                costs,
                keys,
            )
        after[h] = children_cost
        reduction[h] = taken
        total[h] = children_cost + personal_adults[h] + common[h]
