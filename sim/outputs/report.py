"""The report of a run: headline table, ``summary.md``, a self-contained ``report.html``.

One formatting function, :func:`format_value`, turns a metric's value into the text every
output shows (summary, report, chart labels), so a number in ``results.csv`` can be found
in the report exactly as formatted here. Conventions (Swedish by default, ``lang="en"``):

- money a year in million kronor, whole: ``11 805 mkr`` (en ``SEK 11,805m``);
- money a month in whole kronor: ``1 235 kr`` (en ``SEK 1,235``);
- shares in per cent with one decimal: ``30,5 %`` (en ``30.5%``);
- counts of households, persons and places rounded to the nearest 100 from 1 000 up
  (the population is a weighted sample; more digits would be false precision), else whole;
- space as thousands separator and decimal comma in Swedish; the minus sign is U+2212 and
  changes carry an explicit ``+``.

:func:`write_report_files` writes ``summary.md``, ``report.html`` and ``charts/`` into a
folder; :func:`rebuild_report` does it again for an existing output folder (``sim report``)
from ``results.parquet`` and ``manifest.json`` alone, without recomputation.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import math
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import polars as pl
from markupsafe import Markup

from sim.catalogue import labels
from sim.common.errors import SimInputError
from sim.common.safe_write import output_folder
from sim.law.parameters import EVIDENCE

if TYPE_CHECKING:
    pass

MINUS = "\u2212"

#: The headline metrics (group ``all``), in the order of the summary table.
HEADLINE = (
    "fs_paid_sek_year",
    "fs_households_year",
    "fs_children_year",
    "poverty_rate",
    "child_poverty_rate",
    "households_with_lower_fs",
    "persons_covered_aktivitetskrav",
    "persons_sanctioned",
    "jobbpremie_paid_sek_year",
    "public_cost_sek_year",
)
#: The derived headline row: public cost minus the baseline's.
PUBLIC_COST_CHANGE = "public_cost_change_sek_year"
#: Files of the output folder written by the report (``sim report`` replaces these).
REPORT_FILES = ("summary.md", "report.html", "charts")
#: The report printed to PDF (``python -m sim.outputs.report_pdf``): made from ``report.html``, so
#: ``sim report`` removes a stale one.
PDF_FILE = "report.pdf"
#: The population's calibration, copied into the output folder at run time.
POPULATION_FILE = "population.json"
#: A sweep's effects against the baseline, taken within replications (sim/uncertainty/sweeps.py).
DIFFERENCES_FILE = "differences.parquet"


# --------------------------------------------------------------------------- formatting


def format_number(
    value: float, *, decimals: int = 0, lang: str = "sv", signed: bool = False
) -> str:
    """A number in the house format: ``1 234,5`` (sv) or ``1,234.5`` (en).

    >>> format_number(-1234.56, decimals=1)
    '−1 234,6'
    >>> format_number(1234.56, decimals=1, lang="en", signed=True)
    '+1,234.6'
    >>> format_number(-0.01)
    '0'
    """
    if value is None or not math.isfinite(value):
        return "–"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0
    text = f"{abs(rounded):,.{decimals}f}"
    if lang == "sv":
        text = text.replace(",", " ").replace(".", ",")
    sign = MINUS if rounded < 0 else ("+" if signed and rounded > 0 else "")
    return sign + text


def _unit(metric: str) -> str:
    return labels.metric_unit(metric) if metric in labels.metric_keys() else ""


def format_value(metric: str, value: float, *, lang: str = "sv", signed: bool = False) -> str:
    """The value of ``metric`` as every output of the report shows it (see the module doc).

    >>> format_value("fs_paid_sek_year", 11_804_665_636.0)
    '11 805 mkr'
    >>> format_value("child_poverty_rate", 0.30549)
    '30,5 %'
    >>> format_value("fs_households_year", 147_144.2, lang="en")
    '147,100'
    """
    unit = _unit(metric)
    if value is None or not math.isfinite(value):
        return "–"
    number = metric_number(metric, value, lang=lang, signed=signed)
    if unit == "SEK/year":
        return f"{number} mkr" if lang == "sv" else f"SEK {number}m"
    if unit == "SEK/month":
        return f"{number} kr" if lang == "sv" else f"SEK {number}"
    if unit == "share":
        return f"{number} %" if lang == "sv" else f"{number}%"
    return number


def metric_number(
    metric: str, value: float, *, lang: str, signed: bool = False, share_decimals: int = 1
) -> str:
    """The number of :func:`format_value` without its unit: money in mkr or kr, shares in
    per cent, counts rounded to hundreds from 1 000 (a sample cannot say more)."""
    unit = _unit(metric)
    if value is None or not math.isfinite(value):
        return "–"
    if unit == "SEK/year":
        return format_number(value / 1e6, lang=lang, signed=signed)
    if unit == "SEK/month":
        return format_number(value, lang=lang, signed=signed)
    if unit == "share":
        return format_number(100 * value, decimals=share_decimals, lang=lang, signed=signed)
    if unit in ("households", "persons", "places"):
        rounded = round(value, -2) if abs(value) >= 1000 else round(value)
        return format_number(rounded, lang=lang, signed=signed)
    if unit == "months":
        return format_number(value, decimals=1, lang=lang, signed=signed)
    if unit == "coefficient":
        return format_number(value, decimals=3, lang=lang, signed=signed)
    return format_number(value, decimals=2, lang=lang, signed=signed)


def _finite(value: Any) -> bool:
    return value is not None and math.isfinite(value)


def format_band(
    metric: str,
    low: float | None,
    high: float | None,
    *,
    lang: str = "sv",
    signed: bool = False,
    share_decimals: int = 1,
) -> str:
    """The uncertainty band ``low``–``high`` of ``metric`` in brackets, numbers formatted as
    :func:`format_value` formats the value (unit left out); empty without a band.

    >>> format_band("child_poverty_rate", 0.2168, 0.2312)
    '(21,7–23,1)'
    >>> format_band("fs_paid_sek_year", -2.71e9, -1.98e9, signed=True)
    '(−2 710 – −1 980)'
    """
    if not (_finite(low) and _finite(high)) or low == high:
        return ""
    kw = {"lang": lang, "signed": signed, "share_decimals": share_decimals}
    lo, hi = metric_number(metric, low, **kw), metric_number(metric, high, **kw)
    plain = not signed and not lo.startswith(MINUS) and not hi.startswith(MINUS)
    return f"({lo}{'–' if plain else ' – '}{hi})"


def format_with_band(
    metric: str,
    value: float,
    low: float | None,
    high: float | None,
    *,
    lang: str = "sv",
    signed: bool = False,
) -> str:
    """``format_value`` followed by the band, when there is one: ``22,3 % (21,7–23,1)``.

    >>> format_with_band("child_poverty_rate", 0.2234, 0.2168, 0.2312)
    '22,3 % (21,7–23,1)'
    >>> format_with_band("child_poverty_rate", 0.2234, None, None, lang="en")
    '22.3%'
    """
    text = format_value(metric, value, lang=lang, signed=signed)
    band = format_band(metric, low, high, lang=lang, signed=signed)
    return f"{text} {band}" if band and text != "–" else text


def format_effect(
    metric: str,
    value: float,
    low: float | None = None,
    high: float | None = None,
    *,
    lang: str = "sv",
) -> str:
    """An effect against the baseline with its band: money and counts as :func:`format_value`
    with a sign; a share in percentage points with two decimals (the effects on poverty are
    tenths of a point): ``+0,08 p.e. (+0,04 – +0,13)``.

    >>> format_effect("poverty_rate", 0.0008, 0.0004, 0.0013)
    '+0,08 p.e. (+0,04 – +0,13)'
    >>> format_effect("fs_paid_sek_year", -2.39e9, lang="en")
    'SEK −2,390m'
    """
    if _unit(metric) != "share":
        text = format_value(metric, value, lang=lang, signed=True)
        band = format_band(metric, low, high, lang=lang, signed=True)
        return f"{text} {band}" if band and text != "–" else text
    if not _finite(value):
        return "–"
    number = metric_number(metric, value, lang=lang, signed=True, share_decimals=2)
    text = f"{number} {_t(lang, 'p.e.', 'pp')}"
    band = format_band(metric, low, high, lang=lang, signed=True, share_decimals=2)
    return f"{text} {band}" if band else text


def metric_label(metric: str, lang: str = "sv") -> str:
    """The metric's label in ``lang`` (:func:`sim.catalogue.labels.metric`)."""
    return labels.metric(metric, lang)


# ------------------------------------------------------------------------- the tables


def headline(
    table: pl.DataFrame, lang: str = "sv", differences: pl.DataFrame | None = None
) -> tuple[list[str], list[list[str]]]:
    """The headline table: header (metric, then one column per run) and formatted rows.

    Where the table has a band (``low``/``high``, from ``sim sweep``) a cell reads
    ``22,3 % (21,7–23,1)`` (:func:`format_with_band`). The change of public cost against the
    baseline is taken from ``differences`` (a sweep's effects, median and band within
    replications) when given, else it is the difference of the two values."""
    from sim.outputs.charts import scenario_name

    runs = list(dict.fromkeys(table["scenario"].to_list()))
    rows = []
    values = _all_rows(table)
    nothing = (math.nan, None, None)
    for metric in HEADLINE:
        cells = [
            format_with_band(metric, *values.get((run, metric), nothing), lang=lang) for run in runs
        ]
        rows.append([metric_label(metric, lang), *cells])
    base = values.get(("baseline", "public_cost_sek_year"), nothing)[0]
    effects = _all_rows(differences) if differences is not None else {}
    change = []
    for run in runs:
        if (run, "public_cost_sek_year") in effects:
            value, low, high = effects[run, "public_cost_sek_year"]
        else:
            value, low, high = (
                values.get((run, "public_cost_sek_year"), nothing)[0] - base,
                None,
                None,
            )
        change.append(
            format_with_band(PUBLIC_COST_CHANGE, value, low, high, lang=lang, signed=True)
        )
    rows.append([metric_label(PUBLIC_COST_CHANGE, lang), *change])
    header = [_t(lang, "Mått", "Measure"), *(scenario_name(r, lang) for r in runs)]
    return header, rows


def _t(lang: str, sv: str, en: str) -> str:
    return labels.text(lang, sv, en)


def _all_rows(table: pl.DataFrame) -> dict[tuple[str, str], tuple[float, Any, Any]]:
    """``(scenario, metric) -> (value, low, high)`` of the rows of group ``all``."""
    return {
        (r["scenario"], r["metric"]): (r["value"], r["low"], r["high"])
        for r in table.filter(pl.col("group") == "all").iter_rows(named=True)
    }


def has_bands(table: pl.DataFrame | None) -> bool:
    """Whether ``table`` carries uncertainty bands (``low``/``high``, from ``sim sweep``)."""
    return table is not None and "low" in table.columns and bool(table["low"].drop_nulls().len())


#: The metrics of a sweep's effects table (summary.md, report.html), in order.
EFFECTS = ("poverty_rate", "child_poverty_rate", "fs_paid_sek_year", "public_cost_sek_year")


def effects_table(differences: pl.DataFrame, lang: str = "sv") -> tuple[list[str], list[list[str]]]:
    """The effects against the baseline of a sweep (``differences.parquet``: scenario −
    baseline within each replication), median and 10th–90th percentile, by :func:`format_effect`:
    header (metric, then one column per reform run) and formatted rows."""
    from sim.outputs.charts import scenario_name

    runs = [r for r in dict.fromkeys(differences["scenario"].to_list()) if r != "baseline"]
    values = _all_rows(differences)
    rows = [
        [
            metric_label(metric, lang),
            *(
                format_effect(metric, *values.get((run, metric), (math.nan, None, None)), lang=lang)
                for run in runs
            ),
        ]
        for metric in EFFECTS
    ]
    return [_t(lang, "Mått", "Measure"), *(scenario_name(r, lang) for r in runs)], rows


def band_note(manifest: Mapping[str, Any], lang: str = "sv") -> str:
    """What the brackets of a sweep's tables mean."""
    from sim.outputs.charts import varied_text

    n = manifest.get("n_replications", "")
    varied = varied_text(manifest.get("vary") or (), lang)
    return _t(
        lang,
        f"Värdet är medianen och inom parentes 10:e–90:e percentilen över {n} replikeringar "
        f"(sim sweep: {varied}; docs/uncertainty.md). Ett mått utan variation står utan "
        "parentes.",
        f"The value is the median and in brackets the 10th–90th percentile over {n} "
        f"replications (sim sweep: {varied}; docs/uncertainty.md). A measure without any "
        "variation has no brackets.",
    )


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * (len(header) - 1)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


# -------------------------------------------------------------------------- summary.md


def summary_markdown(
    table: pl.DataFrame,
    manifest: Mapping[str, Any],
    lang: str = "sv",
    differences: pl.DataFrame | None = None,
) -> str:
    """``summary.md``: the headline table, scenarios as columns, and where it comes from.

    With bands (a sweep) every value carries its 10th–90th percentile in brackets, and the
    effects against the baseline (``differences``) follow in a second table."""
    year = manifest.get("year", "")
    from sim.outputs.report_government import government_markdown
    from sim.outputs.report_municipal import municipal_markdown

    parts = [
        government_markdown(table, manifest, lang),
        municipal_markdown(table, manifest, lang).rstrip("\n"),
    ]
    effects = has_bands(differences)
    return render_template(
        "summary.md.j2",
        heading=_t(lang, f"Huvudresultat {year}", f"Headline results {year}"),
        meta=_t(
            lang,
            f"sim {manifest.get('version', '')}, population {_population_name(manifest)} "
            f"(seed {manifest.get('seed', '')}). (statisk) = utan beteendeeffekter. "
            "Belopp i miljoner kronor per år; antal avrundade till närmaste hundratal.",
            f"sim {manifest.get('version', '')}, population {_population_name(manifest)} "
            f"(seed {manifest.get('seed', '')}). (static) = no behavioural response. "
            "Money in SEK million a year; counts rounded to the nearest hundred.",
        ),
        headline=Table(*headline(table, lang, differences)),
        band_note=band_note(manifest, lang) if has_bands(table) else "",
        effects=Table(*effects_table(differences, lang)) if effects else None,
        effects_heading=_t(lang, "Effekt mot nuvarande regler", "Effect against current rules"),
        effects_note=_t(
            lang,
            "Skillnad reform − nuvarande regler inom varje replikering (differences.csv); "
            "fattigdom i procentenheter (p.e.).",
            "Difference reform − current rules within each replication (differences.csv); "
            "poverty in percentage points (pp).",
        ),
        parts=[p for p in parts if p],
        closing=_t(
            lang,
            "Alla mått, grupper och definitioner: results.csv / results.xlsx och report.html.",
            "Every metric, group and definition: results.csv / results.xlsx and report.html.",
        ),
    )


def _population_name(manifest: Mapping[str, Any]) -> str:
    return str(manifest.get("population_name") or Path(str(manifest.get("population") or "")).name)


# ------------------------------------------------------------------------- report.html
#
# Python builds plain data (a section: its anchor, title, template and blocks; a table: its
# header, rows and caption), the jinja2 templates of ``sim/outputs/templates/`` render it with
# autoescape on: a text is always escaped, only a ``Markup`` (a link built here) is not.


@functools.cache
def _environment() -> jinja2.Environment:
    """The templates of ``sim/outputs/templates/`` (read once), autoescaping every value."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sim.outputs", "templates"),
        # HTML is escaped; summary.md is Markdown (its texts are the same plain strings).
        autoescape=lambda name: name is None or not name.endswith(".md.j2"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(name: str, **context: Any) -> str:
    """Render the template ``sim/outputs/templates/<name>`` with ``context``."""
    return _environment().get_template(name).render(**context)


def render_section(section: Mapping[str, Any]) -> str:
    """One section of the report alone (its heading and ``sections/<template>``)."""
    return render_template("section.html.j2", s=section)


@dataclasses.dataclass(frozen=True)
class Table:
    """A table as the templates draw it: ``header`` (texts) and ``rows`` of cells (a text,
    escaped, or a :class:`markupsafe.Markup` link). ``numeric``: the columns after the first
    are numbers (right-aligned, never broken in print). ``css``: the table's classes
    (``wide-table``: many columns, a smaller font in print; ``banded``: numbers with bands,
    which may break between value and band in print)."""

    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    numeric: bool = True
    css: str = ""
    caption: str = ""
    #: Columns whose cells never break (dates, numbers in a text table).
    nowrap: tuple[int, ...] = ()


def _block(kind: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, **fields}


def _p(text: str, css: str = "") -> dict[str, Any]:
    return _block("p", text=text, css=css)


def _section(anchor: str, title: str, template: str = "blocks.html.j2", **data: Any) -> dict:
    return {"id": anchor, "title": title, "template": template, **data}


def report_html(
    table: pl.DataFrame,
    manifest: Mapping[str, Any],
    charts: Mapping[str, Path],
    *,
    lang: str = "sv",
    population: Mapping[str, Any] | None = None,
    differences: pl.DataFrame | None = None,
    files: Mapping[str, int] | None = None,
) -> str:
    """The self-contained report: every image is embedded (``charts`` maps a chart's name to
    its SVG or PNG file), no external file is loaded; the only links are to the legal and
    evidence sources. ``files`` (name -> bytes) are the output folder's files the manifest
    section lists.

    A sweep's report (``table`` with bands, ``differences`` its effects) shows every headline
    value with its band, a section on the uncertainty with the effects table, and the
    whisker charts of :data:`sim.outputs.charts.BAND_CHARTS` first among the charts."""
    from sim.outputs.charts import BAND_CHARTS, CHARTS
    from sim.outputs.report_government import government_section
    from sim.outputs.report_municipal import municipal_section

    year = manifest.get("year", "")
    sources = _Sources(lang)
    sections = [
        _section(
            "huvudresultat",
            _t(lang, "Huvudresultat", "Headline results"),
            "headline.html.j2",
            table=_headline_table(table, lang, differences),
            note=_t(
                lang,
                "(statisk) = samma reform utan beteendeeffekter. Belopp i miljoner kronor per "
                "år; antal avrundade till närmaste hundratal. Osäkerhetsintervall visas där "
                "replikeringar körts (kolumnerna low/high i results.csv).",
                "(static) = the same reform without behavioural response. Money in SEK "
                "million a year; counts rounded to the nearest hundred. Uncertainty bands are "
                "shown where replications were run (columns low/high of results.csv).",
            ),
        )
    ]
    if has_bands(table):
        sections.append(_uncertainty_section(manifest, lang, differences))
    government = government_section(table, manifest, lang)
    if government:
        sections.append(government)
        for text, url, secondary in government["sources"]:
            sources.add(text, url, secondary=secondary)
    figures = [
        _figure(name, charts[name], _CAPTIONS[name][0 if lang == "sv" else 1])
        for name in [*BAND_CHARTS, *CHARTS]
        if name in charts
    ]
    sections.append(
        _section("diagram", _t(lang, "Diagram", "Charts"), "charts.html.j2", figures=figures)
    )
    sections.append(municipal_section(table, manifest, charts, lang))
    sections.append(
        _section("metod", _t(lang, "Metod", "Method"), "method.html.j2", paragraphs=_METHOD[lang])
    )
    sections.append(_assumptions_section(manifest, lang, sources))
    sections.append(_law_section(manifest, lang, sources))
    sections.append(_calibration_section(population, lang, sources))
    sections.append(_sources_section(sources, lang))
    sections.append(_manifest_section(manifest, lang, files or {}))
    contents = [(s["id"], s.get("short", s["title"])) for s in sections]
    return render_template(
        "report.html.j2",
        lang=lang,
        title=_t(lang, "Försörjningsstöd och reformerna", "Försörjningsstöd and the reforms")
        + f" {year}",
        heading=_t(
            lang,
            f"Försörjningsstöd {year}: reformerna jämförda",
            f"Försörjningsstöd {year}: the reforms compared",
        ),
        # The run's date is in manifest.json and the manifest section only.
        meta=f"sim {manifest.get('version', '')} ({str(manifest.get('git_revision') or '')[:12]}), "
        + _t(lang, "befolkning", "population")
        + f" {_population_name(manifest)}, "
        + _t(lang, "frö", "seed")
        + f" {manifest.get('seed', '')}.",
        banner=_profile_banner(manifest, lang),
        contents=contents,
        sections=sections,
    )


def _profile_banner(manifest: Mapping[str, Any], lang: str) -> Markup | str:
    """For a municipality's profile: whose results these are (and that a made-up example
    is made up)."""
    profile = manifest.get("kommun_profile")
    if not profile:
        return ""
    name = Markup("<strong>{}</strong>").format(str(profile.get("namn", "")))
    text = Markup(
        _t(
            lang,
            "Resultaten gäller kommunprofilen {name}: befolkningen är omviktad till kommunens "
            "egna uppgifter (docs/municipal.md).",
            "The results are for the municipal profile {name}: the population is re-weighted "
            "to the municipality's own figures (docs/municipal.md).",
        )
    ).format(name=name)
    if profile.get("exempel"):
        text += Markup(
            _t(
                lang,
                " <strong>Påhittad exempelkommun</strong> — inte en verklig kommun.",
                " <strong>A made-up example municipality</strong> — not a real one.",
            )
        )
    return text


def _headline_table(
    table: pl.DataFrame, lang: str, differences: pl.DataFrame | None = None
) -> Table:
    header, rows = headline(table, lang, differences)
    return Table(header, rows, css="banded" if has_bands(table) else "")


def _uncertainty_section(
    manifest: Mapping[str, Any], lang: str, differences: pl.DataFrame | None
) -> dict[str, Any]:
    """The uncertainty section of a sweep's report: what varied and the effects table."""
    blocks = [
        _p(
            band_note(manifest, lang)
            + " "
            + _t(lang, f"Frö {manifest.get('seed', '')}.", f"Seed {manifest.get('seed', '')}.")
        )
    ]
    if has_bands(differences):
        blocks.append(
            _p(
                _t(
                    lang,
                    "Reformernas effekt mot nuvarande regler, tagen inom varje replikering (samma "
                    "befolkning, antaganden och slumptal i alla scenarier): ett smalare och "
                    "riktigare intervall än skillnaden mellan två nivåers intervall. Fattigdom i "
                    "procentenheter (p.e.), belopp i miljoner kronor per år (differences.csv).",
                    "The reforms' effect against current rules, taken within each replication "
                    "(same population, assumptions and random numbers in every scenario): a "
                    "narrower and truer band than the difference of two level bands. Poverty in "
                    "percentage points (pp), money in SEK million a year (differences.csv).",
                )
            )
        )
        header, rows = effects_table(differences, lang)
        blocks.append(_block("table", table=Table(header, rows, css="banded")))
    return _section("osakerhet", _t(lang, "Osäkerhet", "Uncertainty"), blocks=blocks)


def _figure(name: str, image: str | Path, caption: str) -> dict[str, str]:
    """A chart for the templates: its file embedded as a data URI (SVG or PNG)."""
    path = Path(image)
    kind = "svg+xml" if path.suffix == ".svg" else "png"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return {"name": name, "caption": caption, "src": f"data:image/{kind};base64,{data}"}


def figure_html(name: str, image: str | Path, caption: str) -> str:
    """A chart embedded as a data URI (SVG or PNG by its file), captioned with its files."""
    return (
        _environment().get_template("macros.html.j2").module.figure(_figure(name, image, caption))
    )


def numeric_table_html(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table with a label column and right-aligned number columns (scrolls when wide on
    screen; fits the page in print)."""
    return str(_environment().get_template("macros.html.j2").module.table(Table(header, rows)))


def _link(url: str) -> Markup | str:
    """A URL as a link showing its shortened self; a text with a URL in it, with that URL
    as a link; any other text as it is (escaped)."""
    if not url or not url.startswith(("http://", "https://")):
        inside = re.search(r"https?://\S+", url or "")
        if inside:  # a source named in words with its URL: the URL as a link
            before, _, after = url.partition(inside.group(0))
            return Markup("{}{}{}").format(before, _link(inside.group(0)), after)
        return url or ""
    return Markup('<a href="{}">{}</a>').format(url, _short(url))


def _short(url: str, width: int = 60) -> str:
    return url if len(url) <= width else url[: width - 1] + "…"


def _plain(value: Any, lang: str) -> str:
    from sim.law.parameters import Table as LawTable

    if isinstance(value, LawTable):
        return _t(lang, "tabell", "table")
    if isinstance(value, float | int):
        if float(value).is_integer():
            return format_number(float(value), lang=lang)
        return format_number(float(value), decimals=4, lang=lang).rstrip("0")
    return str(value)


# ------------------------------------------------------- the words of law and assumptions

#: What a scenario's change is (``status``), in words.
STATUS_WORDS = {
    "law": ("lag", "law"),
    "proposal": ("förslag", "proposal"),
    "assumption": ("antagande", "assumption"),
}
#: A scenario change's operation, in words.
OPERATION_WORDS = {"set": ("sätts till", "set to"), "scale": ("skalas med", "scaled by")}
#: The mark of a secondary source in the source list.
SECONDARY_MARK = ("(sekundär källa)", "(secondary source)")


def _word(words: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    pair = words.get(key)
    return _t(lang, *pair) if pair else key


def _set_words(name: str, lang: str) -> str:
    """A behaviour assumption set in words; ``none`` says that it is the static run."""
    words = labels.assumption_set(name, lang)
    return f"{words} {_t(lang, '(statisk)', '(static)')}" if name == "none" else words


def _unit_words(unit: str, lang: str) -> str:
    try:
        return labels.unit(unit, lang)
    except KeyError:
        return unit


def _titled(item: Any, lang: str) -> str | None:
    """The title of a parameter, assumption or scenario in ``lang`` from its YAML file
    (``title: {sv, en}``), or ``None`` when it has none (before the files carry titles)."""
    title = getattr(item, "title", None)
    if isinstance(title, Mapping) and title.get(lang):
        return str(title[lang])
    path = getattr(item, "path", None)
    if path:
        try:
            return labels.law_title(path, lang)
        except KeyError:
            return None
    return None


def _described(item: Any, lang: str) -> str:
    """The description of a parameter, assumption, concept or scenario in ``lang``: its
    ``descriptions[lang]`` where the YAML file has one, else its ``description`` (one
    language, the file's)."""
    descriptions = getattr(item, "descriptions", None)
    if isinstance(descriptions, Mapping) and descriptions.get(lang):
        return " ".join(str(descriptions[lang]).split())
    return " ".join(str(getattr(item, "description", "") or "").split())


def _evidence_kind(item: Any) -> str:
    """The kind of an item's source (``law``, ..., ``secondary``): a parameter's
    ``evidence``; an assumption's ``evidence_kind`` (or ``evidence`` when that is a kind)."""
    for name in ("evidence_kind", "evidence"):
        value = getattr(item, name, None)
        if isinstance(value, str) and value in EVIDENCE:
            return value
    return ""


def _name_cell(title: str | None, path: str) -> Markup:
    """A parameter or assumption by its title in words; its path in the YAML files (to find
    it there) is the cell's tooltip, not its text. The path itself only where there is no
    title (a user's own file)."""
    if title:
        return Markup('<span title="{}">{}</span>').format(path, title)
    return Markup('<code class="path">{}</code>').format(path)


class _Sources:
    """Every source the report cites, once (by its URL, else its text, and whether it is
    cited as a secondary source), in the order first cited, with what cites it."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.items: dict[str, dict[str, Any]] = {}

    def add(self, text: Any, url: str = "", *, secondary: bool = False) -> None:
        text = " ".join(str(text or "").split())
        url = url if url and url.startswith(("http://", "https://")) else ""
        if not text and not url:
            return
        # A primary page cited for a value that was taken from a secondary one is listed
        # twice: once as it is, once marked.
        item = self.items.setdefault(
            f"{secondary}:{url or text}",
            {"texts": [], "url": url, "url_text": _short(url, 90), "secondary": secondary},
        )
        if text and text not in item["texts"]:
            item["texts"].append(text)

    def listed(self) -> list[dict[str, Any]]:
        """The sources for the template: ``text`` (what cites it, at most three names),
        ``url``, ``url_text``, ``secondary``."""
        out = []
        for item in self.items.values():
            texts = item["texts"] or [item["url_text"]]
            more = len(texts) - 3
            text = "; ".join(texts[:3]) + (
                _t(self.lang, f" m.fl. ({more} till)", f" and {more} more") if more > 0 else ""
            )
            out.append({**item, "text": text})
        return out


def _sources_section(sources: _Sources, lang: str) -> dict[str, Any]:
    items = sources.listed()
    n_secondary = sum(1 for s in items if s["secondary"])
    return _section(
        "kallforteckning",
        _t(lang, "Källförteckning", "List of sources"),
        "sources.html.j2",
        intro=_t(
            lang,
            f"Varje källa som rapporten hänvisar till: lagrum och förarbeten för reglerna, "
            f"underlag för antagandena, kalibreringens och jämförelsens källor. {n_secondary} "
            f"av {len(items)} är sekundära källor (nyhetsartiklar, sammanställningar) och "
            f"märkta så; de bör ersättas med primärkällan innan siffran används i ett "
            f"remissvar.",
            f"Every source the report cites: the law and preparatory works of the rules, the "
            f"evidence for the assumptions, the sources of the calibration and of the "
            f"comparison. {n_secondary} of {len(items)} are secondary sources (news articles, "
            f"compilations) and marked as such; replace them by the primary source before "
            f"using the figure in a remiss answer.",
        ),
        sources=items,
        secondary_mark=_t(lang, *SECONDARY_MARK),
    )


def _assumptions_section(
    manifest: Mapping[str, Any], lang: str, sources: _Sources
) -> dict[str, Any]:
    from sim.law.assumptions import default_assumptions

    sets = manifest.get("assumption_sets") or {
        s["name"]: s.get("assumption_set", "") for s in manifest.get("scenarios", [])
    }
    overrides = manifest.get("assumption_overrides") or {}
    rows = [
        [
            labels.scenario(name, lang),
            _set_words(chosen, lang),
            ", ".join(
                f"{_titled_path(k, lang)} = {_plain(v, lang)}"
                for k, v in (overrides.get(name) or {}).items()
            )
            or "–",
        ]
        for name, chosen in sets.items()
    ]
    blocks = [
        _p(
            _t(
                lang,
                "Varje reform körs med sin beteendeuppsättning och statiskt (inga). "
                "Uppsättningen låg/central/hög väljer för varje antagande nedan dess låga, "
                "centrala eller höga värde; scenariots egna värden gäller i alla uppsättningar.",
                "Each reform is run with its behaviour assumption set and statically (none). "
                "The set low/central/high takes, for each assumption below, its low, central "
                "or high value; a scenario’s own values hold in every set.",
            )
        ),
        _block(
            "table",
            table=Table(
                [
                    _t(lang, "Scenario", "Scenario"),
                    _t(lang, "Antagandeuppsättning", "Assumption set"),
                    _t(lang, "Scenariots egna värden", "Scenario overrides"),
                ],
                rows,
                numeric=False,
            ),
        ),
    ]
    items = []
    english_evidence = False
    for _concept, group in default_assumptions().items.items():
        for _name, item in group.items():
            evidence = _evidence_text(item, lang)
            english_evidence |= lang == "sv" and evidence is item.evidence
            kind = _evidence_kind(item)
            sources.add(_titled(item, lang) or item.path, item.url, secondary=kind == "secondary")
            items.append(
                [
                    _name_cell(_titled(item, lang), item.path),
                    _described(item, lang),
                    _unit_words(item.unit, lang),
                    _plain(item.value, lang),
                    _plain(item.low, lang) if item.low is not None else "–",
                    _plain(item.high, lang) if item.high is not None else "–",
                    " ".join(str(evidence or "").split()),
                    _link(item.url),
                ]
            )
    if english_evidence:
        blocks.append(
            _p(
                "Beskrivningar och underlag som ännu inte är översatta i "
                "sim/law/assumptions/*.yaml visas på engelska."
            )
        )
    blocks.append(
        _block(
            "details",
            open=True,
            summary=_t(
                lang,
                "Alla antaganden med intervall (sim/law/assumptions/*.yaml)",
                "Every assumption with its range (sim/law/assumptions/*.yaml)",
            ),
            table=Table(
                [
                    _t(lang, "Antagande", "Assumption"),
                    _t(lang, "Beskrivning", "Description"),
                    _t(lang, "Enhet", "Unit"),
                    _t(lang, "Centralt", "Central"),
                    _t(lang, "Lågt", "Low"),
                    _t(lang, "Högt", "High"),
                    _t(lang, "Underlag", "Evidence"),
                    _t(lang, "Källa", "Source"),
                ],
                items,
                numeric=False,
                css="text wide-table",
            ),
        )
    )
    digest = manifest.get("assumptions_digest")
    if digest and digest != assumptions_digest():
        blocks.append(
            _p(
                _t(
                    lang,
                    "Obs: antagandefilerna har ändrats sedan körningen; tabellen visar dagens filer.",
                    "Note: the assumption files have changed since the run; the table shows the current files.",
                ),
                "warn",
            )
        )
    return _section("antaganden", _t(lang, "Antaganden", "Assumptions"), blocks=blocks)


def _evidence_text(item: Any, lang: str) -> str:
    """An assumption's evidence in ``lang`` (``evidences[lang]`` when the file has it, else
    ``evidence``, the file's one language)."""
    evidences = getattr(item, "evidences", None)
    if isinstance(evidences, Mapping) and evidences.get(lang):
        return str(evidences[lang])
    return item.evidence


def _is_secondary(parameter: Any, entry: Any) -> bool:
    """Whether a law value rests on a secondary source: its ``evidence`` is ``secondary``,
    or it is projected (``derived``) from an earlier value of the parameter with the same
    URL that is."""
    if entry.evidence == "secondary":
        return True
    return entry.evidence == "derived" and any(
        e.evidence == "secondary" and e.url == entry.url and e.start < entry.start
        for e in parameter.values
    )


def _titled_path(path: str, lang: str) -> str:
    try:
        return labels.law_title(path, lang)
    except KeyError:
        return path


def _law_section(manifest: Mapping[str, Any], lang: str, sources: _Sources) -> dict[str, Any]:
    from sim.scenarios.scenario import load_scenario

    year = int(manifest.get("year", 2027))
    blocks: list[dict[str, Any]] = []
    title = _t(lang, "Lagstiftning och källor", "Law and sources")
    scenarios = []
    for entry in manifest.get("scenarios", []):
        try:
            scenarios.append(load_scenario(entry["name"]))
        except SimInputError as error:
            blocks.append(_p(str(error), "warn"))
    if not scenarios:
        return _section("kallor", title, blocks=blocks)
    digests = manifest.get("law_digest") or {}
    baseline = next((s for s in scenarios if s.name == "baseline"), scenarios[0])
    law = baseline.law(year)
    for scenario in scenarios:
        if scenario is baseline:
            continue
        own = [c for c in scenario.changes if c not in baseline.changes]
        rows = []
        for c in own:
            value = _plain(c.value, lang)
            if c.assumption:
                value += f" ({_t(lang, 'antagandet', 'the assumption')} {_titled_path(c.assumption, lang)})"
            try:
                parameter = law.parameter(c.path)
            except (KeyError, SimInputError):
                parameter = None
            rows.append(
                [
                    _name_cell(_titled(parameter, lang) if parameter else None, c.path),
                    c.start.isoformat(),
                    _word(OPERATION_WORDS, c.operation, lang),
                    value,
                    _word(STATUS_WORDS, c.status, lang),
                    c.source_text(lang),
                ]
            )
        blocks.append(
            _block(
                "h3", text=f"{labels.scenario(scenario.name, lang)}: {_described(scenario, lang)}"
            )
        )
        blocks.append(
            _block(
                "table",
                table=Table(
                    [
                        _t(lang, "Parameter", "Parameter"),
                        _t(lang, "Från", "From"),
                        _t(lang, "Ändring", "Change"),
                        _t(lang, "Värde", "Value"),
                        "Status",
                        _t(lang, "Källa", "Source"),
                    ],
                    rows,
                    numeric=False,
                    css="text",
                    nowrap=(1,),
                ),
            )
        )
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = []
    # The modernised table is current law's until it is published: listed only then.
    published = any(v.value == 1.0 for v in law.parameter("riksnorm_modernised.published").values)
    for parameter in law:
        if parameter.path.startswith("riksnorm_modernised.") and not published:
            continue
        used = [
            entry
            for i, entry in enumerate(parameter.values)
            if entry.start <= end
            and (i + 1 == len(parameter.values) or parameter.values[i + 1].start > start)
        ]
        for entry in used:
            sources.add(
                entry.reference_text(lang), entry.url, secondary=_is_secondary(parameter, entry)
            )
            rows.append(
                [
                    _name_cell(_titled(parameter, lang), parameter.path),
                    _described(parameter, lang),
                    _unit_words(parameter.unit, lang),
                    entry.start.isoformat(),
                    _plain(entry.value, lang),
                    entry.reference_text(lang),
                    labels.evidence(entry.evidence, lang),
                    _link(entry.url),
                ]
            )
    blocks.append(
        _block(
            "details",
            open=False,
            summary=_t(
                lang,
                f"Gällande rätt (nuvarande regler) under {year}: varje värde med sin källa",
                f"Current law in {year}: every value with its source",
            ),
            table=Table(
                [
                    _t(lang, "Parameter", "Parameter"),
                    _t(lang, "Beskrivning", "Description"),
                    _t(lang, "Enhet", "Unit"),
                    _t(lang, "Från", "From"),
                    _t(lang, "Värde", "Value"),
                    _t(lang, "Referens", "Reference"),
                    _t(lang, "Underlag", "Evidence"),
                    "URL",
                ],
                rows,
                numeric=False,
                css="text wide-table",
                nowrap=(3, 4),
            ),
        )
    )
    changed = [
        s.name for s in scenarios if s.name in digests and digests[s.name] != s.law(year).digest()
    ]
    if changed:
        blocks.append(
            _p(
                _t(
                    lang,
                    "Obs: parameterfilerna har ändrats sedan körningen för: ",
                    "Note: the parameter files have changed since the run for: ",
                )
                + ", ".join(labels.scenario(n, lang) for n in changed),
                "warn",
            )
        )
    return _section("kallor", title, blocks=blocks)


def _calibration_section(
    population: Mapping[str, Any] | None, lang: str, sources: _Sources
) -> dict[str, Any]:
    title = _t(lang, "Befolkningens kalibrering", "Calibration of the population")
    if not population or not population.get("calibration"):
        return _section(
            "kalibrering",
            title,
            blocks=[
                _p(
                    _t(
                        lang,
                        "Ingen kalibreringsrapport för befolkningen.",
                        "No calibration report for the population.",
                    )
                )
            ],
        )
    calibration = population["calibration"]
    weights = calibration.get("weights", {})
    targets = calibration.get("targets", [])
    met = sum(1 for t in targets if t.get("met"))
    design = format_number(weights.get("design_effect", math.nan), decimals=2, lang=lang)
    bounds = weights.get("bounds", "")
    blocks = [
        _p(
            _t(
                lang,
                f"{met} av {len(targets)} mål uppfyllda inom sin tolerans. Designeffekt {design}, "
                f"viktkvoter inom {bounds}.",
                f"{met} of {len(targets)} targets met within their tolerance. Design effect "
                f"{design}, weight ratios within {bounds}.",
            )
        )
    ]
    rows = []
    cited: dict[str, list[str]] = {}  # URL -> what the targets say of it besides the URL
    for t in targets:
        source = str(t.get("source") or "")
        url = re.search(r"https?://\S+", source)
        if url:
            rest = " ".join(source.replace(url.group(0), "").split()).removesuffix(" via")
            cited.setdefault(url.group(0), []).append(rest)
        rows.append(
            [
                _target_name(t.get("id", ""), lang, t.get("year"), calibration.get("year")),
                _word(_USE_WORDS, t.get("use", ""), lang),
                format_number(
                    t.get("target", math.nan), decimals=_decimals(t.get("target")), lang=lang
                ),
                format_number(
                    t.get("achieved", math.nan), decimals=_decimals(t.get("target")), lang=lang
                ),
                format_number(100 * (t.get("error") or 0.0), decimals=2, lang=lang, signed=True)
                + (" %" if t.get("error_kind") == "relative" else " p.e."),
                _t(lang, "ja", "yes") if t.get("met") else _t(lang, "nej", "no"),
                _link(t.get("source", "")),
            ]
        )
    for url, texts in cited.items():
        what = next((t for t in texts if t), "")
        count = _t(lang, f"{len(texts)} kalibreringsmål", f"{len(texts)} calibration targets")
        sources.add(f"{what} ({count})" if what else count.capitalize(), url)
    blocks.append(
        _block(
            "details",
            open=False,
            summary=_t(lang, "Alla kalibreringsmål", "Every calibration target"),
            table=Table(
                [
                    _t(lang, "Mål", "Target"),
                    _t(lang, "Användning", "Use"),
                    _t(lang, "Målvärde", "Target value"),
                    _t(lang, "Uppnått", "Achieved"),
                    _t(lang, "Fel", "Error"),
                    _t(lang, "Uppfyllt", "Met"),
                    _t(lang, "Källa", "Source"),
                ],
                rows,
                numeric=False,
                css="text",
            ),
        )
    )
    summary = population.get("summary") or {}
    keys = [k for k, v in summary.items() if isinstance(v, int | float) and k != "year"]
    if keys:
        blocks.append(
            _block(
                "details",
                open=False,
                summary=_t(
                    lang,
                    "Befolkningens sammanfattning (dataåret)",
                    "Summary of the population (data year)",
                ),
                table=Table(
                    [_t(lang, "Mått", "Measure"), _t(lang, "Värde", "Value")],
                    [
                        [
                            _target_name(k, lang),
                            format_number(summary[k], decimals=_decimals(summary[k]), lang=lang),
                        ]
                        for k in keys
                    ],
                ),
            )
        )
    return _section("kalibrering", title, blocks=blocks)


#: How a calibration target is used, in words.
_USE_WORDS = {
    "margin": ("kalibreringsmarginal", "calibration margin"),
    "check": ("kontroll", "check"),
    "none": ("visas bara", "shown only"),
}
#: The population's own counts and measures (summary.json) that are no metric and no
#: calibration target (:data:`_SUMMARY_TARGETS`).
_POPULATION_WORDS = {
    "households": ("Hushåll", "Households"),
    "dwellings": ("Bostäder", "Dwellings"),
    "persons": ("Personer", "Persons"),
    "children": ("Barn (0–17)", "Children (0–17)"),
    "fs_adults_foreign_born_share": (
        "Andel utrikes födda bland vuxna i biståndshushåll",
        "Share born abroad among adults in recipient households",
    ),
}

#: The measures of summary.json that a calibration target of the same name measures.
_SUMMARY_TARGETS = {
    "low_economic_standard_rate": "scb_low_economic_standard",
    "child_low_economic_standard_rate": "scb_child_low_economic_standard",
    "median_economic_standard": "scb_median_economic_standard",
    "gini_economic_standard": "scb_gini",
}


def _target_name(key: str, lang: str, year: Any = None, data_year: Any = None) -> Markup | str:
    """A calibration target or summary count in words: a metric's label, the population's
    own words, or the target's name (:func:`sim.catalogue.labels.calibration_target`), with the
    target's ``year`` where it is not the population's ``data_year``; else its key."""
    if key in labels.metric_keys():
        name = labels.metric(key, lang)
    elif key in _POPULATION_WORDS:
        name = _t(lang, *_POPULATION_WORDS[key])
    else:
        try:
            name = labels.calibration_target(_SUMMARY_TARGETS.get(key, key), lang)
        except KeyError:
            return key
    if year is not None and year != data_year:
        name += f", {year}"
    return name


def _short_hash(digest: Any) -> str:
    return str(digest or "")[:12]


def _size(n: int, lang: str) -> str:
    if n >= 1_000_000:
        return format_number(n / 1e6, decimals=1, lang=lang) + " MB"
    if n >= 1000:
        return format_number(n / 1e3, decimals=0, lang=lang) + " kB"
    return format_number(n, lang=lang) + " B"


def _manifest_section(
    manifest: Mapping[str, Any], lang: str, files: Mapping[str, int]
) -> dict[str, Any]:
    """How the results were made, as a short table; the whole record is ``manifest.json``."""
    sets = manifest.get("assumption_sets") or {}
    scenarios = "; ".join(
        f"{labels.scenario(s['name'], lang)} ({s.get('file', '')}, "
        f"{_set_words(sets.get(s['name'], s.get('assumption_set', '')), lang)})"
        for s in manifest.get("scenarios", [])
    )
    profile = manifest.get("kommun_profile") or {}
    facts = [
        (_t(lang, "Version", "Version"), f"sim {manifest.get('version', '')}"),
        (_t(lang, "Git-commit", "Git commit"), _short_hash(manifest.get("git_revision")) or "–"),
        (_t(lang, "Skapad", "Created"), str(manifest.get("created", "–"))),
        (
            _t(lang, "Befolkning", "Population"),
            f"{_population_name(manifest)} ({_t(lang, 'dataår', 'data year')} "
            f"{manifest.get('population_year', '–')}, {_t(lang, 'frö', 'seed')} "
            f"{manifest.get('population_seed', '–')}, "
            f"manifest {_short_hash(manifest.get('population_manifest_sha256')) or '–'})",
        ),
        (_t(lang, "Frö", "Seed"), str(manifest.get("seed", ""))),
        (_t(lang, "År", "Year"), str(manifest.get("year", ""))),
        (_t(lang, "Scenarier (antagandeuppsättning)", "Scenarios (assumption set)"), scenarios),
    ]
    if manifest.get("n_replications"):
        facts.append((_t(lang, "Replikeringar", "Replications"), str(manifest["n_replications"])))
    if profile:
        facts.append((_t(lang, "Kommunprofil", "Municipal profile"), str(profile.get("namn", ""))))
    facts.append(
        (
            _t(lang, "Antagandefilerna", "Assumption files"),
            "SHA-256 " + (_short_hash(manifest.get("assumptions_digest")) or "–"),
        )
    )
    for name, digest in (manifest.get("law_digest") or {}).items():
        facts.append(
            (
                _t(
                    lang,
                    f"Lagen i {labels.scenario(name, lang)}",
                    f"Law of {labels.scenario(name, lang)}",
                ),
                "SHA-256 " + _short_hash(digest),
            )
        )
    command = manifest.get("command")
    if command:
        facts.append((_t(lang, "Kommando", "Command"), " ".join(str(c) for c in command)))
    recorded = manifest.get("results_sha256") or {}
    file_rows = [
        [
            name,
            _size(files[name], lang) if name in files else "–",
            _short_hash(recorded.get(name)) or "–",
        ]
        for name in sorted(set(files) | set(recorded))
    ]
    return _section(
        "manifest",
        _t(lang, "Manifest", "Manifest"),
        "manifest.html.j2",
        facts=Table(
            [_t(lang, "Uppgift", "Item"), _t(lang, "Värde", "Value")],
            facts,
            numeric=False,
            css="text manifest",
        ),
        files=Table(
            [_t(lang, "Fil", "File"), _t(lang, "Storlek", "Size"), "SHA-256"],
            file_rows,
            numeric=False,
            css="manifest",
        ),
        note=_t(
            lang,
            "Hela uppgiften, med alla hashsummor i full längd (SHA-256, här de första 12 "
            "tecknen): ",
            "The whole record, with every hash in full (SHA-256, here its first 12 characters): ",
        ),
    )


def _decimals(value: Any) -> int:
    return 3 if isinstance(value, float) and abs(value) < 10 else 0


_CAPTIONS = {
    "headline_bands": (
        "Huvudresultat med osäkerhetsintervall: median och 10:e–90:e percentilen över replikeringarna.",
        "Headline results with uncertainty: median and 10th–90th percentile over the replications.",
    ),
    "effect_bands": (
        "Reformernas effekt mot nuvarande regler, tagen inom varje replikering, med osäkerhetsintervall.",
        "The reforms' effect against current rules, taken within each replication, with uncertainty.",
    ),
    "child_poverty": (
        "Förändringen av barnfattigdom och fattigdom mot nuvarande regler, per scenario.",
        "The change in child poverty and poverty against current rules, by scenario.",
    ),
    "fs_cost": (
        "Offentlig kostnad per scenario, kommuner och stat.",
        "Public cost by scenario, municipalities and state.",
    ),
    "change_by_household": (
        "Genomsnittlig förändring per hushåll med försörjningsstöd, efter hushållstyp och antal barn.",
        "Average change per household with försörjningsstöd, by household type and number of children.",
    ),
    "change_bands": ("Vinnare och förlorare.", "Winners and losers."),
    "change_by_decile": ("Förändring efter inkomstdecil.", "Change by income decile."),
    "monthly_caseload": (
        "Hushåll med försörjningsstöd månad för månad.",
        "Households with försörjningsstöd month by month.",
    ),
    "typfall_waterfall": (
        "Typfallet (sammanboende med fem barn): vad varje del av reformen gör med det totala stödet.",
        "The typical case (couple with five children): what each part of the reform does to total support.",
    ),
    "loss_per_child": ("Fördelningen av förlust per barn.", "Distribution of the loss per child."),
}

_METHOD = {
    "sv": (
        "sim är en statisk mikrosimuleringsmodell med valbara beteendeeffekter. En syntetisk, "
        "kalibrerad befolkning av svenska hushåll (se Befolkningens kalibrering) skrivs fram till "
        "det simulerade året. För varje månad beräknas försörjningsstöd enligt socialtjänstlagen: "
        "riksnorm och skäliga kostnader minus räknade inkomster (nettolön, ersättningar, barnbidrag, "
        "bostadsbidrag, underhållsstöd), med jobbstimulans. Hushåll tar ut stödet enligt en "
        "modellerad sannolikhet, samma slumptal i alla scenarier.",
        "Reformerna läggs på som daterade parameterändringar (scenariofilerna): bidragstakets "
        "sänkta riksnorm, lägre norm från det fjärde barnet och inga tillägg utöver normen; "
        "aktivitetskravet med sanktioner; jobbpremien. Beteende (övergång till arbete, utträde "
        "utan arbete, färre ansökningar) styrs av en namngiven antagandeuppsättning; samma "
        "reform körs även statiskt.",
        "Fattigdom: andel personer i hushåll med disponibel årsinkomst per konsumtionsenhet "
        "(SCB:s skala) under 60 % av den viktade medianen i varje scenario. Kostnader: "
        "utbetalt försörjningsstöd, aktiviteter, statsbidrag och jobbpremie per år. Förändringar "
        "per hushåll jämför varje hushålls disponibla inkomst med nuvarande regler. Definitionerna "
        "finns i docs/outputs.md och sim/metrics/statistics.py.",
    ),
    "en": (
        "sim is a static microsimulation model with optional behavioural responses. A synthetic, "
        "calibrated population of Swedish households (see Calibration) is projected to the "
        "simulated year. Each month, försörjningsstöd is computed as in the Social Services Act: "
        "riksnorm plus reasonable costs minus counted income (net earnings, benefits, child and "
        "housing allowances, maintenance support), with the earnings disregard. Households take "
        "it up with a modelled probability, using the same random numbers in every scenario.",
        "The reforms are dated parameter changes (the scenario files): the benefit cap's lower "
        "riksnorm, reduced norm from the fourth child and no top-ups above the norm; the activity "
        "requirement with sanctions; the job premium. Behaviour (moves into work, exits without "
        "work, fewer claims) follows a named assumption set; each reform is also run statically.",
        "Poverty: share of persons in households with annual disposable income per consumption "
        "unit (SCB scale) below 60 % of the weighted median of each scenario. Cost: "
        "försörjningsstöd paid, activities, state funding and job premium per year. Changes per "
        "household compare each household's disposable income with current rules. Definitions "
        "are in docs/outputs.md and sim/metrics/statistics.py.",
    ),
}


# ------------------------------------------------------------------------------ writing


def assumptions_digest() -> str:
    """SHA-256 over the packaged assumption files (name and bytes), for manifests."""
    from sim.law.assumptions import assumptions_dir

    digest = hashlib.sha256()
    for path in sorted(assumptions_dir().glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def population_record(population_path: Path | None) -> dict[str, Any] | None:
    """The population's manifest, summary and calibration report (for ``population.json``)."""
    if population_path is None:
        return None
    record: dict[str, Any] = {"path": str(population_path)}
    for key, name in (
        ("manifest", "manifest.json"),
        ("summary", "summary.json"),
        ("calibration", "calibration_report.json"),
    ):
        path = Path(population_path) / name
        if path.is_file():
            record[key] = json.loads(path.read_text())
    return record


def write_report_files(
    folder: str | Path,
    table: pl.DataFrame,
    manifest: Mapping[str, Any],
    *,
    lang: str = "sv",
    population: Mapping[str, Any] | None = None,
    differences: pl.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Write ``charts/``, ``summary.md`` and ``report.html`` into ``folder``.

    A sweep passes its ``differences`` (effects within replications); with bands the
    whisker charts (:func:`sim.outputs.charts.render_bands`) are drawn as well. ``progress``
    (optional) is called before the charts and before the report."""
    from sim.common.progress import Step
    from sim.outputs.charts import ChartContext, render_all, render_bands

    if progress is not None:
        progress(Step("charts"))

    _t(lang, "", "")
    folder = Path(folder)
    context = ChartContext.from_manifest(manifest)
    charts = render_all(
        table, folder / "charts", lang=lang, context=context, differences=differences
    )
    charts.update(render_bands(table, differences, folder / "charts", lang=lang, context=context))
    if progress is not None:
        progress(Step("report"))
    (folder / "summary.md").write_text(summary_markdown(table, manifest, lang, differences))
    # The charts are embedded as SVG: vector graphics print sharp and keep the report small
    # (about a tenth of the 1920 × 1080 PNGs, which stay in charts/ for slides).
    svgs = {name: svg for name, (_png, svg) in charts.items()}
    files = {
        p.name: p.stat().st_size
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in ("report.html", "manifest.json", PDF_FILE)
    }
    (folder / "report.html").write_text(
        report_html(
            table,
            manifest,
            svgs,
            lang=lang,
            population=population,
            differences=differences,
            files=files,
        )
    )


def read_output_folder(folder: str | Path) -> tuple[pl.DataFrame, dict[str, Any]]:
    """``results.parquet`` and ``manifest.json`` of an output folder, or one clear error."""
    from sim.metrics.results import SCHEMA

    folder = Path(folder)
    if not folder.is_dir():
        raise SimInputError(f"{folder}: no such output folder")
    missing = [n for n in ("results.parquet", "manifest.json") if not (folder / n).is_file()]
    if missing:
        raise SimInputError(
            f"{folder}: not an output folder of `sim run` (missing {', '.join(missing)})"
        )
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
        if not isinstance(manifest, dict) or not isinstance(manifest.get("year"), int):
            raise ValueError("no year")
        scenarios = manifest.get("scenarios", [])
        if not isinstance(scenarios, list) or not all(
            isinstance(s, dict) and isinstance(s.get("name"), str) for s in scenarios
        ):
            raise ValueError("'scenarios' must be a list of {name, ...}")
    except ValueError as error:
        raise SimInputError(f"{folder / 'manifest.json'}: unreadable manifest ({error})") from None
    check_results_digest(folder, manifest)
    try:
        table = pl.read_parquet(folder / "results.parquet")
    except Exception as error:  # a damaged parquet file
        raise SimInputError(
            f"{folder / 'results.parquet'}: cannot read ({type(error).__name__})"
        ) from None
    if table.columns != list(SCHEMA):
        raise SimInputError(
            f"{folder / 'results.parquet'}: columns {table.columns} are not {list(SCHEMA)}"
        )
    return table, manifest


def check_results_digest(folder: str | Path, manifest: Mapping[str, Any]) -> None:
    """The result tables of ``folder`` are the bytes its manifest recorded (``results_sha256``,
    written by ``sim run`` and ``sim sweep``), or one clear error. A folder written before
    the digests were recorded has none to check against and passes."""
    recorded = manifest.get("results_sha256")
    if recorded is None:
        return
    if not isinstance(recorded, dict):
        raise SimInputError(f"{Path(folder) / 'manifest.json'}: results_sha256 is not a mapping")
    for name, digest in sorted(recorded.items()):
        path = Path(folder) / str(name)
        if not path.is_file():
            raise SimInputError(f"{path}: missing, but listed in the manifest")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise SimInputError(
                f"{path}: altered since the run (its SHA-256 differs from the manifest's)"
            )


def read_differences(folder: str | Path) -> pl.DataFrame | None:
    """A sweep's ``differences.parquet`` (effects within replications), if the folder has one."""
    from sim.metrics.results import SCHEMA

    path = Path(folder) / DIFFERENCES_FILE
    if not path.is_file():
        return None
    try:
        table = pl.read_parquet(path)
    except Exception as error:  # a damaged parquet file
        raise SimInputError(f"{path}: cannot read ({type(error).__name__})") from None
    if table.columns != list(SCHEMA):
        raise SimInputError(f"{path}: columns {table.columns} are not {list(SCHEMA)}")
    return table


def rebuild_report(folder: str | Path, *, lang: str = "sv", force: bool = False) -> Path:
    """Rebuild ``summary.md``, ``report.html`` and ``charts/`` of an output folder from its
    ``results.parquet`` and ``manifest.json`` (no recomputation; the typfall waterfall is
    recomputed with the household calculator). Existing report files are replaced only with
    ``force``. The results are checked first against the digests in the manifest
    (:func:`check_results_digest`); the folder is then rebuilt beside and swapped in whole
    under the output contract of :mod:`sim.common.safe_write`."""
    _t(lang, "", "")
    folder = Path(folder)
    table, manifest = read_output_folder(folder)
    existing = [n for n in REPORT_FILES if (folder / n).exists()]
    if existing and not force:
        raise SimInputError(
            f"{folder} already has {', '.join(existing)}; use --force to rebuild them"
        )
    population = None
    if (folder / POPULATION_FILE).is_file():
        population = json.loads((folder / POPULATION_FILE).read_text())
    differences = read_differences(folder)
    # The whole folder is rebuilt beside (hard links to the unchanged files) and swapped in:
    # a kill leaves the old folder or the new one, never a mix of old and new charts.
    with output_folder(folder, force=True, what="--from", seed_from=folder) as writer:
        for name in (*REPORT_FILES, PDF_FILE):
            stale = writer.tmp / name
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink(missing_ok=True)
        write_report_files(
            writer.tmp, table, manifest, lang=lang, population=population, differences=differences
        )
    return folder
