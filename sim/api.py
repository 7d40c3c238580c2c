"""The Python API: the verbs of the command line as functions returning frames and figures.

>>> import sim
>>> results = sim.run(["baseline", "bidragstak"])          # doctest: +SKIP
>>> results.table()                                         # doctest: +SKIP
>>> results.plot.child_poverty()                            # doctest: +SKIP
>>> results.report("out/2027")                              # doctest: +SKIP
>>> sim.household(date="2027-09", scenario="bidragstak", adults=2, adult_ages=(38, 40),
...               child_ages=(3, 6, 9, 12, 15), housing_cost=16180,
...               housing_limit_factor=1.4)                 # doctest: +SKIP

:func:`run` is ``sim run`` without the files: it returns :class:`Results`, whose
:meth:`Results.report` writes the same output folder as ``sim run``. Each function imports
the parts of the model it uses in its body, for import time: ``sim.household(...)`` loads
the calculator, not the population generator, the runs, the charts or the report.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas
    from matplotlib.figure import Figure

    from sim.calculator.household import HouseholdCalculation, HouseholdComparison
    from sim.outputs.charts.context import ChartContext
    from sim.population.tables import Population
    from sim.runs import RunResult
    from sim.scenarios.reform import Reform
    from sim.simulation.year import ScenarioYear

MAIN_SCENARIOS = ("baseline", "bidragstak", "aktivitetskrav", "kombinerad")
#: The person-level results of a run (:class:`sim.simulation.year.ScenarioYear`).
PERSON_RESULTS = ("ever_covered", "ever_sanctioned", "moved_to_work")


class Results:
    """The runs of :func:`run` and everything made from them.

    ``table()`` is the tidy results table (``scenario, metric, group, value, low, high``)
    exactly as ``results.parquet`` of the output folder; ``plot.<chart>()`` draws a chart of
    :data:`sim.outputs.charts.run.CHARTS`; ``report(path)`` writes the output folder; ``runs`` are the
    :class:`sim.simulation.year.ScenarioYear` of each run (household x month arrays).
    """

    def __init__(self, result: RunResult, *, population_path: Path | None = None) -> None:
        self.result = result
        self.population_path = population_path

    @property
    def runs(self) -> tuple[ScenarioYear, ...]:
        """Every run, the baseline first (``run.label`` names it as in the table)."""
        return self.result.runs

    @property
    def year(self) -> int:
        return self.result.year

    def table(self) -> pl.DataFrame:
        """The tidy results table (:func:`sim.metrics.results.results_table`) with the group split
        into its kind and its value: ``scenario, metric, group_kind, group, value, low,
        high`` (``group_kind`` e.g. ``hushållstyp``, ``län``, ``månad``; ``all`` for the
        whole population). ``results.parquet`` of the output folder holds the same rows with
        ``group`` as ``kind:value`` (:meth:`file_table`)."""
        # "kind:value", or "all" for the whole population (kind and value both "all").
        parts = pl.col("group").str.splitn(":", 2)
        kind, value = parts.struct.field("field_0"), parts.struct.field("field_1")
        return (
            self.file_table()
            .with_columns(kind.alias("group_kind"), value.fill_null(kind).alias("group"))
            .select("scenario", "metric", "group_kind", "group", "value", "low", "high")
        )

    def file_table(self) -> pl.DataFrame:
        """The results table exactly as ``results.parquet`` (``group`` as ``kind:value``)."""
        return self.result.table()

    def microdata(
        self, scenario: str, *, level: str = "household", month: int | None = None
    ) -> pl.DataFrame:
        """Every computed amount of one run, unit by unit, with the weights (polars;
        ``.to_pandas()`` for pandas), for what the tidy table lacks.

        ``scenario``: a run's label (``bidragstak``, ``bidragstak/statisk``, ``baseline``).
        ``level="household"``: one row per biståndshushåll and month (``month`` 1-12 picks
        one month; None gives all twelve in a ``month`` column), with the household's
        inputs (``households`` of the population: weight, adults, children, housing cost,
        län, ...) and every household x month result of the run (SEK/month: FS paid and
        entitlement, disposable income, total support, jobbpremie, sanction, the riksnorm and
        what the bidragstak took from it, ...). ``level="person"``: one row per person with
        the population's person columns and the run's person results (``ever_covered``,
        ``ever_sanctioned``, ``moved_to_work``); with ``month``, also the person's
        household's amounts in that month.
        """
        from sim.common.errors import SimInputError

        run = self._run(scenario)
        if level not in ("household", "person"):
            raise SimInputError(f"microdata: level must be 'household' or 'person', not {level!r}")
        if month is not None and (
            isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12
        ):
            raise SimInputError(f"microdata: month must be a whole number 1-12, not {month!r}")
        households = run.population.households
        n = run.population.n_households
        monthly = {
            name: values
            for name, values in vars(run).items()
            if isinstance(values, np.ndarray) and values.shape == (n, 12)
        }
        base = households.with_columns(pl.Series("household_idx", np.arange(n)))
        if level == "household":
            if month is not None:
                amounts = {name: values[:, month - 1] for name, values in monthly.items()}
                return base.with_columns(
                    pl.lit(month, dtype=pl.Int8).alias("month"),
                    *(pl.Series(name, v) for name, v in amounts.items()),
                )
            long = base.select(pl.all().repeat_by(12).explode())
            return long.with_columns(
                pl.Series("month", np.tile(np.arange(1, 13, dtype=np.int8), n)),
                *(pl.Series(name, values.ravel()) for name, values in monthly.items()),
            )
        persons = run.population.persons
        m = persons.height
        person_fields = {name: getattr(run, name) for name in PERSON_RESULTS}
        frame = persons.with_columns(
            pl.Series("person_idx", np.arange(m)),
            *(pl.Series(name, values) for name, values in person_fields.items()),
        )
        if month is not None:
            idx = persons["household_idx"].to_numpy()
            frame = frame.with_columns(
                pl.lit(month, dtype=pl.Int8).alias("month"),
                *(
                    pl.Series(f"household_{name}", values[idx, month - 1])
                    for name, values in monthly.items()
                ),
            )
        return frame

    def _run(self, label: str) -> ScenarioYear:
        from sim.common.errors import SimInputError
        from sim.law.parameters import closest_hint

        labels = [run.label for run in self.runs]
        for run in self.runs:
            if run.label == label:
                return run
        raise SimInputError(
            f"microdata: no run {label!r}{closest_hint(str(label), labels)}; runs: {', '.join(labels)}"
        )

    def to_pandas(self) -> pandas.DataFrame:
        """The table as a pandas DataFrame."""
        return self.table().to_pandas()

    @functools.cached_property
    def plot(self) -> Plots:
        """The charts: ``results.plot.child_poverty(lang="sv")`` returns a Figure."""
        return Plots(self)

    def context(self):
        """What the charts' source line names (version, population, seed, assumption sets)."""
        from sim import __version__
        from sim.outputs.charts.context import ChartContext

        return ChartContext(
            version=__version__,
            population=self.population_path.name if self.population_path else "",
            seed=self.result.seed,
            year=self.result.year,
            assumption_sets={s.name: s.assumption_set for s in self.result.scenarios},
        )

    def report(self, path: str | Path, *, lang: str = "sv", force: bool = False) -> Path:
        """Write the output folder of ``sim run`` (tables, charts, report) to ``path``."""
        from sim.calculator.typfall import typfall_comparison
        from sim.outputs.run_folder import write_results

        command = [
            "sim.run(" + ", ".join(repr(s.name) for s in self.result.scenarios) + ")",
            f"year={self.result.year}",
            f"seed={self.result.seed}",
        ]
        from sim.common.errors import SimInputError

        try:
            return write_results(
                self.result,
                path,
                typfall=typfall_comparison(self.result.year),
                force=force,
                population_path=self.population_path,
                command=command,
                lang=lang,
            )
        except SimInputError as error:  # the library's words, not the command line's
            raise SimInputError(str(error).replace("use --force", "pass force=True")) from None

    def __repr__(self) -> str:
        labels = ", ".join(run.label for run in self.runs)
        return f"<sim Results {self.year}: {labels}>"


class Plots:
    """One method per chart of :data:`sim.outputs.charts.run.CHARTS`; each returns a Figure."""

    def __init__(self, results: Results) -> None:
        self._results = results

    def _draw(self, name: str, lang: str, context: ChartContext | None = None) -> Figure:
        from sim.outputs.charts.rendering import all_charts

        return all_charts()[name](
            self._results.file_table(), lang=lang, context=context or self._results.context()
        )

    def child_poverty(self, lang: str = "sv") -> Figure:
        """Child poverty by scenario (:func:`sim.outputs.charts.run.child_poverty`)."""
        return self._draw("child_poverty", lang)

    def fs_cost(self, lang: str = "sv") -> Figure:
        """Public cost by scenario, municipalities and state (:func:`sim.outputs.charts.run.fs_cost`)."""
        return self._draw("fs_cost", lang)

    def change_by_household(self, lang: str = "sv") -> Figure:
        """Mean change by household type and children (:func:`sim.outputs.charts.run.change_by_household`)."""
        return self._draw("change_by_household", lang)

    def change_bands(self, lang: str = "sv") -> Figure:
        """Winners and losers in five bands (:func:`sim.outputs.charts.run.change_bands`)."""
        return self._draw("change_bands", lang)

    def change_by_decile(self, lang: str = "sv") -> Figure:
        """Mean change by income decile (:func:`sim.outputs.charts.run.change_by_decile`)."""
        return self._draw("change_by_decile", lang)

    def monthly_caseload(self, lang: str = "sv") -> Figure:
        """Households with FS month by month (:func:`sim.outputs.charts.run.monthly_caseload`)."""
        return self._draw("monthly_caseload", lang)

    def typfall_waterfall(self, lang: str = "sv", scenario: str = "kombinerad") -> Figure:
        """The typfall household, part by part (:func:`sim.outputs.charts.typfall.typfall_waterfall`),
        computed for the run's year (:func:`sim.calculator.typfall.typfall_comparison`)."""
        from sim.calculator.typfall import typfall_comparison

        typfall = typfall_comparison(self._results.year, scenario)
        context = dataclasses.replace(self._results.context(), typfall=typfall)
        return self._draw("typfall_waterfall", lang, context)

    def loss_per_child(self, lang: str = "sv") -> Figure:
        """Distribution of the loss per child (:func:`sim.outputs.charts.run.loss_per_child`)."""
        return self._draw("loss_per_child", lang)

    def delivery_cost_vs_funding(self, lang: str = "sv") -> Figure:
        """Cost of delivering the aktivitetskrav against the state funding
        (:func:`sim.outputs.charts.municipal.delivery_cost_vs_funding`)."""
        return self._draw("delivery_cost_vs_funding", lang)

    def delivery_gap_by_lan(self, lang: str = "sv") -> Figure:
        """Funding gap per inhabitant by län (:func:`sim.outputs.charts.municipal.delivery_gap_by_lan`)."""
        return self._draw("delivery_gap_by_lan", lang)

    def activity_places_by_month(self, lang: str = "sv") -> Figure:
        """Activity places needed by month (:func:`sim.outputs.charts.municipal.activity_places_by_month`)."""
        return self._draw("activity_places_by_month", lang)


def run(
    scenarios: Sequence[str | Path] = MAIN_SCENARIOS,
    *,
    year: int = 2027,
    population: str | Path | Population | None = None,
    seed: int | None = None,
    kommun_profile: str | Path | None = None,
    reform: Reform | Mapping[str, Any] | None = None,
) -> Results:
    """Run the baseline and ``scenarios`` for ``year`` and return the :class:`Results`.

    ``reform``: a reform as data, run beside the scenarios under its name (default
    ``reform``): a :class:`sim.scenarios.reform.Reform` or its spec, ``{law path: {date: value},
    assumption path: number}``, validated like a scenario file, e.g.
    ``sim.run(["bidragstak"], reform={"bidragstak.fourth_child_reduction_couple":
    {"2027-01-01": 0.5}})`` (a plain spec changes the baseline; ``sim.Reform(spec,
    base="bidragstak")`` changes another scenario).

    ``population`` is a population folder (default: the committed
    data/synthetic/population-2024) or a :class:`sim.population.tables.Population`
    (then ``seed`` is required). ``seed`` defaults to the population's own.
    ``kommun_profile``: a municipality's profile file (docs/municipal.md); the population
    is re-weighted to it before the scenarios run.
    """
    from sim.common.errors import SimInputError
    from sim.population.tables import Population
    from sim.runs import DEFAULT_POPULATION, read_population, run_scenarios

    if isinstance(scenarios, str | Path):
        scenarios = [scenarios]
    if not isinstance(population, str | Path | Population | None):
        raise SimInputError(
            f"sim.run: population must be a folder or a Population, not {population!r}"
        )
    population_path = None
    if isinstance(population, Population):
        if seed is None:
            raise SimInputError("sim.run: give a seed with a Population object")
        pop, population_seed = population, seed
    else:
        population_path = Path(population) if population is not None else DEFAULT_POPULATION
        pop, population_seed = read_population(population_path)
    profile = None
    if kommun_profile is not None:
        from sim.municipal.profile import load_profile, sweden_totals

        profile = load_profile(kommun_profile, sweden=sweden_totals(pop))
    names = list(scenarios)
    if reform is not None:
        from sim.scenarios.reform import as_scenario

        names.append(as_scenario(reform))
    result = run_scenarios(
        names,
        year=year,
        population=pop,
        seed=population_seed if seed is None else seed,
        profile=profile,
    )
    return Results(result, population_path=population_path)


def household(
    *, date: str, scenario: str = "baseline", **spec: Any
) -> HouseholdCalculation | HouseholdComparison:
    """One household's calculation (baseline) or comparison (another scenario).

    The keyword arguments are the fields of :class:`sim.calculator.household.HouseholdSpec`
    (``adults``, ``adult_ages``, ``child_ages``, ``housing_cost``, ...); lists are accepted
    for the tuples. ``.to_text()`` prints the steps with their sources, ``.to_dict()`` gives
    the same as ``sim household --json``.
    """
    import dataclasses

    from sim.calculator.household import HouseholdSpec, calculate, compare
    from sim.common.errors import SimInputError
    from sim.common.validate import parse_month
    from sim.law.parameters import closest_hint
    from sim.scenarios.scenario import load_scenario

    fields = {f.name for f in dataclasses.fields(HouseholdSpec)}
    for name in spec:
        if name not in fields:
            raise SimInputError(
                f"sim.household: unknown field {name!r}{closest_hint(name, sorted(fields))}"
            )
    for name in ("adult_ages", "child_ages", "earnings", "child_earnings"):
        if isinstance(spec.get(name), list):  # lists are accepted for the tuples
            spec[name] = tuple(spec[name])
    if not isinstance(scenario, str):
        raise SimInputError(f"sim.household: scenario must be a name or a file, not {scenario!r}")
    parse_month(date)  # a bad date fails before the scenario is loaded
    chosen = load_scenario(scenario)
    household_spec = HouseholdSpec(**spec)
    if chosen.name == "baseline":
        return calculate(household_spec, date=date, scenario=chosen)
    return compare(household_spec, date=date, scenario=chosen)


def household_axis(
    *,
    date: str,
    axis: str,
    scenario: str = "baseline",
    wage: float | None = None,
    emtr_step: float = 100.0,
    **spec: Any,
) -> pl.DataFrame:
    """The household at every point of ``axis`` (``"earnings=0:50000:500"``, ``earnings2``,
    ``hours`` with ``wage`` SEK/hour, ``housing_cost``) under the baseline and ``scenario``:
    a polars frame with PTR and EMTR per point (:func:`sim.calculator.axes.household_axis`). The other
    keyword arguments are those of :func:`household`. Chart it with
    :func:`sim.outputs.charts.work.work_pays`.

    >>> import sim
    >>> sim.household_axis(date="2027-09", axis="earnings=0:50000:500",
    ...                    scenario="kombinerad", child_ages=(4, 8))  # doctest: +SKIP
    """
    from sim.calculator.axes import household_axis as compute_axis

    return compute_axis(
        _household_spec(spec, "sim.household_axis"),
        axis,
        date=date,
        scenario=scenario,
        wage=wage,
        emtr_step=emtr_step,
    )


def work_incentives(
    *,
    date: str,
    gross: float,
    scenario: str = "baseline",
    adult: int = 1,
    emtr_step: float = 100.0,
    **spec: Any,
) -> pl.DataFrame:
    """PTR and EMTR of ``adult`` taking a job at ``gross`` SEK/month, baseline and
    ``scenario`` (:func:`sim.calculator.axes.work_incentives`); keyword arguments as :func:`household`."""
    from sim.calculator.axes import work_incentives as compute_incentives

    return compute_incentives(
        _household_spec(spec, "sim.work_incentives"),
        gross=gross,
        date=date,
        scenario=scenario,
        adult=adult,
        emtr_step=emtr_step,
    )


def _household_spec(spec: dict[str, Any], caller: str):
    """A :class:`sim.calculator.household.HouseholdSpec` from keyword arguments (unknown names: an error
    with the closest field)."""
    import dataclasses

    from sim.calculator.household import HouseholdSpec
    from sim.common.errors import SimInputError
    from sim.law.parameters import closest_hint

    fields = {f.name for f in dataclasses.fields(HouseholdSpec)}
    for name in spec:
        if name not in fields:
            raise SimInputError(
                f"{caller}: unknown field {name!r}{closest_hint(name, sorted(fields))}"
            )
    tuples = (
        "adult_ages",
        "child_ages",
        "earnings",
        "child_earnings",
        "child_earnings_year_to_date",
    )
    return HouseholdSpec(**{k: tuple(v) if k in tuples else v for k, v in spec.items()})


__all__ = [
    "MAIN_SCENARIOS",
    "Plots",
    "Results",
    "household",
    "household_axis",
    "run",
    "work_incentives",
]
