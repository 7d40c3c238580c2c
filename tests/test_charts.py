"""Charts: every chart renders in Swedish and English, with its labels, and no text overlaps."""

from __future__ import annotations

import dataclasses
import json
import struct

import matplotlib
import polars as pl
import pytest
from committed_output import english_folder, run_folder
from matplotlib.text import Text

from sim.calculator.typfall import typfall_comparison
from sim.common.errors import SimInputError
from sim.metrics.results import LOSS_PERCENTILES
from sim.outputs import formatting, names, results_lookup
from sim.outputs.charts import context as chart_context
from sim.outputs.charts import rendering as chart_rendering
from sim.outputs.charts import run as charts
from sim.outputs.charts import style as chart_style
from sim.outputs.charts import typfall as charts_typfall
from sim.outputs.charts import uncertainty as charts_uncertainty

#: A part of each chart's title, which states the chart's finding (the numbers are checked
#: against the results table in tests/test_charts_findings.py).
TITLES = {
    "child_poverty": ("barnfattigdomen ökar med", "child poverty rises by"),
    "fs_cost": ("den offentliga kostnaden", "the public cost"),
    "change_by_household": ("förlorar mest", "lose most"),
    "change_bands": (
        "hushåll förlorar mer än 1 000 kr i månaden",
        "households lose more than SEK 1,000",
    ),
    "change_by_decile": ("förlorar mest", "loses most"),
    "monthly_caseload": (
        "hushåll med försörjningsstöd i december",
        "households with FS in December",
    ),
    "typfall_waterfall": ("sammanboende med fem barn får", "a couple with five children gets"),
    "loss_per_child": ("förlusten per barn är i median", "the median loss per child is"),
    "delivery_cost_vs_funding": (
        "ofinansierat för kommunerna",
        "unfunded for the municipalities",
    ),
    "delivery_gap_by_lan": ("störst ofinansierad kostnad", "the largest unfunded cost"),
    "activity_places_by_month": (
        "heltidsplatser i aktivitet",
        "full-time activity places",
    ),
}


def svg_blocks(svg_text: str) -> dict[str, str]:
    """The title, subtitle and source of a chart's SVG (ids ``sim-title``, ``sim-subtitle``,
    ``sim-source``), their wrapped lines joined by spaces, no-break spaces as spaces; and
    ``all``: every text of the SVG the same way."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg_text)
    ns = "{http://www.w3.org/2000/svg}"

    def text_of(element) -> str:
        lines = ["".join(t.itertext()) for t in element.iter(f"{ns}text")]
        return " ".join(lines).replace("\u00a0", " ")

    blocks = {"all": text_of(root)}
    for group in root.iter(f"{ns}g"):
        if group.get("id", "").startswith("sim-"):
            blocks[group.get("id").removeprefix("sim-")] = text_of(group)
    return blocks


@pytest.fixture(scope="module")
def folders():
    """The shared `sim run` output (Swedish) and its copy rebuilt in English."""
    return {"sv": run_folder(), "en": english_folder()}


@pytest.fixture(scope="module")
def table(folders):
    return pl.read_parquet(folders["sv"] / "results.parquet")


@pytest.fixture(scope="module")
def context(folders):
    manifest = json.loads((folders["sv"] / "manifest.json").read_text())
    typfall = typfall_comparison(manifest["year"])
    return chart_context.ChartContext.from_manifest(manifest, typfall=typfall)


@pytest.fixture(scope="module")
def rendered(folders):
    """Every chart file of both folders: (name, lang) -> (png, svg)."""
    return {
        (name, lang): (
            folders[lang] / "charts" / f"{name}.png",
            folders[lang] / "charts" / f"{name}.svg",
        )
        for name in chart_rendering.all_charts()
        for lang in ("sv", "en")
    }


def test_every_chart_has_a_title():
    assert set(TITLES) == set(chart_rendering.all_charts())


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", list(chart_rendering.all_charts()))
def test_chart_files_exist_with_labels_in_the_language(rendered, name, lang):
    png, svg = rendered[name, lang]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1920, 1080)  # 16:9 at 200 dpi
    assert len(data) > 20_000
    text = svg.read_text(encoding="utf-8")
    assert len(text) > 5_000
    blocks = svg_blocks(text)
    sv_title, en_title = TITLES[name]
    if lang == "sv":
        assert sv_title in blocks["title"]
        assert blocks["source"].startswith("Källa: egna beräkningar med sim ")
        assert "på syntetisk befolkning (2024, frö 1), år 2027" in blocks["source"]
        assert "Socialstyrelsen (ekonomiskt bistånd 2024); SCB (" in blocks["source"]
        assert "antagandeuppsättning central" in blocks["source"]
        assert "Source:" not in text
    else:
        assert en_title in blocks["title"]
        assert blocks["source"].startswith("Source: own calculations with sim ")
        assert "on a synthetic population (2024, seed 1), year 2027" in blocks["source"]
        assert "Socialstyrelsen (social assistance 2024); Statistics Sweden (" in blocks["source"]
        assert "assumption set central" in blocks["source"]
        assert "Källa" not in text
    # The source is in words: no file name or path of the population.
    assert "population-2024" not in text and "data/synthetic" not in text


def drawn_text(fig) -> list[tuple[str, object]]:
    """The window extents of the text artists actually drawn (visible, non-empty)."""
    drawn = []
    original = Text.draw

    def record(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append((self.get_text(), self.get_window_extent(renderer)))

    Text.draw = record
    try:
        fig.canvas.draw()
    finally:
        Text.draw = original
    return drawn


def overlaps(fig) -> list[tuple[str, str]]:
    boxes = drawn_text(fig)
    found = []
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1 :]:
            # Strict intersection, with half a pixel of slack for anti-aliased edges.
            if a.x0 + 0.5 < b.x1 and b.x0 + 0.5 < a.x1 and a.y0 + 0.5 < b.y1 and b.y0 + 0.5 < a.y1:
                found.append((text_a, text_b))
    return found


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", list(chart_rendering.all_charts()))
def test_no_text_overlaps_or_leaves_the_figure(table, context, name, lang):
    """Checked on every chart, the crowded ones (change_by_household: two panels of long
    labels; change_bands: numbers inside the bar segments, five-entry legend; the caseload
    chart's two-row legend) included. No allowance: the numbers inside the bars are drawn
    only in segments wide enough, so they must not touch anything either."""
    fig = chart_rendering.render(name, table, lang=lang, context=context)
    assert overlaps(fig) == []
    width, height = fig.canvas.get_width_height()
    for text, box in drawn_text(fig):
        assert box.x0 >= -0.5 and box.x1 <= width + 0.5, text
        assert box.y0 >= -0.5 and box.y1 <= height + 0.5, text


def test_the_overlap_check_finds_overlaps(table):
    fig = chart_rendering.render("child_poverty", table)
    fig.text(0.012, 0.975, "a second title on top of the first")
    assert overlaps(fig)


def test_charts_leave_global_matplotlib_state_alone(table):
    before = dict(matplotlib.rcParams)
    charts.child_poverty(table)
    assert dict(matplotlib.rcParams) == before


def test_uncertainty_bands_are_drawn_when_the_table_has_them(table, effects):
    """The change in child poverty and poverty: points without bands for a single run (and
    the footnote says so); with a sweep's differences each point is the median change and
    its line runs from the 10th to the 90th percentile of the change."""
    from matplotlib.container import ErrorbarContainer

    without = charts.child_poverty(table)
    for ax in without.axes:
        bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert bars and all(not c.has_xerr for c in bars)
    assert "utan osäkerhetsintervall (kör sim sweep)" in " ".join(
        t.get_text() for t in without.texts
    )
    fig = charts.child_poverty(table, differences=effects)
    runs = results_lookup.run_labels(table, baseline=False)
    for ax, (metric, *_rest) in zip(fig.axes, charts.POVERTY_PANELS, strict=True):
        bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert len(bars) == len(runs)
        for bar, run in zip(bars, runs, strict=True):
            row = effects.filter(
                (pl.col("scenario") == run)
                & (pl.col("metric") == metric)
                & (pl.col("group") == "all")
            ).row(0, named=True)
            (x0, _), (x1, _) = bar.lines[2][0].get_segments()[0]
            assert (x0, x1) == pytest.approx((100 * row["low"], 100 * row["high"]))
            assert bar.lines[0].get_xdata()[0] == pytest.approx(100 * row["value"])


def test_child_poverty_shows_the_change_not_the_level(table):
    """The points sit at the change against the baseline in percentage points (so +0,14 and
    +0,11 are told apart), beside a zero line; the title names the largest change."""
    fig = charts.child_poverty(table)
    texts = [t for t, _ in drawn_text(fig)]
    base = table.filter(
        (pl.col("scenario") == "baseline")
        & (pl.col("metric") == "child_poverty_rate")
        & (pl.col("group") == "all")
    )["value"][0]
    for run in results_lookup.run_labels(table, baseline=False):
        value = table.filter(
            (pl.col("scenario") == run)
            & (pl.col("metric") == "child_poverty_rate")
            & (pl.col("group") == "all")
        )["value"][0]
        label = formatting.unbroken_number(100 * (value - base), 2, "sv", signed=True) + " p.e."
        assert label in texts, (run, label)
    assert any(line.get_xdata()[0] == 0 for line in fig.axes[0].get_lines())


def test_waterfall_is_the_documented_typfall(table):
    """docs/reforms.md §2.1.1: 46 500 kr today, 38 296 kr under the bidragstak."""
    context = chart_context.ChartContext(typfall=typfall_comparison(2027, "bidragstak"))
    fig = charts_typfall.typfall_waterfall(table, context=context)
    texts = [t.replace("\u00a0", " ").replace("\n", " ") for t, _ in drawn_text(fig)]
    assert "46 500 kr" in texts
    assert "38 296 kr" in texts
    title = next(t.get_text() for t in fig.texts if t.get_gid() == "sim-title")
    assert "8\u00a0204\u00a0kr mindre i månaden" in title  # no-break spaces: never wrapped apart
    # Each step is named by its parameter's title (sim/law/params/bidragstak.yaml).
    assert "Moderniserad riksnorm" in texts and "Begränsning från fjärde barnet" in texts


def test_the_waterfall_draws_the_comparison_it_is_given_and_computes_none(table):
    """The chart runs no household calculation: without ``ChartContext.typfall`` it says
    what it needs."""
    with pytest.raises(SimInputError, match="ChartContext.typfall"):
        charts_typfall.typfall_waterfall(table, context=chart_context.ChartContext())


def test_no_output_module_computes_a_household():
    """sim/outputs draws and writes what its callers computed: it imports sim.calculator only
    for annotations (under TYPE_CHECKING), never a function that runs the engine."""
    import ast
    from pathlib import Path

    import sim.outputs

    found = []
    for path in sorted(Path(sim.outputs.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text())
        guarded = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
            for node in ast.walk(block)
        }
        found += [
            f"{path.name}: from {node.module} import ..."
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and (node.module or "").startswith("sim.calculator")
            and id(node) not in guarded
        ]
    assert found == []


def test_loss_per_child_percentiles_are_ordered(table):
    rows = table.filter(
        (pl.col("metric") == "loss_per_child_sek_month")
        & pl.col("group").str.starts_with("percentil:")
    )
    for scenario in ("bidragstak", "aktivitetskrav", "kombinerad"):
        values = [
            rows.filter((pl.col("scenario") == scenario) & (pl.col("group") == f"percentil:{p}"))[
                "value"
            ][0]
            for p in LOSS_PERCENTILES
        ]
        assert values == sorted(values) and values[0] > 0, scenario
    assert rows.filter(pl.col("scenario") == "baseline").height == 0


def test_scenario_names():
    assert names.scenario_name("bidragstak/statisk") == "Bidragstak (statisk)"
    assert names.scenario_name("kombinerad", "en") == "Combined"
    assert names.scenario_name("my_reform") == "my_reform"


# --- the uncertainty charts of a sweep ------------------------------------------------------

GRID_PATH = "uprating.price_change_scale"

#: Parts of the whisker and fan charts' titles (their findings).
BAND_TITLES = {
    "headline_bands": ("barnfattigdom", "child poverty"),
    "effect_bands": ("barnfattigdomen ökar med", "child poverty rises by"),
    "grid_fan": ("barnfattigdom", "child poverty"),
    "grid_fan_effects": ("barnfattigdomen ändras med", "child poverty changes by"),
}


@pytest.fixture(scope="module")
def banded(table):
    """The committed run's table with bands, as a sweep writes them (asymmetric, so a
    swapped low/high would show)."""
    return table.with_columns(low=pl.col("value") * 0.97, high=pl.col("value") * 1.04)


@pytest.fixture(scope="module")
def effects(table):
    """Differences from the baseline with bands, shaped like a sweep's differences table."""
    base = table.filter(pl.col("scenario") == "baseline").select(
        "metric", "group", pl.col("value").alias("base")
    )
    change = (
        table.filter(pl.col("scenario") != "baseline")
        .join(base, on=["metric", "group"], maintain_order="left")
        .with_columns(value=pl.col("value") - pl.col("base"))
        .drop("base")
    )
    return change.with_columns(
        low=pl.col("value") - 0.3 * pl.col("value").abs() - 1e-4,
        high=pl.col("value") + 0.2 * pl.col("value").abs() + 1e-4,
    )


def _on_grid(frame):
    return pl.concat(
        [
            frame.with_columns(pl.col(c) * f for c in ("value", "low", "high")).select(
                pl.lit(f).alias("grid_value"), pl.all()
            )
            for f in (0.5, 1.0, 1.5)
        ]
    )


@pytest.fixture(scope="module")
def band_figures(banded, effects, context):
    """name -> function(lang) drawing that uncertainty chart."""
    sweep = dataclasses.replace(context, replications=200, varied=("population", "assumptions"))
    path = GRID_PATH
    return {
        "headline_bands": lambda lang: charts_uncertainty.headline_bands(
            banded, lang=lang, context=sweep
        ),
        "effect_bands": lambda lang: charts_uncertainty.effect_bands(
            effects, lang=lang, context=sweep
        ),
        "grid_fan": lambda lang: charts_uncertainty.grid_fan(
            _on_grid(banded), path, lang=lang, context=sweep
        ),
        "grid_fan_effects": lambda lang: charts_uncertainty.grid_fan(
            _on_grid(effects), path, lang=lang, context=sweep, effect=True
        ),
    }


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", list(BAND_TITLES))
def test_uncertainty_charts_labels_files_and_no_overlaps(band_figures, name, lang, tmp_path):
    fig = band_figures[name](lang)
    assert overlaps(fig) == []
    width, height = fig.canvas.get_width_height()
    for text, box in drawn_text(fig):
        assert box.x0 >= -0.5 and box.x1 <= width + 0.5, text
        assert box.y0 >= -0.5 and box.y1 <= height + 0.5, text
    png, svg = chart_style.save_chart(fig, tmp_path, name)
    data = png.read_bytes()
    assert struct.unpack(">II", data[16:24]) == (1920, 1080)
    text = svg.read_text(encoding="utf-8")
    blocks = svg_blocks(text)
    sv_title, en_title = BAND_TITLES[name]
    if lang == "sv":
        assert sv_title in blocks["title"]
        assert blocks["source"].startswith("Källa: egna beräkningar med sim")
        assert "200 replikeringar" in blocks["source"]
        assert "Source:" not in text
    else:
        assert en_title in blocks["title"]
        assert blocks["source"].startswith("Source: own calculations with sim")
        assert "200 replications" in blocks["source"]
        assert "Källa" not in text
    if name.startswith("grid_fan"):
        depends = _t(lang, ", beroende på ", ", depending on ")
        assert depends + names.path_title(GRID_PATH, lang) in blocks["title"]
    if name in ("headline_bands", "effect_bands"):
        assert _t(lang, "nytt befolkningsurval", "new population sample") in text


def _t(lang, sv, en):
    return sv if lang == "sv" else en


def test_whiskers_run_from_the_10th_to_the_90th_percentile(band_figures, banded, effects):
    """Each whisker's ends are the row's low and high, its dot the median (value)."""
    from matplotlib.container import ErrorbarContainer

    for name, frame, runs in (
        ("headline_bands", banded, results_lookup.run_labels(banded)),
        ("effect_bands", effects, results_lookup.run_labels(effects, baseline=False)),
    ):
        fig = band_figures[name]("sv")
        for ax, (metric, scale, *_rest) in zip(
            fig.axes, charts_uncertainty.BAND_PANELS, strict=True
        ):
            bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
            assert len(bars) == len(runs)
            for bar, run in zip(bars, runs, strict=True):
                row = frame.filter(
                    (pl.col("scenario") == run)
                    & (pl.col("metric") == metric)
                    & (pl.col("group") == "all")
                ).row(0, named=True)
                (x0, _), (x1, _) = bar.lines[2][0].get_segments()[0]
                assert (x0, x1) == pytest.approx((row["low"] * scale, row["high"] * scale))
                assert bar.lines[0].get_xdata()[0] == pytest.approx(row["value"] * scale)


def test_uncertainty_charts_only_where_there_are_bands(table, banded, effects, tmp_path):
    assert chart_rendering.render_bands(table, None, tmp_path / "run") == {}
    assert not (tmp_path / "run").exists()
    written = chart_rendering.render_bands(banded, effects, tmp_path / "sweep", lang="en")
    assert set(written) == set(charts_uncertainty.BAND_CHARTS)
    assert all(png.is_file() and svg.is_file() for png, svg in written.values())
