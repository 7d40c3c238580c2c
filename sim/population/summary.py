"""Weighted statistics of a simulated population: caseload, money, economic standard.

Definitions (all weighted with the population's weights):

* a *recipient household* is a biståndshushåll with försörjningsstöd paid (> 0) in at least
  one month 1..12; its *months* are the months with FS paid; *long-term* means 10-12 months;
* *economic standard* (SCB's ekonomisk standard) is the dwelling's annual disposable income
  (sum over its units and the twelve months) divided by its consumption units on SCB's scale
  (first adult 1.00, cohabiting partner 0.51, each further adult 0.60, first child 0.52,
  each further child 0.42; children are the hemmavarande children 0-19 of the units);
* the *low-economic-standard rate* is the share of persons whose economic standard is
  strictly below 60 % of the person-weighted median (lower median: the smallest value at
  which the cumulative weight reaches half);
* the *Gini coefficient* is over persons' economic standard.
"""

from __future__ import annotations

import numpy as np

from sim.population.tables import Population

#: SCB consumption-unit weights (targets.csv rows scale_*).
SCALE_FIRST_ADULT = 1.00
SCALE_PARTNER = 0.51
SCALE_OTHER_ADULT = 0.60
SCALE_FIRST_CHILD = 0.52
SCALE_OTHER_CHILD = 0.42

#: Recipient household types of SCB's table (first adult's sex, cohabitation, children).
FS_HH_TYPES = (
    "couple_no_children",
    "couple_children",
    "single_woman_no_children",
    "single_woman_children",
    "single_man_no_children",
    "single_man_children",
)


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """Lower weighted median.

    >>> weighted_median(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0]))
    2.0
    """
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])])


def gini(values: np.ndarray, weights: np.ndarray) -> float:
    """Weighted Gini coefficient (Lorenz-curve area).

    >>> round(gini(np.array([1.0, 1.0]), np.array([1.0, 1.0])), 6)
    0.0
    """
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[order]
    cum_w = np.cumsum(w) / w.sum()
    cum_v = np.cumsum(v * w) / (v * w).sum()
    previous = np.r_[0.0, cum_v[:-1]]
    return float(1.0 - np.sum(np.diff(np.r_[0.0, cum_w]) * (cum_v + previous)))


def household_type_codes(population: Population) -> np.ndarray:
    """Index into :data:`FS_HH_TYPES` for every biståndshushåll."""
    p = population.persons
    idx = p["household_idx"].to_numpy()
    n = population.n_households
    is_child = p["is_child"].to_numpy()
    n_children = np.bincount(idx, weights=is_child, minlength=n)
    first = np.r_[True, idx[1:] != idx[:-1]]
    female = np.zeros(n, dtype=bool)
    female[idx[first]] = p["is_female"].to_numpy()[first]
    cohabiting = population.households["is_cohabiting"].to_numpy()
    kids = n_children > 0
    return np.select(
        [cohabiting & ~kids, cohabiting & kids, female & ~kids, female & kids, ~kids],
        [0, 1, 2, 3, 4],
        default=5,
    )


def first_adult_age(population: Population) -> np.ndarray:
    """Age on 1 January of each unit's first adult."""
    p = population.persons
    idx = p["household_idx"].to_numpy()
    first = np.r_[True, idx[1:] != idx[:-1]]
    age = np.zeros(population.n_households)
    age[idx[first]] = p["age"].to_numpy()[first]
    return age


def economic_standard(population: Population) -> tuple[np.ndarray, np.ndarray]:
    """``(standard per dwelling, persons per dwelling)``: annual disposable income per
    consumption unit (SCB scale), summed over the dwelling's units."""
    p = population.persons
    n_dw = population.dwellings.height
    unit_dwelling = population.households["dwelling_idx"].to_numpy()
    disposable = population.household_months_array("disposable_income").sum(axis=1)
    income = np.bincount(unit_dwelling, weights=disposable, minlength=n_dw)
    dwelling = p["dwelling_idx"].to_numpy()
    is_child = p["is_child"].to_numpy()
    new_dwelling = np.r_[True, dwelling[1:] != dwelling[:-1]]
    # Rank of adults and children within the dwelling (persons are sorted by dwelling).
    adult_rank = _rank_within(dwelling, ~is_child)
    child_rank = _rank_within(dwelling, is_child)
    cohabiting = population.households["is_cohabiting"].to_numpy()
    idx = p["household_idx"].to_numpy()
    main_partner = (
        (~is_child)
        & (adult_rank == 1)
        & cohabiting[idx]
        & (population.households["unit_role"].to_numpy()[idx] == 0)
    )
    unit = np.where(
        is_child,
        np.where(child_rank == 0, SCALE_FIRST_CHILD, SCALE_OTHER_CHILD),
        np.where(
            adult_rank == 0,
            SCALE_FIRST_ADULT,
            np.where(main_partner, SCALE_PARTNER, SCALE_OTHER_ADULT),
        ),
    )
    del new_dwelling
    units = np.bincount(dwelling, weights=unit, minlength=n_dw)
    persons = np.bincount(dwelling, minlength=n_dw)
    return income / units, persons


def _rank_within(group: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """0-based rank among ``mask`` rows within runs of equal sorted ``group`` (-1 elsewhere)."""
    counts = np.cumsum(mask)
    first = np.r_[True, group[1:] != group[:-1]]
    start = np.flatnonzero(first)
    before = np.repeat(counts[start] - mask[start], np.diff(np.r_[start, group.size]))
    return np.where(mask, counts - before - 1, -1)


def low_standard_line(population: Population, dwelling_weights: np.ndarray) -> float:
    """60 % of the person-weighted median economic standard."""
    standard, persons = economic_standard(population)
    return 0.6 * weighted_median(standard, dwelling_weights * persons)


def summarise(population: Population) -> dict[str, object]:
    """The population summary (``summary.json``); weights are the population's."""
    hh, p = population.households, population.persons
    w_hh = hh["weight"].to_numpy()
    w_p = p["weight"].to_numpy()
    w_dw = population.dwellings["weight"].to_numpy()
    paid = population.household_months_array("forsorjningsstod")
    months = (paid > 0).sum(axis=1)
    recipient = months > 0
    idx = p["household_idx"].to_numpy()
    is_child = p["is_child"].to_numpy()
    age = p["age"].to_numpy()
    recipient_p = recipient[idx]
    standard, persons_dw = economic_standard(population)
    median = weighted_median(standard, w_dw * persons_dw)
    poor_dw = standard < 0.6 * median
    dwelling = p["dwelling_idx"].to_numpy()
    poor_p = poor_dw[dwelling]
    child017 = is_child & (age <= 17)
    fs_adults = recipient_p & ~is_child
    return {
        "year": population.year,
        "households": float(w_hh.sum()),
        "dwellings": float(w_dw.sum()),
        "persons": float(w_p.sum()),
        "children": float(w_p[child017].sum()),
        "fs_households_year": float(w_hh[recipient].sum()),
        "fs_adults_year": float(w_p[fs_adults].sum()),
        "fs_children_year": float(w_p[recipient_p & child017].sum()),
        "fs_households_by_month": [float(w_hh[paid[:, i] > 0].sum()) for i in range(12)],
        "fs_longterm_share": _ratio(w_hh[months >= 10].sum(), w_hh[recipient].sum()),
        "fs_households_full_year": float(w_hh[months == 12].sum()),
        "fs_months_per_household": _ratio((w_hh * months).sum(), w_hh[recipient].sum()),
        "fs_paid_sek_year": float((w_hh * paid.sum(axis=1)).sum()),
        "fs_adults_foreign_born_share": _ratio(
            w_p[fs_adults & p["is_born_abroad"].to_numpy()].sum(), w_p[fs_adults].sum()
        ),
        "low_economic_standard_rate": _ratio(w_p[poor_p].sum(), w_p.sum()),
        "child_low_economic_standard_rate": _ratio(
            w_p[poor_p & child017].sum(), w_p[child017].sum()
        ),
        "median_economic_standard": median,
        "gini_economic_standard": gini(standard, w_dw * persons_dw),
    }


def _ratio(a: float, b: float) -> float:
    return float(a / b) if b > 0 else float("nan")
