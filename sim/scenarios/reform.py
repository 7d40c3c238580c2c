"""A reform as data: ``{path: {date: value}}`` in Python, validated like a scenario file.

PolicyEngine's way of writing a reform, with this project's scenario rules: a law
parameter path maps dated values (each a ``set`` from that date, status ``proposal``); an
assumption path maps a number (an override of the assumption's central value). Unknown
paths name the closest valid one, values out of range are refused, exactly as in a scenario
file (:func:`sim.scenarios.scenario.scenario_from_mapping`); nothing is written to disk.

>>> from sim.scenarios.reform import Reform
>>> reform = Reform({"bidragstak.fourth_child_reduction_couple": {"2027-01-01": 0.5},
...                  "bidragstak.norm_cut_children": 0.0}, base="bidragstak")
>>> scenario = reform.scenario()
>>> import datetime as dt
>>> scenario.law(2027).resolve(dt.date(2027, 3, 1)).bidragstak.fourth_child_reduction_couple
0.5
>>> Reform({"bidragstak.fourth_child_reduction_coupel": {"2027-01-01": 0.5}}).scenario()
Traceback (most recent call last):
...
sim.common.errors.SimInputError: reform: unknown parameter path 'bidragstak.fourth_child_reduction_coupel' (did you mean 'bidragstak.fourth_child_reduction_couple'?)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sim.common.errors import SimInputError
from sim.law.assumptions import default_assumptions
from sim.law.parameters import is_number
from sim.scenarios.scenario import Scenario, scenario_from_mapping


@dataclasses.dataclass(frozen=True)
class Reform:
    """``spec``: law paths -> ``{date: value}``, assumption paths -> a number. ``base``: the
    scenario it changes (default the baseline); ``name`` and ``description`` label it in
    the results (its runs are ``name`` and, if behavioural, ``name/statisk``)."""

    spec: Mapping[str, Any]
    base: str = "baseline"
    name: str = "reform"
    description: str = "A reform given in Python (sim.Reform)"
    assumption_set: str | None = None
    source: str = "sim.Reform (Python)"

    def scenario(self) -> Scenario:
        """The validated :class:`sim.scenarios.scenario.Scenario`."""
        if not isinstance(self.spec, Mapping):
            raise SimInputError(f"reform: must be a mapping of paths, not {self.spec!r}")
        assumption_paths = {
            f"{concept}.{name}"
            for concept, group in default_assumptions().items.items()
            for name in group
        }
        changes: dict[str, Any] = {}
        values: dict[str, Any] = {}
        for path, value in self.spec.items():
            if path in assumption_paths:
                values[path] = value
            elif isinstance(value, Mapping):
                changes[path] = {
                    start: {"set": v, "status": "proposal", "source": self.source}
                    if is_number(v)
                    else v
                    for start, v in value.items()
                }
            elif is_number(value):  # an assumption path mistyped, or a law path without dates
                changes[path] = value
            else:
                raise SimInputError(
                    f"reform: {path} takes {{date: value}} (a law parameter) or a number "
                    f"(an assumption), not {value!r}"
                )
        data: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "base": self.base,
            "changes": changes,
        }
        if values or self.assumption_set is not None:
            data["assumptions"] = {
                "set": self.assumption_set or _base_set(self.base),
                "values": values,
            }
        return scenario_from_mapping(data, where="reform")


def _base_set(base: str) -> str:
    from sim.scenarios.scenario import load_scenario

    return load_scenario(base).assumption_set


def as_scenario(reform: Reform | Mapping[str, Any]) -> Scenario:
    """A :class:`Reform` or its plain ``spec`` as a scenario."""
    return (reform if isinstance(reform, Reform) else Reform(reform)).scenario()
