"""The results table: every metric of every run, as tidy rows.

Columns ``scenario, metric, group, value, low, high``. ``group`` is ``all`` or
``<breakdown>:<label>`` (e.g. ``hushållstyp:ensamstående kvinna med barn``, ``decil:3``,
``månad:7``, ``förändring:stor förlust``). ``low``/``high`` are the uncertainty band where
replications have been run and empty otherwise. Definitions of each metric are in
the label catalogue ``sim/catalogue/labels.yaml`` (:mod:`sim.catalogue.labels`) and, for the formulas, in :mod:`sim.metrics.statistics`.

Unit of analysis: money and caseloads are per biståndshushåll (the FS unit); poverty is per
person, on the economic standard of the dwelling (SCB's bostadshushåll) the person lives in,
with SCB's consumption units; annual incomes are the sum of the twelve simulated months.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from sim.metrics import statistics as m
from sim.population.geography import group_of_dwellings, lan_of_dwellings, lan_table
from sim.population.kommuner import KOMMUNGRUPPER
from sim.population.monthly import MIN_RECIPIENT_RECORDS as MIN_SAMPLED_RECIPIENTS
from sim.population.summary import economic_standard, household_type_codes
from sim.population.tables import MunicipalityGroup
from sim.simulation.delivery import Delivery, delivery, funding_shares, whole_funding_share
from sim.simulation.year import ScenarioYear

if TYPE_CHECKING:
    from sim.municipal.profile import KommunProfile


def __getattr__(name: str) -> Any:
    """``METRIC_INFO``: metric -> (unit, Swedish label, English label), read from the label
    catalogue (``sim/catalogue/labels.yaml``) when first asked for (PEP 562; no file read on import)."""
    if name == "METRIC_INFO":
        from sim.catalogue import labels

        return {
            key: (labels.metric_unit(key), labels.metric(key, "sv"), labels.metric(key, "en"))
            for key in labels.metric_keys()
        }
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Swedish labels of the household types of sim.population.summary.FS_HH_TYPES.
HOUSEHOLD_TYPE_LABELS = (
    "sammanboende utan barn",
    "sammanboende med barn",
    "ensamstående kvinna utan barn",
    "ensamstående kvinna med barn",
    "ensamstående man utan barn",
    "ensamstående man med barn",
)
CHILDREN_LABELS = ("0", "1", "2", "3", "4+")
BIRTH_LABELS = ("född i Sverige", "utrikes född")
MUNICIPALITY_LABELS = {
    MunicipalityGroup.STORSTAD: "storstäder och storstadsnära",
    MunicipalityGroup.STORRE_STAD: "större städer",
    MunicipalityGroup.MINDRE_ORT: "mindre städer och landsbygd",
}
BAND_LABELS = ("stor förlust", "liten förlust", "oförändrad", "liten vinst", "stor vinst")

#: The breakdowns of the household-level metrics (:func:`household_groups`).
BREAKDOWNS = (
    "hushållstyp",
    "antal_barn",
    "decil",
    "födelseland",
    "kommungrupp",
    "län",
    "skr_kommungrupp",
)

#: Percentiles of the loss per child (rows ``loss_per_child_sek_month`` / ``percentil:<p>``).
LOSS_PERCENTILES = (10, 25, 50, 75, 90)

SCHEMA = {
    "scenario": pl.String,
    "metric": pl.String,
    "group": pl.String,
    "value": pl.Float64,
    "low": pl.Float64,
    "high": pl.Float64,
}


@dataclasses.dataclass(frozen=True)
class Groups:
    """Per-household group codes of every breakdown (fixed from the baseline)."""

    codes: dict[str, np.ndarray]
    labels: dict[str, tuple[str, ...]]


#: Breakdowns that describe where a household lives: left out for a municipality's profile.
GEOGRAPHIC_BREAKDOWNS = ("kommungrupp", "län", "skr_kommungrupp")


def is_profile_population(population: Any) -> bool:
    """True for a population re-weighted to a municipality (:mod:`sim.municipal.profile`)."""
    return "national_weight" in population.dwellings.columns


def household_groups(baseline: ScenarioYear, standard: _Standard | None = None) -> Groups:
    """Breakdown codes per biståndshushåll; the decile is of the baseline's standard
    (``standard``: the baseline's, if already computed). A municipality's profile has no
    geographic breakdowns (its households are the national ones of its group)."""
    pop = baseline.population
    standard = standard or _standard(baseline)
    persons, households = pop.persons, pop.households
    idx = persons["household_idx"].to_numpy()
    n = pop.n_households
    first = np.r_[True, idx[1:] != idx[:-1]]
    born_abroad = np.zeros(n, dtype=bool)
    born_abroad[idx[first]] = persons["is_born_abroad"].to_numpy()[first]
    n_children = np.bincount(idx, weights=persons["is_child"].to_numpy(), minlength=n)
    dwelling = households["dwelling_idx"].to_numpy()
    w_dw = pop.dwellings["weight"].to_numpy()
    decile_dw = m.deciles(standard.standard_dw, w_dw * standard.persons_dw)
    group_dw = pop.dwellings["municipality_group"].to_numpy()
    municipality_order = list(MUNICIPALITY_LABELS)
    profile = is_profile_population(pop)
    lan_dw = None if profile else lan_of_dwellings(pop)
    groups = Groups(
        codes={
            "hushållstyp": household_type_codes(pop),
            "antal_barn": np.minimum(n_children, 4).astype(np.int64),
            "decil": decile_dw[dwelling] - 1,
            "födelseland": born_abroad.astype(np.int64),
            "kommungrupp": np.searchsorted(municipality_order, group_dw[dwelling]),
            "län": None if lan_dw is None else lan_dw[dwelling].astype(np.int64),
            "skr_kommungrupp": None
            if profile
            else group_of_dwellings(pop)[dwelling].astype(np.int64),
        },
        labels={
            "hushållstyp": HOUSEHOLD_TYPE_LABELS,
            "antal_barn": CHILDREN_LABELS,
            "decil": tuple(str(d) for d in range(1, 11)),
            "födelseland": BIRTH_LABELS,
            "kommungrupp": tuple(MUNICIPALITY_LABELS.values()),
            "län": tuple(lan.name for lan in lan_table()),
            "skr_kommungrupp": KOMMUNGRUPPER,
        },
    )
    assert tuple(groups.codes) == BREAKDOWNS
    if profile:
        for name in GEOGRAPHIC_BREAKDOWNS:
            del groups.codes[name], groups.labels[name]
    return groups


@dataclasses.dataclass(frozen=True)
class _Standard:
    """Economic standard per dwelling and the person-level arrays derived from it."""

    standard_dw: np.ndarray
    persons_dw: np.ndarray
    person_standard: np.ndarray
    line: float


def _standard(run: ScenarioYear) -> _Standard:
    """The economic standard; the line is the national one, also for a municipality's
    re-weighted population (its dwellings keep their national weights)."""
    pop = run.population
    standard, persons_dw = economic_standard(pop)
    column = "national_weight" if is_profile_population(pop) else "weight"
    w_dw = pop.dwellings[column].to_numpy()
    line = m.poverty_line(standard, w_dw * persons_dw, share=0.6)
    person_standard = standard[pop.persons["dwelling_idx"].to_numpy()]
    return _Standard(standard, persons_dw, person_standard, line)


def results_table(
    runs: Sequence[ScenarioYear], *, profile: KommunProfile | None = None
) -> pl.DataFrame:
    """Every metric of every run; the first run must be the baseline. With a
    municipality's ``profile`` (the runs are on its re-weighted population) the rows of
    its own capacity are added (:func:`_profile_rows`)."""
    baseline = runs[0]
    # Each run's economic standard is computed once (the baseline's serves three uses).
    standards = [_standard(run) for run in runs]
    groups = household_groups(baseline, standards[0])
    rows: list[dict[str, object]] = []
    for run, own in zip(runs, standards, strict=True):
        for metric, group, value in _run_rows(run, baseline, groups, standards[0], own, profile):
            rows.append(
                {
                    "scenario": run.label,
                    "metric": metric,
                    "group": group,
                    "value": float(value),
                    "low": None,
                    "high": None,
                }
            )
        if run is not baseline:
            rows.extend(_loss_per_child_percentiles(run, baseline))
    return pl.DataFrame(rows, schema=SCHEMA)


def _loss_per_child_percentiles(
    run: ScenarioYear, baseline: ScenarioYear
) -> list[dict[str, object]]:
    """Percentiles of the loss per child: rows ``loss_per_child_sek_month`` / ``percentil:<p>``.

    Definition (as :func:`sim.metrics.statistics.loss_per_child`): a household that loses more than
    0.50 kr a month of disposable income against the baseline (annual change / 12) and has
    children 0-17 gives each child an equal share of its loss; the percentiles are lower
    weighted quantiles (:func:`sim.metrics.statistics.weighted_quantile`) over these children
    (household weight × children). No rows when no child loses.
    """
    pop = run.population
    persons = pop.persons
    idx = persons["household_idx"].to_numpy()
    child017 = persons["is_child"].to_numpy() & (persons["age"].to_numpy() <= 17)
    n_children = np.bincount(idx, weights=child017, minlength=pop.n_households)
    change = (run.disposable_income.sum(axis=1) - baseline.disposable_income.sum(axis=1)) / 12
    hit = (n_children >= 1) & (-change > 0.5)
    weights = pop.households["weight"].to_numpy()[hit] * n_children[hit]
    if not (weights > 0).any():
        return []
    values = -change[hit] / n_children[hit]
    quantiles = m.weighted_quantile(values, weights, np.array(LOSS_PERCENTILES) / 100)
    return [
        {
            "scenario": run.label,
            "metric": "loss_per_child_sek_month",
            "group": f"percentil:{p}",
            "value": float(q),
            "low": None,
            "high": None,
        }
        for p, q in zip(LOSS_PERCENTILES, quantiles, strict=True)
    ]


def _run_rows(
    run: ScenarioYear,
    baseline: ScenarioYear,
    groups: Groups,
    base: _Standard,
    own: _Standard,
    profile: KommunProfile | None = None,
):
    pop = run.population
    persons, households = pop.persons, pop.households
    w_hh = households["weight"].to_numpy()
    w_p = persons["weight"].to_numpy()
    idx = persons["household_idx"].to_numpy()
    is_child = persons["is_child"].to_numpy()
    age = persons["age"].to_numpy()
    child017 = is_child & (age <= 17)
    n = pop.n_households
    n_children017 = np.bincount(idx, weights=child017, minlength=n)
    paid = run.forsorjningsstod
    paid_year = paid.sum(axis=1)
    months = (paid > 0).sum(axis=1)
    recipient = months > 0
    recipient_p = recipient[idx]
    base_paid_year = baseline.forsorjningsstod.sum(axis=1)
    change_month = (run.disposable_income.sum(axis=1) - baseline.disposable_income.sum(axis=1)) / 12
    delivered = delivery(run, funding_share=np.array([whole_funding_share(run, baseline)]))

    # Money.
    fs_paid = m.weighted_total(paid_year, w_hh)
    premium = m.weighted_total(run.jobbpremie.sum(axis=1), w_hh)
    cost = float(delivered.cost_sek_year[0])
    funding = float(delivered.funding_sek_year[0])
    yield "fs_paid_sek_year", "all", fs_paid
    yield "fs_paid_sek_month", "all", fs_paid / 12
    yield "jobbpremie_paid_sek_year", "all", premium
    yield "activity_cost_sek_year", "all", float(delivered.activity_cost_sek_year[0])
    yield "activity_state_funding_sek_year", "all", float(delivered.activity_funding_sek_year[0])
    yield "childcare_cost_sek_year", "all", float(delivered.childcare_cost_sek_year[0])
    yield (
        "childcare_state_funding_sek_year",
        "all",
        float(delivered.childcare_funding_sek_year[0]),
    )
    yield "casework_cost_sek_year", "all", float(delivered.casework_cost_sek_year[0])
    yield "delivery_cost_sek_year", "all", cost
    yield "delivery_state_funding_sek_year", "all", funding
    yield "delivery_funding_gap_sek_year", "all", cost - funding
    yield "municipal_cost_sek_year", "all", fs_paid + cost - funding
    yield "state_cost_sek_year", "all", premium + funding
    yield "public_cost_sek_year", "all", fs_paid + cost + premium
    yield from _delivery_rows(run, baseline, groups, delivered)
    if profile is not None:
        yield from _profile_rows(delivered, profile)

    # Caseload.
    yield "fs_households_year", "all", m.weighted_count(recipient, w_hh)
    yield "fs_adults_year", "all", m.weighted_count(recipient_p & ~is_child, w_p)
    yield "fs_children_year", "all", m.weighted_count(recipient_p & child017, w_p)
    yield "fs_longterm_share", "all", m.share(months >= 10, w_hh, within=recipient)
    yield "fs_months_per_household", "all", _mean(months, w_hh, recipient)
    for i in range(12):
        yield "fs_households_month", f"månad:{i + 1}", m.weighted_count(paid[:, i] > 0, w_hh)

    # Poverty (persons, on their dwelling's economic standard).
    for share, suffix in ((0.6, ""), (0.5, "_50"), (0.4, "_40")):
        line = own.line / 0.6 * share
        yield f"poverty_rate{suffix}", "all", m.poverty_rate(own.person_standard, w_p, line=line)
        yield (
            f"child_poverty_rate{suffix}",
            "all",
            m.poverty_rate(own.person_standard, w_p, line=line, within=child017),
        )
    yield "poverty_line_sek_year", "all", own.line
    yield "poverty_rate_fixed_line", "all", m.poverty_rate(own.person_standard, w_p, line=base.line)
    yield (
        "child_poverty_rate_fixed_line",
        "all",
        m.poverty_rate(own.person_standard, w_p, line=base.line, within=child017),
    )
    yield "poverty_gap", "all", m.poverty_gap(own.person_standard, w_p, line=own.line)
    income_year = run.disposable_income.sum(axis=1)
    threshold_year = (run.riksnorm + run.housing_counted).sum(axis=1)
    # Compared in whole öre: a recipient's income equals its norm plus costs, and summation
    # noise must not decide which side of the threshold it falls.
    below = np.round(income_year, 2) < np.round(threshold_year, 2)
    yield "absolute_poverty_rate", "all", m.share(below[idx], w_p)
    yield "child_absolute_poverty_rate", "all", m.share(below[idx], w_p, within=child017)
    yield "gini", "all", m.gini(own.person_standard, w_p)

    # Who is hit by which part.
    on_fs = paid > 0
    hit_fourth = ((run.fourth_child_reduction > 0) & on_fs).any(axis=1)
    hit_norm = ((run.modernisation_reduction > 0) & on_fs).any(axis=1)
    hit_topup = ((baseline.norm_topup - run.norm_topup > 0) & on_fs).any(axis=1)
    hit_sanction = (run.sanction > 0).any(axis=1)
    yield (
        "households_with_lower_fs",
        "all",
        m.weighted_count(paid_year < base_paid_year - 0.5, w_hh),
    )
    yield "households_fourth_child_rule", "all", m.weighted_count(hit_fourth, w_hh)
    yield "children_fourth_child_rule", "all", m.weighted_total(hit_fourth * n_children017, w_hh)
    yield "children_modernised_norm", "all", m.weighted_total(hit_norm * n_children017, w_hh)
    yield "children_topup_removed", "all", m.weighted_total(hit_topup * n_children017, w_hh)
    yield "children_sanctioned", "all", m.weighted_total(hit_sanction * n_children017, w_hh)
    yield "persons_covered_aktivitetskrav", "all", m.weighted_count(run.ever_covered, w_p)
    yield "persons_sanctioned", "all", m.weighted_count(run.ever_sanctioned, w_p)
    yield "persons_moved_to_work", "all", m.weighted_count(run.moved_to_work, w_p)

    # Distribution of the change against the baseline (households with FS in either).
    touched = recipient | (base_paid_year > 0)
    bands = m.change_bands(change_month)
    per_band = m.by_group(np.ones(n), w_hh, bands, len(BAND_LABELS), within=touched).weight
    for label, value in zip(BAND_LABELS, per_band, strict=True):
        yield "households_change_band", f"förändring:{label}", value
    yield (
        "loss_per_child_sek_month",
        "all",
        _nan_to_zero(m.loss_per_child(change_month, n_children017, w_hh, min_loss=0.5)),
    )
    yield "mean_change_sek_month", "all", _mean(change_month, w_hh, None)
    yield "mean_change_recipients_sek_month", "all", _mean(change_month, w_hh, base_paid_year > 0)

    # Breakdowns.
    for name in groups.codes:
        codes = groups.codes[name]
        labels = groups.labels[name]
        k = len(labels)
        count = m.by_group(np.ones(n), w_hh, codes, k).weight
        fs_households = m.by_group(recipient.astype(float), w_hh, codes, k).total
        fs_paid_group = m.by_group(paid_year, w_hh, codes, k).total
        mean_change = m.by_group(change_month, w_hh, codes, k).mean
        mean_change_recipients = m.by_group(
            change_month, w_hh, codes, k, within=base_paid_year > 0
        ).mean
        person_codes = codes[idx]
        for g, label in enumerate(labels):
            group = f"{name}:{label}"
            yield "households", group, count[g]
            yield "fs_households_year", group, fs_households[g]
            yield "fs_paid_sek_year", group, fs_paid_group[g]
            yield "mean_change_sek_month", group, _nan_to_zero(mean_change[g])
            yield "mean_change_recipients_sek_month", group, _nan_to_zero(mean_change_recipients[g])
            in_group = person_codes == g
            yield (
                "poverty_rate",
                group,
                _nan_to_zero(
                    m.poverty_rate(own.person_standard, w_p, line=own.line, within=in_group)
                ),
            )
            yield (
                "child_poverty_rate",
                group,
                _nan_to_zero(
                    m.poverty_rate(
                        own.person_standard, w_p, line=own.line, within=in_group & child017
                    )
                ),
            )


def _mean(values: np.ndarray, weights: np.ndarray, within: np.ndarray | None) -> float:
    w = weights if within is None else np.where(within, weights, 0.0)
    total = w.sum()
    return float((values * w).sum() / total) if total > 0 else 0.0


def _nan_to_zero(value: float) -> float:
    """Empty groups report 0 (the table holds numbers; `households` shows the group is empty)."""
    return 0.0 if np.isnan(value) else float(value)


def _delivery_rows(run: ScenarioYear, baseline: ScenarioYear, groups: Groups, delivered: Delivery):
    """Delivering the aktivitetskrav (:mod:`sim.simulation.delivery`): by month nationally, and the
    year's totals by län and municipality group with the funding shared by the key."""
    yield "activity_places_month", "all", float(delivered.places[0].mean())
    yield "aktivitetskrav_covered_month", "all", float(delivered.covered[0].mean())
    for i in range(12):
        month = f"månad:{i + 1}"
        yield "aktivitetskrav_covered_month", month, float(delivered.covered[0, i])
        yield "activity_hours_month", month, float(delivered.activity_hours[0, i])
        yield "activity_places_month", month, float(delivered.places[0, i])
        yield "childcare_hours_month", month, float(delivered.childcare_hours[0, i])
        yield "casework_hours_month", month, float(delivered.casework_hours[0, i])
    yield "preschool_children_month", "all", float(delivered.preschool_children[0].mean())
    yield "fritidshem_children_month", "all", float(delivered.fritidshem_children[0].mean())
    yield "childcare_hours_year", "all", float(delivered.childcare_hours[0].sum())
    yield "individual_plans_year", "all", float(delivered.newly_covered[0].sum())
    yield "sanction_decisions_year", "all", float(delivered.sanction_decisions[0].sum())
    yield "casework_hours_year", "all", float(delivered.casework_hours[0].sum())
    yield "casework_fte", "all", float(delivered.casework_fte[0])

    pop = run.population
    w_hh = pop.households["weight"].to_numpy()
    w_p = pop.persons["weight"].to_numpy()
    idx = pop.persons["household_idx"].to_numpy()
    recipient = (baseline.forsorjningsstod > 0).any(axis=1)
    key = run.definition.assumptions().aktivitetskrav.funding_key_recipient_weight
    for name in (b for b in GEOGRAPHIC_BREAKDOWNS if b in groups.codes):
        codes, labels = groups.codes[name], groups.labels[name]
        k = len(labels)
        inhabitants = np.bincount(codes[idx], weights=w_p, minlength=k)
        recipients = np.bincount(codes, weights=w_hh * recipient, minlength=k)
        share = funding_shares(inhabitants, recipients, recipient_weight=key)
        by_group = delivery(run, codes=codes, k=k, funding_share=share)
        # Honest precision: the sampled recipient households behind each cell (baseline
        # FS in some month, positive weight) and a flag below MIN_SAMPLED_RECIPIENTS.
        sampled = np.bincount(codes, weights=recipient & (w_hh > 0), minlength=k)
        for g, label in enumerate(labels):
            group = f"{name}:{label}"
            yield "sampled_recipient_households", group, float(sampled[g])
            yield "low_precision", group, float(sampled[g] < MIN_SAMPLED_RECIPIENTS)
            yield "inhabitants", group, float(inhabitants[g])
            yield "funding_key_share", group, float(share[g])
            yield "aktivitetskrav_covered_month", group, float(by_group.covered[g].mean())
            yield "activity_places_month", group, float(by_group.places[g].mean())
            yield "activity_cost_sek_year", group, float(by_group.activity_cost_sek_year[g])
            yield "childcare_cost_sek_year", group, float(by_group.childcare_cost_sek_year[g])
            yield "casework_cost_sek_year", group, float(by_group.casework_cost_sek_year[g])
            yield "delivery_cost_sek_year", group, float(by_group.cost_sek_year[g])
            yield "delivery_state_funding_sek_year", group, float(by_group.funding_sek_year[g])
            yield (
                "delivery_funding_gap_sek_year",
                group,
                float(by_group.funding_gap_sek_year[g]),
            )


def _profile_rows(delivered: Delivery, profile: KommunProfile):
    """A municipality's capacity against what the run needs (docs/municipal.md §3)."""
    available = profile.aktivitetsplatser
    if available is not None:
        shortfall = np.maximum(delivered.places[0] - available, 0.0)
        yield "activity_places_available", "all", available
        yield "activity_places_shortfall_month", "all", float(shortfall.max())
        for i in range(12):
            yield "activity_places_shortfall_month", f"månad:{i + 1}", float(shortfall[i])
    if profile.handlaggare is None or profile.arenden_per_handlaggare is None:
        return  # what only the kommun knows (an official profile has no caseworkers)
    extra = float(delivered.casework_fte[0]) / profile.handlaggare if profile.handlaggare else 0.0
    yield "caseworkers_available", "all", profile.handlaggare
    yield "casework_extra_share", "all", extra
    yield (
        "caseload_equivalent_per_caseworker",
        "all",
        profile.arenden_per_handlaggare * (1 + extra),
    )
