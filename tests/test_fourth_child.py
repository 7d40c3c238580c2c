"""The bidragstak's fourth-child rule (sim.engine.fourth_child_pass): worked cases of its readings and
its inputs. That its machine code computes its rules' source is tests/test_jit.py's check."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from sim.engine.fourth_child_pass import fourth_child_rule
from sim.engine.random_inputs import random_month
from sim.engine.riksnorm_pass import riksnorms
from sim.rules.bidragstak import FourthChildOrder
from sim.scenarios.scenario import load_scenario


def _law(name: str = "bidragstak", when: dt.date = dt.date(2027, 3, 1)):
    return load_scenario(name).law(when.year).resolve(when)


def _inputs(n: int, seed: int, law) -> dict:
    """The rule's arguments for ``n`` random households (sim.engine.random_inputs), with the
    riksnorm's parts before the rule."""
    persons, households = random_month(n, rng=np.random.default_rng(seed))
    inputs = {
        "household_idx": persons.household_idx,
        "is_child": persons.is_child,
        "age": persons.age,
        "has_preschool_lunch": persons.has_preschool_lunch,
    }
    norm = riksnorms(**inputs, is_cohabiting=households.is_cohabiting, p=law.riksnorm)
    return {
        **inputs,
        "n_children": np.bincount(persons.household_idx[persons.is_child], minlength=n),
        "n_adults": np.bincount(persons.household_idx[~persons.is_child], minlength=n),
        "personal_children": norm.personal_children,
        "personal_adults": norm.personal_adults,
        "common": norm.common,
        "riksnorm_law": law.riksnorm,
        "bidragstak_law": law.bidragstak,
    }


def test_the_readings_take_different_children():
    """One couple with children 3, 6, 9, 12 and 15 (2027 costs 2 760, 3 110, 3 880,
    4 460, 5 030 kr), the rule in full: 75 % of the two most expensive (4 460 + 5 030),
    of the two youngest (2 760 + 3 110) or of twice the mean (2 × 3 848)."""
    law = _law(when=dt.date(2027, 9, 1))
    inputs = {
        "household_idx": np.zeros(7, dtype=np.int64),
        "is_child": np.array([False, False] + [True] * 5),
        "age": np.array([38.0, 40.0, 3.0, 6.0, 9.0, 12.0, 15.0]),
        "has_preschool_lunch": np.zeros(7, dtype=bool),
        "n_children": np.array([5]),
        "n_adults": np.array([2]),
        "personal_children": np.array([19_240.0]),
        "personal_adults": np.array([7_210.0]),
        "common": np.array([2_870.0]),
        "riksnorm_law": law.riksnorm,
        "bidragstak_law": law.bidragstak,
    }
    taken = {
        order: float(fourth_child_rule(**inputs, order=order).reduction[0])
        for order in FourthChildOrder
    }
    assert taken == {
        FourthChildOrder.MOST_EXPENSIVE: 0.75 * (4_460 + 5_030),
        FourthChildOrder.BIRTH_ORDER: 0.75 * (2_760 + 3_110),
        FourthChildOrder.AVERAGE: 0.75 * 2 * 3_848,
    }


@pytest.mark.parametrize(("lunch", "reduced"), [((False, True), 2_540.0), ((True, False), 2_760.0)])
def test_twins_are_ranked_in_the_persons_order(lunch, reduced):
    """Equal keys (twins of 3, birth order) keep the persons' order: with the rule in full
    from the third child, the later twin is reduced by 75 %, its cost 2 760 kr, or 2 540 kr
    with lunch in förskola (2027)."""
    law = _law(when=dt.date(2027, 9, 1))
    reform = dataclasses.replace(law.bidragstak, fourth_child_rank=3.0)
    got = fourth_child_rule(
        household_idx=np.zeros(5, dtype=np.int64),
        is_child=np.array([False, False, True, True, True]),
        age=np.array([40.0, 40.0, 9.0, 3.0, 3.0]),
        has_preschool_lunch=np.array([False, False, False, *lunch]),
        n_children=np.array([3]),
        n_adults=np.array([2]),
        personal_children=np.array([3_880.0 + 2_760.0 + 2_540.0]),
        personal_adults=np.array([7_210.0]),
        common=np.array([2_360.0]),
        riksnorm_law=law.riksnorm,
        bidragstak_law=reform,
    )
    assert got.reduction.tolist() == [0.75 * reduced]


@pytest.mark.parametrize("chunks", [1, 3])
def test_persons_in_any_order_and_any_ranges_give_the_same_numbers(chunks):
    """Households' persons interleaved (each household's in their order) are grouped again;
    the households run in one range or several."""
    law = _law()
    inputs = _inputs(2_000, 5, law)
    want = fourth_child_rule(**inputs, chunks=1)
    assert (want.reduction > 0).any()
    # Random keys, ascending within each household: its persons keep their order.
    rng = np.random.default_rng(6)
    keys = rng.random(inputs["household_idx"].size)
    order = np.argsort(keys[np.lexsort((keys, inputs["household_idx"]))])
    assert (np.diff(inputs["household_idx"][order]) < 0).any()
    for name in ("household_idx", "is_child", "age", "has_preschool_lunch"):
        inputs[name] = inputs[name][order]
    got = fourth_child_rule(**inputs, chunks=chunks)
    for name, values in got._asdict().items():
        assert np.array_equal(values, getattr(want, name)), name


def test_a_household_index_outside_the_households_is_an_error():
    inputs = _inputs(50, 2, _law())
    inputs["household_idx"][-1] = 50
    with pytest.raises(ValueError, match="outside the households"):
        fourth_child_rule(**inputs)


def test_arrays_of_other_lengths_are_rejected():
    inputs = _inputs(5, 3, _law())
    inputs["common"] = inputs["common"][:-1]
    with pytest.raises(ValueError, match="different lengths"):
        fourth_child_rule(**inputs)
