"""Bilingual texts and primary sources in the committed YAML files (issue 20).

Every parameter, assumption, concept and scenario has a title and a description in Swedish
and English; every legal value that is not marked secondary, derived or an assumption
points at a primary source, and every secondary one says why in its note.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from sim.common.bilingual import LANGUAGES, parse_text
from sim.common.errors import SimInputError
from sim.law.assumptions import assumptions_dir, load_assumptions
from sim.law.parameters import law_dir, load_concept, load_law
from sim.scenarios.scenario import (
    available_scenarios,
    load_scenario,
    scenario_from_mapping,
    scenarios_dir,
)

#: Texts that are the same in both languages because they are proper nouns.
PROPER_NOUNS = {"Aktivitetskrav", "Bidragstak", "Jobbpremie"}

#: News sites, aggregators, blogs and third-party pages: never the source of a value whose
#: evidence claims law, government or agency.
SECONDARY_DOMAINS = {
    "nyheter24.se",
    "swedenherald.com",
    "tid.news",
    "upday.com",
    "fremia.se",
    "ekonominu.se",
    "wigu.se",
    "bokio.se",
    "friatider.se",
    "thelocal.se",
    "arbetet.se",
    "epochtimes.se",
    "marsta.nu",
    "tranas.se",
    "engelholm.se",
    "vimmerby.se",
    "hogsby.se",
    "github.com",
    "docplayer.se",
    "ekonomifakta.se",
    # Copies of statute text or agency guidance: cite the official text instead.
    "lagen.nu",
    "laglio.se",
    "jurist.lat",
}
PRIMARY_EVIDENCE = {"law", "government", "agency"}


def _yaml_files() -> list[Path]:
    return [
        *sorted(law_dir().glob("*.yaml")),
        *sorted(assumptions_dir().glob("*.yaml")),
        *sorted(scenarios_dir().glob("*.yaml")),
    ]


def _texted_items(path: Path) -> list[tuple[str, dict]]:
    """(name, mapping) of the file itself and of each parameter or assumption in it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [(path.stem, data)]
    group = {"params": "parameters", "assumptions": "assumptions"}.get(path.parent.name)
    if group is not None:
        items += [(f"{path.stem}.{name}", spec) for name, spec in data[group].items()]
    return items


def _check_pair(texts: dict[str, str], where: str) -> None:
    assert set(texts) == set(LANGUAGES), where
    for language in LANGUAGES:
        assert isinstance(texts[language], str) and texts[language].strip(), (where, language)
    if texts["sv"] == texts["en"]:
        assert texts["sv"] in PROPER_NOUNS, f"{where}: sv and en are the same text"


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_committed_item_has_a_swedish_and_english_title_and_description(path):
    for name, spec in _texted_items(path):
        for field in ("title", "description"):
            assert isinstance(spec.get(field), dict), f"{path.name}: {name}.{field} is not sv/en"
            _check_pair(spec[field], f"{path.name}: {name}.{field}")
        assert len(spec["title"]["sv"]) <= 60, f"{name}: Swedish title too long for a label"
        if path.parent.name == "assumptions" and name != path.stem:
            assert isinstance(spec["evidence"], dict), f"{path.name}: {name}.evidence"
            _check_pair(spec["evidence"], f"{path.name}: {name}.evidence")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for target, dated in (data.get("changes") or {}).items():
        for start, change in dated.items():
            assert isinstance(change["source"], dict), f"{path.name}: {target} {start} source"
            _check_pair(change["source"], f"{path.name}: {target} {start} source")


def test_the_loaded_objects_carry_both_languages_derived_concepts_included():
    law = load_law()
    assert "riksnorm_modernised" in law.concepts
    for concept in law.concepts.values():
        _check_pair(dict(concept.title), concept.name)
        _check_pair(dict(concept.descriptions), concept.name)
        assert concept.description == concept.descriptions["en"]
    for parameter in law:
        _check_pair(dict(parameter.title), parameter.path)
        _check_pair(dict(parameter.descriptions), parameter.path)
        assert parameter.description == parameter.text("en")
        assert parameter.label("sv") == parameter.title["sv"]
    assumptions = load_assumptions()
    for name, concept in assumptions.concepts.items():
        _check_pair(dict(concept.title), name)
    for group in assumptions.items.values():
        for item in group.values():
            _check_pair(dict(item.title), item.path)
            _check_pair(dict(item.descriptions), item.path)
            _check_pair(dict(item.evidences), item.path)
            assert item.evidence == item.evidence_text("en")
    for name in available_scenarios():
        scenario = load_scenario(name)
        _check_pair(dict(scenario.title), name)
        _check_pair(dict(scenario.descriptions), name)
        for change in scenario.changes:
            _check_pair(dict(change.sources), f"{name}: {change.path}")
            assert change.source == change.sources["en"]
    assert load_scenario("bidragstak").label("sv") == "Bidragstak"
    assert (
        law.parameter("riksnorm_modernised.adult_single").label("sv")
        == "Moderniserad riksnorm, ensamstående vuxen"
    )
    assert all(len(parameter.label("sv")) <= 60 for parameter in law)


def test_a_plain_string_is_the_english_text_and_the_title_falls_back_to_the_path(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(
        "description: An old file.\nvalid_until: 2026-12-31\nparameters:\n"
        "  amount:\n    description: An amount.\n    unit: SEK\n    values:\n"
        "      2024-01-01: {value: 1, reference: x, url: https://example.org, evidence: law}\n",
        encoding="utf-8",
    )
    concept = load_concept(path)
    parameter = concept.parameters["amount"]
    assert parameter.description == "An amount." == parameter.text("en") == parameter.text("sv")
    assert parameter.title == {"sv": "demo.amount", "en": "demo.amount"}
    assert concept.title["en"] == "demo" and concept.description == "An old file."


@pytest.mark.parametrize(
    ("description", "message"),
    [
        ("{sv: Ett belopp., en: An amount., de: Ein Betrag.}", "unknown language 'de'"),
        ("{sv: Ett belopp.}", "needs a non-empty 'en' text"),
        ("{sv: '', en: An amount.}", "needs a non-empty 'sv' text"),
    ],
)
def test_a_bad_bilingual_text_is_one_line_with_file_and_line(tmp_path, description, message):
    path = tmp_path / "demo.yaml"
    path.write_text(
        "description: {sv: En fil., en: A file.}\nvalid_until: 2026-12-31\nparameters:\n"
        f"  amount:\n    description: {description}\n    unit: SEK\n    values:\n"
        "      2024-01-01: {value: 1, reference: x, url: https://example.org, evidence: law}\n",
        encoding="utf-8",
    )
    with pytest.raises(SimInputError) as error:
        load_concept(path)
    text = str(error.value)
    assert "\n" not in text and message in text
    assert text.startswith(f"{path}:5: demo.amount: description"), text


def test_an_assumption_file_with_a_bad_title_names_file_and_line(tmp_path):
    folder = tmp_path / "assumptions"
    shutil.copytree(assumptions_dir(), folder)
    path = folder / "uprating.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: {sv:", "title: {fi: x, sv:", 1), encoding="utf-8")
    with pytest.raises(SimInputError, match=r"uprating\.yaml:1: uprating: title has unknown"):
        load_assumptions(folder)


def test_scenario_sources_may_be_plain_or_bilingual_but_not_half():
    base = {
        "name": "demo",
        "description": "A demo.",
        "base": "baseline",
        "changes": {
            "jobbpremie.max_sek_month": {"2027-01-01": {"set": 4000, "status": "assumption"}}
        },
    }
    plain = dict(base)
    plain["changes"] = {
        "jobbpremie.max_sek_month": {
            "2027-01-01": {"set": 4000, "status": "assumption", "source": "a guess"}
        }
    }
    change = scenario_from_mapping(plain, where="demo").changes[-1]
    assert change.sources == {"sv": "a guess", "en": "a guess"} and change.source == "a guess"
    half = dict(base)
    half["changes"] = {
        "jobbpremie.max_sek_month": {
            "2027-01-01": {"set": 4000, "status": "assumption", "source": {"sv": "en gissning"}}
        }
    }
    with pytest.raises(SimInputError, match="source needs a non-empty 'en' text"):
        scenario_from_mapping(half, where="demo")


def test_parse_text_refuses_what_is_not_text():
    with pytest.raises(SimInputError, match="must be a text or a mapping"):
        parse_text(3, where="f:1", field="title")


def _domain(url: str) -> str:
    host = urlparse(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def test_primary_evidence_never_points_at_a_news_or_secondary_site():
    """A value marked law, government or agency cites the act, the government or the
    agency, not a newspaper or a third party's page."""
    wrong = [
        f"{parameter.path} {entry.start}: {entry.evidence} but {entry.url}"
        for parameter in load_law()
        for entry in parameter.values
        if entry.evidence in PRIMARY_EVIDENCE and _domain(entry.url) in SECONDARY_DOMAINS
    ]
    assert not wrong, "\n".join(wrong)


#: News sites and question-and-answer pages: an assumption cites the study, the agency or
#: the act its numbers come from (a kommun's own page is fine for a kommun's practice).
NEWS_DOMAINS = {
    "nyheter24.se",
    "swedenherald.com",
    "tid.news",
    "upday.com",
    "friatider.se",
    "thelocal.se",
    "epochtimes.se",
    "lawline.se",
}


def test_assumptions_do_not_cite_news_sites():
    wrong = [
        f"{item.path}: {item.url}"
        for group in load_assumptions().items.values()
        for item in group.values()
        if _domain(item.url) in NEWS_DOMAINS
    ]
    assert not wrong, "\n".join(wrong)


def test_every_secondary_value_says_why_in_its_note():
    missing = [
        f"{parameter.path} {entry.start}"
        for parameter in load_law()
        for entry in parameter.values
        if entry.evidence == "secondary" and not entry.note
    ]
    assert not missing, "secondary values without a note saying why: " + ", ".join(missing)


def test_the_calibration_writer_keeps_the_bilingual_file_and_round_trips(tmp_path):
    """sim.bidragstak_calibration --write rewrites only the numbers: on the committed fit the
    bilingual file comes back byte for byte, and still loads."""
    from sim.bidragstak_calibration import calibrate, write

    folder = tmp_path / "assumptions"
    shutil.copytree(assumptions_dir(), folder)
    path = folder / "bidragstak.yaml"
    before = path.read_bytes()
    write(calibrate(), path)
    assert path.read_bytes() == before
    loaded = load_assumptions(folder)
    assert loaded.assumption("bidragstak.norm_cut_children").label("sv") == "Normsänkning, barn"


# ------------------------------------------------------ references and notes in two languages

#: English words that make a citation English (outside quotations and names of documents).
ENGLISH_WORDS = {
    "the", "from", "for", "as", "by", "of", "not", "and", "in", "no", "before", "current",
    "amount", "amounts", "estimated", "reported", "wording", "unchanged", "only", "found",
}  # fmt: skip
#: Swedish words that make a citation Swedish.
SWEDISH_WORDS = {
    "enligt", "lydelse", "före", "från", "gällande", "avrundas", "förlängd", "pausad",
    "uppskattade", "uppskattat", "inget", "ingen", "reformen", "undantag", "nedåt", "uppåt",
}  # fmt: skip


def _words(text: str) -> set[str]:
    """The words of a citation outside its quotations (a quotation keeps its language)."""
    text = re.sub(r'"[^"]*"', " ", text)
    return set(re.findall(r"[a-zåäöé]+", text.lower()))


def _law_entries() -> list[tuple[str, dict]]:
    """(where, the raw mapping) of every dated entry of every committed law file."""
    entries = []
    for path in sorted(law_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, spec in data["parameters"].items():
            for start, entry in spec["values"].items():
                entries.append((f"{path.name}: {name} {start}", entry))
    return entries


def test_every_committed_bilingual_reference_has_both_languages_each_in_its_own():
    bilingual = 0
    for where, entry in _law_entries():
        for field in ("reference", "note"):
            texts = entry.get(field)
            if isinstance(texts, dict):
                bilingual += 1
                _check_pair(texts, f"{where} {field}")
                english, swedish = _words(texts["en"]), _words(texts["sv"])
                assert not swedish & ENGLISH_WORDS, (where, field, swedish & ENGLISH_WORDS)
                assert not english & SWEDISH_WORDS, (where, field, english & SWEDISH_WORDS)
        # A citation that stays one text is names, numbers, §§ and dates only.
        if isinstance(entry["reference"], str):
            words = _words(entry["reference"])
            assert not words & (ENGLISH_WORDS | SWEDISH_WORDS), (where, entry["reference"])
    assert bilingual >= 70


def test_a_loaded_entry_gives_its_reference_in_either_language():
    law = load_law()
    for parameter in law:
        for entry in parameter.values:
            assert set(entry.references) == set(LANGUAGES) == set(entry.notes)
            assert entry.reference == entry.reference_text("en") == entry.references["en"]
            assert entry.note == entry.note_text("en")
    entry = law.parameter("aktivitetskrav.min_age").values[-1]
    assert entry.reference_text("sv") == (
        "prop. 2025/26:207 (undantag för den som är under 18 år), lagrådsremiss december 2025"
    )
    assert entry.reference == "prop. 2025/26:207 (exemption for under 18), lagrådsremiss Dec 2025"


def test_a_reference_or_note_may_be_plain_or_bilingual_but_not_half(tmp_path):
    path = tmp_path / "demo.yaml"

    def write(entry: str) -> None:
        path.write_text(
            "description: {sv: En fil., en: A file.}\nvalid_until: 2026-12-31\nparameters:\n"
            "  amount:\n    description: {sv: Ett belopp., en: An amount.}\n    unit: SEK\n"
            f"    values:\n      2024-01-01:\n{entry}",
            encoding="utf-8",
        )

    write(
        "        value: 1\n        url: https://example.org\n        evidence: derived\n"
        "        reference: {sv: Inget statsbidrag, en: No funding}\n"
        "        note: {sv: Beräknat här., en: Computed here.}\n"
    )
    entry = load_concept(path).parameters["amount"].values[0]
    assert entry.reference == "No funding" and entry.reference_text("sv") == "Inget statsbidrag"
    assert entry.note == "Computed here." and entry.note_text("sv") == "Beräknat här."
    write(
        "        value: 1\n        url: https://example.org\n        evidence: law\n"
        "        reference: SFS 2000:1 1 §\n"
    )
    entry = load_concept(path).parameters["amount"].values[0]
    assert entry.references == {"sv": "SFS 2000:1 1 §", "en": "SFS 2000:1 1 §"}
    assert entry.note == "" and entry.note_text("sv") == ""
    write(
        "        value: 1\n        url: https://example.org\n        evidence: law\n"
        "        reference: {sv: Inget statsbidrag}\n"
    )
    with pytest.raises(SimInputError) as error:
        load_concept(path)
    text = str(error.value)
    assert "\n" not in text and "reference needs a non-empty 'en' text" in text
    assert text.startswith(f"{path}:8: demo.amount 2024-01-01"), text
    write(
        "        value: 1\n        url: https://example.org\n        evidence: derived\n"
        "        reference: x\n        note: {sv: '', en: Computed.}\n"
    )
    with pytest.raises(SimInputError, match="note needs a non-empty 'sv' text"):
        load_concept(path)
