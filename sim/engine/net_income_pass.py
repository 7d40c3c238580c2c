"""Taxes and net incomes of one month, person by person, summed by household in one pass.

The engine's income step (:func:`sim.engine.pipeline.compute_laws`): for every person the income tax
(:func:`sim.rules.inkomstskatt.monthly_tax`, for those with taxable income), the net
earnings and net other income (the tax shared between earnings and taxable benefits in
proportion to them), the counted part of a child's earnings (SoL 12:9, as
:func:`sim.rules.barns_inkomster.counted_child_earnings`, converted to net at the child's own
net/gross ratio), and the household sums of adults', children's and everyone's amounts.

Compiled (numba), because in numpy this step was about 40 passes over the persons and nine
``np.bincount``: the largest part of the engine in the profile (docs/performance.md). Each
household sum adds its persons' values in the order of the persons, starting from 0.0, as
``np.bincount`` does, so the sums are the same numbers. Persons grouped by household run in
chunks on numba's threads (:mod:`sim.engine.chunks`), with the same numbers: about 40 %
less time for this step on two threads (docs/performance.md).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from sim.engine.chunks import Chunks, run_in_chunks
from sim.rules.inkomstskatt import TaxSchedule, monthly_tax


class NetIncomes(NamedTuple):
    """Person arrays (SEK/month) and household sums (SEK/month) of the income step."""

    person_tax: np.ndarray
    person_net_income: np.ndarray
    net_earnings_adults: np.ndarray
    net_other_adults: np.ndarray
    net_income_children: np.ndarray
    net_earnings_children: np.ndarray
    counted_child: np.ndarray
    child_other_income: np.ndarray
    gross_income: np.ndarray
    income_tax: np.ndarray
    net_income: np.ndarray


def net_incomes(
    *,
    household_idx: np.ndarray,
    is_child: np.ndarray,
    age: np.ndarray,
    earnings: np.ndarray,
    taxable_benefits: np.ndarray,
    tax_free: np.ndarray,
    earnings_year_to_date: np.ndarray,
    n_households: int,
    schedule: TaxSchedule,
    child_exempt_sek_year: float,
    chunks: Chunks = None,
) -> NetIncomes:
    """The income step for persons sorted or not by household (see the module docstring).

    ``taxable_benefits`` and ``tax_free`` are each person's taxable transfers and tax-free
    income (SEK/month); ``child_exempt_sek_year`` is the children's exempt earnings a year
    (``exempt_prisbasbelopp × prisbasbelopp``). The persons run in ``chunks`` on threads
    (:data:`sim.engine.chunks.Chunks`), with the same numbers.
    """
    arguments = (
        household_idx,
        is_child,
        age,
        earnings,
        taxable_benefits,
        tax_free,
        earnings_year_to_date,
        n_households,
        schedule,
        child_exempt_sek_year,
    )
    return NetIncomes(
        *run_in_chunks(_net_incomes, _net_incomes_in_chunks, household_idx, arguments, chunks)
    )


@numba.njit(cache=True, nogil=True)
def _outputs(n_persons, n_households):  # pragma: no cover
    """person_tax, person_net_income and the nine household sums, in NetIncomes' order."""
    return (
        np.zeros(n_persons),
        np.empty(n_persons),
        np.zeros(n_households),
        np.zeros(n_households),
        np.zeros(n_households),
        np.zeros(n_households),
        np.zeros(n_households),
        np.zeros(n_households),
        np.zeros(n_households),
        np.zeros(n_households),
        np.zeros(n_households),
    )


@numba.njit(cache=True, nogil=True)
def _net_incomes(
    household_idx,
    is_child,
    age,
    earnings,
    taxable_benefits,
    tax_free,
    earnings_year_to_date,
    n_households,
    schedule,
    child_exempt,
):  # pragma: no cover
    """All persons on this thread."""
    out = _outputs(household_idx.size, n_households)
    _add_persons(
        0,
        household_idx.size,
        household_idx,
        is_child,
        age,
        earnings,
        taxable_benefits,
        tax_free,
        earnings_year_to_date,
        n_households,
        schedule,
        child_exempt,
        out,
    )
    return out


@numba.njit(cache=True, nogil=True, parallel=True)
def _net_incomes_in_chunks(
    bounds,
    household_idx,
    is_child,
    age,
    earnings,
    taxable_benefits,
    tax_free,
    earnings_year_to_date,
    n_households,
    schedule,
    child_exempt,
):  # pragma: no cover
    """The chunks ``bounds[c]:bounds[c + 1]`` on numba's threads (no household in two), and
    whether each chunk finished."""
    out = _outputs(household_idx.size, n_households)
    done = np.zeros(bounds.size - 1, dtype=np.bool_)
    for c in numba.prange(bounds.size - 1):
        done[c] = _chunk_done(
            bounds[c],
            bounds[c + 1],
            household_idx,
            is_child,
            age,
            earnings,
            taxable_benefits,
            tax_free,
            earnings_year_to_date,
            n_households,
            schedule,
            child_exempt,
            out,
        )
    return out, done


@numba.njit(cache=True, nogil=True)
def _chunk_done(
    start,
    end,
    household_idx,
    is_child,
    age,
    earnings,
    taxable_benefits,
    tax_free,
    earnings_year_to_date,
    n_households,
    schedule,
    child_exempt,
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
            age,
            earnings,
            taxable_benefits,
            tax_free,
            earnings_year_to_date,
            n_households,
            schedule,
            child_exempt,
            out,
        )
    except Exception:
        return False
    return True


# error_model="numpy": divisions as numpy's (IEEE, no Python zero check in the loop); every
# divisor here is positive where it is used.
@numba.njit(cache=True, nogil=True, error_model="numpy")
def _add_persons(
    start,
    end,
    household_idx,
    is_child,
    age,
    earnings,
    taxable_benefits,
    tax_free,
    earnings_year_to_date,
    n_households,
    schedule,
    child_exempt,
    out,
):  # pragma: no cover
    """Persons ``start:end``: their tax and net income, added to their households' sums."""
    (
        person_tax,
        person_net_income,
        net_earnings_adults,
        net_other_adults,
        net_income_children,
        net_earnings_children,
        counted_child,
        child_other_income,
        gross_income,
        income_tax,
        net_income,
    ) = out
    for i in range(start, end):
        h = household_idx[i]
        if h < 0 or h >= n_households:  # compiled code does not check an index itself
            raise ValueError("a person's household_idx points outside the households")
        gross = earnings[i]
        benefits = taxable_benefits[i]
        taxable = gross + benefits
        tax = 0.0
        earnings_share = 0.0
        if taxable > 0:
            tax = monthly_tax(gross, benefits, age[i], schedule)
            # The same numbers as gross / taxable, without a division where it is 1 or 0.
            if benefits == 0.0:
                earnings_share = 1.0
            elif gross == 0.0:
                earnings_share = 0.0
            else:
                earnings_share = gross / taxable
        person_tax[i] = tax
        # Tax is shared between earnings and other taxable income in proportion to them.
        net_earnings = gross - tax * earnings_share
        net_benefits = benefits - tax * (1.0 - earnings_share)
        net_other = net_benefits + tax_free[i]
        net = net_earnings + net_benefits + tax_free[i]
        person_net_income[i] = net
        gross_income[h] += taxable + tax_free[i]
        income_tax[h] += tax
        net_income[h] += net
        if is_child[i]:
            net_income_children[h] += net
            net_earnings_children[h] += net_earnings
            child_other_income[h] += net_other
            # Only earnings above the exempt amount a year count (SoL 12:9), at net.
            to_date = earnings_year_to_date[i]
            counted_gross = max(0.0, to_date + gross - child_exempt) - max(
                0.0, to_date - child_exempt
            )
            net_ratio = net_earnings / gross if gross > 0 else 0.0
            counted_child[h] += counted_gross * net_ratio
        else:
            net_earnings_adults[h] += net_earnings
            net_other_adults[h] += net_other
