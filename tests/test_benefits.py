"""The compiled benefit step (sim.engine.benefits_pass.benefits) against the rules' numpy functions.

``benefits_by_rules`` composes barnbidrag, underhållsstöd and bostadsbidrag from
:mod:`sim.rules` as the engine did in numpy until session 8; the compiled pass must give
every array bit for bit, on one thread and on several, and take the numpy path only for the
inputs it does not cover.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from bitwise import assert_bitwise_equal

import sim.engine.benefits_pass
from sim.engine.benefits_pass import MAX_CHILDREN_COMPILED, benefits, benefits_by_rules
from sim.engine.chunks import chunk_bounds
from sim.scenarios.scenario import load_scenario

#: Laws with the temporary tilläggsbidrag (2024, January-June 2025) and without it.
LAWS = [
    ("baseline", dt.date(2024, 3, 1)),
    ("baseline", dt.date(2025, 3, 1)),
    ("baseline", dt.date(2026, 3, 1)),
    ("kombinerad", dt.date(2027, 3, 1)),
]


def _law_sections(name: str, when: dt.date) -> dict:
    law = load_scenario(name).law(when.year).resolve(when)
    return {
        "barnbidrag_law": law.barnbidrag,
        "underhallsstod_law": law.underhallsstod,
        "bostadsbidrag_law": law.bostadsbidrag,
    }


def _population(rng: np.random.Generator, n: int) -> dict:
    """``n`` households of 0-2 adults and 0-7 children, persons grouped by household.

    Amounts: whole kronor and öre, zeros, negatives, NaN and -0.0; housing costs at the
    bostadsbidrag's floor and caps; ages around every age limit.
    """
    n_adults = rng.choice([0, 1, 1, 2, 2], n)
    n_children = rng.choice([0, 0, 1, 2, 3, 4, 7], n)
    sizes = n_adults + n_children
    household_idx = np.repeat(np.arange(n), sizes)
    first = np.repeat(np.cumsum(sizes) - sizes, sizes)
    rank = np.arange(household_idx.size) - first
    is_child = rank >= n_adults[household_idx]
    m = household_idx.size
    age = np.where(is_child, rng.integers(0, 21, m), rng.integers(18, 90, m)).astype(float)

    def amounts(scale: int, size: int) -> np.ndarray:
        values = rng.choice([0.0, 1.0, 1.0, 2.0], size) * rng.integers(0, scale, size)
        values += rng.choice([0.0, 0.0, 0.01, 0.37], size)
        special = rng.random(size)
        values[special < 0.01] = np.nan
        values[(special >= 0.01) & (special < 0.03)] = -0.0
        values[(special >= 0.03) & (special < 0.05)] *= -1.0
        return values

    housing_cost = amounts(12_000, n)
    at_limits = rng.random(n) < 0.2
    housing_cost[at_limits] = rng.choice([1_400.0, 6_800.0, 7_900.0, 8_600.0], at_limits.sum())
    return {
        "household_idx": household_idx,
        "is_child": is_child,
        "age": age,
        "is_in_school": rng.random(m) < 0.5,
        "receives_underhallsstod": rng.random(m) < 0.3,
        "taxable": amounts(40_000, m),
        "etableringsersattning": np.where(rng.random(m) < 0.1, amounts(10_000, m), 0.0),
        "is_cohabiting": (n_adults == 2) | (rng.random(n) < 0.05),
        "housing_cost": housing_cost,
    }


@pytest.fixture
def compiled_only(monkeypatch):
    """The numpy path made to fail inside ``benefits``: the compiled pass must cover it."""

    def fail(**_):
        raise AssertionError("benefits() took the numpy path")

    monkeypatch.setattr(sim.engine.benefits_pass, "benefits_by_rules", fail)


@pytest.mark.parametrize(("name", "when"), LAWS)
def test_benefits_equal_the_rules_in_numpy(name, when, compiled_only):
    sections = _law_sections(name, when)
    rng = np.random.default_rng([LAWS.index((name, when))])
    for n in (1, 7, 30_000):
        inputs = _population(rng, n)
        want = benefits_by_rules(**inputs, **sections)
        # On this thread, and split between numba's threads (also by bounds found before).
        for chunks in (1, 2, 3, chunk_bounds(inputs["household_idx"], 2)):
            got = benefits(**inputs, **sections, chunks=chunks)
            assert_bitwise_equal(got, want, (n, chunks))
    # The large draw reaches every branch: flerbarnstillägg, underhållsstöd, bostadsbidrag
    # paid, reduced to nothing by income, and with tilläggsbidrag where the law has it.
    assert (got.flerbarnstillagg > 0).any() and (got.underhallsstod > 0).any()
    families = got.barnbidrag > 0
    assert (got.bostadsbidrag[families] > 0).any() and (got.bostadsbidrag[families] == 0).any()
    has_tillagg = sections["bostadsbidrag_law"].tillaggsbidrag_share > 0
    assert (got.tillaggsbidrag > 0).any() == has_tillagg


def test_persons_not_grouped_by_household_give_the_same_numbers(compiled_only):
    sections = _law_sections(*LAWS[0])
    inputs = _population(np.random.default_rng(5), 2_000)
    order = np.random.default_rng(6).permutation(inputs["household_idx"].size)
    shuffled = {
        name: values[order] if values.size == order.size else values
        for name, values in inputs.items()
    }
    want = benefits_by_rules(**shuffled, **sections)
    for chunks in (1, 2):
        assert_bitwise_equal(benefits(**shuffled, **sections, chunks=chunks), want, chunks)


def test_annual_amount_exactly_at_the_minimum_is_paid(compiled_only):
    # 2026: one child (särskilt bidrag 1 500 kr), housing at the floor (no housing part):
    # 12 × 1 500 = 18 000 kr a year; a single adult's 19 500 kr a month is 234 000 kr a
    # year, 84 000 kr above 150 000 kr, reduced by 20 %: 16 800 kr. 18 000 - 16 800 =
    # 1 200 kr, the minimum of 97:16 (paid), 100 kr a month; 1 öre more income: nothing.
    sections = _law_sections(*LAWS[2])
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


@pytest.mark.parametrize("uncovered", ["age_not_whole", "many_children"])
def test_inputs_beyond_the_compiled_tables_take_the_rules(uncovered, monkeypatch):
    sections = _law_sections(*LAWS[3])
    inputs = _population(np.random.default_rng(9), 500)
    children = np.flatnonzero(inputs["is_child"])
    if uncovered == "age_not_whole":
        inputs["age"][children[-1]] = 6.5
        inputs["receives_underhallsstod"][children[-1]] = True
    else:
        # A last household of one adult and more children than the compiled table holds.
        n, extra = inputs["housing_cost"].size, MAX_CHILDREN_COMPILED + 1
        added = {
            "household_idx": np.full(extra + 1, n),
            "is_child": np.arange(extra + 1) > 0,
            "age": np.r_[40.0, np.full(extra, 3.0)],
            "is_in_school": np.zeros(extra + 1, dtype=bool),
            "receives_underhallsstod": np.zeros(extra + 1, dtype=bool),
            "taxable": np.zeros(extra + 1),
            "etableringsersattning": np.zeros(extra + 1),
            "is_cohabiting": np.array([False]),
            "housing_cost": np.array([7_000.0]),
        }
        inputs = {name: np.r_[values, added[name]] for name, values in inputs.items()}
    want = benefits_by_rules(**inputs, **sections)
    calls = []
    monkeypatch.setattr(
        sim.engine.benefits_pass,
        "benefits_by_rules",
        lambda **kw: calls.append(1) or benefits_by_rules(**kw),
    )
    for chunks in (1, 2):
        assert_bitwise_equal(benefits(**inputs, **sections, chunks=chunks), want, chunks)
    assert len(calls) == 2


def test_a_household_index_outside_the_households_is_an_error():
    sections = _law_sections(*LAWS[3])
    inputs = _population(np.random.default_rng(2), 50)
    # Also an uncovered age earlier: the index is still checked.
    inputs["age"][np.flatnonzero(inputs["is_child"])[0]] = 2.5
    inputs["receives_underhallsstod"][:] = True
    inputs["household_idx"] = inputs["household_idx"].copy()
    inputs["household_idx"][-1] = 50
    for chunks in (1, 2):
        with pytest.raises(ValueError, match="outside the households"):
            benefits(**inputs, **sections, chunks=chunks)


def test_arrays_of_other_lengths_are_rejected():
    sections = _law_sections(*LAWS[3])
    inputs = _population(np.random.default_rng(3), 5)
    inputs["taxable"] = inputs["taxable"][:-1]
    with pytest.raises(ValueError, match="different lengths"):
        benefits(**inputs, **sections)
    inputs = _population(np.random.default_rng(3), 5)
    inputs["is_cohabiting"] = inputs["is_cohabiting"][:-1]
    with pytest.raises(ValueError, match="different lengths"):
        benefits(**inputs, **sections)


def test_tables_follow_a_changed_law(compiled_only):
    """A reform of the amounts reaches the compiled pass (its tables come from the law)."""
    sections = _law_sections(*LAWS[3])
    bb = sections["barnbidrag_law"]
    sections["barnbidrag_law"] = dataclasses.replace(bb, amount_per_child=1_500.0)
    inputs = _population(np.random.default_rng(4), 300)
    want = benefits_by_rules(**inputs, **sections)
    assert_bitwise_equal(benefits(**inputs, **sections), want, "reform")
    assert set(np.unique(want.barnbidrag) % 1_500.0) == {0.0}
