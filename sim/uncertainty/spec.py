"""What a sweep runs (:class:`SweepSpec`: everything that, with the seed, fixes every
replication), its checks before any work, the ``--grid`` syntax, and how a sweep stops
(:class:`SweepStopped`)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from sim.common.errors import SimInputError
from sim.common.validate import check_households, check_replications, check_seed
from sim.law.assumptions import default_assumptions
from sim.law.projection import LAST_YEAR
from sim.scenarios.scenario import load_scenario

if TYPE_CHECKING:
    from sim.municipal.profile import KommunProfile

#: What a replication may vary.
VARY_CHOICES = ("population", "calibration", "assumptions")


@dataclasses.dataclass(frozen=True)
class SweepSpec:
    """What a sweep runs: everything that, with the seed, fixes every replication."""

    scenarios: tuple[str, ...]
    year: int
    n_replications: int
    seed: int
    vary: tuple[str, ...] = VARY_CHOICES
    n_households: int | None = None
    population_path: str | None = None
    grid: tuple[str, tuple[float, ...]] | None = None
    kommun_profile: KommunProfile | None = None


class SweepStopped(SimInputError):
    """The sweep could not finish (a dead worker, a lost scheduler, a failed replication);
    the replications already finished are kept on disk. One line, exit code 2 at the CLI."""


def validate(spec: SweepSpec) -> None:
    """Reject a bad sweep before any work: one clear line (:class:`SimInputError`)."""
    check_replications(spec.n_replications)
    check_seed(spec.seed)
    if not 2024 <= spec.year <= LAST_YEAR:
        raise SimInputError(f"year {spec.year} is outside 2024-{LAST_YEAR}")
    if not spec.scenarios:
        raise SimInputError("--scenarios names no scenario")
    unknown = [v for v in spec.vary if v not in VARY_CHOICES]
    if unknown:
        raise SimInputError(
            f"--vary: unknown {unknown[0]!r}; use some of {', '.join(VARY_CHOICES)}"
        )
    if spec.n_households is not None and spec.population_path is not None:
        raise SimInputError("give --households or --population, not both")
    if spec.n_households is not None:
        check_households(spec.n_households, "--households")
    scenarios = [load_scenario(name) for name in spec.scenarios]
    if spec.grid is not None:
        path, values = spec.grid
        if not values:
            raise SimInputError(f"--grid {path}: no values")
        base = default_assumptions()
        for value in values:
            base.with_values({path: value})
        fixing = [s.name for s in scenarios if path in s.assumption_values]
        if fixing:
            raise SimInputError(f"--grid {path}: scenario {fixing[0]} fixes this assumption")


def parse_grid(text: str) -> tuple[str, tuple[float, ...]]:
    """The value of ``--grid``: an assumption path and the values it takes in turn.

    >>> parse_grid("bidragstak.norm_cut_children=0.1,0.15,0.2")
    ('bidragstak.norm_cut_children', (0.1, 0.15, 0.2))
    """
    path, sep, values = text.partition("=")
    try:
        numbers = tuple(float(v) for v in values.split(",") if v.strip())
    except ValueError:
        numbers = ()
    if not sep or not path.strip() or not numbers:
        raise SimInputError(f"--grid {text!r}: expected PATH=v1,v2,... with numbers")
    return path.strip(), numbers
