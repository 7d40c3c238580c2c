"""The synthetic population: dwellings, biståndshushåll, persons and their months.

:func:`generate` draws a stratified sample of Swedish *bostadshushåll* (dwellings, SCB's
household types), splits each dwelling into *biståndshushåll* (SoL 12 kap.: one or two
adults who are married or sambo and their hemmavarande children; the engine's
``Households``), and gives every adult a monthly labour-market path with incomes
(:mod:`sim.population.states`, :mod:`sim.population.incomes`).

Representation of dwellings with several units (documented in ``docs/population.md``):

* a child of 18 or more at 1 January who is not in gymnasieskola (or is 20 or older) forms
  a one-adult unit of its own in the parents' dwelling (SoL 12 kap. 9 §: the parents'
  maintenance duty ends at 18, or 21 while in school);
* SCB's "med barn 25+" dwellings hold a parent unit and one adult-child unit;
* SCB's "övriga hushåll" (several adults, not one couple) are split into one-adult units
  (or a couple with children plus one more adult).

A split unit pays its per-person share of the dwelling's housing cost. Weights belong to
dwellings (the sampling unit); every unit and person of a dwelling carries its weight.

Oversampling: the sample is stratified by SCB household type × disadvantage class (low,
middle, high: a latent class that drives unemployment, sickness, wages and country of
birth). High-disadvantage dwellings are sampled ``OVERSAMPLING`` times more often than
their population share; the design weight of a dwelling is its stratum's population count
divided by the stratum's sample count.

Randomness comes only from the ``rng`` passed in; every part draws from its own child
stream (``rng.spawn``), so the same seed gives the same population.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from sim.common.errors import SimInputError
from sim.population.incomes import monthly_incomes
from sim.population.states import simulate_states
from sim.population.tables import (
    BURN_IN_MONTHS,
    DWELLING_COUNTS_2021,
    GENERATED_MONTHS,
    HISTORY_MONTHS,
    MONTHS,
    POPULATION_2021,
    POPULATION_2024,
    SUPPORTED_YEARS,
    DwellingType,
    Population,
    UnitRole,
)

#: P(disadvantage class | dwelling type): columns low, middle, high [assumption]. Single
#: parents carry the most disadvantage, couples the least, as the share of each type on
#: FS in 2021 says (fs_takeup_* in targets.csv: 13.9 % of single mothers, 2.1 % of couples
#: with children, 0.6 % of couples without).
DISADVANTAGE_BY_TYPE = np.array(
    [
        [0.87, 0.10, 0.03],
        [0.66, 0.22, 0.12],
        [0.88, 0.10, 0.02],
        [0.94, 0.057, 0.003],
        [0.90, 0.085, 0.015],
        [0.915, 0.08, 0.005],
        [0.79, 0.15, 0.06],
        [0.74, 0.18, 0.08],
    ]
)
#: Sampling rate relative to the population share, by disadvantage class.
OVERSAMPLING = np.array([1.0, 3.0, 15.0])
#: P(municipality group | disadvantage class); overall near SKR's shares of households.
MUNICIPALITY_BY_DISADVANTAGE = np.array(
    [[0.38, 0.36, 0.26], [0.42, 0.35, 0.23], [0.52, 0.32, 0.16]]
)
#: Housing-limit factor of each municipality group (relative to the assumption table).
HOUSING_LIMIT_FACTOR = np.array([1.25, 1.0, 0.9])
#: Rent per m² and year in rental flats by municipality group, 2024 (SCB Hyror i
#: bostadslägenheter 2024: riket about 1 320 kr/m², higher in the metro regions) [D].
RENT_PER_SQM_YEAR = np.array([1_480.0, 1_320.0, 1_180.0])
#: Flat area by number of rooms (1-5 rok), m².
AREA_BY_ROOMS = np.array([38.0, 58.0, 75.0, 92.0, 110.0])
#: Rent per m² relative to the average by number of rooms: small flats cost more per m²
#: (SCB Hyror i bostadslägenheter: 1 rok about a quarter above the average per m², 4-5 rok
#: slightly below) [D, order of magnitude].
RENT_FACTOR_BY_ROOMS = np.array([1.25, 1.07, 1.0, 0.97, 0.95])
#: Share owning (villa/bostadsrätt) by disadvantage class.
OWNER_SHARE = np.array([0.68, 0.40, 0.12])
#: Share of adults born abroad by disadvantage class (overall about 21 % of adults).
BORN_ABROAD = np.array([0.12, 0.32, 0.62])
#: Share of foreign-born adults 20-64 who arrived in the last two years (etablering).
NEW_ARRIVAL = np.array([0.0, 0.015, 0.06])
#: Arrivals are spread evenly over the 24 months before month -5 and the months -4..12
#: (41 months), so that etableringsprogrammet keeps its stock through the year; the share
#: of arrivals is NEW_ARRIVAL x 41/24, of whom 24/41 are in the programme in any month.
ARRIVAL_WINDOW_MONTHS = 24 + len(MONTHS) - 1
#: a-kassa membership (with the work condition) and SGI, by disadvantage class.
AKASSA_MEMBER = np.array([0.90, 0.70, 0.35])
HAS_SGI = np.array([0.96, 0.80, 0.50])
#: Median usual monthly earnings (incl. part time) and log-sd, by disadvantage class.
WAGE_MEDIAN = np.array([36_000.0, 28_000.0, 23_000.0])
WAGE_LOG_SD = np.array([0.45, 0.50, 0.50])
#: Median pension before top-ups, by disadvantage class.
PENSION_MEDIAN = np.array([21_000.0, 16_000.0, 12_000.0])
#: Number of children (1..6) in dwellings with children, by disadvantage class.
CHILDREN_PROBS = np.array(
    [
        [0.43, 0.41, 0.12, 0.03, 0.007, 0.003],
        [0.38, 0.38, 0.16, 0.05, 0.02, 0.01],
        [0.30, 0.30, 0.21, 0.11, 0.05, 0.03],
    ]
)
#: Liquid savings of a biståndshushåll (bank balances, funds) by disadvantage class: the
#: share with (almost) none, and the median and log-sd of the rest, SEK; owners hold twice
#: the median. About a fifth of Swedish households could not meet an unexpected expense
#: of a month's income from savings (SCB ULF/SILC, "kontantmarginal"), far more among
#: low-income, single and foreign-born households [assumption, order of magnitude].
ASSETS_NONE_SHARE = np.array([0.10, 0.35, 0.70])
ASSETS_MEDIAN = np.array([80_000.0, 25_000.0, 8_000.0])
ASSETS_LOG_SD = 1.2
#: Share of women among single adults under 70 without children, by disadvantage class:
#: men are the majority of young and disadvantaged single adults (SCB household
#: statistics; recipients: single men without children 42 % vs single women 25 % of
#: recipient households 2021, targets.csv) [assumption].
SINGLE_FEMALE_SHARE = np.array([0.50, 0.42, 0.33])
#: Share of children in single-parent units for whom underhållsstöd is paid.
UNDERHALLSSTOD_SHARE = np.array([0.35, 0.50, 0.60])


def _stream(rng: np.random.Generator, n: int) -> list[np.random.Generator]:
    return list(rng.spawn(n))


def _allocate(n: int, shares: np.ndarray) -> np.ndarray:
    """Integer sample sizes proportional to ``shares`` summing to ``n`` (largest remainder)."""
    raw = n * shares / shares.sum()
    counts = np.floor(raw).astype(np.int64)
    short = n - counts.sum()
    order = np.argsort(-(raw - counts), kind="stable")
    counts[order[:short]] += 1
    return counts


def _piecewise_age(rng: np.random.Generator, bands: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Ages drawn uniformly within a band chosen per row (``probs`` is n x n_bands)."""
    u = rng.random(probs.shape[0])
    band = (u[:, None] > np.cumsum(probs, axis=1)).sum(axis=1)
    band = np.minimum(band, len(bands) - 1)
    low, high = bands[band, 0], bands[band, 1]
    return np.floor(low + rng.random(band.size) * (high - low)).astype(np.int64)


def generate(*, n_households: int, year: int, rng: np.random.Generator) -> Population:
    """Generate a synthetic population of ``n_households`` sampled dwellings for ``year``.

    ``n_households`` counts sampled dwellings (bostadshushåll); the number of
    biståndshushåll is about 24 % larger because some dwellings hold several units.

    >>> pop = generate(n_households=200, year=2024, rng=np.random.default_rng(1))
    >>> pop.dwellings.height, pop.households.height >= 200
    (200, True)
    """
    if isinstance(n_households, bool) or not isinstance(n_households, int | np.integer):
        raise SimInputError(f"the number of households must be an integer, not {n_households!r}")
    if n_households <= 0:
        raise SimInputError(f"the number of households must be positive, not {n_households}")
    if year not in SUPPORTED_YEARS:
        supported = ", ".join(str(y) for y in SUPPORTED_YEARS)
        raise SimInputError(f"year {year} is not supported (supported: {supported})")
    r_frame, r_people, r_housing, r_states, r_incomes, r_takeup = _stream(rng, 6)
    from sim.population.geography import place_dwellings  # geography -> targets -> here

    # The seventh stream (added with the län) leaves the six above as they were.
    (r_geography,) = _stream(rng, 1)
    dwellings = _draw_dwellings(n_households, year=year, rng=r_frame)
    dwellings.update(place_dwellings(dwellings["municipality_group"], r_geography))
    dwellings["design_weight"] = dwellings["design_weight"] * dwellings.pop("_kommun_correction")
    persons, units = _draw_people(dwellings, rng=r_people)
    _draw_housing(dwellings, units, persons, rng=r_housing)
    months = _draw_months(dwellings, units, persons, rng_states=r_states, rng_incomes=r_incomes)
    units["takeup_propensity"] = r_takeup.random(units["dwelling_idx"].size)
    units["liquid_assets_sek"] = _draw_assets(dwellings, units, rng=r_takeup.spawn(1)[0])
    dwelling_weight = dwellings["design_weight"]
    units["weight"] = dwelling_weight[units["dwelling_idx"]]
    persons["weight"] = dwelling_weight[persons["dwelling_idx"]]
    dwellings["weight"] = dwelling_weight.copy()
    return Population(
        year=year,
        dwellings=pl.DataFrame(dwellings),
        households=pl.DataFrame({k: v for k, v in units.items() if not k.startswith("_")}),
        persons=pl.DataFrame({k: v for k, v in persons.items() if not k.startswith("_")}),
        person_months=pl.DataFrame(months),
    )


def population_households(year: int) -> float:
    """Bostadshushåll in ``year``: SCB 2021 total scaled by population growth (documented)."""
    return (
        float(DWELLING_COUNTS_2021.sum() * POPULATION_2024 / POPULATION_2021)
        if year == 2024
        else 0.0
    )


def _draw_dwellings(n: int, *, year: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    type_shares = DWELLING_COUNTS_2021 / DWELLING_COUNTS_2021.sum()
    joint = type_shares[:, None] * DISADVANTAGE_BY_TYPE  # (8, 3) population shares
    sample_shares = (joint * OVERSAMPLING[None, :]).ravel()
    counts = _allocate(n, sample_shares)
    stratum = np.repeat(np.arange(counts.size), counts)
    population = population_households(year) * joint.ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        stratum_weight = np.where(counts > 0, population / np.maximum(counts, 1), 0.0)
    dwelling_type = stratum // 3
    disadvantage = stratum % 3
    u = rng.random(n)
    municipality = (u[:, None] > np.cumsum(MUNICIPALITY_BY_DISADVANTAGE[disadvantage], 1)).sum(1)
    return {
        "dwelling_idx": np.arange(n, dtype=np.int64),
        "dwelling_type": dwelling_type.astype(np.int8),
        "disadvantage": disadvantage.astype(np.int8),
        "stratum": stratum.astype(np.int16),
        "municipality_group": np.minimum(municipality, 2).astype(np.int8),
        "design_weight": stratum_weight[stratum],
    }


def _draw_people(
    d: dict[str, np.ndarray], *, rng: np.random.Generator
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Adults and children of every dwelling, grouped into biståndshushåll."""
    T = DwellingType
    n = d["dwelling_idx"].size
    dtype_, dis = d["dwelling_type"], d["disadvantage"]
    r = _stream(rng, 12)
    has_children = np.isin(
        dtype_, [T.SINGLE_CHILDREN_0_24, T.COUPLE_CHILDREN_0_24, T.OTHER_CHILDREN_0_24]
    )
    # The main unit: a couple in couple dwellings and in half of "other with children".
    couple = np.isin(
        dtype_, [T.COUPLE_NO_CHILDREN, T.COUPLE_CHILDREN_0_24, T.COUPLE_CHILDREN_25PLUS]
    )
    couple |= (dtype_ == T.OTHER_CHILDREN_0_24) & (r[0].random(n) < 0.5)

    # Children 0-24 of the main unit.
    n_kids = np.where(
        has_children,
        1 + (r[1].random(n)[:, None] > np.cumsum(CHILDREN_PROBS[dis], 1)).sum(1),
        0,
    )
    n_kids = np.minimum(n_kids, 6)
    eldest = np.floor(r[2].random(n) * 25).astype(np.int64)
    # Parent's age: eldest child + 20..40 where there are children; else by dwelling type.
    parent_age = eldest + 20 + np.floor(r[3].random(n) * 19).astype(np.int64)
    bands_single = np.array([[18, 30], [30, 50], [50, 66], [66, 96]])
    probs_single = np.array(
        [[0.18, 0.18, 0.20, 0.44], [0.30, 0.28, 0.22, 0.20], [0.35, 0.35, 0.22, 0.08]]
    )[dis]
    probs_couple = np.array(
        [[0.20, 0.14, 0.20, 0.46], [0.25, 0.25, 0.20, 0.30], [0.35, 0.35, 0.20, 0.10]]
    )[dis]
    bands_couple = np.array([[20, 36], [36, 56], [56, 66], [66, 92]])
    age_single = _piecewise_age(r[4], bands_single, probs_single)
    age_couple = _piecewise_age(r[4], bands_couple, probs_couple)
    age_other = _piecewise_age(
        r[4],
        np.array([[18, 30], [30, 50], [50, 66], [66, 86]]),
        np.tile([0.45, 0.30, 0.15, 0.10], (n, 1)),
    )
    adult_child_age = 25 + np.floor(r[5].random(n) * 20).astype(np.int64)
    age_main = np.select(
        [
            has_children,
            np.isin(dtype_, [T.SINGLE_CHILDREN_25PLUS, T.COUPLE_CHILDREN_25PLUS]),
            dtype_ == T.SINGLE_NO_CHILDREN,
            dtype_ == T.COUPLE_NO_CHILDREN,
        ],
        [
            parent_age,
            adult_child_age + 22 + np.floor(r[5].random(n) * 16).astype(np.int64),
            age_single,
            age_couple,
        ],
        default=age_other,
    )
    age_main = np.clip(age_main, 18, 100)

    # Expand children: one row per child with its age.
    child_dwelling = np.repeat(np.arange(n), n_kids)
    first_child = np.cumsum(n_kids) - n_kids
    rank = np.arange(child_dwelling.size) - first_child[child_dwelling]
    gaps = 1 + np.floor(r[6].random(child_dwelling.size) * 4).astype(np.int64)
    gaps = np.where(rank == 0, 0, gaps)
    cumulative_gap = np.cumsum(gaps)
    cum_gap = cumulative_gap - cumulative_gap[first_child[child_dwelling]]
    child_age = np.maximum(eldest[child_dwelling] - cum_gap, 0)
    u_school = r[7].random(child_dwelling.size)
    in_school_prob = np.select(
        [child_age <= 17, child_age == 18, child_age == 19], [1.0, 0.9, 0.3], 0.0
    )
    child_in_school = u_school < in_school_prob
    stays_child = (child_age <= 17) | ((child_age <= 19) & child_in_school)

    # Extra one-adult units: adult children (0-24 types and 25+ types) and other adults.
    extra_other = np.select(
        [dtype_ == T.OTHER_NO_CHILDREN, dtype_ == T.OTHER_CHILDREN_0_24],
        [1 + (r[8].random(n) < 0.3), 1],
        default=0,
    )
    extra_25 = np.where(
        np.isin(dtype_, [T.SINGLE_CHILDREN_25PLUS, T.COUPLE_CHILDREN_25PLUS]),
        1 + (r[8].random(n) < 0.15),
        0,
    )
    grown = ~stays_child
    # Unit rows: main units, then grown children, then 25+ children, then other adults.
    n_main = n
    grown_dwelling = child_dwelling[grown]
    grown_age = child_age[grown]
    dw_25 = np.repeat(np.arange(n), extra_25)
    age_25 = adult_child_age[dw_25] + np.floor(r[9].random(dw_25.size) * 3).astype(np.int64)
    dw_other = np.repeat(np.arange(n), extra_other)
    age_oth = _piecewise_age(
        r[9],
        np.array([[18, 30], [30, 50], [50, 66], [66, 86]]),
        np.tile([0.45, 0.30, 0.15, 0.10], (dw_other.size, 1)),
    )
    unit_dwelling = np.concatenate([np.arange(n), grown_dwelling, dw_25, dw_other])
    unit_role = np.concatenate(
        [
            np.full(n_main, UnitRole.MAIN),
            np.full(grown_dwelling.size, UnitRole.ADULT_CHILD),
            np.full(dw_25.size, UnitRole.ADULT_CHILD),
            np.full(dw_other.size, UnitRole.OTHER_ADULT),
        ]
    ).astype(np.int8)
    unit_cohabiting = np.concatenate([couple, np.zeros(unit_dwelling.size - n, dtype=bool)])
    # Order units by dwelling (stable: main unit first).
    order = np.argsort(unit_dwelling, kind="stable")
    new_index = np.empty_like(order)
    new_index[order] = np.arange(order.size)

    # Adults: first adult of every unit, partners of cohabiting main units.
    first_age = np.concatenate([age_main, grown_age, age_25, age_oth])
    partner_units = np.flatnonzero(unit_cohabiting)
    partner_age = np.clip(
        first_age[partner_units] - 2 + np.round(r[10].normal(0, 4, partner_units.size)), 18, 100
    ).astype(np.int64)
    kept_children = np.flatnonzero(stays_child)
    person_unit = np.concatenate(
        [np.arange(unit_dwelling.size), partner_units, child_dwelling[kept_children]]
    )  # main unit of dwelling i is unit i
    person_age = np.concatenate([first_age, partner_age, child_age[kept_children]])
    person_kind = np.concatenate(
        [
            np.zeros(unit_dwelling.size, np.int8),
            np.ones(partner_units.size, np.int8),
            np.full(kept_children.size, 2, np.int8),
        ]
    )  # 0 first adult, 1 partner, 2 child
    person_in_school = np.concatenate(
        [np.zeros(unit_dwelling.size + partner_units.size, bool), child_in_school[kept_children]]
    )
    person_in_school |= (person_kind == 2) & (person_age >= 6)
    household_idx = new_index[person_unit]
    p_order = np.lexsort((person_kind, household_idx))
    household_idx = household_idx[p_order]
    person_age = person_age[p_order]
    person_kind = person_kind[p_order]
    person_in_school = person_in_school[p_order]
    is_child = person_kind == 2
    units = {
        "dwelling_idx": unit_dwelling[order],
        "unit_role": unit_role[order],
        "is_cohabiting": unit_cohabiting[order],
    }
    dwelling_of_person = units["dwelling_idx"][household_idx]
    dis_p = dis[dwelling_of_person]
    m = household_idx.size
    rp = _stream(r[11], 8)
    n_children_unit = np.bincount(household_idx, weights=is_child, minlength=order.size)
    single_parent = ~units["is_cohabiting"] & (n_children_unit > 0)
    female_prob = np.where(
        units["is_cohabiting"][household_idx],
        np.where(person_kind == 1, 0.97, 0.03),
        np.where(
            single_parent[household_idx],
            0.78 + 0.04 * (dis_p == 2),
            np.where(person_age >= 70, 0.62, SINGLE_FEMALE_SHARE[dis_p]),
        ),
    )
    is_female = rp[0].random(m) < female_prob
    # Country of birth: the first adult by class; a partner usually shares it.
    abroad_draw = rp[1].random(m) < BORN_ABROAD[dis_p]
    first_of_unit = np.flatnonzero(person_kind == 0)
    unit_abroad = np.zeros(order.size, dtype=bool)
    unit_abroad[household_idx[first_of_unit]] = abroad_draw[first_of_unit]
    same = rp[2].random(m) < 0.85
    is_born_abroad = np.where(
        person_kind == 1, np.where(same, unit_abroad[household_idx], abroad_draw), abroad_draw
    )
    is_born_abroad &= ~is_child | (rp[2].random(m) < 0.1)
    unit_role_p = units["unit_role"][household_idx]
    birth_month = 1 + np.floor(rp[3].random(m) * 12).astype(np.int64)
    # Children 18-19 in school must stay under 21 in the year; 0-6 lunch in förskola.
    preschool = is_child & (person_age >= 1) & (person_age <= 5) & (rp[4].random(m) < 0.86)
    underhall = (
        is_child
        & single_parent[household_idx]
        & (person_age <= 19)
        & (rp[5].random(m) < UNDERHALLSSTOD_SHARE[dis_p])
    )
    persons = {
        "household_idx": household_idx.astype(np.int64),
        "dwelling_idx": dwelling_of_person.astype(np.int64),
        "age": person_age.astype(np.int64),
        "birth_month": birth_month.astype(np.int8),
        "is_female": is_female,
        "is_child": is_child,
        "is_born_abroad": is_born_abroad,
        "is_in_school": person_in_school & is_child,
        "has_preschool_lunch": preschool,
        "receives_underhallsstod": underhall,
        "_kind": person_kind,
        "_role": unit_role_p,
    }
    units["n_children"] = n_children_unit.astype(np.int64)
    return persons, units


def _draw_housing(
    d: dict[str, np.ndarray],
    u: dict[str, np.ndarray],
    p: dict[str, np.ndarray],
    *,
    rng: np.random.Generator,
) -> None:
    """Dwelling housing cost and each unit's share (in place)."""
    r = _stream(rng, 4)
    n = d["dwelling_idx"].size
    dis = d["disadvantage"]
    n_persons = np.bincount(p["dwelling_idx"], minlength=n)
    crowd = np.where(r[0].random(n) < np.array([0.1, 0.3, 0.5])[dis], -1, 0)
    rooms = np.clip(n_persons + crowd + (dis == 0), 1, 5)
    single_type = np.isin(d["dwelling_type"], [0, 1, 2])
    owner = r[1].random(n) < OWNER_SHARE[dis] * np.where(single_type, 0.7, 1.1)
    rent = (
        AREA_BY_ROOMS[rooms - 1]
        * RENT_PER_SQM_YEAR[d["municipality_group"]]
        * RENT_FACTOR_BY_ROOMS[rooms - 1]
        / 12
        * np.exp(r[2].normal(0.0, 0.15, n))
    )
    owner_cost = (4_500.0 + 600.0 * rooms) * np.exp(r[3].normal(0.0, 0.40, n))
    cost = np.round(np.where(owner, owner_cost, rent))
    d["is_owner"] = owner
    d["housing_cost_total"] = cost
    d["n_persons"] = n_persons.astype(np.int64)
    unit_persons = np.bincount(p["household_idx"], minlength=u["dwelling_idx"].size)
    share = unit_persons / n_persons[u["dwelling_idx"]]
    u["n_persons"] = unit_persons.astype(np.int64)
    u["housing_cost"] = np.round(cost[u["dwelling_idx"]] * share)
    u["hushallsel"] = np.where(u["unit_role"] == UnitRole.MAIN, 250.0 + 100.0 * unit_persons, 0.0)
    u["hemforsakring"] = np.where(u["unit_role"] == UnitRole.MAIN, 120.0 + 25.0 * unit_persons, 0.0)
    u["housing_limit_factor"] = HOUSING_LIMIT_FACTOR[d["municipality_group"][u["dwelling_idx"]]]
    u["municipality_group"] = d["municipality_group"][u["dwelling_idx"]]


def _draw_assets(
    d: dict[str, np.ndarray], u: dict[str, np.ndarray], *, rng: np.random.Generator
) -> np.ndarray:
    """Liquid savings of each biståndshushåll (see :data:`ASSETS_NONE_SHARE`)."""
    n = u["dwelling_idx"].size
    dis = d["disadvantage"][u["dwelling_idx"]]
    owner = d["is_owner"][u["dwelling_idx"]] & (u["unit_role"] == UnitRole.MAIN)
    none = rng.random(n) < ASSETS_NONE_SHARE[dis]
    amount = ASSETS_MEDIAN[dis] * np.where(owner, 2.0, 1.0) * rng.lognormal(0.0, ASSETS_LOG_SD, n)
    return np.where(none, 0.0, np.round(amount, -2))


def _draw_months(
    d: dict[str, np.ndarray],
    u: dict[str, np.ndarray],
    p: dict[str, np.ndarray],
    *,
    rng_states: np.random.Generator,
    rng_incomes: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Labour-market states and incomes of every adult for months -5..12."""
    r = _stream(rng_incomes, 8)
    adults = np.flatnonzero(~p["is_child"])
    n_a = adults.size
    dis = d["disadvantage"][p["dwelling_idx"][adults]]
    age = p["age"][adults]
    female = p["is_female"][adults]
    abroad = p["is_born_abroad"][adults]
    hh = p["household_idx"][adults]
    n_units = u["dwelling_idx"].size
    child = p["is_child"]
    young = np.bincount(p["household_idx"], weights=child & (p["age"] <= 2), minlength=n_units)
    is_member = r[0].random(n_a) < AKASSA_MEMBER[dis]
    has_sgi = r[1].random(n_a) < HAS_SGI[dis]
    is_pensioner = (age >= 66) | ((age >= 62) & (r[2].random(n_a) < 0.3))
    arrival_share = NEW_ARRIVAL[dis] * ARRIVAL_WINDOW_MONTHS / 24
    arrived = abroad & (age >= 20) & (age <= 62) & (r[3].random(n_a) < arrival_share)
    # Arrival relative to month -5: -23..0 (in the programme at -5 with 0..23 months spent)
    # or 1..17 (enters it in that month of the lead-in or the year).
    arrival = np.floor(r[3].random(n_a) * ARRIVAL_WINDOW_MONTHS).astype(np.int64) - 23
    etablering_months = np.where(arrived, np.maximum(-arrival, 0), -1).astype(np.int64)
    arrival_month = HISTORY_MONTHS + np.maximum(arrival, 0)
    n_months = len(GENERATED_MONTHS)
    state, duration = simulate_states(
        disadvantage=dis.astype(np.int64),
        age=age,
        is_akassa_member=is_member,
        has_sgi=has_sgi,
        has_young_child=(young[hh] > 0) & (age < 50),
        is_pensioner=is_pensioner,
        etablering_months=etablering_months,
        arrival_month=arrival_month,
        n_months=n_months,
        n_burn_in=BURN_IN_MONTHS,
        rng=rng_states,
    )
    age_factor = np.select([age < 25, age < 30, age < 55], [0.6, 0.85, 1.0], 0.95)
    wage = (
        WAGE_MEDIAN[dis]
        * age_factor
        * np.where(female, 0.9, 1.0)
        * np.where(abroad, 0.9, 1.0)
        * np.exp(r[4].normal(0.0, 1.0, n_a) * WAGE_LOG_SD[dis])
    )
    pension = PENSION_MEDIAN[dis] * np.where(abroad, 0.8, 1.0) * np.exp(r[5].normal(0, 0.35, n_a))
    # Etableringstillägg: 800 kr per child under 11, 1 500 kr 11-19, at most 3 children,
    # paid to the first adult of the unit.
    kid = np.flatnonzero(child)
    kid_amount = np.where(p["age"][kid] < 11, 800.0, 1_500.0)
    kid_rank = _rank_in_group(p["household_idx"][kid])
    tillagg_unit = np.bincount(
        p["household_idx"][kid],
        weights=np.where(kid_rank < 3, kid_amount, 0.0),
        minlength=n_units,
    )
    first_adult = p["_kind"][adults] == 0
    tillagg = np.where(first_adult, tillagg_unit[hh], 0.0)
    housing_share = u["housing_cost"][hh] / np.maximum(np.bincount(hh, minlength=n_units)[hh], 1)
    p["is_akassa_member"] = np.zeros(child.size, dtype=bool)
    p["is_akassa_member"][adults] = is_member
    commute = np.where(
        r[6].random(n_a) < 0.35, 0.0, np.array([970.0, 800.0, 900.0])[u["municipality_group"][hh]]
    )
    p["commute_sek_month"] = np.zeros(child.size)
    p["commute_sek_month"][adults] = commute
    noise = np.exp(r[7].normal(0.0, 0.08, (n_months, n_a)))
    columns: dict[str, list[np.ndarray]] = {
        k: [] for k in ("earnings_gross", "benefit", "other_tax_free")
    }
    for i in range(n_months):
        e, b, o = monthly_incomes(
            state=state[:, i],
            duration=duration[:, i],
            wage=wage,
            pension_level=pension,
            age=age,
            is_akassa_member=is_member,
            etableringstillagg=tillagg,
            housing_share=housing_share,
            earnings_noise=noise[i],
        )
        columns["earnings_gross"].append(np.round(e))
        columns["benefit"].append(np.round(b))
        columns["other_tax_free"].append(np.round(o))
    return {
        "person_idx": np.tile(adults, n_months).astype(np.int64),
        "month": np.repeat(np.array(GENERATED_MONTHS, dtype=np.int8), n_a),
        "state": state.T.ravel(),
        "duration": duration.T.ravel(),
        **{k: np.concatenate(v) for k, v in columns.items()},
    }


def _rank_in_group(group: np.ndarray) -> np.ndarray:
    """0-based rank of each element within runs of equal, sorted ``group`` values."""
    if group.size == 0:
        return group.copy()
    start = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    counts = np.diff(np.r_[start, group.size])
    return np.arange(group.size) - np.repeat(start, counts)
