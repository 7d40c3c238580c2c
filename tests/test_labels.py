"""The label catalogue (sim/catalogue/labels.yaml, the titles in the YAML files): complete in both
languages, and every name an output shows comes from it."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import polars as pl
import pytest
from committed_output import english_folder, run_folder

from sim.catalogue import labels
from sim.common.errors import SimInputError


def test_every_catalogue_entry_has_both_languages():
    missing = [
        f"{section}:{key}"
        for section, key, entry in labels.entries()
        if set(entry) - {"unit"} != set(labels.LANGUAGES)
        or not all(str(entry[lang]).strip() for lang in labels.LANGUAGES)
    ]
    assert not missing, f"entries without sv and en: {missing}"


def test_every_metric_has_a_known_unit():
    units = set(labels.catalogue()["units"])
    odd = {key: labels.metric_unit(key) for key in labels.metric_keys()}
    assert {k: u for k, u in odd.items() if u not in units} == {}


def test_every_metric_and_group_of_a_run_is_named():
    """The main run's table holds no metric, group kind or run the catalogue lacks."""
    table = pl.read_parquet(run_folder() / "results.parquet")
    for key in table["metric"].unique():
        labels.metric(key, "en")
    for group in table["group"].unique():
        labels.group(group, "en")
    for run in table["scenario"].unique():
        assert labels.scenario(run.partition("/")[0], "en") != run.partition("/")[0], run


def test_scenario_titles_come_from_the_scenario_files():
    assert labels.scenario("bidragstak/statisk") == "Bidragstak (statisk)"
    assert labels.scenario("kombinerad", "en") == "Combined"
    assert labels.scenario("my_own_reform") == "my_own_reform"


def test_an_unknown_metric_or_language_is_refused():
    with pytest.raises(KeyError):
        labels.metric("no_such_metric")
    with pytest.raises(SimInputError, match="unknown language"):
        labels.metric("fs_paid_sek_year", "de")


# ------------------------------------------------------------- no leaks into the outputs

#: Sections of the catalogue whose labels are words of one language. Parameter and
#: assumption titles are not among them for the English check: Swedish legal nouns
#: (grundavdrag, riktålder) are the English text's words too.
_WORD_SECTIONS = ("metrics", "group_kinds", "groups", "variants", "units", "varied", "scenarios")


def _foreign_labels(lang: str) -> set[str]:
    """Labels of the other language that must not appear in an output in ``lang``: each
    label of the other language that differs from its twin, less those that are words of
    this language's own labels too (``Jobbpremie`` is in the English "Jobbpremie paid")."""
    other = "en" if lang == "sv" else "sv"
    entries = [
        entry
        for section, _, entry in labels.entries()
        if section.partition(".")[0]
        in (_WORD_SECTIONS if lang == "en" else section.partition(".")[0])
    ]
    own = " ".join(entry[lang] for entry in entries).lower()
    return {
        e[other]
        for e in entries
        if e[other] != e[lang] and len(e[other]) > 3 and e[other].lower() not in own
    }


def _internal_keys() -> set[str]:
    """Metric keys, parameter paths and assumption paths: code names no reader should see
    (a key that is one plain word, like ``households``, is a word, not a code)."""
    from sim.law.assumptions import default_assumptions
    from sim.law.parameters import default_law

    keys = set(labels.metric_keys()) | set(default_law().paths())
    keys |= {f"{c}.{n}" for c, g in default_assumptions().items.items() for n in g}
    return {k for k in keys if "_" in k or "." in k}


def _visible_text(text: str) -> str:
    """The words of a text outside web addresses and quotations (a quotation keeps the
    language it was said in)."""
    text = re.sub(r"https?://\S+|\b[\w.-]+\.(se|com|org|eu)/\S*", " ", text)
    return re.sub(r"[\"“”«»][^\"“”«»]{0,400}[\"“”«»]|(?<!\w)'[^']{0,400}'(?!\w)", " ", text)


def _output_texts(folder: Path) -> dict[str, str]:
    """The words a reader sees in an output folder: summary.md, the report's text (no
    markup, styles or embedded images) and each chart's SVG text."""
    page = (folder / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<svg\b.*?</svg>", " ", page, flags=re.S)  # the charts are checked below
    page = re.sub(r'\b(src|href|title)="[^"]*"', " ", page)
    texts = {
        "summary.md": (folder / "summary.md").read_text(encoding="utf-8"),
        "report.html": html.unescape(re.sub(r"<[^>]+>", " ", page)),
    }
    for svg in sorted((folder / "charts").glob("*.svg")):
        words = re.findall(r">([^<]+)<", svg.read_text(encoding="utf-8"))
        texts[f"charts/{svg.name}"] = html.unescape(" ".join(words))
    return {name: _visible_text(text) for name, text in texts.items()}


def _leaks(texts: dict[str, str], lang: str) -> dict[str, list[str]]:
    keys, foreign = _internal_keys(), _foreign_labels(lang)
    found = {}
    for name, text in texts.items():
        hits = [k for k in keys if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w])", text)]
        hits += [w for w in foreign if re.search(rf"(?<![\w/-]){re.escape(w)}(?![\w/-])", text)]
        if hits:
            found[name] = sorted(hits)
    return found


def test_swedish_outputs_have_no_english_label_and_no_internal_key():
    texts = _output_texts(run_folder())
    assert len([n for n in texts if n.startswith("charts/")]) >= 5
    assert _leaks(texts, "sv") == {}


def test_english_outputs_have_no_swedish_label_and_no_internal_key():
    assert _leaks(_output_texts(english_folder()), "en") == {}


def test_the_leak_check_can_fail():
    """The check finds a metric key, a parameter path and a label of the other language
    planted in a copy of each output (so that a green result means something)."""
    planted = {"summary.md": "fs_paid_sek_year och bidragstak.no_topups, Combined"}
    assert _leaks(planted, "sv") == {
        "summary.md": ["Combined", "bidragstak.no_topups", "fs_paid_sek_year"]
    }
    planted = {"summary.md": "The change for ensamstående kvinna med barn"}
    assert _leaks(planted, "en") == {"summary.md": ["ensamstående kvinna med barn"]}


# ------------------------------------------------------------------ calibration targets

_COMMITTED_POPULATION = Path(__file__).resolve().parent.parent / "data/synthetic/population-2024"


def test_every_calibration_target_of_the_committed_population_is_named():
    """Each of the committed population's targets has a name in words in both languages:
    not its id, no code name (``_``), and no two targets named alike."""
    report = json.loads((_COMMITTED_POPULATION / "calibration_report.json").read_text())
    ids = sorted({t["id"] for t in report["targets"]})
    assert len(report["targets"]) >= 177 and len(ids) > 100
    for lang in labels.LANGUAGES:
        names = {id_: labels.calibration_target(id_, lang) for id_ in ids}
        bad = {i: n for i, n in names.items() if n == i or "_" in n or not n.strip()}
        assert bad == {}, lang
        assert len(set(names.values())) == len(ids), lang
    assert all(
        labels.calibration_target(i, "sv") != labels.calibration_target(i, "en") for i in ids
    )


def test_a_calibration_target_id_is_named_family_then_group():
    assert labels.calibration_target("fs_households_month:01") == (
        "Hushåll med ekonomiskt bistånd, per månad: januari"
    )
    assert labels.calibration_target("fs_households_month:12", "en").endswith(": December")
    assert labels.calibration_target("scb_population_lan:12").endswith(": Skåne län")
    assert labels.calibration_target("fs_households_mean_month_kommungrupp:C9", "en").endswith(
        ": SKR municipality group C9"
    )
    assert labels.calibration_target("fs_takeup_single_woman_children", "en").endswith(
        ": single woman with children"
    )
    for unknown in ("no_such_target", "fs_households_month:13", "scb_population_lan:99"):
        with pytest.raises(KeyError):
            labels.calibration_target(unknown)


def test_the_report_names_targets_and_summary_measures_in_words():
    from sim.outputs.report.calibration import _target_name

    assert _target_name("fs_households", "sv", 2020, 2024) == (
        "Hushåll med ekonomiskt bistånd under året, 2020"
    )
    assert _target_name("fs_households", "en", 2024, 2024) == (
        "Households with ekonomiskt bistånd during the year"
    )
    assert _target_name("fs_paid_sek_year", "en") == labels.metric("fs_paid_sek_year", "en")
    summary = json.loads((_COMMITTED_POPULATION / "summary.json").read_text())
    for key, value in summary.items():
        if isinstance(value, int | float) and key != "year":
            for lang in labels.LANGUAGES:
                assert "_" not in _target_name(key, lang), (key, lang)


def test_every_evidence_code_and_assumption_set_has_words():
    from sim.law.parameters import EVIDENCE
    from sim.scenarios.scenario import ASSUMPTION_SETS

    assert set(labels.catalogue()["evidence"]) == set(EVIDENCE)
    assert set(labels.catalogue()["assumption_sets"]) == set(ASSUMPTION_SETS)
    assert labels.evidence("secondary") == "sekundär källa"
    assert labels.assumption_set("high", "en") == "high"
