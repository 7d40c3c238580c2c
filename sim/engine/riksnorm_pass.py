"""The riksnorm of every household for one law, household by household.

The engine's norm step (:func:`sim.engine.pipeline.compute_laws`): each household's riksnorm and its
parts (SoL (2025:400) 12 kap. 7 § and SoF (2025:468) 12 kap. 2-3 §§): the children's
personal costs by age and förskola lunch, the adults' personal cost (ensamstående or sambo),
and the common household cost by size. The rules are the compiled functions of
:mod:`sim.rules.riksnorm`; this module only adds them up for every household, in ranges of
households on several threads (:func:`sim.engine.chunks.in_household_ranges`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from sim.common.jit import jit
from sim.engine.chunks import Chunks, by_household, in_household_ranges
from sim.rules import riksnorm


class Riksnorms(NamedTuple):
    """Household arrays of the step, SEK/month: the children's personal costs, the adults',
    the common household cost, and the riksnorm (their sum)."""

    personal_children: np.ndarray
    personal_adults: np.ndarray
    common: np.ndarray
    total: np.ndarray


def riksnorms(
    *,
    household_idx: np.ndarray,
    age: np.ndarray,
    is_child: np.ndarray,
    has_preschool_lunch: np.ndarray,
    is_cohabiting: np.ndarray,
    p: Any,
    chunks: Chunks = None,
) -> Riksnorms:
    """The riksnorm of every household under ``p`` (a riksnorm section of the law), before
    the bidragstak's rules. The households run in as many ranges as ``chunks``
    (:data:`sim.engine.chunks.Chunks`).

    >>> import datetime as dt
    >>> from sim.scenarios.scenario import load_scenario
    >>> p = load_scenario("baseline").law(2027).resolve(dt.date(2027, 3, 1)).riksnorm
    >>> r = riksnorms(household_idx=np.array([0, 0, 0, 1]), age=np.array([35.0, 2.0, 9.0, 70.0]),
    ...     is_child=np.array([False, True, True, False]),
    ...     has_preschool_lunch=np.array([False, True, False, False]),
    ...     is_cohabiting=np.array([False, False]), p=p)
    >>> r.total.tolist()
    [12540.0, 5300.0]

    The first household, from the 2027 tables: 2 840 kr for a 2-year-old with lunch in
    förskola, 3 880 kr for a 9-year-old, 4 000 kr for one adult and 1 820 kr common cost
    for three persons; the second, 4 000 kr and 1 300 kr.
    """
    n_persons, n = household_idx.size, is_cohabiting.size
    persons = (is_child, np.ascontiguousarray(age, dtype=np.float64), has_preschool_lunch)
    if any(values.shape != (n_persons,) for values in persons) or is_cohabiting.ndim != 1:
        raise ValueError("riksnorms: person arrays of different lengths")
    starts, persons = by_household(household_idx, n, persons)
    out = Riksnorms(*(np.empty(n) for _ in Riksnorms._fields))
    law = riksnorm.riksnorm_law(p)
    in_household_ranges(_riksnorms, n, (starts, persons, is_cohabiting, law), tuple(out), chunks)
    return out


@jit
def _riksnorms(first, last, starts, persons, is_cohabiting, law, out):  # pragma: no cover
    """Households ``first:last`` of :func:`riksnorms`."""
    is_child, age, has_preschool_lunch = persons
    personal_children, personal_adults, common, total = out
    for h in range(first, last):
        children = 0.0
        n_adults = 0
        for i in range(starts[h], starts[h + 1]):
            if is_child[i]:
                children += riksnorm.child_personal_cost(age[i], has_preschool_lunch[i], law)
            else:
                n_adults += 1
        adults = riksnorm.personal_cost_adults(n_adults, is_cohabiting[h], law)
        common_h = riksnorm.common_cost(starts[h + 1] - starts[h], law)
        personal_children[h] = children
        personal_adults[h] = adults
        common[h] = common_h
        total[h] = children + adults + common_h
