"""The riksnorm of every household for one law, in one pass over the persons.

The engine's norm step (:func:`sim.engine.pipeline.compute_laws`): each household's riksnorm and its
parts, as :func:`sim.rules.riksnorm.riksnorm` states them (SoL (2025:400) 12 kap. 7 § and
SoF (2025:468) 12 kap. 2-3 §§): the children's personal costs by age and förskola lunch,
the adults' personal cost (ensamstående or sambo), and the common household cost by size.

:func:`riksnorms` gives the rule's numbers, bit for bit, in one compiled (numba) pass over
the persons and one over the households; in numpy the step took about a dozen passes and
gathers (docs/performance.md). The rule stays the readable statement of the law and the
reference ``tests/test_riksnorms.py`` compares with; a change to it is made here too, and
the test fails until it is. The pass reads the rule's tables at whole numbers (a child's
age, the household's size); other inputs (an age that is not a whole number, a household
of more than :data:`MAX_PERSONS_COMPILED` persons) take the rule itself.
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import numba
import numpy as np

from sim.engine.chunks import Chunks, bounds_of, readonly
from sim.rules import riksnorm

#: The largest household the compiled pass's table of common costs holds.
MAX_PERSONS_COMPILED = 63
#: The oldest child the compiled pass's tables of personal costs hold (children are 20 at
#: most: sim.engine.entities.validate).
MAX_CHILD_AGE_COMPILED = 127


class Riksnorms(NamedTuple):
    """Household arrays of the step, SEK/month (:func:`sim.rules.riksnorm.riksnorm`)."""

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
    """:func:`sim.rules.riksnorm.riksnorm`, the same numbers, compiled (module docstring).

    Persons grouped by household run in ``chunks`` on numba's threads
    (:data:`sim.engine.chunks.Chunks`), and the households in as many ranges.

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
    arguments = dict(
        household_idx=household_idx,
        age=age,
        is_child=is_child,
        has_preschool_lunch=has_preschool_lunch,
        is_cohabiting=is_cohabiting,
        p=p,
    )
    n_persons, n = household_idx.size, is_cohabiting.size
    persons = (
        household_idx,
        is_child,
        np.ascontiguousarray(age, dtype=np.float64),
        has_preschool_lunch,
    )
    if any(values.shape != (n_persons,) for values in persons) or is_cohabiting.ndim != 1:
        raise ValueError("riksnorms: person arrays of different lengths")
    tables, scalars = _law_tables(p)
    bounds = bounds_of(household_idx, chunks)
    persons, is_cohabiting = readonly((persons, is_cohabiting))  # one compiled version
    if bounds.size > 2:
        ranges = np.linspace(0, n, min(bounds.size - 1, n) + 1).astype(np.int64)
        out, status = _riksnorms_on_threads(
            *readonly((bounds, ranges)), persons, is_cohabiting, tables, scalars
        )
    else:
        out, status = _riksnorms(persons, is_cohabiting, tables, scalars)
    if status == _OUTSIDE:
        raise ValueError("a person's household_idx points outside the households")
    if status == _NOT_COVERED:
        return riksnorms_by_rule(**arguments)
    return Riksnorms(*out)


def riksnorms_by_rule(**arguments: Any) -> Riksnorms:
    """The step by the rule itself (:func:`sim.rules.riksnorm.riksnorm`, the same keyword
    arguments): the compiled pass's reference, and its path for inputs beyond its tables."""
    return Riksnorms(**riksnorm.riksnorm(**arguments))


def child_cost_tables(p: Any) -> tuple[np.ndarray, np.ndarray]:
    """A child's personal cost by whole age from 0 to :data:`MAX_CHILD_AGE_COMPILED`, with
    lunch at home and with lunch in förskola (:func:`sim.rules.riksnorm.child_personal_cost`;
    read-only, cached by the law's section)."""
    tables, _ = _law_tables(p)
    return tables[0], tables[1]


@functools.lru_cache(maxsize=8)
def _law_tables(p: Any) -> tuple:
    """The rule's tables at whole numbers and its scalars (cached by the law's section)."""
    ages = np.arange(MAX_CHILD_AGE_COMPILED + 1)
    costs = p.personal_cost_child
    tables = (
        costs.lookup("with_lunch", ages).astype(np.float64),
        costs.lookup("without_lunch", ages).astype(np.float64),
        riksnorm.common_cost(n_persons=np.arange(MAX_PERSONS_COMPILED + 1), p=p).astype(np.float64),
    )
    for table in tables:
        table.flags.writeable = False  # shared by every caller of the cache
    return tables, (float(p.adult_single), float(p.adults_cohabiting))


#: The kernels' status, the worst one kept: every person and household computed, an input
#: the compiled pass does not cover (the rule takes it), a household index outside the
#: households (an error, whatever else the persons hold).
_DONE, _NOT_COVERED, _OUTSIDE = 0, 1, 2


@numba.njit(cache=True, nogil=True)
def _outputs(n):  # pragma: no cover
    """Persons and adults per household, then the arrays of :class:`Riksnorms`."""
    counts = (np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
    return counts, (np.zeros(n), np.empty(n), np.empty(n), np.empty(n))


@numba.njit(cache=True, nogil=True)
def _riksnorms(persons, is_cohabiting, tables, scalars):  # pragma: no cover
    """Every person and household on this thread; the outputs and the status."""
    counts, out = _outputs(is_cohabiting.size)
    status = _add_persons(0, persons[0].size, persons, tables, counts, out)
    if status == _DONE:
        status = _households(0, is_cohabiting.size, is_cohabiting, tables, scalars, counts, out)
    return out, status


@numba.njit(cache=True, nogil=True, parallel=True)
def _riksnorms_on_threads(
    bounds, ranges, persons, is_cohabiting, tables, scalars
):  # pragma: no cover
    """The persons ``bounds[c]:bounds[c + 1]`` (no household in two), then the households
    ``ranges[c]:ranges[c + 1]``, on numba's threads; the outputs and the worst status."""
    counts, out = _outputs(is_cohabiting.size)
    person_status = np.zeros(bounds.size - 1, dtype=np.int64)
    for c in numba.prange(bounds.size - 1):
        person_status[c] = _add_persons(bounds[c], bounds[c + 1], persons, tables, counts, out)
    status = person_status.max()
    if status != _DONE:
        return out, status
    household_status = np.zeros(ranges.size - 1, dtype=np.int64)
    for c in numba.prange(ranges.size - 1):
        household_status[c] = _households(
            ranges[c], ranges[c + 1], is_cohabiting, tables, scalars, counts, out
        )
    return out, household_status.max()


@numba.njit(cache=True, nogil=True)
def _add_persons(start, end, persons, tables, counts, out):  # pragma: no cover
    """Persons ``start:end`` added to their households' counts and children's costs."""
    household_idx, is_child, age, has_preschool_lunch = persons
    with_lunch, without_lunch, _ = tables
    n_persons, n_adults = counts
    personal_children = out[0]
    n_households = n_persons.size
    status = _DONE
    for i in range(start, end):
        h = household_idx[i]
        if h < 0 or h >= n_households:  # compiled code does not check an index itself
            return _OUTSIDE
        n_persons[h] += 1
        # riksnorm.personal_cost_children: 0.0 for an adult, added as np.bincount adds it.
        cost = 0.0
        if is_child[i]:
            a = age[i]
            if a >= 0.0 and a == np.floor(a) and a < with_lunch.size:
                # "utan lunch" for a child who eats lunch in förskola (SoF 12 kap. 2 §).
                cost = without_lunch[int(a)] if has_preschool_lunch[i] else with_lunch[int(a)]
            else:
                status = _NOT_COVERED  # the persons' indexes are still checked
        else:
            n_adults[h] += 1
        personal_children[h] += cost
    return status


@numba.njit(cache=True, nogil=True)
def _households(start, end, is_cohabiting, tables, scalars, counts, out):  # pragma: no cover
    """Households ``start:end``: the adults' and common costs and the total; the status."""
    common_by_size = tables[2]
    adult_single, adults_cohabiting = scalars
    n_persons, n_adults = counts
    personal_children, personal_adults, common, total = out
    for h in range(start, end):
        size = n_persons[h]
        if size >= common_by_size.size:
            return _NOT_COVERED
        # riksnorm.personal_cost_adults and riksnorm.common_cost
        adults = adults_cohabiting if is_cohabiting[h] else adult_single * n_adults[h]
        personal_adults[h] = adults
        common_h = common_by_size[size]
        common[h] = common_h
        total[h] = personal_children[h] + adults + common_h
    return _DONE
