"""Any kommun by name or code: official profiles, re-weighting, the CLI (issue 18)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from sim.common.errors import SimInputError
from sim.municipal.official import official_profile, sampled_recipients, with_yaml
from sim.municipal.profile import load_profile, profile_margins, reweight_to_profile
from sim.population.kommuner import find_kommun, kommun_table
from sim.population.monthly import series
from sim.runs import read_population, run_scenarios

#: Stockholm, Malmö, Gotland and a small rural kommun (Dorotea, C8, 2 294 inhabitants).
KOMMUNER = ("0180", "1280", "0980", "2425")


@pytest.fixture(scope="module")
def population():
    return read_population(None)[0]


def test_the_290_kommuner_with_their_official_figures():
    table = kommun_table()
    assert len(table) == 290
    assert sum(k.inhabitants for k in table) == 10_587_710  # SCB's total, 31 Dec 2024
    malmo = find_kommun("1280")
    assert (malmo.name, malmo.lan_code, malmo.group) == ("Malmö", "12", "A1")
    months = series("kommun", "1280", 2024)
    assert malmo.mean_monthly_caseload == pytest.approx(sum(months.values()) / len(months))
    assert months[1] == 4_101  # the low January the source notes
    assert find_kommun("0980").name == "Gotland"
    # The SKR counts per group (README of the data).
    counts = {g: sum(k.group == g for k in table) for g in {k.group for k in table}}
    assert counts == {
        "A1": 3, "A2": 43, "B3": 23, "B4": 63, "B5": 24, "C6": 27, "C7": 51, "C8": 35, "C9": 21
    }  # fmt: skip


def test_names_are_found_and_near_misses_name_the_closest():
    assert find_kommun("Håbo").code == "0305"
    assert find_kommun("Habo").code == "0643"
    assert find_kommun(" malmö ").code == "1280"
    assert find_kommun("180").code == "0180"
    with pytest.raises(SimInputError, match="closest: Malmö"):
        find_kommun("Malmo")
    with pytest.raises(SimInputError, match="Håbo"):
        find_kommun("Hååbo")
    with pytest.raises(SimInputError, match="no kommun has the code '9999'"):
        find_kommun("9999")


@pytest.mark.parametrize("code", KOMMUNER)
def test_reweighting_reproduces_the_official_inhabitants_and_caseload(population, code):
    profile = official_profile(code)
    reweighted = reweight_to_profile(population, profile)
    w = reweighted.dwellings["weight"].to_numpy()
    columns = profile_margins(reweighted)
    kommun = find_kommun(code)
    assert w @ columns["invanare"] == pytest.approx(kommun.inhabitants, rel=1e-6)
    assert w @ columns["manadshushall"] == pytest.approx(kommun.mean_monthly_caseload, rel=1e-6)
    # Only the dwellings of the kommun's SKR group carry weight.
    group = reweighted.dwellings["kommungrupp"].to_numpy()
    assert (w[group != kommun.group_index] == 0).all() and (
        w[group == kommun.group_index] > 0
    ).any()
    in_group, in_kommun = sampled_recipients(reweighted, profile)
    assert in_group >= in_kommun >= 0 and in_group > 0


def test_a_profile_yaml_overrides_the_official_figures_it_repeats():
    from sim.municipal.profile import EXAMPLE_PROFILE

    own = load_profile(EXAMPLE_PROFILE)
    merged = with_yaml(official_profile("2425"), own)
    assert merged.invanare == own.invanare and merged.namn == own.namn
    assert merged.aktivitetsplatser == own.aktivitetsplatser
    assert merged.kommunkod == "2425" and merged.kommungrupp_skr == "C8"
    assert merged.manadshushall == official_profile("2425").manadshushall


def test_a_kommun_run_reproduces_its_official_figures(population):
    """A short run (one reform, the data year) of the small rural kommun."""
    result = run_scenarios(
        ["bidragstak"], year=2024, population=population, seed=1, profile=official_profile("2425")
    )
    kommun = find_kommun("2425")
    check = result.kommun_check
    assert check["invanare"] == pytest.approx(kommun.inhabitants, rel=1e-6)
    assert check["manadshushall"] == pytest.approx(kommun.mean_monthly_caseload, rel=1e-6)
    assert check["sampled_recipients_group"] > 0
    table = result.table()
    assert not table.filter(table["group"].str.starts_with("län:")).height  # a kommun: no län
    assert np.isfinite(table["value"].to_numpy()).all()


def _sim(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.mark.parametrize(
    ("kommun", "fragment"),
    [("Malmo", "closest: Malmö"), ("9999", "no kommun has the code"), ("Xyzzy", "no kommun")],
)
def test_bad_kommun_is_one_line_exit_2_and_nothing_written(tmp_path, kommun, fragment):
    out = tmp_path / "out"
    done = _sim("run", "--kommun", kommun, "--out", str(out), cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], done.stderr
    assert not out.exists()


def test_a_sweep_with_a_bad_kommun_is_one_line_exit_2(tmp_path):
    out = tmp_path / "sweep"
    done = _sim(
        "sweep", "--kommun", "Habbo", "--replications", "2", "--out", str(out), cwd=tmp_path
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "closest: Habo" in lines[0], done.stderr
    assert not out.exists()


def test_a_bad_profile_with_a_kommun_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("namn: X\ninvanare: -5\n")
    out = tmp_path / "out"
    done = _sim(
        "run", "--kommun", "1280", "--kommun-profile", str(bad), "--out", str(out), cwd=tmp_path
    )
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_sim_kommuner_lists_the_290(tmp_path):
    done = _sim("kommuner", "--json", cwd=tmp_path)
    assert done.returncode == 0
    import json

    rows = json.loads(done.stdout)
    assert len(rows) == 290
    malmo = next(r for r in rows if r["kod"] == "1280")
    assert malmo["lan"] == "12" and malmo["kommungrupp"] == "A1"
    assert malmo["invanare"] == find_kommun("1280").inhabitants


def test_the_precision_note_says_what_the_model_cannot_say():
    from sim.municipal.official import precision_note

    profile = official_profile("2425")
    text = precision_note(98, 0, profile, "en")
    assert "98 sampled households" in text and "None of them lives in Dorotea" in text
    assert "very uncertain" not in text
    assert "very uncertain" in precision_note(12, 3, profile, "en")
    assert "Inget av dem bor i Dorotea" in precision_note(98, 0, profile, "sv")
