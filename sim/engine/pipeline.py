"""The ordered pipeline: one month of persons and households -> försörjningsstöd and every step.

:func:`compute` calls the rules in the order the law works: taxes and net incomes, the
benefits a household is entitled to before försörjningsstöd (barnbidrag, underhållsstöd,
bostadsbidrag), the riksnorm and the reasonable costs, the counted income with its
disregards, and finally försörjningsstöd as the last resort. Inputs are never changed and
result arrays are read-only: :func:`compute_laws` computes the steps several laws share once,
and their results share those arrays. There is no Python loop over households: each step is a
numpy expression over all of them, or compiled passes over the persons and households (the
gross and net incomes: :mod:`sim.engine.gross_income_pass`, :mod:`sim.engine.net_income_pass`; the benefits before
försörjningsstöd: :mod:`sim.engine.benefits_pass`; the riksnorm and the bidragstak's fourth-child
rule: :mod:`sim.engine.riksnorm_pass`, :mod:`sim.engine.fourth_child_pass`; the jobbstimulans, the counted income
and försörjningsstöd: :mod:`sim.engine.entitlement_pass`), so one call handles one household or
millions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from sim.engine import benefits_pass as benefits
from sim.engine import entitlement_pass as entitlements
from sim.engine import fourth_child_pass as fourth_child
from sim.engine import gross_income_pass as gross_incomes
from sim.engine import net_income_pass as net_incomes
from sim.engine import riksnorm_pass as riksnorms
from sim.engine.chunks import bounds_of, shared_chunks
from sim.engine.entities import TAX_FREE, TAXABLE_BENEFITS, Households, Persons, validate
from sim.law.assumptions import Assumptions, default_assumptions
from sim.law.parameters import Params
from sim.rules import bidragstak, inkomstskatt, skaliga_kostnader


@dataclasses.dataclass(frozen=True)
class MonthResult:
    """Results of one month. Household arrays are SEK/month unless named otherwise.

    Household level: ``n_persons``, ``n_adults``, ``n_children``; ``riksnorm`` and its parts
    (``riksnorm_personal_children``, ``riksnorm_personal_adults``, ``riksnorm_common``),
    all after the bidragstak's rules where they apply; ``norm_topup`` (granted above the
    norm); ``fourth_child_reduction`` and ``modernisation_reduction`` (how much the
    bidragstak's fourth-child rule and modernised norm lower the riksnorm);
    ``housing_limit``, ``housing_counted`` and ``reasonable_costs``; ``gross_income``,
    ``income_tax``, ``net_earnings`` (adults), ``net_other_income`` (adults' net taxable
    benefits and tax-free income), ``net_income_children`` and ``net_earnings_children``;
    ``barnbidrag`` (incl.
    studiebidrag), ``flerbarnstillagg``, ``underhallsstod``, ``bostadsbidrag`` and the
    temporary ``tillaggsbidrag`` on top of it; ``jobbstimulans_applies``,
    ``jobbstimulans_disregard``, ``counted_child_earnings``, ``counted_income``;
    ``fs_entitlement`` (before take-up), ``forsorjningsstod`` (paid), ``disposable_income``,
    ``sou_cap_reduction`` (FS taken away by SOU 2025:15 model A, where it applies).

    Person level: ``person_income_tax`` and ``person_net_income``.
    """

    n_persons: np.ndarray
    n_adults: np.ndarray
    n_children: np.ndarray
    riksnorm: np.ndarray
    riksnorm_personal_children: np.ndarray
    riksnorm_personal_adults: np.ndarray
    riksnorm_common: np.ndarray
    norm_topup: np.ndarray
    fourth_child_reduction: np.ndarray
    modernisation_reduction: np.ndarray
    housing_limit: np.ndarray
    housing_counted: np.ndarray
    reasonable_costs: np.ndarray
    gross_income: np.ndarray
    income_tax: np.ndarray
    net_earnings: np.ndarray
    net_other_income: np.ndarray
    net_income_children: np.ndarray
    net_earnings_children: np.ndarray
    barnbidrag: np.ndarray
    flerbarnstillagg: np.ndarray
    underhallsstod: np.ndarray
    bostadsbidrag: np.ndarray
    tillaggsbidrag: np.ndarray
    jobbstimulans_applies: np.ndarray
    jobbstimulans_disregard: np.ndarray
    counted_child_earnings: np.ndarray
    counted_income: np.ndarray
    fs_entitlement: np.ndarray
    forsorjningsstod: np.ndarray
    disposable_income: np.ndarray
    sou_cap_reduction: np.ndarray
    person_income_tax: np.ndarray
    person_net_income: np.ndarray

    @property
    def total_support(self) -> np.ndarray:
        """FS + barnbidrag + flerbarnstillägg + bostadsbidrag (+ tillägg) + underhållsstöd."""
        return (
            self.forsorjningsstod
            + self.barnbidrag
            + self.flerbarnstillagg
            + self.bostadsbidrag
            + self.tillaggsbidrag
            + self.underhallsstod
        )

    def household_fields(self) -> dict[str, np.ndarray]:
        """Every household-level array by name (person-level ones left out)."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if not f.name.startswith("person_")
        }


def compute(
    persons: Persons,
    households: Households,
    params: Params,
    assumptions: Assumptions | None = None,
    *,
    check: bool = True,
) -> MonthResult:
    """Försörjningsstöd and every intermediate amount for one month, for all households.

    ``params`` is the law resolved for the month (``default_law().resolve(date)``);
    ``assumptions`` default to the packaged central values. ``check`` validates the input
    first (:func:`sim.engine.entities.validate`); turn it off only for inputs already validated.
    Where SOU 2025:15 model A applies, the household's total at the reference wage is
    computed by a second pass and the cap taken from försörjningsstöd.
    """
    return compute_laws(persons, households, [params], assumptions, check=check)[0]


def compute_laws(
    persons: Persons,
    households: Households,
    laws: Sequence[Params],
    assumptions: Assumptions | None = None,
    *,
    check: bool = True,
) -> list[MonthResult]:
    """:func:`compute` for several laws on the same month's inputs, one result per law.

    A step whose parameters are equal in two laws (taxes, barnbidrag, underhållsstöd,
    bostadsbidrag, the riksnorm ... unless a reform changes them) is computed once, and its
    arrays are shared by the results; equality is checked on the resolved parameters, so
    a reform that does touch a step gets its own. Result arrays are read-only.
    """
    return compute_cases(
        persons, [(households, params) for params in laws], assumptions, check=check
    )


#: The households' fields that may differ between the cases of :func:`compute_cases`: the
#: month's FS state of each household, which a scenario's own history decides.
CASE_FIELDS = ("norm_topup", "months_on_fs", "jobbstimulans_months_used", "takes_up_fs")


def compute_cases(
    persons: Persons,
    cases: Sequence[tuple[Households, Params]],
    assumptions: Assumptions | None = None,
    *,
    check: bool = True,
) -> list[MonthResult]:
    """:func:`compute_laws` for cases (households, law) that share the persons and every
    household field but the FS state (:data:`CASE_FIELDS`): several scenarios' month.

    The steps on the persons and the shared fields are computed once per distinct law
    sections, as in :func:`compute_laws`; the steps that read the FS state (the jobbstimulans,
    the counted income and försörjningsstöd: :mod:`sim.engine.entitlement_pass`) once per case. A case
    whose other household fields differ from the first case's raises ``ValueError``.
    """
    if not cases:
        return []
    households = cases[0][0]
    for other, _ in cases[1:]:
        _check_same_households(households, other)
    if check:
        validate(persons, households)
        for other, _ in cases[1:]:
            if other is not households:
                validate(persons, other)
    assumptions = assumptions or default_assumptions()
    shared = _Shared(persons, households, assumptions)
    return [_compute_law(shared, case_households, params) for case_households, params in cases]


def _check_same_households(first: Households, other: Households) -> None:
    """``other`` has ``first``'s arrays (or equal ones) in every field but the state."""
    for f in dataclasses.fields(Households):
        if f.name in CASE_FIELDS:
            continue
        a, b = getattr(first, f.name), getattr(other, f.name)
        if a is not b and not np.array_equal(a, b):
            raise ValueError(f"cases differ in Households.{f.name}, which they must share")


def _compute_law(shared: _Shared, households: Households, params: Params) -> MonthResult:
    """One law's result, with the SOU 2025:15 model A cap where it applies."""
    result = _compute_month(shared, households, params)
    if not params.bidragstak.sou_cap:
        return result
    without_cap = dataclasses.replace(
        params,
        sections={
            **params.sections,
            "bidragstak": dataclasses.replace(params.bidragstak, sou_cap=0.0),
        },
    )
    reference = _compute_month(
        _Shared(
            _at_reference_wage(shared.persons, params.bidragstak.sou_cap_reference_wage),
            shared.households,
            shared.assumptions,
        ),
        households,
        without_cap,
    )
    # The cap works on the entitlement: every transfer the household would get, FS included.
    other_benefits = (
        result.disposable_income
        - result.net_earnings
        - result.net_earnings_children
        - result.forsorjningsstod
    )
    cut = bidragstak.sou_cap_reduction(
        benefits=other_benefits + result.fs_entitlement,
        reference_total=reference.disposable_income,
        fs=result.fs_entitlement,
        p=params.bidragstak,
    )
    entitlement = result.fs_entitlement - cut
    paid = np.where(households.takes_up_fs, entitlement, 0.0)
    return _read_only(
        dataclasses.replace(
            result,
            fs_entitlement=entitlement,
            forsorjningsstod=paid,
            disposable_income=result.disposable_income - result.forsorjningsstod + paid,
            sou_cap_reduction=cut,
        )
    )


def _at_reference_wage(persons: Persons, wage: float) -> Persons:
    """The same persons with no income except ``wage`` for the first adult of each household."""
    is_adult = ~persons.is_child
    adult_rows = np.flatnonzero(is_adult)
    _, first = np.unique(persons.household_idx[adult_rows], return_index=True)
    earnings = np.zeros(persons.n)
    earnings[adult_rows[first]] = wage
    zero = np.zeros(persons.n)
    incomes = dict.fromkeys((*TAXABLE_BENEFITS, *TAX_FREE, "earnings_year_to_date"), zero)
    return dataclasses.replace(persons, earnings_gross=earnings, **incomes)


def _read_only(result: MonthResult) -> MonthResult:
    """The result with every array marked read-only (results may share arrays)."""
    for f in dataclasses.fields(result):
        getattr(result, f.name).flags.writeable = False
    return result


class _Shared:
    """One month's inputs and the steps already computed on them, by the parameters used.

    ``step(name, sections, make)`` returns what ``make()`` returned for an earlier law whose
    parameter sections ``sections`` were equal, else calls it. ``households`` holds the
    fields all cases share (a step may read only those).
    """

    def __init__(self, persons: Persons, households: Households, assumptions: Assumptions):
        self.persons = persons
        self.households = households
        self.assumptions = assumptions
        self._done: list[tuple[str, tuple[Any, ...], Any]] = []

    def step(self, name: str, sections: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        for done_name, done_sections, value in self._done:
            if done_name == name and done_sections == sections:
                return value
        value = make()
        self._done.append((name, sections, value))
        return value


def _compute_month(shared: _Shared, state: Households, params: Params) -> MonthResult:
    """One pass of the pipeline (see :func:`compute`), reusing the steps in ``shared``;
    ``state`` gives the households' FS state (:data:`CASE_FIELDS`)."""
    persons, households = shared.persons, shared.households
    n = households.n
    # The parameter sections each step depends on: equal sections, a shared result.
    incomes_law = (params.inkomstskatt, params.barns_inkomster, params.prisbasbelopp)
    benefits_law = (params.barnbidrag, params.underhallsstod, params.bostadsbidrag)
    base = shared.step("persons", (), lambda: _gross_incomes_and_counts(persons, households))
    incomes = shared.step("incomes", incomes_law, lambda: _incomes(persons, base, params))
    benefits = shared.step(
        "benefits", benefits_law, lambda: _benefits(persons, households, base, params)
    )
    zeros = shared.step("zeros", (), lambda: np.zeros(n))
    # The bidragstak's modernised norm (part 1): the official table where the law files
    # hold it (sim.law.projection.split_modernised_riksnorm), else the assumed cut of each part.
    reform = params.bidragstak
    a_reform = shared.assumptions.bidragstak
    modernised_table = bool(reform.modernised_riksnorm) and bool(
        params.riksnorm_modernised.published
    )
    norm_law = params.riksnorm_modernised if modernised_table else params.riksnorm
    norm = shared.step(
        "riksnorm", (norm_law,), lambda: _riksnorm(persons, households, base, norm_law)
    )
    costs = shared.step("costs", (), lambda: _costs(households, base, shared.assumptions))
    factors = bidragstak.modernised_norm_factors(
        p=reform, a=a_reform, table_is_modernised=modernised_table
    )
    norm_before_cut = norm["total"]
    modernisation_reduction = zeros
    if factors != (1.0, 1.0, 1.0, 1.0):
        adults_factor = np.where(
            households.is_cohabiting, factors.cohabiting_adults, factors.single_adult
        )
        cut = {
            "personal_children": norm["personal_children"] * factors.children,
            "personal_adults": norm["personal_adults"] * adults_factor,
            "common": norm["common"] * factors.common,
        }
        cut["total"] = cut["personal_children"] + cut["personal_adults"] + cut["common"]
        modernisation_reduction = norm_before_cut - cut["total"]
        norm = cut

    # The fourth-child rule (part 2) on the children's personal costs after part 1.
    fourth_child_reduction = zeros
    if reform.fourth_child_rule:
        rule = shared.step(
            "fourth_child_rule",
            (reform, norm_law, a_reform),
            lambda: fourth_child.fourth_child_rule(
                household_idx=persons.household_idx,
                is_child=persons.is_child,
                age=persons.age,
                has_preschool_lunch=persons.has_preschool_lunch,
                n_children=base["n_children"],
                n_adults=base["n_adults"],
                personal_children=norm["personal_children"],
                personal_adults=norm["personal_adults"],
                common=norm["common"],
                riksnorm_law=norm_law,
                bidragstak_law=reform,
                order=int(a_reform.fourth_child_order),
                child_factor=factors.children,
            ),
        )
        norm = {**norm, "personal_children": rule.personal_children, "total": rule.total}
        fourth_child_reduction = rule.reduction
    norm_total = norm["total"]
    before_fs = shared.step(
        "disposable_before_fs",
        (*incomes_law, *benefits_law),
        lambda: (
            incomes["net_income"]
            + benefits["barnbidrag_total"]
            + benefits["underhallsstod"]
            + benefits["bostadsbidrag_total"]
        ),
    )
    # The jobbstimulans, the counted income and försörjningsstöd (sim.engine.entitlement_pass).
    fs = entitlements.entitlements(
        state,
        riksnorm=norm_total,
        reasonable_costs=costs.reasonable_costs,
        incomes={**incomes, **benefits},
        disposable_before_fs=before_fs,
        law=entitlements.fs_law(
            jobbstimulans=params.jobbstimulans,
            bidragstak=reform,
            bidragstak_assumptions=a_reform,
        ),
    )

    return _read_only(
        MonthResult(
            n_persons=base["n_persons"],
            n_adults=base["n_adults"],
            n_children=base["n_children"],
            riksnorm=norm_total,
            riksnorm_personal_children=norm["personal_children"],
            riksnorm_personal_adults=norm["personal_adults"],
            riksnorm_common=norm["common"],
            norm_topup=fs.norm_topup,
            fourth_child_reduction=fourth_child_reduction,
            modernisation_reduction=modernisation_reduction,
            housing_limit=costs.housing_limit,
            housing_counted=costs.housing_counted,
            reasonable_costs=costs.reasonable_costs,
            gross_income=incomes["gross_income"],
            income_tax=incomes["income_tax"],
            net_earnings=incomes["net_earnings_adults"],
            net_other_income=incomes["net_other_adults"],
            net_income_children=incomes["net_income_children"],
            net_earnings_children=incomes["net_earnings_children"],
            barnbidrag=benefits["barnbidrag"],
            flerbarnstillagg=benefits["flerbarnstillagg"],
            underhallsstod=benefits["underhallsstod"],
            bostadsbidrag=benefits["bostadsbidrag"],
            tillaggsbidrag=benefits["tillaggsbidrag"],
            jobbstimulans_applies=fs.jobbstimulans_applies,
            jobbstimulans_disregard=fs.jobbstimulans_disregard,
            counted_child_earnings=incomes["counted_child"],
            counted_income=fs.counted_income,
            fs_entitlement=fs.fs_entitlement,
            forsorjningsstod=fs.forsorjningsstod,
            disposable_income=fs.disposable_income,
            sou_cap_reduction=zeros,
            person_income_tax=incomes["person_tax"],
            person_net_income=incomes["person_net_income"],
        )
    )


def _gross_incomes_and_counts(persons: Persons, households: Households) -> dict[str, np.ndarray]:
    """Each person's taxable and tax-free income, the household counts, and the persons'
    chunks for the compiled passes (found once)."""
    chunks = bounds_of(persons.household_idx, shared_chunks())
    gross = gross_incomes.gross_incomes(persons, households.n, chunks=chunks)
    n_persons, n_adults = gross.n_persons, gross.n_adults
    return {
        "chunks": chunks,
        "taxable_benefits": gross.taxable_benefits,
        "taxable": gross.taxable,
        "tax_free": gross.tax_free,
        "n_persons": n_persons,
        "n_adults": n_adults,
        "n_children": n_persons - n_adults,
    }


def _incomes(persons: Persons, base: dict[str, np.ndarray], params: Params) -> dict[str, Any]:
    """Taxes and net incomes, person by person, and their household sums.

    One compiled pass over the persons (:mod:`sim.engine.net_income_pass`); the tax of each person
    with taxable income is :func:`sim.rules.inkomstskatt.monthly_tax`.
    """
    result = net_incomes.net_incomes(
        household_idx=persons.household_idx,
        is_child=persons.is_child,
        age=persons.age,
        earnings=persons.earnings_gross,
        taxable_benefits=base["taxable_benefits"],
        tax_free=base["tax_free"],
        earnings_year_to_date=persons.earnings_year_to_date,
        n_households=len(base["n_persons"]),
        tax_schedule=inkomstskatt.tax_schedule(params.inkomstskatt),
        # Children's own earnings count only above one prisbasbelopp a year (SoL 12:9).
        child_exempt_sek_year=params.barns_inkomster.exempt_prisbasbelopp
        * params.prisbasbelopp.prisbasbelopp,
        chunks=base["chunks"],
    )
    return result._asdict()


def _benefits(
    persons: Persons, households: Households, base: dict[str, np.ndarray], params: Params
) -> dict[str, np.ndarray]:
    """Benefits the household is entitled to before försörjningsstöd (:mod:`sim.engine.benefits_pass`)."""
    return benefits.benefits(
        household_idx=persons.household_idx,
        is_child=persons.is_child,
        age=persons.age,
        is_in_school=persons.is_in_school,
        receives_underhallsstod=persons.receives_underhallsstod,
        taxable=base["taxable"],
        etableringsersattning=persons.etableringsersattning,
        is_cohabiting=households.is_cohabiting,
        housing_cost=households.housing_cost,
        barnbidrag_law=params.barnbidrag,
        underhallsstod_law=params.underhallsstod,
        bostadsbidrag_law=params.bostadsbidrag,
        chunks=base["chunks"],
    )._asdict()


def _riksnorm(
    persons: Persons, households: Households, base: dict[str, np.ndarray], norm_law: Any
) -> dict[str, np.ndarray]:
    """The riksnorm of the table ``norm_law`` (:mod:`sim.engine.riksnorm_pass`), before the bidragstak's
    cuts and fourth-child rule."""
    return riksnorms.riksnorms(
        household_idx=persons.household_idx,
        age=persons.age,
        is_child=persons.is_child,
        has_preschool_lunch=persons.has_preschool_lunch,
        is_cohabiting=households.is_cohabiting,
        p=norm_law,
        chunks=base["chunks"],
    )._asdict()


def _costs(
    households: Households, base: dict[str, np.ndarray], assumptions: Assumptions
) -> entitlements.Costs:
    """The reasonable costs (their limits are assumptions, not law; :mod:`sim.engine.entitlement_pass`)."""
    return entitlements.reasonable_costs(
        households,
        n_persons=base["n_persons"],
        limits=skaliga_kostnader.housing_limits(assumptions.skaliga_kostnader),
    )
