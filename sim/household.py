"""The household calculator: one household's försörjningsstöd, step by step, with sources.

:func:`calculate` builds a one-household input, runs the same engine as the population runs
(``sim.engine.compute``) and returns a :class:`HouseholdCalculation` whose ``steps`` walk the
calculation in the order of the law, each with the legal source of its amount. ``sim
household`` prints it; ``--json`` prints :meth:`HouseholdCalculation.to_dict`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim import validate
from sim.assumptions import default_assumptions
from sim.engine import MonthResult, compute
from sim.entities import (
    MAX_PERSONS_PER_HOUSEHOLD,
    Persons,
    households_from_columns,
    persons_from_columns,
)
from sim.errors import SimInputError
from sim.params import ParameterTree, Params, closest_hint
from sim.projection import housing_limit_uprating
from sim.rules import aktivitetskrav, jobbpremie
from sim.scenarios import Scenario, load_scenario

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
    Costs left as None take the defaults in sim/assumptions/skaliga_kostnader.yaml.
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

        Types and bounds are those of :mod:`sim.validate` (shared by the CLI and the API)."""
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
    """One line of the calculation: what, how much, and where the amount comes from."""

    key: str
    label: str
    amount: float
    sources: tuple[str, ...] = ()


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

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``: every amount, the steps, the sources and the inputs."""
        return {
            "date": self.date.strftime("%Y-%m"),
            "scenario": self.scenario,
            **{key: round(value, 2) for key, value in self.amounts.items()},
            "steps": [
                {
                    "key": s.key,
                    "label": s.label,
                    "amount": round(s.amount, 2),
                    "sources": list(s.sources),
                }
                for s in self.steps
            ],
            "sources": {key: dict(value) for key, value in self.sources.items()},
            "household": _spec_dict(self.spec),
        }

    def to_text(self) -> str:
        """The calculation as text, step by step, with the source of each amount."""
        spec = self.spec
        children = ", ".join(str(a) for a in spec.child_ages) or "inga"
        lines = [
            f"Försörjningsstöd {self.date:%Y-%m} ({self.scenario})",
            f"Hushåll: {spec.adults} vuxen/vuxna (ålder {', '.join(map(str, spec.adult_ages))}), "
            f"barn: {children}",
            "",
        ]
        width = max(len(step.label) for step in self.steps)
        for step in self.steps:
            amount = f"{step.amount:,.0f}".replace(",", " ")
            lines.append(f"  {step.label:<{width}}  {amount:>10} kr")
            for source in step.sources:
                entry = self.sources[source]
                lines.append(f"  {'':<{width}}    [{entry['reference']}; {entry['evidence']}]")
        lines.append("")
        lines.append("Källor (URL):")
        for key, entry in self.sources.items():
            lines.append(f"  {key}: {entry['url']}")
        return "\n".join(lines)


def _spec_dict(spec: HouseholdSpec) -> dict[str, Any]:
    data = dataclasses.asdict(spec)
    data["other_income"] = dict(spec.other_income)
    data["adult_ages"] = list(spec.adult_ages)
    data["child_ages"] = list(spec.child_ages)
    data["earnings"] = list(spec.earnings)
    return data


def parse_month(text: str | dt.date) -> dt.date:
    """``YYYY-MM`` (or a real ``YYYY-MM-DD``, or a date) to the first day of that month
    (:func:`sim.validate.parse_month`)."""
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
    reform_result = _run(spec, when, reform, reform.law(when.year))
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
            )
        )
        previous = result
    return HouseholdComparison(baseline=base_result, reform=reform_result, effects=tuple(steps))


@dataclasses.dataclass(frozen=True)
class RuleEffect:
    """The change one reform parameter makes, given the ones before it (SEK/month)."""

    path: str
    forsorjningsstod: float
    total_support: float


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

    def to_dict(self) -> dict[str, Any]:
        """The reform's keys at the top, plus ``baseline``, ``reform``, ``change``, ``effects``."""
        reform = self.reform.to_dict()
        return {
            **reform,
            "baseline": {k: v for k, v in self.baseline.to_dict().items() if k != "household"},
            "reform": {k: v for k, v in reform.items() if k != "household"},
            "change": {key: round(value, 2) for key, value in self.change.items()},
            "effects": [
                {
                    "rule": effect.path,
                    "forsorjningsstod": round(effect.forsorjningsstod, 2),
                    "total_support": round(effect.total_support, 2),
                }
                for effect in self.effects
            ],
        }

    def to_text(self) -> str:
        """Baseline and reform side by side, then the effect of each rule."""
        base, reform = self.baseline, self.reform
        lines = [
            f"{reform.scenario} jämfört med baseline, {reform.date:%Y-%m} (kronor per månad)",
            "",
            f"  {'':<44}{'baseline':>11}{reform.scenario[:11]:>12}{'skillnad':>11}",
        ]
        for step in reform.steps:
            before = base.amounts.get(step.key, 0.0)
            after = reform.amounts[step.key]
            sign = -1 if step.key == "jobbstimulans_disregard" else 1
            lines.append(
                f"  {step.label[:44]:<44}{_kr(sign * before):>11}{_kr(sign * after):>12}"
                f"{_kr(sign * (after - before)):>11}"
            )
        lines.append(
            f"  {'Totalt stöd (FS, barnbidrag, bostadsbidrag, underhållsstöd, jobbpremie)':<44}"
            f"{_kr(base['total_support']):>11}{_kr(reform['total_support']):>12}"
            f"{_kr(reform['total_support'] - base['total_support']):>11}"
        )
        lines += ["", "Vilken regel ändrade vad (i tur och ordning):"]
        for effect in self.effects:
            lines.append(
                f"  {effect.path:<44} FS {_kr(effect.forsorjningsstod):>8}   "
                f"totalt stöd {_kr(effect.total_support):>8}"
            )
        return "\n".join(lines)


def _kr(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


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

    sources: dict[str, dict[str, str]] = {}

    def cite(*paths: str) -> tuple[str, ...]:
        for path in paths:
            if path not in sources:
                entry = params.source(path)
                sources[path] = {
                    "reference": entry.reference,
                    "url": entry.url,
                    "evidence": entry.evidence,
                    **({"note": entry.note} if entry.note else {}),
                }
        return paths

    assumption_sources = {
        "assumption.housing_limit": "skaliga_kostnader.housing_limit",
        "assumption.hushallsel": "skaliga_kostnader.hushallsel",
        "assumption.hemforsakring": "skaliga_kostnader.hemforsakring",
    }

    def cite_assumption(key: str) -> tuple[str, ...]:
        item = default_assumptions().assumption(assumption_sources[key])
        sources[key] = {
            "reference": f"antagande, sim/assumptions/{item.path.replace('.', '.yaml: ', 1)}",
            "url": item.url,
            "evidence": "assumption",
        }
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
        Step(
            "housing_counted",
            "Boendekostnad (skälig, högst gränsen)",
            amounts["housing_counted"],
            cite_assumption("assumption.housing_limit"),
        ),
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
            cite("inkomstskatt.kommunal_rate") if "inkomstskatt" in params.sections else (),
        ),
        Step("net_other_income", "Andra inkomster efter skatt, vuxna", amounts["net_other_income"]),
        Step(
            "barnbidrag",
            "Barnbidrag inkl. flerbarnstillägg",
            amounts["barnbidrag"],
            cite("barnbidrag.amount_per_child", "barnbidrag.flerbarnstillagg"),
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
    steps = [s for s in steps if not (s.key in _OPTIONAL_STEPS and s.amount == 0)]
    return HouseholdCalculation(
        date=when,
        scenario=scenario,
        spec=spec,
        steps=tuple(steps),
        amounts=amounts,
        sources=sources,
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
