"""The label catalogue: every name an output shows, in Swedish (``sv``) and English (``en``).

The words come from data, never from code names:

* the metrics of the results table, their units, the table's groups and group kinds, the
  run variants, the units and what a sweep varies: ``sim/labels.yaml``;
* a scenario's title: its file in ``scenarios/`` (``title: {sv: ..., en: ...}``);
* a parameter's or an assumption's title: its file in ``sim/params/`` or
  ``sim/assumptions/`` (the same ``title`` mapping).

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
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

from sim.errors import SimInputError
from sim.yamlio import load_yaml

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
    """The parsed ``sim/labels.yaml`` (read once)."""
    source = resources.files("sim").joinpath("labels.yaml")
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
        raise KeyError(f"no group kind {kind!r} in sim/labels.yaml")
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


# --------------------------------------------------------------------------- scenarios


@functools.cache
def _scenario_titles() -> Mapping[str, Mapping[str, str]]:
    """``name -> {sv, en}`` of the scenarios shipped in ``scenarios/`` that have a title."""
    from sim.scenarios import scenarios_dir

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
    from sim.assumptions import default_assumptions
    from sim.params import default_law

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


# ---------------------------------------------------------------------------- checking


def entries() -> Iterator[tuple[str, str, Mapping[str, str]]]:
    """Every bilingual entry of the catalogue as ``(section, key, {sv, en})``."""
    data = catalogue()
    for section in ("metrics", "group_kinds", "variants", "units", "varied"):
        for key, entry in data[section].items():
            yield section, str(key), entry
    for kind, values in data["groups"].items():
        for key, entry in values.items():
            yield f"groups.{kind}", str(key), entry
    for name, entry in _scenario_titles().items():
        yield "scenarios", name, entry
    from sim.assumptions import default_assumptions
    from sim.params import default_law

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
