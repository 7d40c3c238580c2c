"""The terminal summary of ``sim run``: the headline numbers of each scenario in words.

Swedish by default (``lang="en"``: English), with units and the Swedish number format
(``−1 270 mkr/år (−10,6 %)``, ``+0,2 procentenheter``, counts as whole numbers), the
scenarios by their full names, the metrics by their labels (the catalogue, :mod:`sim.catalogue.labels`),
and where the report is. Changes are against the baseline of the same run.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from sim.catalogue import labels
from sim.outputs.formatting import format_number as number
from sim.outputs.formatting import metric_number

#: The metrics shown as a change against the baseline, in this order.
CHANGES = (
    "fs_paid_sek_year",
    "public_cost_sek_year",
    "fs_households_year",
    "fs_children_year",
    "poverty_rate",
    "child_poverty_rate",
)
#: The metrics shown as the scenario's level, where it is not zero.
LEVELS = (
    "households_with_lower_fs",
    "households_fourth_child_rule",
    "persons_covered_aktivitetskrav",
    "persons_sanctioned",
    "jobbpremie_paid_sek_year",
)

_TEXT = {
    "title": (
        "Huvudresultat {year}, förändring mot nuvarande regler (statisk = utan beteendeeffekter)",
        "Headline results {year}, change against current rules (static = no behaviour)",
    ),
    "points": ("procentenheter", "percentage points"),
    "report": ("Rapport", "Report"),
    "tables": ("Tabeller", "Tables"),
}


def _t(key: str, lang: str) -> str:
    return labels.text(lang, *_TEXT[key])


def _amount(metric: str, value: float, *, lang: str, change: bool) -> str:
    """A value with its unit, as the report rounds it (:func:`sim.outputs.formatting.metric_number`):
    money in millions of kronor a year, counts rounded to hundreds, shares as per cent
    (levels) or percentage points with two decimals (changes)."""
    unit = labels.metric_unit(metric)
    if unit == "share":
        if change:
            points = metric_number(metric, value, lang=lang, signed=True, share_decimals=2)
            return f"{points} {_t('points', lang)}"
        return f"{metric_number(metric, value, lang=lang)} %"
    if unit == "SEK/year":  # in millions, as metric_number gives it
        shown = " " + labels.text(lang, "mkr/år", "SEK m/year")
    else:
        shown = " " + labels.unit(unit, lang) if unit in ("households", "persons") else ""
    return f"{metric_number(metric, value, lang=lang, signed=change)}{shown}"


def run_summary(table: pl.DataFrame, *, year: int, out: str | Path, lang: str = "sv") -> str:
    """The terminal summary of a run's results ``table`` (:func:`sim.metrics.results.results_table`)
    written to ``out``: the baseline's levels, then per scenario its changes and the
    households and persons it reaches; the report's path last."""
    headline = table.filter(pl.col("group") == "all")
    values: dict[str, dict[str, float]] = {}
    for row in headline.iter_rows(named=True):
        if row["value"] is not None:
            values.setdefault(row["scenario"], {})[row["metric"]] = float(row["value"])
    runs = list(dict.fromkeys(headline["scenario"].to_list()))
    if not runs:
        return ""
    base_label = "baseline" if "baseline" in runs else runs[0]
    runs = [base_label] + [name for name in runs if name != base_label]
    base = values.get(base_label, {})

    named = set(labels.metric_keys())

    def label(metric: str) -> str:
        return labels.metric(metric, lang)

    lines = [_t("title", lang).format(year=year), ""]
    lines.append(labels.scenario(base_label, lang))
    for metric in CHANGES:
        if metric in base and metric in named:
            text = label(metric)
            lines.append(f"  {text}: {_amount(metric, base[metric], lang=lang, change=False)}")
    for run_label in runs[1:]:
        own = values.get(run_label, {})
        lines += ["", labels.scenario(run_label, lang)]
        for metric in CHANGES:
            if metric not in own or metric not in base or metric not in named:
                continue
            text = label(metric)
            change = own[metric] - base[metric]
            shown = _amount(metric, change, lang=lang, change=True)
            if metric == "fs_paid_sek_year" and base[metric]:
                shown += f" ({number(100 * change / base[metric], decimals=1, lang=lang, signed=True)} %)"
            lines.append(f"  {text}: {shown}")
        for metric in LEVELS:
            if own.get(metric) and metric in named:
                text = label(metric)
                lines.append(f"  {text}: {_amount(metric, own[metric], lang=lang, change=False)}")
    out = Path(out)
    lines += [
        "",
        f"{_t('report', lang)}: {out / 'report.html'}",
        f"{_t('tables', lang)}: {out / 'summary.md'}, {out / 'results.xlsx'}",
    ]
    return "\n".join(lines)
