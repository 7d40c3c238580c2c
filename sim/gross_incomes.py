"""Each person's taxable and tax-free income, and each household's persons and adults.

The engine's first step (:func:`sim.engine.compute_laws`), shared by every law: one compiled
(numba) pass over the persons instead of eleven numpy passes and two ``np.bincount``. The
sums add the columns of :data:`sim.entities.TAXABLE_BENEFITS` and
:data:`sim.entities.TAX_FREE` in their order, as :meth:`sim.entities.Persons.taxable_benefits`
does, so the amounts are the same numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from sim.entities import TAX_FREE, TAXABLE_BENEFITS, Persons


class GrossIncomes(NamedTuple):
    """Person arrays (SEK/month) and household counts."""

    taxable_benefits: np.ndarray
    taxable: np.ndarray
    tax_free: np.ndarray
    n_persons: np.ndarray
    n_adults: np.ndarray


def gross_incomes(persons: Persons, n_households: int) -> GrossIncomes:
    """Taxable benefits, taxable income (earnings + taxable benefits) and tax-free income of
    every person, SEK/month; persons and adults of every household."""

    def columns(names: tuple[str, ...]) -> tuple[np.ndarray, ...]:
        return tuple(
            np.ascontiguousarray(getattr(persons, name), dtype=np.float64) for name in names
        )

    return GrossIncomes(
        *_gross_incomes(
            persons.household_idx,
            persons.is_child,
            np.ascontiguousarray(persons.earnings_gross, dtype=np.float64),
            columns(TAXABLE_BENEFITS),
            columns(TAX_FREE),
            n_households,
        )
    )


@numba.njit(cache=True, nogil=True)
def _gross_incomes(
    household_idx, is_child, earnings, benefit_columns, tax_free_columns, n_households
):  # pragma: no cover
    n = earnings.size
    taxable_benefits = np.empty(n)
    taxable = np.empty(n)
    tax_free = np.empty(n)
    n_persons = np.zeros(n_households, dtype=np.int64)
    n_adults = np.zeros(n_households, dtype=np.int64)
    for i in range(n):
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
    return taxable_benefits, taxable, tax_free, n_persons, n_adults
