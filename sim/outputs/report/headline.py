"""The headline table of a run or a sweep: the headline metrics (group ``all``), one column
per run, every value as :func:`sim.outputs.formatting.format_with_band` writes it; a sweep's
effects table against the baseline and what its brackets mean."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import polars as pl

from sim.catalogue.labels import text as _t
from sim.outputs.formatting import format_effect, format_with_band
from sim.outputs.names import metric_label, scenario_name, varied_text

#: The headline metrics (group ``all``), in the order of the summary table.
HEADLINE = (
    "fs_paid_sek_year",
    "fs_households_year",
    "fs_children_year",
    "poverty_rate",
    "child_poverty_rate",
    "households_with_lower_fs",
    "persons_covered_aktivitetskrav",
    "persons_sanctioned",
    "jobbpremie_paid_sek_year",
    "public_cost_sek_year",
)


#: The derived headline row: public cost minus the baseline's.
PUBLIC_COST_CHANGE = "public_cost_change_sek_year"


def headline(
    table: pl.DataFrame, lang: str = "sv", differences: pl.DataFrame | None = None
) -> tuple[list[str], list[list[str]]]:
    """The headline table: header (metric, then one column per run) and formatted rows.

    Where the table has a band (``low``/``high``, from ``sim sweep``) a cell reads
    ``22,3 % (21,7–23,1)`` (:func:`format_with_band`). The change of public cost against the
    baseline is taken from ``differences`` (a sweep's effects, median and band within
    replications) when given, else it is the difference of the two values."""
    runs = list(dict.fromkeys(table["scenario"].to_list()))
    rows = []
    values = _all_rows(table)
    nothing = (math.nan, None, None)
    for metric in HEADLINE:
        cells = [
            format_with_band(metric, *values.get((run, metric), nothing), lang=lang) for run in runs
        ]
        rows.append([metric_label(metric, lang), *cells])
    base = values.get(("baseline", "public_cost_sek_year"), nothing)[0]
    effects = _all_rows(differences) if differences is not None else {}
    change = []
    for run in runs:
        if (run, "public_cost_sek_year") in effects:
            value, low, high = effects[run, "public_cost_sek_year"]
        else:
            value, low, high = (
                values.get((run, "public_cost_sek_year"), nothing)[0] - base,
                None,
                None,
            )
        change.append(
            format_with_band(PUBLIC_COST_CHANGE, value, low, high, lang=lang, signed=True)
        )
    rows.append([metric_label(PUBLIC_COST_CHANGE, lang), *change])
    header = [_t(lang, "Mått", "Measure"), *(scenario_name(r, lang) for r in runs)]
    return header, rows


def _all_rows(table: pl.DataFrame) -> dict[tuple[str, str], tuple[float, Any, Any]]:
    """``(scenario, metric) -> (value, low, high)`` of the rows of group ``all``."""
    return {
        (r["scenario"], r["metric"]): (r["value"], r["low"], r["high"])
        for r in table.filter(pl.col("group") == "all").iter_rows(named=True)
    }


#: The metrics of a sweep's effects table (summary.md, report.html), in order.
EFFECTS = ("poverty_rate", "child_poverty_rate", "fs_paid_sek_year", "public_cost_sek_year")


def effects_table(differences: pl.DataFrame, lang: str = "sv") -> tuple[list[str], list[list[str]]]:
    """The effects against the baseline of a sweep (``differences.parquet``: scenario −
    baseline within each replication), median and 10th–90th percentile, by :func:`format_effect`:
    header (metric, then one column per reform run) and formatted rows."""
    runs = [r for r in dict.fromkeys(differences["scenario"].to_list()) if r != "baseline"]
    values = _all_rows(differences)
    rows = [
        [
            metric_label(metric, lang),
            *(
                format_effect(metric, *values.get((run, metric), (math.nan, None, None)), lang=lang)
                for run in runs
            ),
        ]
        for metric in EFFECTS
    ]
    return [_t(lang, "Mått", "Measure"), *(scenario_name(r, lang) for r in runs)], rows


def band_note(manifest: Mapping[str, Any], lang: str = "sv") -> str:
    """What the brackets of a sweep's tables mean."""
    n = manifest.get("n_replications", "")
    varied = varied_text(manifest.get("vary") or (), lang)
    return _t(
        lang,
        f"Värdet är medianen och inom parentes 10:e–90:e percentilen över {n} replikeringar "
        f"(sim sweep: {varied}; docs/uncertainty.md). Ett mått utan variation står utan "
        "parentes.",
        f"The value is the median and in brackets the 10th–90th percentile over {n} "
        f"replications (sim sweep: {varied}; docs/uncertainty.md). A measure without any "
        "variation has no brackets.",
    )
