"""The compiled income steps against the numpy formulation they replaced.

:mod:`sim.engine.gross_income_pass`, :mod:`sim.engine.net_income_pass` and :func:`sim.rules.inkomstskatt.income_tax` run
compiled (numba). The numpy code below is the vectorised formulation the engine used before
(kept here as the reference): every number must be the same, bit for bit, on generated
populations and on random incomes, under every year's tax law.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import numpy as np
import pytest

from sim.engine import gross_income_pass as gross_incomes
from sim.engine import net_income_pass as net_incomes
from sim.engine.pipeline import _gross_incomes_and_counts, _incomes
from sim.law.parameters import default_law
from sim.population.generator import generate
from sim.population.projection import project_population
from sim.rules import barns_inkomster
from sim.rules.households import household_sum
from sim.rules.inkomstskatt import (
    _once_per_step,
    grundavdrag,
    income_tax,
    jobbskatteavdrag,
    tax_schedule,
)
from sim.scenarios.scenario import load_scenario


def numpy_income_tax(*, earnings, taxable_benefits, age, p):
    """The numpy income tax (IL, see sim.rules.inkomstskatt.income_tax), pass by pass."""
    step = p.rounding_step
    pbb = p.prisbasbelopp
    earnings_year = np.maximum(np.asarray(earnings, dtype=np.float64), 0.0) * 12.0
    benefits_year = np.maximum(np.asarray(taxable_benefits, dtype=np.float64), 0.0) * 12.0
    is_older = np.asarray(age) >= p.older_age_from

    # Rounding down before the formulas mirrors how Skatteverket computes its tables; the
    # round(…, 6) guards against 12 × 35 000.0 landing a hair below a hundred.
    ffi = np.floor(np.round(earnings_year + benefits_year, 6) / step) * step
    arbetsinkomst = np.floor(np.round(earnings_year, 6) / step) * step
    # Grundavdrag depends only on FFI (whole hundreds) and age: computed once per hundred.
    ga = _once_per_step(
        lambda a: grundavdrag(ffi=a, is_older=np.zeros(a.size, dtype=bool), p=p), ffi, step
    )
    older = np.flatnonzero(is_older)
    ga[older] = _once_per_step(
        lambda a: grundavdrag(ffi=a, is_older=np.ones(a.size, dtype=bool), p=p), ffi[older], step
    )
    bfi = np.floor(np.round(np.maximum(ffi - ga, 0.0), 6) / step) * step

    kommunal = bfi * p.kommunal_rate
    statlig = p.statlig_rate * np.maximum(bfi - p.skiktgrans, 0.0)

    # Simplification: benefits of people 66+ are taken to be pension (no avgift); for
    # younger people they are taken to be pensionsgrundande (a-kassa, sjukpenning,
    # aktivitetsstöd are). The avgift's cap at 8,07 inkomstbasbelopp and its rounding to
    # hundreds are left out: they only matter where the reduction offsets the avgift anyway.
    fee_base = earnings_year + np.where(is_older, 0.0, benefits_year)
    fee = np.where(
        fee_base >= p.allman_pensionsavgift_threshold_pbb * pbb,
        p.allman_pensionsavgift_rate * fee_base,
        0.0,
    )

    jsa = jobbskatteavdrag(arbetsinkomst=arbetsinkomst, grundavdrag_sek=ga, is_older=is_older, p=p)
    fi_reduction = p.forvarvsinkomst_reduktion_rate * np.clip(
        bfi - p.forvarvsinkomst_reduktion_lower,
        0.0,
        p.forvarvsinkomst_reduktion_upper - p.forvarvsinkomst_reduktion_lower,
    )

    # IL 67 kap. 2 §: each reduction only uses what the earlier ones left. The pension
    # reduction is charged to the kommunal tax first; while there is statlig tax the
    # kommunal tax is far larger than all the reductions, so the split never binds.
    pension_reduction = np.minimum(fee, kommunal + statlig)
    kommunal_left = np.maximum(kommunal - pension_reduction, 0.0)
    jsa_used = np.minimum(jsa, kommunal_left)
    fi_used = np.minimum(fi_reduction, kommunal_left - jsa_used)

    annual = kommunal + statlig + fee - pension_reduction - jsa_used - fi_used
    return np.maximum(annual, 0.0) / 12.0


def numpy_incomes(persons: Any, base: dict[str, np.ndarray], params: Any) -> dict[str, Any]:
    """The engine's numpy income step before it was compiled."""
    n = len(base["n_persons"])
    idx = persons.household_idx
    adults, children = np.flatnonzero(~persons.is_child), np.flatnonzero(persons.is_child)

    def by_household(values: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        if rows is None:
            return household_sum(values, household_idx=idx, n_households=n)
        return household_sum(values[rows], household_idx=idx[rows], n_households=n)

    taxable_benefits, taxable = base["taxable_benefits"], base["taxable"]
    has_taxable = taxable > 0
    person_tax = np.zeros(persons.n)
    person_tax[has_taxable] = numpy_income_tax(
        earnings=persons.earnings_gross[has_taxable],
        taxable_benefits=taxable_benefits[has_taxable],
        age=persons.age[has_taxable],
        p=params.inkomstskatt,
    )
    # Tax is shared between earnings and other taxable income in proportion to them.
    earnings_share = np.divide(
        persons.earnings_gross, taxable, out=np.zeros_like(taxable), where=has_taxable
    )
    net_earnings = persons.earnings_gross - person_tax * earnings_share
    net_taxable_benefits = taxable_benefits - person_tax * (1.0 - earnings_share)
    tax_free = base["tax_free"]
    person_net_income = net_earnings + net_taxable_benefits + tax_free
    net_other = net_taxable_benefits + tax_free

    # Children's own earnings count only above one prisbasbelopp a year (SoL 12:9); the
    # counted gross part is converted to net at the child's own net/gross ratio.
    exempt = params.barns_inkomster.exempt_prisbasbelopp * params.prisbasbelopp.prisbasbelopp
    child_earnings = persons.earnings_gross[children]
    counted_gross = barns_inkomster.counted_child_earnings(
        earnings_gross=child_earnings,
        earnings_year_to_date=persons.earnings_year_to_date[children],
        is_child=np.ones(children.size, dtype=bool),
        exempt_sek_year=exempt,
    )
    net_ratio = np.divide(
        net_earnings[children],
        child_earnings,
        out=np.zeros(children.size),
        where=child_earnings > 0,
    )
    counted_child = household_sum(
        counted_gross * net_ratio, household_idx=idx[children], n_households=n
    )
    return {
        "person_tax": person_tax,
        "person_net_income": person_net_income,
        "net_earnings_adults": by_household(net_earnings, adults),
        "net_other_adults": by_household(net_other, adults),
        "net_income_children": by_household(person_net_income, children),
        "net_earnings_children": by_household(net_earnings, children),
        "counted_child": counted_child,
        "child_other_income": by_household(net_other, children),
        "gross_income": by_household(taxable + tax_free),
        "income_tax": by_household(person_tax),
        "net_income": by_household(person_net_income),
    }


def _law(year: int, month: int = 3):
    return default_law().resolve(dt.date(year, month, 1))


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_income_tax_equals_the_numpy_formulation(year):
    rng = np.random.default_rng(year)
    n = 200_000
    earnings = np.where(rng.random(n) < 0.4, 0.0, rng.lognormal(10.0, 1.0, n))
    earnings[::3] = earnings[::3].round(0)
    earnings[:1000] = np.arange(1000) * 35.0  # 12 × 35 k lands on whole hundreds
    benefits = np.where(rng.random(n) < 0.6, 0.0, rng.lognormal(9.0, 1.0, n))
    benefits[1000:2000] = np.arange(1000) * 100 / 12
    benefits[2000:2100] = -50.0  # negative amounts count as 0
    earnings[2100:2200] = np.arange(100) * 0.1  # arbetsinkomst of 0 and 100 kr a year
    age = rng.integers(16, 95, n)
    p = _law(year).inkomstskatt
    expected = numpy_income_tax(earnings=earnings, taxable_benefits=benefits, age=age, p=p)
    got = income_tax(earnings=earnings, taxable_benefits=benefits, age=age, p=p)
    assert np.array_equal(got, expected)


def test_income_tax_beyond_the_cached_tables():
    # An income above the smallest schedule (3.3 M kr a year) gets a larger one.
    p = _law(2026).inkomstskatt
    earnings = np.array([0.0, 400_000.0, 2_000_000.0])
    args = dict(earnings=earnings, taxable_benefits=np.zeros(3), age=np.array([40, 40, 70]), p=p)
    assert np.array_equal(income_tax(**args), numpy_income_tax(**args))
    assert tax_schedule(p, 12 * 2_000_000.0).grundavdrag.size > 12 * 2_000_000 / 100


@pytest.mark.parametrize("year", [2025, 2027])
def test_income_step_equals_the_numpy_formulation(year):
    population = project_population(
        generate(n_households=3_000, year=2024, rng=np.random.default_rng(year)), year
    )
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    # The generator gives children no earnings: a third of them earn 4 000 kr this month,
    # half of those above the exemption already (SoL 12:9), so every branch is taken.
    child_rows = np.flatnonzero(persons.is_child)
    earning = child_rows[::3]
    above = earning[::2]
    earnings = persons.earnings_gross.copy()
    earnings[earning] = 4_000.0
    to_date = persons.earnings_year_to_date.copy()
    to_date[above] = 70_000.0
    persons = dataclasses.replace(persons, earnings_gross=earnings, earnings_year_to_date=to_date)
    params = load_scenario("baseline").law(year).resolve(dt.date(year, 3, 1))
    base = _gross_incomes_and_counts(persons, households)
    expected = numpy_incomes(persons, base, params)
    got = _incomes(persons, base, params)  # the engine's step, as it calls the kernel
    assert got.keys() == expected.keys()
    for name, values in expected.items():
        assert np.array_equal(got[name], values), name
    assert (got["counted_child"] > 0).sum() >= 50


def test_bad_indices_raise_instead_of_reading_outside_memory():
    # Compiled loops do not check bounds themselves: the kernels do, and raise.
    schedule = tax_schedule(_law(2026).inkomstskatt, 12 * 10_000.0)

    def one_adult(household_idx: int, earnings: float) -> None:
        net_incomes.net_incomes(
            household_idx=np.array([household_idx]),
            is_child=np.array([False]),
            age=np.array([40.0]),
            earnings=np.array([earnings]),
            taxable_benefits=np.zeros(1),
            tax_free=np.zeros(1),
            earnings_year_to_date=np.zeros(1),
            n_households=1,
            schedule=schedule,
            child_exempt_sek_year=59_200.0,
        )

    with pytest.raises(ValueError, match="tax schedule"):
        one_adult(0, 10_000_000.0)
    with pytest.raises(ValueError, match="household_idx"):
        one_adult(3, 1_000.0)


def test_gross_incomes_equal_the_numpy_formulation():
    population = project_population(
        generate(n_households=3_000, year=2024, rng=np.random.default_rng(4)), 2026
    )
    persons, households = population.month_inputs(5, np.zeros(population.n_households))
    got = gross_incomes.gross_incomes(persons, households.n)
    idx = persons.household_idx
    taxable_benefits = persons.taxable_benefits()
    assert np.array_equal(got.taxable_benefits, taxable_benefits)
    assert np.array_equal(got.taxable, persons.earnings_gross + taxable_benefits)
    assert np.array_equal(got.tax_free, persons.etableringsersattning + persons.other_tax_free)
    assert np.array_equal(got.n_persons, np.bincount(idx, minlength=households.n))
    assert np.array_equal(got.n_adults, np.bincount(idx[~persons.is_child], minlength=households.n))
    assert (got.taxable_benefits > 0).sum() > 100 and (got.tax_free > 0).sum() > 10
