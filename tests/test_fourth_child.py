"""The compiled fourth-child rule (sim.engine.fourth_child_pass) against the rules' numpy functions.

``fourth_child_rule_by_rules`` ranks and sums as the engine did in numpy until session 8;
the compiled pass must give every array bit for bit, and take the numpy path only for the
inputs it does not cover.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from bitwise import assert_bitwise_equal

import sim.engine.fourth_child_pass
from sim.engine.fourth_child_pass import fourth_child_rule, fourth_child_rule_by_rules
from sim.rules.bidragstak import FourthChildOrder
from sim.rules.riksnorm import riksnorm
from sim.scenarios.scenario import load_scenario


def _law(name: str = "bidragstak", when: dt.date = dt.date(2027, 3, 1)):
    return load_scenario(name).law(when.year).resolve(when)


def _population(rng: np.random.Generator, n: int, law) -> dict:
    """``n`` households of 0-2 adults and 0-9 children, persons grouped by household, the
    adults and children in any order; ages with many ties (twins), with and without lunch
    in förskola; the riksnorm's parts before the rule."""
    n_adults = rng.choice([0, 1, 1, 2, 2], n)
    n_children = rng.choice([0, 1, 2, 3, 4, 5, 6, 9], n)
    sizes = n_adults + n_children
    household_idx = np.repeat(np.arange(n), sizes)
    is_child = np.zeros(household_idx.size, dtype=bool)
    start = 0
    for size, adults in zip(sizes, n_adults, strict=True):
        is_child[start : start + size] = rng.permutation(size) >= adults
        start += size
    m = household_idx.size
    age = np.where(is_child, rng.choice([0, 1, 3, 3, 5, 8, 8, 12, 16, 19], m), 40).astype(float)
    inputs = {
        "household_idx": household_idx,
        "is_child": is_child,
        "age": age,
        "has_preschool_lunch": rng.random(m) < 0.4,
    }
    norm = riksnorm(**inputs, is_cohabiting=n_adults == 2, p=law.riksnorm)
    return {
        **inputs,
        "n_children": np.bincount(household_idx[is_child], minlength=n),
        "n_adults": n_adults,
        "personal_children": norm["personal_children"],
        "personal_adults": norm["personal_adults"],
        "common": norm["common"],
        "riksnorm_law": law.riksnorm,
        "bidragstak_law": law.bidragstak,
    }


@pytest.fixture
def compiled_only(monkeypatch):
    """The numpy path made to fail inside ``fourth_child_rule``."""

    def fail(**_):
        raise AssertionError("fourth_child_rule() took the numpy path")

    monkeypatch.setattr(sim.engine.fourth_child_pass, "fourth_child_rule_by_rules", fail)


def _variant(name: str):
    if name == "kombinerad":
        return _law("kombinerad", dt.date(2027, 11, 1))
    law = _law()
    if name == "full_from_third":  # the rule at its full reduction, from the third child
        reform = dataclasses.replace(law.bidragstak, fourth_child_phase=1.0, fourth_child_rank=3.0)
        law = dataclasses.replace(law, sections={**law.sections, "bidragstak": reform})
    return law


@pytest.mark.parametrize("variant", ["bidragstak", "kombinerad", "full_from_third"])
def test_fourth_child_rule_equals_the_rules_in_numpy(variant, compiled_only):
    law = _variant(variant)
    rng = np.random.default_rng(1)
    for n in (1, 7, 20_000):
        inputs = _population(rng, n, law)
        want = fourth_child_rule_by_rules(**inputs)
        assert_bitwise_equal(fourth_child_rule(**inputs), want, n)
    # The large draw has households the rule reaches, single parents and couples among
    # them, and ties in age among the children it ranks.
    assert (want.reduction > 0).any() and (want.reduction == 0).any()
    children = inputs["is_child"] & (inputs["n_children"][inputs["household_idx"]] >= 4)
    ranked = np.c_[inputs["household_idx"][children], inputs["age"][children]]
    assert np.unique(ranked, axis=0).shape[0] < ranked.shape[0]  # equal ages, one household
    single = inputs["n_adults"][inputs["household_idx"][children]] == 1
    assert single.any() and not single.all()
    assert (want.personal_children < inputs["personal_children"]).any()


@pytest.mark.parametrize("order", list(FourthChildOrder))
@pytest.mark.parametrize("child_factor", [1.0, 0.9511])
def test_every_reading_and_a_cut_of_the_children_equal_the_rules_in_numpy(
    order, child_factor, compiled_only
):
    """The readings of "the fourth child" (most expensive, birth order, average) and the
    modernised norm's factor on the children's costs: bit for bit, on households with
    equal ages and costs (twins, "utan lunch" amounts)."""
    law = _variant("full_from_third")
    rng = np.random.default_rng(int(order) + 11)
    for n in (1, 9, 20_000):
        inputs = _population(rng, n, law)
        inputs["personal_children"] = inputs["personal_children"] * child_factor
        inputs = {**inputs, "order": order, "child_factor": child_factor}
        want = fourth_child_rule_by_rules(**inputs)
        assert_bitwise_equal(fourth_child_rule(**inputs), want, n)
    assert (want.reduction > 0).any()


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


def test_persons_not_grouped_by_household_take_the_numpy_path(monkeypatch):
    law = _law()
    inputs = _population(np.random.default_rng(5), 2_000, law)
    order = np.random.default_rng(6).permutation(inputs["household_idx"].size)
    for name in ("household_idx", "is_child", "age", "has_preschool_lunch"):
        inputs[name] = inputs[name][order]
    want = fourth_child_rule_by_rules(**inputs)
    calls = []
    monkeypatch.setattr(
        sim.engine.fourth_child_pass,
        "fourth_child_rule_by_rules",
        lambda **kw: calls.append(1) or fourth_child_rule_by_rules(**kw),
    )
    assert_bitwise_equal(fourth_child_rule(**inputs), want, "shuffled")
    assert calls == [1]


def test_ages_beyond_the_tables_take_the_numpy_path(monkeypatch):
    law = _law()
    inputs = _population(np.random.default_rng(7), 500, law)
    large = np.flatnonzero(inputs["n_children"] >= 4)[0]
    child = np.flatnonzero(inputs["is_child"] & (inputs["household_idx"] == large))[0]
    inputs["age"][child] = 6.5
    want = fourth_child_rule_by_rules(**inputs)
    calls = []
    monkeypatch.setattr(
        sim.engine.fourth_child_pass,
        "fourth_child_rule_by_rules",
        lambda **kw: calls.append(1) or fourth_child_rule_by_rules(**kw),
    )
    assert_bitwise_equal(fourth_child_rule(**inputs), want, "age 6.5")
    assert calls == [1]


def test_a_household_index_outside_the_households_is_an_error():
    inputs = _population(np.random.default_rng(2), 50, _law())
    inputs["household_idx"][-1] = 50
    with pytest.raises(ValueError, match="outside the households"):
        fourth_child_rule(**inputs)


def test_arrays_of_other_lengths_are_rejected():
    inputs = _population(np.random.default_rng(3), 5, _law())
    inputs["common"] = inputs["common"][:-1]
    with pytest.raises(ValueError, match="different lengths"):
        fourth_child_rule(**inputs)
