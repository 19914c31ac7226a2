"""The trade chart as a reader meets it: the SVG parsed back (bars, target, axes, legend, words) and the Word PNG.

Positions are compared with each other (a year's slot, a value's height), never with the drawing code's own
layout numbers; text extents are measured with the real DejaVu Sans font, not with the chart's estimate.
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from PIL import Image, ImageFont
from support.chart_data import TRADE_SERIES

from reports.briefing.model import ChartSeries
from reports.renderers.chart import (
    EXPORTS_COLOUR,
    IMPORTS_COLOUR,
    SIZE_CM,
    TARGET_COLOUR,
    TEXT_COLOUR,
    TURNOVER_COLOUR,
    chart_png,
    chart_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
SERIES = dataclasses.replace(
    TRADE_SERIES,
    turnover_label="Turnover (no split)",
    value_axis_label="US$ million",
    required_path=((2024, 3600.0), (2030, 10000.0)),
    category_axis_label="",
)
NO_TARGET = dataclasses.replace(SERIES, target_year=None, target_value=None, target_label="", required_path=(), required_label="")
MIN_WIDTH_PX = 16 / 2.54 * 200 * 0.95
HOSTILE = "<script>alert('x')</script> & \"quoted\" 'single'"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def parse(series: ChartSeries, lang: str = "en") -> ElementTree.Element:
    return ElementTree.fromstring(chart_svg(series, lang))


def found(root: ElementTree.Element, tag: str, role: str) -> list[ElementTree.Element]:
    """Elements of `tag` whose class list includes `role`."""
    return [element for element in root.iter(SVG + tag) if role in element.get("class", "").split()]


def texts(root: ElementTree.Element, role: str) -> list[str]:
    return [element.text or "" for element in found(root, "text", role)]


def number(element: ElementTree.Element, name: str) -> float:
    return float(element.get(name))


def bars_by_year(root: ElementTree.Element) -> dict[int, list[ElementTree.Element]]:
    bars: dict[int, list[ElementTree.Element]] = {}
    for bar in found(root, "rect", "bar"):
        bars.setdefault(int(bar.get("data-year")), []).append(bar)
    return bars


def centre(bar: ElementTree.Element) -> float:
    return number(bar, "x") + number(bar, "width") / 2


def scales(root: ElementTree.Element) -> tuple[float, float, float]:
    """(x of year 0, points per year, points per unit of value), from where the bars of SERIES stand."""
    bars = bars_by_year(root)
    per_year = centre(bars[2018][0]) - centre(bars[2017][0])
    per_value = number(bars[2018][0], "height") / 1800.0
    return centre(bars[2017][0]) - 2017 * per_year, per_year, per_value


def path_points(element: ElementTree.Element) -> list[tuple[float, float]]:
    values = [float(value) for value in re.findall(r"-?\d+(?:\.\d+)?", element.get("d"))]
    return list(zip(values[::2], values[1::2], strict=True))


def view_box(root: ElementTree.Element) -> tuple[float, float]:
    _, _, width, height = (float(value) for value in root.get("viewBox").split())
    return width, height


def text_box(element: ElementTree.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a text element as DejaVu Sans draws it, rotation included."""
    size = number(element, "font-size")
    width = ImageFont.truetype(str(DEJAVU), 100).getlength(element.text or "") * size / 100
    x, y = number(element, "x"), number(element, "y")
    start = {"start": 0.0, "middle": -width / 2, "end": -width}[element.get("text-anchor", "start")]
    left, right, top, bottom = x + start, x + start + width, y - 0.76 * size, y + 0.24 * size
    if "rotate(-90" in element.get("transform", ""):  # around (x, y): reads upwards, glyph tops to the left
        return x - (y - top), y - (right - x), x + (bottom - y), y - (left - x)
    return left, top, right, bottom


def test_bars_stand_at_their_real_years_and_a_missing_year_stays_empty():
    root = parse(SERIES)
    bars = bars_by_year(root)
    assert list(bars) == [2017, 2018, 2019, 2021, 2022, 2023, 2024]  # in order, 2020 not drawn
    assert [bar.get("class") for bar in bars[2017]] == ["bar exports", "bar imports"]
    _, per_year, _ = scales(root)
    centres = [(year, centre(bars[year][0])) for year in bars]
    for (year_a, x_a), (year_b, x_b) in zip(centres, centres[1:], strict=False):
        assert x_b - x_a == pytest.approx((year_b - year_a) * per_year, abs=0.02)  # 2019 → 2021: two slots
    assert all(number(bar, "width") == pytest.approx(0.7 * per_year, abs=0.02) for bar in found(root, "rect", "bar"))


def test_stacked_heights_are_proportional_to_the_values():
    root = parse(SERIES)
    bars = bars_by_year(root)
    _, _, per_value = scales(root)
    for year, exports, imports in zip(SERIES.years, SERIES.exports, SERIES.imports, strict=True):
        if exports is None:
            continue
        low, high = bars[year]  # imports drawn over exports, which may reach under them a little (no seam)
        low_bottom, high_bottom = number(low, "y") + number(low, "height"), number(high, "y") + number(high, "height")
        assert low_bottom - high_bottom == pytest.approx(exports * per_value, abs=0.02)  # what shows of exports
        assert number(high, "height") == pytest.approx(imports * per_value, abs=0.02)
        assert 0 <= high_bottom - number(low, "y") < 0.5  # stacked: touching, never a gap
        assert low_bottom == pytest.approx(number(bars[2018][0], "y") + number(bars[2018][0], "height"))  # on the axis


def test_a_year_without_split_is_one_bar_of_another_colour():
    bars = bars_by_year(parse(SERIES))
    assert len(bars[2018]) == 1 and bars[2018][0].get("class") == "bar turnover"
    assert bars[2018][0].get("fill") == TURNOVER_COLOUR
    assert [bar.get("fill") for bar in bars[2017]] == [EXPORTS_COLOUR, IMPORTS_COLOUR]
    assert TURNOVER_COLOUR not in (EXPORTS_COLOUR, IMPORTS_COLOUR)


def test_target_star_label_and_dashed_required_path():
    root = parse(SERIES)
    origin, per_year, per_value = scales(root)
    baseline = number(bars_by_year(root)[2017][0], "y") + number(bars_by_year(root)[2017][0], "height")

    def at(year: float, value: float) -> tuple[float, float]:
        return origin + year * per_year, baseline - value * per_value

    (path,) = found(root, "path", "required-path")
    assert path.get("stroke") == TARGET_COLOUR and path.get("stroke-dasharray") and path.get("fill") == "none"
    points = path_points(path)
    for point, expected in zip(points, [at(2024, 3600.0), at(2030, 10000.0)], strict=True):
        assert point == pytest.approx(expected, abs=0.05)
    (star,) = found(root, "path", "target")
    corners = path_points(star)
    assert len(corners) == 10 and star.get("fill") == TARGET_COLOUR
    middle = (sum(x for x, _ in corners) / 10, sum(y for _, y in corners) / 10)
    assert middle == pytest.approx(at(2030, 10000.0), abs=0.05)
    (label,) = found(root, "text", "target-label")
    assert label.text == "Target: $10 bn by 2030" and label.get("fill") == TARGET_COLOUR
    assert label.get("text-anchor") == "end" and number(label, "x") < min(x for x, _ in corners)  # to its left
    assert abs(number(label, "y") - middle[1]) < 4


def test_without_a_target_there_is_no_star_or_path():
    for series in (NO_TARGET, dataclasses.replace(SERIES, target_year=None), dataclasses.replace(SERIES, target_value=None)):
        root = parse(series)
        assert not found(root, "path", "target") and not found(root, "path", "required-path")
        assert not texts(root, "target-label")
        assert texts(root, "legend") == ["Exports", "Imports", "Turnover (no split)"]
        assert texts(root, "year-tick")[-1] == "2024"
        assert float(texts(root, "value-tick")[-1].replace(",", "")) < 3600 * 1.08


def test_axes_read_as_a_person_expects():
    root = parse(SERIES)
    assert texts(root, "year-tick") == [str(year) for year in range(2017, 2031)]
    values = [float(text.replace(",", "")) for text in texts(root, "value-tick")]
    assert values[0] == 0 and "10,000" in texts(root, "value-tick")
    step = values[1] - values[0]
    assert all(b - a == step for a, b in zip(values, values[1:], strict=False))
    assert step / 10 ** math.floor(math.log10(step)) in (1, 2, 2.5, 5) and 5 <= len(values) <= 7
    (label,) = found(root, "text", "axis-label")
    assert label.text == "US$ million" and label.get("transform", "").startswith("rotate(-90")
    assert number(label, "font-size") == 8 and number(found(root, "text", "year-tick")[0], "font-size") == 7.5
    assert all(text.get("fill") == TEXT_COLOUR for text in found(root, "text", "value-tick") + found(root, "text", "legend"))


def test_frame_is_left_and_bottom_only_with_a_light_grid():
    root = parse(SERIES)
    axes = found(root, "line", "axis")
    assert len(axes) == 2 and all(line.get("stroke") == "#888888" for line in axes)
    vertical, horizontal = sorted(axes, key=lambda line: number(line, "x1") != number(line, "x2"))
    assert number(vertical, "x1") == number(vertical, "x2") and number(horizontal, "y1") == number(horizontal, "y2")
    bars = found(root, "rect", "bar")
    assert number(vertical, "x1") < min(number(bar, "x") for bar in bars)  # the left side, not the right
    assert number(horizontal, "y1") == pytest.approx(max(number(bar, "y") + number(bar, "height") for bar in bars))
    grid = found(root, "line", "grid")
    assert len(grid) == len(texts(root, "value-tick")) and all(line.get("stroke") == "#dddddd" for line in grid)
    assert all(number(line, "y1") == number(line, "y2") for line in grid)


def test_legend_is_above_the_plot_bars_first_then_the_path():
    root = parse(SERIES)
    assert texts(root, "legend") == ["Exports", "Imports", "Turnover (no split)", "Required path"]
    keys = found(root, "rect", "legend-key") + found(root, "line", "legend-key")
    colours = {key.get("fill") or key.get("stroke") for key in keys}
    assert colours == {EXPORTS_COLOUR, IMPORTS_COLOUR, TURNOVER_COLOUR, TARGET_COLOUR}
    plot_top = min(number(line, "y1") for line in found(root, "line", "axis"))
    assert all(text_box(text)[3] < plot_top for text in found(root, "text", "legend"))
    only_split = dataclasses.replace(NO_TARGET, exports=(1.0,), imports=(2.0,), turnover=(3.0,), years=(2024,))
    assert texts(parse(only_split), "legend") == ["Exports", "Imports"]


def test_a_long_legend_wraps_and_everything_stays_inside_the_drawing():
    long = dataclasses.replace(
        SERIES,
        exports_label="Exports of goods from the reporting country to its partner",
        imports_label="Imports of goods into the reporting country from its partner",
        value_axis_label="Millions of United States dollars",
        target_label="Target: $10 bn of turnover by 2030, set at the summit",
    )
    for series, lang in ((SERIES, "en"), (SERIES, "ru"), (long, "en"), (NO_TARGET, "en")):
        root = parse(series, lang)
        width, height = view_box(root)
        for text in root.iter(SVG + "text"):
            left, top, right, bottom = text_box(text)
            assert 0 <= left and right <= width and 0 <= top and bottom <= height, (text.text, left, top, right, bottom)
        legend = found(root, "text", "legend")
        for first, second in zip(legend, legend[1:], strict=False):
            a, b = text_box(first), text_box(second)
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], "legend entries overlap"
    rows = {number(text, "y") for text in found(parse(long), "text", "legend")}
    assert len(rows) >= 2


def test_many_years_get_a_round_step():
    years = tuple(range(1992, 2025))
    series = dataclasses.replace(
        NO_TARGET, years=years, exports=(None,) * len(years), imports=(None,) * len(years), turnover=(100.0,) * len(years)
    )
    labels = [int(text) for text in texts(parse(series), "year-tick")]
    step = labels[1] - labels[0]
    assert step > 1 and len(labels) <= 11 and all(b - a == step for a, b in zip(labels, labels[1:], strict=False))
    assert len(found(parse(series), "rect", "bar")) == len(years)


def test_value_axis_follows_the_language():
    root = parse(SERIES, lang="ru")
    assert "10\N{NO-BREAK SPACE}000" in texts(root, "value-tick")


def test_hostile_text_is_escaped_and_reads_back_unchanged():
    series = dataclasses.replace(
        SERIES, exports_label=HOSTILE, value_axis_label=HOSTILE, target_label=HOSTILE, required_label=HOSTILE
    )
    svg = chart_svg(series)
    assert "<script" not in svg
    root = ElementTree.fromstring(svg)
    assert texts(root, "legend")[0] == HOSTILE and texts(root, "legend")[-1] == HOSTILE
    assert texts(root, "axis-label") == [HOSTILE] and texts(root, "target-label") == [HOSTILE]
    assert not list(root.iter(SVG + "script"))


def test_svg_is_inline_ready_text_and_reproducible():
    svg = chart_svg(SERIES)
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert " style=" not in svg  # presentation attributes only: WeasyPrint warns about style in inline SVG
    root = ElementTree.fromstring(svg)
    assert root.tag == SVG + "svg"
    words = [text.text for text in root.iter(SVG + "text")]
    assert "Exports" in words and "2017" in words  # real text: searchable in the PDF, read by a screen reader
    assert all("DejaVu Sans" in text.get("font-family") for text in root.iter(SVG + "text"))
    width, height = view_box(root)
    assert width / height == pytest.approx(SIZE_CM[0] / SIZE_CM[1], rel=1e-3)
    assert root.get("width") == f"{root.get('viewBox').split()[2]}pt"
    assert chart_svg(SERIES) == svg


def test_svg_without_target_or_years():
    """No target: the bars of every year and nothing of a target. No years at all (a dossier without trade rows):
    still one well-formed drawing of the same size, its frame and axis label, but no bar, no legend, no target."""
    full = parse(SERIES)
    without_target = parse(NO_TARGET)
    assert without_target.tag == SVG + "svg" and view_box(without_target) == view_box(full)
    assert list(bars_by_year(without_target)) == list(SERIES.years)
    assert not found(without_target, "path", "target") and not found(without_target, "path", "required-path")
    assert not texts(without_target, "target-label")

    empty = parse(dataclasses.replace(NO_TARGET, years=(), exports=(), imports=(), turnover=()))
    assert empty.tag == SVG + "svg" and view_box(empty) == view_box(full)
    assert not found(empty, "rect", "bar") and not texts(empty, "legend") and not found(empty, "rect", "legend-key")
    assert not found(empty, "path", "target") and not found(empty, "path", "required-path")
    assert len(found(empty, "line", "axis")) == 2 and texts(empty, "axis-label") == [NO_TARGET.value_axis_label]
    width, height = view_box(empty)
    for text in empty.iter(SVG + "text"):
        left, top, right, bottom = text_box(text)
        assert 0 <= left and right <= width and 0 <= top and bottom <= height, text.text


def test_importing_the_chart_is_cheap():
    code = (
        "import sys, reports.renderers.chart; print([m for m in ('matplotlib', 'numpy', 'cairosvg', 'PIL') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_png_has_print_resolution_recorded():
    png = chart_png(SERIES)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(png))
    assert image.size[0] >= MIN_WIDTH_PX
    assert image.size[0] / image.size[1] == pytest.approx(SIZE_CM[0] / SIZE_CM[1], rel=0.01)
    assert min(image.info["dpi"]) >= 199.5
    physical = png.index(b"pHYs")
    per_metre_x, per_metre_y, unit = struct.unpack(">IIB", png[physical + 4 : physical + 13])
    assert unit == 1 and per_metre_x * 0.0254 >= 199.5 and per_metre_y == per_metre_x
    colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 20)}
    for expected in (EXPORTS_COLOUR, TURNOVER_COLOUR, TARGET_COLOUR, TEXT_COLOUR):
        assert tuple(int(expected[i : i + 2], 16) for i in (1, 3, 5)) in colours


def test_png_never_below_200_dpi():
    assert Image.open(io.BytesIO(chart_png(NO_TARGET, dpi=72))).size[0] >= MIN_WIDTH_PX
    assert Image.open(io.BytesIO(chart_png(NO_TARGET, dpi=300))).size[0] >= 16 / 2.54 * 300 * 0.95
