"""The trade chart, drawn by hand as SVG: inline in the HTML and the PDF, rasterized to PNG for Word.

Why by hand: the chart is simple (stacked bars by year, a dashed line, a star, a legend), and matplotlib
cost about 0.7 s of every PDF build (0.5 s to import it with numpy, 0.2 s to draw one figure), a third of
what a build spent beyond WeasyPrint itself. Writing the SVG elements directly takes milliseconds and imports
nothing but the standard library. Text stays text (`<text>` elements in DejaVu Sans), so the chart's words
can be searched and read aloud in the PDF; their widths, which cannot be measured without a font library,
are estimated generously (`text_width`) so that nothing leaves the drawing.

Why CairoSVG for the PNG: one drawing, two outputs. The Word picture is the very SVG the PDF shows,
rasterized by CairoSVG (by the WeasyPrint authors, on the system's libcairo), so the two cannot drift apart.
It is imported by `chart_png` only: the PDF and HTML never pay for it.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from xml.sax.saxutils import escape, quoteattr

from reports.briefing.model import ChartSeries
from reports.dossier.languages import untagged
from reports.locale.formatting import format_number

SIZE_CM = (16.0, 8.5)
MIN_DPI = 200
PT_PER_CM = 72 / 2.54
WIDTH_PT, HEIGHT_PT = SIZE_CM[0] * PT_PER_CM, SIZE_CM[1] * PT_PER_CM  # user units of the viewBox are points

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies and in greyscale.
EXPORTS_COLOUR = "#0072B2"
IMPORTS_COLOUR = "#56B4E9"
TURNOVER_COLOUR = "#999999"
TARGET_COLOUR = "#D55E00"
TEXT_COLOUR = "#333333"
BAR_COLOURS = {"exports": EXPORTS_COLOUR, "imports": IMPORTS_COLOUR, "turnover": TURNOVER_COLOUR}
# Figures that are not official: an estimate is hatched with a dashed outline, a lower bound is pale with a solid
# outline and an arrow up (the true value is higher). They differ in greyscale too.
ESTIMATE_COLOUR = "#777777"
BOUND_FILL, BOUND_EDGE = "#E4E4E4", "#555555"
HATCH_ID = "trade-chart-estimate"
ARROW_SIZE = 3.5  # the lower bound's arrow: its height in points
GRID_COLOUR = "#dddddd"
AXIS_COLOUR = "#888888"

FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"
TICK_PT = 7.5  # tick labels, legend and the target's label
LABEL_PT = 8.0  # the value axis' title

BAR_WIDTH = 0.7  # of a year's slot
STACK_OVERLAP = 0.3  # points the lower bar of a stack reaches under the upper one, against antialiasing seams
X_MARGIN = 0.6  # slots beyond the first and the last year
HEADROOM = 1.08  # the value axis ends this much above the largest value drawn
PAD = 4.0  # around the drawing
TICK_LENGTH, TICK_PAD = 3.0, 2.5
LINE_WIDTH = 1.4  # the required path
DASHES = (5.6, 4.2)
STAR_RADIUS = 6.0  # outer radius: a 12 pt marker
TARGET_LABEL_OFFSET = 8.0  # between the star and the end of its label
LEGEND_HANDLE, LEGEND_HANDLE_HEIGHT, LEGEND_TEXT_GAP, LEGEND_COLUMN_GAP = 15.0, 5.25, 6.0, 15.0
LEGEND_ROW = 11.0
LEGEND_GAP = 7.0  # between the legend and the plot

NICE_STEPS = (1.0, 2.0, 2.5, 5.0)
MAX_YEAR_TICKS = 11

# Characters XML 1.0 does not allow: dropped, so a stray control character in a label cannot break the page.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Estimated advance widths in em (DejaVu Sans is wide: digits 0.64 em), rounded up.
_NARROW = set(" .,:;'!|()[]ijlrtfI-\u00a0\u202f")
_WIDE = set("mwMW%@—")


def chart_svg(series: ChartSeries, lang: str = "en") -> str:
    """SVG text ready to inline in HTML: no XML declaration or DOCTYPE, the same bytes every time."""
    return _Drawing(untagged(series), lang).svg()  # SVG text has no language tag: a fallen-back name is shown plain


def chart_png(series: ChartSeries, dpi: int = MIN_DPI, lang: str = "en") -> bytes:
    """PNG for Word, which cannot take SVG reliably: the same SVG rasterized, 16 cm at `dpi` (never below 200).

    The dpi is recorded in a pHYs chunk (libcairo writes none) so Word sizes the picture right.
    """
    import cairosvg

    dpi = max(dpi, MIN_DPI)
    png = cairosvg.svg2png(
        bytestring=chart_svg(series, lang).encode("utf-8"),
        dpi=dpi,
        output_width=round(SIZE_CM[0] / 2.54 * dpi),
        background_color="white",
    )
    return _with_resolution(png, dpi)


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of `text` at `size` points in DejaVu Sans (wider than Arial)."""
    em = 0.0
    for char in text:
        if char.isdigit():
            em += 0.64
        elif char in _NARROW:
            em += 0.36
        elif char in _WIDE:
            em += 0.9
        elif char.isupper():
            em += 0.72
        else:
            em += 0.62
    return em * size


def nice_ticks(top: float) -> list[float]:
    """Ticks from 0 to at most `top` at a step of 1, 2, 2.5 or 5 × 10^k, about six of them (5 to 7 when possible)."""
    if not top > 0:
        return [0.0]
    candidates = []
    for exponent in range(max(0, math.floor(math.log10(top)) - 2), math.floor(math.log10(top)) + 2):
        for base in NICE_STEPS:
            step = base * 10**exponent
            if step < 1 or (base == 2.5 and exponent == 0):  # the labels have no decimals
                continue
            count = math.floor(top / step + 1e-9) + 1
            candidates.append((not 5 <= count <= 7, abs(count - 6), step, count))
    *_, step, count = min(candidates)
    return [step * index for index in range(count)]


def year_ticks(first: float, last: float, width: float) -> list[int]:
    """Every year for a span up to 15 years, otherwise a round step that leaves the labels room."""
    low, high = math.ceil(first), math.floor(last)
    if high - low <= 15:
        return list(range(low, high + 1))
    label = text_width("2000", TICK_PT) + 6
    for magnitude in (1, 10, 100, 1000):
        for base in (1, 2, 5):
            step = base * magnitude
            ticks = list(range(math.ceil(low / step) * step, high + 1, step))
            if len(ticks) <= MAX_YEAR_TICKS and len(ticks) * label <= width:
                return ticks
    return [low, high]


def value_scale(series: ChartSeries) -> tuple[float, float]:
    """The value axis as the PDF's chart draws it, (top, step): the Word chart is given the same, so both stop at
    the same height with the same gridlines instead of Word choosing its own round maximum."""
    drawing = _Drawing(series, "en")
    ticks = drawing.value_ticks
    return drawing.top, (ticks[1] - ticks[0]) if len(ticks) > 1 else drawing.top


class _Drawing:
    """The layout of one chart, in points: legend on top, value axis on the left, years at the bottom."""

    def __init__(self, series: ChartSeries, lang: str) -> None:
        self.series = series
        self.lang = lang
        self.target = series.target
        self.has_target = self.target is not None
        self.bars = self._bars()
        self.path = tuple(series.required_path) if self.has_target else ()
        self.legend = self._legend_entries()

        years = [*series.years, *([self.target[0]] if self.target else [])]
        self.x0 = min(years, default=0) - X_MARGIN
        self.x1 = max(years, default=0) + X_MARGIN
        values = [bottom + height for _, _, bottom, height in self.bars]
        values += [value for _, value in self.path]
        if self.target:
            values.append(self.target[1])
        self.top = max(max(values, default=0), 0) * HEADROOM or 1
        self.value_ticks = nice_ticks(self.top)
        self.value_labels = [format_number(value, lang, decimals=0) for value in self.value_ticks]

        # Horizontal layout: axis title, tick labels, ticks, then the plot; room on the right for the last year.
        self.left = PAD + (LABEL_PT * 1.1 + 3 if series.value_axis_label else 0)
        self.left += max((text_width(label, TICK_PT) for label in self.value_labels), default=0)
        self.left += TICK_LENGTH + TICK_PAD
        self.right = WIDTH_PT - PAD
        slot = (self.right - self.left) / (self.x1 - self.x0)
        overhang = max(text_width("2000", TICK_PT) / 2, STAR_RADIUS + 1 if self.has_target else 0)
        self.right -= max(0.0, overhang - X_MARGIN * slot)

        # Vertical layout: legend rows, the plot, the year labels.
        self.legend_rows = self._legend_layout()
        self.legend_top = PAD
        self.plot_top = PAD + len(self.legend_rows) * LEGEND_ROW + LEGEND_GAP if self.legend_rows else PAD + TICK_PT
        self.bottom = HEIGHT_PT - PAD - TICK_LENGTH - TICK_PAD - TICK_PT * 1.0
        self.year_ticks = year_ticks(self.x0, self.x1, self.right - self.left)

    # -- data ---------------------------------------------------------------------------------------

    def _bars(self) -> list[tuple[int, str, float, float]]:
        """(year, kind, bottom, height) bottom to top, year by year; a year without the split is one turnover bar.

        Bars sit at their real years, so a year missing from the data is an empty slot, never filled in.
        """
        series = self.series
        bars = []
        qualities = series.qualities or ("exact",) * len(series.years)
        rows = zip(series.years, series.exports, series.imports, series.turnover, qualities, strict=True)
        for year, exports, imports, turnover, quality in rows:
            if quality in ("estimate", "at_least"):  # the whole year as one bar of its own look
                bars.append((year, quality, 0.0, max(turnover, 0.0)))
            elif exports is None or imports is None:
                bars.append((year, "turnover", 0.0, max(turnover, 0.0)))
            else:
                bars.append((year, "exports", 0.0, max(exports, 0.0)))
                bars.append((year, "imports", max(exports, 0.0), max(imports, 0.0)))
        return bars

    def _legend_entries(self) -> list[tuple[str, str]]:
        """Bars first, in drawing order, then the path; only what is drawn and named."""
        series = self.series
        kinds = {kind for _, kind, _, _ in self.bars}
        entries = [
            (kind, label)
            for kind, label in (
                ("exports", series.exports_label),
                ("imports", series.imports_label),
                ("turnover", series.turnover_label),
                ("estimate", series.estimate_label),
                ("at_least", series.lower_bound_label),
            )
            if kind in kinds
        ]
        if self.path:
            entries.append(("path", series.required_label))
        return [(kind, label) for kind, label in entries if label]

    def _legend_layout(self) -> list[list[tuple[float, str, str]]]:
        """Rows of (x, kind, label): one row if it fits, otherwise the fewest rows of aligned columns that do."""
        entries = self.legend
        if not entries:
            return []
        widths = [LEGEND_HANDLE + LEGEND_TEXT_GAP + text_width(label, TICK_PT) for _, label in entries]
        available = self.right - self.left
        for rows in range(1, len(entries) + 1):
            columns = math.ceil(len(entries) / rows)
            column_widths = [max(widths[index::columns]) for index in range(columns)]
            if sum(column_widths) + LEGEND_COLUMN_GAP * (columns - 1) <= available or columns == 1:
                break
        starts = [self.left + sum(column_widths[:index]) + LEGEND_COLUMN_GAP * index for index in range(columns)]
        placed = [(starts[index % columns], kind, label) for index, (kind, label) in enumerate(entries)]
        return [placed[first : first + columns] for first in range(0, len(placed), columns)]

    # -- coordinates --------------------------------------------------------------------------------

    def x(self, year: float) -> float:
        return self.left + (year - self.x0) / (self.x1 - self.x0) * (self.right - self.left)

    def y(self, value: float) -> float:
        return self.bottom - value / self.top * (self.bottom - self.plot_top)

    # -- output -------------------------------------------------------------------------------------

    def svg(self) -> str:
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(WIDTH_PT)}pt" height="{_n(HEIGHT_PT)}pt"'
            f' viewBox="0 0 {_n(WIDTH_PT)} {_n(HEIGHT_PT)}" class="trade-chart">',
            *self._definitions(),
            *self._grid(),
            *self._bar_elements(),
            *self._axes(),
            *self._target(),
            *self._legend_elements(),
            "</svg>",
        ]
        return "\n".join(parts) + "\n"

    def _grid(self) -> list[str]:
        return [
            f'<line class="grid" x1="{_n(self.left)}" y1="{_n(self.y(v))}" x2="{_n(self.right)}" y2="{_n(self.y(v))}"'
            f' stroke="{GRID_COLOUR}" stroke-width="0.6"/>'
            for v in self.value_ticks
        ]

    def _definitions(self) -> list[str]:
        """The hatching of estimates, only when one is drawn."""
        if not any(kind == "estimate" for _, kind, _, _ in self.bars):
            return []
        return [
            f'<defs><pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="4" height="4"'
            ' patternTransform="rotate(45)">'
            f'<rect width="4" height="4" fill="white"/><line x1="0" y1="0" x2="0" y2="4" stroke="{ESTIMATE_COLOUR}"'
            ' stroke-width="1.6"/></pattern></defs>'
        ]

    def _bar_elements(self) -> list[str]:
        width = BAR_WIDTH * (self.x(1) - self.x(0))
        covered = {year for year, kind, _, height in self.bars if kind == "imports" and height > 0}
        elements = []
        for year, kind, bottom, height in self.bars:
            top, base = round(self.y(bottom + height), 2), round(self.y(bottom), 2)  # stacked bars meet exactly
            if kind == "exports" and year in covered:  # reaches under the imports bar drawn next: no seam between them
                top -= STACK_OVERLAP
            x = self.x(year) - width / 2
            elements.append(
                f'<rect class="bar {kind}" data-year="{year}" x="{_n(x)}" y="{_n(top)}"'
                f' width="{_n(width)}" height="{_n(base - top)}" {_bar_look(kind)}/>'
            )
            if kind == "at_least":
                elements.append(_arrow_up(self.x(year), top - 1.5))
        return elements

    def _axes(self) -> list[str]:
        left, right, bottom = _n(self.left), _n(self.right), _n(self.bottom)
        axis = f'stroke="{AXIS_COLOUR}" stroke-width="0.8"'
        elements = [  # no top or right frame
            f'<line class="axis" x1="{left}" y1="{_n(self.plot_top)}" x2="{left}" y2="{bottom}" {axis}/>',
            f'<line class="axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" {axis}/>',
        ]
        for value, label in zip(self.value_ticks, self.value_labels, strict=True):
            y = self.y(value)
            elements.append(
                f'<line class="tick" x1="{_n(self.left - TICK_LENGTH)}" y1="{_n(y)}" x2="{left}" y2="{_n(y)}"'
                f' stroke="{TEXT_COLOUR}" stroke-width="0.8"/>'
            )
            elements.append(_text(label, self.left - TICK_LENGTH - TICK_PAD, y + 0.36 * TICK_PT, TICK_PT, "end", "value-tick"))
        baseline = self.bottom + TICK_LENGTH + TICK_PAD + 0.76 * TICK_PT
        for year in self.year_ticks:
            x = self.x(year)
            elements.append(
                f'<line class="tick" x1="{_n(x)}" y1="{bottom}" x2="{_n(x)}" y2="{_n(self.bottom + TICK_LENGTH)}"'
                f' stroke="{TEXT_COLOUR}" stroke-width="0.8"/>'
            )
            elements.append(_text(str(year), x, baseline, TICK_PT, "middle", "year-tick"))
        if self.series.value_axis_label:
            x, y = PAD + 0.8 * LABEL_PT, (self.plot_top + self.bottom) / 2
            elements.append(
                _text(self.series.value_axis_label, x, y, LABEL_PT, "middle", "axis-label", f"rotate(-90 {_n(x)} {_n(y)})")
            )
        return elements

    def _target(self) -> list[str]:
        """The growth the target requires as a dashed line, the target as a star labelled on its left."""
        if self.target is None:
            return []
        elements = []
        if self.path:
            points = " L".join(f"{_n(self.x(year))} {_n(self.y(value))}" for year, value in self.path)
            elements.append(
                f'<path class="required-path" d="M{points}" fill="none" stroke="{TARGET_COLOUR}"'
                f' stroke-width="{_n(LINE_WIDTH)}" stroke-dasharray="{_n(DASHES[0])} {_n(DASHES[1])}"/>'
            )
        cx, cy = self.x(self.target[0]), self.y(self.target[1])
        corners = []
        for index in range(10):
            radius = STAR_RADIUS if index % 2 == 0 else STAR_RADIUS * 0.381966
            angle = math.pi * index / 5
            corners.append(f"{_n(cx + radius * math.sin(angle))} {_n(cy - radius * math.cos(angle))}")
        elements.append(
            f'<path class="target" d="M{" L".join(corners)} Z" fill="{TARGET_COLOUR}" stroke="{TARGET_COLOUR}"'
            ' stroke-width="1" stroke-linejoin="round"/>'
        )
        label = self.series.target_label
        if label:
            end = max(cx - TARGET_LABEL_OFFSET, PAD + text_width(label, TICK_PT))
            elements.append(_text(label, end, cy + 0.36 * TICK_PT, TICK_PT, "end", "target-label", fill=TARGET_COLOUR))
        return elements

    def _legend_elements(self) -> list[str]:
        elements = []
        for row, entries in enumerate(self.legend_rows):
            middle = self.legend_top + (row + 0.5) * LEGEND_ROW
            for x, kind, label in entries:
                if kind == "path":
                    elements.append(
                        f'<line class="legend-key path" x1="{_n(x)}" y1="{_n(middle)}" x2="{_n(x + LEGEND_HANDLE)}"'
                        f' y2="{_n(middle)}" stroke="{TARGET_COLOUR}" stroke-width="{_n(LINE_WIDTH)}"'
                        f' stroke-dasharray="{_n(DASHES[0])} {_n(DASHES[1])}"/>'
                    )
                else:
                    elements.append(
                        f'<rect class="legend-key {kind}" x="{_n(x)}" y="{_n(middle - LEGEND_HANDLE_HEIGHT / 2)}"'
                        f' width="{_n(LEGEND_HANDLE)}" height="{_n(LEGEND_HANDLE_HEIGHT)}" {_bar_look(kind)}/>'
                    )
                text_x = x + LEGEND_HANDLE + LEGEND_TEXT_GAP
                elements.append(_text(label, text_x, middle + 0.36 * TICK_PT, TICK_PT, "start", "legend"))
        return elements


def _bar_look(kind: str) -> str:
    """The fill (and outline) of a bar or its legend key."""
    if kind == "estimate":
        return f'fill="url(#{HATCH_ID})" stroke="{ESTIMATE_COLOUR}" stroke-width="0.8" stroke-dasharray="2 1.5"'
    if kind == "at_least":
        return f'fill="{BOUND_FILL}" stroke="{BOUND_EDGE}" stroke-width="0.8"'
    return f'fill="{BAR_COLOURS[kind]}"'


def _arrow_up(x: float, bottom: float) -> str:
    """A small arrow above a lower bound: the true value is higher than the bar."""
    half = ARROW_SIZE * 0.6
    return (
        f'<path class="bound-arrow" d="M{_n(x - half)} {_n(bottom)} L{_n(x)} {_n(bottom - ARROW_SIZE)}'
        f' L{_n(x + half)} {_n(bottom)} Z" fill="{BOUND_EDGE}"/>'
    )


def _text(
    content: str, x: float, y: float, size: float, anchor: str, role: str, transform: str = "", fill: str = TEXT_COLOUR
) -> str:
    """A `<text>` element: presentation attributes only (WeasyPrint warns about `style`), the content escaped."""
    attributes = f'class="{role}" x="{_n(x)}" y="{_n(y)}" font-family="{FONT_FAMILY}" font-size="{_n(size)}" fill="{fill}"'
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if transform:
        attributes += f" transform={quoteattr(transform)}"
    return f"<text {attributes}>{escape(_NOT_XML.sub('', content))}</text>"


def _n(value: float) -> str:
    """A coordinate with two decimals at most: short, and the same on every run."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _with_resolution(png: bytes, dpi: int) -> bytes:
    """The PNG with a pHYs chunk (pixels per metre) after its header, replacing any it had."""
    signature, chunks, offset = png[:8], [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        chunks.append(png[offset : offset + 12 + length])
        offset += 12 + length
    per_metre = round(dpi / 0.0254)
    data = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    physical = struct.pack(">I", 9) + data + struct.pack(">I", zlib.crc32(data))
    kept = [chunk for chunk in chunks if chunk[4:8] != b"pHYs"]
    return signature + kept[0] + physical + b"".join(kept[1:])
