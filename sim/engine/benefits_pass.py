"""The benefits a household gets before försörjningsstöd, for one law, household by household.

The engine's benefit step (:func:`sim.engine.pipeline.compute_laws`): barnbidrag with studiebidrag
and flerbarnstillägg (:mod:`sim.rules.barnbidrag`), underhållsstöd
(:mod:`sim.rules.underhallsstod`), and bostadsbidrag with its tilläggsbidrag for families
with children (:mod:`sim.rules.bostadsbidrag`). Försörjningsstöd counts them all as income
(SoL 12 kap. 1 §), so they come first.

The rules are stated once, as compiled functions of a child, an adult or a household in
``sim/rules/``; this module only runs them for every household, in the law's order (the
children with barnbidrag and each child's underhållsstöd, the adults' incomes above the
bostadsbidrag's limits; then the household's barnbidrag, flerbarnstillägg and
bostadsbidrag), in ranges of households on several threads
(:func:`sim.engine.chunks.in_household_ranges`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from sim.common.jit import jit
from sim.engine.chunks import Chunks, by_household, in_household_ranges
from sim.rules import barnbidrag, bostadsbidrag, underhallsstod


class Benefits(NamedTuple):
    """Household arrays of the step, SEK/month."""

    barnbidrag: np.ndarray
    flerbarnstillagg: np.ndarray
    barnbidrag_total: np.ndarray
    underhallsstod: np.ndarray
    bostadsbidrag: np.ndarray
    tillaggsbidrag: np.ndarray
    bostadsbidrag_total: np.ndarray


def benefits(
    *,
    household_idx: np.ndarray,
    is_child: np.ndarray,
    age: np.ndarray,
    is_in_school: np.ndarray,
    receives_underhallsstod: np.ndarray,
    taxable: np.ndarray,
    etableringsersattning: np.ndarray,
    is_cohabiting: np.ndarray,
    housing_cost: np.ndarray,
    barnbidrag_law: Any,
    underhallsstod_law: Any,
    bostadsbidrag_law: Any,
    chunks: Chunks = None,
) -> Benefits:
    """The benefit step for every household (see the module docstring).

    Person arrays: ``household_idx``, ``is_child``, ``age`` (years), ``is_in_school``,
    ``receives_underhallsstod``, ``taxable`` (earnings and taxable benefits, SEK/month) and
    ``etableringsersattning``; household arrays: ``is_cohabiting`` and ``housing_cost``;
    the law's three sections. The households run in as many ranges as ``chunks``
    (:data:`sim.engine.chunks.Chunks`).

    >>> import datetime as dt
    >>> from sim.scenarios.scenario import load_scenario
    >>> law = load_scenario("baseline").law(2027).resolve(dt.date(2027, 3, 1))
    >>> b = benefits(household_idx=np.array([0, 0, 0, 1]),
    ...     is_child=np.array([False, True, True, False]), age=np.array([35.0, 4.0, 9.0, 50.0]),
    ...     is_in_school=np.array([False, False, True, False]),
    ...     receives_underhallsstod=np.array([False, True, False, False]),
    ...     taxable=np.array([15_000.0, 0.0, 0.0, 30_000.0]), etableringsersattning=np.zeros(4),
    ...     is_cohabiting=np.array([False, False]), housing_cost=np.array([8_000.0, 7_000.0]),
    ...     barnbidrag_law=law.barnbidrag, underhallsstod_law=law.underhallsstod,
    ...     bostadsbidrag_law=law.bostadsbidrag)
    >>> b.barnbidrag_total.tolist(), b.underhallsstod.tolist(), b.bostadsbidrag.tolist()
    ([2650.0, 0.0], [1673.0, 0.0], [4700.0, 0.0])

    The first household: 2 × 1 250 kr barnbidrag and 150 kr flerbarnstillägg; underhållsstöd
    for a 4-year-old, 1 673 kr; bostadsbidrag 12 × (50 % × (7 900 − 1 400) + 2 000) = 63 000
    kr a year less 20 % of 12 × 15 000 − 150 000 kr, 57 000 kr: 4 750 kr a month, rounded
    down to hundreds. The second has no children, so none of them.
    """
    n_persons, n = household_idx.size, housing_cost.size
    persons = (
        is_child,
        np.ascontiguousarray(age, dtype=np.float64),
        is_in_school,
        receives_underhallsstod,
        np.ascontiguousarray(taxable, dtype=np.float64),
        np.ascontiguousarray(etableringsersattning, dtype=np.float64),
    )
    if any(values.shape != (n_persons,) for values in persons) or is_cohabiting.shape != (n,):
        raise ValueError("benefits: person and household arrays of different lengths")
    starts, persons = by_household(household_idx, n, persons)
    households = (is_cohabiting, np.ascontiguousarray(housing_cost, dtype=np.float64))
    laws = (
        barnbidrag.barnbidrag_law(barnbidrag_law),
        underhallsstod.underhallsstod_law(underhallsstod_law),
        bostadsbidrag.bostadsbidrag_law(bostadsbidrag_law),
    )
    out = Benefits(*(np.empty(n) for _ in Benefits._fields))
    in_household_ranges(_benefits, n, (starts, persons, households, *laws), tuple(out), chunks)
    return out


@jit
def _benefits(first, last, starts, persons, households, bb, uhs, bo, out):  # pragma: no cover
    """Households ``first:last`` of :func:`benefits`."""
    is_child, age, is_in_school, receives_uhs, taxable, etablering = persons
    is_cohabiting, housing_cost = households
    bb_out, flerbarn_out, bb_total, uhs_out, bo_out, tillagg_out, bo_total = out
    for h in range(first, last):
        n_children = 0  # with barnbidrag or studiebidrag
        uhs_sum = 0.0
        over_limit = 0.0  # the adults' bidragsgrundande inkomst above their limits
        for i in range(starts[h], starts[h + 1]):
            if is_child[i]:
                if barnbidrag.is_barnbidrag_child(age[i], is_in_school[i], bb):
                    n_children += 1
                uhs_sum += underhallsstod.underhallsstod(age[i], receives_uhs[i], uhs)
            else:
                income = 12.0 * (taxable[i] + etablering[i])  # simplification: 12 × the month
                over_limit += bostadsbidrag.income_over_limit(income, is_cohabiting[h], bo)
        amount = barnbidrag.barnbidrag(n_children, bb)
        supplement = barnbidrag.flerbarnstillagg(n_children, bb)
        bb_out[h] = amount
        flerbarn_out[h] = supplement
        bb_total[h] = amount + supplement
        uhs_out[h] = uhs_sum
        monthly = bostadsbidrag.bostadsbidrag(n_children, housing_cost[h], over_limit, bo)
        extra = bostadsbidrag.tillaggsbidrag(monthly, bo)
        bo_out[h] = monthly
        tillagg_out[h] = extra
        bo_total[h] = monthly + extra
