"""The household calculator: one household's försörjningsstöd, step by step, with sources.

:func:`calculate` builds a one-household input, runs the same engine as the population runs
(``sim.engine.pipeline.compute``) and returns a :class:`HouseholdCalculation` whose ``steps`` walk the
calculation in the order of the law, each with the legal source of its amount. ``sim
household`` prints it; ``--json`` prints :meth:`HouseholdCalculation.to_dict`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import numbers
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.catalogue import labels
from sim.common import validate
from sim.common.errors import SimInputError
from sim.engine.entities import (
    MAX_PERSONS_PER_HOUSEHOLD,
    Persons,
    households_from_columns,
    persons_from_columns,
)
from sim.engine.pipeline import MonthResult, compute
from sim.law.assumptions import default_assumptions
from sim.law.parameters import ParameterTree, Params, closest_hint
from sim.law.projection import housing_limit_uprating
from sim.rules import aktivitetskrav, jobbpremie
from sim.scenarios.scenario import Scenario, load_scenario

#: Incomes that ``other_income`` may name, per adult, SEK/month.
OTHER_INCOMES = {
    "a_kassa": "arbetslöshetsersättning (taxable)",
    "aktivitetsstod": "aktivitetsstöd or utvecklingsersättning (taxable)",
    "sjukpenning": "sjukpenning (taxable)",
    "sjukersattning": "sjukersättning or aktivitetsersättning (taxable)",
    "foraldrapenning": "föräldrapenning (taxable)",
    "pension": "ålderspension (taxable)",
    "etableringsersattning": "etableringsersättning (tax free)",
    "other_taxable": "other taxable income",
    "other_tax_free": "other tax-free income counted by FS, e.g. underhållsbidrag",
}

#: Children of these ages eat lunch in förskola when ``preschool_lunch`` is set.
PRESCHOOL_AGES = range(1, 7)


@dataclasses.dataclass(frozen=True)
class HouseholdSpec:
    """One biståndshushåll as a user describes it.

    ``other_income`` maps a name of :data:`OTHER_INCOMES` to an amount for the first adult,
    or ``name.2`` for the second adult. ``underhallsstod`` None means: paid for every child
    of a single parent (the usual case when the other parent does not pay), else as given.
    Costs left as None take the defaults in sim/law/assumptions/skaliga_kostnader.yaml.
    ``norm_topup`` is an amount granted above the norm today (särskilda skäl);
    ``jobbpremie_eligible`` says the adults had FS every month July-December 2025.
    ``child_earnings`` and ``child_earnings_year_to_date`` are per child (in the order of
    ``child_ages``): this month's gross earnings and earnings earlier in the calendar year.
    """

    adults: int = 1
    adult_ages: tuple[int, ...] = (35,)
    child_ages: tuple[int, ...] = ()
    preschool_lunch: bool = False
    housing_cost: float = 0.0
    earnings: tuple[float, ...] = ()
    child_earnings: tuple[float, ...] = ()
    child_earnings_year_to_date: tuple[float, ...] = ()
    other_income: Mapping[str, float] = dataclasses.field(default_factory=dict)
    months_on_fs: int = 0
    jobbstimulans_months_used: int = 0
    underhallsstod: bool | None = None
    hushallsel: float | None = None
    hemforsakring: float | None = None
    arbetsresor: float = 0.0
    fack_akassa: float = 0.0
    housing_limit_factor: float = 1.0
    norm_topup: float = 0.0
    jobbpremie_eligible: bool = False

    def checked(self) -> HouseholdSpec:
        """The spec with defaults filled in, or :class:`SimInputError` naming the problem.

        Types and bounds are those of :mod:`sim.common.validate` (shared by the CLI and the API)."""
        if isinstance(self.adults, bool) or not isinstance(self.adults, numbers.Integral):
            raise SimInputError(f"adults must be the whole number 1 or 2, not {self.adults!r}")
        if self.adults not in (1, 2):
            raise SimInputError(f"adults must be 1 or 2 (a biståndshushåll), not {self.adults}")
        self = dataclasses.replace(
            self,
            adult_ages=validate.check_ages("adult_ages", self.adult_ages),
            child_ages=validate.check_ages("child_ages", self.child_ages),
        )
        for name, amounts in (  # checked here, kept as given
            ("earnings", self.earnings),
            ("child earnings", self.child_earnings),
            ("child earnings so far", self.child_earnings_year_to_date),
        ):
            validate.check_amounts(name, amounts)
        if not isinstance(self.other_income, Mapping):
            raise SimInputError(
                f"other_income must be a mapping name -> amount, not {self.other_income!r}"
            )
        for name in ("preschool_lunch", "jobbpremie_eligible"):
            validate.check_flag(name, getattr(self, name))
        validate.check_flag("underhallsstod", self.underhallsstod, optional=True)
        for name in ("months_on_fs", "jobbstimulans_months_used"):
            validate.check_integer(name, getattr(self, name), low=0, high=validate.MAX_MONTHS)
        if isinstance(self.housing_limit_factor, bool) or not isinstance(
            self.housing_limit_factor, numbers.Real
        ):
            raise SimInputError(
                f"housing_limit_factor must be a number, not {self.housing_limit_factor!r}"
            )
        adult_ages = tuple(self.adult_ages)
        if len(adult_ages) == 1 and self.adults == 2:
            adult_ages = adult_ages * 2
        if len(adult_ages) != self.adults:
            raise SimInputError(
                f"{self.adults} adult(s) need {self.adults} adult age(s), got {len(adult_ages)}"
            )
        for age in adult_ages:
            if not 18 <= age <= 110:
                raise SimInputError(f"adult age {age} is not possible (18-110)")
        for age in self.child_ages:
            if not 0 <= age <= 20:
                raise SimInputError(f"child age {age} is not possible (0-20; 19-20 only in school)")
        if self.adults + len(self.child_ages) > MAX_PERSONS_PER_HOUSEHOLD:
            raise SimInputError(
                f"{len(self.child_ages)} children is not a possible household "
                f"(at most {MAX_PERSONS_PER_HOUSEHOLD} persons)"
            )
        earnings = tuple(self.earnings) or (0.0,) * self.adults
        if len(earnings) != self.adults:
            raise SimInputError(
                f"{self.adults} adult(s) need {self.adults} earnings amount(s), got {len(earnings)}"
            )
        for name, amount in self.other_income.items():
            if not isinstance(name, str):
                raise SimInputError(f"other_income names must be texts, not {name!r}")
            base, _, which = name.partition(".")
            if base not in OTHER_INCOMES or which not in ("", "1", "2"):
                raise SimInputError(
                    f"unknown income {name!r}{closest_hint(base, OTHER_INCOMES)}; "
                    f"known: {', '.join(OTHER_INCOMES)} (add .2 for the second adult)"
                )
            if which == "2" and self.adults < 2:
                raise SimInputError(
                    f"income {name!r} is for a second adult, but there is one adult"
                )
            validate.check_amount(name, amount, bound="other_income")
        for name in (
            "housing_cost",
            "arbetsresor",
            "fack_akassa",
            "hushallsel",
            "hemforsakring",
            "norm_topup",
        ):
            value = getattr(self, name)
            if value is not None or name not in ("hushallsel", "hemforsakring"):
                validate.check_amount(name, value)
        child_earnings = tuple(self.child_earnings) or (0.0,) * len(self.child_ages)
        child_ytd = tuple(self.child_earnings_year_to_date) or (0.0,) * len(self.child_ages)
        for name, values in (
            ("child earnings", child_earnings),
            ("child earnings so far", child_ytd),
        ):
            if len(values) != len(self.child_ages):
                raise SimInputError(
                    f"{len(self.child_ages)} child(ren) need as many {name}, got {len(values)}"
                )
        for i in range(self.adults):  # the tax tables grow with a person's total income
            whose = ("2",) if i == 1 else ("", "1")
            own = [a for n, a in self.other_income.items() if n.partition(".")[2] in whose]
            validate.check_person_income(f"adult {i + 1}", [earnings[i], *own])
        if not 0 < self.housing_limit_factor <= 5:
            raise SimInputError("housing_limit_factor must be in (0, 5]")
        return dataclasses.replace(
            self,
            adult_ages=adult_ages,
            earnings=earnings,
            child_earnings=child_earnings,
            child_earnings_year_to_date=child_ytd,
        )


@dataclasses.dataclass(frozen=True)
class Step:
    """One line of the calculation: what, how much, where the amount comes from (source
    keys of :attr:`HouseholdCalculation.sources`) and a note when a rule limits it."""

    key: str
    label: str
    amount: float
    sources: tuple[str, ...] = ()
    note: str = ""


#: The unit of every amount of a calculation (:meth:`HouseholdCalculation.to_dict`,
#: ``units``); an amount not listed is SEK/month.
AMOUNT_UNITS = {
    "aktivitetskrav_covered_adults": "persons",
    "aktivitetskrav_hours_week": "hours/week",
}


def amount_unit(key: str) -> str:
    """The unit of the amount ``key``: ``SEK/month`` unless :data:`AMOUNT_UNITS` says else."""
    return AMOUNT_UNITS.get(key, "SEK/month")


@dataclasses.dataclass(frozen=True)
class HouseholdCalculation:
    """The calculation for one household and month (amounts SEK/month)."""

    date: dt.date
    scenario: str
    spec: HouseholdSpec
    steps: tuple[Step, ...]
    amounts: Mapping[str, float]
    sources: Mapping[str, Mapping[str, str]]

    def __getitem__(self, key: str) -> float:
        return self.amounts[key]

    def step(self, key: str) -> Step | None:
        """The step ``key`` if it is shown, else None."""
        return next((s for s in self.steps if s.key == key), None)

    def part(self) -> dict[str, Any]:
        """This scenario's part of the JSON document: ``scenario``, ``amounts`` (every
        amount, rounded to öre), ``steps`` and ``sources`` (only those of the steps shown)."""
        return {
            "scenario": self.scenario,
            "amounts": {key: round(value, 2) for key, value in self.amounts.items()},
            "steps": [
                {
                    "key": s.key,
                    "label": s.label,
                    "amount": round(s.amount, 2),
                    "sources": list(s.sources),
                    "note": s.note or None,
                }
                for s in self.steps
            ],
            "sources": {key: dict(value) for key, value in self.sources.items()},
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``sim household --json`` (docs/outputs.md): ``date``,
        ``household`` (the inputs, defaults filled in), ``units`` (of every amount) and the
        calculation under ``baseline`` (current law) or, for any other scenario, ``reform``
        -- the same shape as :meth:`HouseholdComparison.to_dict` without the other side."""
        role = "baseline" if self.scenario == "baseline" else "reform"
        return {
            "date": self.date.strftime("%Y-%m"),
            "household": _spec_dict(self.spec),
            "units": {key: amount_unit(key) for key in self.amounts},
            role: self.part(),
        }

    def to_text(self) -> str:
        """The calculation as text, step by step, with the source of each amount."""
        lines = [
            f"Försörjningsstöd {month_text(self.date)}: {scenario_text(self.scenario)}",
            f"Hushåll: {household_text(self.spec)}",
            "",
        ]
        width = min(max(len(step.label) for step in self.steps), 60)
        for step in self.steps:
            lines.append(f"  {step.label:<{width}}  {_kr(step.amount):>10} kr")
            for source in step.sources:
                lines.append(f"  {'':<{width}}    [{source_text(self.sources[source])}]")
            if step.note:
                lines.append(f"  {'':<{width}}    {step.note}")
        lines += ["", *sources_text(self.sources)]
        return "\n".join(lines)


def _spec_dict(spec: HouseholdSpec) -> dict[str, Any]:
    data = dataclasses.asdict(spec)
    data["other_income"] = dict(spec.other_income)
    data["adult_ages"] = list(spec.adult_ages)
    data["child_ages"] = list(spec.child_ages)
    data["earnings"] = list(spec.earnings)
    return data


# ---------------------------------------------------------------- the words of the text

#: The names of the calculator's own assumption steps (``assumption.<step>``), which are not
#: paths of a parameter or assumption file; every other rule is named by its file's title
#: (:func:`sim.catalogue.labels.law_title`).
_RULE_TITLES: dict[str, tuple[str, str]] = {
    "assumption.housing_limit": (
        "skälig boendekostnad (antagande)",
        "reasonable housing cost (assumption)",
    ),
    "assumption.hushallsel": ("hushållsel (antagande)", "household electricity (assumption)"),
    "assumption.hemforsakring": ("hemförsäkring (antagande)", "home insurance (assumption)"),
}


def rule_title(path: str, lang: str = "sv") -> str:
    """A rule or parameter (``bidragstak.modernised_riksnorm``) in words: its title in its
    YAML file (:func:`sim.catalogue.labels.law_title`), or one of :data:`_RULE_TITLES`;
    a path of a user's own scenario that neither knows is shown as it is."""
    try:
        return labels.law_title(path, lang)
    except KeyError:
        pass
    if path in _RULE_TITLES:
        sv, en = _RULE_TITLES[path]
        return labels.text(lang, sv, en)
    return path


def month_text(when: dt.date, lang: str = "sv") -> str:
    """``mars 2026`` (``March 2026``)."""
    return f"{labels.group_value('månad', str(when.month), lang)} {when.year}"


def scenario_text(name: str, lang: str = "sv") -> str:
    """A scenario in words (its title: ``Nuvarande regler``, ``Bidragstak``)."""
    return labels.scenario(name, lang)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} och {items[-1]}"


def household_text(spec: HouseholdSpec) -> str:
    """``2 vuxna (38 och 40 år), 5 barn (3, 6, 9, 12 och 15 år)``, ``1 vuxen (35 år), inga barn``."""
    adults = "1 vuxen" if spec.adults == 1 else f"{spec.adults} vuxna"
    text = f"{adults} ({_and([str(a) for a in spec.adult_ages])} år)"
    if not spec.child_ages:
        return f"{text}, inga barn"
    text += f", {len(spec.child_ages)} barn ({_and([str(a) for a in spec.child_ages])} år)"
    if spec.preschool_lunch and any(a in PRESCHOOL_AGES for a in spec.child_ages):
        text += ", barnen 1-6 år äter lunch i förskolan"
    return text


def source_text(entry: Mapping[str, str]) -> str:
    """One source as a step cites it: ``SFS 2025:1046 (...); lag``."""
    return f"{entry['reference']}; {labels.evidence(entry.get('evidence', ''))}"


def sources_text(sources: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The sources' addresses, each with the rules that cite it in words."""
    by_url: dict[str, list[str]] = {}
    for key, entry in sources.items():
        titles = by_url.setdefault(entry.get("url") or "–", [])
        title = rule_title(key)
        if title not in titles:
            titles.append(title)
    lines = ["Källor:"]
    for url, titles in by_url.items():
        lines.append(f"  {'; '.join(titles)}:")
        lines.append(f"    {url}")
    return lines


def parse_month(text: str | dt.date) -> dt.date:
    """``YYYY-MM`` (or a real ``YYYY-MM-DD``, or a date) to the first day of that month
    (:func:`sim.common.validate.parse_month`)."""
    return validate.parse_month(text)


def calculate(
    spec: HouseholdSpec,
    *,
    date: dt.date | str,
    scenario: str | Scenario = "baseline",
) -> HouseholdCalculation:
    """Försörjningsstöd for one household in the month of ``date`` under one scenario.

    >>> calc = calculate(HouseholdSpec(adults=1, adult_ages=(30,)), date="2026-03")
    >>> calc["riksnorm"]
    5220.0
    """
    when = parse_month(date)
    chosen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return _run(spec.checked(), when, chosen, chosen.law(when.year))


def compare(
    spec: HouseholdSpec, *, date: dt.date | str, scenario: str | Scenario
) -> HouseholdComparison:
    """Baseline and reform side by side, and which rule changed how much.

    The reform's changes are added one parameter at a time, in the order of the scenario
    file; each step's change of försörjningsstöd and of total support is attributed to
    that parameter (so the steps add up to the whole change).
    """
    when = parse_month(date)
    reform = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    baseline = load_scenario("baseline")
    spec = spec.checked()
    base_result = _run(spec, when, baseline, baseline.law(when.year))
    reform_law = reform.law(when.year)
    reform_result = _run(spec, when, reform, reform_law)
    reform_params = reform_law.resolve(when)
    base_params = baseline.law(when.year).resolve(when)
    steps = []
    previous = base_result
    own = [c for c in reform.changes if c not in baseline.changes]
    paths = list(dict.fromkeys(change.path for change in own))
    for i, path in enumerate(paths):
        partial = dataclasses.replace(
            reform,
            changes=tuple(
                c for c in reform.changes if c in baseline.changes or c.path in paths[: i + 1]
            ),
        )
        result = _run(spec, when, partial, partial.law(when.year))
        steps.append(
            RuleEffect(
                path=path,
                forsorjningsstod=result["forsorjningsstod"] - previous["forsorjningsstod"],
                total_support=result["total_support"] - previous["total_support"],
                source=_rule_source(path, reform_params, base_params),
                hours_week=result["aktivitetskrav_hours_week"]
                - previous["aktivitetskrav_hours_week"],
            )
        )
        previous = result
    return HouseholdComparison(baseline=base_result, reform=reform_result, effects=tuple(steps))


@dataclasses.dataclass(frozen=True)
class RuleEffect:
    """The change one reform parameter makes, given the ones before it (SEK/month), and
    the source of the parameter's value in the reform."""

    path: str
    forsorjningsstod: float
    total_support: float
    source: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: The change of the hours of activity a week the aktivitetskrav asks of the adults.
    hours_week: float = 0.0

    @property
    def has_effect(self) -> bool:
        """Whether it changed this household's FS or total support by at least 0.50 kr, or
        the hours of activity asked of it."""
        return (
            abs(self.forsorjningsstod) >= 0.5
            or abs(self.total_support) >= 0.5
            or abs(self.hours_week) >= 0.05
        )


@dataclasses.dataclass(frozen=True)
class HouseholdComparison:
    """One household under the baseline and a reform."""

    baseline: HouseholdCalculation
    reform: HouseholdCalculation
    effects: tuple[RuleEffect, ...]

    @property
    def change(self) -> dict[str, float]:
        return {
            key: self.reform.amounts[key] - self.baseline.amounts[key]
            for key in self.reform.amounts
        }

    @property
    def sources(self) -> dict[str, Mapping[str, str]]:
        """The sources of the steps shown under either scenario and of the reform's rules
        that changed something for this household."""
        sources = {**self.baseline.sources, **self.reform.sources}
        for effect in self.effects:
            if effect.has_effect and effect.source:
                sources.setdefault(effect.path, effect.source)
        return sources

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (docs/outputs.md): ``date``, ``household``, ``units``, then
        ``baseline`` and ``reform`` in the same shape, ``change`` (reform − baseline of
        every amount, of the rounded values) and ``effects`` (each rule in turn)."""
        base, reform = self.baseline.part(), self.reform.part()
        return {
            "date": self.reform.date.strftime("%Y-%m"),
            "household": _spec_dict(self.reform.spec),
            "units": {key: amount_unit(key) for key in self.reform.amounts},
            "baseline": base,
            "reform": reform,
            "change": {
                key: round(reform["amounts"][key] - base["amounts"][key], 2)
                for key in reform["amounts"]
            },
            "effects": [
                {
                    "rule": effect.path,
                    "title": rule_title(effect.path),
                    "forsorjningsstod": round(effect.forsorjningsstod, 2),
                    "total_support": round(effect.total_support, 2),
                    "aktivitetskrav_hours_week": round(effect.hours_week, 2),
                }
                for effect in self.effects
            ],
        }

    def to_text(self) -> str:
        """Baseline and reform side by side, then the effect of each rule, then the sources."""
        base, reform = self.baseline, self.reform
        steps = _merged_steps(base.steps, reform.steps)
        total = "Totalt stöd (FS, barnbidrag, bostadsbidrag, underhållsstöd, jobbpremie)"
        width = min(max(len(total), *(len(s.label) for s in steps)), 72)
        lines = [
            f"{scenario_text(reform.scenario)} jämfört med {scenario_text('baseline').lower()}, "
            f"{month_text(reform.date)} (kronor per månad)",
            f"Hushåll: {household_text(reform.spec)}",
            "",
            f"  {'':<{width}}{'nuvarande':>11}{'reform':>11}{'skillnad':>11}",
        ]
        for step in steps:
            sign = -1 if step.key == "jobbstimulans_disregard" else 1
            before = sign * base.amounts.get(step.key, 0.0)
            after = sign * reform.amounts[step.key]
            lines.append(
                f"  {step.label:<{width}}{_kr(before):>11}{_kr(after):>11}"
                f"{_kr(after - before, signed=True):>11}"
            )
            notes = dict.fromkeys(
                s.note for s in (base.step(step.key), reform.step(step.key)) if s and s.note
            )
            lines += [f"  {'':<4}{note}" for note in notes]
        lines.append(
            f"  {total:<{width}}{_kr(base['total_support']):>11}{_kr(reform['total_support']):>11}"
            f"{_kr(reform['total_support'] - base['total_support'], signed=True):>11}"
        )
        shown = [e for e in self.effects if e.has_effect]
        idle = [e for e in self.effects if not e.has_effect]
        lines += ["", "Vilken regel ändrade vad (i tur och ordning):"]
        rule_width = max((len(rule_title(e.path)) for e in shown), default=0)
        for effect in shown:
            line = (
                f"  {rule_title(effect.path):<{rule_width}}"
                f"  FS {_kr(effect.forsorjningsstod, signed=True):>8}"
                f"   totalt stöd {_kr(effect.total_support, signed=True):>8}"
            )
            if abs(effect.hours_week) >= 0.05:
                hours = f"{effect.hours_week:+.0f}".replace("-", "−")
                line += f"   aktivitet {hours} timmar per vecka"
            lines.append(line)
        if not shown:
            lines.append("  ingen: reformen ändrar inget för detta hushåll")
        if idle:
            names = "; ".join(rule_title(e.path) for e in idle)
            lines += textwrap.wrap(
                f"Utan verkan för detta hushåll: {names}.",
                width=100,
                initial_indent="  ",
                subsequent_indent="    ",
            )
        lines += ["", *sources_text(self.sources)]
        return "\n".join(lines)


def _merged_steps(first: Sequence[Step], second: Sequence[Step]) -> list[Step]:
    """The steps of either calculation in the order of the law (:data:`STEP_KEYS`), a
    step shown under one scenario only (a top-up the reform removes) included."""
    steps = {s.key: s for s in first}
    steps.update({s.key: s for s in second})
    return sorted(steps.values(), key=lambda s: STEP_KEYS.index(s.key))


def _kr(value: float, *, signed: bool = False) -> str:
    """Whole kronor, space as thousands separator, the minus sign U+2212: ``−1 434``."""
    rounded = round(value)
    text = f"{abs(rounded):,.0f}".replace(",", " ")
    if rounded < 0:
        return "−" + text
    return ("+" + text) if signed and rounded > 0 else text


def _run(
    spec: HouseholdSpec, when: dt.date, scenario: Scenario, law: ParameterTree
) -> HouseholdCalculation:
    params = law.resolve(when)
    assumptions = scenario.assumptions()
    defaults = assumptions.skaliga_kostnader
    n_persons = spec.adults + len(spec.child_ages)
    defaulted = {name for name in ("hushallsel", "hemforsakring") if getattr(spec, name) is None}
    hushallsel = spec.hushallsel
    if hushallsel is None:
        hushallsel = float(defaults.hushallsel.lookup("amount", n_persons))
    hemforsakring = spec.hemforsakring if spec.hemforsakring is not None else defaults.hemforsakring
    spec = dataclasses.replace(spec, hushallsel=hushallsel, hemforsakring=hemforsakring)
    # The reasonable-housing table is at 2024 prices; carry it to the month's year.
    limit = spec.housing_limit_factor * housing_limit_uprating(when.year, assumptions)
    persons, households = _inputs(dataclasses.replace(spec, housing_limit_factor=limit))
    result = compute(persons, households, params, assumptions)
    reforms = _reform_rules(spec, persons, result, params, assumptions)
    return _calculation(
        spec, when, scenario.name, result, params, defaulted=defaulted, reforms=reforms
    )


def _reform_rules(
    spec: HouseholdSpec, persons: Persons, result: MonthResult, params: Params, assumptions: Any
) -> dict[str, float]:
    """Jobbpremie and aktivitetskrav coverage for the household this month."""
    has_fs = bool(result.forsorjningsstod[0] > 0)
    is_adult = ~persons.is_child
    premium = jobbpremie.jobbpremie(
        earnings=persons.earnings_gross,
        is_eligible=is_adult & spec.jobbpremie_eligible,
        household_has_fs=np.full(persons.n, has_fs),
        months_used=np.zeros(persons.n),
        p=params.jobbpremie,
    )
    exempt = aktivitetskrav.persons_exempt(
        persons, is_sick_certified=np.zeros(persons.n, dtype=bool), p=params.aktivitetskrav
    )
    covered = aktivitetskrav.is_covered(
        months_on_fs=np.full(persons.n, spec.months_on_fs),
        on_fs=np.full(persons.n, has_fs),
        exempt=exempt,
        p=params.aktivitetskrav,
    )
    hours = aktivitetskrav.required_hours_week(
        earnings=persons.earnings_gross,
        covered=covered,
        full_time_hours=assumptions.aktivitetskrav.full_time_hours_week,
        full_time_earnings=params.aktivitetskrav.full_time_earnings,
    )
    return {
        "jobbpremie": float(premium.sum()),
        "aktivitetskrav_covered_adults": float(covered.sum()),
        "aktivitetskrav_hours_week": float(hours.sum()),
    }


def _inputs(spec: HouseholdSpec):
    n_adults = spec.adults
    ages = list(spec.adult_ages) + list(spec.child_ages)
    n = len(ages)
    is_child = np.array([False] * n_adults + [True] * len(spec.child_ages))
    age = np.array(ages, dtype=float)
    single_parent = n_adults == 1 and len(spec.child_ages) > 0
    receives_uhs = single_parent if spec.underhallsstod is None else spec.underhallsstod
    columns: dict[str, Any] = {
        "household_idx": np.zeros(n, dtype=np.int64),
        "age": age,
        "is_child": is_child,
        "is_in_school": is_child & (age >= 16),
        "has_preschool_lunch": is_child & np.isin(age, list(PRESCHOOL_AGES)) & spec.preschool_lunch,
        "receives_underhallsstod": is_child & receives_uhs,
        "earnings_gross": np.array(list(spec.earnings) + list(spec.child_earnings)),
        "earnings_year_to_date": np.array(
            [0.0] * n_adults + list(spec.child_earnings_year_to_date)
        ),
    }
    for name, amount in spec.other_income.items():
        base, _, which = name.partition(".")
        column = columns.setdefault(base, np.zeros(n))
        column[1 if which == "2" else 0] += amount
    persons = persons_from_columns(**columns)
    households = households_from_columns(
        is_cohabiting=[n_adults == 2],
        housing_cost=[spec.housing_cost],
        hushallsel=[spec.hushallsel],
        hemforsakring=[spec.hemforsakring],
        arbetsresor=[spec.arbetsresor],
        fack_akassa=[spec.fack_akassa],
        housing_limit_factor=[spec.housing_limit_factor],
        norm_topup=[spec.norm_topup],
        months_on_fs=[spec.months_on_fs],
        jobbstimulans_months_used=[spec.jobbstimulans_months_used],
        takes_up_fs=[True],
    )
    return persons, households


def _calculation(
    spec: HouseholdSpec,
    when: dt.date,
    scenario: str,
    r: MonthResult,
    params: Params,
    *,
    defaulted: set[str],
    reforms: dict[str, float],
) -> HouseholdCalculation:
    def one(values: np.ndarray) -> float:
        return float(values[0])

    def cite(*paths: str) -> tuple[str, ...]:
        """Source keys of a step; resolved only for the steps shown (below)."""
        return paths

    def cite_assumption(key: str) -> tuple[str, ...]:
        return (key,)

    barnbidrag_total = one(r.barnbidrag) + one(r.flerbarnstillagg)
    amounts = {
        "riksnorm_personal_adults": one(r.riksnorm_personal_adults),
        "riksnorm_personal_children": one(r.riksnorm_personal_children),
        "riksnorm_common": one(r.riksnorm_common),
        "riksnorm": one(r.riksnorm),
        "modernisation_reduction": one(r.modernisation_reduction),
        "fourth_child_reduction": one(r.fourth_child_reduction),
        "norm_topup": one(r.norm_topup),
        "housing_cost": spec.housing_cost,
        "housing_limit": one(r.housing_limit),
        "housing_counted": one(r.housing_counted),
        "hushallsel": float(spec.hushallsel),
        "hemforsakring": float(spec.hemforsakring),
        "arbetsresor": spec.arbetsresor,
        "fack_akassa": spec.fack_akassa,
        "reasonable_costs": one(r.reasonable_costs),
        "gross_income": one(r.gross_income),
        "income_tax": one(r.income_tax),
        "net_earnings": one(r.net_earnings),
        "net_other_income": one(r.net_other_income),
        "barnbidrag": barnbidrag_total,
        "barnbidrag_base": one(r.barnbidrag),
        "flerbarnstillagg": one(r.flerbarnstillagg),
        "underhallsstod": one(r.underhallsstod),
        "bostadsbidrag": one(r.bostadsbidrag),
        "tillaggsbidrag": one(r.tillaggsbidrag),
        "jobbstimulans_disregard": one(r.jobbstimulans_disregard),
        "counted_child_earnings": one(r.counted_child_earnings),
        "counted_income": one(r.counted_income),
        "fs_entitlement": one(r.fs_entitlement),
        "forsorjningsstod": one(r.forsorjningsstod),
        "sou_cap_reduction": one(r.sou_cap_reduction),
        "jobbpremie": reforms["jobbpremie"],
        "disposable_income": one(r.disposable_income) + reforms["jobbpremie"],
        "total_support": one(r.total_support) + reforms["jobbpremie"],
        "aktivitetskrav_covered_adults": reforms["aktivitetskrav_covered_adults"],
        "aktivitetskrav_hours_week": reforms["aktivitetskrav_hours_week"],
    }
    child_sources = ("riksnorm.personal_cost_child",) if spec.child_ages else ()
    adult_source = "riksnorm.adults_cohabiting" if spec.adults == 2 else "riksnorm.adult_single"
    has_children = bool(spec.child_ages)
    # The income tax is cited where a taxed income is shown: earnings first.
    taxed = amounts["income_tax"] > 0 and "inkomstskatt" in params.sections
    tax_on_earnings = taxed and amounts["net_earnings"] > 0
    tax_source = ("inkomstskatt.kommunal_rate",)
    steps = [
        Step(
            "riksnorm_personal_adults",
            "Personliga kostnader, vuxna",
            amounts["riksnorm_personal_adults"],
            cite(adult_source),
        ),
        Step(
            "riksnorm_personal_children",
            "Personliga kostnader, barn",
            amounts["riksnorm_personal_children"],
            cite(*child_sources),
        ),
        Step(
            "riksnorm_common",
            "Gemensamma hushållskostnader",
            amounts["riksnorm_common"],
            cite("riksnorm.common_cost"),
        ),
        Step("riksnorm", "= Riksnorm", amounts["riksnorm"]),
        Step("norm_topup", "Utöver normen (särskilda skäl)", amounts["norm_topup"]),
        *_housing_steps(amounts, cite_assumption),
        Step(
            "hushallsel",
            "Hushållsel",
            amounts["hushallsel"],
            cite_assumption("assumption.hushallsel") if "hushallsel" in defaulted else (),
        ),
        Step(
            "hemforsakring",
            "Hemförsäkring",
            amounts["hemforsakring"],
            cite_assumption("assumption.hemforsakring") if "hemforsakring" in defaulted else (),
        ),
        Step("arbetsresor", "Arbetsresor", amounts["arbetsresor"]),
        Step("fack_akassa", "Fack- och a-kasseavgift", amounts["fack_akassa"]),
        Step(
            "reasonable_costs",
            "= Skäliga kostnader (SoL 12 kap. 7 § 2)",
            amounts["reasonable_costs"],
        ),
        Step(
            "net_earnings",
            "Lön efter skatt, vuxna",
            amounts["net_earnings"],
            tax_source if tax_on_earnings else (),
        ),
        Step(
            "net_other_income",
            "Andra inkomster efter skatt, vuxna",
            amounts["net_other_income"],
            tax_source if taxed and not tax_on_earnings else (),
        ),
        Step(
            "barnbidrag",
            "Barnbidrag inkl. flerbarnstillägg",
            amounts["barnbidrag"],
            cite("barnbidrag.amount_per_child")
            + (cite("barnbidrag.flerbarnstillagg") if amounts["flerbarnstillagg"] else ()),
        ),
        Step(
            "underhallsstod",
            "Underhållsstöd",
            amounts["underhallsstod"],
            cite("underhallsstod.amount"),
        ),
        Step(
            "bostadsbidrag",
            "Bostadsbidrag",
            amounts["bostadsbidrag"],
            cite(
                "bostadsbidrag.housing_cost_cap",
                "bostadsbidrag.sarskilt_bidrag",
                "bostadsbidrag.reduction_rate",
            ),
        ),
        Step(
            "tillaggsbidrag",
            "Tillfälligt tilläggsbidrag",
            amounts["tillaggsbidrag"],
            cite("bostadsbidrag.tillaggsbidrag_share"),
        ),
        Step(
            "jobbstimulans_disregard",
            "− Jobbstimulans (ej medräknat)",
            -amounts["jobbstimulans_disregard"],
            cite("jobbstimulans.disregarded_share"),
        ),
        Step(
            "counted_child_earnings",
            "Barns inkomst över ett prisbasbelopp",
            amounts["counted_child_earnings"],
            cite("barns_inkomster.exempt_prisbasbelopp", "prisbasbelopp.prisbasbelopp"),
        ),
        Step("counted_income", "= Inkomster som räknas", amounts["counted_income"]),
        Step(
            "sou_cap_reduction",
            "− Tak enligt SOU 2025:15 modell A",
            -amounts["sou_cap_reduction"],
            cite("bidragstak.sou_cap_share", "bidragstak.sou_cap_reference_wage"),
        ),
        Step(
            "forsorjningsstod",
            "Försörjningsstöd = max(0, norm + kostnader − inkomster)",
            amounts["forsorjningsstod"],
        ),
        Step(
            "jobbpremie",
            "Jobbpremie (staten, skattefri)",
            amounts["jobbpremie"],
            cite("jobbpremie.rate", "jobbpremie.max_sek_month"),
        ),
        Step("disposable_income", "Disponibel inkomst", amounts["disposable_income"]),
        Step(
            "aktivitetskrav_hours_week",
            "Aktivitetskrav, timmar per vecka (vuxna)",
            amounts["aktivitetskrav_hours_week"],
            cite("aktivitetskrav.required_months"),
        ),
    ]
    # A step is shown when it applies to this household: the optional ones only when not
    # zero, the benefits for children only with children; only the shown steps' sources
    # are listed.
    steps = [
        s
        for s in steps
        if not (s.key in _OPTIONAL_STEPS and s.amount == 0)
        and not (s.key in _CHILD_STEPS and not has_children and s.amount == 0)
    ]
    sources = {key: _source_entry(key, params) for step in steps for key in step.sources}
    return HouseholdCalculation(
        date=when,
        scenario=scenario,
        spec=spec,
        steps=tuple(steps),
        amounts=amounts,
        sources=sources,
    )


def _housing_steps(amounts: Mapping[str, float], cite_assumption: Any) -> list[Step]:
    """The housing cost asked for, the reasonable level (skälig boendekostnad) and what is
    counted, with a note when the level binds; one line when there is no housing cost."""
    cost, limit, counted = (
        amounts["housing_cost"],
        amounts["housing_limit"],
        amounts["housing_counted"],
    )
    if cost <= 0:
        return [Step("housing_counted", "Boendekostnad", counted)]
    note = ""
    if cost - counted >= 0.5:
        note = (
            f"Obs: boendekostnaden är {_kr(cost - counted)} kr över den skäliga "
            f"boendekostnaden; bara {_kr(counted)} kr räknas."
        )
    return [
        Step("housing_cost", "Boendekostnad enligt ansökan (hyra eller avgift)", cost),
        Step(
            "housing_limit",
            "Skälig boendekostnad för hushållet (gräns)",
            limit,
            cite_assumption("assumption.housing_limit"),
        ),
        Step("housing_counted", "Boendekostnad som räknas (högst gränsen)", counted, note=note),
    ]


#: The model assumptions a step may cite, by source key.
_ASSUMPTION_SOURCES = {
    "assumption.housing_limit": "skaliga_kostnader.housing_limit",
    "assumption.hushallsel": "skaliga_kostnader.hushallsel",
    "assumption.hemforsakring": "skaliga_kostnader.hemforsakring",
}


def _rule_source(path: str, params: Params, base: Params) -> dict[str, str]:
    """The source of a reform parameter's value in force (none if it has no dated entry).

    A switch or a change the scenario file states without an address (its entry's URL
    names the scenario file) is cited by the law file's own entry for the parameter (the
    proposition or lagrådsremiss that the switch puts in force), with the scenario's
    reference kept where it is more than the word "switch"."""
    try:
        entry = _source_entry(path, params)
    except (KeyError, SimInputError, AttributeError):
        return {}
    if entry["url"].startswith("http") and " " not in entry["url"]:
        return entry
    try:
        law = _source_entry(path, base)
    except (KeyError, SimInputError, AttributeError):
        return entry
    # The scenario's English text says "switch ..." (its Swedish one "brytare ...").
    switch = _english_reference(path, params).startswith("switch")
    reference = law["reference"] if switch else entry["reference"]
    return {**entry, "reference": reference, "url": law["url"]}


def _english_reference(path: str, params: Params) -> str:
    """The English citation of the entry in force for ``path`` (empty if it has none)."""
    try:
        return params.source(path).reference
    except (KeyError, SimInputError, AttributeError):
        return ""


def _source_entry(key: str, params: Params) -> dict[str, str]:
    """The source of a step's amount: a law parameter's dated entry or a model assumption."""
    if key in _ASSUMPTION_SOURCES:
        item = default_assumptions().assumption(_ASSUMPTION_SOURCES[key])
        return {
            "reference": f"antagande i modellen, sim/law/assumptions/{item.path.split('.')[0]}.yaml",
            "url": item.url,
            "evidence": "assumption",
        }
    entry = params.source(key)
    # The calculator's text is Swedish: the Swedish citation and note (the English ones where
    # the law file gives a single text).
    return {
        "reference": entry.reference_text("sv"),
        "url": entry.url,
        "evidence": entry.evidence,
        **({"note": entry.note_text("sv")} if entry.note else {}),
    }


#: Every step's key in the order of the calculation (the comparison's order).
STEP_KEYS = (
    "riksnorm_personal_adults",
    "riksnorm_personal_children",
    "riksnorm_common",
    "riksnorm",
    "norm_topup",
    "housing_cost",
    "housing_limit",
    "housing_counted",
    "hushallsel",
    "hemforsakring",
    "arbetsresor",
    "fack_akassa",
    "reasonable_costs",
    "net_earnings",
    "net_other_income",
    "barnbidrag",
    "underhallsstod",
    "bostadsbidrag",
    "tillaggsbidrag",
    "jobbstimulans_disregard",
    "counted_child_earnings",
    "counted_income",
    "sou_cap_reduction",
    "forsorjningsstod",
    "jobbpremie",
    "disposable_income",
    "aktivitetskrav_hours_week",
)

#: Steps left out of the printed walk when they are zero.
_OPTIONAL_STEPS = {
    "riksnorm_personal_children",
    "jobbpremie",
    "aktivitetskrav_hours_week",
    "norm_topup",
    "sou_cap_reduction",
    "arbetsresor",
    "fack_akassa",
    "underhallsstod",
    "tillaggsbidrag",
    "jobbstimulans_disregard",
    "counted_child_earnings",
}
#: Benefits for children: left out when zero in a household without children.
_CHILD_STEPS = {"barnbidrag", "bostadsbidrag"}


def parse_ages(text: str | None, *, what: str) -> tuple[int, ...]:
    """``"3,7,12"`` to ages; empty or None to none."""
    if text is None or not text.strip():
        return ()
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise SimInputError(f"{what} {text!r} must be whole years separated by commas") from None


def parse_amounts(text: str | None, *, what: str) -> tuple[float, ...]:
    """``"25000,0"`` to amounts."""
    if text is None or not text.strip():
        return ()
    try:
        return tuple(float(part) for part in text.split(","))
    except ValueError:
        raise SimInputError(f"{what} {text!r} must be amounts separated by commas") from None


def parse_named_amounts(items: Sequence[str]) -> dict[str, float]:
    """``["a_kassa=9000", "pension.2=12000"]`` to a mapping (comma lists allowed too)."""
    result: dict[str, float] = {}
    for item in items:
        for part in item.split(","):
            if not part.strip():
                continue
            name, sep, value = part.partition("=")
            try:
                if not sep:
                    raise ValueError
                result[name.strip()] = result.get(name.strip(), 0.0) + float(value)
            except ValueError:
                raise SimInputError(
                    f"other income {part!r} must be name=amount, e.g. a_kassa=9000"
                ) from None
    return result
