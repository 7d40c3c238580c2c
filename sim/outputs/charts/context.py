"""What a chart's source line says (the :class:`ChartContext` of a run or sweep): who
computed what on which population, calibrated to which official statistics, with which
behaviour assumptions; and, for the typfall chart, the typfall household's comparison computed
by the caller (:func:`sim.calculator.typfall.typfall_comparison`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim import __version__
from sim.catalogue import labels
from sim.catalogue.labels import text as _t
from sim.outputs.charts.style import FOOTER_SIZE, wrap_to_figure
from sim.outputs.names import scenario_name, varied_text

if TYPE_CHECKING:
    from sim.calculator.household import HouseholdComparison


@dataclasses.dataclass(frozen=True)
class ChartContext:
    """What the source line names: code version, population, seed, year, assumption sets.

    ``assumption_sets`` maps each scenario name to the behaviour assumption set its
    behavioural run used (the ``/statisk`` runs use ``none``). ``population_year`` is the
    year the population was calibrated to (its official statistics), ``area`` the
    municipality a profile re-weighted it to. ``typfall`` is the typfall household's
    comparison the typfall chart draws, computed by the caller
    (:func:`sim.calculator.typfall.typfall_comparison`); the other charts do not use it.
    """

    version: str = ""
    population: str = ""
    seed: int | None = None
    year: int = 2027
    assumption_sets: Mapping[str, str] = dataclasses.field(default_factory=dict)
    replications: int | None = None
    varied: tuple[str, ...] = ()
    population_year: int | None = None
    area: str = ""
    typfall: HouseholdComparison | None = None

    @classmethod
    def from_manifest(
        cls, manifest: Mapping[str, Any], *, typfall: HouseholdComparison | None = None
    ) -> ChartContext:
        """The context recorded in an output folder's ``manifest.json``, with the typfall
        household's comparison when given."""
        population = (
            manifest.get("population_name") or Path(str(manifest.get("population") or "")).name
        )
        profile = manifest.get("kommun_profile") or {}
        year = manifest.get("population_year")
        return cls(
            version=str(manifest.get("version", "")),
            population=population,
            seed=manifest.get("seed"),
            year=int(manifest.get("year", 2027)),
            assumption_sets={
                s["name"]: s.get("assumption_set", "") for s in manifest.get("scenarios", [])
            },
            replications=manifest.get("n_replications"),
            varied=tuple(manifest.get("vary") or ()),
            population_year=int(year) if year is not None else None,
            area=str(profile.get("namn", "") or ""),
            typfall=typfall,
        )


def source_text(context: ChartContext | None, lang: str) -> str:
    """The source in words: who computed what on which population, calibrated to which
    official statistics (never a file name or a path)::

        Källa: egna beräkningar med sim 0.1.0 på syntetisk befolkning (2024, frö 1), år 2027;
        Socialstyrelsen (ekonomiskt bistånd 2024); SCB (befolkning, hushåll, ekonomisk standard).
    """
    ctx = context or ChartContext(version=__version__)
    version = ctx.version or __version__
    year = ctx.population_year
    if year is None and ctx.population[-4:].isdigit():
        year = int(ctx.population[-4:])
    inside = [str(year)] if year else []
    if ctx.seed is not None:
        inside.append(_t(lang, f"frö {ctx.seed}", f"seed {ctx.seed}"))
    if ctx.replications:
        inside.append(
            _t(lang, f"{ctx.replications} replikeringar", f"{ctx.replications} replications")
        )
    population = _t(lang, "syntetisk befolkning", "a synthetic population")
    if inside:
        population += f" ({', '.join(inside)})"
    if ctx.area:
        population += _t(lang, f" omviktad till {ctx.area}", f" re-weighted to {ctx.area}")
    bistand = f" {year}" if year else ""
    return _t(
        lang,
        f"Källa: egna beräkningar med sim {version} på {population}, år {ctx.year}; "
        f"Socialstyrelsen (ekonomiskt bistånd{bistand}); SCB (befolkning, hushåll, ekonomisk standard).",
        f"Source: own calculations with sim {version} on {population}, year {ctx.year}; "
        f"Socialstyrelsen (social assistance{bistand}); Statistics Sweden (population, "
        "households, economic standard).",
    )


def source_lines(context: ChartContext | None, lang: str, extra: str = "") -> str:
    ctx = context or ChartContext(version=__version__)
    sets: dict[str, list[str]] = {}
    for name, chosen in ctx.assumption_sets.items():
        if name != "baseline":
            sets.setdefault(chosen, []).append(scenario_name(name, lang))
    if sets:
        parts = "; ".join(
            f"{labels.assumption_set(chosen, lang)} ({', '.join(names)})"
            for chosen, names in sets.items()
        )
        assumptions = _t(
            lang,
            f"Beteende: antagandeuppsättning {parts}; statisk = utan beteendeeffekter.",
            f"Behaviour: assumption set {parts}; static = no behavioural response.",
        )
    else:
        assumptions = _t(
            lang,
            "Antagandeuppsättning: se rapportens manifest.",
            "Assumption set: see the report's manifest.",
        )
    lines = [f"{source_text(ctx, lang)} {assumptions}"]
    if extra:
        lines.append(extra)
    return wrap_to_figure("\n".join(lines), FOOTER_SIZE)


def replications_text(context: ChartContext | None, lang: str) -> str:
    n = context.replications if context and context.replications else None
    text = _t(
        lang,
        f"över {n} replikeringar" if n else "över replikeringarna",
        f"over {n} replications" if n else "over the replications",
    )
    if context and context.varied:
        text += f" ({varied_text(context.varied, lang)})"
    return text
