"""The committed small population in ``data/synthetic/``: readable, hashed, reproducible."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import sim.population
from sim.population.build import GENERATOR_VERSION, build_population

COMMITTED = Path(__file__).resolve().parents[2] / "data" / "synthetic" / "population-2024"
REGENERATE = (
    "regenerate it with `python -m sim population --out data/synthetic/population-2024 "
    "--year 2024 --households 20000 --seed 1 --force`"
)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((COMMITTED / "manifest.json").read_text())


def test_reads_back(manifest):
    population = sim.population.read(COMMITTED)
    assert population.year == manifest["year"] == 2024
    assert population.dwellings.height == manifest["n_households_sampled"]
    assert population.household_months is not None
    assert population.household_months.height == 12 * population.n_households
    summary = json.loads((COMMITTED / "summary.json").read_text())
    assert summary["fs_households_year"] == pytest.approx(145_456, rel=0.02)


def test_manifest_hashes_match_the_files(manifest):
    files = manifest["files"]
    on_disk = {p.name for p in COMMITTED.iterdir()} - {"manifest.json"}
    assert set(files) == on_disk
    for name, digest in files.items():
        assert hashlib.sha256((COMMITTED / name).read_bytes()).hexdigest() == digest, name


def test_manifest_records_seed_size_and_version(manifest):
    assert manifest["generator_version"] == GENERATOR_VERSION, REGENERATE
    assert isinstance(manifest["seed"], int)
    assert manifest["n_households_sampled"] > 10_000


def test_regenerating_gives_identical_bytes(manifest, tmp_path):
    # Also the determinism test of issue 3 (same seed, byte-identical population and
    # report) at the committed size. It fails when the generator, the engine or the law
    # changed since the files were written: then regenerate (command in REGENERATE).
    built = build_population(
        year=manifest["year"],
        n_households=manifest["n_households_sampled"],
        seed=manifest["seed"],
        out_dir=tmp_path / "again",
    )
    for path in sorted(built.out_dir.iterdir()):
        assert path.read_bytes() == (COMMITTED / path.name).read_bytes(), (
            f"{path.name} differs from the committed file; {REGENERATE}"
        )
