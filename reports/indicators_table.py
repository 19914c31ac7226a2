"""The human-readable table printed by `reports indicators`."""

from __future__ import annotations

from reports.indicators import Indicators
from reports.locale.formatting import format_money, format_multiple, format_percent

LABELS = {
    "turnover_base": "Turnover in the base year",
    "turnover_latest": "Turnover in the latest year",
    "growth_abs": "Growth since the base year",
    "growth_pct": "Growth since the base year",
    "growth_multiple": "Multiple of the base year",
    "cagr_pct": "Average annual growth (CAGR)",
    "yoy_pct": "Change on the previous year",
    "balance": "Trade balance (exports − imports)",
    "coverage_pct": "Coverage (exports / imports)",
}


def _format(value: float | None, unit: str, indicators: Indicators) -> str:
    if unit == "money":
        return format_money(value, indicators.unit, indicators.currency)
    if unit == "multiple":
        return format_multiple(value)
    return format_percent(value)


def indicators_table(indicators: Indicators) -> str:
    """Aligned text: the headline figures, then one block per target."""
    lines = [
        f"Dossier {indicators.dossier_id}, as of {indicators.as_of.isoformat()}: {indicators.reporter} statistics, "
        f"base year {indicators.base_year}, latest year {indicators.latest_year or '–'}",
        "",
    ]
    width = max(len(label) for label in LABELS.values()) + 2
    for name, figure in indicators.figures.items():
        years = "–".join(str(y) for y in figure.years)
        quality = f"   ({figure.quality})" if figure.value is not None and figure.quality != "exact" else ""
        published = "   (published)" if figure.published else ""
        lines.append(f"{LABELS[name]:<{width}}{_format(figure.value, figure.unit, indicators):>14}   {years}{quality}{published}")

    def money(value: float | None) -> str:
        return format_money(value, indicators.unit, indicators.currency)

    for progress in indicators.targets:
        target = progress.target
        lines += [
            "",
            f"Target {target.id}: {money(target.value)} {target.metric} by {target.year or 'no set year'} "
            f"(set {target.set_on}) — status: {progress.status}"
            + (f" (rows: {progress.quality})" if progress.quality != "exact" else ""),
            f"  latest {money(progress.latest)}, gap {money(progress.gap)}, progress {format_percent(progress.progress_pct)}, "
            f"years left {progress.years_left if progress.years_left is not None else '–'}",
            f"  required growth {format_percent(progress.required_cagr_pct)} a year, achieved "
            f"{format_percent(progress.achieved_cagr_pct)} a year, projected {money(progress.projected)}",
        ]
    return "\n".join(lines)
