"""The take-up model's month (sim.population.receipt.take_up_step) against its numpy
formulation, which the compiled pass replaced."""

from __future__ import annotations

import numpy as np
import pytest

from sim.population.receipt import (
    CLAIM_SCALE_SEK,
    P_CLAIM_MAX,
    TakeUpDraws,
    take_up_draws,
    take_up_step,
)


def numpy_take_up_step(*, entitlement, months_on_fs, propensity, assets, draws, claim_factor):
    """The model as numpy expressions (the implementation until session 7)."""
    propensity = np.where(draws.redraw, draws.fresh_propensity, propensity)
    entitled = entitlement > 0
    lives_on_savings = entitled & (months_on_fs == 0) & (assets >= entitlement)
    assets = np.where(lives_on_savings, assets - entitlement, assets)
    new_spell = np.flatnonzero(entitled & (months_on_fs == 0) & ~lives_on_savings)
    claims = np.zeros(entitlement.size, dtype=bool)
    claims[new_spell] = (
        propensity[new_spell]
        < P_CLAIM_MAX * (1.0 - np.exp(-entitlement[new_spell] / CLAIM_SCALE_SEK)) * claim_factor
    )
    takes_up = entitled & ~lives_on_savings & np.where(months_on_fs > 0, draws.keeps, claims)
    assets = np.where(takes_up, 0.0, assets)
    return takes_up, propensity, assets


def _inputs(rng: np.random.Generator, n: int) -> dict:
    """Entitlements and savings on a coarse grid (so savings often equal the entitlement),
    with zero and negative entitlements, fractional, negative and NaN months."""
    entitlement = rng.choice([-500.0, 0.0, 0.0, 1000.0, 2500.0, 4000.0, 12000.0, np.nan], n)
    entitlement += rng.choice([0.0, 0.25], n)
    return {
        "entitlement": entitlement,
        "months_on_fs": rng.choice([0.0, 0.0, 1.0, 2.0, 7.0, -1.0, 0.5, np.nan], n),
        "propensity": rng.random(n),
        "assets": rng.choice([0.0, 1000.0, 2500.0, 4000.25, 50000.0, np.nan], n),
        "draws": take_up_draws(rng, n),
    }


@pytest.mark.parametrize("claim_factor", [1.0, 0.7, 0.0])
def test_take_up_step_equals_its_numpy_formulation(claim_factor):
    rng = np.random.default_rng(7)
    for n in (0, 1, 17, 100_000):
        inputs = _inputs(rng, n)
        before = {k: v.copy() for k, v in inputs.items() if k != "draws"}
        got = take_up_step(**inputs, claim_factor=claim_factor)
        want = numpy_take_up_step(**inputs, claim_factor=claim_factor)
        for got_values, want_values in zip(got, want, strict=True):
            assert got_values.dtype == want_values.dtype
            np.testing.assert_array_equal(got_values, want_values)
        for name, values in before.items():  # the inputs are left as they were
            np.testing.assert_array_equal(inputs[name], values)
    # Each branch of the model occurs in the last (large) draw.
    takes_up, _, assets = got
    spells = (inputs["months_on_fs"] == 0) & (inputs["entitlement"] > 0)
    assert takes_up[spells].any() == (claim_factor > 0)
    assert takes_up[inputs["months_on_fs"] > 0].any()
    assert (assets < inputs["assets"]).any() and (assets[spells] > 0).any()


def test_take_up_step_keeps_a_spell_only_with_the_draw():
    draws = TakeUpDraws(
        redraw=np.zeros(2, dtype=bool),
        fresh_propensity=np.zeros(2),
        keeps=np.array([True, False]),
    )
    takes_up, _, assets = take_up_step(
        entitlement=np.array([3000.0, 3000.0]),
        months_on_fs=np.array([4.0, 4.0]),
        propensity=np.ones(2),
        assets=np.array([200.0, 200.0]),
        draws=draws,
    )
    assert takes_up.tolist() == [True, False]
    assert assets.tolist() == [0.0, 200.0]


def test_take_up_step_rejects_arrays_of_another_length():
    inputs = _inputs(np.random.default_rng(2), 5)
    inputs["assets"] = inputs["assets"][:4]
    with pytest.raises(ValueError, match="households' length"):
        take_up_step(**inputs)
