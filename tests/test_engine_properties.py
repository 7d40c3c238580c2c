"""Properties the engine must have for any household (hypothesis)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.calculator.household import HouseholdSpec, calculate
from sim.engine.entities import Households, Persons, select_households
from sim.engine.pipeline import compute, compute_cases
from sim.engine.random_inputs import random_month
from sim.law.parameters import default_law
from sim.scenarios.scenario import load_scenario

MONTHS = st.sampled_from(["2024-03", "2025-03", "2025-11", "2026-03", "2026-12"])

households = st.builds(
    HouseholdSpec,
    adults=st.just(1),
    adult_ages=st.tuples(st.integers(18, 90)),
    child_ages=st.lists(st.integers(0, 18), max_size=7).map(tuple),
    preschool_lunch=st.booleans(),
    housing_cost=st.integers(0, 15000).map(float),
    earnings=st.tuples(st.integers(0, 60000).map(float)),
    other_income=st.dictionaries(
        st.sampled_from(["a_kassa", "sjukpenning", "etableringsersattning", "pension"]),
        st.integers(0, 20000).map(float),
        max_size=2,
    ),
    months_on_fs=st.integers(0, 30),
)
couples = households.flatmap(
    lambda spec: st.tuples(st.integers(18, 90), st.integers(0, 60000)).map(
        lambda extra: dataclasses.replace(
            spec,
            adults=2,
            adult_ages=(spec.adult_ages[0], extra[0]),
            earnings=(spec.earnings[0], float(extra[1])),
        )
    )
)
any_household = st.one_of(households, couples)


@settings(max_examples=150, deadline=None)
@given(spec=any_household, month=MONTHS, raise_by=st.integers(1000, 30000))
def test_more_earnings_never_raise_fs(spec, month, raise_by):
    """A raise of 1 000 kr or more never raises FS.

    Smaller steps can: the law has notches where more gross pay lowers counted income (the
    allmän pensionsavgift starts on the whole income at 42.3 % of a prisbasbelopp; incomes
    and bostadsbidrag are rounded to hundreds), and FS, as the last resort, makes up for
    them. ``test_the_tax_notch_is_real`` and ``test_the_bostadsbidrag_notch_is_real`` show
    them. The bound: of a raise R, about 0.75 R is net pay and, after six months on FS, 75 %
    of that counts (jobbstimulans), about 0.56 R; the bostadsbidrag loses 20 % of R and up to
    100 kr more by the rounding, × 1.4 with the 2024 tilläggsbidrag: 0.28 R + 140. Counted
    income rises once 0.28 R > 140, R > 500 or so; a scan of 25 kr steps (2024-2026,
    couples and singles with a-kassa) found rises up to R = 600 and none from 625 on.
    """
    richer = dataclasses.replace(spec, earnings=(spec.earnings[0] + raise_by, *spec.earnings[1:]))
    assert (
        calculate(richer, date=month)["forsorjningsstod"]
        <= calculate(spec, date=month)["forsorjningsstod"]
    )


@settings(max_examples=150, deadline=None)
@given(spec=any_household, month=MONTHS)
def test_fs_is_never_negative_and_tops_up_to_the_norm(spec, month):
    result = calculate(spec, date=month)
    assert result["forsorjningsstod"] >= 0
    need = result["riksnorm"] + result["reasonable_costs"]
    assert result["counted_income"] + result["forsorjningsstod"] >= need - 1e-9


@settings(max_examples=150, deadline=None)
@given(spec=any_household, month=MONTHS, child_age=st.integers(0, 18))
def test_adding_a_child_never_lowers_the_riksnorm(spec, month, child_age):
    bigger = dataclasses.replace(spec, child_ages=(*spec.child_ages, child_age))
    assert calculate(bigger, date=month)["riksnorm"] >= calculate(spec, date=month)["riksnorm"]


def _take(persons: Persons, households: Households, h: int) -> tuple[Persons, Households]:
    rows = persons.household_idx == h
    one_person_set = {f.name: getattr(persons, f.name)[rows] for f in dataclasses.fields(Persons)}
    one_person_set["household_idx"] = np.zeros(rows.sum(), dtype=np.int64)
    one_household = {
        f.name: getattr(households, f.name)[[h]] for f in dataclasses.fields(Households)
    }
    return Persons(**one_person_set), Households(**one_household)


#: Laws of March 2027 that use every branch of the engine (the SOU cap's second pass too).
LAWS_2027 = ("baseline", "kombinerad", "sou2025_modell_a")


def _laws_2027() -> list:
    return [load_scenario(name).law(2027).resolve(dt.date(2027, 3, 1)) for name in LAWS_2027]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_selection_of_households_gets_their_full_results(seed):
    """select_households + the engine = the engine's full results at the rows, bit for bit
    (what sim.simulation.year relies on to recompute only the households with moves into work)."""
    rng = np.random.default_rng(seed)
    persons, households = random_month(300, rng=rng)
    rows = np.flatnonzero(rng.random(households.n) < 0.2)
    chosen, its_households = select_households(persons, households, rows)
    in_rows = np.isin(persons.household_idx, rows)
    for params in _laws_2027():
        full = compute(persons, households, params)
        part = compute(chosen, its_households, params)
        for name, values in full.household_fields().items():
            assert np.array_equal(getattr(part, name), values[rows]), name
        assert np.array_equal(part.person_net_income, full.person_net_income[in_rows])


def _with_state(households: Households, rng: np.random.Generator) -> Households:
    n = households.n
    return dataclasses.replace(
        households,
        norm_topup=np.where(rng.random(n) < 0.3, 1500.0, 0.0),
        months_on_fs=rng.integers(0, 8, n).astype(np.float64),
        jobbstimulans_months_used=rng.integers(0, 14, n).astype(np.float64),
        takes_up_fs=rng.random(n) < 0.7,
    )


def test_cases_with_their_own_fs_state_equal_each_computed_alone():
    rng = np.random.default_rng(8)
    persons, households = random_month(400, rng=rng)
    laws = _laws_2027()
    states = [_with_state(households, rng) for _ in laws]
    together = compute_cases(persons, list(zip(states, laws, strict=True)))
    for state, params, result in zip(states, laws, together, strict=True):
        alone = compute(persons, state, params)
        for name, values in alone.household_fields().items():
            assert np.array_equal(getattr(result, name), values), name
    # The steps on the persons are shared; the FS state's are each case's own.
    assert together[0].income_tax is together[1].income_tax
    assert together[0].jobbstimulans_disregard is not together[1].jobbstimulans_disregard


def test_cases_must_share_the_households_but_their_fs_state():
    persons, households = random_month(20, rng=np.random.default_rng(2))
    params = _laws_2027()[0]
    other = dataclasses.replace(households, housing_cost=households.housing_cost + 1.0)
    with pytest.raises(ValueError, match="housing_cost"):
        compute_cases(persons, [(households, params), (other, params)])


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), month=MONTHS)
def test_vectorised_equals_one_household_at_a_time(seed, month):
    params = default_law().resolve(dt.date.fromisoformat(month + "-01"))
    persons, households = random_month(40, rng=np.random.default_rng(seed))
    together = compute(persons, households, params)
    for h in range(households.n):
        alone = compute(*_take(persons, households, h), params)
        for name, values in together.household_fields().items():
            assert getattr(alone, name)[0] == values[h], (name, h)


def test_compute_does_not_change_its_inputs():
    persons, households = random_month(200, rng=np.random.default_rng(3))
    before = {f.name: getattr(persons, f.name).copy() for f in dataclasses.fields(Persons)}
    compute(persons, households, default_law().resolve(dt.date(2026, 1, 1)))
    for name, values in before.items():
        assert np.array_equal(values, getattr(persons, name)), name


def test_the_bostadsbidrag_notch_is_real():
    """A raise of 501 kr raises FS by 4 kr: a case hypothesis found (March 2024).

    A couple with a child, a-kassa 7 460 kr, six months on FS (jobbstimulans: 25 % of net
    earnings not counted). 501 kr a month is 6 012 kr a year; 20 % of it (SFB 97:15) is
    100.20 kr a month, and the monthly bostadsbidrag is rounded down to hundreds, so it
    falls 3 200 -> 3 000 kr, and the tilläggsbidrag (40 % of it in 2024) 1 280 -> 1 200. Net
    earnings rise 394.13 kr, of which 98.53 kr are not counted, and the tax moves 19.61 kr
    onto the a-kassa: counted income falls by 394.13 - 98.53 - 19.61 - 200 - 80 = -4.01 kr.
    """
    from sim.calculator.household import HouseholdSpec, calculate

    spec = HouseholdSpec(
        adults=2,
        adult_ages=(18, 18),
        child_ages=(0,),
        housing_cost=5284.0,
        earnings=(0.0, 0.0),
        other_income={"a_kassa": 7460.0},
        months_on_fs=6,
    )
    before = calculate(spec, date="2024-03")
    after = calculate(dataclasses.replace(spec, earnings=(501.0, 0.0)), date="2024-03")
    assert (before["bostadsbidrag"], after["bostadsbidrag"]) == (3200.0, 3000.0)
    assert (before["tillaggsbidrag"], after["tillaggsbidrag"]) == (1280.0, 1200.0)
    assert after["jobbstimulans_disregard"] == pytest.approx(0.25 * after["net_earnings"])
    rise = after["forsorjningsstod"] - before["forsorjningsstod"]
    assert rise == pytest.approx(4.01, abs=0.01)


def test_the_tax_notch_is_real():
    """At the pension-fee threshold one krona more pay lowers net income and raises FS."""
    from sim.calculator.household import HouseholdSpec, calculate

    def fs(earnings):
        spec = HouseholdSpec(adults=1, adult_ages=(30,), housing_cost=5000, earnings=(earnings,))
        return calculate(spec, date="2026-03")

    below = [fs(e) for e in range(2000, 2200, 5)]
    jumps = [
        b["forsorjningsstod"] - a["forsorjningsstod"]
        for a, b in zip(below, below[1:], strict=False)
    ]
    assert max(jumps) > 50  # FS rises where the pension fee starts (law, not a model error)
    assert max(jumps) < 200
