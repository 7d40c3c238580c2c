"""Worked legal cases in tests/cases/*.yaml, each with its source, tolerance 0."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from sim.calculator.household import HouseholdSpec, calculate, compare
from sim.common.yamlio import load_yaml
from sim.scenarios.scenario import load_scenario

CASES_DIR = Path(__file__).parent / "cases"
REQUIRED = {"name", "date", "household", "expected", "source", "url", "derivation"}


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in load_yaml(path)["cases"]:
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


ALL_CASES = list(_cases())


def _spec(household: dict) -> HouseholdSpec:
    fields = dict(household)
    for key in (
        "adult_ages",
        "child_ages",
        "earnings",
        "child_earnings",
        "child_earnings_year_to_date",
    ):
        if key in fields:
            fields[key] = tuple(fields[key])
    return HouseholdSpec(**fields)


def test_there_are_at_least_25_cases():
    assert len(ALL_CASES) >= 25


@pytest.mark.parametrize("case", ALL_CASES)
def test_case_has_source(case):
    assert set(case) >= REQUIRED, f"missing {REQUIRED - set(case)}"
    assert str(case["url"]).startswith("http")
    assert str(case["source"]).strip() and str(case["derivation"]).strip()


def _lookup(result, key: str) -> float:
    """``key``, ``baseline.key``, ``change.key`` (comparisons) or plain ``key``."""
    if hasattr(result, "reform"):
        part, _, name = key.rpartition(".")
        if part == "baseline":
            return result.baseline[name]
        if part == "change":
            return result.change[name]
        return result.reform[name]
    return result[key]


@pytest.mark.parametrize("case", ALL_CASES)
def test_case(case):
    spec = _spec(case["household"])
    date = str(case["date"])
    if "scenario" in case:
        scenario = load_scenario(case["scenario"])
        if "assumption_values" in case:
            values = {**scenario.assumption_values, **case["assumption_values"]}
            scenario = dataclasses.replace(scenario, assumption_values=values)
        result = compare(spec, date=date, scenario=scenario)
    else:
        result = calculate(spec, date=date)
    for key, expected in case["expected"].items():
        got = _lookup(result, key)
        # Exact: the derivation's decimal number, up to binary floating point only (a
        # product like 0.75 × 9 490 × 0.9511 is not a float exactly; 1e-12 of it is not a
        # krona's tolerance but the last bits of the representation).
        assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-9), (
            f"{key}: got {got}, expected {expected}"
        )
