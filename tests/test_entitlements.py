"""The FS step (sim.engine.entitlement_pass): threads that change no number, and its guard on lengths.

The numbers of the step are held to the law by the worked cases (tests/cases/, the
doctests of sim/rules/forsorjningsstod.py, jobbstimulans.py, skaliga_kostnader.py and of
sim/engine/entitlement_pass.py) and to the interpreted Python they are written as by
tests/test_jit.py.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.engine.entities import households_from_columns
from sim.engine.entitlement_pass import entitlements, fs_law, reasonable_costs
from sim.law.assumptions import default_assumptions
from sim.rules.forsorjningsstod import COUNTED_INCOME
from sim.rules.skaliga_kostnader import housing_limits
from sim.scenarios.scenario import load_scenario


def _law(when: dt.date = dt.date(2026, 3, 1)):
    p = load_scenario("kombinerad").law(when.year).resolve(when)
    a = default_assumptions().bidragstak
    return fs_law(jobbstimulans=p.jobbstimulans, bidragstak=p.bidragstak, bidragstak_assumptions=a)


def test_the_households_split_between_threads_give_the_numbers_of_one():
    rng = np.random.default_rng(5)
    n = 20_000
    n_persons = rng.integers(1, 9, n)
    households = households_from_columns(
        is_cohabiting=n_persons > 1,
        housing_cost=rng.uniform(3_000, 12_000, n).round(-1),
        hushallsel=np.full(n, 450.0),
        hemforsakring=np.full(n, 150.0),
        housing_limit_factor=rng.choice([0.9, 1.0, 1.2], n),
        norm_topup=np.where(rng.random(n) < 0.1, 400.0, 0.0),
        months_on_fs=rng.integers(0, 13, n),
        jobbstimulans_months_used=rng.integers(0, 30, n),
        takes_up_fs=rng.random(n) < 0.7,
    )
    limits = housing_limits(default_assumptions().skaliga_kostnader)
    costs = reasonable_costs(households, n_persons=n_persons, limits=limits, threads=1)
    arguments = dict(
        riksnorm=rng.uniform(4_000, 20_000, n).round(0),
        reasonable_costs=costs.reasonable_costs,
        incomes={name: rng.uniform(0, 4_000, n).round(2) for name in COUNTED_INCOME},
        disposable_before_fs=rng.uniform(0, 30_000, n).round(2),
        law=_law(dt.date(2027, 3, 1)),
    )
    one = entitlements(households, **arguments, threads=1)
    assert one.jobbstimulans_applies.any() and (one.forsorjningsstod > 0).any()
    assert (costs.housing_counted < households.housing_cost).any()
    for threads in (2, 3):
        split = reasonable_costs(households, n_persons=n_persons, limits=limits, threads=threads)
        for name, values in costs._asdict().items():
            assert np.array_equal(getattr(split, name), values), (name, threads)
        split = entitlements(households, **arguments, threads=threads)
        for name, values in one._asdict().items():
            assert np.array_equal(getattr(split, name), values), (name, threads)


def test_entitlements_reject_arrays_of_another_length():
    households = households_from_columns(is_cohabiting=np.zeros(5, dtype=bool))
    incomes = dict.fromkeys(COUNTED_INCOME, np.zeros(5))
    incomes["bostadsbidrag"] = np.zeros(4)
    with pytest.raises(ValueError, match="households' length"):
        entitlements(
            households,
            riksnorm=np.zeros(5),
            reasonable_costs=np.zeros(5),
            incomes=incomes,
            disposable_before_fs=np.zeros(5),
            law=_law(),
        )
