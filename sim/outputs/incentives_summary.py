"""What ``sim work-incentives`` prints and writes: the population's participation and
marginal effective tax rates (:mod:`sim.incentives.population`) as text and as a CSV or JSON
file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from sim.common.errors import SimInputError
from sim.common.safe_write import write_file
from sim.incentives.population import household_rates, summarise
from sim.outputs.axis_output import check_target
from sim.runs import DEFAULT_POPULATION, read_population


def summary_text(summary: pl.DataFrame) -> str:
    """The whole population's rows of :func:`summarise` as a few lines of text."""
    alla = summary.filter(pl.col("group_kind") == "alla")
    threshold = float(summary["threshold"][0])
    lines = [
        f"{'scenario':<14}{'jobbstim.':<11}{'lön':<12}{'hushåll':>10}{'PTR median':>12}"
        f"{f'PTR ≥ {threshold:.2f}':>13}{'EMTR median':>13}"
    ]
    keys = ["scenario", "jobbstimulans", "wage_label", "wage"]
    for key, part in alla.group_by(keys, maintain_order=True):
        v = dict(zip(part["metric"], part["value"], strict=True))
        lines.append(
            f"{key[0]:<14}{'ja' if key[1] else 'nej':<11}{f'{key[3]:.0f}':<12}"
            f"{v['households']:>10.0f}{v['ptr_median']:>12.3f}"
            f"{100 * v['share_ptr_at_least']:>12.1f}%{v['emtr_median']:>13.3f}"
        )
    return "\n".join(lines)


def write_summary(
    out: str,
    *,
    scenarios: Sequence[str],
    year: int,
    month: int,
    population: str | None,
    threshold: float,
    jobbpremie_eligible: bool,
    force: bool,
) -> str:
    """``sim work-incentives``: the summary to a .csv or .json file, and its text."""
    if not scenarios:
        raise SimInputError("--scenarios names no scenario")
    if not 0 <= threshold <= 2:
        raise SimInputError(f"threshold must be between 0 and 2, not {threshold}")
    target = Path(out)
    check_target(target, (".csv", ".json"), force=force)
    pop, _ = read_population(Path(population) if population else DEFAULT_POPULATION)
    rates = household_rates(
        pop, scenarios=scenarios, year=year, month=month, jobbpremie_eligible=jobbpremie_eligible
    )
    summary = summarise(rates, threshold=threshold)
    if target.suffix == ".csv":
        write_file(target, lambda tmp: summary.write_csv(tmp))
    else:
        write_file(target, lambda tmp: summary.write_json(tmp))
    return f"{summary_text(summary)}\nwrote {out} ({summary.height} rows)"
