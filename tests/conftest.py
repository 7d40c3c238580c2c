"""Shared fixtures: a small calibrated population built once per test session."""

from __future__ import annotations

import pytest

from sim.population.build import build_population


@pytest.fixture(scope="session")
def small_population_dir(tmp_path_factory):
    """A 3 000-dwelling population for 2024 (seed 5), written by the real build."""
    out = tmp_path_factory.mktemp("population") / "pop"
    build_population(year=2024, n_households=3000, seed=5, out_dir=out)
    return out
