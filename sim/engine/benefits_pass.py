"""The benefits a household gets before försörjningsstöd, for one law, in one pass.

The engine's benefit step (:func:`sim.engine.pipeline.compute_laws`): barnbidrag with studiebidrag
and flerbarnstillägg (:mod:`sim.rules.barnbidrag`), underhållsstöd
(:mod:`sim.rules.underhallsstod`), and bostadsbidrag with its tilläggsbidrag for families
with children (:mod:`sim.rules.bostadsbidrag`). Försörjningsstöd counts them all as income
(SoL 12 kap. 1 §), so they come first.

:func:`benefits_by_rules` composes the rules' numpy functions: it is the readable statement
of the step and the reference the compiled pass is tested against. :func:`benefits` gives
the same numbers, bit for bit, in one compiled (numba) pass over the persons and one over
the households; in numpy the step was about 30 passes and gathers, a fifth of the engine's
one-month time (docs/performance.md). A change to one of those rules is made here too;
``tests/test_benefits.py`` fails until it is.

The compiled pass reads the rules' tables at whole numbers (a child's age, the number of
children). Inputs it does not cover (an underhållsstöd child whose age is not a whole number
of years, a household with more than :data:`MAX_CHILDREN_COMPILED` barnbidrag children)
take the numpy path, so the numbers are the rules' in every case.
"""

from __future__ import annotations

import functools
import math
from typing import Any, NamedTuple

import numba
import numpy as np

from sim.engine.chunks import Chunks, bounds_of, readonly
from sim.law.parameters import whole_numbers
from sim.rules import barnbidrag, bostadsbidrag, underhallsstod
from sim.rules.households import household_sum

#: The most barnbidrag children of one household the compiled pass's flerbarnstillägg table
#: holds; a household with more takes the numpy path.
MAX_CHILDREN_COMPILED = 63


class Benefits(NamedTuple):
    """Household arrays of the step, SEK/month."""

    barnbidrag: np.ndarray
    flerbarnstillagg: np.ndarray
    barnbidrag_total: np.ndarray
    underhallsstod: np.ndarray
    bostadsbidrag: np.ndarray
    tillaggsbidrag: np.ndarray
    bostadsbidrag_total: np.ndarray


def benefits_by_rules(
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
) -> Benefits:
    """The step from the rules' numpy functions (see the module docstring).

    Person arrays: ``household_idx``, ``is_child``, ``age`` (whole years),
    ``is_in_school``, ``receives_underhallsstod``, ``taxable`` (earnings and taxable
    benefits, SEK/month) and ``etableringsersattning``; household arrays: ``is_cohabiting``
    and ``housing_cost``; the law's three sections.
    """
    n = housing_cost.size
    adults, children = np.flatnonzero(~is_child), np.flatnonzero(is_child)
    child_idx = household_idx[children]
    child_age = age[children]
    whole = whole_numbers(child_age)
    child_age = child_age if whole is None else whole
    # Both are paid for children only: their rows alone give the same counts and sums.
    all_children = np.ones(children.size, dtype=bool)
    bb = barnbidrag.barnbidrag(
        household_idx=child_idx,
        age=child_age,
        is_child=all_children,
        is_in_school=is_in_school[children],
        n_households=n,
        p=barnbidrag_law,
    )
    uhs = underhallsstod.underhallsstod(
        household_idx=child_idx,
        age=child_age,
        is_child=all_children,
        receives_underhallsstod=receives_underhallsstod[children],
        n_households=n,
        p=underhallsstod_law,
    )
    # Bostadsbidrag is paid to families with children only (the rule gives 0 without): it is
    # computed for those households, from their adults' incomes (children's do not count),
    # the same numbers as for every household.
    is_family = bb["n_children"] > 0
    families = np.flatnonzero(is_family)
    family_adults = adults[is_family[household_idx[adults]]]
    family_adult_idx = household_idx[family_adults]
    adult_income = taxable[family_adults] + etableringsersattning[family_adults]
    over_limit = bostadsbidrag.income_over_limit(
        income_sek_year=12.0 * adult_income,
        is_adult=np.ones(family_adults.size, dtype=bool),
        is_cohabiting=is_cohabiting[family_adult_idx],
        p=bostadsbidrag_law,
    )
    income_over_limit = household_sum(over_limit, household_idx=family_adult_idx, n_households=n)
    bostad = bostadsbidrag.bostadsbidrag(
        n_children=bb["n_children"][families],
        housing_cost=housing_cost[families],
        income_over_limit_sek_year=income_over_limit[families],
        p=bostadsbidrag_law,
    )
    return Benefits(
        barnbidrag=bb["barnbidrag"],
        flerbarnstillagg=bb["flerbarnstillagg"],
        barnbidrag_total=bb["total"],
        underhallsstod=uhs,
        bostadsbidrag=_scattered(bostad["bostadsbidrag"], families, n),
        tillaggsbidrag=_scattered(bostad["tillaggsbidrag"], families, n),
        bostadsbidrag_total=_scattered(bostad["total"], families, n),
    )


def _scattered(values: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """An array of ``n`` zeros with ``values`` at ``rows``."""
    out = np.zeros(n)
    out[rows] = values
    return out


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
    """:func:`benefits_by_rules`, the same numbers, compiled (see the module docstring).

    Persons grouped by household run in ``chunks`` on numba's threads
    (:data:`sim.engine.chunks.Chunks`), and the households in as many ranges.

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
    arguments = dict(
        household_idx=household_idx,
        is_child=is_child,
        age=age,
        is_in_school=is_in_school,
        receives_underhallsstod=receives_underhallsstod,
        taxable=taxable,
        etableringsersattning=etableringsersattning,
        is_cohabiting=is_cohabiting,
        housing_cost=housing_cost,
        barnbidrag_law=barnbidrag_law,
        underhallsstod_law=underhallsstod_law,
        bostadsbidrag_law=bostadsbidrag_law,
    )
    n_persons, n = household_idx.size, housing_cost.size
    persons = (
        household_idx,
        is_child,
        np.ascontiguousarray(age, dtype=np.float64),
        is_in_school,
        receives_underhallsstod,
        np.ascontiguousarray(taxable, dtype=np.float64),
        np.ascontiguousarray(etableringsersattning, dtype=np.float64),
    )
    if any(values.shape != (n_persons,) for values in persons) or is_cohabiting.shape != (n,):
        raise ValueError("benefits: person and household arrays of different lengths")
    households = (is_cohabiting, np.ascontiguousarray(housing_cost, dtype=np.float64))
    tables, scalars = _law_tables(barnbidrag_law, underhallsstod_law, bostadsbidrag_law)
    bounds = bounds_of(household_idx, chunks)
    persons, households = readonly((persons, households))  # one compiled version
    if bounds.size > 2:
        ranges = np.linspace(0, n, min(bounds.size - 1, n) + 1).astype(np.int64)
        out, status = _benefits_on_threads(
            *readonly((bounds, ranges)), persons, households, tables, scalars
        )
    else:
        out, status = _benefits(persons, households, tables, scalars)
    if status == _OUTSIDE:
        raise ValueError("a person's household_idx points outside the households")
    if status == _NOT_COVERED:
        return benefits_by_rules(**arguments)
    return Benefits(*out)


@functools.lru_cache(maxsize=8)
def _law_tables(barnbidrag_law: Any, underhallsstod_law: Any, bostadsbidrag_law: Any) -> tuple:
    """The rules' tables at whole numbers and their scalars, as the kernels read them
    (cached by the law's sections: the last few used)."""
    ages = np.arange(math.ceil(underhallsstod_law.age_limit))
    max_children = int(bostadsbidrag_law.max_children)
    counted = np.arange(max_children + 1)
    tables = (
        # A household's flerbarnstillägg by its number of children, as the rule adds it.
        barnbidrag.flerbarnstillagg_for_count(
            np.arange(MAX_CHILDREN_COMPILED + 1), p=barnbidrag_law
        ),
        underhallsstod_law.amount.lookup("amount", ages).astype(np.float64),
        bostadsbidrag_law.housing_cost_cap.lookup("cap", counted).astype(np.float64),
        bostadsbidrag_law.sarskilt_bidrag.lookup("amount", counted).astype(np.float64),
    )
    for table in tables:
        table.flags.writeable = False  # shared by every caller of the cache
    b = bostadsbidrag_law
    scalars = (
        float(barnbidrag_law.age_limit),
        float(barnbidrag_law.studiebidrag_age_limit),
        float(barnbidrag_law.amount_per_child),
        float(underhallsstod_law.age_limit),
        float(b.income_limit_single),
        float(b.income_limit_spouse),
        float(max_children),
        float(b.housing_share),
        float(b.housing_cost_floor),
        float(b.reduction_rate),
        float(b.minimum_annual),
        float(b.rounding_step),
        float(b.tillaggsbidrag_share),
    )
    return tables, scalars


#: The kernels' status, the worst one kept: every person and household computed, an input
#: the compiled pass does not cover (the numpy path takes it), a household index outside
#: the households (an error, whatever else the persons hold).
_DONE, _NOT_COVERED, _OUTSIDE = 0, 1, 2


@numba.njit(cache=True, nogil=True)
def _sums(n_households):  # pragma: no cover
    """Per household: barnbidrag children, underhållsstöd, adults' income over the limit."""
    return (
        np.zeros(n_households, dtype=np.int64),
        np.zeros(n_households),
        np.zeros(n_households),
    )


@numba.njit(cache=True, nogil=True)
def _outputs(sums):  # pragma: no cover
    """The arrays of :class:`Benefits`, in its order (underhållsstöd: its sums)."""
    n = sums[0].size
    return (np.empty(n), np.empty(n), np.empty(n), sums[1], np.empty(n), np.empty(n), np.empty(n))


@numba.njit(cache=True, nogil=True)
def _benefits(persons, households, tables, scalars):  # pragma: no cover
    """Every person and household on this thread; the outputs and the status."""
    sums = _sums(households[0].size)
    out = _outputs(sums)
    status = _add_persons(0, persons[0].size, persons, households, tables, scalars, sums)
    if status == _DONE:
        status = _households(0, households[0].size, sums, households, tables, scalars, out)
    return out, status


@numba.njit(cache=True, nogil=True, parallel=True)
def _benefits_on_threads(bounds, ranges, persons, households, tables, scalars):  # pragma: no cover
    """The persons ``bounds[c]:bounds[c + 1]`` (no household in two), then the households
    ``ranges[c]:ranges[c + 1]``, on numba's threads; the outputs and the worst status."""
    sums = _sums(households[0].size)
    out = _outputs(sums)
    person_status = np.zeros(bounds.size - 1, dtype=np.int64)
    for c in numba.prange(bounds.size - 1):
        person_status[c] = _add_persons(
            bounds[c], bounds[c + 1], persons, households, tables, scalars, sums
        )
    status = person_status.max()
    if status != _DONE:
        return out, status
    household_status = np.zeros(ranges.size - 1, dtype=np.int64)
    for c in numba.prange(ranges.size - 1):
        household_status[c] = _households(
            ranges[c], ranges[c + 1], sums, households, tables, scalars, out
        )
    return out, household_status.max()


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _add_persons(start, end, persons, households, tables, scalars, sums):  # pragma: no cover
    """Persons ``start:end`` added to their households' sums (:func:`_sums`); the status."""
    household_idx, is_child, age, in_school, receives_uhs, taxable, etablering = persons
    is_cohabiting = households[0]
    uhs_by_age = tables[1]
    bb_age_limit, sb_age_limit, _, uhs_age_limit, limit_single, limit_spouse = scalars[:6]
    n_children, uhs, over_limit = sums
    n_households = n_children.size
    status = _DONE
    for i in range(start, end):
        h = household_idx[i]
        if h < 0 or h >= n_households:  # compiled code does not check an index itself
            return _OUTSIDE
        a = age[i]
        if is_child[i]:
            # barnbidrag.is_barnbidrag_child
            if (a < bb_age_limit) | (in_school[i] & (a < sb_age_limit)):
                n_children[h] += 1
            # underhallsstod.underhallsstod_per_child, added for every child as np.bincount
            amount = 0.0
            if receives_uhs[i] & (a < uhs_age_limit):
                if a >= 0.0 and a == np.floor(a) and a < uhs_by_age.size:
                    amount = uhs_by_age[int(a)]
                else:
                    status = _NOT_COVERED  # the persons' indexes are still checked
            uhs[h] += amount
        else:
            # bostadsbidrag.income_over_limit of 12 × (taxable + etableringsersättning)
            limit = limit_spouse if is_cohabiting[h] else limit_single
            over = 12.0 * (taxable[i] + etablering[i]) - limit
            over_limit[h] += _maximum(0.0, over)
    return status


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _households(start, end, sums, households, tables, scalars, out):  # pragma: no cover
    """Households ``start:end``: barnbidrag and bostadsbidrag from their sums; the status."""
    housing_cost = households[1]
    flerbarnstillagg_by_count, _, cap_by_count, sarskilt_by_count = tables
    (
        _,
        _,
        amount_per_child,
        _,
        _,
        _,
        max_children,
        housing_share,
        housing_floor,
        reduction_rate,
        minimum_annual,
        rounding_step,
        tillagg_share,
    ) = scalars
    n_children, _, over_limit = sums
    bb, flerbarn, bb_total, _, bostad, tillagg, bostad_total = out
    for h in range(start, end):
        count = n_children[h]
        if count >= flerbarnstillagg_by_count.size:
            return _NOT_COVERED
        # barnbidrag.barnbidrag
        amount = count * amount_per_child
        supplement = flerbarnstillagg_by_count[count]
        bb[h] = amount
        flerbarn[h] = supplement
        bb_total[h] = amount + supplement
        # bostadsbidrag.bostadsbidrag, for families (0 elsewhere)
        monthly = 0.0
        extra = 0.0
        total = 0.0
        if count > 0:
            counted = int(min(count, max_children))
            housing_part = housing_share * _maximum(
                0.0, _minimum(housing_cost[h], cap_by_count[counted]) - housing_floor
            )
            annual = 12.0 * (housing_part + sarskilt_by_count[counted])
            annual = annual - reduction_rate * over_limit[h]
            if not annual >= minimum_annual:
                annual = 0.0
            monthly = np.floor(annual / 12.0 / rounding_step) * rounding_step
            extra = tillagg_share * monthly
            total = monthly + extra
        bostad[h] = monthly
        tillagg[h] = extra
        bostad_total[h] = total
    return _DONE


@numba.njit(cache=True, nogil=True, inline="always")
def _maximum(a, b):  # pragma: no cover
    """``np.maximum(a, b)``: NaN if either is, else the larger, ``b`` where they are equal."""
    if a != a:
        return a
    return a if a > b else b


@numba.njit(cache=True, nogil=True, inline="always")
def _minimum(a, b):  # pragma: no cover
    """``np.minimum(a, b)``: NaN if either is, else the smaller, ``b`` where they are equal."""
    if a != a:
        return a
    return a if a < b else b
