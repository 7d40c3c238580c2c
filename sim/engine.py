"""The ordered pipeline: one month of persons and households -> försörjningsstöd and every step.

:func:`compute` calls the rules in the order the law works: taxes and net incomes, the
benefits a household is entitled to before försörjningsstöd (barnbidrag, underhållsstöd,
bostadsbidrag), the riksnorm and the reasonable costs, the counted income with its
disregards, and finally försörjningsstöd as the last resort. Every array is new; inputs are
never changed. There is no loop over households: each step is a numpy expression over all
of them, so one call handles one household or millions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from sim.assumptions import Assumptions, default_assumptions
from sim.entities import Households, Persons, validate
from sim.params import Params
from sim.rules import (
    barnbidrag,
    barns_inkomster,
    bidragstak,
    bostadsbidrag,
    forsorjningsstod,
    inkomstskatt,
    jobbstimulans,
    riksnorm,
    skaliga_kostnader,
    underhallsstod,
)
from sim.rules.households import household_count, household_sum


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
    first (:func:`sim.entities.validate`); turn it off only for inputs already validated.
    Where SOU 2025:15 model A applies, the household's total at the reference wage is
    computed by a second pass and the cap taken from försörjningsstöd.
    """
    if check:
        validate(persons, households)
    assumptions = assumptions or default_assumptions()
    result = _compute_month(persons, households, params, assumptions)
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
        _at_reference_wage(persons, params.bidragstak.sou_cap_reference_wage),
        households,
        without_cap,
        assumptions,
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
    return dataclasses.replace(
        result,
        fs_entitlement=entitlement,
        forsorjningsstod=paid,
        disposable_income=result.disposable_income - result.forsorjningsstod + paid,
        sou_cap_reduction=cut,
    )


def compute_laws(
    persons: Persons,
    households: Households,
    laws: Sequence[Params],
    assumptions: Assumptions | None = None,
    *,
    check: bool = True,
) -> list[MonthResult]:
    """:func:`compute` for several laws on the same month's inputs."""
    if check:
        validate(persons, households)
    return [compute(persons, households, params, assumptions, check=False) for params in laws]


def _at_reference_wage(persons: Persons, wage: float) -> Persons:
    """The same persons with no income except ``wage`` for the first adult of each household."""
    is_adult = ~persons.is_child
    adult_rows = np.flatnonzero(is_adult)
    _, first = np.unique(persons.household_idx[adult_rows], return_index=True)
    earnings = np.zeros(persons.n)
    earnings[adult_rows[first]] = wage
    zero = np.zeros(persons.n)
    incomes = {
        name: zero
        for name in (
            "a_kassa",
            "aktivitetsstod",
            "sjukpenning",
            "sjukersattning",
            "foraldrapenning",
            "pension",
            "etableringsersattning",
            "other_taxable",
            "other_tax_free",
            "earnings_year_to_date",
        )
    }
    return dataclasses.replace(persons, earnings_gross=earnings, **incomes)


def _compute_month(
    persons: Persons, households: Households, params: Params, a_all: Assumptions
) -> MonthResult:
    """One pass of the pipeline (see :func:`compute`)."""
    a = a_all.skaliga_kostnader
    n = households.n
    idx = persons.household_idx
    is_adult = ~persons.is_child

    # Incomes and taxes, person by person (tax is zero without taxable income, so it is
    # computed only where there is some: most children and many adults have none).
    taxable_benefits = persons.taxable_benefits()
    taxable = persons.earnings_gross + taxable_benefits
    has_taxable = taxable > 0
    person_tax = np.zeros(persons.n)
    person_tax[has_taxable] = inkomstskatt.income_tax(
        earnings=persons.earnings_gross[has_taxable],
        taxable_benefits=taxable_benefits[has_taxable],
        age=persons.age[has_taxable],
        p=params.inkomstskatt,
    )
    # Tax is shared between earnings and other taxable income in proportion to them.
    earnings_share = np.divide(
        persons.earnings_gross, taxable, out=np.zeros_like(taxable), where=taxable > 0
    )
    net_earnings = persons.earnings_gross - person_tax * earnings_share
    net_taxable_benefits = taxable_benefits - person_tax * (1.0 - earnings_share)
    tax_free = persons.etableringsersattning + persons.other_tax_free
    person_net_income = net_earnings + net_taxable_benefits + tax_free

    def by_household(values: np.ndarray) -> np.ndarray:
        return household_sum(values, household_idx=idx, n_households=n)

    net_earnings_adults = by_household(np.where(is_adult, net_earnings, 0.0))
    net_other_adults = by_household(np.where(is_adult, net_taxable_benefits + tax_free, 0.0))
    net_income_children = by_household(np.where(persons.is_child, person_net_income, 0.0))
    net_earnings_children = by_household(np.where(persons.is_child, net_earnings, 0.0))

    # Children's own earnings count only above one prisbasbelopp a year (SoL 12:9); the
    # counted gross part is converted to net at the child's own net/gross ratio.
    exempt = params.barns_inkomster.exempt_prisbasbelopp * params.prisbasbelopp.prisbasbelopp
    counted_gross = barns_inkomster.counted_child_earnings(
        earnings_gross=persons.earnings_gross,
        earnings_year_to_date=persons.earnings_year_to_date,
        is_child=persons.is_child,
        exempt_sek_year=exempt,
    )
    net_ratio = np.divide(
        net_earnings,
        persons.earnings_gross,
        out=np.zeros_like(net_earnings),
        where=persons.earnings_gross > 0,
    )
    counted_child = by_household(counted_gross * net_ratio)
    child_other_income = by_household(
        np.where(persons.is_child, net_taxable_benefits + tax_free, 0.0)
    )

    # Benefits the household is entitled to before försörjningsstöd.
    bb = barnbidrag.barnbidrag(
        household_idx=idx,
        age=persons.age,
        is_child=persons.is_child,
        is_in_school=persons.is_in_school,
        n_households=n,
        p=params.barnbidrag,
    )
    uhs = underhallsstod.underhallsstod(
        household_idx=idx,
        age=persons.age,
        is_child=persons.is_child,
        receives_underhallsstod=persons.receives_underhallsstod,
        n_households=n,
        p=params.underhallsstod,
    )
    over_limit = bostadsbidrag.income_over_limit(
        income_sek_year=12.0 * (taxable + persons.etableringsersattning),
        is_adult=is_adult,
        is_cohabiting=households.is_cohabiting[idx],
        p=params.bostadsbidrag,
    )
    bostad = bostadsbidrag.bostadsbidrag(
        n_children=bb["n_children"],
        housing_cost=households.housing_cost,
        income_over_limit_sek_year=by_household(over_limit),
        p=params.bostadsbidrag,
    )

    # The norm (with the bidragstak's fourth-child rule and modernised norm where they
    # apply) and the reasonable costs.
    n_adults = household_count(is_adult, household_idx=idx, n_households=n)
    reform = params.bidragstak
    child_factor = None
    if reform.fourth_child_rule:
        rank = bidragstak.child_rank(household_idx=idx, age=persons.age, is_child=persons.is_child)
        child_factor = bidragstak.fourth_child_factor(
            rank=rank, is_single_parent=(n_adults == 1)[idx], p=reform
        )
    norm = riksnorm.riksnorm(
        household_idx=idx,
        age=persons.age,
        is_child=persons.is_child,
        has_preschool_lunch=persons.has_preschool_lunch,
        is_cohabiting=households.is_cohabiting,
        p=params.riksnorm,
        child_cost_factor=child_factor,
    )
    norm_factor = bidragstak.modernised_norm_factor(p=reform, a=a_all.bidragstak)
    norm_total = norm["total"] * norm_factor
    fourth_child_reduction = np.zeros(n)
    if child_factor is not None:
        full_children = riksnorm.personal_cost_children(
            age=persons.age,
            has_preschool_lunch=persons.has_preschool_lunch,
            is_child=persons.is_child,
            p=params.riksnorm,
        )
        fourth_child_reduction = by_household(full_children * (1.0 - child_factor)) * norm_factor
    norm_topup = bidragstak.counted_norm_topup(
        norm_topup=households.norm_topup, p=reform, a=a_all.bidragstak
    )
    n_persons = np.bincount(idx, minlength=n)
    limit = skaliga_kostnader.housing_limit(
        n_persons=n_persons, housing_limit_factor=households.housing_limit_factor, a=a
    )
    costs = skaliga_kostnader.skaliga_kostnader(
        housing_cost=households.housing_cost,
        housing_limit=limit,
        hushallsel=households.hushallsel,
        hemforsakring=households.hemforsakring,
        arbetsresor=households.arbetsresor,
        fack_akassa=households.fack_akassa,
    )

    # Counted income and försörjningsstöd.
    applies = jobbstimulans.jobbstimulans_applies(
        months_on_fs=households.months_on_fs,
        jobbstimulans_months_used=households.jobbstimulans_months_used,
        p=params.jobbstimulans,
    )
    disregard = jobbstimulans.jobbstimulans_disregard(
        net_earnings_adults=net_earnings_adults, applies=applies, p=params.jobbstimulans
    )
    counted_income = (
        net_earnings_adults
        - disregard
        + net_other_adults
        + counted_child
        + child_other_income
        + bb["total"]
        + uhs
        + bostad["bostadsbidrag"]
        + bostad["tillaggsbidrag"]
    )
    entitlement = forsorjningsstod.forsorjningsstod(
        riksnorm=norm_total + norm_topup,
        skaliga_kostnader=costs["total"],
        counted_income=counted_income,
    )
    paid = np.where(households.takes_up_fs, entitlement, 0.0)
    disposable = by_household(person_net_income) + bb["total"] + uhs + bostad["total"] + paid

    return MonthResult(
        n_persons=n_persons,
        n_adults=n_adults,
        n_children=n_persons - n_adults,
        riksnorm=norm_total,
        riksnorm_personal_children=norm["personal_children"] * norm_factor,
        riksnorm_personal_adults=norm["personal_adults"] * norm_factor,
        riksnorm_common=norm["common"] * norm_factor,
        norm_topup=norm_topup,
        fourth_child_reduction=fourth_child_reduction,
        modernisation_reduction=norm["total"] * (1.0 - norm_factor),
        housing_limit=limit,
        housing_counted=costs["housing"],
        reasonable_costs=costs["total"],
        gross_income=by_household(taxable + tax_free),
        income_tax=by_household(person_tax),
        net_earnings=net_earnings_adults,
        net_other_income=net_other_adults,
        net_income_children=net_income_children,
        net_earnings_children=net_earnings_children,
        barnbidrag=bb["barnbidrag"],
        flerbarnstillagg=bb["flerbarnstillagg"],
        underhallsstod=uhs,
        bostadsbidrag=bostad["bostadsbidrag"],
        tillaggsbidrag=bostad["tillaggsbidrag"],
        jobbstimulans_applies=applies,
        jobbstimulans_disregard=disregard,
        counted_child_earnings=counted_child,
        counted_income=counted_income,
        fs_entitlement=entitlement,
        forsorjningsstod=paid,
        disposable_income=disposable,
        sou_cap_reduction=np.zeros(n),
        person_income_tax=person_tax,
        person_net_income=person_net_income,
    )
