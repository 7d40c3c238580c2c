"""The compiled FS step (sim.engine.entitlement_pass) against the rules' numpy functions.

The engine computed the jobbstimulans, the counted income and försörjningsstöd as numpy
expressions of :mod:`sim.rules` until session 7; :func:`numpy_entitlements` is that
formulation, kept as the reference. Every array must be the same, bit for bit.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from bitwise import assert_bitwise_equal

from sim.engine.entitlement_pass import COUNTED_AFTER_EARNINGS, Entitlements, entitlements
from sim.law.assumptions import default_assumptions
from sim.rules import bidragstak, forsorjningsstod, jobbstimulans
from sim.scenarios.scenario import load_scenario


def numpy_entitlements(**inputs) -> Entitlements:
    """The step as the engine computed it in numpy (sim/engine/pipeline.py before session 7)."""
    p = inputs["jobbstimulans"]
    applies = jobbstimulans.jobbstimulans_applies(
        months_on_fs=inputs["months_on_fs"],
        jobbstimulans_months_used=inputs["jobbstimulans_months_used"],
        p=p,
    )
    disregard = jobbstimulans.jobbstimulans_disregard(
        net_earnings_adults=inputs["net_earnings_adults"], applies=applies, p=p
    )
    counted = inputs["net_earnings_adults"] - disregard
    for name in COUNTED_AFTER_EARNINGS:
        counted += inputs[name]
    topup = bidragstak.counted_norm_topup(
        norm_topup=inputs["norm_topup"],
        p=inputs["bidragstak"],
        a=inputs["bidragstak_assumptions"],
    )
    entitlement = forsorjningsstod.forsorjningsstod(
        riksnorm=inputs["riksnorm"] + topup,
        skaliga_kostnader=inputs["skaliga_kostnader"],
        counted_income=counted,
    )
    paid = np.where(inputs["takes_up_fs"], entitlement, 0.0)
    return Entitlements(
        applies,
        disregard,
        counted,
        topup,
        entitlement,
        paid,
        inputs["disposable_before_fs"] + paid,
    )


#: Laws of several years: without the bidragstak (2024, 2026: every top-up kept) and with
#: it (2027: part 3 keeps only the exceptions' share), the kombinerad law with the
#: aktivitetskrav and the jobbpremie.
LAWS = [
    ("baseline", dt.date(2024, 3, 1)),
    ("baseline", dt.date(2026, 3, 1)),
    ("bidragstak", dt.date(2027, 3, 1)),
    ("kombinerad", dt.date(2027, 11, 1)),
]


def _law(name: str, when: dt.date):
    return load_scenario(name).law(when.year).resolve(when)


def _inputs(rng: np.random.Generator, n: int, law, assumptions) -> dict:
    """Household amounts in whole kronor and in öre, zeros and negatives (a loss, a repaid
    benefit), NaN and -0.0; FS histories around the jobbstimulans' limits."""

    def amounts(scale: float) -> np.ndarray:
        values = rng.choice([0.0, 0.0, 1.0, 2.0], n) * rng.integers(0, int(scale), n)
        values += rng.choice([0.0, 0.0, 0.01, 0.37], n)
        special = rng.random(n)
        values[special < 0.01] = np.nan
        values[(special >= 0.01) & (special < 0.03)] = -0.0
        values[(special >= 0.03) & (special < 0.05)] *= -1.0
        return values

    inputs = {name: amounts(8_000) for name in COUNTED_AFTER_EARNINGS}
    inputs.update(
        riksnorm=amounts(15_000),
        norm_topup=amounts(3_000),
        skaliga_kostnader=amounts(12_000),
        net_earnings_adults=amounts(30_000),
    )
    # A need of -0.0 (norm, top-up and costs -0.0, no income): numpy's maximum keeps it.
    for name in ("riksnorm", "norm_topup", "skaliga_kostnader"):
        inputs[name][:2] = -0.0
    for name in ("net_earnings_adults", *COUNTED_AFTER_EARNINGS):
        inputs[name][:2] = 0.0
    inputs.update(
        disposable_before_fs=amounts(40_000),
        months_on_fs=rng.choice([0.0, 1.0, 5.0, 6.0, 7.0, 30.0], n),
        jobbstimulans_months_used=rng.choice([0.0, 1.0, 23.0, 24.0, 25.0], n),
        takes_up_fs=rng.random(n) < 0.6,
        jobbstimulans=law.jobbstimulans,
        bidragstak=law.bidragstak,
        bidragstak_assumptions=assumptions.bidragstak,
    )
    return inputs


@pytest.mark.parametrize(("name", "when"), LAWS)
def test_entitlements_equal_the_rules_in_numpy(name, when):
    law = _law(name, when)
    rng = np.random.default_rng([LAWS.index((name, when))])
    assumptions = default_assumptions()
    for n in (0, 1, 7, 50_000):
        inputs = _inputs(rng, n, law, assumptions)
        want = numpy_entitlements(**inputs)
        # On this thread, and split between numba's threads (one range of households each).
        for threads in (1, 2, 3):
            got = entitlements(**inputs, threads=threads)
            assert_bitwise_equal(got, want, threads)
    # The large draw reaches every branch: the jobbstimulans on and off, entitlements above
    # and at zero, paid and not.
    assert got.jobbstimulans_applies.any() and not got.jobbstimulans_applies.all()
    assert (got.jobbstimulans_disregard > 0).any() == (law.jobbstimulans.disregarded_share > 0)
    assert (got.fs_entitlement > 0).any() and (got.fs_entitlement == 0).any()
    assert (got.forsorjningsstod > 0).any() and (got.forsorjningsstod < got.fs_entitlement).any()
    assert np.signbit(got.fs_entitlement[got.fs_entitlement == 0]).any()


def test_entitlements_reject_arrays_of_another_length():
    law = _law(*LAWS[0])
    inputs = _inputs(np.random.default_rng(1), 5, law, default_assumptions())
    inputs["bostadsbidrag"] = inputs["bostadsbidrag"][:4]
    with pytest.raises(ValueError, match="households' length"):
        entitlements(**inputs)
