"""A municipality's profile: re-weighting reproduces its totals; the example runs end to end;
bad profiles are one clear line and exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from sim.common.errors import SimInputError
from sim.municipal.profile import (
    load_profile,
    profile_margins,
    reweight_to_profile,
    sweden_totals,
)
from sim.runs import read_population

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "kommuner" / "exempelkommun.yaml"


@pytest.fixture(scope="module")
def population():
    return read_population(None)[0]


def test_reweighting_reproduces_the_profiles_own_totals(population):
    profile = load_profile(EXAMPLE, sweden=sweden_totals(population))
    reweighted = reweight_to_profile(population, profile)
    w = reweighted.dwellings["weight"].to_numpy()
    columns = profile_margins(reweighted)
    assert (w * columns["invanare"]).sum() == pytest.approx(profile.invanare, rel=1e-6)
    assert (w * columns["bistandshushall"]).sum() == pytest.approx(
        profile.bistandshushall, rel=1e-6
    )
    assert (w * columns["utbetalt_bistand_kr"]).sum() == pytest.approx(
        profile.utbetalt_bistand_kr, rel=1e-6
    )
    assert (w * columns["utrikes_fodda"]).sum() == pytest.approx(
        profile.andel_utrikes_fodda * profile.invanare, rel=1e-6
    )
    # Only households of the profile's group carry weight; national weights are kept.
    group = reweighted.dwellings["municipality_group"].to_numpy()
    assert (w[group != 1] == 0).all() and (w[group == 1] > 0).all()
    assert np.array_equal(
        reweighted.dwellings["national_weight"].to_numpy(),
        population.dwellings["weight"].to_numpy(),
    )
    # The housing limit is the profile's: 5 800 kr for one person over the table's 5 500.
    assert reweighted.households["housing_limit_factor"].unique().to_list() == [
        pytest.approx(5800 / 5500)
    ]


def test_a_profile_of_the_whole_country_gives_back_the_national_weights(population, tmp_path):
    """Sweden's own totals as a profile: the calibration has nothing to do."""
    totals = sweden_totals(population)
    w_p = population.persons["weight"].to_numpy()
    abroad = float((w_p * population.persons["is_born_abroad"].to_numpy()).sum())
    text = EXAMPLE.read_text().replace("kommungrupp: större stad\n", "")
    for key, value in {
        "invanare": totals["invanare"],
        "bistandshushall": totals["bistandshushall"],
        "utbetalt_bistand_kr": totals["utbetalt_bistand_kr"],
        "andel_utrikes_fodda": abroad / totals["invanare"],
    }.items():
        text = "\n".join(
            f"{key}: {value!r}" if line.startswith(f"{key}:") else line
            for line in text.splitlines()
        )
    path = tmp_path / "sverige.yaml"
    path.write_text(text + "\n")
    # Equal to the national totals is allowed (not larger than Sweden).
    profile = load_profile(path, sweden={k: v * (1 + 1e-9) for k, v in totals.items()})
    reweighted = reweight_to_profile(population, profile)
    assert np.allclose(
        reweighted.dwellings["weight"].to_numpy(),
        population.dwellings["weight"].to_numpy(),
        rtol=1e-6,
    )


@pytest.fixture(scope="module")
def profile_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("profile") / "exempelby"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            "--kommun-profile",
            str(EXAMPLE),
            "--scenarios",
            "aktivitetskrav",
            "--year",
            "2027",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return out


def test_the_example_profile_gives_a_complete_output_folder(profile_run):
    for name in ("results.parquet", "results.csv", "results.xlsx", "summary.md", "report.html"):
        assert (profile_run / name).is_file(), name
    assert (profile_run / "kommun_profile.yaml").read_text() == EXAMPLE.read_text()
    for chart in ("delivery_cost_vs_funding", "delivery_gap_by_lan", "activity_places_by_month"):
        assert (profile_run / "charts" / f"{chart}.png").is_file()
    html = (profile_run / "report.html").read_text()
    assert "Exempelby kommun (påhittad)" in html
    assert "Att genomföra aktivitetskravet" in html
    assert "påhittad" in (profile_run / "summary.md").read_text()


def test_profile_results_are_the_municipalitys(profile_run):
    table = pl.read_parquet(profile_run / "results.parquet")

    def value(scenario, metric, group="all"):
        return table.filter(
            (pl.col("scenario") == scenario)
            & (pl.col("metric") == metric)
            & (pl.col("group") == group)
        )["value"].item()

    assert value("baseline", "activity_places_available") == 250
    assert value("baseline", "caseworkers_available") == 12
    # State funding: the municipality's share of the inhabitants (60 000 of Sweden's).
    population = read_population(None)[0]
    share = 60_000 / sweden_totals(population)["invanare"]
    assert value("aktivitetskrav", "delivery_state_funding_sek_year") == pytest.approx(
        2_262_000_000 * share
    )
    needed = max(
        value("aktivitetskrav", "activity_places_month", f"månad:{m}") for m in range(1, 13)
    )
    assert value("aktivitetskrav", "activity_places_shortfall_month") == pytest.approx(
        max(needed - 250, 0)
    )
    # No breakdown by län or municipality group for a single municipality.
    assert not table.filter(pl.col("group").str.starts_with("län:")).height
    # Inhabitants of the baseline = the profile's.
    assert value("baseline", "fs_households_year") > 0


BAD = [
    ("drop", "invanare", "missing invanare"),
    ("set", "invanare: -5", "must not be negative"),
    ("set", "invanare: 20000000", "more than the whole of Sweden"),
    ("set", "bistandshushall: 900000", "exceeds invanare"),
    ("set", "andel_utrikes_fodda: 1.4", "is a share between 0 and 1"),
    ("set", "handlaggare: many", "must be a number"),
    ("set", "kommungrupp: storstäder", "is not one of"),
    ("add", "invånare_typo: 3", "unknown key"),
]


def _bad_profile(tmp_path: Path, action: str, text: str) -> Path:
    lines = EXAMPLE.read_text().splitlines()
    key = text.split(":")[0]
    if action == "drop":
        lines = [line for line in lines if not line.startswith(f"{key}:")]
    elif action == "set":
        lines = [text if line.startswith(f"{key}:") else line for line in lines]
    else:
        lines.append(text)
    path = tmp_path / "bad.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(("action", "text", "fragment"), BAD)
def test_bad_profiles_are_one_line_and_exit_code_2(tmp_path, action, text, fragment):
    path = _bad_profile(tmp_path, action, text)
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "sim", "run", "--kommun-profile", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 2
    message = run.stderr.strip()
    assert fragment in message
    assert len(message.splitlines()) == 1 and "Traceback" not in message
    assert not out.exists()


def test_a_missing_profile_file_is_a_clear_error(tmp_path):
    with pytest.raises(SimInputError, match="no such profile file"):
        load_profile(tmp_path / "nope.yaml")


def test_a_sweep_of_a_profile_gives_the_municipalitys_bands(tmp_path):
    """Two replications over the assumption ranges on the committed population, re-weighted
    to the example profile in each: the municipality's own rows carry bands."""
    import json

    from sim.runs import DEFAULT_POPULATION
    from sim.uncertainty.spec import SweepSpec
    from sim.uncertainty.sweep import run_sweep

    population = read_population(None)[0]
    profile = load_profile(EXAMPLE, sweden=sweden_totals(population))
    spec = SweepSpec(
        scenarios=("aktivitetskrav",),
        year=2027,
        n_replications=2,
        seed=4,
        vary=("assumptions",),
        population_path=str(DEFAULT_POPULATION),
        kommun_profile=profile,
    )
    result = run_sweep(spec, tmp_path / "sweep", report=False)
    rows = result.table.filter(
        (pl.col("scenario") == "aktivitetskrav") & (pl.col("group") == "all")
    )
    available = rows.filter(pl.col("metric") == "activity_places_available")
    assert available["value"].item() == 250
    # The funding key is drawn between "per inhabitant" and "per recipient household"; the
    # recipients' share is of the 2027 baseline's recipients, not of the profile's 2024
    # count, hence the margin above the 2024 ratio.
    funding = rows.filter(pl.col("metric") == "delivery_state_funding_sek_year")
    totals = sweden_totals(population)
    by_inhabitants = 2_262_000_000 * 60_000 / totals["invanare"]
    by_recipients = 2_262_000_000 * 900 / totals["bistandshushall"]
    low, high = sorted((by_inhabitants, by_recipients))
    assert low * 0.999 <= funding["low"].item() < funding["high"].item() <= high * 1.05
    cost = rows.filter(pl.col("metric") == "delivery_cost_sek_year")
    assert cost["low"].item() < cost["high"].item()  # the assumption draws move the cost
    manifest = json.loads((tmp_path / "sweep" / "manifest.json").read_text())
    assert manifest["kommun_profile"]["namn"] == "Exempelby kommun (påhittad)"
