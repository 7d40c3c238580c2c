"""Worked legal cases in tests/cases/*.yaml, each with its source, tolerance 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.household import HouseholdSpec, calculate
from sim.yamlio import load_yaml

CASES_DIR = Path(__file__).parent / "cases"
REQUIRED = {"name", "date", "household", "expected", "source", "url", "derivation"}


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in load_yaml(path)["cases"]:
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


ALL_CASES = list(_cases())


def _spec(household: dict) -> HouseholdSpec:
    fields = dict(household)
    for key in ("adult_ages", "child_ages", "earnings"):
        if key in fields:
            fields[key] = tuple(fields[key])
    return HouseholdSpec(**fields)


def test_there_are_at_least_25_cases():
    assert len(ALL_CASES) >= 25


@pytest.mark.parametrize("case", ALL_CASES)
def test_case_has_source(case):
    assert REQUIRED <= set(case), f"missing {REQUIRED - set(case)}"
    assert str(case["url"]).startswith("http")
    assert str(case["source"]).strip() and str(case["derivation"]).strip()


@pytest.mark.parametrize("case", ALL_CASES)
def test_case(case):
    result = calculate(_spec(case["household"]), date=str(case["date"]))
    for key, expected in case["expected"].items():
        assert result[key] == expected, f"{key}: got {result[key]}, expected {expected}"
