"""The compiled riksnorm step (sim.engine.riksnorm_pass) against the rule, sim.rules.riksnorm.riksnorm.

Every array must be the same, bit for bit, on one thread and on several; only inputs beyond
the compiled tables may take the rule itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from bitwise import assert_bitwise_equal

import sim.engine.riksnorm_pass
from sim.engine.chunks import chunk_bounds
from sim.engine.riksnorm_pass import MAX_PERSONS_COMPILED, Riksnorms, riksnorms
from sim.rules.riksnorm import riksnorm as rule
from sim.scenarios.scenario import load_scenario

LAWS = [
    ("baseline", dt.date(2024, 3, 1)),
    ("baseline", dt.date(2025, 3, 1)),
    ("baseline", dt.date(2026, 3, 1)),
    ("kombinerad", dt.date(2027, 3, 1)),
]


def _riksnorm_law(name: str, when: dt.date):
    return load_scenario(name).law(when.year).resolve(when).riksnorm


def _population(rng: np.random.Generator, n: int) -> dict:
    """``n`` households of 0-2 adults and 0-9 children (some empty), persons grouped; every
    child age from 0 to 20, with and without lunch in förskola."""
    n_adults = rng.choice([0, 1, 1, 2, 2], n)
    n_children = rng.choice([0, 0, 1, 2, 3, 4, 9], n)
    sizes = n_adults + n_children
    household_idx = np.repeat(np.arange(n), sizes)
    first = np.repeat(np.cumsum(sizes) - sizes, sizes)
    is_child = np.arange(household_idx.size) - first >= n_adults[household_idx]
    m = household_idx.size
    return {
        "household_idx": household_idx,
        "age": np.where(is_child, rng.integers(0, 21, m), rng.integers(18, 90, m)).astype(float),
        "is_child": is_child,
        "has_preschool_lunch": rng.random(m) < 0.4,
        "is_cohabiting": n_adults == 2,
    }


@pytest.fixture
def compiled_only(monkeypatch):
    """The rule's path made to fail inside ``riksnorms``: the compiled pass must cover it."""

    def fail(**_):
        raise AssertionError("riksnorms() took the rule's path")

    monkeypatch.setattr(sim.engine.riksnorm_pass, "riksnorms_by_rule", fail)


@pytest.mark.parametrize(("name", "when"), LAWS)
def test_riksnorms_equal_the_rule(name, when, compiled_only):
    p = _riksnorm_law(name, when)
    rng = np.random.default_rng([LAWS.index((name, when))])
    for n in (1, 7, 30_000):
        inputs = _population(rng, n)
        want = rule(**inputs, p=p)
        # On this thread, and split between numba's threads (also by bounds found before).
        for chunks in (1, 2, 3, chunk_bounds(inputs["household_idx"], 2)):
            assert_bitwise_equal(riksnorms(**inputs, p=p, chunks=chunks), want, (n, chunks))
    # The draw holds households without persons and up to 11 persons, cohabiting or not.
    sizes = np.bincount(inputs["household_idx"], minlength=n)
    assert sizes.min() == 0 and sizes.max() == 11


def test_persons_not_grouped_by_household_give_the_same_numbers(compiled_only):
    p = _riksnorm_law(*LAWS[3])
    inputs = _population(np.random.default_rng(5), 2_000)
    order = np.random.default_rng(6).permutation(inputs["household_idx"].size)
    shuffled = {
        name: values[order] if values.size == order.size else values
        for name, values in inputs.items()
    }
    want = rule(**shuffled, p=p)
    for chunks in (1, 2):
        assert_bitwise_equal(riksnorms(**shuffled, p=p, chunks=chunks), want, chunks)


@pytest.mark.parametrize("uncovered", ["age_not_whole", "many_persons"])
def test_inputs_beyond_the_compiled_tables_take_the_rule(uncovered, monkeypatch):
    p = _riksnorm_law(*LAWS[3])
    inputs = _population(np.random.default_rng(9), 500)
    if uncovered == "age_not_whole":
        inputs["age"][np.flatnonzero(inputs["is_child"])[-1]] = 6.5
    else:
        # A last household of more persons than the compiled table of common costs holds.
        n, size = inputs["is_cohabiting"].size, MAX_PERSONS_COMPILED + 1
        added = {
            "household_idx": np.full(size, n),
            "age": np.r_[40.0, np.full(size - 1, 3.0)],
            "is_child": np.arange(size) > 0,
            "has_preschool_lunch": np.zeros(size, dtype=bool),
            "is_cohabiting": np.array([False]),
        }
        inputs = {name: np.r_[values, added[name]] for name, values in inputs.items()}
    want = rule(**inputs, p=p)
    calls = []

    def counted(**arguments):
        calls.append(1)
        return Riksnorms(**rule(**arguments))

    monkeypatch.setattr(sim.engine.riksnorm_pass, "riksnorms_by_rule", counted)
    for chunks in (1, 2):
        assert_bitwise_equal(riksnorms(**inputs, p=p, chunks=chunks), want, chunks)
    assert len(calls) == 2


def test_a_household_index_outside_the_households_is_an_error():
    p = _riksnorm_law(*LAWS[3])
    inputs = _population(np.random.default_rng(2), 50)
    # Also an uncovered age earlier: the index is still checked.
    inputs["age"][np.flatnonzero(inputs["is_child"])[0]] = 2.5
    inputs["household_idx"][-1] = 50
    for chunks in (1, 2):
        with pytest.raises(ValueError, match="outside the households"):
            riksnorms(**inputs, p=p, chunks=chunks)


def test_person_arrays_of_other_lengths_are_rejected():
    inputs = _population(np.random.default_rng(3), 5)
    inputs["age"] = inputs["age"][:-1]
    with pytest.raises(ValueError, match="different lengths"):
        riksnorms(**inputs, p=_riksnorm_law(*LAWS[3]))


def test_tables_follow_a_changed_law(compiled_only):
    """A change of the amounts reaches the compiled pass (its tables come from the law)."""
    p = _riksnorm_law(*LAWS[3])
    changed = dataclasses.replace(p, adult_single=5_000.0, adults_cohabiting=9_000.0)
    inputs = _population(np.random.default_rng(4), 300)
    want = rule(**inputs, p=changed)
    assert_bitwise_equal(riksnorms(**inputs, p=changed), want, "changed")
    assert 5_000.0 in want["personal_adults"] and 9_000.0 in want["personal_adults"]
