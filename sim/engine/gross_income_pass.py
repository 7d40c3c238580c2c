"""Each person's taxable and tax-free income, and each household's persons and adults.

The engine's first step (:func:`sim.engine.pipeline.compute_laws`), shared by every law: one compiled
(numba) pass over the persons. The taxable benefits are the columns of
:data:`sim.engine.entities.TAXABLE_BENEFITS` and the tax-free income those of
:data:`sim.engine.entities.TAX_FREE`, added in their order. Persons grouped by household run in
chunks on threads (:mod:`sim.engine.chunks`), with the same numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.common.jit import jit
from sim.engine.chunks import Chunks, bounds_of, run_on_threads
from sim.engine.entities import TAX_FREE, TAXABLE_BENEFITS, Persons


class GrossIncomes(NamedTuple):
    """Person arrays (SEK/month) and household counts."""

    taxable_benefits: np.ndarray
    taxable: np.ndarray
    tax_free: np.ndarray
    n_persons: np.ndarray
    n_adults: np.ndarray


def gross_incomes(persons: Persons, n_households: int, *, chunks: Chunks = None) -> GrossIncomes:
    """Taxable benefits, taxable income (earnings + taxable benefits) and tax-free income of
    every person, SEK/month; persons and adults of every household. The persons run in
    ``chunks`` on threads (:data:`sim.engine.chunks.Chunks`), with the same numbers."""

    def columns(names: tuple[str, ...]) -> tuple[np.ndarray, ...]:
        return tuple(
            np.ascontiguousarray(getattr(persons, name), dtype=np.float64) for name in names
        )

    n = persons.n
    out = (
        (np.empty(n), np.empty(n), np.empty(n)),
        (np.zeros(n_households, dtype=np.int64), np.zeros(n_households, dtype=np.int64)),
    )
    arguments = (
        persons.household_idx,
        persons.is_child,
        np.ascontiguousarray(persons.earnings_gross, dtype=np.float64),
        columns(TAXABLE_BENEFITS),
        columns(TAX_FREE),
        n_households,
    )
    (taxable_benefits, taxable, tax_free), (n_persons, n_adults) = run_on_threads(
        _add_persons, bounds_of(persons.household_idx, chunks), arguments, out
    )
    return GrossIncomes(taxable_benefits, taxable, tax_free, n_persons, n_adults)


@jit
def _add_persons(
    start,
    end,
    household_idx,
    is_child,
    earnings,
    benefit_columns,
    tax_free_columns,
    n_households,
    out,
):
    """Persons ``start:end``: their incomes, counted in their households."""
    (taxable_benefits, taxable, tax_free), (n_persons, n_adults) = out
    for i in range(start, end):
        h = household_idx[i]
        if h < 0 or h >= n_households:  # compiled code does not check an index itself
            raise ValueError("a person's household_idx points outside the households")
        benefits = benefit_columns[0][i]
        for c in range(1, len(benefit_columns)):
            benefits += benefit_columns[c][i]
        taxable_benefits[i] = benefits
        taxable[i] = earnings[i] + benefits
        free = tax_free_columns[0][i]
        for c in range(1, len(tax_free_columns)):
            free += tax_free_columns[c][i]
        tax_free[i] = free
        n_persons[h] += 1
        n_adults[h] += not is_child[i]
