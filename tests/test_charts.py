"""Charts: every chart renders in Swedish and English, with its labels, and no text overlaps."""

from __future__ import annotations

import json
import struct

import matplotlib
import polars as pl
import pytest
from committed_output import english_folder, run_folder
from matplotlib.text import Text

from sim import charts
from sim.results import LOSS_PERCENTILES

TITLES = {
    "child_poverty": ("Barnfattigdom per scenario", "Child poverty by scenario"),
    "fs_cost": ("Offentlig kostnad per scenario", "Public cost by scenario"),
    "change_by_household": (
        "Genomsnittlig förändring per hushåll och månad",
        "Average change per household and month",
    ),
    "change_bands": ("Vinnare och förlorare", "Winners and losers"),
    "change_by_decile": ("Förändring efter inkomstdecil", "Change by income decile"),
    "monthly_caseload": (
        "Hushåll med försörjningsstöd månad för månad",
        "Households with FS month by month",
    ),
    "typfall_waterfall": ("Typfallet: sammanboende med fem barn", "The typical case: couple"),
    "loss_per_child": ("Förlust per barn", "Loss per child"),
}


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
    return charts.ChartContext.from_manifest(manifest)


@pytest.fixture(scope="module")
def rendered(folders):
    """Every chart file of both folders: (name, lang) -> (png, svg)."""
    return {
        (name, lang): (
            folders[lang] / "charts" / f"{name}.png",
            folders[lang] / "charts" / f"{name}.svg",
        )
        for name in charts.CHARTS
        for lang in ("sv", "en")
    }


def test_every_chart_has_a_title():
    assert set(TITLES) == set(charts.CHARTS)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_chart_files_exist_with_labels_in_the_language(rendered, name, lang):
    png, svg = rendered[name, lang]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1920, 1080)  # 16:9 at 200 dpi
    assert len(data) > 20_000
    text = svg.read_text(encoding="utf-8")
    assert len(text) > 5_000
    sv_title, en_title = TITLES[name]
    if lang == "sv":
        assert sv_title in text
        assert "Källa: sim" in text and "population-2024" in text
        assert "Antagandeuppsättning" in text
        assert "Source:" not in text
    else:
        assert en_title in text
        assert "Source: sim" in text and "assumption set" in text
        assert "Källa" not in text


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
@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_no_text_overlaps_or_leaves_the_figure(table, context, name, lang):
    """Checked on every chart, the crowded ones (change_by_household: two panels of long
    labels; change_bands: numbers inside the bar segments, five-entry legend; the caseload
    chart's two-row legend) included. No allowance: the numbers inside the bars are drawn
    only in segments wide enough, so they must not touch anything either."""
    fig = charts.render(name, table, lang=lang, context=context)
    assert overlaps(fig) == []
    width, height = fig.canvas.get_width_height()
    for text, box in drawn_text(fig):
        assert box.x0 >= -0.5 and box.x1 <= width + 0.5, text
        assert box.y0 >= -0.5 and box.y1 <= height + 0.5, text


def test_the_overlap_check_finds_overlaps(table):
    fig = charts.render("child_poverty", table)
    fig.text(0.012, 0.975, "a second title on top of the first")
    assert overlaps(fig)


def test_charts_leave_global_matplotlib_state_alone(table):
    before = dict(matplotlib.rcParams)
    charts.child_poverty(table)
    assert dict(matplotlib.rcParams) == before


def test_uncertainty_bands_are_drawn_when_the_table_has_them(table):
    from matplotlib.container import ErrorbarContainer

    without = charts.child_poverty(table)
    assert not any(isinstance(c, ErrorbarContainer) for c in without.axes[0].containers)
    banded = table.with_columns(
        low=pl.when(pl.col("metric") == "child_poverty_rate").then(pl.col("value") - 0.01),
        high=pl.when(pl.col("metric") == "child_poverty_rate").then(pl.col("value") + 0.01),
    )
    fig = charts.child_poverty(banded)
    assert any(isinstance(c, ErrorbarContainer) for c in fig.axes[0].containers)


def test_waterfall_is_the_documented_typfall(table):
    """docs/reforms.md §2.1.1: 46 500 kr today, 38 310 kr under the bidragstak."""
    fig = charts.typfall_waterfall(table, scenario="bidragstak")
    texts = [t for t, _ in drawn_text(fig)]
    assert "46 500 kr" in texts
    assert "38 310 kr" in texts
    assert "Sänkt riksnorm" in texts and "Lägre norm från 4:e barnet" in texts


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
    assert charts.scenario_name("bidragstak/statisk") == "Bidragstak (statisk)"
    assert charts.scenario_name("kombinerad", "en") == "Combined"
    assert charts.scenario_name("my_reform") == "my_reform"
