"""The Python API: `import sim` is light; sim.run, Results, sim.household."""

from __future__ import annotations

import subprocess
import sys

import polars as pl
import pytest
from matplotlib.figure import Figure

import sim
from sim.charts import all_charts
from sim.errors import SimInputError
from sim.household import HouseholdCalculation, HouseholdComparison


@pytest.fixture(scope="module")
def results():
    """Baseline and bidragstak on the committed population."""
    return sim.run(["baseline", "bidragstak"], year=2027)


def test_import_sim_is_light():
    code = (
        "import sys, sim; "
        "heavy = [m for m in ('numpy', 'polars', 'matplotlib', 'sim.api', 'sim.run') "
        "if m in sys.modules]; print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_api_names_survive_importing_the_submodules():
    from sim.household import calculate  # noqa: F401
    from sim.run import run_scenarios  # noqa: F401

    assert callable(sim.run) and sim.run.__module__ == "sim.api"
    assert sim.household.__module__ == "sim.api"
    assert sim.Results.__module__ == "sim.api"


def test_run_returns_the_table_and_runs(results):
    table = results.table()
    assert table.columns == ["scenario", "metric", "group", "value", "low", "high"]
    assert list(dict.fromkeys(table["scenario"])) == [
        "baseline",
        "bidragstak",
        "bidragstak/statisk",
    ]
    assert [run.label for run in results.runs] == ["baseline", "bidragstak", "bidragstak/statisk"]
    frame = results.to_pandas()
    assert frame.shape == table.shape and list(frame.columns) == table.columns
    paid = table.filter((pl.col("metric") == "fs_paid_sek_year") & (pl.col("group") == "all")).sort(
        "scenario"
    )
    assert paid["value"][1] < paid["value"][0]  # bidragstak pays less than the baseline


def test_one_plot_method_per_chart(results):
    for name in all_charts():
        figure = getattr(results.plot, name)()
        assert isinstance(figure, Figure), name
    english = results.plot.child_poverty(lang="en")
    assert "Child poverty by scenario" in [t.get_text() for t in english.texts]


def test_report_writes_the_output_folder(results, tmp_path):
    out = results.report(tmp_path / "out")
    for name in ("results.parquet", "results.csv", "results.xlsx", "summary.md", "report.html"):
        assert (out / name).is_file()
    assert pl.read_parquet(out / "results.parquet").equals(results.table())
    with pytest.raises(SimInputError, match="--force"):
        results.report(tmp_path / "out")


def test_household_baseline_and_reform():
    calculation = sim.household(date="2026-03", adults=1, adult_ages=[30])
    assert isinstance(calculation, HouseholdCalculation)
    assert calculation["riksnorm"] == 5220.0  # as the doctest of sim.household.calculate
    typfall = sim.household(
        date="2027-09",
        scenario="bidragstak",
        adults=2,
        adult_ages=[38, 40],
        child_ages=[3, 6, 9, 12, 15],
        housing_cost=16_180,
        housing_limit_factor=1.4,
    )
    assert isinstance(typfall, HouseholdComparison)
    # docs/reforms.md §2.1.1: 46 500 kr today, 38 310.04 kr under the bidragstak.
    assert typfall.baseline["total_support"] == pytest.approx(46_500, abs=0.005)
    assert typfall.reform["total_support"] == pytest.approx(38_296.07675, abs=0.005)


def test_household_bad_input_names_the_problem():
    with pytest.raises(SimInputError, match="child_ages"):
        sim.household(date="2027-01", child_age=[3])
    with pytest.raises(SimInputError, match="adults must be 1 or 2"):
        sim.household(date="2027-01", adults=3)


def test_run_bad_input():
    with pytest.raises(SimInputError, match="outside"):
        sim.run(["baseline"], year=1999)
    with pytest.raises(SimInputError):
        sim.run(["no_such_scenario"])
