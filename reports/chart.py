"""The trade chart: one matplotlib drawing, exported as inline SVG for HTML/PDF and as PNG for Word."""

from __future__ import annotations

import io

import matplotlib
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator

from reports.formatting import format_number
from reports.model import ChartSeries

CM = 1 / 2.54
SIZE_CM = (16.0, 8.5)
MIN_DPI = 200

# Okabe–Ito palette: distinguishable with the common colour-vision deficiencies and in greyscale.
EXPORTS_COLOUR = "#0072B2"
IMPORTS_COLOUR = "#56B4E9"
TURNOVER_COLOUR = "#999999"
TARGET_COLOUR = "#D55E00"
TEXT_COLOUR = "#333333"

# Text as outlines so the SVG looks the same without the fonts; a fixed salt so ids (and bytes) repeat.
SVG_RC = {"svg.fonttype": "path", "svg.hashsalt": "reports-chart"}


def draw_chart(series: ChartSeries, lang: str = "en") -> Figure:
    """Draw turnover by year with the path to the target; `lang` formats the value axis like the text."""
    figure = Figure(figsize=(SIZE_CM[0] * CM, SIZE_CM[1] * CM), layout="constrained")
    axes = figure.add_subplot()
    _draw_bars(axes, series)
    _draw_target(axes, series)
    _style_axes(axes, series, lang)
    _add_legend(figure, axes)
    return figure


def chart_svg(series: ChartSeries, lang: str = "en") -> str:
    """SVG text ready to inline in HTML: no XML declaration or DOCTYPE, no date, the same every time."""
    buffer = io.StringIO()
    with matplotlib.rc_context(SVG_RC):
        draw_chart(series, lang).savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def chart_png(series: ChartSeries, dpi: int = MIN_DPI, lang: str = "en") -> bytes:
    """PNG for Word, which cannot take SVG reliably; the dpi is recorded so Word sizes it right."""
    buffer = io.BytesIO()
    draw_chart(series, lang).savefig(buffer, format="png", dpi=max(dpi, MIN_DPI))
    return buffer.getvalue()


def _draw_bars(axes, series: ChartSeries) -> None:
    """Stacked exports + imports where the split is known, a plain turnover bar where it is not.

    Bars sit at their real years, so a year missing from the data is an empty slot, never filled in.
    """
    split: list[tuple[int, float, float]] = []
    whole: list[tuple[int, float]] = []
    for year, exports, imports, turnover in zip(series.years, series.exports, series.imports, series.turnover, strict=True):
        if exports is None or imports is None:
            whole.append((year, turnover))
        else:
            split.append((year, exports, imports))
    width = 0.7
    if split:
        years, exports, imports = zip(*split, strict=True)
        axes.bar(years, exports, width, color=EXPORTS_COLOUR, label=series.exports_label, zorder=2)
        axes.bar(years, imports, width, bottom=exports, color=IMPORTS_COLOUR, label=series.imports_label, zorder=2)
    if whole:
        years, turnover = zip(*whole, strict=True)
        axes.bar(years, turnover, width, color=TURNOVER_COLOUR, label=series.turnover_label, zorder=2)


def _draw_target(axes, series: ChartSeries) -> None:
    """The target as a labelled star and the growth it requires as a dashed line; nothing without a year."""
    if not _has_target(series):
        return
    if series.required_path:
        years, values = zip(*series.required_path, strict=True)
        axes.plot(
            years,
            values,
            linestyle=(0, (4, 3)),
            linewidth=1.4,
            color=TARGET_COLOUR,
            label=series.required_label or None,
            zorder=3,
        )
    axes.plot(series.target_year, series.target_value, marker="*", markersize=12, linestyle="none", color=TARGET_COLOUR, zorder=4)
    if series.target_label:
        axes.annotate(
            series.target_label,
            (series.target_year, series.target_value),
            xytext=(-8, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=7.5,
            color=TARGET_COLOUR,
        )


def _add_legend(figure: Figure, axes) -> None:
    """Above the plot so it never hides a bar; bars first, in drawing order, then the path."""
    handles, labels = axes.get_legend_handles_labels()
    if not handles:
        return
    order = sorted(range(len(handles)), key=lambda index: not isinstance(handles[index], BarContainer))
    figure.legend(
        [handles[index] for index in order],
        [labels[index] for index in order],
        loc="outside upper left",
        ncols=len(handles) if len(handles) <= 3 else 2,
        frameon=False,
        fontsize=7.5,
    )


def _style_axes(axes, series: ChartSeries, lang: str) -> None:
    """A sober look: no top/right frame, a light horizontal grid, whole years, grouped thousands."""
    years = [*series.years, *([series.target_year] if _has_target(series) else [])]
    first, last = min(years, default=0), max(years, default=0)
    axes.set_xlim(first - 0.6, last + 0.6)
    axes.xaxis.set_major_locator(MultipleLocator(1) if last - first <= 15 else MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f}"))
    axes.set_ylim(0, max(axes.dataLim.y1, 0) * 1.08 or 1)  # from what was drawn: bars, path and star
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, lang, decimals=0)))
    axes.set_ylabel(series.value_axis_label, fontsize=8, color=TEXT_COLOUR)
    axes.tick_params(labelsize=7.5, colors=TEXT_COLOUR, length=3)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color("#888888")


def _has_target(series: ChartSeries) -> bool:
    return series.target_year is not None and series.target_value is not None
