"""The report's municipal section: delivering the aktivitetskrav (docs/municipal.md).

:func:`municipal_html` is the section of ``report.html`` ("Kommunernas uppdrag: att
genomföra aktivitetskravet"): for every run with the requirement, what it takes (persons,
places, childcare hours, caseworkers), what it costs by part, the state funding and the
gap; for a municipality's profile also its own places and caseworkers against the need;
the three charts of :mod:`sim.outputs.charts.municipal`; the gap per län. :func:`municipal_markdown`
is the same table for ``summary.md``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from sim.catalogue import labels
from sim.catalogue.labels import text as _t
from sim.municipal.official import precision_note
from sim.municipal.profile import KommunProfile
from sim.outputs.charts.municipal import delivering_runs
from sim.outputs.formatting import format_number, format_value
from sim.outputs.names import metric_label, scenario_name
from sim.outputs.report.templates import Table, embedded_figure, render_section

#: Section anchor in report.html.
ANCHOR = "kommuner"

#: Captions of the municipal charts (Swedish, English).
CAPTIONS = {
    "delivery_cost_vs_funding": (
        "Kostnad för att genomföra aktivitetskravet, per del, och statens ersättning.",
        "Cost of delivering the activity requirement, by part, and the state funding.",
    ),
    "delivery_gap_by_lan": (
        "Finansieringsgap per invånare och län.",
        "Funding gap per inhabitant by county.",
    ),
    "activity_places_by_month": (
        "Heltidsplatser i aktivitet som behövs, månad för månad.",
        "Full-time activity places needed, month by month.",
    ),
}

#: Rows of the delivery table: metric, and how it is shown.
DELIVERY_ROWS = (
    "aktivitetskrav_covered_month",
    "activity_places_month",
    "preschool_children_month",
    "fritidshem_children_month",
    "childcare_hours_year",
    "individual_plans_year",
    "sanction_decisions_year",
    "casework_fte",
    "activity_cost_sek_year",
    "childcare_cost_sek_year",
    "casework_cost_sek_year",
    "delivery_cost_sek_year",
    "delivery_state_funding_sek_year",
    "delivery_funding_gap_sek_year",
)
#: Rows shown only for a municipality's profile.
PROFILE_ROWS = (
    "activity_places_available",
    "activity_places_shortfall_month",
    "caseworkers_available",
    "casework_extra_share",
    "caseload_equivalent_per_caseworker",
)


def _value(table: pl.DataFrame, run: str, metric: str, group: str = "all") -> float | None:
    row = table.filter(
        (pl.col("scenario") == run) & (pl.col("metric") == metric) & (pl.col("group") == group)
    )
    return float(row["value"][0]) if row.height else None


def _cell(metric: str, value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    if metric == "sampled_recipient_households":  # households in the sample: whole
        return format_number(value, lang=lang)
    if metric.endswith("_year") and "_sek_" not in metric:  # counts and hours in a year
        return format_number(value, lang=lang)
    if metric in ("casework_fte", "caseworkers_available", "caseload_equivalent_per_caseworker"):
        return format_number(value, decimals=1, lang=lang)
    return format_value(metric, value, lang=lang)


def delivery_table(table: pl.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one column per run with the requirement."""
    runs = delivering_runs(table)
    metrics = list(DELIVERY_ROWS)
    if any(_value(table, r, "activity_places_available") is not None for r in runs):
        metrics += PROFILE_ROWS
    header = [_t(lang, "Mått", "Metric"), *(scenario_name(r, lang) for r in runs)]
    rows = [
        [metric_label(m, lang), *(_cell(m, _value(table, r, m), lang) for r in runs)]
        for m in metrics
    ]
    return header, rows


def _profile_text(manifest: Mapping[str, Any], lang: str) -> str:
    profile = manifest.get("kommun_profile")
    if not profile:
        return _t(
            lang,
            "Hela landet. Statens ersättning fördelas mellan län efter antal invånare "
            "(antagande, docs/municipal.md).",
            "The whole country. The state funding is shared between counties by inhabitants "
            "(assumption, docs/municipal.md).",
        )
    name = profile.get("namn", "")
    example = (
        _t(
            lang,
            " Detta är en PÅHITTAD exempelkommun, inte en verklig kommun.",
            " This is a MADE-UP example municipality, not a real one.",
        )
        if profile.get("exempel")
        else ""
    )
    check = manifest.get("kommun_check") or {}
    if profile.get("kommunkod"):
        caseload = profile.get("manadshushall")
        caseload_text = (
            format_number(caseload, lang=lang)
            if caseload is not None
            else _t(lang, "okänt", "unknown")
        )
        head = _t(
            lang,
            f"{name} (kommun {profile['kommunkod']}, län {profile.get('lan')}, kommungrupp "
            f"{profile.get('kommungrupp_skr')}): {format_number(profile.get('invanare', 0), lang=lang)} "
            f"invånare (SCB 2024), {caseload_text} hushåll med ekonomiskt bistånd i en "
            "genomsnittlig månad 2024 (Socialstyrelsen).",
            f"{name} (municipality {profile['kommunkod']}, county {profile.get('lan')}, group "
            f"{profile.get('kommungrupp_skr')}): {format_number(profile.get('invanare', 0), lang=lang)} "
            f"inhabitants (SCB 2024), {caseload_text} households with ekonomiskt bistånd in an "
            "average month of 2024 (Socialstyrelsen).",
        )
        note = ""
        if "sampled_recipients_group" in check:
            known = {f.name for f in dataclasses.fields(KommunProfile)}
            kommun = KommunProfile(
                **{k: v for k, v in profile.items() if k in known and k != "kallor"}
            )
            note = " " + precision_note(
                int(check["sampled_recipients_group"]),
                int(check["sampled_recipients_kommun"]),
                kommun,
                lang,
            )
        return head + note + example
    return _t(
        lang,
        f"Kommunprofil: {name} ({format_number(profile.get('invanare', 0), lang=lang)} invånare). "
        "Befolkningen är omviktad till kommunens egna uppgifter; kostnader per timme är "
        "kommunens; statens ersättning är kommunens andel av invånarna." + example,
        f"Municipal profile: {name} ({format_number(profile.get('invanare', 0), lang=lang)} "
        "inhabitants). The population is re-weighted to the municipality's own figures; costs "
        "per hour are the municipality's; the state funding is its share of the inhabitants."
        + example,
    )


def municipal_markdown(table: pl.DataFrame, manifest: Mapping[str, Any], lang: str) -> str:
    """The section of ``summary.md`` (empty when no run has the requirement)."""
    header, rows = delivery_table(table, lang)
    if len(header) < 2:
        return ""
    lines = [
        _t(lang, "## Att genomföra aktivitetskravet", "## Delivering the activity requirement"),
        "",
        _profile_text(manifest, lang),
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" + "---:|" * (len(header) - 1),
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]
    return "\n".join(lines)


def municipal_section(
    table: pl.DataFrame, manifest: Mapping[str, Any], charts: Mapping[str, Path], lang: str
) -> dict[str, Any]:
    """The section of ``report.html`` as data for ``sections/municipal.html.j2``."""
    header, rows = delivery_table(table, lang)
    section: dict[str, Any] = {
        "id": ANCHOR,
        "title": _t(
            lang,
            "Kommunernas uppdrag: Att genomföra aktivitetskravet",
            "The municipalities' task: Delivering the activity requirement",
        ),
        "short": _t(lang, "Att genomföra aktivitetskravet", "Delivering the requirement"),
        "template": "municipal.html.j2",
        "profile": _profile_text(manifest, lang),
        "table": None,
        "empty": _t(lang, "Ingen körning med aktivitetskrav.", "No run with the requirement."),
    }
    if len(header) < 2:
        return section
    section["table"] = Table(header, rows)
    section["note"] = _t(
        lang,
        "Platser: heltidsplatser (krävda timmar / 40 timmar i veckan), medel per månad. "
        "Barn som behöver förskola/fritidshem: barn 1-5 och 6-12 i hushåll där en vuxen "
        "omfattas och ingen vuxen är hemma; förskoletimmar utöver de 15 i veckan som "
        "skollagen 8 kap. 6 § ger barn till arbetssökande. Handläggning: individuell "
        "plan, uppföljning och sanktionsbeslut. Alla antaganden med intervall: "
        "sim/law/assumptions/aktivitetskrav.yaml och docs/municipal.md.",
        "Places: full-time places (required hours / 40 hours a week), monthly mean. "
        "Children needing förskola/fritidshem: children 1-5 and 6-12 in households where "
        "an adult is covered and no adult is at home; förskola hours beyond the 15 a "
        "week skollagen 8 kap. 6 § gives children of job seekers. Casework: individual "
        "plan, follow-up and sanction decisions. Every assumption with its range: "
        "sim/law/assumptions/aktivitetskrav.yaml and docs/municipal.md.",
    )
    section["figures"] = [
        embedded_figure(name, charts[name], sv if lang == "sv" else en)
        for name, (sv, en) in CAPTIONS.items()
        if name in charts
    ]
    section["lan"] = _lan_table(table, delivering_runs(table)[0], lang)
    return section


def municipal_html(
    table: pl.DataFrame, manifest: Mapping[str, Any], charts: Mapping[str, Path], lang: str
) -> str:
    """The section alone as HTML."""
    return render_section(municipal_section(table, manifest, charts, lang))


def _lan_table(table: pl.DataFrame, run: str, lang: str) -> Table | None:
    """Per län: persons covered, places, cost, funding and gap of ``run``."""
    rows = table.filter((pl.col("scenario") == run) & pl.col("group").str.starts_with("län:"))
    if not rows.height:
        return None
    metrics = (
        "aktivitetskrav_covered_month",
        "activity_places_month",
        "delivery_cost_sek_year",
        "delivery_state_funding_sek_year",
        "delivery_funding_gap_sek_year",
        "sampled_recipient_households",
    )
    groups = list(dict.fromkeys(rows["group"].to_list()))
    body = []
    for group in groups:
        people = _value(table, run, "inhabitants", group) or 0
        gap = _value(table, run, "delivery_funding_gap_sek_year", group) or 0
        body.append(
            [
                labels.group(group, lang),
                *(_cell(m, _value(table, run, m, group), lang) for m in metrics),
                format_number(gap / people if people else 0, lang=lang),
            ]
        )
    header = [
        labels.group_kind("län", lang),
        *(metric_label(m, lang) for m in metrics),
        _t(lang, "Gap, kr per invånare", "Gap, SEK per inhabitant"),
    ]
    caption = _t(
        lang,
        f"Per län, scenario {scenario_name(run, lang)}. Sista kolumnen: hushåll med "
        "ekonomiskt bistånd i urvalet bakom länets siffror; under 30 är osäkerheten stor "
        f"(raden «{labels.metric('low_precision', 'sv')}» i resultattabellen).",
        f"By county, scenario {scenario_name(run, lang)}. Last column: sampled households "
        "with ekonomiskt bistånd behind the county's figures; below 30 the sampling noise is "
        f"large (row «{labels.metric('low_precision', 'en')}» in the results table).",
    )
    return Table(header, body, css="wide-table keep", caption=caption)
