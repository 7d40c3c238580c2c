"""The report's sections on the assumptions and on the law: every assumption with its range
and evidence, each scenario's changes of the law with their status and source, and current law
in the simulated year with the source of every value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from sim.catalogue import labels
from sim.catalogue.labels import text as _t
from sim.common.errors import SimInputError
from sim.law.assumptions import default_assumptions
from sim.law.parameters import EVIDENCE
from sim.law.parameters import Table as LawTable
from sim.outputs.formatting import format_number
from sim.outputs.names import assumption_set_name, in_words, path_title
from sim.outputs.provenance import assumptions_digest
from sim.outputs.report.sources import Sources, source_link
from sim.outputs.report.templates import Table, block, paragraph, report_section
from sim.scenarios.scenario import load_scenario

#: What a scenario's change is (``status``), in words.
STATUS_WORDS = {
    "law": ("lag", "law"),
    "proposal": ("förslag", "proposal"),
    "assumption": ("antagande", "assumption"),
}


#: A scenario change's operation, in words.
OPERATION_WORDS = {"set": ("sätts till", "set to"), "scale": ("skalas med", "scaled by")}


def _plain(value: Any, lang: str) -> str:
    if isinstance(value, LawTable):
        return _t(lang, "tabell", "table")
    if isinstance(value, float | int):
        if float(value).is_integer():
            return format_number(float(value), lang=lang)
        return format_number(float(value), decimals=4, lang=lang).rstrip("0")
    return str(value)


def _unit_words(unit: str, lang: str) -> str:
    try:
        return labels.unit(unit, lang)
    except KeyError:
        return unit


def _titled(item: Any, lang: str) -> str | None:
    """The title of a parameter, assumption or scenario in ``lang`` from its YAML file
    (``title: {sv, en}``), or ``None`` when it has none (before the files carry titles)."""
    title = getattr(item, "title", None)
    if isinstance(title, Mapping) and title.get(lang):
        return str(title[lang])
    path = getattr(item, "path", None)
    if path:
        try:
            return labels.law_title(path, lang)
        except KeyError:
            return None
    return None


def _described(item: Any, lang: str) -> str:
    """The description of a parameter, assumption, concept or scenario in ``lang``: its
    ``descriptions[lang]`` where the YAML file has one, else its ``description`` (one
    language, the file's)."""
    descriptions = getattr(item, "descriptions", None)
    if isinstance(descriptions, Mapping) and descriptions.get(lang):
        return " ".join(str(descriptions[lang]).split())
    return " ".join(str(getattr(item, "description", "") or "").split())


def _evidence_kind(item: Any) -> str:
    """The kind of an item's source (``law``, ..., ``secondary``): a parameter's
    ``evidence``; an assumption's ``evidence_kind`` (or ``evidence`` when that is a kind)."""
    for name in ("evidence_kind", "evidence"):
        value = getattr(item, name, None)
        if isinstance(value, str) and value in EVIDENCE:
            return value
    return ""


def _name_cell(title: str | None, path: str) -> Markup:
    """A parameter or assumption by its title in words; its path in the YAML files (to find
    it there) is the cell's tooltip, not its text. The path itself only where there is no
    title (a user's own file)."""
    if title:
        return Markup('<span title="{}">{}</span>').format(path, title)
    return Markup('<code class="path">{}</code>').format(path)


def _evidence_text(item: Any, lang: str) -> str:
    """An assumption's evidence in ``lang`` (``evidences[lang]`` when the file has it, else
    ``evidence``, the file's one language)."""
    evidences = getattr(item, "evidences", None)
    if isinstance(evidences, Mapping) and evidences.get(lang):
        return str(evidences[lang])
    return item.evidence


def _is_secondary(parameter: Any, entry: Any) -> bool:
    """Whether a law value rests on a secondary source: its ``evidence`` is ``secondary``,
    or it is projected (``derived``) from an earlier value of the parameter with the same
    URL that is."""
    if entry.evidence == "secondary":
        return True
    return entry.evidence == "derived" and any(
        e.evidence == "secondary" and e.url == entry.url and e.start < entry.start
        for e in parameter.values
    )


def assumptions_section(manifest: Mapping[str, Any], lang: str, sources: Sources) -> dict[str, Any]:
    sets = manifest.get("assumption_sets") or {
        s["name"]: s.get("assumption_set", "") for s in manifest.get("scenarios", [])
    }
    overrides = manifest.get("assumption_overrides") or {}
    rows = [
        [
            labels.scenario(name, lang),
            assumption_set_name(chosen, lang),
            ", ".join(
                f"{path_title(k, lang)} = {_plain(v, lang)}"
                for k, v in (overrides.get(name) or {}).items()
            )
            or "–",
        ]
        for name, chosen in sets.items()
    ]
    blocks = [
        paragraph(
            _t(
                lang,
                "Varje reform körs med sin beteendeuppsättning och statiskt (inga). "
                "Uppsättningen låg/central/hög väljer för varje antagande nedan dess låga, "
                "centrala eller höga värde; scenariots egna värden gäller i alla uppsättningar.",
                "Each reform is run with its behaviour assumption set and statically (none). "
                "The set low/central/high takes, for each assumption below, its low, central "
                "or high value; a scenario’s own values hold in every set.",
            )
        ),
        block(
            "table",
            table=Table(
                [
                    _t(lang, "Scenario", "Scenario"),
                    _t(lang, "Antagandeuppsättning", "Assumption set"),
                    _t(lang, "Scenariots egna värden", "Scenario overrides"),
                ],
                rows,
                numeric=False,
            ),
        ),
    ]
    items = []
    english_evidence = False
    for _concept, group in default_assumptions().items.items():
        for _name, item in group.items():
            evidence = _evidence_text(item, lang)
            english_evidence |= lang == "sv" and evidence is item.evidence
            kind = _evidence_kind(item)
            sources.add(_titled(item, lang) or item.path, item.url, secondary=kind == "secondary")
            items.append(
                [
                    _name_cell(_titled(item, lang), item.path),
                    _described(item, lang),
                    _unit_words(item.unit, lang),
                    _plain(item.value, lang),
                    _plain(item.low, lang) if item.low is not None else "–",
                    _plain(item.high, lang) if item.high is not None else "–",
                    " ".join(str(evidence or "").split()),
                    source_link(item.url),
                ]
            )
    if english_evidence:
        blocks.append(
            paragraph(
                "Beskrivningar och underlag som ännu inte är översatta i "
                "sim/law/assumptions/*.yaml visas på engelska."
            )
        )
    blocks.append(
        block(
            "details",
            open=True,
            summary=_t(
                lang,
                "Alla antaganden med intervall (sim/law/assumptions/*.yaml)",
                "Every assumption with its range (sim/law/assumptions/*.yaml)",
            ),
            table=Table(
                [
                    _t(lang, "Antagande", "Assumption"),
                    _t(lang, "Beskrivning", "Description"),
                    _t(lang, "Enhet", "Unit"),
                    _t(lang, "Centralt", "Central"),
                    _t(lang, "Lågt", "Low"),
                    _t(lang, "Högt", "High"),
                    _t(lang, "Underlag", "Evidence"),
                    _t(lang, "Källa", "Source"),
                ],
                items,
                numeric=False,
                css="text wide-table",
            ),
        )
    )
    digest = manifest.get("assumptions_digest")
    if digest and digest != assumptions_digest():
        blocks.append(
            paragraph(
                _t(
                    lang,
                    "Obs: antagandefilerna har ändrats sedan körningen; tabellen visar dagens filer.",
                    "Note: the assumption files have changed since the run; the table shows the current files.",
                ),
                "warn",
            )
        )
    return report_section("antaganden", _t(lang, "Antaganden", "Assumptions"), blocks=blocks)


def law_section(manifest: Mapping[str, Any], lang: str, sources: Sources) -> dict[str, Any]:
    year = int(manifest.get("year", 2027))
    blocks: list[dict[str, Any]] = []
    title = _t(lang, "Lagstiftning och källor", "Law and sources")
    scenarios = []
    for entry in manifest.get("scenarios", []):
        try:
            scenarios.append(load_scenario(entry["name"]))
        except SimInputError as error:
            blocks.append(paragraph(str(error), "warn"))
    if not scenarios:
        return report_section("kallor", title, blocks=blocks)
    digests = manifest.get("law_digest") or {}
    baseline = next((s for s in scenarios if s.name == "baseline"), scenarios[0])
    law = baseline.law(year)
    for scenario in scenarios:
        if scenario is baseline:
            continue
        own = [c for c in scenario.changes if c not in baseline.changes]
        rows = []
        for c in own:
            value = _plain(c.value, lang)
            if c.assumption:
                value += f" ({_t(lang, 'antagandet', 'the assumption')} {path_title(c.assumption, lang)})"
            try:
                parameter = law.parameter(c.path)
            except (KeyError, SimInputError):
                parameter = None
            rows.append(
                [
                    _name_cell(_titled(parameter, lang) if parameter else None, c.path),
                    c.start.isoformat(),
                    in_words(OPERATION_WORDS, c.operation, lang),
                    value,
                    in_words(STATUS_WORDS, c.status, lang),
                    c.source_text(lang),
                ]
            )
        blocks.append(
            block(
                "h3", text=f"{labels.scenario(scenario.name, lang)}: {_described(scenario, lang)}"
            )
        )
        blocks.append(
            block(
                "table",
                table=Table(
                    [
                        _t(lang, "Parameter", "Parameter"),
                        _t(lang, "Från", "From"),
                        _t(lang, "Ändring", "Change"),
                        _t(lang, "Värde", "Value"),
                        "Status",
                        _t(lang, "Källa", "Source"),
                    ],
                    rows,
                    numeric=False,
                    css="text",
                    nowrap=(1,),
                ),
            )
        )
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = []
    # The modernised table is current law's until it is published: listed only then.
    published = any(v.value == 1.0 for v in law.parameter("riksnorm_modernised.published").values)
    for parameter in law:
        if parameter.path.startswith("riksnorm_modernised.") and not published:
            continue
        used = [
            entry
            for i, entry in enumerate(parameter.values)
            if entry.start <= end
            and (i + 1 == len(parameter.values) or parameter.values[i + 1].start > start)
        ]
        for entry in used:
            sources.add(
                entry.reference_text(lang), entry.url, secondary=_is_secondary(parameter, entry)
            )
            rows.append(
                [
                    _name_cell(_titled(parameter, lang), parameter.path),
                    _described(parameter, lang),
                    _unit_words(parameter.unit, lang),
                    entry.start.isoformat(),
                    _plain(entry.value, lang),
                    entry.reference_text(lang),
                    labels.evidence(entry.evidence, lang),
                    source_link(entry.url),
                ]
            )
    blocks.append(
        block(
            "details",
            open=False,
            summary=_t(
                lang,
                f"Gällande rätt (nuvarande regler) under {year}: varje värde med sin källa",
                f"Current law in {year}: every value with its source",
            ),
            table=Table(
                [
                    _t(lang, "Parameter", "Parameter"),
                    _t(lang, "Beskrivning", "Description"),
                    _t(lang, "Enhet", "Unit"),
                    _t(lang, "Från", "From"),
                    _t(lang, "Värde", "Value"),
                    _t(lang, "Referens", "Reference"),
                    _t(lang, "Underlag", "Evidence"),
                    "URL",
                ],
                rows,
                numeric=False,
                css="text wide-table",
                nowrap=(3, 4),
            ),
        )
    )
    changed = [
        s.name for s in scenarios if s.name in digests and digests[s.name] != s.law(year).digest()
    ]
    if changed:
        blocks.append(
            paragraph(
                _t(
                    lang,
                    "Obs: parameterfilerna har ändrats sedan körningen för: ",
                    "Note: the parameter files have changed since the run for: ",
                )
                + ", ".join(labels.scenario(n, lang) for n in changed),
                "warn",
            )
        )
    return report_section("kallor", title, blocks=blocks)
