"""Taxes and net incomes of one month, person by person, summed by household in one pass.

The engine's income step (:func:`sim.engine.pipeline.compute_laws`), a compiled (numba) driver over
the persons that calls the rules in their order: the income tax of each person with taxable
income (:func:`sim.rules.inkomstskatt.monthly_tax`), shared between earnings and taxable
benefits in proportion to them (:func:`sim.rules.inkomstskatt.earnings_share`); the net
earnings and net other income; the counted part of a child's earnings (SoL 12:9,
:func:`sim.rules.barns_inkomster.counted_child_net_earnings`); and the household sums of
adults', children's and everyone's amounts.

Each household sum adds its persons' values in the order of the persons, starting from 0.0,
as ``np.bincount`` does. Persons grouped by household run in chunks on threads
(:mod:`sim.engine.chunks`), with the same numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.common.jit import jit
from sim.engine.chunks import Chunks, bounds_of, run_on_threads
from sim.rules.barns_inkomster import counted_child_net_earnings
from sim.rules.inkomstskatt import TaxSchedule, earnings_share, monthly_tax


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
    tax_schedule: TaxSchedule,
    child_exempt_sek_year: float,
    chunks: Chunks = None,
) -> NetIncomes:
    """The income step for persons sorted or not by household (see the module docstring).

    ``taxable_benefits`` and ``tax_free`` are each person's taxable transfers and tax-free
    income (SEK/month); ``tax_schedule``: :func:`sim.rules.inkomstskatt.tax_schedule`;
    ``child_exempt_sek_year`` is the children's exempt earnings a year
    (``exempt_prisbasbelopp × prisbasbelopp``). The persons run in ``chunks`` on threads
    (:data:`sim.engine.chunks.Chunks`), with the same numbers.
    """
    n = household_idx.size
    out = NetIncomes(
        np.zeros(n), np.empty(n), *(np.zeros(n_households) for _ in NetIncomes._fields[2:])
    )
    arguments = (
        household_idx,
        is_child,
        age,
        earnings,
        taxable_benefits,
        tax_free,
        earnings_year_to_date,
        n_households,
        tax_schedule,
        float(child_exempt_sek_year),
    )
    return run_on_threads(_add_persons, bounds_of(household_idx, chunks), arguments, out)


@jit
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
    tax_schedule,
    child_exempt,
    out,
):
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
    ) = out  # unpacked once: an array read from a tuple in the loop costs a reference count
    law, by_step = tax_schedule
    for i in range(start, end):
        h = household_idx[i]
        if h < 0 or h >= n_households:  # compiled code does not check an index itself
            raise ValueError("a person's household_idx points outside the households")
        gross = earnings[i]
        benefits = taxable_benefits[i]
        taxable = gross + benefits
        tax = 0.0
        if taxable > 0:
            tax = monthly_tax(gross, benefits, age[i], law, by_step)
        share = earnings_share(gross, benefits)
        person_tax[i] = tax
        net_earnings = gross - tax * share
        net_benefits = benefits - tax * (1.0 - share)
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
            counted_child[h] += counted_child_net_earnings(
                gross, net_earnings, earnings_year_to_date[i], child_exempt
            )
        else:
            net_earnings_adults[h] += net_earnings
            net_other_adults[h] += net_other
