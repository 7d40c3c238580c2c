"""What ``sim household --axis ...`` and ``--ptr-at ...`` print and write.

:func:`check_axis_request` refuses a bad combination of options and a target file it may not
write before any work; the command line then computes the axis
(:func:`sim.calculator.axes.household_axis`) or the participation and marginal effective tax
rates at one wage (:func:`sim.calculator.axes.work_incentives`), and :func:`axis_text` returns
the text to print: the table goes to a CSV or JSON file (``--axis-out``), the chart to a PNG or
SVG file (``--axis-chart``). An existing file is not replaced without ``force``; a file is
written under a temporary name and renamed, so nothing half-written is left behind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from sim.common.errors import SimInputError
from sim.common.safe_write import write_file
from sim.outputs.charts.work import work_pays
from sim.outputs.formatting import format_number

if TYPE_CHECKING:
    from sim.calculator.household import HouseholdSpec

TABLE_SUFFIXES = (".csv", ".json")
CHART_SUFFIXES = (".png", ".svg")


def check_axis_request(
    *,
    axis: str | None,
    wage: float | None,
    ptr_at: float | None,
    out: str | None,
    chart: str | None,
    force: bool,
) -> None:
    """Refuse, before any work, what ``sim household`` cannot do with these options: files or
    a wage without ``--axis``, both or neither of ``--axis`` and ``--ptr-at``, a target file
    of the wrong kind or one that exists (without ``force``)."""
    if axis is None and (out or chart or wage is not None):
        raise SimInputError("--axis-out, --axis-chart and --wage need --axis")
    if (axis is None) == (ptr_at is None):
        raise SimInputError("give either --axis or --ptr-at, not both")
    for path, suffixes in ((out, TABLE_SUFFIXES), (chart, CHART_SUFFIXES)):
        if path is not None:
            check_target(Path(path), suffixes, force=force)


def axis_text(
    frame: pl.DataFrame,
    spec: HouseholdSpec,
    *,
    incentives: bool,
    out: str | None = None,
    chart: str | None = None,
    lang: str = "sv",
    as_json: bool = False,
) -> str:
    """The text ``sim household`` prints for ``--ptr-at`` (``incentives``: ``frame`` is
    :func:`sim.calculator.axes.work_incentives`'s) or ``--axis`` (``frame`` is
    :func:`sim.calculator.axes.household_axis`'s), after writing the files asked for."""
    if incentives:
        return _records_json(frame) if as_json else incentives_text(frame)
    lines = []
    if chart is not None:
        figure = work_pays(frame, lang=lang, household=describe(spec, lang))
        write_file(
            Path(chart),
            lambda tmp: figure.savefig(
                tmp, format=Path(chart).suffix[1:], dpi=200, metadata=_metadata(chart)
            ),
        )
        lines.append(f"wrote {chart}")
    if out is not None:
        if Path(out).suffix == ".csv":
            write_file(Path(out), lambda tmp: frame.write_csv(tmp))
        else:
            write_file(Path(out), lambda tmp: tmp.write_text(_records_json(frame) + "\n"))
        lines.append(f"wrote {out} ({frame.height} rows)")
    if not lines:
        return _records_json(frame) if as_json else frame.write_csv().rstrip("\n")
    return "\n".join(lines)


def describe(spec: HouseholdSpec, lang: str = "sv") -> str:
    """A short description of the household for a chart's subtitle.

    >>> from sim.calculator.household import HouseholdSpec
    >>> describe(HouseholdSpec(adults=2, adult_ages=(38, 40), child_ages=(3, 6),
    ...     housing_cost=9000))
    'sammanboende 38 och 40 år, barn 3, 6 år, boendekostnad 9 000 kr'
    """
    spec = spec.checked()
    ages = " och " if lang == "sv" else " and "
    adults = ages.join(str(a) for a in spec.adult_ages)
    if lang == "sv":
        who = f"sammanboende {adults} år" if spec.adults == 2 else f"ensamstående {adults} år"
        kids = f", barn {', '.join(map(str, spec.child_ages))} år" if spec.child_ages else ""
        rent = f", boendekostnad {format_number(spec.housing_cost)} kr"
    else:
        who = f"couple aged {adults}" if spec.adults == 2 else f"single adult aged {adults}"
        kids = f", children aged {', '.join(map(str, spec.child_ages))}" if spec.child_ages else ""
        rent = f", housing cost SEK {format_number(spec.housing_cost, lang='en')}"
    return who + kids + rent


def incentives_text(frame: pl.DataFrame) -> str:
    """PTR and EMTR per scenario as a few lines of text."""
    row0 = frame.row(0, named=True)
    lines = [
        f"Lönar det sig att arbeta? {row0['month']}, bruttolön "
        f"{_kr(row0['worker_gross_earnings'])} kr/mån, {row0['months_on_fs']} månader med FS "
        "före månaden (jobbstimulans efter sex)",
        "",
        f"  {'':<18}{'disp. i arbete':>15}{'utan arbete':>13}{'PTR':>8}"
        f"{'EMTR (+' + format(row0['emtr_step'], '.0f') + ' kr)':>17}",
    ]
    for row in frame.iter_rows(named=True):
        lines.append(
            f"  {row['scenario']:<18}{_kr(row['disposable_income']):>15}"
            f"{_kr(row['disposable_income_out_of_work']):>13}"
            f"{100 * row['ptr']:>7.1f}%{100 * row['emtr']:>16.1f}%"
        )
    lines += [
        "",
        "PTR = 1 − (disponibel inkomst i arbete − utan arbete) / bruttolön;",
        "EMTR = 1 − Δ disponibel inkomst / Δ bruttolön (sim/incentives/tax_rates.py).",
    ]
    return "\n".join(lines)


def _kr(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _records_json(frame: pl.DataFrame) -> str:
    records: list[dict[str, Any]] = frame.to_dicts()
    for record in records:
        for key, value in record.items():
            if isinstance(value, float) and value != value:  # NaN (PTR at zero earnings)
                record[key] = None
    return json.dumps(records, ensure_ascii=False, indent=2)


def _metadata(path: str) -> dict[str, Any]:
    return {"Software": None} if path.endswith(".png") else {"Date": None}


def check_target(path: Path, suffixes: tuple[str, ...], *, force: bool) -> None:
    if path.suffix not in suffixes:
        raise SimInputError(f"{path} must end in {' or '.join(suffixes)}")
    if path.exists() and not force:
        raise SimInputError(f"{path} exists; use --force to overwrite it")
    if not path.parent.exists():
        raise SimInputError(f"folder {path.parent} does not exist")
