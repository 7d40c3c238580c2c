"""Taxes and net incomes of one month, person by person, summed by household in one pass.

The engine's income step (:func:`sim.engine.compute_laws`): for every person the income tax
(:func:`sim.rules.inkomstskatt.monthly_tax`, for those with taxable income), the net
earnings and net other income (the tax shared between earnings and taxable benefits in
proportion to them), the counted part of a child's earnings (SoL 12:9, as
:func:`sim.rules.barns_inkomster.counted_child_earnings`, converted to net at the child's own
net/gross ratio), and the household sums of adults', children's and everyone's amounts.

Compiled (numba), because in numpy this step was about 40 passes over the persons and nine
``np.bincount``: the largest part of the engine in the profile (docs/performance.md). Each
household sum adds its persons' values in the order of the persons, starting from 0.0, as
``np.bincount`` does, so the sums are the same numbers.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

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
) -> NetIncomes:
    """The income step for persons sorted or not by household (see the module docstring).

    ``taxable_benefits`` and ``tax_free`` are each person's taxable transfers and tax-free
    income (SEK/month); ``child_exempt_sek_year`` is the children's exempt earnings a year
    (``exempt_prisbasbelopp × prisbasbelopp``).
    """
    return NetIncomes(
        *_net_incomes(
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
    )


# error_model="numpy": divisions as numpy's (IEEE, no Python zero check in the loop); every
# divisor here is positive where it is used.
@numba.njit(cache=True, nogil=True, error_model="numpy")
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
    n = earnings.size
    person_tax = np.zeros(n)
    person_net_income = np.empty(n)
    net_earnings_adults = np.zeros(n_households)
    net_other_adults = np.zeros(n_households)
    net_income_children = np.zeros(n_households)
    net_earnings_children = np.zeros(n_households)
    counted_child = np.zeros(n_households)
    child_other_income = np.zeros(n_households)
    gross_income = np.zeros(n_households)
    income_tax = np.zeros(n_households)
    net_income = np.zeros(n_households)
    for i in range(n):
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
    return (
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
    )
