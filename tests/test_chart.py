"""The trade chart: what it draws (bars at real years, target, path) and the SVG and PNG it exports."""

from __future__ import annotations

import dataclasses
import io
import struct
import xml.etree.ElementTree as ElementTree

from matplotlib.container import BarContainer
from PIL import Image

from reports.chart import EXPORTS_COLOUR, TURNOVER_COLOUR, chart_png, chart_svg, draw_chart
from reports.model import ChartSeries

SERIES = ChartSeries(
    years=(2017, 2018, 2019, 2021, 2022, 2023, 2024),  # 2020 is missing
    exports=(800.0, None, 1300.0, 1500.0, 2000.0, 2100.0, 2300.0),
    imports=(500.0, None, 700.0, 800.0, 1000.0, 1200.0, 1300.0),
    turnover=(1300.0, 1800.0, 2000.0, 2300.0, 3000.0, 3300.0, 3600.0),
    exports_label="Exports",
    imports_label="Imports",
    turnover_label="Turnover (no split)",
    value_axis_label="US$ million",
    target_year=2030,
    target_value=10000.0,
    target_label="Target: $10 bn by 2030",
    required_path=((2024, 3600.0), (2030, 10000.0)),
    required_label="Required path",
)
NO_TARGET = dataclasses.replace(SERIES, target_year=None, target_value=None, target_label="", required_path=(), required_label="")
MIN_WIDTH_PX = 16 / 2.54 * 200 * 0.95


def bars_by_year(series: ChartSeries) -> dict[int, list]:
    axes = draw_chart(series).axes[0]
    found: dict[int, list] = {}
    for container in axes.containers:
        assert isinstance(container, BarContainer)
        for bar in container:
            found.setdefault(round(bar.get_x() + bar.get_width() / 2), []).append(bar)
    return found


def test_bars_stand_at_their_real_years_and_a_missing_year_stays_empty():
    bars = bars_by_year(SERIES)
    assert sorted(bars) == [2017, 2018, 2019, 2021, 2022, 2023, 2024]
    assert 2020 not in bars
    assert len(bars[2017]) == 2  # exports + imports, stacked
    assert bars[2017][1].get_y() == 800.0 and bars[2017][1].get_height() == 500.0


def test_a_year_without_split_is_one_bar_of_another_colour():
    bars = bars_by_year(SERIES)
    assert len(bars[2018]) == 1 and bars[2018][0].get_height() == 1800.0
    assert bars[2018][0].get_facecolor() != bars[2017][0].get_facecolor()
    assert bars[2017][0].get_facecolor()[:3] == tuple(int(EXPORTS_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5))
    assert TURNOVER_COLOUR != EXPORTS_COLOUR


def test_target_marker_and_required_path():
    axes = draw_chart(SERIES).axes[0]
    path, star = axes.lines
    assert list(path.get_xdata()) == [2024, 2030] and list(path.get_ydata()) == [3600.0, 10000.0]
    assert path.get_linestyle() == "--"
    assert star.get_marker() == "*" and list(star.get_xdata()) == [2030]
    assert [text.get_text() for text in axes.texts] == ["Target: $10 bn by 2030"]
    assert axes.get_xlim()[1] > 2030 and axes.get_ylim()[1] > 10000


def test_without_a_target_there_is_no_marker_or_path():
    for series in (NO_TARGET, dataclasses.replace(SERIES, target_year=None)):
        axes = draw_chart(series).axes[0]
        assert len(axes.lines) == 0 and len(axes.texts) == 0
        assert axes.get_xlim()[1] < 2025 and axes.get_ylim()[1] < 4000


def test_axes_read_as_a_person_expects():
    figure = draw_chart(SERIES)
    axes = figure.axes[0]
    assert axes.xaxis.get_major_formatter()(2017, 0) == "2017"
    assert axes.yaxis.get_major_formatter()(10000, 0) == "10,000"
    assert axes.get_ylabel() == "US$ million"
    assert not axes.spines["top"].get_visible() and not axes.spines["right"].get_visible()
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert legend == ["Exports", "Imports", "Turnover (no split)", "Required path"]
    width, height = figure.get_size_inches() * 2.54
    assert (round(width, 1), round(height, 1)) == (16.0, 8.5)


def test_value_axis_follows_the_language():
    axes = draw_chart(SERIES, lang="ru").axes[0]
    assert axes.yaxis.get_major_formatter()(10000, 0) == "10\N{NO-BREAK SPACE}000"


def test_svg_is_inline_ready_and_reproducible():
    svg = chart_svg(SERIES)
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert next(root.iter("{http://www.w3.org/2000/svg}text"), None) is None  # text as paths: no font needed
    assert "<dc:date>" not in svg
    assert chart_svg(SERIES) == svg


def test_svg_without_target():
    ElementTree.fromstring(chart_svg(NO_TARGET))


def test_png_has_print_resolution_recorded():
    png = chart_png(SERIES)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    assert image.size[0] >= MIN_WIDTH_PX
    assert min(image.info["dpi"]) >= 199.5
    physical = png.index(b"pHYs")
    per_metre_x, per_metre_y, unit = struct.unpack(">IIB", png[physical + 4 : physical + 13])
    assert unit == 1 and per_metre_x * 0.0254 >= 199.5


def test_png_never_below_200_dpi():
    assert Image.open(io.BytesIO(chart_png(NO_TARGET, dpi=72))).size[0] >= MIN_WIDTH_PX
    assert Image.open(io.BytesIO(chart_png(NO_TARGET, dpi=300))).size[0] >= 16 / 2.54 * 300 * 0.95
