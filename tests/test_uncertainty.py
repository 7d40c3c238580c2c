"""Replications and sweeps (sim/uncertainty/): draws, summary, Dask == in-process, failures.

Small on purpose: populations of 1 000 dwellings (a fixed one is recalibrated per replication)
and three replications of one scenario; a local Dask cluster of two worker processes.
"""

from __future__ import annotations

import dataclasses
import html
import json
import logging
import os
import re

import dask
import numpy as np
import polars as pl
import pytest

from sim.common.errors import SimInputError
from sim.population.build import build_population, calibrate_population, make_population
from sim.population.targets import aligned_targets, load_targets
from sim.uncertainty.bands import differences, summarise
from sim.uncertainty.draws import (
    MAX_CALIBRATION_DRAWS,
    drawable_assumptions,
    plan_replications,
    reading_assumptions,
    target_factors,
)
from sim.uncertainty.replication import run_replication, write_perturbed_targets
from sim.uncertainty.spec import SweepSpec, SweepStopped, parse_grid
from sim.uncertainty.sweep import run_sweep

SCENARIOS = ("bidragstak",)


@pytest.fixture(scope="module")
def population_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "pop"
    build_population(year=2024, n_households=1000, seed=8, out_dir=out)
    return out


@pytest.fixture(scope="module")
def spec(population_dir):
    return SweepSpec(
        scenarios=SCENARIOS,
        year=2027,
        n_replications=3,
        seed=21,
        population_path=str(population_dir),
    )


@pytest.fixture(scope="module")
def in_process(spec, tmp_path_factory):
    """The reference: the sweep run in-process, uninterrupted."""
    return run_sweep(spec, tmp_path_factory.mktemp("ref") / "sweep")


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.CRITICAL,
        ) as local,
        Client(local) as client,
    ):
        yield local, client


def _exit_on_replication_1(spec, replication, population=None):
    """A task whose worker process dies on replication 1 (the test's dead worker)."""
    if replication.index == 1:
        os._exit(1)
    return run_replication(spec, replication, population)


# --- draws --------------------------------------------------------------------------------


def test_draws_are_a_function_of_seed_and_index(spec):
    three = plan_replications(spec, fixed_seed=8)
    five = plan_replications(dataclasses.replace(spec, n_replications=5), fixed_seed=8)
    assert three == five[:3]  # replication r does not depend on how many there are
    other = plan_replications(dataclasses.replace(spec, seed=22), fixed_seed=8)
    assert three[0].assumption_values != other[0].assumption_values
    assert len({r.run_seed for r in five}) == 5  # the run seed varies on a fixed population


def test_assumption_draws_stay_in_their_ranges(spec):
    drawn, kept = drawable_assumptions()
    assert "bidragstak.norm_cut_children" in drawn and "uprating.price_change_scale" in drawn
    assert "bidragstak.fourth_child_order" in drawn  # a reading, drawn as a code
    assert "skaliga_kostnader.housing_limit_scale" in drawn
    assert "uprating.price_change" in kept  # a table: its scale varies it
    values = np.array(
        [
            [r.assumption_values[p] for p in drawn]
            for r in plan_replications(dataclasses.replace(spec, n_replications=200), fixed_seed=8)
        ]
    )
    low = np.array([v[0] for v in drawn.values()])
    high = np.array([v[2] for v in drawn.values()])
    assert ((values >= low) & (values <= high)).all()
    readings = np.array([p in reading_assumptions() for p in drawn])
    # triangular around the central value: the mean is (low + central + high) / 3
    expected = np.array([sum(v) / 3 for v in drawn.values()])
    assert np.allclose(
        values.mean(axis=0)[~readings], expected[~readings], atol=(0.1 * (high - low))[~readings]
    )
    # a reading: whole codes, the central one about half the time
    order = values[:, list(drawn).index("bidragstak.fourth_child_order")]
    assert set(np.unique(order)) == {0.0, 1.0, 2.0}
    assert 0.4 < (order == drawn["bidragstak.fourth_child_order"][1]).mean() < 0.6


def test_not_varied_things_stay_fixed(spec):
    fixed = dataclasses.replace(spec, vary=("calibration",))
    plan = plan_replications(fixed, fixed_seed=8)
    assert all(r.assumption_values == {} and r.run_seed == 8 for r in plan)
    assert all(r.perturb_targets for r in plan)
    built = SweepSpec(SCENARIOS, 2027, 3, seed=4, vary=("assumptions",), n_households=1000)
    assert {r.population_seed for r in plan_replications(built)} == {4}


def test_perturbed_targets_reach_the_calibration(tmp_path):
    factors = target_factors(1, 0)
    assert set(factors) == {
        t.target.key for t in aligned_targets(load_targets(), 2024) if t.use == "margin"
    }
    path = write_perturbed_targets(factors, tmp_path / "targets.csv")
    read = {t.target.key: t.value for t in aligned_targets(load_targets(path), 2024)}
    base = {t.target.key: t.value for t in aligned_targets(load_targets(), 2024)}
    assert read["fs_households@2024"] == pytest.approx(
        base["fs_households@2024"] * factors["fs_households@2024"], rel=1e-12
    )
    assert read["scale_first_adult"] == base["scale_first_adult"]  # not a margin: untouched
    # recalibrating a built population gives the weights of a build with those targets
    built = make_population(year=2024, n_households=1000, seed=8, targets_path=path)
    again = calibrate_population(
        make_population(year=2024, n_households=1000, seed=8).population, targets_path=path
    )
    assert np.array_equal(
        built.population.dwellings["weight"].to_numpy(),
        again.population.dwellings["weight"].to_numpy(),
    )


def test_grid_parsing():
    assert parse_grid("bidragstak.norm_cut_children=0.1,0.2") == (
        "bidragstak.norm_cut_children",
        (0.1, 0.2),
    )
    for bad in ("bidragstak.norm_cut_children", "=0.1", "x=a,b"):
        with pytest.raises(SimInputError):
            parse_grid(bad)


# --- the summary --------------------------------------------------------------------------


def test_summary_is_median_and_10th_90th_percentiles():
    tables = [
        pl.DataFrame(
            {
                "replication": [i, i],
                "calibration_draw": [0, 0],
                "scenario": ["baseline", "baseline"],
                "metric": ["a", "b"],
                "group": ["all", "all"],
                "value": [float(i), float("nan") if i == 0 else 10.0 * i],
            }
        )
        for i in range(11)
    ]
    table = summarise(tables)
    assert table.columns == ["scenario", "metric", "group", "value", "low", "high"]
    a = table.row(0, named=True)
    assert (a["value"], a["low"], a["high"]) == (5.0, 1.0, 9.0)
    b = table.row(1, named=True)  # the NaN left out: 10, 20, ..., 100
    assert b["value"] == pytest.approx(55.0) and b["low"] == pytest.approx(19.0)


def test_differences_are_taken_within_each_replication():
    tables = [
        pl.DataFrame(
            {
                "replication": [i] * 3,
                "calibration_draw": [0] * 3,
                "scenario": ["baseline", "reform", "reform"],
                "metric": ["cost", "cost", "only_in_reform"],
                "group": ["all"] * 3,
                "value": [100.0 * i, 100.0 * i - 10.0 - i, 1.0],
            }
        )
        for i in range(11)
    ]
    table = differences(tables)
    assert table.rows() == [("reform", "cost", "all", -15.0, -19.0, -11.0)]


def test_sweep_writes_bands_and_manifest(in_process, spec):
    out = in_process.out
    table = pl.read_parquet(out / "results.parquet")
    assert table.columns == ["scenario", "metric", "group", "value", "low", "high"]
    assert table.equals(in_process.table)
    assert set(table["scenario"]) == {"baseline", "bidragstak", "bidragstak/statisk"}
    poverty = table.filter((pl.col("metric") == "poverty_rate") & (pl.col("group") == "all"))
    assert (poverty["low"] <= poverty["value"]).all() and (
        poverty["value"] <= poverty["high"]
    ).all()
    assert (poverty["low"] < poverty["high"]).all()  # something varied
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 21 and manifest["n_replications"] == 3
    assert [r["index"] for r in manifest["replications"]] == [0, 1, 2]
    assert all(0 <= r["calibration_draw"] < MAX_CALIBRATION_DRAWS for r in manifest["replications"])
    assert sorted(p.name for p in (out / "replications").iterdir()) == [
        "rep-00000.parquet",
        "rep-00001.parquet",
        "rep-00002.parquet",
    ]
    assert pl.read_csv(out / "results.csv").height == table.height
    change = pl.read_parquet(out / "differences.parquet")
    assert set(change["scenario"]) == {"bidragstak", "bidragstak/statisk"}


def test_sweep_spreadsheets_carry_the_bands(in_process):
    """The sweep's workbook: the summary with lower/upper columns per run equal to the
    table's low/high, the effects sheet, and the Excel CSV beside results.csv."""
    import openpyxl

    from sim.catalogue import labels
    from sim.outputs.spreadsheets import EXCEL_CSV, read_excel_csv

    out = in_process.out
    table = pl.read_parquet(out / "results.parquet")
    book = openpyxl.load_workbook(out / "results.xlsx")
    assert book.sheetnames == ["Sammanfattning", "Alla resultat", "Definitioner", "Effekter"]
    summary = book["Sammanfattning"]
    assert "3 replikeringar" in summary["A2"].value
    header = [c.value for c in summary[5]]
    name = labels.scenario("bidragstak", "sv")
    assert header[header.index(name) + 1 : header.index(name) + 3] == [
        f"{name}: lägre",
        f"{name}: övre",
    ]
    row = next(
        r for r in summary.iter_rows(min_row=6) if r[0].value == labels.metric("poverty_rate")
    )
    cells = [c.value for c in row[header.index(name) : header.index(name) + 3]]
    want = table.filter(
        (pl.col("scenario") == "bidragstak")
        & (pl.col("metric") == "poverty_rate")
        & (pl.col("group") == "all")
    )
    assert cells == pytest.approx([want["value"][0], want["low"][0], want["high"][0]])
    assert book["Effekter"].max_row == pl.read_parquet(out / "differences.parquet").height + 1
    assert read_excel_csv(out / EXCEL_CSV).height == table.height
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"results.xlsx", EXCEL_CSV} <= set(manifest["results_sha256"])


def test_bad_input_writes_nothing(spec, tmp_path):
    for bad in (
        dataclasses.replace(spec, n_replications=0),
        dataclasses.replace(spec, scenarios=("nope",)),
        dataclasses.replace(spec, vary=("population", "weather")),
        dataclasses.replace(spec, grid=("bidragstak.norm_cut_children", (2.0,))),
        dataclasses.replace(spec, population_path=str(tmp_path / "missing")),
    ):
        with pytest.raises(SimInputError):
            run_sweep(bad, tmp_path / "out")
        assert not (tmp_path / "out").exists()
    with pytest.raises(SimInputError, match="unknown language"):
        run_sweep(spec, tmp_path / "out", lang="de")
    assert not (tmp_path / "out").exists()


def test_sweep_report_shows_bands_on_poverty_child_poverty_and_cost(in_process):
    """The sweep's folder holds the report: every headline cell of poverty, child poverty and
    cost reads ``median (p10–p90)`` as format_with_band writes it from results.parquet, the
    effects table shows the within-replication bands of differences.parquet, and the whisker
    charts are drawn and embedded."""
    from sim.outputs.charts.uncertainty import BAND_CHARTS
    from sim.outputs.formatting import format_effect, format_with_band
    from sim.outputs.names import metric_label, scenario_name

    out = in_process.out
    page = (out / "report.html").read_text()
    summary = (out / "summary.md").read_text()
    table = in_process.table.filter(pl.col("group") == "all")
    metrics = ("poverty_rate", "child_poverty_rate", "fs_paid_sek_year", "public_cost_sek_year")
    rows = table.filter(pl.col("metric").is_in(metrics))
    assert rows.height == len(metrics) * 3
    for row in rows.iter_rows(named=True):
        text = format_with_band(row["metric"], row["value"], row["low"], row["high"])
        assert "(" in text and "–" in text, text  # the band is there: something varied
        cell = f"<td>{metric_label(row['metric'])}</td>"
        line = page[page.index(cell) : page.index("</tr>", page.index(cell))]
        assert html.escape(text) in line, (row, text)
        summary_line = next(
            x for x in summary.splitlines() if x.startswith(f"| {metric_label(row['metric'])} |")
        )
        assert f"| {text} |" in summary_line
    change = pl.read_parquet(out / "differences.parquet").filter(pl.col("group") == "all")
    for row in change.filter(pl.col("metric").is_in(metrics)).iter_rows(named=True):
        text = format_effect(row["metric"], row["value"], row["low"], row["high"])
        assert html.escape(text) in page and text in summary, text
    assert 'id="osakerhet"' in page and "3 replikeringar" in page
    assert scenario_name("bidragstak/statisk") in page
    for name in BAND_CHARTS:
        for suffix in ("png", "svg"):
            assert (out / "charts" / f"{name}.{suffix}").stat().st_size > 0, name
        assert f'id="chart-{name}"' in page


def test_sim_report_rebuilds_a_sweeps_report_with_its_effects(in_process, tmp_path):
    import shutil

    from sim.calculator.typfall import typfall_comparison
    from sim.outputs.formatting import format_effect
    from sim.outputs.report.files import rebuild_report

    folder = tmp_path / "copy"
    shutil.copytree(in_process.out, folder)
    rebuild_report(folder, typfall_for=typfall_comparison, lang="en", force=True)
    page = (folder / "report.html").read_text()
    change = pl.read_parquet(folder / "differences.parquet")
    row = change.filter(
        (pl.col("scenario") == "bidragstak")
        & (pl.col("metric") == "child_poverty_rate")
        & (pl.col("group") == "all")
    ).row(0, named=True)
    text = format_effect("child_poverty_rate", row["value"], row["low"], row["high"], lang="en")
    assert text.endswith(")") and " pp (" in text
    assert html.escape(text) in page and 'id="chart-effect_bands"' in page


def test_resume_refuses_a_different_sweep(in_process, spec):
    with pytest.raises(SimInputError, match="different sweep"):
        run_sweep(dataclasses.replace(spec, seed=99), in_process.out, resume=True)
    with pytest.raises(SimInputError, match="exists"):
        run_sweep(spec, in_process.out)


# --- Dask ---------------------------------------------------------------------------------


def test_distributed_equals_in_process(in_process, spec, cluster, tmp_path):
    _, client = cluster
    result = run_sweep(spec, tmp_path / "sweep", client=client, report=False)
    assert result.table.equals(in_process.table)
    for i in range(3):
        name = f"replications/rep-{i:05d}.parquet"
        assert pl.read_parquet(tmp_path / "sweep" / name).equals(
            pl.read_parquet(in_process.out / name)
        )


def test_profile_sweep_distributed_equals_in_process(spec, population_dir, cluster, tmp_path):
    # A kommun profile travels to the workers with the sweep and gives the same numbers.
    from sim.municipal.profile import EXAMPLE_PROFILE, load_profile, sweden_totals
    from sim.runs import read_population

    population = read_population(population_dir)[0]
    profile = load_profile(EXAMPLE_PROFILE, sweden=sweden_totals(population))
    profile_spec = dataclasses.replace(
        spec, scenarios=("aktivitetskrav",), n_replications=2, kommun_profile=profile
    )
    local = run_sweep(profile_spec, tmp_path / "in_process", report=False)
    _, client = cluster
    distributed = run_sweep(profile_spec, tmp_path / "distributed", client=client, report=False)
    assert distributed.table.equals(local.table)
    places = local.table.filter(
        (pl.col("metric") == "activity_places_available") & (pl.col("group") == "all")
    )
    assert places.height >= 1
    assert (places["value"] == 250).all()  # the profile's own places, not Sweden's


def test_dead_worker_stops_the_sweep_and_resume_finishes_it(in_process, spec, cluster, tmp_path):
    _, client = cluster
    out = tmp_path / "sweep"
    with pytest.raises(SweepStopped) as stopped:
        run_sweep(spec, out, client=client, task=_exit_on_replication_1, report=False)
    message = str(stopped.value)
    assert message.startswith("sweep stopped: a worker died running replication 1 (KilledWorker)")
    assert message.endswith(f"replications kept in {out}; rerun with --resume")
    kept = sorted(p.name for p in (out / "replications").glob("rep-*.parquet"))
    assert "rep-00001.parquet" not in kept
    assert f"{len(kept)} of 3 replications kept" in message
    assert not (out / "results.parquet").exists()
    result = run_sweep(spec, out, resume=True, report=False)
    assert result.n_resumed == len(kept) and result.n_run == 3 - len(kept)
    assert result.table.equals(in_process.table)


def test_lost_scheduler_stops_the_sweep(spec, tmp_path):
    from distributed import LocalCluster

    local = LocalCluster(
        n_workers=1, threads_per_worker=1, dashboard_address=":0", silence_logs=logging.CRITICAL
    )
    try:
        out = tmp_path / "sweep"

        def progress(text):
            if text.startswith("1/"):
                local.close()

        with pytest.raises(SweepStopped) as stopped:
            run_sweep(spec, out, scheduler=local.scheduler_address, progress=progress)
    finally:
        local.close()
    message = str(stopped.value)
    assert message.startswith("sweep stopped: lost the Dask scheduler")
    assert "1 of 3 replications kept" in message and "rerun with --resume" in message
    assert len(list((out / "replications").glob("rep-*.parquet"))) == 1


# --- the command line ---------------------------------------------------------------------


def test_cli_sweep_and_its_errors(population_dir, tmp_path, capsys):
    from sim.cli import main

    out = tmp_path / "sweep"
    args = ["sweep", "--out", str(out), "--scenarios", "bidragstak", "--replications", "2"]
    args += ["--population", str(population_dir), "--seed", "3"]
    main([*args, "--lang", "en"])
    printed = capsys.readouterr().out
    assert "bidragstak" in printed and "poverty" in printed and "wrote" in printed
    assert (out / "results.parquet").is_file()
    assert "| Measure |" in (out / "summary.md").read_text()
    svg = (out / "charts" / "effect_bands.svg").read_text()
    # The title states the finding with its band, in English.
    assert "Difference reform − current rules within each replication" in svg
    assert re.search(r"(rises|falls) by [0-9.]+ percentage points \([0-9.−-]+–[0-9.−-]+\)", svg)
    for extra, expected in (
        ([], "exists; use --resume"),
        (["--resume", "--seed", "4"], "different sweep"),
        (["--force", "--vary", "population,weather"], "--vary: unknown 'weather'"),
        (["--force", "--grid", "bidragstak.norm_cut_children"], "expected PATH=v1,v2"),
        (["--force", "--grid", "uprating.price_cange_scale=1,2"], "uprating.price_change_scale"),
        (["--force", "--lang", "de"], "unknown language 'de'"),
    ):
        with pytest.raises(SystemExit) as exit_:
            main(args + extra)
        assert exit_.value.code == 2
        error = capsys.readouterr().err
        assert error.count("\n") == 1 and expected in error
    assert (out / "results.parquet").is_file()  # a refused --force left the sweep alone


def test_grid_sweep_end_to_end_on_the_committed_population(tmp_path, capsys):
    """``--grid`` through the command line on the committed population, nothing else varied
    (the baseline alone, two grid points): the grid value reaches the runs through the
    projection (a higher price scale raises the projected riksnorm and with it FS paid),
    the central point reproduces the golden totals of `sim run`, and the folder holds the
    tables and the fan chart."""
    import math
    from pathlib import Path

    from sim.cli import main
    from sim.runs import DEFAULT_POPULATION

    out = tmp_path / "grid"
    main(
        [
            "sweep",
            "--out",
            str(out),
            "--scenarios",
            "baseline",
            "--replications",
            "2",
            "--vary",
            "",
            "--grid",
            "uprating.price_change_scale=1.0,1.5",
            "--population",
            str(DEFAULT_POPULATION),
        ]
    )
    printed = capsys.readouterr().out
    assert "baseline (grid 1)" in printed and "baseline (grid 1.5)" in printed
    for name in ("plan.json", "manifest.json", "results.parquet", "results.csv"):
        assert (out / name).is_file(), name
    for name in ("grid_fan.png", "grid_fan.svg"):
        assert (out / "charts" / name).stat().st_size > 0
    import openpyxl

    summary = openpyxl.load_workbook(out / "results.xlsx")["Sammanfattning"]
    header = [c.value for c in summary[5]]
    # One column per grid value (the band columns beside each), the grid value named.
    assert [h for h in header[2:] if "lägre" not in h and "övre" not in h] == [
        "Nuvarande regler (Skalfaktor för prisförändringen = 1)",
        "Nuvarande regler (Skalfaktor för prisförändringen = 1,5)",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["grid"] == {"path": "uprating.price_change_scale", "values": [1.0, 1.5]}
    assert [r["assumption_values"] for r in manifest["replications"]] == [
        {"uprating.price_change_scale": 1.0},
        {"uprating.price_change_scale": 1.5},
    ]
    table = pl.read_parquet(out / "results.parquet").filter(pl.col("group") == "all")
    assert table.columns[0] == "grid_value"
    at = {
        g: {
            r["metric"]: r["value"]
            for r in table.filter(pl.col("grid_value") == g).iter_rows(named=True)
        }
        for g in (1.0, 1.5)
    }
    assert at[1.5]["fs_paid_sek_year"] > at[1.0]["fs_paid_sek_year"]
    golden = json.loads((Path(__file__).parent / "golden" / "totals_2027.json").read_text())[
        "baseline"
    ]
    assert sorted(at[1.0]) == sorted(golden)
    moved = [
        m
        for m, v in golden.items()
        if not math.isclose(at[1.0][m], v, rel_tol=1e-9, abs_tol=1e-6)  # as test_golden
    ]
    assert moved == []
