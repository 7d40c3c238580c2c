"""Replications run on a Dask cluster: a local one (processes, one thread each), an existing
one, or a given client. A task runs the same code on the same seeds wherever it runs, so a
distributed sweep gives the same numbers as an in-process one. A dead worker (after Dask's own
retries), a lost scheduler or a failed replication stops the sweep with one line saying what
happened (:func:`task_failure`, :func:`describe_error`).

``distributed`` is imported when a cluster is used, not with this module (it takes about a
second, and an in-process sweep never needs it)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from sim.common.cluster import start_local_cluster
from sim.common.errors import SimInputError
from sim.population.tables import Population
from sim.uncertainty.draws import Replication
from sim.uncertainty.spec import SweepSpec, SweepStopped


class DaskExecutor:
    """Runs replications on a Dask cluster: a local one, an existing one, or a given client."""

    def __init__(self, *, workers: int | None, scheduler: str | None, client: Any) -> None:
        from distributed import Client

        self.cluster = None
        self.own_client = client is None
        if client is not None:
            self.client = client
        elif workers is not None:
            self.cluster, self.client = start_local_cluster(workers)
        else:
            try:
                self.client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as error:
                raise SimInputError(
                    f"cannot reach the Dask scheduler {scheduler} ({type(error).__name__}: {error})"
                ) from None

    def run(
        self,
        spec: SweepSpec,
        pending: Sequence[Replication],
        population: Population | None,
        task: Callable[..., pl.DataFrame],
        keep: Callable[[int, pl.DataFrame], None],
        *,
        stop: Callable[[str], SweepStopped],
    ) -> None:
        """Run ``task(spec, replication, population)`` for each of ``pending`` on the cluster
        and hand each table to ``keep`` as it arrives. A replication that fails, a dead worker
        or a lost scheduler raises ``stop(what happened)``."""
        from distributed import as_completed

        client = self.client
        index_of = {}
        try:
            shared = client.scatter(population, broadcast=True) if population is not None else None
            # Keys unique to this sweep: a key an earlier sweep on the same cluster released
            # may still be being forgotten by the scheduler, which would cancel the new task.
            run_token = uuid.uuid4().hex
            futures = []
            for replication in pending:
                future = client.submit(
                    task,
                    spec,
                    replication,
                    shared,
                    key=f"sim-sweep-{spec.seed}-r{replication.index}-{run_token}",
                    pure=False,
                )
                index_of[future.key] = replication.index
                futures.append(future)
            for future in as_completed(futures):
                index = index_of[future.key]
                if future.status != "finished":
                    raise stop(task_failure(future, index, client))
                keep(index, future.result())
        except SweepStopped:
            raise
        except Exception as error:  # the scheduler or the connection is gone
            raise stop(describe_error(error)) from None

    def close(self) -> None:
        for thing in (self.client if self.own_client else None, self.cluster):
            if thing is None:
                continue
            with contextlib.suppress(Exception):  # a cluster that is already gone
                thing.close()


def task_failure(future: Any, index: int, client: Any) -> str:
    """What happened to replication ``index`` whose ``future`` did not finish, in words."""
    if future.status == "cancelled" and client.status != "running":
        return f"lost the Dask scheduler (client status: {client.status})"
    try:
        error = future.exception()
    except Exception as lost:  # the result can no longer be fetched
        error = lost
    if type(error).__name__ == "KilledWorker":
        what = f"a worker died running replication {index} (KilledWorker)"
    elif isinstance(error, SimInputError):
        what = f"replication {index} failed: {error}"
    elif future.status == "cancelled":
        # Dask gives a cancelled future no exception (None): say what cancels a task.
        reason = (
            describe_error(error)
            if error is not None
            else "no reason given; the usual causes are workers that keep dying "
            "(out of memory, killed) or a cluster being shut down"
        )
        what = f"replication {index} was cancelled by the Dask scheduler ({reason})"
    else:
        what = f"replication {index} failed: {type(error).__name__}: {error}"
    return what


def describe_error(error: BaseException) -> str:
    """An error of Dask or of the connection to it, in one line."""
    name = type(error).__name__
    text = " ".join(str(error).split())
    if name in ("CommClosedError", "StreamClosedError", "CancelledError", "FutureCancelledError"):
        return f"lost the Dask scheduler ({name}{': ' + text if text else ''})"
    if isinstance(error, OSError | TimeoutError):
        return f"lost the Dask scheduler (connection: {name}: {text})"
    return f"{name}: {text}"
