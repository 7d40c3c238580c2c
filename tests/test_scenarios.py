"""Scenario files: the shipped ones load; bad ones give one line naming file and line."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import pytest

from sim.common.errors import SimInputError
from sim.scenarios.scenario import available_scenarios, load_scenario

MAIN = ["baseline", "bidragstak", "aktivitetskrav", "jobbpremie", "kombinerad"]


def test_the_required_scenarios_exist():
    names = available_scenarios()
    for name in [*MAIN, "sou2025_modell_a", "sou2025_modell_b"]:
        assert name in names


@pytest.mark.parametrize("name", MAIN + ["sou2025_modell_a", "sou2025_modell_b"])
def test_shipped_scenarios_load_and_resolve(name):
    scenario = load_scenario(name)
    law = scenario.law(2028)
    for month in (1, 7, 12):
        law.resolve(dt.date(2027, month, 1))


def test_bidragstak_switches_on_in_2027_only():
    law = load_scenario("bidragstak").law(2027)
    assert law.resolve(dt.date(2026, 12, 1)).bidragstak.fourth_child_rule == 0
    assert law.resolve(dt.date(2027, 1, 1)).bidragstak.fourth_child_rule == 1
    assert law.resolve(dt.date(2027, 1, 1)).bidragstak.fourth_child_phase == 0.5
    assert law.resolve(dt.date(2027, 8, 1)).bidragstak.fourth_child_phase == 1.0


def test_aktivitetskrav_applies_from_october_2026():
    law = load_scenario("aktivitetskrav").law(2027)
    assert law.resolve(dt.date(2026, 9, 1)).aktivitetskrav.in_force == 0
    assert law.resolve(dt.date(2026, 10, 1)).aktivitetskrav.in_force == 1


def test_jobbpremie_window_closes():
    law = load_scenario("jobbpremie").law(2028)
    assert law.resolve(dt.date(2026, 2, 1)).jobbpremie.in_force == 0
    assert law.resolve(dt.date(2028, 2, 1)).jobbpremie.in_force == 1
    assert law.resolve(dt.date(2028, 3, 1)).jobbpremie.in_force == 0


def test_kombinerad_contains_every_part():
    paths = {c.path for c in load_scenario("kombinerad").changes}
    assert {
        "bidragstak.modernised_riksnorm",
        "aktivitetskrav.in_force",
        "jobbpremie.in_force",
    } <= paths


def test_scale_multiplies_every_later_value(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            name: dearer
            description: Riksnorm ten per cent higher from 2026.
            base: baseline
            changes:
              riksnorm.adult_single:
                2026-01-01: {scale: 1.1, status: assumption, source: a test}
            """
        )
    )
    law = load_scenario(path).law(2027)
    assert law.resolve(dt.date(2025, 6, 1)).riksnorm.adult_single == 3910
    assert law.resolve(dt.date(2026, 6, 1)).riksnorm.adult_single == pytest.approx(3940 * 1.1)
    assert law.resolve(dt.date(2027, 6, 1)).riksnorm.adult_single == pytest.approx(4000 * 1.1)


GOOD = """\
name: variant
description: A user's variant.
base: bidragstak
changes:
  bidragstak.fourth_child_reduction_couple:
    2027-01-01: {set: 0.5, status: assumption, source: a test}
assumptions:
  set: central
  values:
    behaviour.bidragstak_exit_to_work: 0.0
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "bidragstak.fourth_child_reduction_couple:",
            "bidragstak.fourth_child_reduction_coupel:",
            "did you mean 'bidragstak.fourth_child_reduction_couple'",
        ),
        ("{set: 0.5,", "{set: 'half',", "set must be a number"),
        ("{set: 0.5,", "{set: 1.5,", "a share must be between 0 and 1"),
        ("2027-01-01:", "2031-01-01:", "outside the law's range"),
        ("set: central", "set: optimistic", "unknown assumption set 'optimistic'"),
        (
            "behaviour.bidragstak_exit_to_work: 0.0",
            "behaviour.exit_to_work: 0.0",
            "unknown assumption path",
        ),
        ("status: assumption, ", "", "status must be one of"),
        (", source: a test", "", "needs a source"),
        ("base: bidragstak", "base: bidragstk", "did you mean 'bidragstak'"),
        (
            "description: A user's variant.",
            "descripton: A user's variant.",
            "unknown key 'descripton'",
        ),
        ("{set: 0.5,", "{set: 0.5, scale: 2,", "exactly one of set, scale or assumption"),
        (
            "{set: 0.5,",
            "{assumption: bidragstak.fourth_child_fase_first_half_2027,",
            "did you mean 'bidragstak.fourth_child_phase_first_half_2027'",
        ),
        (
            "{set: 0.5,",
            "{assumption: skaliga_kostnader.hemforsakring,",
            "ranges outside 0-1",
        ),
        ("changes:", "changes: [", "malformed YAML"),
    ],
)
def test_bad_scenario_files(tmp_path, old, new, message):
    assert old in GOOD
    path = tmp_path / "variant.yaml"
    path.write_text(GOOD.replace(old, new, 1))
    with pytest.raises(SimInputError, match=message) as error:
        load_scenario(path)
    text = str(error.value)
    assert "\n" not in text
    assert "variant.yaml" in text


def test_good_variant_loads(tmp_path):
    path = tmp_path / "variant.yaml"
    path.write_text(GOOD)
    scenario = load_scenario(path)
    assert scenario.assumption_values == {"behaviour.bidragstak_exit_to_work": 0.0}
    law = scenario.law(2027)
    assert law.resolve(dt.date(2027, 3, 1)).bidragstak.fourth_child_reduction_couple == 0.5


def test_a_switch_must_be_zero_or_one(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\ndescription: d\nchanges:\n  bidragstak.no_topups:\n"
        "    2027-01-01: {set: 2, status: law, source: x}\n"
    )
    with pytest.raises(SimInputError, match="a switch is 0 or 1"):
        load_scenario(path)


def test_bad_scenario_on_the_command_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace("2027-01-01:", "2031-01-01:"))
    run = subprocess.run(
        [sys.executable, "-m", "sim", "household", "--date", "2027-03", "--scenario", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "bad.yaml:" in run.stderr and "Traceback" not in run.stderr
