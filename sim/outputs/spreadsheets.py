"""The spreadsheets of an output folder, for a municipal officer in Swedish Excel.

Two files beside the tidy tables (``results.parquet`` / ``results.csv``, which stay as
they are for programs):

* ``results.xlsx`` (:func:`write_workbook`), in the run's language:

  1. **Sammanfattning** (*Summary*): the headline metrics of the report
     (:data:`sim.outputs.report.headline.HEADLINE`), the change of public cost against the baseline and
     then every other metric of the whole population (group ``all``), one row each; one
     column per run (per grid value and run in a grid sweep) and, when the table has
     bands, two more per run (``lägre``/``övre``: the 10th and 90th percentile). Money a
     year is in million kronor (the cell holds the value ÷ 10⁶, shown ``# ##0``, unit
     ``mkr per år``), money a month in kronor (``# ##0``), shares in per cent
     (``0,0 %``), counts as whole numbers. A title row names the year, the population,
     the seed and the version; the header row and the first column are frozen.
  2. **Alla resultat** (*All results*): the whole long table, one row per scenario ×
     metric × group, with the labels in words beside the codes, the unit, and a number
     format per unit (the values as in ``results.parquet``, money in kronor); frozen
     header, autofilter.
  3. **Definitioner** (*Definitions*): every metric's code, unit and Swedish and English
     label (:mod:`sim.catalogue.labels`).
  4. A sweep's workbook has **Effekter** (*Effects*) as well: ``differences.parquet``
     (each reform minus the baseline within replications) as a long table.

  The bytes depend only on the inputs: the creation date is given (``created``,
  1 January of the simulated year), so two identical runs give identical files.

* ``results_excel.csv`` (:func:`write_excel_csv`): the long table for Excel with Swedish
  regional settings, which splits a CSV on ``;`` and reads ``,`` as the decimal mark:
  semicolon separated, UTF-8 with a byte order mark (so that å, ä, ö survive a double
  click), decimal comma, no thousands separator, headers and labels in the run's
  language, codes beside them, empty cells for missing values.

>>> number_format("share")
'0.0 %'
>>> number_format("SEK/year")
'#,##0'
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import polars as pl

from sim.catalogue import labels
from sim.outputs.report.headline import HEADLINE, PUBLIC_COST_CHANGE

#: The Excel CSV beside ``results.csv`` (docs/outputs.md).
EXCEL_CSV = "results_excel.csv"
#: Money a year is shown in million kronor in the summary sheet.
MILLION = 1e6

#: Excel number formats by unit (the codes are Excel's, in its en-US notation: ``,`` groups
#: thousands and ``.`` marks decimals; Swedish Excel shows them as a space and a comma).
NUMBER_FORMATS = {
    "SEK/year": "#,##0",
    "SEK/month": "#,##0",
    "SEK": "#,##0",
    "share": "0.0 %",
    "households": "#,##0",
    "persons": "#,##0",
    "places": "#,##0",
    "count": "#,##0",
    "hours": "#,##0",
    "months": "0.0",
    "coefficient": "0.000",
}
#: Units not listed above.
OTHER_FORMAT = "#,##0.00"
#: A change against the baseline carries its sign.
SIGNED = {"#,##0": '+#,##0;"−"#,##0;0', "0.0 %": '+0.00 %;"−"0.00 %;0.00 %'}


def number_format(unit: str, *, signed: bool = False) -> str:
    """The Excel number format of a cell in ``unit`` (with ``+``/``−`` when ``signed``)."""
    code = NUMBER_FORMATS.get(unit, OTHER_FORMAT)
    return SIGNED.get(code, code) if signed else code


def sheet_names(lang: str, *, effects: bool = False) -> tuple[str, ...]:
    """The workbook's sheets in ``lang``, in order."""
    t = labels.text
    names = (
        t(lang, "Sammanfattning", "Summary"),
        t(lang, "Alla resultat", "All results"),
        t(lang, "Definitioner", "Definitions"),
    )
    return names + ((t(lang, "Effekter", "Effects"),) if effects else ())


def _unit_text(unit: str, lang: str, *, summary: bool) -> str:
    """The unit as the unit column says it (money a year in the summary: mkr)."""
    if summary and unit == "SEK/year":
        return labels.text(lang, "mkr per år", "SEK m a year")
    try:
        return labels.unit(unit, lang)
    except KeyError:
        return unit


def _unit_of(metric: str) -> str:
    try:
        return labels.metric_unit(metric)
    except KeyError:
        return ""


def _metric_text(metric: str, lang: str) -> str:
    try:
        return labels.metric(metric, lang)
    except KeyError:
        return metric


def group_text(group: str, lang: str) -> str:
    """A group of the table in words: ``Hushållstyp: sammanboende med barn``, ``alla``."""
    kind, _, value = group.partition(":")
    try:
        if not value:
            return labels.group(group, lang)
        return f"{labels.group_kind(kind, lang)}: {labels.group(group, lang)}"
    except KeyError:
        return group


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _has_bands(table: pl.DataFrame) -> bool:
    return "low" in table.columns and bool(table["low"].drop_nulls().drop_nans().len())


# ------------------------------------------------------------------------------ the summary


def summary_rows(
    table: pl.DataFrame, differences: pl.DataFrame | None = None
) -> tuple[list[tuple[Any, str]], list[tuple[str, dict[tuple[Any, str], tuple[Any, Any, Any]]]]]:
    """The summary sheet as data: its columns ``(grid value or None, run label)`` and its
    rows ``(metric, {column: (value, low, high)})`` in kronor (not yet in mkr).

    The headline metrics first, then the change of public cost (from ``differences``
    where a sweep gave it, else the run's public cost minus the baseline's), then every
    other metric of group ``all`` in the catalogue's order."""
    rows = table.filter(pl.col("group") == labels.ALL)
    grid = "grid_value" in table.columns
    bands = "low" in table.columns
    values: dict[str, dict[tuple[Any, str], tuple[Any, Any, Any]]] = {}
    columns: list[tuple[Any, str]] = []
    for row in rows.iter_rows(named=True):
        column = (row["grid_value"] if grid else None, row["scenario"])
        if column not in columns:
            columns.append(column)
        band = (row["low"], row["high"]) if bands else (None, None)
        values.setdefault(row["metric"], {})[column] = (row["value"], *band)
    if not columns:  # no group `all`: the columns of the table
        columns = list(dict.fromkeys(zip([None] * table.height, table["scenario"], strict=True)))
    order = {key: i for i, key in enumerate(labels.metric_keys())}
    others = sorted(
        (m for m in values if m not in HEADLINE),
        key=lambda m: (order.get(m, len(order)), m),
    )
    out = [(metric, values.get(metric, {})) for metric in HEADLINE]
    effects: dict[tuple[Any, str], tuple[Any, Any, Any]] = {}
    if differences is not None and differences.height:
        for row in differences.filter(
            (pl.col("group") == labels.ALL) & (pl.col("metric") == "public_cost_sek_year")
        ).iter_rows(named=True):
            column = (row["grid_value"] if grid else None, row["scenario"])
            effects[column] = (row["value"], row["low"], row["high"])
    public = values.get("public_cost_sek_year", {})
    change = {}
    for column in columns:
        if column in effects:
            change[column] = effects[column]
            continue
        base = public.get((column[0], "baseline"), (None,))[0]
        own = public.get(column, (None,))[0]
        change[column] = (own - base if _finite(own) and _finite(base) else None, None, None)
    out.append((PUBLIC_COST_CHANGE, change))
    out += [(metric, values[metric]) for metric in others]
    return columns, out


def _column_title(column: tuple[Any, str], lang: str, grid_path: str | None) -> str:
    grid_value, run = column
    name = labels.scenario(run, lang)
    if grid_value is None:
        return name
    what = labels.text(lang, "gridvärde", "grid value")
    if grid_path:
        try:  # the assumption's title (a user's own path without one: the path)
            what = labels.law_title(grid_path, lang)
        except KeyError:
            what = grid_path
    value = f"{grid_value:g}"
    return f"{name} ({what} = {value.replace('.', ',') if lang == 'sv' else value})"


# ------------------------------------------------------------------------------ the workbook


def write_workbook(
    path: Path,
    table: pl.DataFrame,
    *,
    created: dt.datetime,
    lang: str = "sv",
    context: Mapping[str, Any] | None = None,
    differences: pl.DataFrame | None = None,
) -> None:
    """``results.xlsx``: the summary, the long table, the definitions (and a sweep's
    effects) in ``lang`` (module doc). ``context``: ``year``, ``population``, ``seed``,
    ``version`` and for a sweep ``n_replications`` and ``grid_path``, for the title rows."""
    import xlsxwriter

    labels.check_language(lang)
    context = dict(context or {})
    effects = differences is not None and bool(differences.height)
    names = sheet_names(lang, effects=effects)
    with xlsxwriter.Workbook(path) as workbook:
        workbook.set_properties(
            {
                "created": created,
                "title": _title(context, lang),
                "author": "sim",
                "comments": labels.text(lang, "Skapad av sim", "Made by sim"),
            }
        )
        styles = _Styles(workbook)
        _write_summary(workbook.add_worksheet(names[0]), table, styles, lang, context, differences)
        _write_long(workbook.add_worksheet(names[1]), table, styles, lang)
        _write_definitions(workbook.add_worksheet(names[2]), styles, lang)
        if effects:
            _write_long(workbook.add_worksheet(names[3]), differences, styles, lang, signed=True)


class _Styles:
    """The workbook's cell formats, made once (xlsxwriter wants one object per format)."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._numbers: dict[str, Any] = {}
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.note = workbook.add_format({"italic": True, "font_color": "#555555"})
        self.header = workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "bg_color": "#EEEEEE"}
        )
        self.section = workbook.add_format({"bold": True, "top": 1})
        self.text = workbook.add_format({"valign": "top"})

    def number(self, code: str, *, band: bool = False) -> Any:
        key = f"{code}|{band}"
        if key not in self._numbers:
            spec: dict[str, Any] = {"num_format": code}
            if band:
                spec["font_color"] = "#555555"
            self._numbers[key] = self._workbook.add_format(spec)
        return self._numbers[key]


def _title(context: Mapping[str, Any], lang: str) -> str:
    year = context.get("year", "")
    return labels.text(
        lang,
        f"Försörjningsstöd och reformer: resultat för {year}",
        f"Försörjningsstöd and its reforms: results for {year}",
    )


def _subtitle(context: Mapping[str, Any], lang: str) -> str:
    parts = []
    if context.get("population"):
        parts.append(labels.text(lang, "Befolkning: ", "Population: ") + str(context["population"]))
    if context.get("seed") is not None:
        parts.append(labels.text(lang, "frö ", "seed ") + str(context["seed"]))
    if context.get("n_replications"):
        parts.append(
            labels.text(lang, "{n} replikeringar", "{n} replications").format(
                n=context["n_replications"]
            )
        )
    parts.append(f"sim {context.get('version', '')}".strip())
    return " · ".join(parts)


def _write_summary(
    sheet: Any,
    table: pl.DataFrame,
    styles: _Styles,
    lang: str,
    context: Mapping[str, Any],
    differences: pl.DataFrame | None,
) -> None:
    t = labels.text
    columns, rows = summary_rows(table, differences)
    bands = _has_bands(table)
    grid_path = context.get("grid_path")
    sheet.write(0, 0, _title(context, lang), styles.title)
    sheet.write(1, 0, _subtitle(context, lang), styles.note)
    note = t(
        lang,
        "Hela befolkningen (gruppen alla). Belopp per år i miljoner kronor (mkr), per månad i "
        "kronor, andelar i procent. Alla grupper och exakta värden: bladet Alla resultat.",
        "The whole population (group all). Money a year in million kronor (SEK m), a month in "
        "kronor, shares in per cent. Every group and the exact values: sheet All results.",
    )
    if bands:
        note += t(
            lang,
            " Värdet är medianen över replikeringarna; lägre och övre är 10:e och 90:e percentilen.",
            " The value is the median over the replications; low and high are the 10th and "
            "90th percentile.",
        )
    sheet.write(2, 0, note, styles.note)
    header_row = 4
    header = [t(lang, "Mått", "Measure"), t(lang, "Enhet", "Unit")]
    for column in columns:
        title = _column_title(column, lang, grid_path)
        header.append(title)
        if bands:
            header += [f"{title}: {t(lang, 'lägre', 'low')}", f"{title}: {t(lang, 'övre', 'high')}"]
    for j, text in enumerate(header):
        sheet.write(header_row, j, text, styles.header)
    n_headline = len(HEADLINE) + 1
    row_index = header_row + 1
    widths = [len(header[0]), len(header[1])]
    for i, (metric, cells) in enumerate(rows):
        if i == n_headline:  # the other metrics of the whole population under a section row
            sheet.write(
                row_index,
                0,
                t(lang, "Övriga mått, hela befolkningen", "Other measures, whole population"),
                styles.section,
            )
            row_index += 1
        unit = _unit_of(metric)
        label = _metric_text(metric, lang)
        unit_text = _unit_text(unit, lang, summary=True)
        widths[0] = max(widths[0], len(label))
        widths[1] = max(widths[1], len(unit_text))
        sheet.write(row_index, 0, label, styles.text)
        sheet.write(row_index, 1, unit_text, styles.text)
        signed = metric == PUBLIC_COST_CHANGE
        code = number_format(unit, signed=signed)
        scale = 1 / MILLION if unit == "SEK/year" else 1.0
        j = 2
        for column in columns:
            value, low, high = cells.get(column, (None, None, None))
            trio = [(value, False)] + ([(low, True), (high, True)] if bands else [])
            for number, is_band in trio:
                cell_format = styles.number(code, band=is_band)
                if _finite(number):
                    sheet.write_number(row_index, j, number * scale, cell_format)
                else:
                    sheet.write_blank(row_index, j, None, cell_format)
                j += 1
        row_index += 1
    sheet.set_column(0, 0, min(max(widths[0], 20), 60))
    sheet.set_column(1, 1, min(max(widths[1], 8), 24))
    for j, text in enumerate(header[2:], start=2):
        sheet.set_column(j, j, min(max(len(text) * 0.6, 12), 28))
    sheet.set_row(header_row, 45)
    sheet.freeze_panes(header_row + 1, 1)


# ----------------------------------------------------------------------------- long tables


def long_columns(table: pl.DataFrame, lang: str) -> list[tuple[str, str]]:
    """``(source, header)`` of the long table's columns: the labels in words, the unit, the
    numbers, then the codes. ``source`` is a column of ``table`` or ``*_text``/``unit``."""
    t = labels.text
    grid = (
        [("grid_value", t(lang, "Gridvärde", "Grid value"))]
        if "grid_value" in table.columns
        else []
    )
    return [
        *grid,
        ("scenario_text", "Scenario"),
        ("metric_text", t(lang, "Mått", "Measure")),
        ("group_text", t(lang, "Grupp", "Group")),
        ("unit", t(lang, "Enhet", "Unit")),
        ("value", t(lang, "Värde", "Value")),
        ("low", t(lang, "Lägre", "Low")),
        ("high", t(lang, "Övre", "High")),
        ("scenario", t(lang, "scenario (kod)", "scenario (code)")),
        ("metric", t(lang, "mått (kod)", "metric (code)")),
        ("group", t(lang, "grupp (kod)", "group (code)")),
    ]


def labelled(table: pl.DataFrame, lang: str) -> pl.DataFrame:
    """``table`` with its labels in words (``scenario_text``, ``metric_text``,
    ``group_text``), the unit in words (``unit``) and the unit's code (``unit_code``)."""

    def mapped(column: str, to_text: Any) -> pl.Expr:
        keys = table[column].unique(maintain_order=True).to_list()
        return pl.col(column).replace_strict(
            {k: to_text(k) for k in keys}, default=None, return_dtype=pl.String
        )

    units = {m: _unit_of(m) for m in table["metric"].unique(maintain_order=True).to_list()}
    out = table.with_columns(
        mapped("scenario", lambda k: labels.scenario(k, lang)).alias("scenario_text"),
        mapped("metric", lambda k: _metric_text(k, lang)).alias("metric_text"),
        mapped("group", lambda k: group_text(k, lang)).alias("group_text"),
        pl.col("metric")
        .replace_strict(units, default="", return_dtype=pl.String)
        .alias("unit_code"),
    )
    unit_texts = {u: _unit_text(u, lang, summary=False) for u in set(units.values())}
    for name in ("low", "high"):
        if name not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    return out.with_columns(
        pl.col("unit_code")
        .replace_strict(unit_texts, default="", return_dtype=pl.String)
        .alias("unit")
    )


def _write_long(
    sheet: Any, table: pl.DataFrame, styles: _Styles, lang: str, *, signed: bool = False
) -> None:
    data = labelled(table, lang)
    columns = long_columns(table, lang)
    numeric = {"value", "low", "high", "grid_value"}
    for j, (_, header) in enumerate(columns):
        sheet.write(0, j, header, styles.header)
    widths = [len(header) for _, header in columns]
    series = [data[source].to_list() for source, _ in columns]
    codes = data["unit_code"].to_list()
    for i in range(data.height):
        code = number_format(codes[i], signed=signed)
        for j, (source, _) in enumerate(columns):
            value = series[j][i]
            if source in numeric:
                cell_format = styles.number(
                    "General" if source == "grid_value" else code, band=source != "value"
                )
                if _finite(value):
                    sheet.write_number(i + 1, j, value, cell_format)
                else:
                    sheet.write_blank(i + 1, j, None, cell_format)
            else:
                text = "" if value is None else str(value)
                sheet.write_string(i + 1, j, text)
                widths[j] = max(widths[j], len(text))
    for j, (source, _) in enumerate(columns):
        width = 16 if source in numeric else min(max(widths[j] + 1, 8), 60)
        sheet.set_column(j, j, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, data.height, len(columns) - 1)


def _write_definitions(sheet: Any, styles: _Styles, lang: str) -> None:
    t = labels.text
    header = [
        t(lang, "mått (kod)", "metric (code)"),
        t(lang, "Enhet", "Unit"),
        t(lang, "Benämning på svenska", "Swedish label"),
        t(lang, "Benämning på engelska", "English label"),
    ]
    rows = [
        [
            metric,
            _unit_text(labels.metric_unit(metric), lang, summary=False),
            labels.metric(metric, "sv"),
            labels.metric(metric, "en"),
        ]
        for metric in labels.metric_keys()
    ]
    for j, text in enumerate(header):
        sheet.write(0, j, text, styles.header)
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            sheet.write_string(i, j, text)
    for j in range(len(header)):
        width = max(len(header[j]), *(len(row[j]) for row in rows))
        sheet.set_column(j, j, min(width + 1, 70))
    sheet.freeze_panes(1, 0)


# ------------------------------------------------------------------------------- Excel CSV


def write_excel_csv(path: Path, table: pl.DataFrame, *, lang: str = "sv") -> None:
    """``results_excel.csv``: the long table for Swedish Excel (module doc): ``;``, UTF-8
    with BOM, decimal comma, headers in ``lang``; values with up to six decimals, as in
    ``results.csv``; NaN and missing values as empty cells."""
    labels.check_language(lang)
    data = labelled(table, lang)
    columns = long_columns(table, lang)
    numeric = [c for c in ("grid_value", "value", "low", "high") if c in data.columns]
    data = data.with_columns(pl.col(c).cast(pl.Float64).fill_nan(None) for c in numeric)
    out = data.select(pl.col(source).alias(header) for source, header in columns)
    out.write_csv(
        path,
        separator=";",
        include_bom=True,
        decimal_comma=True,
        float_precision=6,
        null_value="",
        quote_style="necessary",
    )


def read_excel_csv(path: Path) -> pl.DataFrame:
    """A ``results_excel.csv`` read back (tests, and anyone who wants it in Python)."""
    return pl.read_csv(path, separator=";", decimal_comma=True, encoding="utf8-lossy")


def context_of(
    *,
    year: int | None,
    population: str | None,
    seed: int | None,
    version: str,
    n_replications: int | None = None,
    grid_path: str | None = None,
) -> dict[str, Any]:
    """The title rows' facts (:func:`write_workbook`)."""
    return {
        "year": year,
        "population": population,
        "seed": seed,
        "version": version,
        "n_replications": n_replications,
        "grid_path": grid_path,
    }
