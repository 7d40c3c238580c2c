"""The population's PTR and EMTR (sim.incentives.population): the rates follow the law where
it can be stated exactly, and the summary adds up."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from sim.common.errors import SimInputError
from sim.incentives.population import default_wages, household_rates, summarise
from sim.runs import DEFAULT_POPULATION, read_population
from sim.scenarios.scenario import load_scenario


@pytest.fixture(scope="module")
def population():
    return read_population(DEFAULT_POPULATION)[0]


@pytest.fixture(scope="module")
def rates(population):
    return household_rates(population, scenarios=("baseline", "kombinerad"), year=2027, month=9)


def test_default_wages_come_from_the_law_and_assumption_files():
    # SOU 2025:15 model A's 22 000 kr (sim/law/params/bidragstak.yaml), half of it, and the
    # assumed entry wage 18 000 kr (sim/law/assumptions/behaviour.yaml, central).
    assert default_wages(load_scenario("baseline"), 2027) == {
        "deltid": 11_000.0,
        "ingångslön": 18_000.0,
        "heltid": 22_000.0,
    }


def test_on_fs_without_jobbstimulans_the_job_adds_nothing(rates):
    """SoL 12 kap. 1 §: FS tops the household up to its need, so while it has FS in and out
    of work (and so gets no jobbpremie) the job changes nothing: PTR = 1. (With FS in work
    only, the PTR can exceed 1: the job ends a benefit larger than its net pay.)"""
    on_fs = rates.filter(
        ~pl.col("jobbstimulans") & (pl.col("fs_in_work") > 0) & (pl.col("fs_out_of_work") > 0)
    )
    assert on_fs.height > 100
    np.testing.assert_allclose(on_fs["ptr"].to_numpy(), 1.0, rtol=0, atol=1e-12)


def test_on_fs_with_jobbstimulans_a_quarter_of_the_net_pay_is_kept(rates):
    """SoL 12 kap. 8 §: with FS in and out of work, the household keeps exactly 25 % of the
    change of the adults' net earnings."""
    both = rates.filter(
        pl.col("jobbstimulans") & (pl.col("fs_in_work") > 0) & (pl.col("fs_out_of_work") > 0)
    )
    assert both.height > 100
    gain = (both["disposable_in_work"] - both["disposable_out_of_work"]).to_numpy()
    kept = 0.25 * (both["net_earnings_in_work"] - both["net_earnings_out_of_work"]).to_numpy()
    np.testing.assert_allclose(gain, kept, rtol=1e-9, atol=1e-6)


def test_the_jobbpremie_is_paid_only_off_fs_and_only_in_kombinerad(rates):
    paid = rates.filter(pl.col("jobbpremie_in_work") > 0)
    assert paid.height > 0
    assert set(paid["scenario"].unique()) == {"kombinerad"}
    assert (paid["fs_in_work"] == 0).all()
    # 15 % of the wage, at most 3 750 kr (law.md §1.8): one job taker per household.
    expected = np.minimum(0.15 * paid["wage"].to_numpy(), 3750.0)
    np.testing.assert_array_equal(paid["jobbpremie_in_work"].to_numpy(), expected)


def test_summary_adds_up(rates):
    summary = summarise(rates, threshold=0.8)
    households = summary.filter(pl.col("metric") == "households")
    keys = ["scenario", "jobbstimulans", "wage_label"]
    totals = rates.group_by(keys).agg(pl.col("weight").sum().alias("total"))
    for kind in ("alla", "hushållstyp", "antal_barn"):
        by_kind = (
            households.filter(pl.col("group_kind") == kind)
            .group_by(keys)
            .agg(pl.col("value").sum())
            .join(totals, on=keys)
        )
        np.testing.assert_allclose(by_kind["value"], by_kind["total"], rtol=1e-12)
    shares = summary.filter(pl.col("metric") == "share_ptr_at_least")["value"].to_numpy()
    assert ((shares >= 0) & (shares <= 1)).all()
    # Without the jobbstimulans, every household still on FS in work has PTR 1 >= 0.8.
    alla = summary.filter(
        (pl.col("group_kind") == "alla")
        & (pl.col("metric") == "households_ptr_at_least")
        & ~pl.col("jobbstimulans")
    )
    on_fs = (
        rates.filter(~pl.col("jobbstimulans") & (pl.col("fs_in_work") > 0))
        .group_by(keys)
        .agg(pl.col("weight").sum().alias("on_fs"))
    )
    joined = alla.join(on_fs, on=keys)
    assert joined.height == 6 and (joined["value"] >= joined["on_fs"] - 1e-9).all()


def test_bad_month_and_wage_are_clear_errors(population):
    with pytest.raises(SimInputError, match="month must be 1-12"):
        household_rates(population, month=13)
    with pytest.raises(SimInputError, match="positive amount"):
        household_rates(population, wages={"noll": 0.0})


def test_the_selection_is_households_paid_fs_in_the_month(population, rates):
    """Every selected household was paid FS in September of the data year."""
    paid = population.household_months.filter(
        (pl.col("month") == 9) & (pl.col("forsorjningsstod") > 0)
    )["household_idx"]
    assert set(rates["household_idx"].unique()) <= set(paid)


def test_cli_writes_the_summary_and_refuses_bad_input(tmp_path, capsys):
    from sim.cli import main

    target = tmp_path / "ptr.csv"
    main(["work-incentives", "--out", str(target), "--scenarios", "baseline"])
    out = capsys.readouterr().out
    assert "PTR median" in out and f"wrote {target}" in out
    summary = pl.read_csv(target)
    assert set(summary["group_kind"]) == {"alla", "hushållstyp", "antal_barn"}
    with pytest.raises(SystemExit) as exit_:
        main(["work-incentives", "--out", str(target)])
    assert exit_.value.code == 2 and "use --force" in capsys.readouterr().err


def test_population_chart_has_a_panel_per_wage(rates):
    from sim.outputs.charts.work import population_ptr

    fig = population_ptr(summarise(rates), lang="en")
    assert [t.get_text() for t in fig.texts][0] == "Does taking a job pay?"
    assert len(fig.axes) == 3
    # The bars are the medians of the summary (baseline, full time, first household type).
    summary = summarise(rates)
    first = sorted(summary.filter(pl.col("group_kind") == "hushållstyp")["group"].unique())[0]
    expected = summary.filter(
        (pl.col("scenario") == "baseline")
        & ~pl.col("jobbstimulans")
        & (pl.col("wage_label") == "heltid")
        & (pl.col("group") == first)
        & (pl.col("metric") == "ptr_median")
    )["value"][0]
    bars = fig.axes[2].patches
    assert bars[0].get_width() == 100 * expected
