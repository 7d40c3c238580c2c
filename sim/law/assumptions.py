"""Model assumptions as YAML: what the law does not say, with a central value and a range.

Law lives in ``sim/law/params/``; everything else the model needs (typical costs, behaviour,
take-up, discretion) lives in ``sim/law/assumptions/``, one concept per file::

    title: {sv: Skäliga kostnader utanför riksnormen, en: Reasonable costs outside the riksnorm}
    description: {sv: ..., en: ...}
    assumptions:
      hemforsakring:
        title: {sv: Hemförsäkring, en: Home insurance}
        description:
          sv: Standardkostnad för hemförsäkring per hushåll.
          en: Default home-insurance cost per household.
        unit: SEK/month
        value: 150          # the central value (a number, or a table as in sim/params)
        low: 100            # numbers carry a range; tables are scaled by a separate number
        high: 250
        evidence: {sv: varför dessa värden, en: why these numbers, with the study or page}
        url: https://...

:func:`load_assumptions` returns :class:`Assumptions`; ``assumptions.skaliga_kostnader.
hemforsakring`` is the central value, and :meth:`Assumptions.at` picks ``low``/``high``.
``title``, ``description`` and ``evidence`` are each in Swedish and English (a plain string is
still read as the English text: see :mod:`sim.common.bilingual`).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from sim.common.bilingual import Texts, parse_text, pick, title_and_descriptions
from sim.common.errors import SimInputError
from sim.common.yamlio import LineDict, load_yaml
from sim.law.parameters import UNITS, Table, closest_hint, is_number, parse_value

_KEYS = {"title", "description", "unit", "value", "low", "high", "evidence", "url"}
_FILE_KEYS = {"title", "description", "assumptions"}
VARIANTS = ("central", "low", "high")


@dataclasses.dataclass(frozen=True)
class Assumption(Texts):
    """One assumption: central value, range (numbers only), evidence.

    ``title`` and ``descriptions`` map ``sv`` and ``en`` to the short label and the long
    text; ``description`` is the English text; ``label(lang)`` and ``text(lang)`` pick one.
    """

    path: str
    description: str
    unit: str
    value: float | Table
    low: float | None
    high: float | None
    evidence: str
    url: str
    #: A reading's codes (first, last), kept when an override fixes low and high.
    codes: tuple[float, float] | None = None
    title: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)
    descriptions: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)
    #: ``evidence`` in ``sv`` and ``en`` (``evidence`` is the English text).
    evidences: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)

    def evidence_text(self, lang: str = "sv") -> str:
        """Why these numbers, in ``lang``."""
        return pick(self.evidences, lang)

    def __post_init__(self) -> None:
        if not self.evidences:
            object.__setattr__(self, "evidences", {"sv": self.evidence, "en": self.evidence})
        if not self.descriptions:
            object.__setattr__(
                self, "descriptions", {"sv": self.description, "en": self.description}
            )
        if not self.title:
            object.__setattr__(self, "title", {"sv": self.path, "en": self.path})

    def variant(self, name: str) -> float | Table:
        """The ``central``, ``low`` or ``high`` value (tables have only a central value)."""
        if name == "central" or isinstance(self.value, Table) or self.unit == "reading":
            return self.value  # a reading's low and high are its first and last code
        return self.low if name == "low" else self.high


@dataclasses.dataclass(frozen=True)
class AssumptionConcept(Texts):
    """One assumption file's own texts (``title``, ``descriptions``; ``description`` is the
    English text)."""

    name: str
    description: str
    title: Mapping[str, str]
    descriptions: Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class Assumptions:
    """All assumption files; attribute access gives sections of central values.

    ``concepts`` holds each file's texts (:class:`AssumptionConcept`) by file stem.
    """

    items: Mapping[str, Mapping[str, Assumption]]
    concepts: Mapping[str, AssumptionConcept] = dataclasses.field(
        default_factory=dict, compare=False
    )

    def __getattr__(self, name: str) -> Any:
        items = object.__getattribute__(self, "items")
        if name not in items:
            raise AttributeError(f"no assumption concept {name!r}")
        return _section(name, items[name], "central")

    def at(self, variant: str) -> Mapping[str, Any]:
        """Every section at the ``low``, ``central`` or ``high`` value."""
        if variant not in VARIANTS:
            raise SimInputError(f"unknown assumption variant {variant!r}; use one of {VARIANTS}")
        return {name: _section(name, group, variant) for name, group in self.items.items()}

    def with_values(self, values: Mapping[str, float]) -> Assumptions:
        """A copy where each ``path`` is fixed at ``value``: central, low and high alike, so
        the override holds whichever assumption set a run uses."""
        items = {name: dict(group) for name, group in self.items.items()}
        for path, value in values.items():
            item = self.assumption(path)
            if isinstance(item.value, Table):
                raise SimInputError(f"assumption {path} is a table; change its scale instead")
            if not is_number(value):
                raise SimInputError(f"assumption {path} must be a number, not {value!r}")
            if item.unit in ("share", "switch") and not 0 <= value <= 1:
                raise SimInputError(f"assumption {path} is a share: {value} is outside 0-1")
            if item.unit == "reading" and not (
                float(value).is_integer() and item.codes[0] <= value <= item.codes[1]
            ):
                low, high = item.codes
                raise SimInputError(
                    f"assumption {path} is a reading: one of the codes {low:g}-{high:g}, "
                    f"not {value!r}"
                )
            concept, _, name = path.partition(".")
            items[concept][name] = dataclasses.replace(
                item, value=float(value), low=float(value), high=float(value)
            )
        return Assumptions(items, self.concepts)

    def assumption(self, path: str) -> Assumption:
        concept, _, name = path.partition(".")
        group = self.items.get(concept, {})
        if name in group:
            return group[name]
        every = [f"{c}.{n}" for c, g in self.items.items() for n in g]
        raise SimInputError(f"unknown assumption path {path!r}{closest_hint(path, every)}")


def _section(name: str, group: Mapping[str, Assumption], variant: str) -> Any:
    cls = _section_class(name, tuple(group))
    return cls(**{key: item.variant(variant) for key, item in group.items()})


@functools.cache
def _section_class(name: str, fields: tuple[str, ...]) -> type:
    class_name = "".join(part.capitalize() for part in name.split("_")) + "Assumptions"
    return dataclasses.make_dataclass(class_name, fields, frozen=True)


def assumptions_dir() -> Path:
    return Path(str(resources.files("sim.law") / "assumptions"))


def load_assumptions(directory: str | Path | None = None) -> Assumptions:
    """Read and validate every assumption file in ``directory`` (default: packaged)."""
    directory = Path(directory) if directory is not None else assumptions_dir()
    items, concepts = {}, {}
    for path in sorted(directory.glob("*.yaml")):
        concepts[path.stem], items[path.stem] = _load_file(path)
    if not items:
        raise SimInputError(f"{directory}: no assumption files (*.yaml) found")
    return Assumptions(items, concepts)


@functools.cache
def default_assumptions() -> Assumptions:
    """The packaged assumptions, read once per process."""
    return load_assumptions()


def _load_file(path: Path) -> tuple[AssumptionConcept, dict[str, Assumption]]:
    file = str(path)
    data = load_yaml(path)
    if (
        not isinstance(data, LineDict)
        or not {"description", "assumptions"} <= set(data)
        or not set(data) <= _FILE_KEYS
    ):
        raise SimInputError(
            f"{file}: an assumption file has 'description' and 'assumptions' (and an "
            "optional 'title'), nothing else"
        )
    title, descriptions = title_and_descriptions(
        data, where=f"{file}:{{line}}: {path.stem}", fallback=path.stem
    )
    concept = AssumptionConcept(
        name=path.stem, description=descriptions["en"], title=title, descriptions=descriptions
    )
    group = data["assumptions"]
    if not isinstance(group, LineDict) or not group:
        raise SimInputError(f"{file}:{data.line_of('assumptions')}: assumptions must be a mapping")
    result = {}
    for name, spec in group.items():
        where = f"{file}:{group.line_of(name)}: {path.stem}.{name}"
        if not isinstance(spec, LineDict):
            raise SimInputError(f"{where}: must be a mapping")
        unknown = set(spec) - _KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise SimInputError(
                f"{file}:{spec.line_of(key)}: unknown key {key!r}{closest_hint(key, _KEYS)}"
            )
        missing = {"description", "unit", "value", "evidence", "url"} - set(spec)
        if missing:
            raise SimInputError(f"{where}: missing {', '.join(sorted(missing))}")
        if spec["unit"] not in UNITS:
            raise SimInputError(f"{where}: unknown unit {spec['unit']!r}")
        value = parse_value(spec["value"], where=where)
        low, high = spec.get("low"), spec.get("high")
        if isinstance(value, float):
            if not (is_number(low) and is_number(high)):
                raise SimInputError(f"{where}: a number needs a range: low and high")
            if not low <= value <= high:
                raise SimInputError(f"{where}: low <= value <= high does not hold")
            if spec["unit"] == "reading" and not all(
                float(x).is_integer() for x in (value, low, high)
            ):
                raise SimInputError(f"{where}: a reading's value and codes are whole numbers")

        elif low is not None or high is not None:
            raise SimInputError(
                f"{where}: a table has no low/high; scale it with a separate number"
            )
        evidences = parse_text(
            spec["evidence"],
            where=f"{file}:{spec.line_of('evidence')}: {path.stem}.{name}",
            field="evidence",
        )
        item_title, item_descriptions = title_and_descriptions(
            spec, where=f"{file}:{{line}}: {path.stem}.{name}", fallback=f"{path.stem}.{name}"
        )
        result[name] = Assumption(
            path=f"{path.stem}.{name}",
            description=item_descriptions["en"],
            unit=spec["unit"],
            value=value,
            low=float(low) if low is not None else None,
            high=float(high) if high is not None else None,
            evidence=evidences["en"],
            url=str(spec["url"]).strip(),
            codes=(float(low), float(high)) if spec["unit"] == "reading" else None,
            title=item_title,
            descriptions=item_descriptions,
            evidences=evidences,
        )
    return concept, result
