"""The report's section on the population's calibration: how many targets were met, the
design effect, every target with its source, and the population's own summary."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from sim.catalogue import labels
from sim.catalogue.labels import text as _t
from sim.outputs.formatting import format_number
from sim.outputs.names import in_words
from sim.outputs.report.sources import Sources, source_link
from sim.outputs.report.templates import Table, block, paragraph, report_section


def calibration_section(
    population: Mapping[str, Any] | None, lang: str, sources: Sources
) -> dict[str, Any]:
    title = _t(lang, "Befolkningens kalibrering", "Calibration of the population")
    if not population or not population.get("calibration"):
        return report_section(
            "kalibrering",
            title,
            blocks=[
                paragraph(
                    _t(
                        lang,
                        "Ingen kalibreringsrapport för befolkningen.",
                        "No calibration report for the population.",
                    )
                )
            ],
        )
    calibration = population["calibration"]
    weights = calibration.get("weights", {})
    targets = calibration.get("targets", [])
    met = sum(1 for t in targets if t.get("met"))
    design = format_number(weights.get("design_effect", math.nan), decimals=2, lang=lang)
    bounds = weights.get("bounds", "")
    blocks = [
        paragraph(
            _t(
                lang,
                f"{met} av {len(targets)} mål uppfyllda inom sin tolerans. Designeffekt {design}, "
                f"viktkvoter inom {bounds}.",
                f"{met} of {len(targets)} targets met within their tolerance. Design effect "
                f"{design}, weight ratios within {bounds}.",
            )
        )
    ]
    rows = []
    cited: dict[str, list[str]] = {}  # URL -> what the targets say of it besides the URL
    for t in targets:
        source = str(t.get("source") or "")
        url = re.search(r"https?://\S+", source)
        if url:
            rest = " ".join(source.replace(url.group(0), "").split()).removesuffix(" via")
            cited.setdefault(url.group(0), []).append(rest)
        rows.append(
            [
                _target_name(t.get("id", ""), lang, t.get("year"), calibration.get("year")),
                in_words(_USE_WORDS, t.get("use", ""), lang),
                format_number(
                    t.get("target", math.nan), decimals=_decimals(t.get("target")), lang=lang
                ),
                format_number(
                    t.get("achieved", math.nan), decimals=_decimals(t.get("target")), lang=lang
                ),
                format_number(100 * (t.get("error") or 0.0), decimals=2, lang=lang, signed=True)
                + (" %" if t.get("error_kind") == "relative" else " p.e."),
                _t(lang, "ja", "yes") if t.get("met") else _t(lang, "nej", "no"),
                source_link(t.get("source", "")),
            ]
        )
    for url, texts in cited.items():
        what = next((t for t in texts if t), "")
        count = _t(lang, f"{len(texts)} kalibreringsmål", f"{len(texts)} calibration targets")
        sources.add(f"{what} ({count})" if what else count.capitalize(), url)
    blocks.append(
        block(
            "details",
            open=False,
            summary=_t(lang, "Alla kalibreringsmål", "Every calibration target"),
            table=Table(
                [
                    _t(lang, "Mål", "Target"),
                    _t(lang, "Användning", "Use"),
                    _t(lang, "Målvärde", "Target value"),
                    _t(lang, "Uppnått", "Achieved"),
                    _t(lang, "Fel", "Error"),
                    _t(lang, "Uppfyllt", "Met"),
                    _t(lang, "Källa", "Source"),
                ],
                rows,
                numeric=False,
                css="text",
            ),
        )
    )
    summary = population.get("summary") or {}
    keys = [k for k, v in summary.items() if isinstance(v, int | float) and k != "year"]
    if keys:
        blocks.append(
            block(
                "details",
                open=False,
                summary=_t(
                    lang,
                    "Befolkningens sammanfattning (dataåret)",
                    "Summary of the population (data year)",
                ),
                table=Table(
                    [_t(lang, "Mått", "Measure"), _t(lang, "Värde", "Value")],
                    [
                        [
                            _target_name(k, lang),
                            format_number(summary[k], decimals=_decimals(summary[k]), lang=lang),
                        ]
                        for k in keys
                    ],
                ),
            )
        )
    return report_section("kalibrering", title, blocks=blocks)


#: How a calibration target is used, in words.
_USE_WORDS = {
    "margin": ("kalibreringsmarginal", "calibration margin"),
    "check": ("kontroll", "check"),
    "none": ("visas bara", "shown only"),
}


#: The population's own counts and measures (summary.json) that are no metric and no
#: calibration target (:data:`_SUMMARY_TARGETS`).
_POPULATION_WORDS = {
    "households": ("Hushåll", "Households"),
    "dwellings": ("Bostäder", "Dwellings"),
    "persons": ("Personer", "Persons"),
    "children": ("Barn (0–17)", "Children (0–17)"),
    "fs_adults_foreign_born_share": (
        "Andel utrikes födda bland vuxna i biståndshushåll",
        "Share born abroad among adults in recipient households",
    ),
}


#: The measures of summary.json that a calibration target of the same name measures.
_SUMMARY_TARGETS = {
    "low_economic_standard_rate": "scb_low_economic_standard",
    "child_low_economic_standard_rate": "scb_child_low_economic_standard",
    "median_economic_standard": "scb_median_economic_standard",
    "gini_economic_standard": "scb_gini",
}


def _target_name(key: str, lang: str, year: Any = None, data_year: Any = None) -> Markup | str:
    """A calibration target or summary count in words: a metric's label, the population's
    own words, or the target's name (:func:`sim.catalogue.labels.calibration_target`), with the
    target's ``year`` where it is not the population's ``data_year``; else its key."""
    if key in labels.metric_keys():
        name = labels.metric(key, lang)
    elif key in _POPULATION_WORDS:
        name = _t(lang, *_POPULATION_WORDS[key])
    else:
        try:
            name = labels.calibration_target(_SUMMARY_TARGETS.get(key, key), lang)
        except KeyError:
            return key
    if year is not None and year != data_year:
        name += f", {year}"
    return name


def _decimals(value: Any) -> int:
    return 3 if isinstance(value, float) and abs(value) < 10 else 0
