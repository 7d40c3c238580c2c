"""Charts that state their finding, in one language (issue 20).

The charts of a real `sim run` (the shared run of tests/committed_output.py, in Swedish and
rebuilt in English) are read back from their SVG files, where the text is kept as text
(``svg.fonttype: none``):

* a Swedish chart has no metric key, no parameter or assumption path and no label of the
  English catalogue (:func:`sim.catalogue.labels.english_only_labels`); an English chart no label of
  the Swedish one, and no key or path either;
* each chart's title states its finding: it holds a number that the results table gives
  (a value, or a change against the baseline, in the chart's unit);
* the footnotes are readable on a 1080p slide: at least 11 pt at the figure's size, and the
  PNG is 1920 × 1080 at 200 dpi (one point = 2.78 px, so an 11 pt line is 31 px).
"""

from __future__ import annotations

import functools
import re
import struct
from pathlib import Path

import polars as pl
import pytest
from committed_output import english_folder, run_folder
from test_charts import svg_blocks

from sim.catalogue import labels
from sim.outputs.charts import rendering as chart_rendering
from sim.outputs.charts import run as charts
from sim.outputs.charts import style as chart_style

#: The metrics whose numbers each chart's title may quote; ``"gap per inhabitant"`` and
#: ``"typfall"`` are computed (the funding gap per inhabitant of a län; the typfall
#: household's change of total support).
TITLE_METRICS = {
    "child_poverty": ("child_poverty_rate", "poverty_rate"),
    "fs_cost": ("public_cost_sek_year",),
    "change_by_household": ("mean_change_recipients_sek_month",),
    "change_bands": ("households_change_band",),
    "change_by_decile": ("mean_change_sek_month",),
    "monthly_caseload": ("fs_households_month",),
    "typfall_waterfall": ("typfall",),
    "loss_per_child": ("loss_per_child_sek_month",),
    "delivery_cost_vs_funding": ("delivery_funding_gap_sek_year",),
    "delivery_gap_by_lan": ("gap per inhabitant",),
    "activity_places_by_month": ("activity_places_month",),
}

#: A number as a title writes it: ``−3 863``, ``0,14``, ``+7 994`` (sv); ``3,863``, ``0.14`` (en).
NUMBER = {
    "sv": re.compile(r"[−+-]?\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|[−+-]?\d+(?:,\d+)?"),
    "en": re.compile(r"[−+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[−+-]?\d+(?:\.\d+)?"),
}


def parse_numbers(text: str, lang: str) -> list[tuple[float, int]]:
    """Every number of ``text`` as (absolute value, decimals written)."""
    found = []
    for match in NUMBER[lang].finditer(text):
        raw = match.group().lstrip("−+-")
        if lang == "sv":
            raw = raw.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
        decimals = len(raw.partition(".")[2])
        found.append((float(raw), decimals))
    return found


@functools.cache
def table() -> pl.DataFrame:
    return pl.read_parquet(run_folder() / "results.parquet")


@functools.cache
def candidates(name: str) -> tuple[float, ...]:
    """Absolute values a title of chart ``name`` may quote: each value of its metrics and
    its change against the baseline (same metric and group), in the units charts use."""
    frame = table()
    values: list[float] = []
    for metric in TITLE_METRICS[name]:
        if metric == "typfall":
            from sim.calculator.typfall import typfall_comparison

            comparison = typfall_comparison(2027)
            values.append(comparison.reform["total_support"] - comparison.baseline["total_support"])
            continue
        if metric == "gap per inhabitant":
            gaps = frame.filter(pl.col("metric") == "delivery_funding_gap_sek_year")
            people = frame.filter(pl.col("metric") == "inhabitants").select(
                "scenario", "group", pl.col("value").alias("people")
            )
            joined = gaps.join(people, on=["scenario", "group"]).filter(pl.col("people") > 0)
            values += (joined["value"] / joined["people"]).to_list()
            continue
        rows = frame.filter(pl.col("metric") == metric)
        base = rows.filter(pl.col("scenario") == "baseline").select(
            "group", pl.col("value").alias("base")
        )
        values += rows["value"].to_list()
        values += (
            rows.join(base, on="group").select(pl.col("value") - pl.col("base"))["value"].to_list()
        )
    scaled = [abs(v) * f for v in values if v is not None for f in (1.0, 100.0, 1e-3, 1e-6)]
    return tuple(scaled)


def quotes_the_table(title: str, name: str, lang: str) -> bool:
    """Whether a number of ``title`` is a value of the chart's metrics, rounded as written
    (to its decimals, or to tens or hundreds: counts of households are written so)."""
    for number, decimals in parse_numbers(title, lang):
        for c in candidates(name):
            if abs(round(c, decimals) - number) < 1e-9:
                return True
            for digits in (-1, -2):
                rounded = decimals == 0 and number and number % 10**-digits == 0
                if rounded and abs(round(c, digits) - number) < 1e-9:
                    return True
    return False


def chart_files(lang: str) -> list[Path]:
    folder = run_folder() if lang == "sv" else english_folder()
    return sorted((folder / "charts").glob("*.svg"))


@functools.cache
def forbidden_keys() -> tuple[frozenset[str], frozenset[str]]:
    """Metric keys; parameter and assumption paths."""
    from sim.law.assumptions import default_assumptions
    from sim.law.parameters import default_law

    assumptions = default_assumptions()
    paths = set(default_law().paths()) | {
        f"{concept}.{name}" for concept, group in assumptions.items.items() for name in group
    }
    return frozenset(labels.metric_keys()), frozenset(paths)


def words(label: str) -> re.Pattern:
    """``label`` as whole words (not inside a longer word)."""
    return re.compile(r"(?<![\w.])" + re.escape(label) + r"(?![\w])")


def test_every_chart_of_the_run_is_checked():
    names = {p.stem for p in chart_files("sv")}
    assert names == set(chart_rendering.all_charts()) == set(TITLE_METRICS)
    assert {p.stem for p in chart_files("en")} == names


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_internal_name_or_other_language_in_a_chart(lang):
    keys, paths = forbidden_keys()
    other = labels.english_only_labels() if lang == "sv" else labels.swedish_only_labels()
    problems = []
    for svg in chart_files(lang):
        text = svg_blocks(svg.read_text(encoding="utf-8"))["all"]
        for key in keys:
            # English words such as "households" are metric keys too: in English charts only
            # the keys that no prose has (with an underscore) are forbidden.
            if (lang == "sv" or "_" in key) and words(key).search(text):
                problems.append((svg.stem, "metric key", key))
        problems += [(svg.stem, "path", p) for p in paths if p in text]
        problems += [(svg.stem, "label", label) for label in other if words(label).search(text)]
        for code in ("Gap:", "docs/", ".md", ".yaml", ".parquet"):
            if code in text:
                problems.append((svg.stem, "code", code))
    assert problems == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_title_states_a_number_of_the_results_table(lang):
    for svg in chart_files(lang):
        title = svg_blocks(svg.read_text(encoding="utf-8"))["title"]
        assert parse_numbers(title, lang), (svg.stem, title)
        assert quotes_the_table(title, svg.stem, lang), (svg.stem, title)


def test_the_check_of_titles_can_fail():
    assert not quotes_the_table("Kombinerad: 12 345 678 hushåll", "change_bands", "sv")
    assert quotes_the_table(charts.poverty_finding(table(), "sv"), "child_poverty", "sv")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_footnotes_and_ticks_are_readable_on_a_1080p_slide(lang):
    """Every text of a chart is at least 9.5 pt (the 21 län names; bars' numbers and ticks
    are 10-12 pt) and the footnote (source, assumptions, notes) at least 11 pt, on a PNG of
    1920 × 1080 at 200 dpi: 11 pt is 31 px there, a capital about 22 px."""
    for svg in chart_files(lang):
        source = svg.read_text(encoding="utf-8")
        sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", source)]
        assert min(sizes) >= 9.5, (svg.stem, min(sizes))
        footer = source[source.index('id="sim-source"') :]
        footer = footer[: footer.index("</g>")]
        assert min(float(s) for s in re.findall(r"font-size: ([\d.]+)px", footer)) >= 11
        png = svg.with_suffix(".png").read_bytes()
        assert struct.unpack(">II", png[16:24]) == (1920, 1080)
        # pHYs: pixels per metre of 200 dpi
        at = png.index(b"pHYs")
        x_ppm = struct.unpack(">I", png[at + 4 : at + 8])[0]
        assert round(x_ppm * 0.0254) == chart_style.PNG_DPI
