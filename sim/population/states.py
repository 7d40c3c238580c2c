"""Labour-market states of adults and their month-to-month transitions.

Every adult of the synthetic population is in one :class:`LabourState` each month. States
change by a monthly Markov chain with **duration dependence**: the probability of leaving a
state falls with the months already spent in it,

    h(d) = h0[state, disadvantage] * (1 + d) ** -beta[state],

so long spells of unemployment or sickness, and with them long spells of försörjningsstöd,
emerge from the months instead of being drawn as a label. Where a person goes on leaving a
state is drawn from a destination row that depends on the state, the person's disadvantage
class (the design stratum of the generator) and personal modifiers (a-kassa membership,
sickness-insurance income, young children, age).

The numbers are model assumptions, chosen so that the stationary shares of the states are
near the published ones (employment rate 20-64 about 82 %, open unemployment about 8 %,
programme participants about 2-3 %, sjukersättning about 4 %, parental leave about 3 %);
``docs/population.md`` lists them with their evidence. Rules elsewhere never see these
numbers: they see incomes.
"""

from __future__ import annotations

import enum

import numpy as np


class LabourState(enum.IntEnum):
    """An adult's main activity in a month (one state per adult and month)."""

    EMPLOYED = 0
    UNEMPLOYED_AKASSA = 1
    UNEMPLOYED_NO_AKASSA = 2
    PROGRAMME = 3  # Arbetsförmedlingen programme: aktivitetsstöd / utvecklingsersättning
    ETABLERING = 4  # etableringsprogrammet: etableringsersättning
    SICK_SJUKPENNING = 5
    SICK_NO_BENEFIT = 6
    SJUKERSATTNING = 7
    PARENTAL_LEAVE = 8
    STUDENT = 9
    PENSIONER = 10


N_STATES = len(LabourState)
S = LabourState

#: Disadvantage classes (the generator's risk strata): 0 low, 1 middle, 2 high.
N_DISADVANTAGE = 3

#: Monthly exit probability at duration 0, by state (rows) and disadvantage class (columns).
EXIT_HAZARD = np.array(
    [
        [0.018, 0.030, 0.045],  # employed: job loss, sickness, parental leave, studies
        [0.13, 0.11, 0.09],  # unemployed with a-kassa
        [0.40, 0.30, 0.09],  # unemployed without a-kassa
        [0.20, 0.14, 0.07],  # programme
        [0.03, 0.03, 0.03],  # etablering (ends at 24 months at the latest)
        [0.30, 0.22, 0.18],  # sick with sjukpenning
        [0.40, 0.28, 0.09],  # sick without benefit
        [0.003, 0.003, 0.003],  # sjukersättning
        [0.09, 0.09, 0.09],  # parental leave
        [0.05, 0.05, 0.05],  # student
        [0.0, 0.0, 0.0],  # pensioner (absorbing)
    ]
)

#: Duration dependence: exponent of (1 + months in state).
DURATION_EXPONENT = np.array([0.10, 0.30, 0.35, 0.25, 0.0, 0.35, 0.30, 0.0, 0.0, 0.10, 0.0])

#: Longest duration (months) for which the exit hazard is tabulated; longer spells use it.
_MAX_TABULATED = 600

#: A-kassa ends after 300 ersättningsdagar (about 14 months); then jobb- och
#: utvecklingsgarantin (programme) follows (ALF 2024; förordning 2017:819).
AKASSA_MAX_MONTHS = 14
#: Etableringsprogrammet lasts at most 24 months (förordning 2017:820).
ETABLERING_MAX_MONTHS = 24


def _rows(spec: dict[LabourState, dict[LabourState, float]]) -> np.ndarray:
    matrix = np.zeros((N_STATES, N_STATES))
    for origin, destinations in spec.items():
        for destination, value in destinations.items():
            matrix[origin, destination] = value
    return matrix


#: Destination weights on exit (origin row -> destination column), one matrix per
#: disadvantage class. Pensioner and etablering are never destinations.
DESTINATION_WEIGHTS = np.stack(
    [
        _rows(
            {
                S.EMPLOYED: {
                    S.UNEMPLOYED_AKASSA: 20,
                    S.UNEMPLOYED_NO_AKASSA: 2,
                    S.SICK_SJUKPENNING: 45,
                    S.SICK_NO_BENEFIT: 1,
                    S.SJUKERSATTNING: 1,
                    S.PARENTAL_LEAVE: 25,
                    S.STUDENT: 5,
                },
                S.UNEMPLOYED_AKASSA: {
                    S.EMPLOYED: 72,
                    S.PROGRAMME: 15,
                    S.SICK_SJUKPENNING: 6,
                    S.SICK_NO_BENEFIT: 1,
                    S.PARENTAL_LEAVE: 3,
                    S.STUDENT: 3,
                },
                S.UNEMPLOYED_NO_AKASSA: {
                    S.EMPLOYED: 58,
                    S.PROGRAMME: 18,
                    S.SICK_SJUKPENNING: 3,
                    S.SICK_NO_BENEFIT: 5,
                    S.SJUKERSATTNING: 1,
                    S.PARENTAL_LEAVE: 5,
                    S.STUDENT: 10,
                },
                S.PROGRAMME: {
                    S.EMPLOYED: 58,
                    S.UNEMPLOYED_AKASSA: 5,
                    S.UNEMPLOYED_NO_AKASSA: 27,
                    S.SICK_SJUKPENNING: 2,
                    S.SICK_NO_BENEFIT: 3,
                    S.STUDENT: 5,
                },
                S.ETABLERING: {
                    S.EMPLOYED: 40,
                    S.UNEMPLOYED_NO_AKASSA: 25,
                    S.PROGRAMME: 30,
                    S.STUDENT: 5,
                },
                S.SICK_SJUKPENNING: {
                    S.EMPLOYED: 77,
                    S.UNEMPLOYED_AKASSA: 8,
                    S.UNEMPLOYED_NO_AKASSA: 3,
                    S.PROGRAMME: 2,
                    S.SICK_NO_BENEFIT: 4,
                    S.SJUKERSATTNING: 3,
                },
                S.SICK_NO_BENEFIT: {
                    S.EMPLOYED: 40,
                    S.UNEMPLOYED_NO_AKASSA: 25,
                    S.PROGRAMME: 10,
                    S.SICK_SJUKPENNING: 15,
                    S.SJUKERSATTNING: 5,
                },
                S.SJUKERSATTNING: {S.EMPLOYED: 50, S.UNEMPLOYED_NO_AKASSA: 30, S.PROGRAMME: 20},
                S.PARENTAL_LEAVE: {
                    S.EMPLOYED: 82,
                    S.UNEMPLOYED_AKASSA: 10,
                    S.UNEMPLOYED_NO_AKASSA: 3,
                    S.STUDENT: 5,
                },
                S.STUDENT: {S.EMPLOYED: 75, S.UNEMPLOYED_NO_AKASSA: 20, S.PROGRAMME: 5},
            }
        ),
        _rows(
            {
                S.EMPLOYED: {
                    S.UNEMPLOYED_AKASSA: 28,
                    S.UNEMPLOYED_NO_AKASSA: 8,
                    S.SICK_SJUKPENNING: 35,
                    S.SICK_NO_BENEFIT: 3,
                    S.SJUKERSATTNING: 2,
                    S.PARENTAL_LEAVE: 20,
                    S.STUDENT: 6,
                },
                S.UNEMPLOYED_AKASSA: {
                    S.EMPLOYED: 62,
                    S.PROGRAMME: 22,
                    S.SICK_SJUKPENNING: 6,
                    S.SICK_NO_BENEFIT: 3,
                    S.PARENTAL_LEAVE: 3,
                    S.STUDENT: 4,
                },
                S.UNEMPLOYED_NO_AKASSA: {
                    S.EMPLOYED: 47,
                    S.PROGRAMME: 24,
                    S.SICK_SJUKPENNING: 3,
                    S.SICK_NO_BENEFIT: 8,
                    S.SJUKERSATTNING: 2,
                    S.PARENTAL_LEAVE: 5,
                    S.STUDENT: 11,
                },
                S.PROGRAMME: {
                    S.EMPLOYED: 47,
                    S.UNEMPLOYED_AKASSA: 5,
                    S.UNEMPLOYED_NO_AKASSA: 36,
                    S.SICK_SJUKPENNING: 2,
                    S.SICK_NO_BENEFIT: 5,
                    S.STUDENT: 5,
                },
                S.ETABLERING: {
                    S.EMPLOYED: 35,
                    S.UNEMPLOYED_NO_AKASSA: 30,
                    S.PROGRAMME: 30,
                    S.STUDENT: 5,
                },
                S.SICK_SJUKPENNING: {
                    S.EMPLOYED: 65,
                    S.UNEMPLOYED_AKASSA: 10,
                    S.UNEMPLOYED_NO_AKASSA: 6,
                    S.PROGRAMME: 3,
                    S.SICK_NO_BENEFIT: 8,
                    S.SJUKERSATTNING: 5,
                },
                S.SICK_NO_BENEFIT: {
                    S.EMPLOYED: 30,
                    S.UNEMPLOYED_NO_AKASSA: 30,
                    S.PROGRAMME: 15,
                    S.SICK_SJUKPENNING: 10,
                    S.SJUKERSATTNING: 8,
                },
                S.SJUKERSATTNING: {S.EMPLOYED: 50, S.UNEMPLOYED_NO_AKASSA: 30, S.PROGRAMME: 20},
                S.PARENTAL_LEAVE: {
                    S.EMPLOYED: 65,
                    S.UNEMPLOYED_AKASSA: 10,
                    S.UNEMPLOYED_NO_AKASSA: 15,
                    S.STUDENT: 10,
                },
                S.STUDENT: {S.EMPLOYED: 60, S.UNEMPLOYED_NO_AKASSA: 30, S.PROGRAMME: 10},
            }
        ),
        _rows(
            {
                S.EMPLOYED: {
                    S.UNEMPLOYED_AKASSA: 20,
                    S.UNEMPLOYED_NO_AKASSA: 40,
                    S.SICK_SJUKPENNING: 12,
                    S.SICK_NO_BENEFIT: 12,
                    S.SJUKERSATTNING: 3,
                    S.PARENTAL_LEAVE: 8,
                    S.STUDENT: 5,
                },
                S.UNEMPLOYED_AKASSA: {
                    S.EMPLOYED: 50,
                    S.PROGRAMME: 30,
                    S.SICK_SJUKPENNING: 5,
                    S.SICK_NO_BENEFIT: 8,
                    S.PARENTAL_LEAVE: 3,
                    S.STUDENT: 4,
                },
                S.UNEMPLOYED_NO_AKASSA: {
                    S.EMPLOYED: 37,
                    S.PROGRAMME: 33,
                    S.SICK_SJUKPENNING: 2,
                    S.SICK_NO_BENEFIT: 12,
                    S.SJUKERSATTNING: 3,
                    S.PARENTAL_LEAVE: 5,
                    S.STUDENT: 8,
                },
                S.PROGRAMME: {
                    S.EMPLOYED: 37,
                    S.UNEMPLOYED_AKASSA: 3,
                    S.UNEMPLOYED_NO_AKASSA: 50,
                    S.SICK_SJUKPENNING: 2,
                    S.SICK_NO_BENEFIT: 8,
                },
                S.ETABLERING: {
                    S.EMPLOYED: 30,
                    S.UNEMPLOYED_NO_AKASSA: 35,
                    S.PROGRAMME: 30,
                    S.STUDENT: 5,
                },
                S.SICK_SJUKPENNING: {
                    S.EMPLOYED: 50,
                    S.UNEMPLOYED_AKASSA: 8,
                    S.UNEMPLOYED_NO_AKASSA: 12,
                    S.PROGRAMME: 5,
                    S.SICK_NO_BENEFIT: 15,
                    S.SJUKERSATTNING: 10,
                },
                S.SICK_NO_BENEFIT: {
                    S.EMPLOYED: 20,
                    S.UNEMPLOYED_NO_AKASSA: 35,
                    S.PROGRAMME: 22,
                    S.SICK_SJUKPENNING: 8,
                    S.SJUKERSATTNING: 15,
                },
                S.SJUKERSATTNING: {S.EMPLOYED: 40, S.UNEMPLOYED_NO_AKASSA: 40, S.PROGRAMME: 20},
                S.PARENTAL_LEAVE: {
                    S.EMPLOYED: 45,
                    S.UNEMPLOYED_AKASSA: 5,
                    S.UNEMPLOYED_NO_AKASSA: 35,
                    S.PROGRAMME: 5,
                    S.STUDENT: 10,
                },
                S.STUDENT: {S.EMPLOYED: 45, S.UNEMPLOYED_NO_AKASSA: 40, S.PROGRAMME: 15},
            }
        ),
    ]
)

#: Share of adults 18-65 in each state at the start of the burn-in, by disadvantage class.
INITIAL_SHARES = np.array(
    [
        [0.88, 0.025, 0.008, 0.007, 0.0, 0.025, 0.003, 0.02, 0.025, 0.015, 0.0],
        [0.65, 0.06, 0.05, 0.05, 0.0, 0.04, 0.02, 0.06, 0.03, 0.04, 0.0],
        [0.35, 0.05, 0.18, 0.14, 0.0, 0.04, 0.08, 0.08, 0.04, 0.04, 0.0],
    ]
)


def _age_modifiers(age: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multipliers of the student and sjukersättning destination weights by age."""
    student = np.select([age < 25, age < 35, age < 50], [4.0, 1.0, 0.4], default=0.1)
    sjukersattning = np.select([age < 30, age < 50], [0.2, 1.0], default=2.5)
    return student, sjukersattning


def _modifiers(
    *,
    age: np.ndarray,
    is_akassa_member: np.ndarray,
    has_sgi: np.ndarray,
    has_young_child: np.ndarray,
) -> np.ndarray:
    """Per-person multipliers of the destination weights (n x N_STATES)."""
    n = age.shape[0]
    mod = np.ones((n, N_STATES))
    student, sjukersattning = _age_modifiers(age)
    mod[:, S.STUDENT] = student
    mod[:, S.SJUKERSATTNING] = sjukersattning
    mod[:, S.PARENTAL_LEAVE] = has_young_child
    mod[:, S.ETABLERING] = 0.0
    mod[:, S.PENSIONER] = 0.0
    return mod


def _redirect(weights: np.ndarray, *, is_akassa_member: np.ndarray, has_sgi: np.ndarray) -> None:
    """Unemployment without membership is without a-kassa; sickness without SGI unpaid."""
    no_member = ~is_akassa_member
    weights[no_member, S.UNEMPLOYED_NO_AKASSA] += weights[no_member, S.UNEMPLOYED_AKASSA]
    weights[no_member, S.UNEMPLOYED_AKASSA] = 0.0
    no_sgi = ~has_sgi
    weights[no_sgi, S.SICK_NO_BENEFIT] += weights[no_sgi, S.SICK_SJUKPENNING]
    weights[no_sgi, S.SICK_SJUKPENNING] = 0.0


def _draw_categorical(weights: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Row-wise categorical draw from non-negative weights with uniforms ``u``."""
    cumulative = np.cumsum(weights, axis=1)
    total = cumulative[:, -1:]
    return (u[:, None] * total > cumulative).sum(axis=1)


def simulate_states(
    *,
    disadvantage: np.ndarray,
    age: np.ndarray,
    is_akassa_member: np.ndarray,
    has_sgi: np.ndarray,
    has_young_child: np.ndarray,
    is_pensioner: np.ndarray,
    etablering_months: np.ndarray,
    n_months: int,
    n_burn_in: int,
    rng: np.random.Generator,
    arrival_month: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate monthly labour-market states for adults.

    Args:
        disadvantage: class 0-2 per adult.
        age: age in years (held fixed over the simulated months).
        is_akassa_member: member of an a-kassa who meets the work condition.
        has_sgi: has a sjukpenninggrundande inkomst (sickness is paid).
        has_young_child: parental leave is possible.
        is_pensioner: in the pensioner state throughout.
        etablering_months: for new arrivals, months already spent in etableringsprogrammet
            when they enter the programme in the simulated months (-1 for everyone else).
        arrival_month: for new arrivals, the returned month (0-based) in which they are in
            etableringsprogrammet with ``etablering_months`` already spent; default 0 (the
            first returned month). Arrivals spread over the months keep the programme's
            stock steady instead of emptying it (every spell ends within 24 months).
        n_months: months returned (after the burn-in).
        n_burn_in: months simulated and discarded so durations and states settle.
        rng: the only source of randomness.

    Returns:
        ``(state, duration)``, both ``(n_adults, n_months)``; ``duration`` is the number of
        whole months already spent in the state at the start of the month.

    >>> rng = np.random.default_rng(1)
    >>> n = 5
    >>> s, d = simulate_states(disadvantage=np.zeros(n, int), age=np.full(n, 40),
    ...     is_akassa_member=np.ones(n, bool), has_sgi=np.ones(n, bool),
    ...     has_young_child=np.zeros(n, bool), is_pensioner=np.zeros(n, bool),
    ...     etablering_months=np.full(n, -1), n_months=3, n_burn_in=2, rng=rng)
    >>> s.shape, d.shape
    ((5, 3), (5, 3))
    """
    n = disadvantage.shape[0]
    modifiers = _modifiers(
        age=age,
        is_akassa_member=is_akassa_member,
        has_sgi=has_sgi,
        has_young_child=has_young_child,
    )
    initial = INITIAL_SHARES[disadvantage] * modifiers
    _redirect(initial, is_akassa_member=is_akassa_member, has_sgi=has_sgi)
    state = _draw_categorical(initial, rng.random(n))
    # Durations at the start of the burn-in: geometric with the state's mean spell.
    base_hazard = np.maximum(EXIT_HAZARD[state, disadvantage], 0.01)
    duration = np.minimum(rng.geometric(base_hazard) - 1, 60)
    state = np.where(is_pensioner, S.PENSIONER, state)

    # h(d) tabulated once for every state, class and whole-month duration (the same
    # numbers as the formula; durations beyond the table are rare and share its last row).
    months_grid = np.arange(_MAX_TABULATED + 1, dtype=np.float64)
    hazard_table = (
        EXIT_HAZARD[:, :, None]
        * (1.0 + months_grid)[None, None, :] ** -DURATION_EXPONENT[:, None, None]
    )
    states_out = np.empty((n, n_months), dtype=np.int8)
    durations_out = np.empty((n, n_months), dtype=np.int16)
    arrived = etablering_months >= 0
    if arrival_month is None:
        arrival_month = np.zeros(n, dtype=np.int64)
    arrival_at = np.where(arrived, n_burn_in + arrival_month, -1)
    for month in range(n_burn_in + n_months):
        arrives = arrival_at == month
        if arrives.any():
            state = np.where(arrives, S.ETABLERING, state)
            duration = np.where(arrives, etablering_months, duration)
        if month >= n_burn_in:
            states_out[:, month - n_burn_in] = state
            durations_out[:, month - n_burn_in] = np.minimum(duration, np.iinfo(np.int16).max)
        hazard = hazard_table[state, disadvantage, np.minimum(duration, _MAX_TABULATED)]
        forced = ((state == S.UNEMPLOYED_AKASSA) & (duration + 1 >= AKASSA_MAX_MONTHS)) | (
            (state == S.ETABLERING) & (duration + 1 >= ETABLERING_MAX_MONTHS)
        )
        leaves = (rng.random(n) < hazard) | forced
        u = rng.random(n)
        idx = np.flatnonzero(leaves)
        if idx.size:
            weights = DESTINATION_WEIGHTS[disadvantage[idx], state[idx]] * modifiers[idx]
            _redirect(weights, is_akassa_member=is_akassa_member[idx], has_sgi=has_sgi[idx])
            exhausted = state[idx] == S.UNEMPLOYED_AKASSA
            weights[exhausted & forced[idx]] = 0.0
            weights[exhausted & forced[idx], S.PROGRAMME] = 1.0
            new_state = _draw_categorical(weights, u[idx])
            state = state.copy()
            state[idx] = new_state
        duration = np.where(leaves, 0, duration + 1)
    return states_out, durations_out
