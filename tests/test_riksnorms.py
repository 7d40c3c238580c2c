"""The riksnorm step (sim.engine.riksnorm_pass): the law's changes reaching it and its inputs. Its
numbers are the worked cases' (tests/cases/, the rules' doctests); that its machine code
computes its rules' source is tests/test_jit.py's check."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from sim.engine.random_inputs import random_month
from sim.engine.riksnorm_pass import riksnorms
from sim.scenarios.scenario import load_scenario


def _riksnorm_law(name: str = "kombinerad", when: dt.date = dt.date(2027, 3, 1)):
    return load_scenario(name).law(when.year).resolve(when).riksnorm


def _inputs(n: int, seed: int) -> dict:
    persons, households = random_month(n, rng=np.random.default_rng(seed))
    return {
        "household_idx": persons.household_idx,
        "age": persons.age,
        "is_child": persons.is_child,
        "has_preschool_lunch": persons.has_preschool_lunch,
        "is_cohabiting": households.is_cohabiting,
    }


def test_a_household_of_ten_adds_the_step_above_seven_persons():
    """SoF 12 kap. 3 §: each member above seven adds the cost of seven less that of six
    (2026: 2 830 − 2 640 = 190 kr); a couple (7 100 kr) and eight 12-year-olds (4 390 kr)."""
    p = _riksnorm_law("baseline", dt.date(2026, 3, 1))
    got = riksnorms(
        household_idx=np.zeros(10, dtype=np.int64),
        age=np.r_[40.0, 38.0, np.full(8, 12.0)],
        is_child=np.arange(10) >= 2,
        has_preschool_lunch=np.zeros(10, dtype=bool),
        is_cohabiting=np.array([True]),
        p=p,
    )
    assert got.common.tolist() == [2_830.0 + 3 * 190.0]
    assert got.total.tolist() == [8 * 4_390.0 + 7_100.0 + 3_400.0]


@pytest.mark.parametrize("chunks", [1, 3])
def test_persons_in_any_order_and_any_ranges_give_the_same_numbers(chunks):
    p = _riksnorm_law()
    inputs = _inputs(2_000, 5)
    want = riksnorms(**inputs, p=p, chunks=1)
    order = np.random.default_rng(6).permutation(inputs["household_idx"].size)
    shuffled = {
        name: values[order] if values.size == order.size else values
        for name, values in inputs.items()
    }
    got = riksnorms(**shuffled, p=p, chunks=chunks)
    for name, values in got._asdict().items():
        assert np.array_equal(values, getattr(want, name)), name


def test_a_household_without_persons_has_the_common_cost_of_none():
    """The step does not refuse a household without persons (sim.engine.entities.validate does):
    no personal costs, the first row of the common cost."""
    p = _riksnorm_law("baseline", dt.date(2026, 3, 1))
    got = riksnorms(
        household_idx=np.array([1]),
        age=np.array([40.0]),
        is_child=np.array([False]),
        has_preschool_lunch=np.array([False]),
        is_cohabiting=np.array([False, False]),
        p=p,
    )
    assert got.total.tolist() == [1_280.0, 3_940.0 + 1_280.0]


def test_a_household_index_outside_the_households_is_an_error():
    inputs = _inputs(50, 2)
    inputs["household_idx"][-1] = 50
    with pytest.raises(ValueError, match="outside the households"):
        riksnorms(**inputs, p=_riksnorm_law())


def test_person_arrays_of_other_lengths_are_rejected():
    inputs = _inputs(5, 3)
    inputs["age"] = inputs["age"][:-1]
    with pytest.raises(ValueError, match="different lengths"):
        riksnorms(**inputs, p=_riksnorm_law())


def test_a_changed_law_reaches_the_step():
    """A change of the amounts reaches the compiled rules (their records come from the law)."""
    changed = dataclasses.replace(_riksnorm_law(), adult_single=5_000.0, adults_cohabiting=9_000.0)
    got = riksnorms(**_inputs(300, 4), p=changed)
    assert set(np.unique(got.personal_adults)) == {5_000.0, 9_000.0}
