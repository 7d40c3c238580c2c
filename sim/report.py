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
import datetime as dt
import hashlib
import html
import json
import math
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from sim.errors import SimInputError
from sim.safe_write import output_folder

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
_DERIVED_LABELS = {
    PUBLIC_COST_CHANGE: (
        "SEK/year",
        "Offentlig kostnad, förändring mot nuvarande regler",
        "Public cost, change against current rules",
    )
}

#: Files of the output folder written by the report (``sim report`` replaces these).
REPORT_FILES = ("summary.md", "report.html", "charts")
#: The population's calibration, copied into the output folder at run time.
POPULATION_FILE = "population.json"
#: A sweep's effects against the baseline, taken within replications (sim/uncertainty.py).
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
    from sim.results import METRIC_INFO

    if metric in METRIC_INFO:
        return METRIC_INFO[metric][0]
    if metric in _DERIVED_LABELS:
        return _DERIVED_LABELS[metric][0]
    return ""


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
    number = _number_of(metric, value, lang=lang, signed=signed)
    if unit == "SEK/year":
        return f"{number} mkr" if lang == "sv" else f"SEK {number}m"
    if unit == "SEK/month":
        return f"{number} kr" if lang == "sv" else f"SEK {number}"
    if unit == "share":
        return f"{number} %" if lang == "sv" else f"{number}%"
    return number


def _number_of(
    metric: str, value: float, *, lang: str, signed: bool = False, share_decimals: int = 1
) -> str:
    """The number of :func:`format_value` without its unit."""
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
    lo, hi = _number_of(metric, low, **kw), _number_of(metric, high, **kw)
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
    number = _number_of(metric, value, lang=lang, signed=True, share_decimals=2)
    text = f"{number} {_t(lang, 'p.e.', 'pp')}"
    band = format_band(metric, low, high, lang=lang, signed=True, share_decimals=2)
    return f"{text} {band}" if band else text


def metric_label(metric: str, lang: str = "sv") -> str:
    """The metric's label in ``lang`` (:data:`sim.results.METRIC_INFO`)."""
    from sim.results import METRIC_INFO

    info = METRIC_INFO.get(metric) or _DERIVED_LABELS.get(metric)
    if info is None:
        return metric
    return info[1] if lang == "sv" else info[2]


# ------------------------------------------------------------------------- the tables


def headline(
    table: pl.DataFrame, lang: str = "sv", differences: pl.DataFrame | None = None
) -> tuple[list[str], list[list[str]]]:
    """The headline table: header (metric, then one column per run) and formatted rows.

    Where the table has a band (``low``/``high``, from ``sim sweep``) a cell reads
    ``22,3 % (21,7–23,1)`` (:func:`format_with_band`). The change of public cost against the
    baseline is taken from ``differences`` (a sweep's effects, median and band within
    replications) when given, else it is the difference of the two values."""
    from sim.charts import scenario_name

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
    if lang not in ("sv", "en"):
        raise SimInputError(f"unknown language {lang!r}; use sv or en")
    return sv if lang == "sv" else en


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
    from sim.charts import scenario_name

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
    from sim.charts import varied_text

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
    header, rows = headline(table, lang, differences)
    year = manifest.get("year", "")
    lines = [
        _t(lang, f"# Huvudresultat {year}", f"# Headline results {year}"),
        "",
        _t(
            lang,
            f"sim {manifest.get('version', '')}, population {_population_name(manifest)} "
            f"(seed {manifest.get('seed', '')}). (statisk) = utan beteendeeffekter. "
            "Belopp i miljoner kronor per år; antal avrundade till närmaste hundratal.",
            f"sim {manifest.get('version', '')}, population {_population_name(manifest)} "
            f"(seed {manifest.get('seed', '')}). (static) = no behavioural response. "
            "Money in SEK million a year; counts rounded to the nearest hundred.",
        ),
        "",
        *_markdown_table(header, rows),
    ]
    if has_bands(table):
        lines += ["", band_note(manifest, lang)]
    if has_bands(differences):
        lines += [
            "",
            _t(lang, "## Effekt mot nuvarande regler", "## Effect against current rules"),
            "",
            _t(
                lang,
                "Skillnad reform − nuvarande regler inom varje replikering (differences.csv); "
                "fattigdom i procentenheter (p.e.).",
                "Difference reform − current rules within each replication (differences.csv); "
                "poverty in percentage points (pp).",
            ),
            "",
            *_markdown_table(*effects_table(differences, lang)),
        ]
    from sim.report_government import government_markdown

    government = government_markdown(table, manifest, lang)
    if government:
        lines += ["", government]
    from sim.report_municipal import municipal_markdown

    municipal = municipal_markdown(table, manifest, lang)
    if municipal:
        lines += ["", municipal]
    lines += [
        "",
        _t(
            lang,
            "Alla mått, grupper och definitioner: results.csv / results.xlsx och report.html.",
            "Every metric, group and definition: results.csv / results.xlsx and report.html.",
        ),
        "",
    ]
    return "\n".join(lines)


def _population_name(manifest: Mapping[str, Any]) -> str:
    return str(manifest.get("population_name") or Path(str(manifest.get("population") or "")).name)


# ------------------------------------------------------------------------- report.html

_CSS = """
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc}
.meta{color:#555}table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}figure{margin:1.5em 0}
figure img{width:100%;height:auto;border:1px solid #eee}figcaption{color:#555;font-size:.9em}
pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:.8em}
details{margin:1em 0}summary{cursor:pointer;font-weight:bold}.warn{color:#a00}
.wide{overflow-x:auto}
"""


def report_html(
    table: pl.DataFrame,
    manifest: Mapping[str, Any],
    charts: Mapping[str, Path],
    *,
    lang: str = "sv",
    population: Mapping[str, Any] | None = None,
    differences: pl.DataFrame | None = None,
) -> str:
    """The self-contained report: every image is embedded (base64 PNG), no external file is
    loaded; the only links are to the legal and evidence sources.

    A sweep's report (``table`` with bands, ``differences`` its effects) shows every headline
    value with its band, a section on the uncertainty with the effects table, and the
    whisker charts of :data:`sim.charts.BAND_CHARTS` first among the charts."""
    from sim.charts import BAND_CHARTS, CHARTS

    e = html.escape
    year = manifest.get("year", "")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{e(_t(lang, 'Försörjningsstöd och reformerna', 'Försörjningsstöd and the reforms'))} {year}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(_t(lang, f'Försörjningsstöd {year}: reformerna jämförda', f'Försörjningsstöd {year}: the reforms compared'))}</h1>",
        f'<p class="meta">sim {e(str(manifest.get("version", "")))} '
        f"({e(str(manifest.get('git_revision') or '')[:12])}), population "
        f"{e(_population_name(manifest))}, seed {e(str(manifest.get('seed', '')))}.</p>",
        # The run's date is in manifest.json only: the report is the same bytes every run.
        _profile_banner(manifest, lang),
        _contents(lang, uncertainty=has_bands(table), government=_has_government(table)),
        f'<h2 id="huvudresultat">{e(_t(lang, "Huvudresultat", "Headline results"))}</h2>',
        _headline_html(table, lang, differences),
        f"<p>{e(_t(lang, '(statisk) = samma reform utan beteendeeffekter. Belopp i miljoner kronor per år; antal avrundade till närmaste hundratal. Osäkerhetsintervall visas där replikeringar körts (kolumnerna low/high i results.csv).', '(static) = the same reform without behavioural response. Money in SEK million a year; counts rounded to the nearest hundred. Uncertainty bands are shown where replications were run (columns low/high of results.csv).'))}</p>",
    ]
    if has_bands(table):
        parts.append(_uncertainty_html(manifest, lang, differences))
    from sim.report_government import government_html

    parts.append(government_html(table, manifest, lang))
    parts.append(f'<h2 id="diagram">{e(_t(lang, "Diagram", "Charts"))}</h2>')
    for name in [*BAND_CHARTS, *CHARTS]:
        if name not in charts:
            continue
        parts.append(figure_html(name, charts[name], _CAPTIONS[name][0 if lang == "sv" else 1]))
    from sim.report_municipal import municipal_html

    parts.append(municipal_html(table, manifest, charts, lang))
    parts += [
        f'<h2 id="metod">{e(_t(lang, "Metod", "Method"))}</h2>',
        *(f"<p>{e(p)}</p>" for p in _METHOD[lang]),
        f'<h2 id="antaganden">{e(_t(lang, "Antaganden", "Assumptions"))}</h2>',
        _assumptions_html(manifest, lang),
        f'<h2 id="kallor">{e(_t(lang, "Lagstiftning och källor", "Law and sources"))}</h2>',
        _law_html(manifest, lang),
        f'<h2 id="kalibrering">{e(_t(lang, "Befolkningens kalibrering", "Calibration of the population"))}</h2>',
        _calibration_html(population, lang),
        f'<h2 id="manifest">{e(_t(lang, "Manifest", "Manifest"))}</h2>',
        f"<pre>{html.escape(json.dumps(manifest, indent=2, ensure_ascii=False), quote=False)}</pre>",
        "</body></html>",
        "",
    ]
    return "\n".join(parts)


def _profile_banner(manifest: Mapping[str, Any], lang: str) -> str:
    """For a municipality's profile: whose results these are (and that a made-up example
    is made up)."""
    profile = manifest.get("kommun_profile")
    if not profile:
        return ""
    name = html.escape(str(profile.get("namn", "")))
    text = _t(
        lang,
        f"Resultaten gäller kommunprofilen <strong>{name}</strong>: befolkningen är omviktad "
        "till kommunens egna uppgifter (docs/municipal.md).",
        f"The results are for the municipal profile <strong>{name}</strong>: the population "
        "is re-weighted to the municipality's own figures (docs/municipal.md).",
    )
    if profile.get("exempel"):
        text += _t(
            lang,
            " <strong>Påhittad exempelkommun</strong> — inte en verklig kommun.",
            " <strong>A made-up example municipality</strong> — not a real one.",
        )
    return f'<p class="warn">{text}</p>'


def _has_government(table: pl.DataFrame) -> bool:
    from sim.report_government import has_comparison

    return has_comparison(table)


def _contents(lang: str, *, uncertainty: bool = False, government: bool = False) -> str:
    items = [
        ("huvudresultat", _t(lang, "Huvudresultat", "Headline results")),
        *([("osakerhet", _t(lang, "Osäkerhet", "Uncertainty"))] if uncertainty else []),
        *(
            [
                (
                    "regeringen",
                    _t(lang, "Jämförelse med regeringen", "Comparison with the government"),
                )
            ]
            if government
            else []
        ),
        ("diagram", _t(lang, "Diagram", "Charts")),
        ("kommuner", _t(lang, "Att genomföra aktivitetskravet", "Delivering the requirement")),
        ("metod", _t(lang, "Metod", "Method")),
        ("antaganden", _t(lang, "Antaganden", "Assumptions")),
        ("kallor", _t(lang, "Lagstiftning och källor", "Law and sources")),
        ("kalibrering", _t(lang, "Befolkningens kalibrering", "Calibration of the population")),
        ("manifest", "Manifest"),
    ]
    links = " · ".join(f'<a href="#{a}">{html.escape(t)}</a>' for a, t in items)
    return f"<p>{links}</p>"


def _uncertainty_html(
    manifest: Mapping[str, Any], lang: str, differences: pl.DataFrame | None
) -> str:
    """The uncertainty section of a sweep's report: what varied and the effects table."""
    e = html.escape
    parts = [
        f'<h2 id="osakerhet">{e(_t(lang, "Osäkerhet", "Uncertainty"))}</h2>',
        f"<p>{e(band_note(manifest, lang))} "
        + e(_t(lang, f"Frö {manifest.get('seed', '')}.", f"Seed {manifest.get('seed', '')}."))
        + "</p>",
    ]
    if has_bands(differences):
        parts.append(
            "<p>"
            + e(
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
            + "</p>"
        )
        header, rows = effects_table(differences, lang)
        parts.append(numeric_table_html(header, rows))
    return "".join(parts)


def _headline_html(table: pl.DataFrame, lang: str, differences: pl.DataFrame | None = None) -> str:
    return numeric_table_html(*headline(table, lang, differences))


def figure_html(name: str, png: str | Path, caption: str) -> str:
    """A chart embedded as base64 PNG, captioned with its file names."""
    e = html.escape
    data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
    return (
        f'<figure id="chart-{name}"><img alt="{e(caption)}" '
        f'src="data:image/png;base64,{data}"><figcaption>{e(caption)} '
        f"(charts/{name}.png, charts/{name}.svg)</figcaption></figure>"
    )


def numeric_table_html(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table with a label column and right-aligned number columns (scrolls when wide)."""
    e = html.escape
    out = ['<div class="wide"><table><thead><tr>']
    out.append(f"<th>{e(header[0])}</th>")
    out += [f'<th class="num">{e(h)}</th>' for h in header[1:]]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append(
            "<tr>"
            + f"<td>{e(row[0])}</td>"
            + "".join(f'<td class="num">{e(c)}</td>' for c in row[1:])
            + "</tr>"
        )
    out.append("</tbody></table></div>")
    return "".join(out)


def _table_html(header: Sequence[str], rows: Sequence[Sequence[str]], *, raw: int = -1) -> str:
    """A table of escaped cells; column ``raw`` holds ready HTML (a link)."""
    e = html.escape
    out = ["<table><thead><tr>", *(f"<th>{e(h)}</th>" for h in header), "</tr></thead><tbody>"]
    for row in rows:
        cells = [c if i == raw else e(str(c)) for i, c in enumerate(row)]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _link(url: str) -> str:
    if not url or not url.startswith(("http://", "https://")):
        return html.escape(url or "")
    return f'<a href="{html.escape(url)}">{html.escape(_short(url))}</a>'


def _short(url: str, width: int = 60) -> str:
    return url if len(url) <= width else url[: width - 1] + "…"


def _plain(value: Any, lang: str) -> str:
    from sim.params import Table

    if isinstance(value, Table):
        return _t(lang, "tabell", "table")
    if isinstance(value, float | int):
        if float(value).is_integer():
            return format_number(float(value), lang=lang)
        return format_number(float(value), decimals=4, lang=lang).rstrip("0")
    return str(value)


def _assumptions_html(manifest: Mapping[str, Any], lang: str) -> str:
    from sim.assumptions import default_assumptions

    e = html.escape
    out = []
    sets = manifest.get("assumption_sets") or {
        s["name"]: s.get("assumption_set", "") for s in manifest.get("scenarios", [])
    }
    overrides = manifest.get("assumption_overrides") or {}
    rows = [
        [
            name,
            chosen,
            ", ".join(f"{k} = {v}" for k, v in (overrides.get(name) or {}).items()) or "–",
        ]
        for name, chosen in sets.items()
    ]
    out.append(
        f"<p>{e(_t(lang, 'Varje reform körs med sin beteendeuppsättning och statiskt (none). Uppsättningen low/central/high väljer för varje antagande nedan värdet low, value eller high; scenariots egna värden gäller i alla uppsättningar.', 'Each reform is run with its behaviour assumption set and statically (none). The set low/central/high takes, for each assumption below, its low, central or high value; a scenario’s own values hold in every set.'))}</p>"
    )
    out.append(
        _table_html(
            [
                _t(lang, "Scenario", "Scenario"),
                _t(lang, "Antagandeuppsättning", "Assumption set"),
                _t(lang, "Scenariots egna värden", "Scenario overrides"),
            ],
            rows,
        )
    )
    items = []
    for concept, group in default_assumptions().items.items():
        for name, item in group.items():
            items.append(
                [
                    f"{concept}.{name}",
                    item.description,
                    item.unit,
                    _plain(item.value, lang),
                    _plain(item.low, lang) if item.low is not None else "–",
                    _plain(item.high, lang) if item.high is not None else "–",
                    item.evidence,
                    _link(item.url),
                ]
            )
    out.append(
        f"<details open><summary>{e(_t(lang, 'Alla antaganden med intervall (sim/assumptions/*.yaml)', 'Every assumption with its range (sim/assumptions/*.yaml)'))}</summary>"
    )
    out.append(
        _table_html(
            [
                _t(lang, "Antagande", "Assumption"),
                _t(lang, "Beskrivning", "Description"),
                _t(lang, "Enhet", "Unit"),
                _t(lang, "Centralt", "Central"),
                "Low",
                "High",
                _t(lang, "Underlag", "Evidence"),
                _t(lang, "Källa", "Source"),
            ],
            items,
            raw=7,
        )
    )
    out.append("</details>")
    digest = manifest.get("assumptions_digest")
    if digest and digest != assumptions_digest():
        out.append(
            f'<p class="warn">{e(_t(lang, "Obs: antagandefilerna har ändrats sedan körningen; tabellen visar dagens filer.", "Note: the assumption files have changed since the run; the table shows the current files."))}</p>'
        )
    return "".join(out)


def _law_html(manifest: Mapping[str, Any], lang: str) -> str:
    from sim.scenarios import load_scenario

    e = html.escape
    year = int(manifest.get("year", 2027))
    out = []
    scenarios = []
    for entry in manifest.get("scenarios", []):
        try:
            scenarios.append(load_scenario(entry["name"]))
        except SimInputError as error:
            out.append(f'<p class="warn">{e(str(error))}</p>')
    if not scenarios:
        return "".join(out)
    digests = manifest.get("law_digest") or {}
    baseline = next((s for s in scenarios if s.name == "baseline"), scenarios[0])
    for scenario in scenarios:
        if scenario is baseline:
            continue
        own = [c for c in scenario.changes if c not in baseline.changes]
        rows = [
            [
                c.path,
                c.start.isoformat(),
                c.operation,
                _plain(c.value, lang)
                + (
                    f" ({_t(lang, 'antagandet', 'the assumption')} {c.assumption})"
                    if c.assumption
                    else ""
                ),
                c.status,
                c.source,
            ]
            for c in own
        ]
        out.append(f"<h3>{e(scenario.name)}: {e(scenario.description.strip())}</h3>")
        out.append(
            _table_html(
                [
                    _t(lang, "Parameter", "Parameter"),
                    _t(lang, "Från", "From"),
                    _t(lang, "Ändring", "Change"),
                    _t(lang, "Värde", "Value"),
                    "Status",
                    _t(lang, "Källa", "Source"),
                ],
                rows,
            )
        )
    law = baseline.law(year)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = []
    # The modernised table is current law's until it is published: listed only then.
    published = any(e.value == 1.0 for e in law.parameter("riksnorm_modernised.published").values)
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
            rows.append(
                [
                    parameter.path,
                    parameter.description,
                    parameter.unit,
                    entry.start.isoformat(),
                    _plain(entry.value, lang),
                    entry.reference,
                    entry.evidence,
                    _link(entry.url),
                ]
            )
    out.append(
        f"<details><summary>{e(_t(lang, f'Gällande rätt (nuvarande regler) under {year}: varje värde med sin källa', f'Current law in {year}: every value with its source'))}</summary>"
    )
    out.append(
        _table_html(
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
            raw=7,
        )
    )
    out.append("</details>")
    changed = [
        s.name for s in scenarios if s.name in digests and digests[s.name] != s.law(year).digest()
    ]
    if changed:
        out.append(
            f'<p class="warn">{e(_t(lang, "Obs: parameterfilerna har ändrats sedan körningen för: ", "Note: the parameter files have changed since the run for: "))}{e(", ".join(changed))}</p>'
        )
    return "".join(out)


def _calibration_html(population: Mapping[str, Any] | None, lang: str) -> str:
    e = html.escape
    if not population or not population.get("calibration"):
        return f"<p>{e(_t(lang, 'Ingen kalibreringsrapport för befolkningen.', 'No calibration report for the population.'))}</p>"
    calibration = population["calibration"]
    weights = calibration.get("weights", {})
    targets = calibration.get("targets", [])
    met = sum(1 for t in targets if t.get("met"))
    design = format_number(weights.get("design_effect", math.nan), decimals=2, lang=lang)
    bounds = weights.get("bounds", "")
    text = _t(
        lang,
        f"{met} av {len(targets)} mål uppfyllda inom sin tolerans. Designeffekt {design}, "
        f"viktkvoter inom {bounds}.",
        f"{met} of {len(targets)} targets met within their tolerance. Design effect {design}, "
        f"weight ratios within {bounds}.",
    )
    out = [f"<p>{e(text)}</p>"]
    rows = [
        [
            t.get("id", ""),
            t.get("use", ""),
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
        for t in targets
    ]
    out.append(
        f"<details><summary>{e(_t(lang, 'Alla kalibreringsmål', 'Every calibration target'))}</summary>"
    )
    out.append(
        _table_html(
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
            raw=6,
        )
    )
    out.append("</details>")
    summary = population.get("summary") or {}
    if summary:
        keys = [k for k, v in summary.items() if isinstance(v, int | float)]
        out.append(
            f"<details><summary>{e(_t(lang, 'Befolkningens sammanfattning (dataåret)', 'Summary of the population (data year)'))}</summary>"
        )
        out.append(
            _table_html(
                [_t(lang, "Mått", "Measure"), _t(lang, "Värde", "Value")],
                [
                    [k, format_number(summary[k], decimals=_decimals(summary[k]), lang=lang)]
                    for k in keys
                ],
            )
        )
        out.append("</details>")
    return "".join(out)


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
    "child_poverty": ("Barnfattigdom per scenario.", "Child poverty by scenario."),
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
        "finns i docs/outputs.md och sim/metrics.py.",
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
        "are in docs/outputs.md and sim/metrics.py.",
    ),
}


# ------------------------------------------------------------------------------ writing


def assumptions_digest() -> str:
    """SHA-256 over the packaged assumption files (name and bytes), for manifests."""
    from sim.assumptions import assumptions_dir

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
    whisker charts (:func:`sim.charts.render_bands`) are drawn as well. ``progress``
    (optional) is called before the charts and before the report."""
    from sim.charts import ChartContext, render_all, render_bands
    from sim.progress import Step

    if progress is not None:
        progress(Step("charts"))

    _t(lang, "", "")
    folder = Path(folder)
    context = ChartContext.from_manifest(manifest)
    charts = render_all(table, folder / "charts", lang=lang, context=context)
    charts.update(render_bands(table, differences, folder / "charts", lang=lang, context=context))
    if progress is not None:
        progress(Step("report"))
    (folder / "summary.md").write_text(summary_markdown(table, manifest, lang, differences))
    pngs = {name: png for name, (png, _svg) in charts.items()}
    (folder / "report.html").write_text(
        report_html(
            table, manifest, pngs, lang=lang, population=population, differences=differences
        )
    )


def read_output_folder(folder: str | Path) -> tuple[pl.DataFrame, dict[str, Any]]:
    """``results.parquet`` and ``manifest.json`` of an output folder, or one clear error."""
    from sim.results import SCHEMA

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
    from sim.results import SCHEMA

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
    under the output contract of :mod:`sim.safe_write`."""
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
        for name in REPORT_FILES:
            stale = writer.tmp / name
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink(missing_ok=True)
        write_report_files(
            writer.tmp, table, manifest, lang=lang, population=population, differences=differences
        )
    return folder
