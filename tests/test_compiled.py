"""The engine compiled and the same code interpreted give the same numbers, bit for bit.

Each rule is stated once, as scalar functions that numba compiles (sim/rules/), called by
compiled per-person and per-household drivers. With ``NUMBA_DISABLE_JIT=1`` the very same
functions run as plain Python on numpy scalars: if a compiled run ever computed another
number than the Python it was written as (an operation reordered, a fused multiply-add, a
rounding of its own), every array of every result is compared here, byte for byte, on
random households (:mod:`sim.random_inputs`) under laws of several years and reforms.
The worked cases (tests/cases/, tests/rules/, the doctests) hold the rules to the law.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from sim.engine import compute_laws
from sim.random_inputs import random_month
from sim.scenarios import load_scenario

#: Laws without the bidragstak (2024 with its other tax tables, 2026), with it (2027),
#: and the kombinerad law with SOU 2025:15 model A's second pass left out by design.
LAWS = (
    ("baseline", dt.date(2024, 3, 1)),
    ("baseline", dt.date(2026, 3, 1)),
    ("bidragstak", dt.date(2027, 3, 1)),
    ("kombinerad", dt.date(2027, 11, 1)),
)


def month_results(n_households: int = 1_500) -> dict[str, np.ndarray]:
    """Every array of the engine's results for random households under :data:`LAWS`, by
    ``law/field``."""
    rng = np.random.default_rng(22)
    persons, households = random_month(n_households, rng=rng)
    # Children's earnings earlier in the year around the exempt amount (SoL 12:9), and
    # a norm top-up for some households: every branch of the rules is taken.
    to_date = np.where(persons.is_child, rng.choice([0.0, 58_000.0, 70_000.0], persons.n), 0.0)
    earnings = np.where(
        persons.is_child & (rng.random(persons.n) < 0.3), 3_000.0, persons.earnings_gross
    )
    persons = dataclasses.replace(persons, earnings_gross=earnings, earnings_year_to_date=to_date)
    topup = np.where(rng.random(households.n) < 0.1, 400.0, 0.0)
    households = dataclasses.replace(households, norm_topup=topup)
    laws = [load_scenario(name).law(when.year).resolve(when) for name, when in LAWS]
    results = compute_laws(persons, households, laws)
    return {
        f"{i}/{field.name}": getattr(result, field.name)
        for i, result in enumerate(results)
        for field in dataclasses.fields(result)
    }


def test_compiled_and_interpreted_runs_agree_bit_for_bit(tmp_path):
    interpreted = tmp_path / "interpreted.npz"
    code = (
        "import sys, numpy as np; sys.path.insert(0, sys.argv[1]);"
        "from test_compiled import month_results;"
        "np.savez(sys.argv[2], **month_results())"
    )
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    subprocess.run(
        [sys.executable, "-c", code, str(Path(__file__).parent), str(interpreted)],
        env=env,
        check=True,
    )
    compiled = month_results()
    with np.load(interpreted) as python:
        assert sorted(python.files) == sorted(compiled)
        for name, values in compiled.items():
            want = python[name]
            assert values.dtype == want.dtype, name
            assert np.array_equal(values.view(np.uint8), want.view(np.uint8)), name
    # The draw reaches the rules' branches: jobbstimulans, children's counted earnings,
    # tax at 66 and over, FS paid and not.
    assert compiled["0/jobbstimulans_applies"].any()
    assert (compiled["1/counted_child_earnings"] > 0).any()
    assert (compiled["2/forsorjningsstod"] > 0).any()
    assert (compiled["2/forsorjningsstod"] < compiled["2/fs_entitlement"]).any()
