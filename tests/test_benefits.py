"""The benefit step (sim.engine.benefits_pass): worked cases, the law's changes reaching it, and its
inputs. That its machine code computes its rules' source is tests/test_jit.py's check."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from sim.engine.benefits_pass import benefits
from sim.engine.random_inputs import random_month
from sim.scenarios.scenario import load_scenario


def _law_sections(name: str, when: dt.date) -> dict:
    law = load_scenario(name).law(when.year).resolve(when)
    return {
        "barnbidrag_law": law.barnbidrag,
        "underhallsstod_law": law.underhallsstod,
        "bostadsbidrag_law": law.bostadsbidrag,
    }


def _inputs(n: int, seed: int) -> dict:
    """The step's arguments for ``n`` random households (sim.engine.random_inputs)."""
    persons, households = random_month(n, rng=np.random.default_rng(seed))
    return {
        "household_idx": persons.household_idx,
        "is_child": persons.is_child,
        "age": persons.age,
        "is_in_school": persons.is_in_school,
        "receives_underhallsstod": persons.receives_underhallsstod,
        "taxable": persons.earnings_gross + persons.a_kassa + persons.sjukpenning,
        "etableringsersattning": persons.etableringsersattning,
        "is_cohabiting": households.is_cohabiting,
        "housing_cost": households.housing_cost,
    }


def test_annual_amount_exactly_at_the_minimum_is_paid():
    # 2026: one child (särskilt bidrag 1 500 kr), housing at the floor (no housing part):
    # 12 × 1 500 = 18 000 kr a year; a single adult's 19 500 kr a month is 234 000 kr a
    # year, 84 000 kr above 150 000 kr, reduced by 20 %: 16 800 kr. 18 000 - 16 800 =
    # 1 200 kr, the minimum of 97:16 (paid), 100 kr a month; 1 öre more income: nothing.
    sections = _law_sections("baseline", dt.date(2026, 3, 1))
    b = sections["bostadsbidrag_law"]
    assert (b.minimum_annual, b.income_limit_single, b.reduction_rate) == (1200, 150_000, 0.2)
    got = benefits(
        household_idx=np.array([0, 0, 1, 1]),
        is_child=np.array([False, True, False, True]),
        age=np.array([30.0, 5.0, 30.0, 5.0]),
        is_in_school=np.zeros(4, dtype=bool),
        receives_underhallsstod=np.zeros(4, dtype=bool),
        taxable=np.array([19_500.0, 0.0, 19_500.01, 0.0]),
        etableringsersattning=np.zeros(4),
        is_cohabiting=np.zeros(2, dtype=bool),
        housing_cost=np.array([1_400.0, 1_400.0]),
        **sections,
    )
    assert got.bostadsbidrag.tolist() == [100.0, 0.0]


def test_a_changed_law_reaches_the_step():
    """A reform of the amounts reaches the compiled rules (their records come from the law)."""
    sections = _law_sections("kombinerad", dt.date(2027, 3, 1))
    sections["barnbidrag_law"] = dataclasses.replace(
        sections["barnbidrag_law"], amount_per_child=1_500.0
    )
    got = benefits(**_inputs(300, 4), **sections)
    assert (got.barnbidrag > 0).any() and set(np.unique(got.barnbidrag) % 1_500.0) == {0.0}


@pytest.mark.parametrize("chunks", [1, 3])
def test_persons_in_any_order_and_any_ranges_give_the_same_numbers(chunks):
    """Persons not grouped by household are grouped (each household's in their order);
    the households run in one range or several."""
    sections = _law_sections("baseline", dt.date(2024, 3, 1))
    inputs = _inputs(2_000, 5)
    want = benefits(**inputs, **sections, chunks=1)
    order = np.random.default_rng(6).permutation(inputs["household_idx"].size)
    shuffled = {
        name: values[order] if values.size == order.size else values
        for name, values in inputs.items()
    }
    got = benefits(**shuffled, **sections, chunks=chunks)
    for name, values in got._asdict().items():
        # Sums of whole kronor do not depend on the order they are added in.
        assert np.array_equal(values, getattr(want, name)), name
    assert (want.flerbarnstillagg > 0).any() and (want.bostadsbidrag > 0).any()


def test_a_household_index_outside_the_households_is_an_error():
    inputs = _inputs(50, 2)
    inputs["household_idx"] = inputs["household_idx"].copy()
    inputs["household_idx"][-1] = 50
    with pytest.raises(ValueError, match="outside the households"):
        benefits(**inputs, **_law_sections("kombinerad", dt.date(2027, 3, 1)))


def test_arrays_of_other_lengths_are_rejected():
    sections = _law_sections("kombinerad", dt.date(2027, 3, 1))
    inputs = _inputs(5, 3)
    with pytest.raises(ValueError, match="different lengths"):
        benefits(**{**inputs, "taxable": inputs["taxable"][:-1]}, **sections)
    with pytest.raises(ValueError, match="different lengths"):
        benefits(**{**inputs, "is_cohabiting": inputs["is_cohabiting"][:-1]}, **sections)
