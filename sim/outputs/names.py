"""The names outputs give things: a run, a group, a metric, an assumption or parameter path,
what a sweep varied, a behaviour assumption set, the population of a manifest (from the
catalogue, :mod:`sim.catalogue.labels`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sim.catalogue import labels
from sim.catalogue.labels import text as _t


def scenario_name(label: str, lang: str = "sv", *, newline: bool = False) -> str:
    """The display name of a run label (:func:`sim.catalogue.labels.scenario`)."""
    return labels.scenario(label, lang, newline=newline)


def group_label(label: str, lang: str = "sv") -> str:
    """A group of the table (``kind:value``) in the chart's language (:func:`sim.catalogue.labels.group`)."""
    return labels.group(label, lang)


def metric_label(metric: str, lang: str = "sv") -> str:
    """The metric's label in ``lang`` (:func:`sim.catalogue.labels.metric`)."""
    return labels.metric(metric, lang)


def varied_text(varied: Sequence[str], lang: str = "sv") -> str:
    """What the replications varied, in words: ``nytt befolkningsurval och kalibreringsbrus``."""
    words = [labels.varied(v, lang) for v in varied]
    if not words:
        return _t(lang, "endast slumptal", "random numbers only")
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + _t(lang, " och ", " and ") + words[-1]


def path_title(path: str, lang: str = "sv") -> str:
    """An assumption's or a parameter's title from its YAML file (:func:`sim.catalogue.labels.law_title`);
    its path only while the file has no title (a user's own, or before the titles land)."""
    try:
        return labels.law_title(path, lang)
    except KeyError:
        return path


def assumption_set_name(name: str, lang: str) -> str:
    """A behaviour assumption set in words; ``none`` says that it is the static run."""
    words = labels.assumption_set(name, lang)
    return f"{words} {_t(lang, '(statisk)', '(static)')}" if name == "none" else words


def in_words(words: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = words.get(key)
    return _t(lang, *pair) if pair else key


def population_name(manifest: Mapping[str, Any]) -> str:
    return str(manifest.get("population_name") or Path(str(manifest.get("population") or "")).name)
