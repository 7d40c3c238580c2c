"""The bidragstak beside the government's own figures: its parts' static savings against the
budget line, and the counts the government reports beside the model's.

The budget of the bidragsreform (regeringen.se, 17 Sep 2025, "Regeringens bidragsreform,
förändring av anslag, miljoner kronor") has one line for the bidragstak: **−170 mkr in
2027, −242 mkr in 2028** (:data:`BUDGET_LINE`). It is a change of the state's
appropriations: försörjningsstöd is paid by the municipalities, so a saving there reaches
the state budget through the finansieringsprincip (the general grant follows the
municipalities' cost of a changed rule) [D]. Which parts it prices is not said. Two
readings (:data:`READINGS`):

* **A, all three parts**: the modernised norm, the fourth-child rule and the norm as a
  ceiling;
* **B, without the norm level**: the fourth-child rule and the ceiling only. The level of
  the modernised norm did not exist when the line was computed (SCB was commissioned in
  January 2026 to compute the jämförelsetal it is set from), so it would follow with the
  riksnorm decision.

The model's side: each part run alone and statically on the same population, with the same
seed and top-ups as the run (scenarios ``bidragstak_del1_riksnorm``,
``bidragstak_del2_fjarde_barnet``, ``bidragstak_del3_tak``), its saving the baseline's FS
paid minus its own; the whole reform statically; and the interaction, the whole less the
sum of the parts (FS cannot fall below zero, so parts overlap).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence

import numpy as np

from sim.metrics import statistics as m
from sim.scenarios.scenario import Scenario
from sim.simulation.year import ScenarioYear

#: The part scenarios, in the order of the law (prop. 2025/26:201: "består av tre delar").
PART_SCENARIOS = (
    "bidragstak_del1_riksnorm",
    "bidragstak_del2_fjarde_barnet",
    "bidragstak_del3_tak",
)
#: Group label of each part, and of the whole and the interaction.
PART_GROUPS = {
    "bidragstak_del1_riksnorm": "del:moderniserad riksnorm",
    "bidragstak_del2_fjarde_barnet": "del:fjärde barnet",
    "bidragstak_del3_tak": "del:riksnormen som tak",
}
WHOLE_GROUP = "del:hela bidragstaket"
INTERACTION_GROUP = "del:samspel"

#: The government's budget line "Bidragstak med mera: Bidragstak", SEK a year (a saving).
BUDGET_LINE = {2027: 170e6, 2028: 242e6}
BUDGET_SOURCE = (
    "Regeringen, 17 Sep 2025: 'Regeringens bidragsreform (förändring av anslag, miljoner "
    "kronor)', Bidragstak med mera: Bidragstak −170 (2027), −242 (2028)"
)
BUDGET_URL = "https://www.regeringen.se/pressmeddelanden/2025/09/en-reform-for-att-bryta-bidragsberoendet-och-starka-sverige/"

#: The persons the government says may get less ("ungefär 150 tusen personer", Dec 2025).
PERSONS_LOWER = 150_000
PERSONS_SOURCE = (
    "8 Sidor, 16 Dec 2025, on the lagrådsremiss: 'Ungefär 150 tusen personer kan få mindre "
    "pengar' (TT in Epoch Times: 'Lagförslag om bidragstak klart – 150 000 berörs')"
)
PERSONS_URL = "https://8sidor.se/alla-valjare/2025/12/familjer-kan-fa-mindre-bidrag/"

#: Reading -> the part scenarios the budget line would price.
READINGS = {
    "A": PART_SCENARIOS,
    "B": PART_SCENARIOS[1:],
}


def has_bidragstak(scenario: Scenario, year: int) -> bool:
    """Whether the government's three parts are all on in some month of ``year``."""
    law = scenario.law(year)
    for month in range(1, 13):
        p = law.resolve(dt.date(year, month, 1)).bidragstak
        if p.modernised_riksnorm and p.fourth_child_rule and p.no_topups:
            return True
    return False


@dataclasses.dataclass(frozen=True)
class Saving:
    """The static saving of one part (or the whole), SEK a year, and who it reaches."""

    group: str
    saving_sek_year: float


def static_savings(
    baseline: ScenarioYear, whole_static: ScenarioYear, parts: Sequence[ScenarioYear]
) -> list[Saving]:
    """Each part's static saving, the whole reform's and the interaction (module doc)."""
    w = baseline.population.households["weight"].to_numpy()
    base = m.weighted_total(baseline.forsorjningsstod.sum(axis=1), w)

    def saving(run: ScenarioYear) -> float:
        return base - m.weighted_total(run.forsorjningsstod.sum(axis=1), w)

    savings = [Saving(PART_GROUPS[run.scenario], saving(run)) for run in parts]
    whole = saving(whole_static)
    savings.append(Saving(WHOLE_GROUP, whole))
    savings.append(Saving(INTERACTION_GROUP, whole - sum(s.saving_sek_year for s in savings[:-1])))
    return savings


def comparison_rows(
    baseline: ScenarioYear,
    whole_static: ScenarioYear,
    parts: Sequence[ScenarioYear],
    year: int,
) -> Iterator[tuple[str, str, float]]:
    """Rows ``(metric, group, value)`` of the comparison, for the reform's static label.

    ``static_saving_sek_year`` by part (the groups of :data:`PART_GROUPS`, the whole and the
    interaction); ``government_saving_sek_year`` (the budget line, where the year has one);
    ``static_saving_reading_sek_year`` under each reading (``läsning:A``/``läsning:B``);
    and the counts, each as the year's count and as a mean month
    (``..._month_mean``): households with lower FS, persons in them, households and persons
    under the fourth-child rule, children in them.
    """
    savings = static_savings(baseline, whole_static, parts)
    for s in savings:
        yield "static_saving_sek_year", s.group, s.saving_sek_year
    by_scenario = {run.scenario: s for run, s in zip(parts, savings[: len(parts)], strict=True)}
    for reading, names in READINGS.items():
        total = sum(by_scenario[name].saving_sek_year for name in names if name in by_scenario)
        yield "static_saving_reading_sek_year", f"läsning:{reading}", total
    if year in BUDGET_LINE:
        yield "government_saving_sek_year", "all", BUDGET_LINE[year]
    yield "government_persons_lower_fs", "all", float(PERSONS_LOWER)
    yield from _counts(baseline, whole_static)


def _counts(baseline: ScenarioYear, run: ScenarioYear) -> Iterator[tuple[str, str, float]]:
    pop = run.population
    w_hh = pop.households["weight"].to_numpy()
    idx = pop.persons["household_idx"].to_numpy()
    is_child = pop.persons["is_child"].to_numpy()
    age = pop.persons["age"].to_numpy()
    n = pop.n_households
    n_persons = np.bincount(idx, minlength=n).astype(float)
    n_children017 = np.bincount(idx, weights=is_child & (age <= 17), minlength=n)
    per_household = {"households": np.ones(n), "persons": n_persons, "children": n_children017}
    # Per month: a household with less FS than in the baseline that month (static, the same
    # take-up), and one whose norm the fourth-child rule lowered in a month with FS.
    lower = run.forsorjningsstod < baseline.forsorjningsstod - 0.5
    fourth = (run.fourth_child_reduction > 0) & (run.forsorjningsstod > 0)
    for name, hit in (("lower_fs", lower), ("fourth_child_rule", fourth)):
        year_hit = hit.any(axis=1)
        for unit, count in per_household.items():
            yield f"{unit}_{name}_year", "all", m.weighted_total(year_hit * count, w_hh)
            monthly = [m.weighted_total(hit[:, i] * count, w_hh) for i in range(hit.shape[1])]
            yield f"{unit}_{name}_month_mean", "all", sum(monthly) / len(monthly)
