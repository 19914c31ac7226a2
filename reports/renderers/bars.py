"""The compact bar chart (a `BarChart` block), drawn by hand as SVG like the trade chart (reports/renderers/chart.py,
whose fonts, palette and helpers it shares): inline in the HTML and the PDF, rasterized to PNG for Word.

One row per bar: the label on the left (shortened with an ellipsis when it would not fit), the bar, its value
after it. The value axis starts at zero, so bar lengths compare.
"""

from __future__ import annotations

from dataclasses import replace

from reports.briefing.model import BarChart
from reports.dossier.languages import untagged
from reports.renderers.chart import (
    BAR_COLOURS,
    MIN_DPI,
    PT_PER_CM,
    TICK_PT,
    _n,
    _text,
    _with_resolution,
    text_width,
)

WIDTH_CM = 16.0
WIDTH_PT = WIDTH_CM * PT_PER_CM
ROW_PT, BAR_PT, PAD = 14.0, 9.0, 3.0
LABEL_SHARE = 0.38  # of the width, for the labels
VALUE_GAP = 4.0


def _fit(label: str, width: float) -> str:
    """The label, shortened with an ellipsis until its estimated width fits."""
    if text_width(label, TICK_PT) <= width:
        return label
    while label and text_width(label + "…", TICK_PT) > width:
        label = label[:-1]
    return label.rstrip() + "…"


def bars_svg(chart: BarChart) -> str:
    """SVG text ready to inline in HTML: the same bytes every time; labels plain (SVG text has no language tag)."""
    chart = replace(chart, bars=tuple(untagged(bar) for bar in chart.bars))
    height = PAD * 2 + ROW_PT * len(chart.bars)
    label_width = WIDTH_PT * LABEL_SHARE
    widest_value = max((text_width(bar.value_text, TICK_PT) for bar in chart.bars), default=0.0)
    room = WIDTH_PT - label_width - VALUE_GAP * 2 - widest_value - PAD
    top = max((bar.value for bar in chart.bars), default=0.0) or 1.0
    colour = BAR_COLOURS[chart.colour]
    elements = []
    for index, bar in enumerate(chart.bars):
        y = PAD + index * ROW_PT
        middle = y + ROW_PT / 2 + TICK_PT * 0.35
        length = max(bar.value, 0.0) / top * room
        x = label_width + VALUE_GAP
        elements.append(_text(_fit(bar.label, label_width - PAD - VALUE_GAP), PAD, middle, TICK_PT, "start", "label"))
        elements.append(
            f'<rect x="{_n(x)}" y="{_n(y + (ROW_PT - BAR_PT) / 2)}" width="{_n(length)}" height="{_n(BAR_PT)}" fill="{colour}"/>'
        )
        elements.append(_text(bar.value_text, x + length + VALUE_GAP, middle, TICK_PT, "start", "value"))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(WIDTH_PT)} {_n(height)}" '
        f'width="{_n(WIDTH_PT)}pt" height="{_n(height)}pt">' + "".join(elements) + "</svg>"
    )


def bars_png(chart: BarChart, dpi: int = MIN_DPI) -> bytes:
    """PNG for Word: the same SVG rasterized at `dpi` (never below 200), its resolution recorded."""
    import cairosvg

    dpi = max(dpi, MIN_DPI)
    png = cairosvg.svg2png(
        bytestring=bars_svg(chart).encode("utf-8"),
        dpi=dpi,
        output_width=round(WIDTH_CM / 2.54 * dpi),
        background_color="white",
    )
    return _with_resolution(png, dpi)
