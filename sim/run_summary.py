"""The terminal summary of ``sim run``: the headline numbers of each scenario in words.

Swedish by default (``lang="en"``: English), with units and the Swedish number format
(``−1 270 mkr/år (−10,6 %)``, ``+0,2 procentenheter``, counts as whole numbers), the
scenarios by their full names, the metrics by their labels (:data:`sim.results.METRIC_INFO`),
and where the report is. Changes are against the baseline of the same run.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

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

_UNITS = {
    "SEK/year": ("mkr/år", "SEK m/year"),
    "households": ("hushåll", "households"),
    "persons": ("personer", "persons"),
}
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
    sv, en = _TEXT[key]
    return sv if lang == "sv" else en


def number(value: float, decimals: int = 0, *, lang: str = "sv", sign: bool = False) -> str:
    """``value`` in the language's format: Swedish ``−1 234,5`` (space between thousands,
    decimal comma, a real minus sign), English ``-1,234.5``; ``sign``: ``+`` on a positive
    value. A value that rounds to zero has no sign.

    >>> number(-1234.5, 1), number(0.04, 1, sign=True), number(12.25, 1, lang="en", sign=True)
    ('−1 234,5', '0,0', '+12.2')
    """
    rounded = round(value, decimals)
    if rounded == 0:
        rounded = 0.0
    text = f"{abs(rounded):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", " ").replace(".", ",")
    if rounded < 0:
        text = ("−" if lang == "sv" else "-") + text
    elif sign and rounded > 0:
        text = "+" + text
    return text


def _amount(metric_unit: str, value: float, *, lang: str, change: bool) -> str:
    """A value with its unit: money in millions of kronor, counts as whole numbers,
    shares as per cent (levels) or percentage points (changes)."""
    if metric_unit == "share":
        if change:
            return f"{number(100 * value, 1, lang=lang, sign=True)} {_t('points', lang)}"
        return f"{number(100 * value, 1, lang=lang)} %"
    units = _UNITS.get(metric_unit)
    unit = "" if units is None else " " + (units[0] if lang == "sv" else units[1])
    scale = 1e6 if metric_unit == "SEK/year" else 1.0
    return f"{number(value / scale, 0, lang=lang, sign=change)}{unit}"


def run_summary(table: pl.DataFrame, *, year: int, out: str | Path, lang: str = "sv") -> str:
    """The terminal summary of a run's results ``table`` (:func:`sim.results.results_table`)
    written to ``out``: the baseline's levels, then per scenario its changes and the
    households and persons it reaches; the report's path last."""
    from sim.charts import scenario_name
    from sim.results import METRIC_INFO

    headline = table.filter(pl.col("group") == "all")
    values: dict[str, dict[str, float]] = {}
    for row in headline.iter_rows(named=True):
        if row["value"] is not None:
            values.setdefault(row["scenario"], {})[row["metric"]] = float(row["value"])
    labels = list(dict.fromkeys(headline["scenario"].to_list()))
    if not labels:
        return ""
    base_label = "baseline" if "baseline" in labels else labels[0]
    labels = [base_label] + [name for name in labels if name != base_label]
    base = values.get(base_label, {})

    def label(metric: str) -> tuple[str, str]:
        unit, sv, en = METRIC_INFO[metric]
        return unit, sv if lang == "sv" else en

    lines = [_t("title", lang).format(year=year), ""]
    lines.append(scenario_name(base_label, lang))
    for metric in CHANGES:
        if metric in base and metric in METRIC_INFO:
            unit, text = label(metric)
            lines.append(f"  {text}: {_amount(unit, base[metric], lang=lang, change=False)}")
    for run_label in labels[1:]:
        own = values.get(run_label, {})
        lines += ["", scenario_name(run_label, lang)]
        for metric in CHANGES:
            if metric not in own or metric not in base or metric not in METRIC_INFO:
                continue
            unit, text = label(metric)
            change = own[metric] - base[metric]
            shown = _amount(unit, change, lang=lang, change=True)
            if metric == "fs_paid_sek_year" and base[metric]:
                shown += f" ({number(100 * change / base[metric], 1, lang=lang, sign=True)} %)"
            lines.append(f"  {text}: {shown}")
        for metric in LEVELS:
            if own.get(metric) and metric in METRIC_INFO:
                unit, text = label(metric)
                lines.append(f"  {text}: {_amount(unit, own[metric], lang=lang, change=False)}")
    out = Path(out)
    lines += [
        "",
        f"{_t('report', lang)}: {out / 'report.html'}",
        f"{_t('tables', lang)}: {out / 'summary.md'}, {out / 'results.xlsx'}",
    ]
    return "\n".join(lines)
