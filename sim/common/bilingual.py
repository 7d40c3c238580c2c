"""Texts in Swedish and English in the YAML files, as GETTSIM writes them.

Every parameter, assumption, concept and scenario carries a short ``title`` (a table or
chart label) and a long ``description``, each as a mapping of both languages::

    title: {sv: "Riksnorm, ensamstående vuxen", en: "Riksnorm, single adult"}
    description:
      sv: Personliga kostnader för en ensamstående vuxen (socialtjänstförordningen 12 kap. 2 §).
      en: Personal costs of a single adult (socialtjänstförordningen 12 kap. 2 §).

A plain string is still accepted (a user's older file): it is taken as the English text and
stands for both languages, and a missing title falls back to the path. A mapping must give
exactly ``sv`` and ``en``, both non-empty: anything else is one :class:`SimInputError` line
with file and line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sim.common.errors import SimInputError
from sim.common.yamlio import LineDict

#: The languages of every text, Swedish first (the model's outputs are Swedish by default).
LANGUAGES = ("sv", "en")


def parse_text(
    value: Any, *, where: str, field: str, fallback: str | None = None
) -> dict[str, str]:
    """``{"sv": ..., "en": ...}`` from a bilingual mapping or a plain (English) string.

    ``where`` is ``file:line: name`` for messages. A missing value (``None``) gives
    ``fallback`` in both languages, or is an error when there is no fallback.

    >>> parse_text({"sv": "Barnbidrag", "en": "Child benefit"}, where="f:1", field="title")
    {'sv': 'Barnbidrag', 'en': 'Child benefit'}
    >>> parse_text("Child benefit", where="f:1", field="title")
    {'sv': 'Child benefit', 'en': 'Child benefit'}
    """
    if value is None:
        if fallback is None:
            raise SimInputError(f"{where}: missing {field}")
        return dict.fromkeys(LANGUAGES, fallback)
    if isinstance(value, str):
        text = " ".join(value.split())
        if not text:
            raise SimInputError(f"{where}: {field} must be a non-empty text")
        return dict.fromkeys(LANGUAGES, text)
    if not isinstance(value, Mapping):
        raise SimInputError(
            f"{where}: {field} must be a text or a mapping of sv and en, not {type(value).__name__}"
        )
    for key in value:
        if key not in LANGUAGES:
            line = f" (line {value.line_of(key)})" if isinstance(value, LineDict) else ""
            raise SimInputError(
                f"{where}: {field} has unknown language {key!r}{line}; use sv and en"
            )
    texts = {}
    for language in LANGUAGES:
        text = value.get(language)
        if not isinstance(text, str) or not text.strip():
            raise SimInputError(f"{where}: {field} needs a non-empty '{language}' text")
        texts[language] = " ".join(text.split())
    return texts


def title_and_descriptions(
    data: LineDict, *, where: str, fallback: str
) -> tuple[dict[str, str], dict[str, str]]:
    """The ``title`` (``fallback`` where there is none) and ``description`` of a file,
    parameter, assumption or scenario in both languages; ``where`` holds ``{line}``, filled
    with each key's line for messages."""
    title = parse_text(
        data.get("title"),
        where=where.format(line=data.line_of("title")),
        field="title",
        fallback=fallback,
    )
    descriptions = parse_text(
        data.get("description"),
        where=where.format(line=data.line_of("description")),
        field="description",
    )
    return title, descriptions


def pick(texts: Mapping[str, str], lang: str) -> str:
    """The text in ``lang`` (``sv`` or ``en``); an unknown language is an error.

    >>> pick({"sv": "Barnbidrag", "en": "Child benefit"}, "en")
    'Child benefit'
    """
    if lang not in LANGUAGES:
        raise SimInputError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return texts[lang]


class Texts:
    """Mixin of ``label(lang)`` (the title) and ``text(lang)`` (the description) for
    dataclasses with ``title`` and ``descriptions`` mappings."""

    title: Mapping[str, str]
    descriptions: Mapping[str, str]

    def label(self, lang: str = "sv") -> str:
        """The short title in ``lang``, for a table or chart label."""
        return pick(self.title, lang)

    def text(self, lang: str = "sv") -> str:
        """The long description in ``lang``."""
        return pick(self.descriptions, lang)
