"""The calibration report: every target, its achieved value, and whether it is met.

One row per row of the targets file: id, source year, the target aligned to the simulated
year, the achieved value, the error (relative, or absolute in percentage points for
shares), the tolerance, met or not, how it is used (calibration margin, check, or not used
with the reason) and the source. Markdown for people, JSON for tools.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.population.summary import FS_HH_TYPES, first_adult_age, household_type_codes

if TYPE_CHECKING:
    from sim.population.build import CalibratedPopulation


def _achieved(calibrated: CalibratedPopulation, summary: dict[str, object]) -> dict[str, float]:
    pop = calibrated.population
    year = pop.year
    w = pop.households["weight"].to_numpy()
    w_p = pop.persons["weight"].to_numpy()
    paid = pop.household_months_array("forsorjningsstod")
    months = (paid > 0).sum(axis=1)
    recipient = months > 0
    fs_households = float(summary["fs_households_year"])
    types = household_type_codes(pop)
    out: dict[str, float] = {
        f"fs_households@{year}": fs_households,
        f"fs_paid@{year}": float(summary["fs_paid_sek_year"]),
        f"fs_households_full_year@{year}": float(summary["fs_households_full_year"]),
        f"fs_paid_per_household@{year}": float(summary["fs_paid_sek_year"]) / fs_households,
        f"fs_paid_per_inhabitant@{year}": float(summary["fs_paid_sek_year"])
        / float(summary["persons"]),
        "fs_months_per_household@2020": float(summary["fs_months_per_household"]),
        "fs_longterm_share_recipients@2020": float(summary["fs_longterm_share"]),
        f"scb_low_economic_standard@{year}": float(summary["low_economic_standard_rate"]),
        "scb_child_low_economic_standard@2019": float(summary["child_low_economic_standard_rate"]),
        "scb_gini@2023": float(summary["gini_economic_standard"]),
    }
    for code, name in enumerate(FS_HH_TYPES):
        out[f"fs_hh_type_{name}@2021"] = float(w[recipient & (types == code)].sum()) / fs_households
        all_of_type = w[types == code].sum()
        out[f"fs_takeup_{name}@2021"] = float(w[recipient & (types == code)].sum() / all_of_type)
    age = first_adult_age(pop)
    out["fs_hh_type_total_18_64@2021"] = float(
        w[recipient & (age >= 18) & (age <= 64)].sum() / fs_households
    )
    dwelling_type = pop.dwellings["dwelling_type"].to_numpy()
    w_dw = pop.dwellings["weight"].to_numpy()
    from sim.population.tables import DWELLING_TARGET_IDS

    for code, id_ in enumerate(DWELLING_TARGET_IDS):
        out[f"{id_}@2021"] = float(w_dw[dwelling_type == code].sum())
    out["scb_households_total@2021"] = float(w_dw.sum())
    out["scb_persons_total@2021"] = float(w_p.sum())
    p = pop.persons
    idx = p["household_idx"].to_numpy()
    adult = ~p["is_child"].to_numpy()
    female = p["is_female"].to_numpy()
    rec_p = recipient[idx]
    age_p = p["age"].to_numpy()
    out["fs_recipients_women@2020"] = float(w_p[rec_p & adult & female].sum())
    out["fs_recipients_men@2020"] = float(w_p[rec_p & adult & ~female].sum())
    out["fs_recipients_children@2020"] = float(w_p[rec_p & ~adult].sum())
    longterm_p = (months >= 10)[idx] & adult
    grown = adult & (age_p >= 18)
    out["fs_longterm_adults_share_of_adult_pop@2022"] = float(
        w_p[longterm_p].sum() / w_p[grown].sum()
    )
    from sim.population.geography import lan_achieved
    from sim.population.summary import economic_standard

    out.update(lan_achieved(pop))
    from sim.population.geography import (
        group_achieved,
        group_of_dwellings,
        lan_of_dwellings,
        lan_table,
    )
    from sim.population.monthly import monthly_achieved

    out.update(group_achieved(pop))
    lan_codes = [lan.code for lan in lan_table()]
    out.update(monthly_achieved(pop, lan_of_dwellings(pop), lan_codes, group_of_dwellings(pop)))

    standard, _ = economic_standard(pop)
    dw = p["dwelling_idx"].to_numpy()
    poor = (standard < calibrated.poverty_line)[dw]
    single_dw = (dwelling_type == 0)[dw]
    out["scb_low_economic_standard_single_no_children@2020"] = float(
        w_p[poor & single_dw].sum() / w_p[single_dw].sum()
    )
    return out


def report_rows(
    calibrated: CalibratedPopulation,
    summary: dict[str, object],
    before: tuple[CalibratedPopulation, dict[str, object]] | None = None,
) -> list[dict[str, object]]:
    """One dict per target row (see the module docstring).

    ``before`` (the population with design weights and its summary) adds the value each
    target had before calibration (``before_calibration``), so a reader sees how much the
    weights had to do.
    """
    achieved = _achieved(calibrated, summary)
    prior = _achieved(*before) if before is not None else {}
    rows = []
    for t in calibrated.targets:
        key = t.target.key
        value = achieved.get(key)
        if t.use == "none" or value is None:
            rows.append(
                {
                    "id": t.target.id,
                    "year": t.target.year,
                    "use": t.use,
                    "target": t.value if math.isfinite(t.value) else None,
                    "achieved": None,
                    "error": None,
                    "tolerance": None,
                    "met": None,
                    "note": t.reason or "not computed",
                    "source": t.target.source,
                }
            )
            continue
        if t.tolerance_kind == "absolute":
            error = value - t.value
            met = abs(error) <= t.tolerance + 1e-12
        else:
            error = (value - t.value) / t.value
            met = abs(error) <= t.tolerance + 1e-12
        rows.append(
            {
                "id": t.target.id,
                "year": t.target.year,
                "use": t.use,
                "target": t.value,
                "achieved": value,
                "before_calibration": prior.get(key),
                "error": error,
                "error_kind": t.tolerance_kind,
                "tolerance": t.tolerance,
                "met": bool(met),
                "note": t.rule if met else f"{t.rule}; not met",
                "source": t.target.source,
            }
        )
    return rows


def _fmt(value: object, kind: str | None = None) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, float | np.floating):
        if kind == "absolute":
            return f"{100 * value:+.2f} pp"
        if kind == "relative":
            return f"{100 * value:+.2f} %"
        if abs(value) >= 100:
            return f"{value:,.0f}".replace(",", " ")
        return f"{value:.4f}"
    return str(value)


def render_report(rows: list[dict[str, object]], diagnostics: dict[str, object], year: int) -> str:
    """The report as Markdown."""
    lines = [
        f"# Calibration report, population {year}",
        "",
        "Target values are aligned to the simulated year (rule in the note). Errors are "
        "relative (%) or, for shares, absolute (percentage points). `use`: margin = "
        "calibrated, check = compared only, none = not used (reason in the note).",
        "",
        "| id | year | use | target | before calibration | achieved | error | tolerance | met "
        "| note | source |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        kind = r.get("error_kind")
        tol = r["tolerance"]
        tol_text = (
            ""
            if tol is None
            else (f"±{100 * tol:.0f} pp" if kind == "absolute" else f"±{100 * tol:.0f} %")
        )
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        lines.append(
            f"| {r['id']} | {r['year'] or ''} | {r['use']} | {_fmt(r['target'])} | "
            f"{_fmt(r.get('before_calibration'))} | {_fmt(r['achieved'])} | "
            f"{_fmt(r['error'], kind)} | {tol_text} | {met} | "
            f"{r['note']} | {r['source']} |"
        )
    lines += ["", "## Weights", ""]
    for key, value in diagnostics.items():
        lines.append(f"- {key}: {_fmt(value) if isinstance(value, float) else value}")
    return "\n".join(lines) + "\n"
