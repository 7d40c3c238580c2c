"""The draws of a sweep's replications: population seeds, calibration noise and assumption
values, all fixed by the sweep's seed.


Replication ``r`` takes the ``r``-th child of ``SeedSequence(seed)``
(``SeedSequence(seed, spawn_key=(r,))``) and splits it into four streams, so each replication
is the same whatever else is in the sweep and wherever it runs:

1. **population** -- a seed for a freshly built and calibrated population of ``n_households``
   dwellings (:func:`sim.population.build.make_population`); the run uses the same seed, so
   take-up follows the population's own stream, as ``sim run`` does. With a fixed population
   (``population_path``) only the run seed (take-up and behaviour draws) varies;
2. **calibration** -- every calibration margin of ``sim/population/targets.csv`` is multiplied
   by ``exp(sd * z)``, ``z`` standard normal (a lognormal factor with median 1), ``sd`` from
   :data:`TARGET_SD` (register totals 2 %, earlier years' values used for 2024 3 %, a figure
   quoted in a statement 10 %) or else by the row's evidence code (:data:`RELATIVE_SD`: 2 %
   for primary statistics, 5 % for secondary). The perturbed copy is written to a temporary
   file and the population's design weights are calibrated to it
   (:func:`sim.uncertainty.replication.run_replication`). Targets the calibration cannot meet
   together (as when the recipients' months and the full-year count move apart) are drawn
   again from the same stream, at most :data:`MAX_CALIBRATION_DRAWS` times; the draw used is
   recorded;
3. **assumptions** -- every numeric model assumption with a range is drawn from the
   triangular distribution on ``[low, high]`` with its mode at the central value, and applied
   to every scenario, the baseline included, through ``Scenario.assumption_values`` (a
   reading, such as which children the bidragstak's fourth-child rule reaches, is drawn as a
   code: :func:`draw_reading`; a value the scenario itself fixes wins). Assumptions the run
   cannot take this way are listed in the manifest as not varied, with the reason
   (:func:`drawable_assumptions`). A grid (``grid=(path, values)``) sets one assumption to
   each value in turn instead of drawing it;
4. **run** -- the run seed for a fixed population.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from sim.common.errors import SimInputError
from sim.law.assumptions import default_assumptions
from sim.law.parameters import Table
from sim.population.targets import aligned_targets, load_targets
from sim.uncertainty.spec import SweepSpec

#: Relative standard deviation of a calibration target, by target id: official register
#: totals 2 %; values of an earlier year used for 2024 3 %; a figure quoted in a statement 10 %.
TARGET_SD = {
    "fs_households": 0.02,
    "fs_paid": 0.02,
    "fs_households_full_year": 0.10,
    "fs_months_per_household": 0.03,
    "fs_longterm_share_recipients": 0.03,
}


#: Otherwise by the first letter of the row's evidence code (P: primary statistics, such as
#: SCB's household and person counts and Socialstyrelsen's recipient types; S: secondary);
#: anything else 10 %.
RELATIVE_SD = {"P": 0.02, "S": 0.05}


OTHER_RELATIVE_SD = 0.10


#: Noise draws tried per replication before giving up: targets the model cannot meet
#: together (calibration infeasible within the weight bounds) are drawn again.
MAX_CALIBRATION_DRAWS = 10


@dataclasses.dataclass(frozen=True)
class Replication:
    """The draws of one replication (recorded in the manifest)."""

    index: int
    population_seed: int | None
    run_seed: int | None
    seed: int
    perturb_targets: bool
    assumption_values: Mapping[str, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "population_seed": self.population_seed,
            "run_seed": self.run_seed,
            "assumption_values": dict(self.assumption_values),
        }


def drawable_assumptions() -> tuple[dict[str, tuple[float, float, float]], dict[str, str]]:
    """Numeric assumptions that replications draw, ``path -> (low, central, high)``, and the
    ones left at their central value, ``path -> reason``."""
    base = default_assumptions()
    drawn: dict[str, tuple[float, float, float]] = {}
    kept: dict[str, str] = {}
    for concept, group in sorted(base.items.items()):
        for name, item in sorted(group.items()):
            path = f"{concept}.{name}"
            if isinstance(item.value, Table):
                kept[path] = "a table: no range (a separate scale assumption varies it, if any)"
            elif item.low is None or item.high is None or not item.low < item.high:
                kept[path] = "no range"
            else:
                try:
                    base.with_values({path: item.low})
                    base.with_values({path: item.high})
                except SimInputError as error:
                    kept[path] = f"its range is rejected as an override ({error})"
                    continue
                drawn[path] = (item.low, float(item.value), item.high)
    return drawn, kept


def reading_assumptions() -> frozenset[str]:
    """The assumptions that are readings (unit ``reading``): codes, drawn as codes."""
    base = default_assumptions()
    return frozenset(
        f"{concept}.{name}"
        for concept, group in base.items.items()
        for name, item in group.items()
        if item.unit == "reading"
    )


def draw_reading(rng: np.random.Generator, first: float, central: float, last: float) -> float:
    """A reading's code: the central reading with probability 1/2, each other code with an
    equal share of the rest (the central reading is the one the evidence favours; the
    others are not ruled out).

    >>> rng = np.random.default_rng(0)
    >>> sorted({draw_reading(rng, 0.0, 0.0, 2.0) for _ in range(50)})
    [0.0, 1.0, 2.0]
    """
    others = [float(code) for code in range(int(first), int(last) + 1) if code != central]
    if not others or rng.random() < 0.5:
        return float(central)
    return others[int(rng.integers(len(others)))]


def calibration_sds(targets_path: str | Path | None = None) -> dict[str, float]:
    """Target key -> relative SD, for every row used as a calibration margin."""
    targets = aligned_targets(load_targets(targets_path), 2024)
    return {
        t.target.key: TARGET_SD.get(
            t.target.id, RELATIVE_SD.get(t.target.evidence.strip()[:1], OTHER_RELATIVE_SD)
        )
        for t in targets
        if t.use == "margin"
    }


def target_factors(seed: int, index: int, draw: int = 0) -> dict[str, float]:
    """Target key -> factor ``exp(sd * z)`` of noise draw ``draw`` of replication ``index``."""
    sds = calibration_sds()
    stream = np.random.SeedSequence(seed, spawn_key=(index,)).spawn(4)[1]
    z = np.random.default_rng(stream).standard_normal((draw + 1, len(sds)))[draw]
    return {key: math.exp(sd * zi) for (key, sd), zi in zip(sds.items(), z, strict=True)}


def plan_replications(spec: SweepSpec, *, fixed_seed: int | None = None) -> list[Replication]:
    """The draws of every replication of ``spec`` (see the module docstring).

    ``fixed_seed`` is the recorded seed of the fixed population: the run seed when the
    population is not varied (take-up then follows the population's own stream)."""
    drawn, _ = drawable_assumptions()
    readings = reading_assumptions()
    if spec.grid is not None:
        drawn.pop(spec.grid[0], None)
    fixed_population = spec.population_path is not None
    out = []
    for index in range(spec.n_replications):
        child = np.random.SeedSequence(spec.seed, spawn_key=(index,))
        pop_ss, _, ass_ss, run_ss = child.spawn(4)  # the second: target_factors
        population_seed = run_seed = None
        if not fixed_population:
            population_seed = _int_seed(pop_ss) if "population" in spec.vary else spec.seed
        elif "population" in spec.vary:
            run_seed = _int_seed(run_ss)
        else:
            run_seed = spec.seed if fixed_seed is None else fixed_seed
        values: dict[str, float] = {}
        if "assumptions" in spec.vary:
            rng = np.random.default_rng(ass_ss)
            for path, (low, mode, high) in drawn.items():
                if path in readings:
                    values[path] = draw_reading(rng, low, mode, high)
                else:
                    values[path] = float(rng.triangular(low, mode, high))
        if spec.grid is not None:
            path, grid_values = spec.grid
            values[path] = grid_values[index % len(grid_values)]
        perturb = "calibration" in spec.vary
        out.append(Replication(index, population_seed, run_seed, spec.seed, perturb, values))
    return out


def _int_seed(seq: np.random.SeedSequence) -> int:
    return int(seq.generate_state(1, dtype=np.uint32)[0])
