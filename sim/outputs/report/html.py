"""``report.html``: the self-contained report of a run or a sweep, section by section (the
headline table, the uncertainty, the government's comparison, the charts, the municipalities,
the method, the assumptions, the law, the calibration, the sources, the manifest)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl
from markupsafe import Markup

from sim.catalogue.labels import text as _t
from sim.outputs.charts.run import CHARTS
from sim.outputs.charts.uncertainty import BAND_CHARTS
from sim.outputs.names import population_name
from sim.outputs.report.calibration import calibration_section
from sim.outputs.report.government import government_section
from sim.outputs.report.headline import band_note, effects_table, headline
from sim.outputs.report.law import assumptions_section, law_section
from sim.outputs.report.manifest import manifest_section
from sim.outputs.report.municipal import municipal_section
from sim.outputs.report.sources import Sources, sources_section
from sim.outputs.report.templates import (
    Table,
    block,
    embedded_figure,
    paragraph,
    render_template,
    report_section,
)
from sim.outputs.results_lookup import has_bands


def report_html(
    table: pl.DataFrame,
    manifest: Mapping[str, Any],
    charts: Mapping[str, Path],
    *,
    lang: str = "sv",
    population: Mapping[str, Any] | None = None,
    differences: pl.DataFrame | None = None,
    files: Mapping[str, int] | None = None,
) -> str:
    """The self-contained report: every image is embedded (``charts`` maps a chart's name to
    its SVG or PNG file), no external file is loaded; the only links are to the legal and
    evidence sources. ``files`` (name -> bytes) are the output folder's files the manifest
    section lists.

    A sweep's report (``table`` with bands, ``differences`` its effects) shows every headline
    value with its band, a section on the uncertainty with the effects table, and the
    whisker charts of :data:`sim.outputs.charts.uncertainty.BAND_CHARTS` first among the charts."""
    year = manifest.get("year", "")
    sources = Sources(lang)
    sections = [
        report_section(
            "huvudresultat",
            _t(lang, "Huvudresultat", "Headline results"),
            "headline.html.j2",
            table=_headline_table(table, lang, differences),
            note=_t(
                lang,
                "(statisk) = samma reform utan beteendeeffekter. Belopp i miljoner kronor per "
                "år; antal avrundade till närmaste hundratal. Osäkerhetsintervall visas där "
                "replikeringar körts (kolumnerna low/high i results.csv).",
                "(static) = the same reform without behavioural response. Money in SEK "
                "million a year; counts rounded to the nearest hundred. Uncertainty bands are "
                "shown where replications were run (columns low/high of results.csv).",
            ),
        )
    ]
    if has_bands(table):
        sections.append(_uncertainty_section(manifest, lang, differences))
    government = government_section(table, manifest, lang)
    if government:
        sections.append(government)
        for text, url, secondary in government["sources"]:
            sources.add(text, url, secondary=secondary)
    figures = [
        embedded_figure(name, charts[name], CAPTIONS[name][0 if lang == "sv" else 1])
        for name in [*BAND_CHARTS, *CHARTS]
        if name in charts
    ]
    sections.append(
        report_section("diagram", _t(lang, "Diagram", "Charts"), "charts.html.j2", figures=figures)
    )
    sections.append(municipal_section(table, manifest, charts, lang))
    sections.append(
        report_section(
            "metod", _t(lang, "Metod", "Method"), "method.html.j2", paragraphs=METHOD[lang]
        )
    )
    sections.append(assumptions_section(manifest, lang, sources))
    sections.append(law_section(manifest, lang, sources))
    sections.append(calibration_section(population, lang, sources))
    sections.append(sources_section(sources, lang))
    sections.append(manifest_section(manifest, lang, files or {}))
    contents = [(s["id"], s.get("short", s["title"])) for s in sections]
    return render_template(
        "report.html.j2",
        lang=lang,
        title=_t(lang, "Försörjningsstöd och reformerna", "Försörjningsstöd and the reforms")
        + f" {year}",
        heading=_t(
            lang,
            f"Försörjningsstöd {year}: reformerna jämförda",
            f"Försörjningsstöd {year}: the reforms compared",
        ),
        # The run's date is in manifest.json and the manifest section only.
        meta=f"sim {manifest.get('version', '')} ({str(manifest.get('git_revision') or '')[:12]}), "
        + _t(lang, "befolkning", "population")
        + f" {population_name(manifest)}, "
        + _t(lang, "frö", "seed")
        + f" {manifest.get('seed', '')}.",
        banner=_profile_banner(manifest, lang),
        contents=contents,
        sections=sections,
    )


def _profile_banner(manifest: Mapping[str, Any], lang: str) -> Markup | str:
    """For a municipality's profile: whose results these are (and that a made-up example
    is made up)."""
    profile = manifest.get("kommun_profile")
    if not profile:
        return ""
    name = Markup("<strong>{}</strong>").format(str(profile.get("namn", "")))
    text = Markup(
        _t(
            lang,
            "Resultaten gäller kommunprofilen {name}: befolkningen är omviktad till kommunens "
            "egna uppgifter (docs/municipal.md).",
            "The results are for the municipal profile {name}: the population is re-weighted "
            "to the municipality's own figures (docs/municipal.md).",
        )
    ).format(name=name)
    if profile.get("exempel"):
        text += Markup(
            _t(
                lang,
                " <strong>Påhittad exempelkommun</strong> — inte en verklig kommun.",
                " <strong>A made-up example municipality</strong> — not a real one.",
            )
        )
    return text


def _headline_table(
    table: pl.DataFrame, lang: str, differences: pl.DataFrame | None = None
) -> Table:
    header, rows = headline(table, lang, differences)
    return Table(header, rows, css="banded" if has_bands(table) else "")


def _uncertainty_section(
    manifest: Mapping[str, Any], lang: str, differences: pl.DataFrame | None
) -> dict[str, Any]:
    """The uncertainty section of a sweep's report: what varied and the effects table."""
    blocks = [
        paragraph(
            band_note(manifest, lang)
            + " "
            + _t(lang, f"Frö {manifest.get('seed', '')}.", f"Seed {manifest.get('seed', '')}.")
        )
    ]
    if has_bands(differences):
        blocks.append(
            paragraph(
                _t(
                    lang,
                    "Reformernas effekt mot nuvarande regler, tagen inom varje replikering (samma "
                    "befolkning, antaganden och slumptal i alla scenarier): ett smalare och "
                    "riktigare intervall än skillnaden mellan två nivåers intervall. Fattigdom i "
                    "procentenheter (p.e.), belopp i miljoner kronor per år (differences.csv).",
                    "The reforms' effect against current rules, taken within each replication "
                    "(same population, assumptions and random numbers in every scenario): a "
                    "narrower and truer band than the difference of two level bands. Poverty in "
                    "percentage points (pp), money in SEK million a year (differences.csv).",
                )
            )
        )
        header, rows = effects_table(differences, lang)
        blocks.append(block("table", table=Table(header, rows, css="banded")))
    return report_section("osakerhet", _t(lang, "Osäkerhet", "Uncertainty"), blocks=blocks)


CAPTIONS = {
    "headline_bands": (
        "Huvudresultat med osäkerhetsintervall: median och 10:e–90:e percentilen över replikeringarna.",
        "Headline results with uncertainty: median and 10th–90th percentile over the replications.",
    ),
    "effect_bands": (
        "Reformernas effekt mot nuvarande regler, tagen inom varje replikering, med osäkerhetsintervall.",
        "The reforms' effect against current rules, taken within each replication, with uncertainty.",
    ),
    "child_poverty": (
        "Förändringen av barnfattigdom och fattigdom mot nuvarande regler, per scenario.",
        "The change in child poverty and poverty against current rules, by scenario.",
    ),
    "fs_cost": (
        "Offentlig kostnad per scenario, kommuner och stat.",
        "Public cost by scenario, municipalities and state.",
    ),
    "change_by_household": (
        "Genomsnittlig förändring per hushåll med försörjningsstöd, efter hushållstyp och antal barn.",
        "Average change per household with försörjningsstöd, by household type and number of children.",
    ),
    "change_bands": ("Vinnare och förlorare.", "Winners and losers."),
    "change_by_decile": ("Förändring efter inkomstdecil.", "Change by income decile."),
    "monthly_caseload": (
        "Hushåll med försörjningsstöd månad för månad.",
        "Households with försörjningsstöd month by month.",
    ),
    "typfall_waterfall": (
        "Typfallet (sammanboende med fem barn): vad varje del av reformen gör med det totala stödet.",
        "The typical case (couple with five children): what each part of the reform does to total support.",
    ),
    "loss_per_child": ("Fördelningen av förlust per barn.", "Distribution of the loss per child."),
}


METHOD = {
    "sv": (
        "sim är en statisk mikrosimuleringsmodell med valbara beteendeeffekter. En syntetisk, "
        "kalibrerad befolkning av svenska hushåll (se Befolkningens kalibrering) skrivs fram till "
        "det simulerade året. För varje månad beräknas försörjningsstöd enligt socialtjänstlagen: "
        "riksnorm och skäliga kostnader minus räknade inkomster (nettolön, ersättningar, barnbidrag, "
        "bostadsbidrag, underhållsstöd), med jobbstimulans. Hushåll tar ut stödet enligt en "
        "modellerad sannolikhet, samma slumptal i alla scenarier.",
        "Reformerna läggs på som daterade parameterändringar (scenariofilerna): bidragstakets "
        "sänkta riksnorm, lägre norm från det fjärde barnet och inga tillägg utöver normen; "
        "aktivitetskravet med sanktioner; jobbpremien. Beteende (övergång till arbete, utträde "
        "utan arbete, färre ansökningar) styrs av en namngiven antagandeuppsättning; samma "
        "reform körs även statiskt.",
        "Fattigdom: andel personer i hushåll med disponibel årsinkomst per konsumtionsenhet "
        "(SCB:s skala) under 60 % av den viktade medianen i varje scenario. Kostnader: "
        "utbetalt försörjningsstöd, aktiviteter, statsbidrag och jobbpremie per år. Förändringar "
        "per hushåll jämför varje hushålls disponibla inkomst med nuvarande regler. Definitionerna "
        "finns i docs/outputs.md och sim/metrics/statistics.py.",
    ),
    "en": (
        "sim is a static microsimulation model with optional behavioural responses. A synthetic, "
        "calibrated population of Swedish households (see Calibration) is projected to the "
        "simulated year. Each month, försörjningsstöd is computed as in the Social Services Act: "
        "riksnorm plus reasonable costs minus counted income (net earnings, benefits, child and "
        "housing allowances, maintenance support), with the earnings disregard. Households take "
        "it up with a modelled probability, using the same random numbers in every scenario.",
        "The reforms are dated parameter changes (the scenario files): the benefit cap's lower "
        "riksnorm, reduced norm from the fourth child and no top-ups above the norm; the activity "
        "requirement with sanctions; the job premium. Behaviour (moves into work, exits without "
        "work, fewer claims) follows a named assumption set; each reform is also run statically.",
        "Poverty: share of persons in households with annual disposable income per consumption "
        "unit (SCB scale) below 60 % of the weighted median of each scenario. Cost: "
        "försörjningsstöd paid, activities, state funding and job premium per year. Changes per "
        "household compare each household's disposable income with current rules. Definitions "
        "are in docs/outputs.md and sim/metrics/statistics.py.",
    ),
}
