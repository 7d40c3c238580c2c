"""``summary.md``: the headline table, scenarios as columns, where it comes from, and the
government's and the municipalities' tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from sim.catalogue.labels import text as _t
from sim.outputs.names import population_name
from sim.outputs.report.government import government_markdown
from sim.outputs.report.headline import band_note, effects_table, headline
from sim.outputs.report.municipal import municipal_markdown
from sim.outputs.report.templates import Table, render_template
from sim.outputs.results_lookup import has_bands


def summary_markdown(
    table: pl.DataFrame,
    manifest: Mapping[str, Any],
    lang: str = "sv",
    differences: pl.DataFrame | None = None,
) -> str:
    """``summary.md``: the headline table, scenarios as columns, and where it comes from.

    With bands (a sweep) every value carries its 10th–90th percentile in brackets, and the
    effects against the baseline (``differences``) follow in a second table."""
    year = manifest.get("year", "")
    parts = [
        government_markdown(table, manifest, lang),
        municipal_markdown(table, manifest, lang).rstrip("\n"),
    ]
    effects = has_bands(differences)
    return render_template(
        "summary.md.j2",
        heading=_t(lang, f"Huvudresultat {year}", f"Headline results {year}"),
        meta=_t(
            lang,
            f"sim {manifest.get('version', '')}, population {population_name(manifest)} "
            f"(seed {manifest.get('seed', '')}). (statisk) = utan beteendeeffekter. "
            "Belopp i miljoner kronor per år; antal avrundade till närmaste hundratal.",
            f"sim {manifest.get('version', '')}, population {population_name(manifest)} "
            f"(seed {manifest.get('seed', '')}). (static) = no behavioural response. "
            "Money in SEK million a year; counts rounded to the nearest hundred.",
        ),
        headline=Table(*headline(table, lang, differences)),
        band_note=band_note(manifest, lang) if has_bands(table) else "",
        effects=Table(*effects_table(differences, lang)) if effects else None,
        effects_heading=_t(lang, "Effekt mot nuvarande regler", "Effect against current rules"),
        effects_note=_t(
            lang,
            "Skillnad reform − nuvarande regler inom varje replikering (differences.csv); "
            "fattigdom i procentenheter (p.e.).",
            "Difference reform − current rules within each replication (differences.csv); "
            "poverty in percentage points (pp).",
        ),
        parts=[p for p in parts if p],
        closing=_t(
            lang,
            "Alla mått, grupper och definitioner: results.csv / results.xlsx och report.html.",
            "Every metric, group and definition: results.csv / results.xlsx and report.html.",
        ),
    )
