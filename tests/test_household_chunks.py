"""Persons in chunks on threads (sim.engine.chunks): the same numbers for any chunking.

The income kernels split the persons at household boundaries and run the chunks on
threads. Every array they return must be the same, bit for bit, as with one chunk; an
error raised on a thread must still reach the caller.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.engine import gross_income_pass as gross_incomes
from sim.engine import net_income_pass as net_incomes
from sim.engine.chunks import bounds_of, chunk_bounds, default_chunks
from sim.engine.pipeline import _gross_incomes_and_counts
from sim.population.generator import generate
from sim.population.projection import project_population
from sim.rules.inkomstskatt import tax_schedule
from sim.scenarios.scenario import load_scenario


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=6), max_size=40),
    n_chunks=st.integers(min_value=1, max_value=9),
)
def test_chunks_cover_the_persons_and_never_split_a_household(sizes, n_chunks):
    household_idx = np.repeat(np.arange(len(sizes)), sizes)
    bounds = chunk_bounds(household_idx, n_chunks)
    n = household_idx.size
    assert bounds[0] == 0 and bounds[-1] == n
    assert bounds.size - 1 <= max(n_chunks, 1)
    inner = bounds[1:-1]
    assert (np.diff(bounds) > 0).all() or n == 0
    assert (household_idx[inner] != household_idx[inner - 1]).all()


def test_persons_not_grouped_by_household_are_one_chunk():
    assert chunk_bounds(np.array([0, 1, 1, 0, 2]), 3).tolist() == [0, 5]
    assert chunk_bounds(np.arange(10), 3).tolist() == [0, 3, 6, 10]
    with pytest.raises(ValueError, match="n_chunks"):
        chunk_bounds(np.arange(3), 0)


def test_default_chunks_follow_numbas_threads():
    threads = numba.get_num_threads()
    assert default_chunks() in (1, threads)
    numba.set_num_threads(1)
    try:
        assert default_chunks() == 1
    finally:
        numba.set_num_threads(threads)


def _inputs(year: int = 2027):
    population = project_population(
        generate(n_households=2_000, year=2024, rng=np.random.default_rng(11)), year
    )
    persons, households = population.month_inputs(3, np.zeros(population.n_households))
    # Some children earn, some above the exemption already (SoL 12:9): every branch taken.
    earning = np.flatnonzero(persons.is_child)[::3]
    earnings = persons.earnings_gross.copy()
    earnings[earning] = 4_000.0
    to_date = persons.earnings_year_to_date.copy()
    to_date[earning[::2]] = 70_000.0
    persons = dataclasses.replace(persons, earnings_gross=earnings, earnings_year_to_date=to_date)
    params = load_scenario("baseline").law(year).resolve(dt.date(year, 3, 1))
    return persons, households, params


def _net(persons, households, params, chunks, household_idx=None):
    base = _gross_incomes_and_counts(persons, households)
    return net_incomes.net_incomes(
        household_idx=persons.household_idx if household_idx is None else household_idx,
        is_child=persons.is_child,
        age=persons.age,
        earnings=persons.earnings_gross,
        taxable_benefits=base["taxable_benefits"],
        tax_free=base["tax_free"],
        earnings_year_to_date=persons.earnings_year_to_date,
        n_households=households.n,
        tax_schedule=tax_schedule(params.inkomstskatt),
        child_exempt_sek_year=params.barns_inkomster.exempt_prisbasbelopp
        * params.prisbasbelopp.prisbasbelopp,
        chunks=chunks,
    )


@pytest.mark.parametrize("given_bounds", [False, True])
@pytest.mark.parametrize("chunks", [2, 3, 7])
def test_income_kernels_in_chunks_equal_one_chunk(chunks, given_bounds):
    persons, households, params = _inputs()
    assert chunk_bounds(persons.household_idx, chunks).size == chunks + 1  # really chunked
    if given_bounds:  # found once, as the engine passes them to its passes
        chunks = chunk_bounds(persons.household_idx, chunks)
    one = _net(persons, households, params, chunks=1)
    many = _net(persons, households, params, chunks=chunks)
    for name, values in one._asdict().items():
        assert np.array_equal(getattr(many, name), values), name
    one = gross_incomes.gross_incomes(persons, households.n, chunks=1)
    many = gross_incomes.gross_incomes(persons, households.n, chunks=chunks)
    for name, values in one._asdict().items():
        assert np.array_equal(getattr(many, name), values), name


@pytest.mark.parametrize(
    "bounds",
    [
        [0, 4, 8],  # splits household 1
        [0, 5, 7],  # does not reach the last person
        [1, 5, 8],  # does not start at the first
        [0, 5, 5, 8],  # an empty chunk
        [0.0, 5.0, 8.0],  # not integers
    ],
)
def test_given_bounds_that_do_not_fit_the_persons_are_rejected(bounds):
    household_idx = np.array([0, 0, 1, 1, 1, 2, 3, 3])
    with pytest.raises(ValueError, match="do not split these persons"):
        bounds_of(household_idx, np.array(bounds))


def test_an_error_on_a_thread_reaches_the_caller():
    persons, households, params = _inputs()
    # The last person's household lies outside the households: the last chunk's error.
    household_idx = persons.household_idx.copy()
    household_idx[-1] = households.n
    assert chunk_bounds(household_idx, 3).size == 4
    with pytest.raises(ValueError, match="household_idx"):
        _net(persons, households, params, chunks=3, household_idx=household_idx)
    with pytest.raises(ValueError, match="household_idx"):
        gross_incomes.gross_incomes(
            dataclasses.replace(persons, household_idx=household_idx), households.n, chunks=3
        )


def test_dask_workers_run_the_kernels_on_one_thread():
    # sim.common.cluster's workers run one task per core: their kernels must not add threads.
    from sim.common.cluster import start_local_cluster

    cluster, client = start_local_cluster(1)
    try:
        assert list(client.run(numba.get_num_threads).values()) == [1]
        assert list(client.run(default_chunks).values()) == [1]
    finally:
        client.close()
        cluster.close()
