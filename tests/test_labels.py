"""The label catalogue (sim/labels.yaml, the titles in the YAML files): complete in both
languages, and every name an output shows comes from it."""

from __future__ import annotations

import polars as pl
import pytest
from committed_output import run_folder

from sim import labels
from sim.errors import SimInputError


def test_every_catalogue_entry_has_both_languages():
    missing = [
        f"{section}:{key}"
        for section, key, entry in labels.entries()
        if set(entry) - {"unit"} != set(labels.LANGUAGES)
        or not all(str(entry[lang]).strip() for lang in labels.LANGUAGES)
    ]
    assert not missing, f"entries without sv and en: {missing}"


def test_every_metric_has_a_known_unit():
    units = set(labels.catalogue()["units"])
    odd = {key: labels.metric_unit(key) for key in labels.metric_keys()}
    assert {k: u for k, u in odd.items() if u not in units} == {}


def test_every_metric_and_group_of_a_run_is_named():
    """The main run's table holds no metric, group kind or run the catalogue lacks."""
    table = pl.read_parquet(run_folder() / "results.parquet")
    for key in table["metric"].unique():
        labels.metric(key, "en")
    for group in table["group"].unique():
        labels.group(group, "en")
    for run in table["scenario"].unique():
        assert labels.scenario(run.partition("/")[0], "en") != run.partition("/")[0], run


def test_scenario_titles_come_from_the_scenario_files():
    assert labels.scenario("bidragstak/statisk") == "Bidragstak (statisk)"
    assert labels.scenario("kombinerad", "en") == "Combined"
    assert labels.scenario("my_own_reform") == "my_own_reform"


def test_an_unknown_metric_or_language_is_refused():
    with pytest.raises(KeyError):
        labels.metric("no_such_metric")
    with pytest.raises(SimInputError, match="unknown language"):
        labels.metric("fs_paid_sek_year", "de")
