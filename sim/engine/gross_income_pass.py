"""Each person's taxable and tax-free income, and each household's persons and adults.

The engine's first step (:func:`sim.engine.pipeline.compute_laws`), shared by every law: one compiled
(numba) pass over the persons instead of eleven numpy passes and two ``np.bincount``. The
sums add the columns of :data:`sim.engine.entities.TAXABLE_BENEFITS` and
:data:`sim.engine.entities.TAX_FREE` in their order, as :meth:`sim.engine.entities.Persons.taxable_benefits`
does, so the amounts are the same numbers. Persons grouped by household run in chunks on
numba's threads (:mod:`sim.engine.chunks`), with the same numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from sim.engine.chunks import Chunks, run_in_chunks
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

    arguments = (
        persons.household_idx,
        persons.is_child,
        np.ascontiguousarray(persons.earnings_gross, dtype=np.float64),
        columns(TAXABLE_BENEFITS),
        columns(TAX_FREE),
        n_households,
    )
    return GrossIncomes(
        *run_in_chunks(
            _gross_incomes, _gross_incomes_in_chunks, persons.household_idx, arguments, chunks
        )
    )


@numba.njit(cache=True, nogil=True)
def _outputs(n_persons, n_households):  # pragma: no cover
    """The arrays of GrossIncomes, in its order."""
    return (
        np.empty(n_persons),
        np.empty(n_persons),
        np.empty(n_persons),
        np.zeros(n_households, dtype=np.int64),
        np.zeros(n_households, dtype=np.int64),
    )


@numba.njit(cache=True, nogil=True)
def _gross_incomes(
    household_idx, is_child, earnings, benefit_columns, tax_free_columns, n_households
):  # pragma: no cover
    """All persons on this thread."""
    out = _outputs(earnings.size, n_households)
    _add_persons(
        0,
        earnings.size,
        household_idx,
        is_child,
        earnings,
        benefit_columns,
        tax_free_columns,
        n_households,
        out,
    )
    return out


@numba.njit(cache=True, nogil=True, parallel=True)
def _gross_incomes_in_chunks(
    bounds, household_idx, is_child, earnings, benefit_columns, tax_free_columns, n_households
):  # pragma: no cover
    """The chunks ``bounds[c]:bounds[c + 1]`` on numba's threads (no household in two), and
    whether each chunk finished."""
    out = _outputs(earnings.size, n_households)
    done = np.zeros(bounds.size - 1, dtype=np.bool_)
    for c in numba.prange(bounds.size - 1):
        done[c] = _chunk_done(
            bounds[c],
            bounds[c + 1],
            household_idx,
            is_child,
            earnings,
            benefit_columns,
            tax_free_columns,
            n_households,
            out,
        )
    return out, done


@numba.njit(cache=True, nogil=True)
def _chunk_done(
    start,
    end,
    household_idx,
    is_child,
    earnings,
    benefit_columns,
    tax_free_columns,
    n_households,
    out,
):  # pragma: no cover
    """:func:`_add_persons`, False if it raised (on a prange thread numba would drop the
    exception and go on)."""
    try:
        _add_persons(
            start,
            end,
            household_idx,
            is_child,
            earnings,
            benefit_columns,
            tax_free_columns,
            n_households,
            out,
        )
    except Exception:
        return False
    return True


@numba.njit(cache=True, nogil=True)
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
):  # pragma: no cover
    """Persons ``start:end``: their incomes, counted in their households."""
    taxable_benefits, taxable, tax_free, n_persons, n_adults = out
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
