"""Build a calibrated population: generate, simulate receipt, calibrate, report, write.

:func:`calibrate_population` turns the aligned targets into margins on dwellings (the
sampling unit; each dwelling's value is the sum over its biståndshushåll or persons) and
calls :func:`sim.population.calibration.calibrate` (bounded logit calibration, weights within
:data:`WEIGHT_BOUNDS` times the design weight). The low-economic-standard margin depends on
the weighted median, which depends on the weights: the line is recomputed with the new
weights and the calibration repeated, warm-started from the last multipliers, until the
line moves by at most :data:`LINE_TOLERANCE` (relative; at most :data:`LINE_ITERATIONS`
rounds); the report gives the rate achieved with the final weights and line.

:func:`build_population` is the library function behind ``sim population``: it writes the
parquet tables, ``calibration_report.md``/``.json``, ``summary.json`` and ``manifest.json``
into a temporary folder beside ``out_dir`` and renames it into place.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sim.common.errors import SimInputError
from sim.common.safe_write import check_target, output_folder, pause_point
from sim.common.validate import check_households, check_seed
from sim.population.calibration import CalibrationResult, CategoricalMargin, Margin, calibrate
from sim.population.calibration_report import render_report, report_rows
from sim.population.generator import generate
from sim.population.geography import (
    group_aligned_targets,
    group_margins,
    group_of_dwellings,
    lan_aligned_targets,
    lan_margins,
    lan_of_dwellings,
    lan_table,
    with_thin_margins_as_checks,
)
from sim.population.kommuner import KOMMUNGRUPPER
from sim.population.monthly import (
    monthly_aligned_targets,
    monthly_margins,
    with_annual_counts_as_checks,
)
from sim.population.receipt import simulate_receipt
from sim.population.summary import (
    FS_HH_TYPES,
    economic_standard,
    household_type_codes,
    summarise,
    weighted_median,
)
from sim.population.tables import DWELLING_TARGET_IDS, SUPPORTED_YEARS, Population
from sim.population.targets import AlignedTarget, aligned_targets, load_targets

#: Final weights stay within these multiples of the design weight.
WEIGHT_BOUNDS = (0.2, 5.0)
#: Calibrate, recompute the poverty line with the new weights, calibrate again (warm
#: started from the last multipliers) until the line moves by at most LINE_TOLERANCE
#: (relative), and at most LINE_ITERATIONS times.
LINE_ITERATIONS = 8
LINE_TOLERANCE = 1e-3
#: Version of the generator written into manifests.
GENERATOR_VERSION = "4"


@dataclasses.dataclass(frozen=True)
class CalibratedPopulation:
    """A population with calibrated weights, its calibration result and the aligned targets."""

    population: Population
    result: CalibrationResult
    targets: list[AlignedTarget]
    poverty_line: float
    line_rounds: int = 1


@dataclasses.dataclass(frozen=True)
class BuildResult:
    """What :func:`build_population` wrote."""

    out_dir: Path
    files: list[Path]
    summary: dict[str, object]
    report: list[dict[str, object]]


def _dwelling_sum(population: Population, unit_values: np.ndarray) -> np.ndarray:
    dwelling = population.households["dwelling_idx"].to_numpy()
    return np.bincount(dwelling, weights=unit_values, minlength=population.dwellings.height)


def _margins(
    population: Population, targets: list[AlignedTarget]
) -> list[Margin | CategoricalMargin]:
    """Every margin except the low-economic-standard one (which depends on the line)."""
    by_key = {t.target.key: t for t in targets if t.use == "margin"}
    paid = population.household_months_array("forsorjningsstod")
    months = (paid > 0).sum(axis=1)
    recipient = (months > 0).astype(float)
    n_dw = population.dwellings.height
    dwelling_type = population.dwellings["dwelling_type"].to_numpy()
    year = population.year
    fs_households = by_key[f"fs_households@{year}"].value
    margins: list[Margin | CategoricalMargin] = []

    def add(key: str, values: np.ndarray, target: float) -> None:
        t = by_key[key]
        margins.append(Margin(key, values, target, t.target.source))

    margins.append(
        CategoricalMargin(
            "scb_hh",
            dwelling_type,
            [by_key[f"{id_}@2021"].value for id_ in DWELLING_TARGET_IDS],
            labels=[f"{id_}@2021" for id_ in DWELLING_TARGET_IDS],
            source=by_key[f"{DWELLING_TARGET_IDS[0]}@2021"].target.source,
        )
    )
    persons = np.bincount(population.persons["dwelling_idx"].to_numpy(), minlength=n_dw)
    add("scb_persons_total@2021", persons.astype(float), by_key["scb_persons_total@2021"].value)
    add(f"fs_households@{year}", _dwelling_sum(population, recipient), fs_households)
    add(
        f"fs_paid@{year}",
        _dwelling_sum(population, paid.sum(axis=1)),
        by_key[f"fs_paid@{year}"].value,
    )
    add(
        f"fs_households_full_year@{year}",
        _dwelling_sum(population, (months == 12) * 1.0),
        by_key[f"fs_households_full_year@{year}"].value,
    )
    add(
        "fs_longterm_share_recipients@2020",
        _dwelling_sum(population, (months >= 10) * 1.0),
        by_key["fs_longterm_share_recipients@2020"].value * fs_households,
    )
    types = household_type_codes(population)
    for code, name in enumerate(FS_HH_TYPES):
        key = f"fs_hh_type_{name}@2021"
        add(
            key,
            _dwelling_sum(population, recipient * (types == code)),
            by_key[key].value * fs_households,
        )
    margins += lan_margins(population, targets)
    margins += group_margins(population, targets)
    margins += monthly_margins(
        population,
        targets,
        lan_of_dwellings(population),
        [lan.code for lan in lan_table()],
        group_of_dwellings(population),
    )
    return margins


def _recipient_records(population: Population, area_of_dwelling: np.ndarray, n: int) -> np.ndarray:
    """Sampled biståndshushåll with FS in some month of the year, per area."""
    paid = population.household_months_array("forsorjningsstod")
    dwelling = population.households["dwelling_idx"].to_numpy()
    return np.bincount(area_of_dwelling[dwelling][(paid > 0).any(axis=1)], minlength=n)


def _low_standard_margins(
    targets: list[AlignedTarget],
    standard: np.ndarray,
    persons_dw: np.ndarray,
    children_dw: np.ndarray,
    line: float,
) -> list[Margin]:
    """Persons below the low-economic-standard line (rate × persons), and children 0-17
    below it as a share of all children (Σ w·(poor children − rate·children) = 0)."""
    by_key = {t.target.key: t for t in targets if t.use == "margin"}
    key = next(k for k in by_key if k.startswith("scb_low_economic_standard@"))
    poor = standard < line
    margins = [
        Margin(
            key,
            persons_dw * poor,
            by_key[key].value * by_key["scb_persons_total@2021"].value,
            by_key[key].target.source,
        )
    ]
    child_key = next((k for k in by_key if k.startswith("scb_child_low_economic_standard@")), None)
    if child_key is not None:
        rate = by_key[child_key].value
        margins.append(
            Margin(child_key, children_dw * (poor - rate), 0.0, by_key[child_key].target.source)
        )
    return margins


def _children_per_dwelling(population: Population) -> np.ndarray:
    """Children 0-17 per dwelling (the children of SCB's child poverty rate)."""
    p = population.persons
    child = p["is_child"].to_numpy() & (p["age"].to_numpy() <= 17)
    return np.bincount(
        p["dwelling_idx"].to_numpy(), weights=child, minlength=population.dwellings.height
    )


def calibrate_population(
    population: Population, *, targets_path: str | Path | None = None
) -> CalibratedPopulation:
    """Calibrate the dwelling weights of a simulated population to the aligned targets."""
    targets = aligned_targets(load_targets(targets_path), population.year)
    persons_total = next(t.value for t in targets if t.target.key == "scb_persons_total@2021")
    targets += lan_aligned_targets(population.year, persons_total)
    targets += group_aligned_targets(population.year, persons_total)
    lans = lan_table()
    targets += monthly_aligned_targets(
        population.year,
        [lan.code for lan in lans],
        [lan.name for lan in lans],
        _recipient_records(population, lan_of_dwellings(population), len(lans)),
        _recipient_records(population, group_of_dwellings(population), len(KOMMUNGRUPPER)),
        n_dwellings=population.dwellings.height,
    )
    targets = with_annual_counts_as_checks(targets)
    targets = with_thin_margins_as_checks(population, targets)
    base = population.dwellings["design_weight"].to_numpy()
    standard, persons_dw = economic_standard(population)
    fixed = _margins(population, targets)
    children_dw = _children_per_dwelling(population)
    line = 0.6 * weighted_median(standard, base * persons_dw)
    result, start, rounds = None, None, 0
    while rounds < LINE_ITERATIONS:
        rounds += 1
        margins = [
            *fixed,
            *_low_standard_margins(targets, standard, persons_dw, children_dw, line),
        ]
        result = calibrate(base, margins, bounds=WEIGHT_BOUNDS, start=start)
        start = result.multipliers
        new_line = 0.6 * weighted_median(standard, result.weights * persons_dw)
        settled = abs(new_line - line) <= LINE_TOLERANCE * line
        line = new_line
        if settled:
            break
    assert result is not None
    return CalibratedPopulation(
        population.with_weights(result.weights), result, targets, line, rounds
    )


def _progress(progress: Callable[[str], None] | None, text: str) -> None:
    if progress is not None:
        progress(text)


def validate_arguments(
    *, year: int, n_households: int, seed: int, targets_path: str | Path | None = None
) -> None:
    """Reject bad arguments before any work or progress output.

    Checks, in order: the size (a whole number, 1 to :data:`sim.common.validate.MAX_HOUSEHOLDS`),
    the year (supported by the generator), the seed (0 to 2^63 - 1) and the targets file (readable, well formed, with the
    rows the year needs). Raises :class:`~sim.common.errors.SimInputError` with one clear line.
    """
    check_households(n_households)
    if year not in SUPPORTED_YEARS:
        supported = ", ".join(str(y) for y in SUPPORTED_YEARS)
        raise SimInputError(f"year {year} is not supported (supported: {supported})")
    check_seed(seed)
    aligned_targets(load_targets(targets_path), year)


def make_population(
    *,
    year: int,
    n_households: int,
    seed: int,
    targets_path: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> CalibratedPopulation:
    """Generate, simulate the months of försörjningsstöd, and calibrate (nothing written)."""
    validate_arguments(year=year, n_households=n_households, seed=seed, targets_path=targets_path)
    root = np.random.SeedSequence(seed)
    gen_seq, receipt_seq = root.spawn(2)
    _progress(progress, "generating households")
    population = generate(n_households=n_households, year=year, rng=np.random.default_rng(gen_seq))
    _progress(progress, "simulating months of försörjningsstöd")
    population = simulate_receipt(
        population, rng=np.random.default_rng(receipt_seq), progress=progress
    )
    _progress(progress, "calibrating weights")
    return calibrate_population(population, targets_path=targets_path)


def build_population(
    *,
    year: int,
    n_households: int,
    seed: int,
    out_dir: str | Path,
    force: bool = False,
    targets_path: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Generate, calibrate and write a population with its report, summary and manifest.

    Writes under the output contract of :mod:`sim.common.safe_write` (the target checked before
    any work, one writer, written beside and swapped in whole), so a failure leaves nothing
    half-written; an existing ``out_dir`` is replaced only with ``force``.
    """
    out_dir = Path(out_dir)
    validate_arguments(year=year, n_households=n_households, seed=seed, targets_path=targets_path)
    check_target(out_dir, force=force, inputs=[targets_path])
    calibrated = make_population(
        year=year,
        n_households=n_households,
        seed=seed,
        targets_path=targets_path,
        progress=progress,
    )
    population = calibrated.population
    summary = summarise(population)
    design = population.with_weights(population.dwellings["design_weight"].to_numpy())
    rows = report_rows(
        calibrated,
        summary,
        before=(dataclasses.replace(calibrated, population=design), summarise(design)),
    )
    with output_folder(out_dir, force=force, inputs=[targets_path]) as writer:
        tmp = writer.tmp
        _progress(progress, "writing")
        files = population.write(tmp)
        pause_point("writing")
        diagnostics = _diagnostics(calibrated)
        (tmp / "calibration_report.json").write_text(
            json.dumps(
                {"year": year, "targets": rows, "weights": diagnostics},
                indent=2,
                ensure_ascii=False,
                allow_nan=False,
                default=_json_default,
            )
            + "\n"
        )
        (tmp / "calibration_report.md").write_text(render_report(rows, diagnostics, year))
        (tmp / "summary.json").write_text(
            json.dumps(_clean(summary), indent=2, ensure_ascii=False) + "\n"
        )
        files += [
            tmp / "calibration_report.json",
            tmp / "calibration_report.md",
            tmp / "summary.json",
        ]
        manifest = {
            "generator_version": GENERATOR_VERSION,
            "year": year,
            "n_households_sampled": n_households,
            "seed": seed,
            "files": {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(files)},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    final = [out_dir / f.name for f in files] + [out_dir / "manifest.json"]
    return BuildResult(out_dir=out_dir, files=final, summary=summary, report=rows)


def _diagnostics(calibrated: CalibratedPopulation) -> dict[str, object]:
    r = calibrated.result
    return {
        "converged": r.converged,
        "iterations": r.iterations,
        "max_relative_error": r.max_relative_error,
        "design_effect": r.design_effect,
        "weight_ratio_min": r.weight_ratio_min,
        "weight_ratio_max": r.weight_ratio_max,
        "top1_share": r.top1_share,
        "bounds": list(WEIGHT_BOUNDS),
        "poverty_line_sek_year": calibrated.poverty_line,
        "line_rounds": calibrated.line_rounds,
    }


def _clean(value: object) -> object:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _json_default(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value)}")
