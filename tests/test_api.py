"""The Python API: `import sim` is light; sim.run, Results, sim.household."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import polars as pl
import pytest
from matplotlib.figure import Figure

import sim
from sim.calculator.household import HouseholdCalculation, HouseholdComparison
from sim.common.errors import SimInputError
from sim.outputs.charts.rendering import all_charts


@pytest.fixture(scope="module")
def results():
    """Baseline and bidragstak on the committed population."""
    return sim.run(["baseline", "bidragstak"], year=2027)


def test_import_sim_is_light():
    code = (
        "import sys, sim; "
        "heavy = [m for m in ('numpy', 'polars', 'matplotlib', 'sim.api', 'sim.runs') "
        "if m in sys.modules]; print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_api_names_survive_importing_the_submodules():
    from sim.calculator.household import calculate  # noqa: F401
    from sim.runs import run_scenarios  # noqa: F401

    assert callable(sim.run) and sim.run.__module__ == "sim.api"
    assert sim.household.__module__ == "sim.api"
    assert sim.work_incentives.__module__ == "sim.api"
    assert sim.Results.__module__ == "sim.api"


def test_run_returns_the_table_and_runs(results):
    table = results.table()
    assert table.columns == ["scenario", "metric", "group_kind", "group", "value", "low", "high"]
    assert results.file_table().columns == ["scenario", "metric", "group", "value", "low", "high"]
    # The group split into its kind and its value, row for row with the file's table.
    joined = results.file_table()["group"]
    split = table.select(
        pl.when(pl.col("group_kind") == "all")
        .then(pl.lit("all"))
        .otherwise(pl.col("group_kind") + ":" + pl.col("group"))
    ).to_series()
    assert split.to_list() == joined.to_list()
    assert {"hushållstyp", "län", "månad", "all"} <= set(table["group_kind"])
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
    # IPython's rich display protocol: a chart returned as a cell's value is drawn.
    assert figure._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    english = results.plot.child_poverty(lang="en")
    title = next(t.get_text() for t in english.texts if t.get_gid() == "sim-title")
    assert "child poverty" in title and "percentage points" in title


def test_report_writes_the_output_folder(results, tmp_path):
    out = results.report(tmp_path / "out")
    for name in ("results.parquet", "results.csv", "results.xlsx", "summary.md", "report.html"):
        assert (out / name).is_file()
    assert pl.read_parquet(out / "results.parquet").equals(results.file_table())
    with pytest.raises(SimInputError, match="pass force=True"):
        results.report(tmp_path / "out")


def test_household_baseline_and_reform():
    calculation = sim.household(date="2026-03", adults=1, adult_ages=[30])
    assert isinstance(calculation, HouseholdCalculation)
    assert calculation["riksnorm"] == 5220.0  # as the doctest of sim.calculator.household.calculate
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


def test_microdata_gives_every_amount_with_the_weights(results):
    """results.microdata: household x month rows with the weights; the weighted FS paid of
    the year is the table's fs_paid_sek_year (two code paths)."""
    frame = results.microdata("bidragstak", level="household")
    n = results.runs[0].population.n_households
    assert frame.height == 12 * n and set(frame["month"].unique()) == set(range(1, 13))
    for column in (
        "weight",
        "forsorjningsstod",
        "fourth_child_reduction",
        "riksnorm",
        "n_children",
    ):
        assert column in frame.columns, column
    paid = (frame["forsorjningsstod"] * frame["weight"]).sum()
    table = results.table()
    want = table.filter(
        (pl.col("scenario") == "bidragstak")
        & (pl.col("metric") == "fs_paid_sek_year")
        & (pl.col("group_kind") == "all")
    )["value"][0]
    assert paid == pytest.approx(want, rel=1e-9)
    september = results.microdata("bidragstak/statisk", month=9)
    assert september.height == n and (september["month"] == 9).all()
    persons = results.microdata("bidragstak", level="person", month=9)
    assert {"weight", "age", "moved_to_work", "household_forsorjningsstod"} <= set(persons.columns)
    assert persons.to_pandas().shape == persons.shape
    with pytest.raises(SimInputError, match="did you mean 'bidragstak'"):
        results.microdata("bidragstk")
    with pytest.raises(SimInputError, match="month must be"):
        results.microdata("bidragstak", month=13)
    with pytest.raises(SimInputError, match="level must be"):
        results.microdata("bidragstak", level="dwelling")


def test_a_reform_is_data():
    """sim.run(reform=...) runs a reform given as {path: {date: value}}, validated like a
    scenario file, without a file: halving the fourth-child reduction lowers its saving."""
    reform = sim.Reform(
        {"bidragstak.fourth_child_reduction_couple": {"2027-01-01": 0.5}},
        base="bidragstak",
        name="halv",
    )
    scenario = reform.scenario()
    law = scenario.law(2027).resolve(dt.date(2027, 9, 1))
    assert law.bidragstak.fourth_child_reduction_couple == 0.5
    assert law.bidragstak.modernised_riksnorm == 1.0  # from its base, the bidragstak
    plain = sim.Reform({"bidragstak.norm_cut_children": 0.1}).scenario()
    assert plain.assumption_values["bidragstak.norm_cut_children"] == 0.1
    for spec, message in (
        ({"bidragstak.fourth_child_reduction_coupel": {"2027-01-01": 0.5}}, "did you mean"),
        ({"bidragstak.fourth_child_reduction_couple": {"2027-02-30": 0.5}}, "not a real date"),
        ({"bidragstak.fourth_child_reduction_couple": {"2027-01-01": 1.5}}, "between 0 and 1"),
        ({"bidragstak.norm_cut_children": 2.0}, "outside 0-1"),
        ({"bidragstak.fourth_child_reduction_couple": "half"}, "takes {date: value}"),
    ):
        with pytest.raises(SimInputError, match=message):
            sim.Reform(spec).scenario()
