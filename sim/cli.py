"""The command line: ``sim household``, ``sim population``, ... thin over the library.

Every command is a few lines that call one library function. :func:`main` is the entry
point: bad input of any kind (a flag, a file, a household, a date) ends with one line on
stderr and exit code 2, never a traceback. Each command imports what it runs inside its body,
for import time: ``sim --help`` and a bad option answer in a tenth of a second, without
loading numpy, numba or matplotlib.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from sim.common.errors import SimInputError

app = typer.Typer(
    name="sim",
    help="Microsimulation of Swedish försörjningsstöd, bidragstak and aktivitetskrav.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    no_args_is_help=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Microsimulation of Swedish försörjningsstöd, bidragstak and aktivitetskrav."""


def version_text() -> str:
    """``sim 0.1.0`` (the installed package's version), with the git commit where the code
    is a git checkout (``sim 0.1.0 (git 507bfb0)``)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("sim")
    except PackageNotFoundError:  # run from a source tree that is not installed
        from sim import __version__ as number
    commit = _git_commit()
    return f"sim {number}" + (f" (git {commit})" if commit else "")


def _git_commit() -> str | None:
    """The checked-out commit of the package's source (short), or None outside a git
    checkout or without git."""
    import subprocess
    from pathlib import Path

    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short=7", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


@app.command()
def household(
    date: Annotated[str, typer.Option(help="Month, YYYY-MM.")],
    scenario: Annotated[
        str,
        typer.Option(
            help="Scenario name in scenarios/ or a scenario file; non-baseline is shown beside baseline."
        ),
    ] = "baseline",
    adults: Annotated[
        int, typer.Option(help="Adults in the household: 1, or 2 (sambo/married).")
    ] = 1,
    adult_ages: Annotated[str, typer.Option(help="Adult ages, comma list.")] = "35",
    child_ages: Annotated[str, typer.Option(help="Children's ages, comma list, e.g. 3,7,12.")] = "",
    preschool_lunch: Annotated[
        bool, typer.Option(help="Children aged 1-6 eat lunch in förskola (riksnorm 'utan lunch').")
    ] = False,
    housing_cost: Annotated[
        float,
        typer.Option(
            help="Rent or avgift asked for, SEK/month; counted up to the skälig boendekostnad."
        ),
    ] = 0.0,
    earnings: Annotated[
        str, typer.Option(help="Gross earnings per adult, SEK/month, comma list.")
    ] = "",
    other_income: Annotated[
        list[str] | None,
        typer.Option(
            help="Benefit per adult as name=amount (name.2 for the second adult); repeatable."
        ),
    ] = None,
    months_on_fs: Annotated[
        int, typer.Option(help="Consecutive months with FS before this month.")
    ] = 0,
    jobbstimulans_months_used: Annotated[
        int, typer.Option(help="Months the jobbstimulans rule has already applied.")
    ] = 0,
    underhallsstod: Annotated[
        bool | None,
        typer.Option(help="Underhållsstöd for the children (default: yes for a single parent)."),
    ] = None,
    hushallsel: Annotated[
        float | None, typer.Option(help="Household electricity, SEK/month.")
    ] = None,
    hemforsakring: Annotated[float | None, typer.Option(help="Home insurance, SEK/month.")] = None,
    arbetsresor: Annotated[float, typer.Option(help="Work travel, SEK/month.")] = 0.0,
    fack_akassa: Annotated[float, typer.Option(help="Union and a-kassa fees, SEK/month.")] = 0.0,
    norm_topup: Annotated[
        float, typer.Option(help="Amount granted above the norm for särskilda skäl, SEK/month.")
    ] = 0.0,
    housing_limit_factor: Annotated[
        float,
        typer.Option(help="Municipality's reasonable-housing level relative to the assumed table."),
    ] = 1.0,
    jobbpremie_eligible: Annotated[
        bool, typer.Option(help="The adults had FS every month July-December 2025.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print JSON: household, units, baseline (and reform, change, effects with "
            "a --scenario), each side with amounts, steps, sources; see docs/outputs.md.",
        ),
    ] = False,
    axis: Annotated[
        str | None,
        typer.Option(
            help="Vary one input, NAME=START:STOP:STEP: earnings (adult 1), earnings2, "
            "hours (a week, with --wage) or housing_cost; prints or writes a table."
        ),
    ] = None,
    wage: Annotated[float | None, typer.Option(help="Hourly wage of an hours axis, SEK.")] = None,
    axis_out: Annotated[
        str | None, typer.Option(help="Write the axis table to this .csv or .json file.")
    ] = None,
    axis_chart: Annotated[
        str | None,
        typer.Option(help="Write the chart 'Lönar det sig att arbeta?' to this .png or .svg."),
    ] = None,
    ptr_at: Annotated[
        float | None,
        typer.Option(help="PTR and EMTR of adult 1 taking a job at this gross wage, SEK/month."),
    ] = None,
    emtr_step: Annotated[
        float, typer.Option(help="Step of gross earnings for the EMTR, SEK/month.")
    ] = 100.0,
    lang: Annotated[str, typer.Option(help="Language of the chart: sv or en.")] = "sv",
    force: Annotated[
        bool, typer.Option(help="Replace existing --axis-out/--axis-chart files.")
    ] = False,
) -> None:
    """One household's försörjningsstöd, step by step, with the legal source of each amount."""
    from sim.calculator.household import (
        HouseholdSpec,
        calculate,
        compare,
        parse_ages,
        parse_amounts,
        parse_named_amounts,
    )
    from sim.scenarios.scenario import load_scenario

    spec = HouseholdSpec(
        adults=adults,
        adult_ages=parse_ages(adult_ages, what="adult ages"),
        child_ages=parse_ages(child_ages, what="child ages"),
        preschool_lunch=preschool_lunch,
        housing_cost=housing_cost,
        earnings=parse_amounts(earnings, what="earnings"),
        other_income=parse_named_amounts(other_income or []),
        months_on_fs=months_on_fs,
        jobbstimulans_months_used=jobbstimulans_months_used,
        underhallsstod=underhallsstod,
        hushallsel=hushallsel,
        hemforsakring=hemforsakring,
        arbetsresor=arbetsresor,
        fack_akassa=fack_akassa,
        norm_topup=norm_topup,
        housing_limit_factor=housing_limit_factor,
        jobbpremie_eligible=jobbpremie_eligible,
    )
    chosen = load_scenario(scenario)
    if axis is not None or ptr_at is not None or axis_out or axis_chart or wage is not None:
        from sim.calculator.axes import household_axis, work_incentives
        from sim.outputs.axis_output import axis_text, check_axis_request

        check_axis_request(
            axis=axis, wage=wage, ptr_at=ptr_at, out=axis_out, chart=axis_chart, force=force
        )
        if ptr_at is not None:
            frame = work_incentives(
                spec, gross=ptr_at, date=date, scenario=chosen, emtr_step=emtr_step
            )
        else:
            frame = household_axis(
                spec, axis, date=date, scenario=chosen, wage=wage, emtr_step=emtr_step
            )
        typer.echo(
            axis_text(
                frame,
                spec,
                incentives=ptr_at is not None,
                out=axis_out,
                chart=axis_chart,
                lang=lang,
                as_json=as_json,
            )
        )
        return
    if chosen.name == "baseline":
        result = calculate(spec, date=date, scenario=chosen)
    else:
        result = compare(spec, date=date, scenario=chosen)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(result.to_text())


@app.command()
def population(
    out: Annotated[str, typer.Option(help="Folder to write the population into.")],
    year: Annotated[int, typer.Option(help="Data year (2024: the latest statistics).")] = 2024,
    households: Annotated[int, typer.Option(help="Dwellings to sample.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same population.")] = 1,
    force: Annotated[bool, typer.Option(help="Replace an existing folder.")] = False,
) -> None:
    """Generate and calibrate a synthetic population; write it with its calibration report."""
    from sim.common.progress import StageProgress
    from sim.population.build import build_population

    with StageProgress("sim population") as progress:
        result = build_population(
            year=year,
            n_households=households,
            seed=seed,
            out_dir=out,
            force=force,
            progress=progress,
        )
    typer.echo(f"wrote {result.out_dir} ({len(result.files)} files)")


@app.command()
def run(
    out: Annotated[str, typer.Option(help="Output folder (written atomically).")],
    scenarios: Annotated[
        str, typer.Option(help="Comma list of scenario names in scenarios/ or scenario files.")
    ] = "baseline,bidragstak,aktivitetskrav,kombinerad",
    year: Annotated[int, typer.Option(help="Simulated calendar year.")] = 2027,
    population: Annotated[
        str | None, typer.Option(help="Population folder (default: data/synthetic).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed (default: the population's own).")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing output folder.")] = False,
    lang: Annotated[str, typer.Option(help="Language of the report and charts: sv or en.")] = "sv",
    kommun_profile: Annotated[
        str | None,
        typer.Option(help="A municipality's profile (YAML): re-weight the population to it."),
    ] = None,
    kommun: Annotated[
        str | None,
        typer.Option(
            help="A kommun by code or name (e.g. 1280 or Malmö): re-weight the population to "
            "its official inhabitants and monthly caseload; a --kommun-profile overrides."
        ),
    ] = None,
) -> None:
    """Run scenarios on a population and write the output folder: tables, charts, report."""
    from pathlib import Path

    from sim.calculator.typfall import typfall_comparison
    from sim.common.progress import RunProgress, Step
    from sim.common.safe_write import check_target
    from sim.common.validate import check_lang, check_seed
    from sim.outputs.run_folder import write_results
    from sim.outputs.run_summary import run_summary
    from sim.runs import DEFAULT_POPULATION, check_year, read_population, run_scenarios
    from sim.scenarios.scenario import load_scenario

    check_lang(lang)
    if seed is not None:
        check_seed(seed)
    names = [name.strip() for name in scenarios.split(",") if name.strip()]
    if not names:
        raise SimInputError("--scenarios names no scenario")
    population_path = Path(population) if population else DEFAULT_POPULATION
    chosen = [load_scenario(name) for name in names]  # every file checked before any work
    inputs = [population_path, kommun_profile]
    inputs += [s.source_file for s, name in zip(chosen, names, strict=True) if Path(name).exists()]
    check_target(out, force=force, inputs=inputs)
    # The first stage's line waits until the inputs are read: bad input is still one line.
    with RunProgress(lang=lang, hold_first=True) as progress:
        progress(Step("population"))
        pop, population_seed = read_population(population_path)
        profile = _profile(pop, kommun, kommun_profile)
        check_year(pop, year)
        _compile_if_cold(progress)
        result = run_scenarios(
            names,
            year=year,
            population=pop,
            seed=population_seed if seed is None else seed,
            profile=profile,
            progress=progress,
        )
        write_results(
            result,
            out,
            typfall=typfall_comparison(year),
            force=force,
            population_path=population_path,
            lang=lang,
            progress=progress,
        )
    typer.echo(run_summary(result.table(), year=year, out=out, lang=lang))


def _compile_if_cold(progress) -> None:
    """The stage "compiling the model" where numba's cache lacks a kernel (a first run)."""
    from sim.common.progress import Step
    from sim.precompile import EXPECTED_SECONDS, is_cold, precompile

    if is_cold():
        progress(Step("compile", seconds=EXPECTED_SECONDS))
        precompile()


@app.command("compile")
def compile_(
    lang: Annotated[str, typer.Option(help="Language of the progress line: sv or en.")] = "sv",
) -> None:
    """Compile the model's kernels into numba's cache, so that the first run does not
    (`make run` does this once after installing: about a minute; then nothing to do)."""
    from sim.common.progress import RunProgress
    from sim.common.validate import check_lang
    from sim.precompile import is_cold

    check_lang(lang)
    if not is_cold():
        typer.echo(
            "sim: modellen är redan kompilerad" if lang == "sv" else "sim: already compiled",
            err=True,
        )
        return
    with RunProgress(lang=lang) as progress:
        _compile_if_cold(progress)


def _profile(pop, kommun: str | None, kommun_profile: str | None):
    """The run's municipality: official data of ``kommun``, a profile YAML, or both (the
    YAML's figures override the official ones); None for the whole country."""
    profile = None
    if kommun is not None:
        from sim.municipal.official import official_profile

        profile = official_profile(kommun)
    if kommun_profile is not None:
        from sim.municipal.profile import load_profile, sweden_totals

        own = load_profile(kommun_profile, sweden=sweden_totals(pop))
        if profile is None:
            return own
        from sim.municipal.official import with_yaml

        profile = with_yaml(profile, own)
    return profile


@app.command()
def kommuner(
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the 290 kommuner: code, län, SKR group, inhabitants (SCB 2024) and mean
    monthly caseload 2024 (Socialstyrelsen)."""
    import json

    from sim.municipal.official import kommuner_table

    rows = kommuner_table()
    if json_:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    typer.echo(
        f"{'kod':4}  {'kommun':<18} {'län':3} {'grupp':5} {'invånare':>9} {'hushåll/mån':>11}"
    )
    for r in rows:
        caseload = (
            "–" if r["hushall_per_manad_2024"] is None else f"{r['hushall_per_manad_2024']:.0f}"
        )
        typer.echo(
            f"{r['kod']:4}  {r['namn']:<18} {r['lan']:3} {r['kommungrupp']:5} "
            f"{r['invanare']:>9} {caseload:>11}"
        )


@app.command()
def report(
    from_: Annotated[
        str, typer.Option("--from", help="Output folder of `sim run` to rebuild the report of.")
    ],
    lang: Annotated[str, typer.Option(help="Language of the report and charts: sv or en.")] = "sv",
    force: Annotated[bool, typer.Option(help="Replace the existing report and charts.")] = False,
) -> None:
    """Rebuild report.html, summary.md and charts/ of an output folder, without recomputing."""
    from sim.calculator.typfall import typfall_comparison
    from sim.outputs.report.files import rebuild_report

    folder = rebuild_report(from_, typfall_for=typfall_comparison, lang=lang, force=force)
    typer.echo(f"wrote {folder}/report.html, summary.md and charts/")


@app.command()
def bench(
    households: Annotated[int, typer.Option(help="Dwellings to generate.")] = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    months: Annotated[
        int,
        typer.Option(
            help="1 (one month, baseline and kombinerad) or 12 (the full year of the four "
            "main scenarios)."
        ),
    ] = 1,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Run the parts on a local Dask cluster of this many worker processes "
            "(default: in this process)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the default).")] = True,
) -> None:
    """Time the engine on a generated population: build, compute, metrics (JSON)."""
    from sim.bench import bench as run_bench

    measured = run_bench(n_households=households, seed=seed, months=months, workers=workers)
    typer.echo(json.dumps(measured, indent=2))


@app.command()
def sweep(
    out: Annotated[str, typer.Option(help="Output folder of the sweep.")],
    scenarios: Annotated[
        str, typer.Option(help="Comma list of scenario names in scenarios/ or scenario files.")
    ] = "baseline,bidragstak,aktivitetskrav,kombinerad",
    year: Annotated[int, typer.Option(help="Simulated calendar year.")] = 2027,
    replications: Annotated[int, typer.Option(help="Number of replications.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the sweep; same seed, same draws.")] = 1,
    households: Annotated[
        int | None,
        typer.Option(help="Dwellings per built population (default: the committed size)."),
    ] = None,
    population: Annotated[
        str | None,
        typer.Option(help="Use this fixed population folder instead of building one each time."),
    ] = None,
    vary: Annotated[
        str, typer.Option(help="Comma list of what varies: population,calibration,assumptions.")
    ] = "population,calibration,assumptions",
    grid: Annotated[
        str | None,
        typer.Option(help="Set one assumption to each value in turn: PATH=v1,v2,..."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Run on a local Dask cluster of this many processes.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Run on an existing Dask cluster: tcp://host:8786.")
    ] = None,
    resume: Annotated[
        bool, typer.Option(help="Continue a stopped sweep in --out from its finished replications.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Replace an existing output folder.")] = False,
    lang: Annotated[str, typer.Option(help="Language of the report and charts: sv or en.")] = "sv",
    kommun_profile: Annotated[
        str | None,
        typer.Option(help="A municipality's profile (YAML): every replication re-weighted to it."),
    ] = None,
    kommun: Annotated[
        str | None,
        typer.Option(
            help="A kommun by code or name: every replication re-weighted to its official "
            "inhabitants and monthly caseload; a --kommun-profile overrides."
        ),
    ] = None,
) -> None:
    """Replicate scenario runs over population seeds, calibration noise and assumption ranges;
    write the median and 10th/90th percentiles of every metric, charts and a report."""
    import logging
    import os

    if "numpy" not in sys.modules:  # one BLAS thread, as in Dask workers: identical numbers
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")

    from sim.common.progress import StageProgress
    from sim.outputs.sweep_summary import sweep_summary
    from sim.uncertainty.spec import SweepSpec, parse_grid
    from sim.uncertainty.sweep import run_sweep

    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # errors end in one line
    profile = None
    if kommun_profile is not None or kommun is not None:
        from sim.runs import DEFAULT_POPULATION, read_population

        national, _ = read_population(population or DEFAULT_POPULATION)
        profile = _profile(national, kommun, kommun_profile)
    spec = SweepSpec(
        scenarios=tuple(name.strip() for name in scenarios.split(",") if name.strip()),
        year=year,
        n_replications=replications,
        seed=seed,
        vary=tuple(v.strip() for v in vary.split(",") if v.strip()),
        n_households=households,
        population_path=population,
        grid=parse_grid(grid) if grid else None,
        kommun_profile=profile,
    )
    with StageProgress("sim sweep") as progress:
        result = run_sweep(
            spec,
            out,
            workers=workers,
            scheduler=scheduler,
            resume=resume,
            force=force,
            progress=progress,
            command=sys.argv,
            lang=lang,
        )
    typer.echo(sweep_summary(result.table))
    typer.echo(f"wrote {out} ({result.n_run} replications run, {result.n_resumed} resumed)")


@app.command("work-incentives")
def work_incentives(
    out: Annotated[str, typer.Option(help="Write the table to this .csv or .json file.")],
    scenarios: Annotated[
        str, typer.Option(help="Comma list of scenario names in scenarios/ or scenario files.")
    ] = "baseline,kombinerad",
    year: Annotated[int, typer.Option(help="Simulated calendar year.")] = 2027,
    month: Annotated[int, typer.Option(help="Month of the year, 1-12.")] = 9,
    population: Annotated[
        str | None, typer.Option(help="Population folder (default: data/synthetic).")
    ] = None,
    threshold: Annotated[
        float, typer.Option(help="Count households whose PTR is at least this (0-1).")
    ] = 0.8,
    jobbpremie_eligible: Annotated[
        bool, typer.Option(help="The job taker meets the jobbpremie's FS condition.")
    ] = True,
    force: Annotated[bool, typer.Option(help="Replace an existing --out file.")] = False,
) -> None:
    """PTR and EMTR of the adults on FS taking a job (half-time, entry wage, full-time), by
    household type and number of children, with and without the jobbstimulans."""
    from sim.outputs.incentives_summary import write_summary

    typer.echo(
        write_summary(
            out,
            scenarios=[name.strip() for name in scenarios.split(",") if name.strip()],
            year=year,
            month=month,
            population=population,
            threshold=threshold,
            jobbpremie_eligible=jobbpremie_eligible,
            force=force,
        )
    )


@app.command()
def examples() -> None:
    """Print the worked household examples (the main job of `make run` for now)."""
    from sim.calculator.examples import print_examples

    print_examples()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``sim`` command: one clear line and exit code 2 on bad input."""
    from sim.common.memory import keep_freed_memory

    keep_freed_memory()
    try:
        result = app(args=argv, prog_name="sim", standalone_mode=False)
    except SimInputError as error:
        _fail(str(error))
    except (typer.Abort, KeyboardInterrupt):
        _fail("interrupted", code=130)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except Exception as error:
        # Typer's usage errors (bad flag, bad value) carry format_message(); typer vendors
        # its own click, so they are recognised by that interface, not by class.
        if hasattr(error, "format_message") and hasattr(error, "exit_code"):
            _fail(error.format_message())
        raise
    if isinstance(result, int) and result:
        sys.exit(result)


def _fail(message: str, *, code: int = 2) -> None:
    first_line = " ".join(message.split())
    print(f"sim: error: {first_line}", file=sys.stderr)
    sys.exit(code)
