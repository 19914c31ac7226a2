"""The trade chart as a native Word chart: the data and colours of `reports/renderers/chart.py`, editable in Word.

Exports and imports stacked by year (turnover alone where the split is unknown), the path required to reach
the target as a dashed line on the same axes and the target as a diamond (a marker Word and LibreOffice both
draw; their "star" is an asterisk), a legend above the plot and axis titles, the value axis as the PDF's
(`value_scale`), and no title: the caption under the chart says it. The workbook behind it holds the same
numbers, so "Edit Data" works. Categories run over every year from the first to the last shown (the target
year included), so a year missing from the data stays an empty slot, as in the PDF. The library internals this
needs are in `internals.py`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE, XL_TICK_MARK
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN
from pptx.util import Pt

from reports.briefing.model import ChartSeries
from reports.dossier.languages import untagged
from reports.renderers.chart import (
    BAR_COLOURS,
    BOUND_EDGE,
    BOUND_FILL,
    ESTIMATE_COLOUR,
    TARGET_COLOUR,
    TEXT_COLOUR,
    value_scale,
)
from reports.renderers.docx.internals import CHART_NAMESPACE, chart_element, pptx_element, stacked_column_chart

NUMBER_FORMAT = "#,##0"  # Word shows it with the reader's own separators
GAP_WIDTH = 43  # bars 0.7 of a slot wide, as reports/renderers/chart.py draws them: a gap of 0.3 / 0.7
GRID_COLOUR = "#DDDDDD"
AXIS_COLOUR = "#888888"
WORKBOOK_DATE = "2000-01-01T00:00:00Z"  # the embedded workbook's created/modified: the same bytes every build
_W3CDTF = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_C = f"{{{CHART_NAMESPACE}}}"
_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@dataclass(frozen=True)
class ChartTable:
    """The chart's data as the workbook holds it: a row per year, a column per series, None where empty."""

    years: list[int]
    bars: list[tuple[str, list[float | None], str]]  # name, values, kind (exports, imports, turnover, estimate, at_least)
    path: tuple[str, list[float | None]] | None  # the required path: a dashed line
    target: tuple[str, list[float | None]] | None  # the target: one diamond


@dataclass(frozen=True)
class NativeChart:
    xml: bytes  # the chart part: c:chartSpace, without its c:externalData (added with the relationship)
    workbook: bytes  # the embedded .xlsx


def chart_table(series: ChartSeries) -> ChartTable:
    """Every year from the first to the last shown; a series only where it has a value (the PDF's rule)."""
    drawn = series.target
    shown = [*series.years, *(year for year, _ in series.required_path), *([drawn[0]] if drawn else [])]
    years = list(range(min(shown), max(shown) + 1))
    row = {year: index for index, year in enumerate(years)}

    def column(pairs) -> list[float | None]:
        values: list[float | None] = [None] * len(years)
        for year, value in pairs:
            values[row[year]] = value
        return values

    qualities = series.qualities or ("exact",) * len(series.years)
    data = list(zip(series.years, series.exports, series.imports, series.turnover, qualities, strict=True))
    exact = [(year, exports, imports, turnover) for year, exports, imports, turnover, quality in data if quality == "exact"]
    split = [(year, exports, imports) for year, exports, imports, _ in exact if exports is not None and imports is not None]
    whole = [(year, turnover) for year, exports, imports, turnover in exact if exports is None or imports is None]
    bars = []
    if split:
        bars.append((series.exports_label, column((year, exports) for year, exports, _ in split), "exports"))
        bars.append((series.imports_label, column((year, imports) for year, _, imports in split), "imports"))
    if whole:
        bars.append((series.turnover_label, column(whole), "turnover"))
    for kind, label in (("estimate", series.estimate_label), ("at_least", series.lower_bound_label)):
        whole_years = [(year, turnover) for year, _, _, turnover, quality in data if quality == kind]
        if whole_years:  # as the PDF draws them: the whole year as one bar of its own look
            bars.append((label, column(whole_years), kind))
    path = (series.required_label, column(series.required_path)) if drawn and series.required_path else None
    label = series.target_label.replace(" ", "\u00a0")  # its data label on one line: never "Target: $10 bn by" / "2030"
    target = (label, column([drawn])) if drawn else None
    return ChartTable(years, bars, path, target)


def build_native_chart(series: ChartSeries) -> NativeChart:
    """The chart part's XML and its workbook; nothing is added to any document here, so a failure leaves none."""
    series = untagged(series)  # a chart's labels hold no language tag: a fallen-back name is shown plain
    table = chart_table(series)
    lines = [line for line in (table.path, table.target) if line is not None]
    columns = [(name, values) for name, values, _ in table.bars] + lines
    chart, workbook = stacked_column_chart(table.years, columns, NUMBER_FORMAT)
    space = chart_element(chart)
    if lines:
        _move_last_series_to_a_line_chart(space, len(lines))

    bars = chart.plots[0]
    bars.gap_width, bars.overlap, bars.vary_by_categories = GAP_WIDTH, 100, False
    for bar, (_, _, kind) in zip(bars.series, table.bars, strict=True):
        _style_bar(bar, kind)
        bar.invert_if_negative = False
    if lines:
        _style_lines(chart.plots[1].series, table)

    chart.font.size = Pt(8)
    chart.font.color.rgb = _rgb(TEXT_COLOUR)
    chart.has_title = False  # and no automatic title from a series name: the caption below says what it shows
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    _style_axes(chart, series.value_axis_label, series.category_axis_label)
    _value_scale_as_the_pdf(chart, series)
    if table.target is not None:  # the target is labelled on the chart, as in the PDF: not in the legend
        _hide_legend_entry(space, len(columns) - 1)
    _plain_chart_area(space)
    space.find(f"{_C}chart/{_C}dispBlanksAs").set("val", "span")  # the path is drawn through the years between its points
    xml = etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)
    return NativeChart(xml, _fixed_workbook_dates(workbook))


def _style_bar(bar, kind: str) -> None:
    """The PDF's look: solid colours for official figures, estimates hatched with a dashed outline, lower bounds pale
    with a solid outline."""
    fill, line = bar.format.fill, bar.format.line
    if kind == "estimate":
        fill.patterned()
        fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
        fill.fore_color.rgb, fill.back_color.rgb = _rgb(ESTIMATE_COLOUR), _rgb("#FFFFFF")
        line.color.rgb, line.width, line.dash_style = _rgb(ESTIMATE_COLOUR), Pt(0.8), MSO_LINE_DASH_STYLE.DASH
        return
    fill.solid()
    if kind == "at_least":
        fill.fore_color.rgb = _rgb(BOUND_FILL)
        line.color.rgb, line.width = _rgb(BOUND_EDGE), Pt(0.8)
        return
    fill.fore_color.rgb = _rgb(BAR_COLOURS[kind])


def _move_last_series_to_a_line_chart(space, count: int) -> None:
    """python-pptx writes one chart type per plot: the last `count` series move to a line chart on the same axes."""
    bar_chart = space.find(f"{_C}chart/{_C}plotArea/{_C}barChart")
    axis_ids = [axis.get("val") for axis in bar_chart.findall(f"{_C}axId")]
    line_chart = pptx_element(
        f'<c:lineChart xmlns:c="{CHART_NAMESPACE}"><c:grouping val="standard"/><c:varyColors val="0"/>'
        f'<c:marker val="1"/><c:axId val="{axis_ids[0]}"/><c:axId val="{axis_ids[1]}"/></c:lineChart>'
    )
    marker = line_chart.find(f"{_C}marker")
    for series in bar_chart.findall(f"{_C}ser")[-count:]:
        for bar_only in series.findall(f"{_C}invertIfNegative"):
            series.remove(bar_only)
        marker.addprevious(series)
    bar_chart.addnext(line_chart)


def _style_lines(lines, table: ChartTable) -> None:
    lines = list(lines)
    if table.path is not None:
        path = lines.pop(0)
        path.smooth = False
        path.marker.style = XL_MARKER_STYLE.NONE
        path.format.line.color.rgb = _rgb(TARGET_COLOUR)
        path.format.line.width = Pt(1.4)
        path.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    if table.target is not None:
        target = lines.pop(0)
        target.smooth = False
        target.format.line.fill.background()
        target.marker.style = XL_MARKER_STYLE.DIAMOND
        target.marker.size = 9
        target.marker.format.fill.solid()
        target.marker.format.fill.fore_color.rgb = _rgb(TARGET_COLOUR)
        target.marker.format.line.color.rgb = _rgb(TARGET_COLOUR)
        labels = target.data_labels
        labels.show_series_name, labels.show_value = True, False
        labels.position = XL_LABEL_POSITION.LEFT
        labels.font.size = Pt(7.5)
        labels.font.color.rgb = _rgb(TARGET_COLOUR)


def _style_axes(chart, value_label: str, category_label: str) -> None:
    """A sober look, as the PDF's: a light horizontal grid, grey axis lines, values from zero, grouped thousands."""
    values, categories = chart.value_axis, chart.category_axis
    values.minimum_scale = 0
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb(GRID_COLOUR)
    values.major_gridlines.format.line.width = Pt(0.6)
    values.tick_labels.number_format = NUMBER_FORMAT
    values.tick_labels.number_format_is_linked = False
    for axis in (values, categories):
        axis.format.line.color.rgb = _rgb(AXIS_COLOUR)
        axis.major_tick_mark = XL_TICK_MARK.OUTSIDE
        axis.tick_labels.font.size = Pt(7.5)
    for axis, label in ((values, value_label), (categories, category_label)):
        if label:
            axis.has_title = True
            axis.axis_title.text_frame.text = label
            axis.axis_title.text_frame.paragraphs[0].font.size = Pt(8)
            axis.axis_title.text_frame.paragraphs[0].font.bold = False
    title_body = chart_element(chart).find(f"{_C}chart/{_C}plotArea/{_C}valAx/{_C}title/{_C}tx/{_C}rich/{_DRAWING}bodyPr")
    if title_body is not None:  # read upwards beside the axis, as in the PDF
        title_body.set("rot", "-5400000")
        title_body.set("vert", "horz")


def _value_scale_as_the_pdf(chart, series: ChartSeries) -> None:
    top, step = value_scale(series)
    chart.value_axis.maximum_scale = top
    chart.value_axis.major_unit = step


def _hide_legend_entry(space, index: int) -> None:
    position = space.find(f"{_C}chart/{_C}legend/{_C}legendPos")
    entry = etree.Element(f"{_C}legendEntry")
    etree.SubElement(entry, f"{_C}idx").set("val", str(index))
    etree.SubElement(entry, f"{_C}delete").set("val", "1")
    position.addnext(entry)


def _plain_chart_area(space) -> None:
    """Square corners, no frame and no fill: the chart sits on the page like the picture did."""
    corners = etree.Element(f"{_C}roundedCorners")
    corners.set("val", "0")
    space.find(f"{_C}date1904").addnext(corners)
    shape = etree.Element(f"{_C}spPr")
    etree.SubElement(shape, f"{_DRAWING}noFill")
    etree.SubElement(etree.SubElement(shape, f"{_DRAWING}ln"), f"{_DRAWING}noFill")
    space.find(f"{_C}chart").addnext(shape)


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _fixed_workbook_dates(workbook: bytes) -> bytes:
    """The workbook with its created/modified set to WORKBOOK_DATE: XlsxWriter stamps them with the clock."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _W3CDTF.sub(WORKBOOK_DATE.encode(), content)
            target.writestr(item, content)
    return output.getvalue()
