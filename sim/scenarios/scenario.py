"""Scenarios as data: a name, a base, dated parameter changes, switches and assumptions.

A scenario file (``scenarios/*.yaml``)::

    name: bidragstak                   # the key in outputs
    title: {sv: Bidragstak, en: Benefit cap}      # the display name
    description: {sv: Vad scenariot är., en: What the scenario is.}
    base: baseline                     # scenario(s) whose changes apply first, or none
    switches:                          # structural rules turned on from a date
      bidragstak.modernised_riksnorm: 2027-01-01
    changes:                           # parameter changes by dotted path and date
      bidragstak.fourth_child_phase:
        2027-01-01: {set: 0.5, status: assumption, source: "phase-in steps not public"}
        2027-07-01: {set: 1.0, status: assumption, source: "..."}
      riksnorm.adult_single:
        2027-01-01: {scale: 0.95, status: proposal, source: "..."}
    assumptions:
      set: central                     # behaviour: none | low | central | high
      values: {bidragstak.norm_cut_children: 0.10}

``status`` says what a value is: ``law`` (enacted), ``proposal`` (a proposition or inquiry)
or ``assumption``. ``set`` replaces the value from the date on; ``scale`` multiplies every
value in force from the date on. Switches are parameters of unit ``switch`` set to 1.

Errors name the file, the line and, for an unknown path, the closest valid one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.common.bilingual import Texts, parse_text, pick, title_and_descriptions
from sim.common.errors import SimInputError
from sim.common.yamlio import LineDict, load_yaml
from sim.law.assumptions import Assumptions, default_assumptions
from sim.law.parameters import (
    DatedValue,
    ParameterTree,
    Table,
    closest_hint,
    default_law,
    is_number,
)
from sim.law.projection import LAST_YEAR, project_law

#: Behaviour assumption sets a scenario may name.
ASSUMPTION_SETS = ("none", "low", "central", "high")
STATUSES = {"law": "law", "proposal": "government", "assumption": "assumption"}
_TOP_KEYS = {"name", "title", "description", "base", "switches", "changes", "assumptions"}
_CHANGE_KEYS = {"set", "scale", "assumption", "status", "source"}
FIRST_DATE = dt.date(2024, 1, 1)
LAST_DATE = dt.date(LAST_YEAR, 12, 31)


@dataclasses.dataclass(frozen=True)
class Change:
    """One dated change of one parameter."""

    path: str
    start: dt.date
    operation: str  # "set" or "scale"
    value: float
    status: str
    source: str
    where: str  # file:line, for messages
    #: ``set`` to this assumption's value (the scenario's own, a sweep's draw included)
    #: instead of ``value``: a law change whose size is not known (``assumption: PATH``).
    assumption: str | None = None
    #: ``source`` in ``sv`` and ``en`` (``source`` is the English text).
    sources: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.sources:
            object.__setattr__(self, "sources", {"sv": self.source, "en": self.source})

    def source_text(self, lang: str = "sv") -> str:
        """The source in ``lang``."""
        return pick(self.sources, lang)


@dataclasses.dataclass(frozen=True)
class Scenario(Texts):
    """A validated scenario, its base resolved (``changes`` include the base's first).

    ``name`` is the file's name (the key in outputs); ``title`` and ``descriptions`` map
    ``sv`` and ``en`` to the display name and the long text; ``description`` is the English
    text; ``label(lang)`` and ``text(lang)`` pick one language.
    """

    name: str
    description: str
    changes: tuple[Change, ...]
    assumption_set: str
    assumption_values: Mapping[str, float]
    source_file: str
    title: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)
    descriptions: Mapping[str, str] = dataclasses.field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.descriptions:
            object.__setattr__(
                self, "descriptions", {"sv": self.description, "en": self.description}
            )
        if not self.title:
            object.__setattr__(self, "title", {"sv": self.name, "en": self.name})

    def law(self, year: int, *, law: ParameterTree | None = None) -> ParameterTree:
        """The law of this scenario, projected to the end of ``year`` with this scenario's
        assumptions (``uprating.price_change_scale`` drawn by a sweep included)."""
        assumptions = self.assumptions()
        tree = project_law(law or default_law(), year, assumptions)
        for change in self.changes:
            if change.assumption is not None:
                value = float(assumptions.assumption(change.assumption).value)
                change = dataclasses.replace(change, value=value)
            tree = _apply(tree, change)
        return tree

    def assumptions(self, base: Assumptions | None = None) -> Assumptions:
        """The assumptions with this scenario's overrides."""
        return (base or default_assumptions()).with_values(self.assumption_values)


def scenarios_dir() -> Path:
    """The project's ``scenarios/`` folder (beside the package in a checkout)."""
    return Path(__file__).resolve().parents[2] / "scenarios"


def available_scenarios() -> list[str]:
    return sorted(path.stem for path in scenarios_dir().glob("*.yaml"))


def load_scenario(name_or_path: str | Path, *, law: ParameterTree | None = None) -> Scenario:
    """A scenario by name (``scenarios/<name>.yaml``) or by file path, validated."""
    return _load(name_or_path, law=law or project_law(default_law(), LAST_YEAR), seen=())


def _locate(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text:
        path = Path(text)
        if not path.is_file():
            raise SimInputError(f"scenario file {text} not found")
        return path
    path = scenarios_dir() / f"{text}.yaml"
    if not path.is_file():
        names = available_scenarios()
        raise SimInputError(
            f"unknown scenario {text!r}{closest_hint(text, names)}; known: {', '.join(names)}"
        )
    return path


def _load(name_or_path: str | Path, *, law: ParameterTree, seen: tuple[str, ...]) -> Scenario:
    path = _locate(name_or_path)
    file = str(path)
    if file in seen:
        raise SimInputError(f"{file}: scenario bases form a cycle")
    data = load_yaml(path)
    if not isinstance(data, LineDict):
        raise SimInputError(f"{file}: a scenario file must be a mapping")
    return _from_mapping(data, file=file, law=law, seen=seen)


def scenario_from_mapping(
    data: Mapping[str, Any], *, where: str, law: ParameterTree | None = None
) -> Scenario:
    """A scenario from a mapping of the scenario file's shape (``name``, ``description``,
    ``base``, ``switches``, ``changes``, ``assumptions``), validated exactly as a file is;
    dates may be ``datetime.date`` or ``"YYYY-MM-DD"``. ``where`` names it in messages
    (:class:`sim.scenarios.reform.Reform` uses this: a reform as data, no temporary file)."""
    tree = law or project_law(default_law(), LAST_YEAR)
    try:
        return _from_mapping(_line_dict(data, where), file=where, law=tree, seen=())
    except SimInputError as error:
        raise SimInputError(str(error).replace(f"{where}:0:", f"{where}:")) from None


def _line_dict(value: Any, where: str) -> Any:
    """Plain mappings as :class:`LineDict` (no lines), ISO date texts as dates."""
    if isinstance(value, Mapping):
        out = LineDict()
        for key, item in value.items():
            if isinstance(key, str) and len(key) == 10 and key[4] == "-" and key[7] == "-":
                try:
                    key = dt.date.fromisoformat(key)
                except ValueError:
                    raise SimInputError(f"{where}: {key!r} is not a real date") from None
            out[key] = _line_dict(item, where)
        return out
    if isinstance(value, list | tuple):
        return [_line_dict(item, where) for item in value]
    return value


def _from_mapping(
    data: LineDict, *, file: str, law: ParameterTree, seen: tuple[str, ...]
) -> Scenario:
    for key in data:
        if key not in _TOP_KEYS:
            raise SimInputError(
                f"{file}:{data.line_of(key)}: unknown key {key!r}{closest_hint(str(key), _TOP_KEYS)}"
            )
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise SimInputError(f"{file}:{data.start_line}: 'name' must be a non-empty text")
    if "description" not in data:
        raise SimInputError(f"{file}:{data.start_line}: 'description' must be a non-empty text")
    title, descriptions = title_and_descriptions(
        data, where=f"{file}:{{line}}", fallback=data["name"].strip()
    )
    changes: list[Change] = []
    base = data.get("base")
    assumption_set = "central"
    assumption_values: dict[str, float] = {}
    bases = [] if base in (None, "none") else base if isinstance(base, list) else [base]
    for name in bases:
        if not isinstance(name, str):
            raise SimInputError(
                f"{file}:{data.line_of('base')}: base must be a scenario name or a list of them"
            )
        try:
            base_path = _locate(name)
        except SimInputError as error:
            raise SimInputError(f"{file}:{data.line_of('base')}: base: {error}") from None
        parent = _load(base_path, law=law, seen=(*seen, file))
        changes.extend(c for c in parent.changes if c not in changes)
        assumption_set = parent.assumption_set
        assumption_values.update(parent.assumption_values)
    changes.extend(_switches(data, file, law))
    changes.extend(_changes(data, file, law))
    if "assumptions" in data:
        assumption_set, values = _assumptions(data, file)
        assumption_values.update(values)
    return Scenario(
        name=data["name"].strip(),
        description=descriptions["en"],
        changes=tuple(changes),
        assumption_set=assumption_set,
        assumption_values=assumption_values,
        source_file=file,
        title=title,
        descriptions=descriptions,
    )


def _check_path(path: Any, law: ParameterTree, where: str) -> str:
    if not isinstance(path, str) or path not in law.paths():
        raise SimInputError(
            f"{where}: unknown parameter path {path!r}{closest_hint(str(path), law.paths())}"
        )
    return path


def _check_date(value: Any, where: str) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise SimInputError(f"{where}: {value!r} is not a date (YYYY-MM-DD)")
    if not FIRST_DATE <= value <= LAST_DATE:
        raise SimInputError(
            f"{where}: date {value} is outside the law's range {FIRST_DATE} to {LAST_DATE}"
        )
    return value


def _switches(data: LineDict, file: str, law: ParameterTree) -> list[Change]:
    switches = data.get("switches") or LineDict()
    if not isinstance(switches, LineDict):
        raise SimInputError(
            f"{file}:{data.line_of('switches')}: switches must map a path to a start date"
        )
    result = []
    for path, start in switches.items():
        where = f"{file}:{switches.line_of(path)}"
        _check_path(path, law, where)
        if law.parameter(path).unit != "switch":
            raise SimInputError(
                f"{where}: {path} is not a switch (unit {law.parameter(path).unit}); use changes"
            )
        result.append(
            Change(
                path,
                _check_date(start, where),
                "set",
                1.0,
                "proposal",
                f"switch in {data['name']}",
                where,
                sources={"sv": f"brytare i {data['name']}", "en": f"switch in {data['name']}"},
            )
        )
    return result


def _changes(data: LineDict, file: str, law: ParameterTree) -> list[Change]:
    changes = data.get("changes") or LineDict()
    if not isinstance(changes, LineDict):
        raise SimInputError(
            f"{file}:{data.line_of('changes')}: changes must map a path to dated values"
        )
    result = []
    for path, dated in changes.items():
        where = f"{file}:{changes.line_of(path)}"
        _check_path(path, law, where)
        parameter = law.parameter(path)
        if not isinstance(dated, LineDict) or not dated:
            raise SimInputError(f"{where}: {path} needs dated values, e.g. 2027-01-01: {{set: 1}}")
        previous = None
        for start, spec in dated.items():
            at = f"{file}:{dated.line_of(start)}"
            _check_date(start, at)
            if previous is not None and start <= previous:  # as the law files require
                raise SimInputError(
                    f"{at}: {path}: dates must be in increasing order ({start} after {previous})"
                )
            previous = start
            if not isinstance(spec, LineDict):
                raise SimInputError(
                    f"{at}: {path} {start}: expected {{set|scale: number, status: ..., source: ...}}"
                )
            for key in spec:
                if key not in _CHANGE_KEYS:
                    raise SimInputError(
                        f"{file}:{spec.line_of(key)}: unknown key {key!r}{closest_hint(str(key), _CHANGE_KEYS)}"
                    )
            operations = [key for key in ("set", "scale", "assumption") if key in spec]
            if len(operations) != 1:
                raise SimInputError(
                    f"{at}: {path} {start}: give exactly one of set, scale or assumption"
                )
            operation = operations[0]
            value = spec[operation]
            assumption = None
            if operation == "assumption":
                assumption, value = _assumed_value(value, parameter.unit, f"{at}: {path} {start}")
                operation = "set"
            if not is_number(value):
                raise SimInputError(
                    f"{at}: {path} {start}: {operation} must be a number, not {value!r}"
                )
            _check_range(
                parameter.unit,
                operation,
                float(value),
                isinstance(parameter.values[0].value, Table),
                f"{at}: {path} {start}",
            )
            status = spec.get("status")
            if status not in STATUSES:
                raise SimInputError(
                    f"{at}: {path} {start}: status must be one of {sorted(STATUSES)}, not {status!r}"
                )
            if spec.get("source") is None:
                raise SimInputError(f"{at}: {path} {start}: every change needs a source")
            sources = parse_text(
                spec["source"],
                where=f"{file}:{spec.line_of('source')}: {path} {start}",
                field="source",
            )
            result.append(
                Change(
                    path,
                    start,
                    operation,
                    float(value),
                    status,
                    sources["en"],
                    at,
                    assumption,
                    sources=sources,
                )
            )
    return result


def _assumed_value(path: Any, unit: str, where: str) -> tuple[str, float]:
    """``assumption: PATH`` of a change: the path, checked, and its central value. Its
    whole range must fit the parameter (a share's within 0-1)."""
    if not isinstance(path, str):
        raise SimInputError(f"{where}: assumption must be an assumption path, not {path!r}")
    try:
        item = default_assumptions().assumption(path)  # an unknown path names the closest one
    except SimInputError as error:
        raise SimInputError(f"{where}: {error}") from None
    if not is_number(item.value) or item.low is None or item.high is None:
        raise SimInputError(f"{where}: assumption {path} is not a number with a range")
    if unit == "share" and not 0 <= item.low <= item.high <= 1:
        raise SimInputError(f"{where}: assumption {path} ranges outside 0-1; {unit} expected")
    return path, float(item.value)


def _check_range(unit: str, operation: str, value: float, is_table: bool, where: str) -> None:
    if operation == "scale":
        if value < 0:
            raise SimInputError(f"{where}: scale must not be negative")
        return
    if is_table:
        raise SimInputError(f"{where}: a table can only be scaled, not set to a number")
    if unit == "switch" and value not in (0.0, 1.0):
        raise SimInputError(f"{where}: a switch is 0 or 1, not {value}")
    if unit == "share" and not 0 <= value <= 1:
        raise SimInputError(f"{where}: a share must be between 0 and 1, not {value}")
    if value < 0:
        raise SimInputError(f"{where}: {value} is negative")


def _assumptions(data: LineDict, file: str) -> tuple[str, dict[str, float]]:
    spec = data["assumptions"]
    where = f"{file}:{data.line_of('assumptions')}"
    if not isinstance(spec, LineDict):
        raise SimInputError(
            f"{where}: assumptions must be a mapping with 'set' and optional 'values'"
        )
    for key in spec:
        if key not in ("set", "values"):
            raise SimInputError(
                f"{file}:{spec.line_of(key)}: unknown key {key!r}{closest_hint(str(key), ['set', 'values'])}"
            )
    assumption_set = spec.get("set", "central")
    if assumption_set not in ASSUMPTION_SETS:
        raise SimInputError(
            f"{file}:{spec.line_of('set')}: unknown assumption set {assumption_set!r}"
            f"{closest_hint(str(assumption_set), ASSUMPTION_SETS)}; use one of {', '.join(ASSUMPTION_SETS)}"
        )
    values = spec.get("values") or {}
    if not isinstance(values, dict):
        raise SimInputError(
            f"{file}:{spec.line_of('values')}: values must map an assumption path to a number"
        )
    base = default_assumptions()
    for path, value in values.items():
        try:
            base.with_values({path: value})
        except SimInputError as error:
            raise SimInputError(f"{file}:{values.line_of(path)}: {error}") from None
    return assumption_set, dict(values)


def _apply(tree: ParameterTree, change: Change) -> ParameterTree:
    parameter = tree.parameter(change.path)
    evidence = STATUSES[change.status]
    note = f"{change.operation} {change.value:g} from {change.start} by scenario ({change.where})"
    kept = [entry for entry in parameter.values if entry.start < change.start]
    if change.operation == "set":
        new = [
            DatedValue(
                change.start,
                change.value,
                change.source,
                _url(change),
                evidence,
                note,
                references=change.sources,
            )
        ]
    else:
        at_start = parameter.entry_at(change.start)
        later = [entry for entry in parameter.values if entry.start > change.start]
        new = [
            DatedValue(
                entry.start if entry is not at_start else change.start,
                _scale(entry.value, change.value),
                f"{entry.reference}; scaled by scenario: {change.source}",
                entry.url,
                evidence,
                note,
                references={
                    "sv": f"{entry.reference_text('sv')}; skalat av scenariot: "
                    f"{change.source_text('sv')}",
                    "en": f"{entry.reference}; scaled by scenario: {change.source}",
                },
            )
            for entry in [at_start, *later]
        ]
    entries = {entry.start: entry for entry in kept + new}
    replaced = dataclasses.replace(parameter, values=tuple(entries[d] for d in sorted(entries)))
    return tree.with_parameter(replaced)


def _scale(value: float | Table, factor: float) -> float | Table:
    if isinstance(value, Table):
        return Table(
            value.key, {k: c if k == value.key else c * factor for k, c in value.columns.items()}
        )
    return value * factor


def _url(change: Change) -> str:
    return (
        "https://github.com/ (scenario file "
        + change.where.rsplit(":", 1)[0].rsplit("/", 1)[-1]
        + ")"
    )
