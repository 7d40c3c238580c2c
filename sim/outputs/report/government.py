"""The report's section "Jämförelse med regeringens beräkningar": the bidragstak's static
saving by part beside the government's budget line, under both readings of the line, and
the counts beside the government's; what differs, by how much, and why
(:mod:`sim.metrics.government_comparison` computes the rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from sim.catalogue import labels
from sim.catalogue.labels import text as _t
from sim.metrics.government_comparison import (
    BUDGET_SOURCE,
    BUDGET_URL,
    INTERACTION_GROUP,
    PART_GROUPS,
    PERSONS_SOURCE,
    PERSONS_URL,
    WHOLE_GROUP,
)
from sim.outputs.formatting import format_number
from sim.outputs.report.sources import SECONDARY_MARK
from sim.outputs.report.templates import Table, markdown_table, render_section

ANCHOR = "regeringen"

#: The rows of the saving table: the parts, their interaction, the whole (labels.group).
_PARTS = (*PART_GROUPS.values(), INTERACTION_GROUP, WHOLE_GROUP)
#: The readings of the budget line (labels.group).
_READINGS = ("läsning:A", "läsning:B")
_COUNTS = (
    ("households_lower_fs", "Hushåll med lägre försörjningsstöd", "Households with lower FS"),
    ("persons_lower_fs", "Personer i dem", "Persons in them"),
    ("children_lower_fs", "Barn (0-17) i dem", "Children (0-17) in them"),
    (
        "households_fourth_child_rule",
        "Hushåll som berörs av fjärdebarnsregeln",
        "Households under the fourth-child rule",
    ),
    ("persons_fourth_child_rule", "Personer i dem", "Persons in them"),
    ("children_fourth_child_rule", "Barn (0-17) i dem", "Children (0-17) in them"),
)


def has_comparison(table: pl.DataFrame) -> bool:
    return table.filter(pl.col("metric") == "static_saving_sek_year").height > 0


def _values(table: pl.DataFrame) -> tuple[str, dict[tuple[str, str], tuple[float, Any, Any]]]:
    rows = table.filter(pl.col("metric") == "static_saving_sek_year")
    scenario = rows["scenario"][0]
    mine = table.filter(pl.col("scenario") == scenario)
    values = {
        (r["metric"], r["group"]): (r["value"], r["low"], r["high"])
        for r in mine.iter_rows(named=True)
    }
    return scenario, values


def _mkr(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    return format_number(value / 1e6, lang=lang)


def _with_band(value: float, low: Any, high: Any, lang: str, scale: float = 1e6) -> str:
    text = format_number(value / scale, lang=lang)
    if low is not None and high is not None:
        text += (
            f" ({format_number(low / scale, lang=lang)}–{format_number(high / scale, lang=lang)})"
        )
    return text


def comparison_tables(
    table: pl.DataFrame, manifest: Mapping[str, Any], lang: str = "sv"
) -> tuple[list[tuple[list[str], list[list[str]]]], list[str]]:
    """The section's tables (header, rows) and its paragraphs of explanation."""
    _, v = _values(table)
    year = manifest.get("year", "")
    government = v.get(("government_saving_sek_year", "all"), (None, None, None))[0]
    saving_header = [
        _t(lang, "Del", "Part"),
        _t(lang, f"Modellen {year}, statiskt, mkr", f"Model {year}, static, SEK m"),
        _t(lang, "Andel av hela", "Share of the whole"),
    ]
    whole = v[("static_saving_sek_year", WHOLE_GROUP)][0]
    saving_rows = []
    for group in _PARTS:
        value, low, high = v[("static_saving_sek_year", group)]
        share = format_number(100 * value / whole, lang=lang) + " %" if whole else "–"
        saving_rows.append([labels.group(group, lang), _with_band(value, low, high, lang), share])
    reading_header = [
        _t(lang, "Läsning av budgetraden", "Reading of the budget line"),
        _t(lang, "Modellen, mkr", "Model, SEK m"),
        _t(lang, "Regeringen, mkr", "Government, SEK m"),
        _t(lang, "Modellen / regeringen", "Model / government"),
    ]
    reading_rows = []
    ratios = {}
    for group in _READINGS:
        value, low, high = v[("static_saving_reading_sek_year", group)]
        ratio = value / government if government else None
        ratios[group] = ratio
        reading_rows.append(
            [
                labels.group(group, lang),
                _with_band(value, low, high, lang),
                _mkr(government, lang),
                "–" if ratio is None else format_number(ratio, decimals=1, lang=lang),
            ]
        )
    count_header = [
        _t(lang, "Antal", "Count"),
        _t(lang, "Under året", "In the year"),
        _t(lang, "Genomsnittlig månad", "Mean month"),
    ]
    count_rows = []
    for key, sv, en in _COUNTS:
        year_value = v[(f"{key}_year", "all")]
        month_value = v[(f"{key}_month_mean", "all")]
        count_rows.append(
            [
                _t(lang, sv, en),
                _with_band(*year_value, lang=lang, scale=1),
                _with_band(*month_value, lang=lang, scale=1),
            ]
        )
    persons_gov = v.get(("government_persons_lower_fs", "all"), (None,))[0]
    hh_year = v[("households_lower_fs_year", "all")][0]
    persons_month = v[("persons_lower_fs_month_mean", "all")][0]
    fourth = v[("static_saving_sek_year", PART_GROUPS["bidragstak_del2_fjarde_barnet"])][0]
    norm = v[("static_saving_sek_year", PART_GROUPS["bidragstak_del1_riksnorm"])][0]
    n = lambda x: format_number(x, lang=lang)  # noqa: E731
    r = lambda x: format_number(x, decimals=1, lang=lang)  # noqa: E731
    paragraphs = [
        _t(
            lang,
            "Regeringens budgetrad för bidragsreformen ('Bidragstak med mera: Bidragstak', "
            "förändring av anslag) är −170 mkr 2027 och −242 mkr 2028. Den är en ändring av "
            "statens anslag: försörjningsstödet betalas av kommunerna, och en besparing där "
            "når statens budget genom finansieringsprincipen. Vilka delar raden prissätter "
            "sägs inte. Läsning A: alla tre delar. Läsning B: fjärdebarnsregeln och taket; "
            "den moderniserade normens nivå fanns inte när raden räknades (SCB fick i januari "
            "2026 uppdraget att beräkna jämförelsetalet den ska bygga på) och följer med "
            "riksnormsbeslutet.",
            "The government's budget line for the reform ('Bidragstak med mera: Bidragstak', "
            "change of appropriations) is −170 mkr in 2027 and −242 mkr in 2028. It is a "
            "change of the state's appropriations: FS is paid by the municipalities, and a "
            "saving there reaches the state budget through the finansieringsprincip. Which "
            "parts the line prices is not said. Reading A: all three parts. Reading B: the "
            "fourth-child rule and the ceiling; the level of the modernised norm did not exist "
            "when the line was computed (SCB was commissioned in January 2026 to compute the "
            "jämförelsetal it is to rest on) and follows with the riksnorm decision.",
        ),
    ]
    if government:
        paragraphs.append(
            _t(
                lang,
                f"Skillnaden: under läsning A ger modellen {r(ratios['läsning:A'] or 0)} gånger "
                f"regeringens belopp, under läsning B {r(ratios['läsning:B'] or 0)} gånger. "
                f"Läsning A kan inte gå ihop med regeringens typfall: typfallet sammanboende + 2 "
                f"barn (−800 kr) kräver att normen sänks med omkring 5 %, och en sådan sänkning "
                f"för alla hushåll ger ensam {_mkr(norm, lang)} mkr. Under läsning B återstår "
                f"fjärdebarnsregeln ({_mkr(fourth, lang)} mkr): modellens antal stora familjer "
                f"med försörjningsstöd är inte kalibrerat mot någon officiell siffra (ingen "
                f"hittades), och barnen i hushåll med bistånd ligger omkring 30 % över "
                f"Socialstyrelsens antal: kalibreringen mot utbetalt försörjningsstöd viktar upp "
                f"de stora familjerna, eftersom modellens stöd per ensamstående är för lågt "
                f"(docs/population.md §2); vilka barn regeln når är en läsning av förslaget "
                f"(i vilken ordning barnen räknas: typfallen väljer de dyraste barnen, "
                f"födelseordningen når de billigaste och ger mindre); infasningen under 2027 är "
                f"ett antagande; och raden kan vara räknad med beteende (fler i arbete) eller "
                f"med en annan kontrafaktisk norm. Modellens siffror här är statiska.",
                f"The difference: under reading A the model gives {r(ratios['läsning:A'] or 0)} "
                f"times the government's amount, under reading B {r(ratios['läsning:B'] or 0)} "
                f"times. Reading A cannot be squared with the government's typfall: the typfall "
                f"couple + 2 children (−800 kr) needs the norm about 5 % lower, and such a cut "
                f"for every household alone gives {_mkr(norm, lang)} mkr. Under reading B the "
                f"fourth-child rule remains ({_mkr(fourth, lang)} mkr): the model's number of "
                f"large families on FS is not calibrated to an official figure (none was "
                f"found), and the children in recipient households are about 30 % above "
                f"Socialstyrelsen's count: the calibration to FS paid weights up the large "
                f"families, because the model's support per single adult is too low "
                f"(docs/population.md §2); which children the rule reaches is a "
                f"reading of the proposal (the order in which the children are counted: the typfall "
                f"choose the most expensive children, birth order reaches the cheapest and gives "
                f"less); the phase-in "
                f"during 2027 is an assumption; and the line may include behaviour (more in "
                f"work) or another counterfactual norm. The model's figures here are static.",
            )
        )
    else:
        paragraphs.append(
            _t(
                lang,
                f"Regeringens budget har ingen rad för {year}.",
                f"The government's budget has no line for {year}.",
            )
        )
    if persons_gov:
        paragraphs.append(
            _t(
                lang,
                f"Regeringen: 'ungefär {n(persons_gov)} personer kan få mindre pengar'. "
                f"Modellen: {n(hh_year)} hushåll med lägre försörjningsstöd under året och "
                f"{n(persons_month)} personer i dem en genomsnittlig månad. Den moderniserade "
                f"normen sänker stödet för nästan alla mottagare; siffran 150 000 ligger nära "
                f"antalet hushåll med bistånd under ett år (Socialstyrelsen 2024: 145 456), "
                f"så regeringens 'personer' kan avse hushåll eller sökande.",
                f"The government: 'about {n(persons_gov)} persons may get less'. The model: "
                f"{n(hh_year)} households with lower FS in the year and {n(persons_month)} "
                f"persons in them in a mean month. The modernised norm lowers the support of "
                f"nearly every recipient; 150 000 is close to the number of households with "
                f"assistance in a year (Socialstyrelsen 2024: 145 456), so the government's "
                f"'persons' may mean households or applicants.",
            )
        )
    tables = [
        (saving_header, saving_rows),
        (reading_header, reading_rows),
        (count_header, count_rows),
    ]
    return tables, paragraphs


#: The section's sources: (text, URL, secondary). The persons' figure is a news report of
#: the lagrådsremiss, not the remiss itself: a secondary source.
SOURCES = ((BUDGET_SOURCE, BUDGET_URL, False), (PERSONS_SOURCE, PERSONS_URL, True))


def government_section(
    table: pl.DataFrame, manifest: Mapping[str, Any], lang: str
) -> dict[str, Any] | None:
    """The section of ``report.html`` as data for ``sections/government.html.j2`` (``None``
    without a bidragstak run)."""
    if not has_comparison(table):
        return None
    tables, paragraphs = comparison_tables(table, manifest, lang)
    return {
        "id": ANCHOR,
        "title": _t(
            lang,
            "Jämförelse med regeringens beräkningar",
            "Comparison with the government's figures",
        ),
        "short": _t(lang, "Jämförelse med regeringen", "Comparison with the government"),
        "template": "government.html.j2",
        "tables": [Table(header, rows) for header, rows in tables],
        "paragraphs": paragraphs,
        "sources_label": _t(lang, "Källor: ", "Sources: "),
        "sources": SOURCES,
        "secondary_mark": _t(lang, *SECONDARY_MARK),
    }


def government_html(table: pl.DataFrame, manifest: Mapping[str, Any], lang: str) -> str:
    """The section alone as HTML (empty without a bidragstak run)."""
    section = government_section(table, manifest, lang)
    return render_section(section) if section else ""


def government_markdown(table: pl.DataFrame, manifest: Mapping[str, Any], lang: str) -> str:
    """The same section for ``summary.md`` (empty without a bidragstak run)."""
    if not has_comparison(table):
        return ""
    tables, paragraphs = comparison_tables(table, manifest, lang)
    lines = [
        _t(
            lang,
            "## Jämförelse med regeringens beräkningar",
            "## Comparison with the government's figures",
        ),
        "",
        paragraphs[0],
    ]
    for header, rows in tables:
        lines += ["", *markdown_table(header, rows)]
    for paragraph in paragraphs[1:]:
        lines += ["", paragraph]
    lines += [
        "",
        f"{_t(lang, 'Källor', 'Sources')}: {BUDGET_SOURCE} ({BUDGET_URL}); {PERSONS_SOURCE} "
        f"({PERSONS_URL}) {_t(lang, *SECONDARY_MARK)}.",
    ]
    return "\n".join(lines)
