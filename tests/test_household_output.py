"""How the household calculator presents its numbers: the text (Swedish, the rent asked
for beside the limit, no rule paths, only the sources of the rules that applied) and the
JSON document (baseline and reform in the same shape, change = reform − baseline, units).
The numbers themselves are held by tests/test_cases.py."""

from __future__ import annotations

import json
import re

import pytest

from sim.calculator.household import (
    HouseholdSpec,
    amount_unit,
    calculate,
    compare,
    household_text,
    rule_title,
)
from sim.scenarios.scenario import load_scenario

SINGLE = HouseholdSpec(adults=1, adult_ages=(30,), housing_cost=9000)
FAMILY = HouseholdSpec(
    adults=2, adult_ages=(38, 40), child_ages=(3, 6, 9, 12, 15), housing_cost=16180
)


def _no_rule_paths(text: str, sources, effects=()) -> None:
    for path in [*sources, *(e.path for e in effects)]:
        assert path not in text, path
    # Nothing shaped like a parameter path (section.name_with_underscores) at all.
    assert not re.search(r"\b[a-z]+\.[a-z]+_[a-z_]+\b", text), re.findall(
        r"\b[a-z]+\.[a-z]+_[a-z_]+\b", text
    )


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (HouseholdSpec(adults=1, adult_ages=(35,)), "1 vuxen (35 år), inga barn"),
        (HouseholdSpec(adults=2, adult_ages=(35, 36)), "2 vuxna (35 och 36 år), inga barn"),
        (HouseholdSpec(adults=1, child_ages=(4,)), "1 vuxen (35 år), 1 barn (4 år)"),
        (
            HouseholdSpec(adults=2, adult_ages=(30, 31), child_ages=(1, 6, 14)),
            "2 vuxna (30 och 31 år), 3 barn (1, 6 och 14 år)",
        ),
    ],
)
def test_the_household_in_proper_swedish(spec, words):
    assert household_text(spec.checked()) == words
    text = calculate(spec, date="2026-03").to_text()
    assert f"Hushåll: {words}" in text
    assert "vuxen/vuxna" not in text


def test_the_rent_asked_for_the_limit_and_what_is_counted():
    calc = calculate(SINGLE, date="2026-03")
    text = calc.to_text()
    limit = calc["housing_limit"]
    assert calc["housing_counted"] == limit < 9000  # the limit binds
    assert "Boendekostnad enligt ansökan (hyra eller avgift)" in text and "9 000 kr" in text
    assert "Skälig boendekostnad för hushållet (gräns)" in text
    assert "Boendekostnad som räknas" in text
    over = f"{9000 - limit:,.0f}".replace(",", " ")
    assert f"Obs: boendekostnaden är {over} kr över den skäliga boendekostnaden" in text
    cheap = calculate(HouseholdSpec(adults=1, housing_cost=4000), date="2026-03")
    assert cheap["housing_counted"] == 4000 and "Obs:" not in cheap.to_text()
    # The source of the limit is cited at the limit, not at the amount counted.
    steps = {s.key: s for s in calc.steps}
    assert steps["housing_limit"].sources == ("assumption.housing_limit",)
    assert steps["housing_counted"].note and not steps["housing_cost"].sources


def test_no_rule_paths_in_the_text():
    calc = calculate(FAMILY, date="2026-03")
    _no_rule_paths(calc.to_text(), calc.sources)
    both = compare(FAMILY, date="2027-09", scenario="kombinerad")
    text = both.to_text()
    _no_rule_paths(text, both.sources, both.effects)
    assert rule_title("bidragstak.modernised_riksnorm") in text
    assert text.splitlines()[0].startswith(
        "Kombinerad jämfört med nuvarande regler, september 2027"
    )


def test_every_rule_a_reform_changes_has_a_name_in_both_languages():
    from sim.calculator.household import _RULE_TITLES

    for name in ("kombinerad", "sou2025_modell_a", "sou2025_modell_b", "jobbpremie"):
        for change in load_scenario(name).changes:
            for lang in ("sv", "en"):
                title = rule_title(change.path, lang)
                assert title != change.path, (change.path, lang)
    assert all(sv and en for sv, en in _RULE_TITLES.values())


def test_a_single_adult_cites_only_the_rules_that_applied():
    sources = set(calculate(SINGLE, date="2026-03").sources)
    for section in ("barnbidrag", "bostadsbidrag", "underhallsstod", "bidragstak", "jobbpremie"):
        assert not any(key.startswith(section + ".") for key in sources), (section, sources)
    assert not any(key.startswith(("aktivitetskrav.", "inkomstskatt.")) for key in sources)
    assert {"riksnorm.adult_single", "riksnorm.common_cost", "assumption.housing_limit"} <= sources
    text = calculate(SINGLE, date="2026-03").to_text()
    assert "Barnbidrag" not in text and "Bostadsbidrag" not in text


def test_sources_follow_the_household():
    family = set(calculate(FAMILY, date="2026-03").sources)
    assert {"barnbidrag.amount_per_child", "barnbidrag.flerbarnstillagg"} <= family
    assert "riksnorm.personal_cost_child" in family
    assert not any(key.startswith(("bidragstak.", "jobbpremie.")) for key in family)
    # Earnings: the tax is cited; jobbstimulans only once it applies.
    worker = HouseholdSpec(adults=1, housing_cost=5000, earnings=(9000,))
    assert "inkomstskatt.kommunal_rate" in calculate(worker, date="2026-03").sources
    assert "jobbstimulans.disregarded_share" not in calculate(worker, date="2026-03").sources
    stimulated = HouseholdSpec(adults=1, housing_cost=5000, earnings=(9000,), months_on_fs=8)
    assert "jobbstimulans.disregarded_share" in calculate(stimulated, date="2026-03").sources


def test_a_reform_cites_its_own_rules_where_they_changed_something():
    both = compare(FAMILY, date="2027-09", scenario="bidragstak")
    sources = both.sources
    changed = [e.path for e in both.effects if e.has_effect]
    assert changed == ["bidragstak.modernised_riksnorm", "bidragstak.fourth_child_rule"]
    for path in changed:
        assert sources[path]["url"].startswith("https://"), sources[path]
        assert " " not in sources[path]["url"]
    idle = [e.path for e in both.effects if not e.has_effect]
    assert not set(idle) & set(sources)
    text = both.to_text()
    assert "Utan verkan för detta hushåll:" in text
    assert "https://github.com/ (scenario" not in text
    # A single adult under the bidragstak: no source of the fourth-child rule.
    single = compare(SINGLE, date="2027-09", scenario="bidragstak")
    assert "bidragstak.fourth_child_rule" not in single.sources


def _amount_dicts(document):
    return document["baseline"]["amounts"], document["reform"]["amounts"]


@pytest.mark.parametrize("scenario", ["bidragstak", "kombinerad", "sou2025_modell_a"])
def test_the_json_is_symmetric_and_change_is_reform_minus_baseline(scenario):
    spec = HouseholdSpec(adults=1, child_ages=(4, 9), housing_cost=9000, earnings=(6000,))
    document = json.loads(json.dumps(compare(spec, date="2027-09", scenario=scenario).to_dict()))
    assert set(document) == {
        "date",
        "household",
        "units",
        "baseline",
        "reform",
        "change",
        "effects",
    }
    assert (
        set(document["baseline"])
        == set(document["reform"])
        == {
            "scenario",
            "amounts",
            "steps",
            "sources",
        }
    )
    assert document["baseline"]["scenario"] == "baseline"
    assert document["reform"]["scenario"] == scenario
    base, reform = _amount_dicts(document)
    assert set(base) == set(reform) == set(document["change"]) == set(document["units"])
    for key in base:
        assert document["change"][key] == pytest.approx(reform[key] - base[key], abs=1e-9), key
        assert document["units"][key] == amount_unit(key)
    assert document["units"]["forsorjningsstod"] == "SEK/month"
    assert document["units"]["aktivitetskrav_hours_week"] == "hours/week"
    for part in (document["baseline"], document["reform"]):
        for step in part["steps"]:
            assert set(step) == {"key", "label", "amount", "sources", "note"}
            assert step["key"] in part["amounts"]
            assert all(source in part["sources"] for source in step["sources"])
    assert all(
        {"rule", "title", "forsorjningsstod", "total_support"} <= set(e)
        for e in document["effects"]
    )


def test_the_baseline_json_has_the_same_shape():
    calc = calculate(FAMILY, date="2026-03")
    document = calc.to_dict()
    assert set(document) == {"date", "household", "units", "baseline"}
    assert set(document["baseline"]) == {"scenario", "amounts", "steps", "sources"}
    assert document["baseline"]["amounts"]["forsorjningsstod"] == round(calc["forsorjningsstod"], 2)
    assert document["household"]["child_ages"] == [3, 6, 9, 12, 15]
    alone = calculate(FAMILY, date="2027-09", scenario="bidragstak").to_dict()
    assert set(alone) == {"date", "household", "units", "reform"}


def test_the_rules_add_up_to_the_change():
    """The typfall of docs/reforms.md §2.1.1: the rules' effects add up to the change."""
    spec = HouseholdSpec(
        adults=2,
        adult_ages=(38, 40),
        child_ages=(3, 6, 9, 12, 15),
        housing_cost=16180,
        housing_limit_factor=1.4,
    )
    both = compare(spec, date="2027-09", scenario="bidragstak")
    assert both.change["total_support"] < -8000
    assert sum(e.total_support for e in both.effects) == pytest.approx(both.change["total_support"])


def test_the_text_cites_the_swedish_reference_of_a_bilingual_source():
    """The calculator's text is Swedish: a source whose law file gives a reference in both
    languages is cited in Swedish (and a projected value says so in Swedish)."""
    from sim.law.parameters import default_law

    worker = HouseholdSpec(adults=1, housing_cost=5000, earnings=(9000,))
    calc = calculate(worker, date="2026-03")
    text = calc.to_text()
    entry = default_law().parameter("inkomstskatt.kommunal_rate").entry_at(calc.date)
    assert entry.references["sv"] != entry.references["en"]
    assert f"[{entry.reference_text('sv')}; myndighet]" in text
    assert entry.reference_text("en") not in text
    assert calc.sources["inkomstskatt.kommunal_rate"]["reference"] == entry.reference_text("sv")
    later = calculate(worker, date="2027-03").to_text()
    assert "[Framskrivet från 2026 (SFS 2025:1046" in later and "Projected" not in later
