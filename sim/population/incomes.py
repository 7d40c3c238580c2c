"""Monthly incomes of adults from their labour-market state (2024 rules, simplified).

One function, :func:`monthly_incomes`, turns a month of states into three money columns:
``earnings_gross`` (lön), ``benefit`` (the state's own transfer: a-kassa, aktivitetsstöd,
etableringsersättning, sjukpenning, sjukersättning, föräldrapenning, pension) and
``other_tax_free`` (studiemedel, bostadstillägg and äldreförsörjningsstöd). Which engine
input ``benefit`` feeds is given by :data:`BENEFIT_FIELD`.

These are approximations of the 2024 benefit rules, good enough to place a household below
or above the försörjningsstöd norm; they are not the benefit rules themselves (those are in
``sim/rules`` only where FS counts them exactly). Amounts in SEK/month; a benefit month is
21.7 paid weekdays (5 days a week) unless stated.
"""

from __future__ import annotations

import numpy as np

from sim.population.states import LabourState as S

#: Paid weekdays per month (5 days a week).
DAYS_PER_MONTH = 21.7
#: Prisbasbelopp 2024 (SFS 2023:? ; regeringen.se), SEK/year.
PRISBASBELOPP_2024 = 57_300
#: Sjukpenninggrundande inkomst cap: 10 prisbasbelopp a year, per month.
SGI_CAP_MONTH = 10 * PRISBASBELOPP_2024 / 12
#: A-kassa 2024 (before the reform of 1 Oct 2025): 80 % of daily income for 200 days,
#: 70 % after; maximum 1 200 kr/day for days 1-100 and 1 000 kr/day after; minimum
#: (grundbelopp, full time) 510 kr/day.
AKASSA_RATE = (0.80, 0.70)
AKASSA_MAX_DAY = (1_200.0, 1_000.0)
AKASSA_MIN_DAY = 510.0
#: Aktivitetsstöd grundbelopp 223 kr/day until 30 Sep 2025 (förordning 2017:819 2:7).
AKTIVITETSSTOD_GRUND_DAY = 223.0
#: Utvecklingsersättning (under 25, with gymnasieexamen) about 153 kr/day [U].
UTVECKLINGSERSATTNING_DAY = 153.0
#: Etableringsersättning 308 kr/day, paid 5 days a week; etableringstillägg 800 kr per
#: child under 11 and 1 500 kr per child 11-19, for at most three children (2017:819 3:12).
ETABLERING_DAY = 308.0
#: Sjukpenning: 80 % of SGI times 0.97 (SFB 28 kap.), 7 days a week.
SJUKPENNING_RATE = 0.776
#: Sjukersättning: 64.7 % of antagandeinkomst, at least garantiersättning (about 2.4 pbb).
SJUKERSATTNING_RATE = 0.647
GARANTIERSATTNING_MONTH = 2.4 * PRISBASBELOPP_2024 / 12
#: Föräldrapenning: 77.6 % of SGI; grundnivå 250 kr/day; 30 days a month, 85 % of days used.
FORALDRAPENNING_GRUND_DAY = 250.0
FORALDRAPENNING_DAYS = 30 * 0.85
#: Studiemedel 2024 (bidrag + lån) spread evenly over the year: about 10 months of
#: 12 400 kr divided over 12 months [D].
STUDIEMEDEL_MONTH = 10_300.0
#: Garantipension floor for a single pensioner (about 2.13 pbb a year) [D].
GARANTIPENSION_MONTH = 2.13 * PRISBASBELOPP_2024 / 12
#: Bostadstillägg: up to 7 540 kr/month, 90 % of housing cost, reduced by a third of income
#: above garantinivå (simplified SFB 101-102 kap.).
BOSTADSTILLAGG_MAX = 7_540.0
#: Skälig levnadsnivå for äldreförsörjningsstöd (SFB 74 kap.), single, 2024, excl. housing.
ALDREFORSORJNINGSSTOD_NORM = 6_300.0
#: Effective tax on pensions for the äldreförsörjningsstöd top-up (rough, [D]).
PENSION_TAX_RATE = 0.22

#: Engine input (``sim.engine.entities.Persons`` field) that a state's ``benefit`` goes to.
BENEFIT_FIELD: dict[S, str | None] = {
    S.EMPLOYED: None,
    S.UNEMPLOYED_AKASSA: "a_kassa",
    S.UNEMPLOYED_NO_AKASSA: None,
    S.PROGRAMME: "aktivitetsstod",
    S.ETABLERING: "etableringsersattning",
    S.SICK_SJUKPENNING: "sjukpenning",
    S.SICK_NO_BENEFIT: None,
    S.SJUKERSATTNING: "sjukersattning",
    S.PARENTAL_LEAVE: "foraldrapenning",
    S.STUDENT: None,
    S.PENSIONER: "pension",
}


def monthly_incomes(
    *,
    state: np.ndarray,
    duration: np.ndarray,
    wage: np.ndarray,
    pension_level: np.ndarray,
    age: np.ndarray,
    is_akassa_member: np.ndarray,
    etableringstillagg: np.ndarray,
    housing_share: np.ndarray,
    earnings_noise: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Earnings, the state's benefit and other tax-free income for one month.

    Args:
        state: :class:`LabourState` per adult.
        duration: months already in the state.
        wage: the person's usual monthly earnings when employed (incl. part time).
        pension_level: the person's pension if a pensioner, SEK/month before top-ups.
        age: years.
        is_akassa_member: a-kassa member meeting the work condition.
        etableringstillagg: etableringstillägg the person would get (children), SEK/month.
        housing_share: the person's share of the housing cost (for bostadstillägg).
        earnings_noise: multiplicative month-to-month variation of earnings (mean 1).

    Returns:
        ``(earnings_gross, benefit, other_tax_free)`` in SEK/month.

    >>> e, b, o = monthly_incomes(state=np.array([0, 1]), duration=np.array([3, 3]),
    ...     wage=np.array([30000.0, 30000.0]), pension_level=np.zeros(2), age=np.array([40, 40]),
    ...     is_akassa_member=np.array([True, True]), etableringstillagg=np.zeros(2),
    ...     housing_share=np.zeros(2), earnings_noise=np.ones(2))
    >>> e.tolist(), b.round().tolist()
    ([30000.0, 0.0], [0.0, 24000.0])
    """
    daily_wage = wage / DAYS_PER_MONTH
    late = duration >= 5  # after 100 ersättningsdagar
    rate = np.where(duration >= 9, AKASSA_RATE[1], AKASSA_RATE[0])
    cap = np.where(late, AKASSA_MAX_DAY[1], AKASSA_MAX_DAY[0])
    akassa = np.clip(rate * daily_wage, AKASSA_MIN_DAY, cap) * DAYS_PER_MONTH
    # Aktivitetsstöd: income-based (as a-kassa after day 300: 65 %, max 1 000) for members,
    # grundbelopp for others, utvecklingsersättning under 25.
    income_based = np.clip(0.65 * daily_wage, 365.0, AKASSA_MAX_DAY[1]) * DAYS_PER_MONTH
    grund = np.where(age < 25, UTVECKLINGSERSATTNING_DAY, AKTIVITETSSTOD_GRUND_DAY)
    aktivitetsstod = np.where(is_akassa_member, income_based, grund * DAYS_PER_MONTH)
    etablering = ETABLERING_DAY * DAYS_PER_MONTH + etableringstillagg
    capped_wage = np.minimum(wage, SGI_CAP_MONTH)
    sjukpenning = SJUKPENNING_RATE * capped_wage
    sjukersattning = np.maximum(SJUKERSATTNING_RATE * capped_wage, GARANTIERSATTNING_MONTH)
    foraldrapenning = np.maximum(
        SJUKPENNING_RATE * capped_wage * FORALDRAPENNING_DAYS / 30,
        FORALDRAPENNING_GRUND_DAY * FORALDRAPENNING_DAYS,
    )
    pension = np.maximum(pension_level, GARANTIPENSION_MONTH)

    benefit = np.select(
        [
            state == S.UNEMPLOYED_AKASSA,
            state == S.PROGRAMME,
            state == S.ETABLERING,
            state == S.SICK_SJUKPENNING,
            state == S.SJUKERSATTNING,
            state == S.PARENTAL_LEAVE,
            state == S.PENSIONER,
        ],
        [akassa, aktivitetsstod, etablering, sjukpenning, sjukersattning, foraldrapenning, pension],
        default=0.0,
    )
    earnings = np.where(state == S.EMPLOYED, wage * earnings_noise, 0.0)

    # Bostadstillägg (sjukersättning, pension) and äldreförsörjningsstöd (pension): these keep
    # pensioners and most people on sjukersättning off municipal försörjningsstöd.
    on_btp = (state == S.SJUKERSATTNING) | (state == S.PENSIONER)
    guarantee = np.where(state == S.PENSIONER, GARANTIPENSION_MONTH, GARANTIERSATTNING_MONTH)
    btp = (
        np.minimum(0.9 * housing_share, BOSTADSTILLAGG_MAX)
        - np.maximum(benefit - guarantee, 0.0) / 3.0
    )
    btp = np.where(on_btp, np.maximum(btp, 0.0), 0.0)
    net_pension = benefit * (1.0 - PENSION_TAX_RATE)
    aldre = np.maximum(ALDREFORSORJNINGSSTOD_NORM + housing_share - net_pension - btp, 0.0)
    other_tax_free = np.select(
        [state == S.STUDENT, state == S.PENSIONER, state == S.SJUKERSATTNING],
        [np.full(state.shape, STUDIEMEDEL_MONTH), btp + aldre, btp],
        default=0.0,
    )
    return earnings, benefit, other_tax_free
