"""A sweep: its replications run (in-process, or on Dask: :mod:`sim.uncertainty.dask_executor`),
kept on disk one by one so a stopped sweep resumes, summarised into bands and written as a
folder.

Every replication's table is written as ``replications/rep-00037.parquet`` as soon as it
arrives (temporary file, then rename, so a half-written file never counts); with ``resume``
the replications already on disk are skipped. At the end the summary
(:func:`sim.uncertainty.bands.summarise`) and the effects (:func:`sim.uncertainty.bands.differences`)
are written with the manifest, the workbook and the report by
:func:`sim.outputs.sweep_folder.write_sweep_folder`.

This module is the one of :mod:`sim.uncertainty` that imports :mod:`sim.outputs` (the layer
below it): the draws, the replications, the bands and the executor compute and write no
output folder."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from sim import __version__
from sim.calculator.typfall import typfall_comparison
from sim.common.errors import SimInputError
from sim.common.safe_write import check_target, write_file, writer_lock
from sim.common.validate import check_lang, check_workers
from sim.outputs.provenance import git_revision, run_date
from sim.outputs.sweep_folder import (
    built_population_name,
    write_json,
    write_sweep_folder,
)
from sim.runs import read_population
from sim.scenarios.scenario import load_scenario
from sim.uncertainty.bands import PERCENTILES, differences, summarise
from sim.uncertainty.dask_executor import DaskExecutor
from sim.uncertainty.draws import (
    MAX_CALIBRATION_DRAWS,
    Replication,
    calibration_sds,
    drawable_assumptions,
    plan_replications,
    target_factors,
)
from sim.uncertainty.replication import committed_size, run_replication
from sim.uncertainty.spec import SweepSpec, SweepStopped, validate

REPLICATION_DIR = "replications"
PLAN_FILE = "plan.json"


@dataclasses.dataclass(frozen=True)
class SweepResult:
    """A finished sweep: the summary table and where it was written."""

    out: Path
    table: pl.DataFrame
    n_run: int
    n_resumed: int
    seconds: float


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    resume: bool = False,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
    command: Sequence[str] | None = None,
    task: Callable[..., pl.DataFrame] = run_replication,
    lang: str = "sv",
    report: bool = True,
) -> SweepResult:
    """Run (or, with ``resume``, finish) the sweep ``spec`` into the folder ``out``.

    Execution is in-process unless ``workers`` (a local Dask cluster of that many processes),
    ``scheduler`` (the address of a running one) or ``client`` (a ``dask.distributed.Client``)
    is given. Every replication's table is written to ``out/replications/`` as soon as it
    arrives; the summary, ``results.parquet``/``.csv``, ``differences.parquet``/``.csv``,
    ``results.xlsx``, ``results_excel.csv`` and ``manifest.json`` at the end
    (:func:`sim.outputs.sweep_folder.write_sweep_folder`). With ``report`` (the default) the
    report of the sweep follows in ``lang``: ``summary.md``, ``report.html`` and ``charts/``, with the bands in
    the tables and the whisker charts (:func:`sim.outputs.report.files.write_report_files`); a grid sweep
    gets the fan chart of its grid instead (:func:`sim.outputs.charts.uncertainty.grid_fan`).
    ``task`` replaces :func:`run_replication` (tests use it to kill a worker).
    """
    out = Path(out)
    check_lang(lang)
    validate(spec)
    revision = git_revision()  # of the code the replications run, read before they start
    if sum(x is not None for x in (workers, scheduler, client)) > 1:
        raise SimInputError("give --workers or --scheduler, not both")
    check_workers(workers)
    population = None
    if spec.population_path is not None:
        population, fixed_seed = read_population(spec.population_path)
    else:
        fixed_seed = None
    replications = plan_replications(spec, fixed_seed=fixed_seed)
    plan = _plan_document(spec, replications)
    folder = out / REPLICATION_DIR
    check_target(out, force=True, inputs=[spec.population_path])  # a file, unwritable, ...
    if out.exists():
        if resume:
            _check_resumable(out, plan)
        elif not force:
            raise SimInputError(f"{out} exists; use --resume to continue it or --force to replace")
        elif not out.is_dir():
            raise SimInputError(f"{out} exists and is not a folder")
    done = {r.index for r in replications if resume and _is_complete(folder, r.index)}
    pending = [r for r in replications if r.index not in done]
    distributed = workers is not None or scheduler is not None or client is not None
    executor = None
    if pending and distributed:
        executor = DaskExecutor(workers=workers, scheduler=scheduler, client=client)

    out.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(out):  # one sweep at a time in a folder (sim.common.safe_write)
        started = time.perf_counter()
        total = len(replications)
        finished = len(done)

        def keep(index: int, table: pl.DataFrame) -> None:
            nonlocal finished
            _write_replication(folder, index, table)
            finished += 1
            if progress is not None:
                elapsed = time.perf_counter() - started
                progress(f"{finished}/{total} replications (r{index} done, {elapsed:.0f} s)")

        try:
            if out.exists() and not resume:
                shutil.rmtree(out)
            folder.mkdir(parents=True, exist_ok=True)
            write_json(out / PLAN_FILE, plan)
            if progress is not None and done:
                progress(f"{finished}/{total} replications already in {out}")
            if executor is None:
                for replication in pending:
                    try:
                        table = task(spec, replication, population)
                    except SimInputError as error:
                        what = f"replication {replication.index} failed: {error}"
                        raise sweep_stopped(what, out, total) from None
                    keep(replication.index, table)
            else:
                executor.run(
                    spec,
                    pending,
                    population,
                    task,
                    keep,
                    stop=lambda what: sweep_stopped(what, out, total),
                )
        finally:
            if executor is not None:
                executor.close()
        seconds = time.perf_counter() - started

        tables = [pl.read_parquet(_replication_file(folder, r.index)) for r in replications]
        if spec.grid is not None:
            grid_values = {r.index: r.assumption_values[spec.grid[0]] for r in replications}
            tables = [
                t.with_columns(pl.lit(grid_values[int(t["replication"][0])]).alias("grid_value"))
                for t in tables
            ]
        table = summarise(tables, grid=spec.grid is not None)
        draws = {int(t["replication"][0]): int(t["calibration_draw"][0]) for t in tables}
        for entry in plan["replications"]:
            if draws[entry["index"]] >= 0:
                entry["calibration_draw"] = draws[entry["index"]]
                entry["target_factors"] = target_factors(
                    spec.seed, entry["index"], entry["calibration_draw"]
                )
        manifest = {
            **plan,
            "scenarios": _scenario_entries(spec),  # as sim run writes them, for sim report
            "runs": list(table["scenario"].unique(maintain_order=True)),
            "version": __version__,
            "git_revision": revision,
            "execution": {
                "mode": _mode(workers, scheduler, client),
                "replications_run": len(pending),
                "replications_resumed": len(done),
                "seconds": round(seconds, 1),
            },
            "population_name": Path(spec.population_path).name
            if spec.population_path
            else built_population_name(spec.n_households or committed_size(), lang),
            "command": list(command) if command is not None else None,
            "kommun_profile": spec.kommun_profile.record() if spec.kommun_profile else None,
            "lang": lang,
            "created": run_date().isoformat(),
        }
        change = differences(tables, grid=spec.grid is not None)
        # The typfall chart of a sweep's report (a grid sweep draws only its fans).
        typfall = typfall_comparison(spec.year) if report and spec.grid is None else None
        write_sweep_folder(out, table, change, manifest, lang=lang, report=report, typfall=typfall)
        return SweepResult(out, table, len(pending), len(done), seconds)


def _scenario_entries(spec: SweepSpec) -> list[dict[str, str]]:
    names = ["baseline", *(n for n in spec.scenarios if n != "baseline")]
    scenarios = [load_scenario(name) for name in names]
    return [
        {"name": s.name, "file": Path(s.source_file).name, "assumption_set": s.assumption_set}
        for s in scenarios
    ]


def _mode(workers: int | None, scheduler: str | None, client: Any) -> str:
    if workers is not None:
        return f"dask, local cluster of {workers} worker processes"
    if scheduler is not None:
        return f"dask, scheduler {scheduler}"
    return "dask, given client" if client is not None else "in-process"


def sweep_stopped(what: str, out: Path, total: int) -> SweepStopped:
    """The error that stops the sweep in ``out`` because of ``what``, saying how many of the
    ``total`` replications are kept and how to go on."""
    kept = sum(1 for _ in (out / REPLICATION_DIR).glob("rep-*.parquet"))
    return SweepStopped(
        f"sweep stopped: {what}; {kept} of {total} replications kept in {out}; rerun with --resume"
    )


def _replication_file(folder: Path, index: int) -> Path:
    return folder / f"rep-{index:05d}.parquet"


def _write_replication(folder: Path, index: int, table: pl.DataFrame) -> None:
    write_file(_replication_file(folder, index), lambda p: table.write_parquet(p))


def _is_complete(folder: Path, index: int) -> bool:
    """A replication counts when its file reads back with its own index."""
    path = _replication_file(folder, index)
    if not path.is_file():
        return False
    try:
        replication = pl.read_parquet(path, columns=["replication"])["replication"]
    except Exception:  # a damaged file: run the replication again
        return False
    return replication.len() > 0 and bool((replication == index).all())


def _plan_document(spec: SweepSpec, replications: Sequence[Replication]) -> dict[str, Any]:
    drawn, kept = drawable_assumptions()
    varied = "assumptions" in spec.vary
    return {
        "kind": "sim sweep",
        "seed": spec.seed,
        "n_replications": spec.n_replications,
        "scenarios": list(spec.scenarios),
        "year": spec.year,
        "vary": list(spec.vary),
        "population": spec.population_path
        or f"built per replication, {spec.n_households or committed_size()} dwellings",
        "grid": {"path": spec.grid[0], "values": list(spec.grid[1])} if spec.grid else None,
        "kommun_profile": spec.kommun_profile.record() if spec.kommun_profile else None,
        "summary": {
            "value": f"percentile {PERCENTILES[1]:g}",
            "low": f"percentile {PERCENTILES[0]:g}",
            "high": f"percentile {PERCENTILES[2]:g}",
            "interpolation": "linear",
        },
        "calibration_noise": {
            "distribution": "factor exp(sd * z), z ~ N(0, 1), on every calibration margin",
            "relative_sd": calibration_sds(),
            "redraws": f"a draw the calibration cannot meet is drawn again, at most "
            f"{MAX_CALIBRATION_DRAWS} draws",
        }
        if "calibration" in spec.vary
        else None,
        "assumption_draws": {
            "distribution": "triangular(low, central, high)",
            "drawn": {p: list(v) for p, v in drawn.items()} if varied else {},
            "not_varied": kept,
        },
        "replications": [r.to_dict() for r in replications],
    }


def _check_resumable(out: Path, plan: Mapping[str, Any]) -> None:
    """``out`` holds the same sweep: every setting equal; more replications may be asked for
    (replication ``r`` does not depend on how many there are)."""
    plan_path = out / PLAN_FILE
    try:
        before = json.loads(plan_path.read_text())
    except (OSError, ValueError):
        raise SimInputError(f"{out}: not a sweep folder (no readable {PLAN_FILE})") from None
    now = json.loads(json.dumps(plan))
    same = ("n_replications", "replications")
    differing = sorted(
        k for k in set(now) | set(before) if k not in same and before.get(k) != now.get(k)
    )
    old = before.get("replications", [])
    if not differing and now["replications"][: len(old)] != old:
        differing = ["replications"]
    if differing:
        raise SimInputError(
            f"{out} holds a different sweep ({', '.join(differing)} differ); "
            "use the same options to resume, or --force to replace it"
        )
