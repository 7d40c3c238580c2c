"""The label catalogue: every name an output shows, in Swedish (``sv``) and English (``en``).

The words come from data, never from code names:

* the metrics of the results table, their units, the table's groups and group kinds, the
  run variants, the units, what a sweep varies and the population's calibration targets:
  ``sim/catalogue/labels.yaml``;
* a scenario's title: its file in ``scenarios/`` (``title: {sv: ..., en: ...}``);
* a parameter's or an assumption's title: its file in ``sim/law/params/`` or
  ``sim/law/assumptions/`` (the same ``title`` mapping).

Swedish is the default everywhere. A key with no label raises :class:`KeyError` in
:func:`metric` and :func:`unit` (a new metric must be named before it is shown); groups,
scenarios and paths fall back to themselves only where the value is a name that reads the
same in both languages (a län, an SKR code, a decile's number) or a user's own scenario or
file without a title.

>>> metric("fs_paid_sek_year")
'Utbetalt försörjningsstöd'
>>> metric("fs_paid_sek_year", "en")
'Försörjningsstöd paid'
>>> group("hushållstyp:sammanboende med barn", "en")
'couple with children'
>>> group("månad:3")
'mars'
>>> group("län:Skåne län", "en")
'Skåne län'
>>> unit("SEK/month")
'kr per månad'
>>> calibration_target("fs_households_month:01", "en")
'Households with ekonomiskt bistånd, by month: January'
>>> calibration_target("fs_hh_type_couple_children")
'Andel av biståndshushållen (sökande 18–64 år): sammanboende med barn'
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

from sim.common.errors import SimInputError
from sim.common.yamlio import load_yaml

#: The languages of every output.
LANGUAGES = ("sv", "en")
#: The group of the whole population in the results table.
ALL = "all"


def check_language(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`, else one clear :class:`SimInputError`."""
    if lang not in LANGUAGES:
        raise SimInputError(f"unknown language {lang!r}; use sv or en")
    return lang


def text(lang: str, sv: str, en: str) -> str:
    """The one of two texts in ``lang``: ``text("sv", "Barn", "Children") == "Barn"``."""
    return sv if check_language(lang) == "sv" else en


@functools.cache
def catalogue() -> Mapping[str, Any]:
    """The parsed ``sim/catalogue/labels.yaml`` (read once)."""
    source = resources.files("sim.catalogue").joinpath("labels.yaml")
    with resources.as_file(source) as path:
        return load_yaml(path)


def _pick(entry: Mapping[str, str], lang: str) -> str:
    return str(entry[check_language(lang)])


# ----------------------------------------------------------------------------- metrics


def metric(key: str, lang: str = "sv") -> str:
    """The label of a metric of the results table."""
    return _pick(catalogue()["metrics"][key], lang)


def metric_unit(key: str) -> str:
    """The unit of a metric (``SEK/year``, ``share``, ``persons``, ...)."""
    return str(catalogue()["metrics"][key]["unit"])


def metric_keys() -> tuple[str, ...]:
    """Every metric the catalogue names, in its order."""
    return tuple(catalogue()["metrics"])


def unit(key: str, lang: str = "sv") -> str:
    """A unit as a column header says it: ``unit("SEK/year") == "kr per år"``."""
    return _pick(catalogue()["units"][key], lang)


# ------------------------------------------------------------------------------ groups


def group_kind(kind: str, lang: str = "sv") -> str:
    """The name of a kind of group: ``group_kind("län", "en") == "County"``."""
    return _pick(catalogue()["group_kinds"][kind], lang)


def group(label: str, lang: str = "sv") -> str:
    """A group of the results table (``kind:value`` or ``all``) as an output shows it."""
    kind, _, value = label.partition(":")
    if not value:
        kind, value = ALL, label
    if kind not in catalogue()["group_kinds"]:
        raise KeyError(f"no group kind {kind!r} in sim/catalogue/labels.yaml")
    return group_value(kind, value, lang)


def group_value(kind: str, value: str, lang: str = "sv") -> str:
    """The value of a group of ``kind`` (``hushållstyp``, ``sammanboende med barn``)."""
    values = catalogue()["groups"].get(kind, {})
    if value in values:
        return _pick(values[value], lang)
    check_language(lang)
    return value


def varied(key: str, lang: str = "sv") -> str:
    """What a sweep varied (``population``, ``calibration``, ``assumptions``) in words."""
    return _pick(catalogue()["varied"][key], lang)


def evidence(code: str, lang: str = "sv") -> str:
    """How sure a law value is, in words: ``evidence("secondary") == "sekundär källa"``; a
    code the catalogue does not know (a user's own file) is shown as it is."""
    words = catalogue()["evidence"]
    return _pick(words[code], lang) if code in words else (check_language(lang) and code)


def assumption_set(name: str, lang: str = "sv") -> str:
    """A behaviour assumption set (``none``, ``low``, ``central``, ``high``) in words; a set
    the catalogue does not know is shown by its name."""
    words = catalogue()["assumption_sets"]
    return _pick(words[name], lang) if name in words else (check_language(lang) and name)


# --------------------------------------------------------------------------- scenarios


@functools.cache
def _scenario_titles() -> Mapping[str, Mapping[str, str]]:
    """``name -> {sv, en}`` of the scenarios shipped in ``scenarios/`` that have a title."""
    from sim.scenarios.scenario import scenarios_dir

    titles = {}
    for path in sorted(scenarios_dir().glob("*.yaml")):
        title = load_yaml(path).get("title")
        if isinstance(title, Mapping):
            titles[path.stem] = {k: str(v) for k, v in title.items()}
    return titles


def scenario(label: str, lang: str = "sv", *, newline: bool = False) -> str:
    """A run label as an output shows it: ``bidragstak/statisk`` -> ``Bidragstak (statisk)``.

    The scenario's title is its file's ``title`` in ``lang``; a user's scenario without
    one is shown by its name."""
    name, _, variant = label.partition("/")
    title = _scenario_titles().get(name)
    shown = _pick(title, lang) if title else (check_language(lang) and name)
    if newline:
        shown = textwrap.fill(shown, 12, break_long_words=False)
    if variant:
        variants = catalogue()["variants"]
        word = _pick(variants[variant], lang) if variant in variants else variant
        shown += ("\n" if newline else " ") + f"({word})"
    return shown


# ------------------------------------------------------------------ law and assumptions


def law_title(path: str, lang: str = "sv") -> str:
    """The title of a parameter (``bidragstak.no_topups``) or an assumption
    (``behaviour.employment_elasticity``), from its YAML file."""
    check_language(lang)
    from sim.law.assumptions import default_assumptions
    from sim.law.parameters import default_law

    try:
        item: Any = default_law().parameter(path)
    except (KeyError, SimInputError):
        try:
            item = default_assumptions().assumption(path)
        except SimInputError:
            raise KeyError(f"no parameter or assumption {path!r}") from None
    title = getattr(item, "title", None)
    if not title:
        raise KeyError(f"{path} has no title in its YAML file")
    return str(title[lang])


# ----------------------------------------------------------------- calibration targets


def calibration_target(target_id: str, lang: str = "sv") -> str:
    """A calibration target of the population in words: its family's label, then what
    follows ``:`` in the id, in words (``fs_households_month:01`` -> ``Hushåll med
    ekonomiskt bistånd, per månad: januari``).

    The family is the id before ``:``. After it comes a month (``01``, a family ending in
    ``_month``), a län's code (``_lan``; the län's name) or an SKR kommungrupp
    (``_kommungrupp``; its code, ``SKR:s kommungrupp C9``). An id without ``:`` that is
    not a family is a family, ``_`` and a household type of ``calibration_target_parts``
    (``fs_hh_type_couple_children``). Any other id raises :class:`KeyError`."""
    check_language(lang)
    family, _, part = target_id.partition(":")
    families = catalogue()["calibration_targets"]
    if family in families:
        name = _pick(families[family], lang)
        return f"{name}: {_target_part(family, part, lang)}" if part else name
    if not part:
        parts = catalogue()["calibration_target_parts"]
        for prefix in sorted(families, key=len, reverse=True):
            rest = family.removeprefix(prefix + "_")
            if rest != family and rest in parts:
                return f"{_pick(families[prefix], lang)}: {_pick(parts[rest], lang)}"
    raise KeyError(f"no calibration target {target_id!r} in sim/catalogue/labels.yaml")


def _target_part(family: str, part: str, lang: str) -> str:
    """What follows ``:`` in a target id of ``family``, in words."""
    kind = family.rpartition("_")[2]
    months = catalogue()["groups"]["månad"]
    if kind == "month" and part.isdigit() and str(int(part)) in months:
        return _pick(months[str(int(part))], lang)
    if kind == "lan":
        from sim.population.geography import lan_table

        names = {lan.code: lan.name for lan in lan_table()}
        if part in names:
            return names[part]
    if kind == "kommungrupp" and part:
        return f"{group_kind('skr_kommungrupp', lang)} {part}"
    raise KeyError(f"no words for {part!r} of the calibration target family {family!r}")


# ---------------------------------------------------------------------------- checking


def entries() -> Iterator[tuple[str, str, Mapping[str, str]]]:
    """Every bilingual entry of the catalogue as ``(section, key, {sv, en})``."""
    data = catalogue()
    sections = ("metrics", "group_kinds", "variants", "units", "varied")
    for section in (*sections, "calibration_targets", "calibration_target_parts"):
        for key, entry in data[section].items():
            yield section, str(key), entry
    for kind, values in data["groups"].items():
        for key, entry in values.items():
            yield f"groups.{kind}", str(key), entry
    for name, entry in _scenario_titles().items():
        yield "scenarios", name, entry
    from sim.law.assumptions import default_assumptions
    from sim.law.parameters import default_law

    for parameter in default_law():
        yield "parameters", parameter.path, parameter.title
    for concept, group in default_assumptions().items.items():
        for name, item in group.items():
            yield "assumptions", f"{concept}.{name}", item.title


def english_only_labels() -> frozenset[str]:
    """The English labels that differ from their Swedish twin: none may appear in a Swedish
    output (tests/test_labels.py)."""
    return frozenset(e["en"] for _, _, e in entries() if e.get("en") and e["en"] != e.get("sv"))


def swedish_only_labels() -> frozenset[str]:
    """The Swedish labels that differ from their English twin (the English check)."""
    return frozenset(e["sv"] for _, _, e in entries() if e.get("sv") and e["sv"] != e.get("en"))
