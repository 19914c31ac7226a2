"""Indicators (docs/dossier-format.md §2): pure functions over a validated dossier; every figure keeps its sources."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from reports.dossier.as_of import point_in_time
from reports.dossier.frames import products_frame, trade_frame
from reports.dossier.model import Dossier, PartialYearRow, ProductRow, Target, TradeRow
from reports.dossier.quality import figure_quality, rows_quality


@dataclass(frozen=True)
class Figure:
    """One computed number with what a briefing needs to cite it."""

    value: float | None
    unit: str  # "money", "percent", "multiple" or "years"
    years: tuple[int, ...]
    sources: tuple[str, ...]
    quality: str = "exact"  # exact, at_least, at_most or estimate (reports/dossier/quality.py)
    published: bool = False  # the value is the source's own (a published change on the previous year)


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    latest: float | None
    gap: float | None
    progress_pct: float | None
    years_left: int | None
    required_cagr_pct: float | None
    achieved_cagr_pct: float | None
    projected: float | None
    status: str
    trend_reach_year: int | None  # when the trend since the base year would reach the value
    sources: tuple[str, ...]
    quality: str = "exact"  # of the rows used: exact, estimate or lower_bound
    # field name (`latest`, `gap`, `progress_pct`, `required_cagr_pct`, `achieved_cagr_pct`, `projected`, and `status`
    # for the figures the status is decided on) → exact, at_least, at_most or estimate
    qualities: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class TradeYear:
    """A row of the briefing's trade table: gaps stay gaps, nothing is interpolated."""

    row: TradeRow
    yoy_pct: float | None
    exports_share_pct: float | None
    imports_share_pct: float | None
    yoy_quality: str = "exact"  # a published change is exact


@dataclass(frozen=True)
class PartialYear:
    """The year in progress: January through `months`, against the same months of the year before."""

    row: PartialYearRow
    previous: PartialYearRow | None
    yoy_pct: float | None
    sources: tuple[str, ...]
    quality: str = "exact"  # of the rows used: exact, estimate or lower_bound
    yoy_quality: str = "exact"
    yoy_published: bool = False


@dataclass(frozen=True)
class MirrorGrowth:
    """Growth since the base year by the other partner's own statistics: a second opinion, never blended."""

    reporter: str
    latest_year: int | None
    turnover_base: float | None
    turnover_latest: float | None
    growth_pct: float | None
    cagr_pct: float | None
    sources: tuple[str, ...]
    quality: str = "exact"  # of the rows used: exact, estimate or lower_bound
    base_quality: str = "exact"  # of turnover_base, turnover_latest and the growth figures
    latest_quality: str = "exact"
    growth_quality: str = "exact"


@dataclass(frozen=True)
class ProductShare:
    """A product of the latest year with product rows: its value, share of that year's exports or imports in
    trade.csv and change on the year before (None where the year, or the code in the year before, is missing)."""

    row: ProductRow
    share_pct: float | None
    previous: float | None
    change_pct: float | None
    sources: tuple[str, ...]
    share_quality: str = "exact"  # the share falls with the year's exports or imports in trade.csv


@dataclass(frozen=True)
class Products:
    """What was traded in the latest year with product rows, each way, largest first."""

    year: int
    exports: tuple[ProductShare, ...]
    imports: tuple[ProductShare, ...]


@dataclass(frozen=True)
class Indicators:
    dossier_id: str
    as_of: dt.date
    currency: str
    unit: str
    reporter: str
    base_year: int
    latest_year: int | None
    series: tuple[TradeRow, ...]
    figures: dict[str, Figure]
    targets: tuple[TargetProgress, ...]
    table: tuple[TradeYear, ...]
    ytd: PartialYear | None = None
    mirror: MirrorGrowth | None = None
    products: Products | None = None


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def cagr_pct(first: float | None, last: float | None, years: int) -> float | None:
    """Compound annual growth in percent between two values `years` apart."""
    if first is None or last is None or first <= 0 or last < 0 or years <= 0:
        return None
    factor: float = (last / first) ** (1 / years)  # a positive base: a real root
    return (factor - 1) * 100


def _value(frame: pd.DataFrame, year: int | None, metric: str) -> float | None:
    if year is None or year not in frame.index:
        return None
    value = cast(float, frame.at[year, metric])  # a number column: a float, NaN where missing (dossier/frames.py)
    return None if pd.isna(value) else float(value)


def _statuses(frame: pd.DataFrame, *years: int | None) -> list[str]:
    """The statuses of the rows of `years` that exist: what a figure computed from them is as exact as."""
    return [str(frame.at[year, "status"]) for year in years if year is not None and year in frame.index]


def target_progress(
    target: Target, frame: pd.DataFrame, base_year: int, latest_year: int | None, sources_by_year: dict[int, str]
) -> TargetProgress:
    """Gap, progress, required growth, projection and status of one target (docs/dossier-format.md §2)."""
    latest = _value(frame, latest_year, target.metric)
    base = _value(frame, base_year, target.metric)
    gap = None if latest is None else target.value - latest
    progress = None if latest is None else latest / target.value * 100
    years_left = None if target.year is None or latest_year is None else target.year - latest_year
    achieved = None if latest_year is None else cagr_pct(base, latest, latest_year - base_year)
    required = projected = None
    if years_left is not None and years_left > 0 and latest:
        required = ((target.value / latest) ** (1 / years_left) - 1) * 100
        if achieved is not None:
            projected = latest * (1 + achieved / 100) ** years_left
    if latest is None:
        status = "unknown"
    elif latest >= target.value:
        status = "met"
    elif target.year is None or years_left is None:  # with a latest value, years_left is None only without a year
        status = "open"
    elif years_left <= 0:
        status = "missed"
    elif projected is not None:
        status = "on_track" if projected >= target.value else "behind"
    else:
        status = "unknown"
    reach = None
    if (
        latest is not None
        and latest_year is not None
        and status != "met"
        and achieved is not None
        and achieved > 0
        and latest > 0
    ):
        reach = latest_year + math.ceil(math.log(target.value / latest) / math.log(1 + achieved / 100) - 1e-9)
    used_years = [y for y in (base_year, latest_year) if y in sources_by_year]
    sources = tuple(dict.fromkeys([target.source] + [sources_by_year[y] for y in used_years]))
    later = _statuses(frame, latest_year) if latest is not None else []
    earlier = _statuses(frame, base_year) if achieved is not None else []
    qualities = {
        "latest": figure_quality(later),
        "progress_pct": figure_quality(later),
        "gap": figure_quality(falling=later),
        "required_cagr_pct": figure_quality(falling=later),
        "achieved_cagr_pct": figure_quality(later, earlier),
        "projected": figure_quality(later, earlier),
    }
    decided_on = {"unknown": (), "on_track": ("projected",), "behind": ("projected",)}.get(status, ("latest",))
    qualities["status"] = next((qualities[f] for f in decided_on if qualities[f] != "exact"), "exact")
    figures = (latest, gap, progress, years_left, required, achieved, projected, status, reach, sources)
    return TargetProgress(target, *figures, rows_quality(later + earlier), qualities)


def compute_indicators(dossier: Dossier, as_of: dt.date) -> Indicators:
    """Every indicator of docs/dossier-format.md §2 on the dossier as it stood on the as-of date (an annual row
    counts once its year is over; see dossier/as_of.py)."""
    dossier = point_in_time(dossier, as_of)
    series = dossier.trade
    frame = trade_frame(series)
    latest_year = int(frame.index.max()) if len(frame) else None
    base_year = dossier.base_year
    source_of = {row.year: row.source for row in series}
    base = _value(frame, base_year, "turnover")
    latest = _value(frame, latest_year, "turnover")
    span = (latest_year - base_year) if latest_year is not None else 0

    def cite(*years: int | None) -> tuple[str, ...]:
        return tuple(dict.fromkeys(source_of[y] for y in years if y in source_of))

    exports = _value(frame, latest_year, "exports")
    imports = _value(frame, latest_year, "imports")
    growth = _ratio(latest, base)
    both = (base_year, latest_year) if latest_year is not None else (base_year,)
    latest_status, base_status = _statuses(frame, latest_year), _statuses(frame, base_year)
    growth_quality = figure_quality(latest_status, base_status)
    year_quality = figure_quality(latest_status, latest_status)  # a split of a lower bound may be off either way
    figures = {
        "turnover_base": Figure(base, "money", (base_year,), cite(base_year), figure_quality(base_status)),
        "turnover_latest": Figure(
            latest, "money", (latest_year,) if latest_year else (), cite(latest_year), figure_quality(latest_status)
        ),
        "growth_abs": Figure(
            latest - base if latest is not None and base is not None else None, "money", both, cite(*both), growth_quality
        ),
        "growth_pct": Figure((growth - 1) * 100 if growth is not None else None, "percent", both, cite(*both), growth_quality),
        "growth_multiple": Figure(growth, "multiple", both, cite(*both), growth_quality),
        "cagr_pct": Figure(cagr_pct(base, latest, span), "percent", both, cite(*both), growth_quality),
        "yoy_pct": change_on_previous_year(frame, latest_year, cite),
        "balance": Figure(
            exports - imports if exports is not None and imports is not None else None,
            "money",
            (latest_year,) if latest_year else (),
            cite(latest_year),
            year_quality,
        ),
        "coverage_pct": Figure(
            coverage * 100 if (coverage := _ratio(exports, imports)) is not None else None,
            "percent",
            (latest_year,) if latest_year else (),
            cite(latest_year),
            year_quality,
        ),
    }
    targets = tuple(target_progress(t, frame, base_year, latest_year, source_of) for t in dossier.targets)
    return Indicators(
        dossier.id,
        as_of,
        dossier.currency,
        dossier.unit,
        dossier.reporter,
        base_year,
        latest_year,
        series,
        figures,
        targets,
        trade_table(series),
        partial_year(dossier),
        mirror_growth(dossier),
        product_ranking(dossier),
    )


def change_on_previous_year(
    frame: pd.DataFrame, latest_year: int | None, cite: Callable[..., tuple[str, ...]] = lambda *years: ()
) -> Figure:
    """The latest year's change on the year before: as its source publishes it where it does (exact, whatever the
    previous row says), else computed from the two rows."""
    if latest_year is None:
        return Figure(None, "percent", (), ())
    years = (latest_year - 1, latest_year)
    published = _value(frame, latest_year, "yoy_pct")
    if published is not None:
        return Figure(published, "percent", years, cite(latest_year), "exact", published=True)
    latest, previous = _value(frame, latest_year, "turnover"), _value(frame, latest_year - 1, "turnover")
    value = (latest / previous - 1) * 100 if latest is not None and previous else None
    quality = figure_quality(_statuses(frame, latest_year), _statuses(frame, latest_year - 1))
    return Figure(value, "percent", years, cite(*years), quality)


def partial_year(dossier: Dossier) -> PartialYear | None:
    """The latest partial year of a year without an annual row (the dossier as of a date holds only rows that
    were published and whose months were over), with the same months of the year before where known."""
    annual_years = {row.year for row in dossier.trade}
    rows = [row for row in dossier.trade_ytd if row.year not in annual_years]
    if not rows:
        return None
    latest = max(rows, key=lambda row: (row.year, row.months))
    previous = next((r for r in dossier.trade_ytd if (r.year, r.months) == (latest.year - 1, latest.months)), None)
    sources = tuple(dict.fromkeys([latest.source] + ([previous.source] if previous is not None else [])))
    if latest.yoy_pct is not None:  # as the source publishes it
        return PartialYear(latest, previous, latest.yoy_pct, sources, rows_quality([latest.status]), "exact", True)
    if previous is None or not previous.turnover:
        return PartialYear(latest, previous, None, sources, rows_quality([latest.status]))
    yoy = (latest.turnover / previous.turnover - 1) * 100
    used = [latest.status, previous.status]
    return PartialYear(latest, previous, yoy, sources, rows_quality(used), figure_quality([latest.status], [previous.status]))


def mirror_growth(dossier: Dossier) -> MirrorGrowth | None:
    """Growth since the base year on the mirror series alone; None without a mirror file."""
    if not dossier.trade_mirror:
        return None
    frame = trade_frame(dossier.trade_mirror)
    latest_year = int(frame.index.max())
    base = _value(frame, dossier.base_year, "turnover")
    latest = _value(frame, latest_year, "turnover")
    growth = _ratio(latest, base) if base is not None and base > 0 else None
    source_of = {row.year: row.source for row in dossier.trade_mirror}
    base_status, latest_status = _statuses(frame, dossier.base_year), _statuses(frame, latest_year)
    return MirrorGrowth(
        dossier.other_partner.code,
        latest_year,
        base,
        latest,
        (growth - 1) * 100 if growth is not None else None,
        cagr_pct(base, latest, latest_year - dossier.base_year),
        tuple(dict.fromkeys(source_of[y] for y in (dossier.base_year, latest_year) if y in source_of)),
        rows_quality(base_status + latest_status),
        figure_quality(base_status),
        figure_quality(latest_status),
        figure_quality(latest_status, base_status),
    )


def product_ranking(dossier: Dossier) -> Products | None:
    """The latest year's products each way by value (ties by code), with share and change; None without products."""
    if not dossier.products:
        return None
    table = products_frame(dossier.products).reset_index()
    year = int(table["year"].max())
    before = table[table["year"] == year - 1].set_index(["flow", "code"])["value"].rename("previous")
    latest = table[table["year"] == year].join(before, on=["flow", "code"])
    latest = latest.sort_values(["value", "code"], ascending=[False, True])
    trade = trade_frame(dossier.trade)
    trade_source = next((row.source for row in dossier.trade if row.year == year), None)
    share_quality = figure_quality(falling=_statuses(trade, year))
    by_key = {(p.flow, p.code): p for p in dossier.products if p.year == year}

    def share(flow: str) -> tuple[ProductShare, ...]:
        total = _value(trade, year, flow)
        items = []
        for item in latest[latest["flow"] == flow].itertuples(index=False):
            # the columns of products_frame: value a float, previous a float or NaN, code and source text
            value = float(cast(float, item.value))  # plain floats from here: no numpy scalar reaches the briefing model
            previous = None if pd.isna(cast(float, item.previous)) else float(cast(float, item.previous))
            change = (value / previous - 1) * 100 if previous else None
            share_pct = value / total * 100 if total else None
            cited = [str(item.source)] + ([trade_source] if share_pct is not None and trade_source is not None else [])
            row = by_key[(flow, str(item.code))]
            items.append(ProductShare(row, share_pct, previous, change, tuple(dict.fromkeys(cited)), share_quality))
        return tuple(items)

    return Products(year, share("exports"), share("imports"))


def trade_table(series: tuple[TradeRow, ...]) -> tuple[TradeYear, ...]:
    """Year-on-year change (as published where the row gives it, else where the previous year exists), and the
    exports/imports shares of turnover."""
    frame = trade_frame(series)
    table = []
    for row in series:
        change = change_on_previous_year(frame, row.year)
        exports_share = imports_share = None
        if row.exports is not None and row.imports is not None and row.turnover > 0:
            exports_share, imports_share = row.exports / row.turnover * 100, row.imports / row.turnover * 100
        table.append(TradeYear(row, change.value, exports_share, imports_share, change.quality))
    return tuple(table)


# the figures whose quality the JSON names (docs/dossier-format.md §2); the two turnovers are the rows' own values
QUALIFIED = ("growth_abs", "growth_pct", "growth_multiple", "cagr_pct", "yoy_pct", "balance", "coverage_pct")


def to_contract_json(indicators: Indicators) -> dict[str, Any]:
    """The exact JSON object of docs/dossier-format.md §2."""
    figures = indicators.figures
    return {
        "dossier": indicators.dossier_id,
        "as_of": indicators.as_of.isoformat(),
        "currency": indicators.currency,
        "unit": indicators.unit,
        "reporter": indicators.reporter,
        "base_year": indicators.base_year,
        "latest_year": indicators.latest_year,
        "series": [
            {
                "year": r.year,
                "exports": r.exports,
                "imports": r.imports,
                "turnover": r.turnover,
                "status": r.status,
                "source": r.source,
            }
            for r in indicators.series
        ],
        "indicators": {
            **{name: figure.value for name, figure in indicators.figures.items()},
            "quality": {name: None if f.value is None else f.quality for name, f in figures.items() if name in QUALIFIED},
            "yoy_published": indicators.figures["yoy_pct"].published,
        },
        "ytd": None
        if indicators.ytd is None
        else {
            "year": indicators.ytd.row.year,
            "months": indicators.ytd.row.months,
            "turnover": indicators.ytd.row.turnover,
            "exports": indicators.ytd.row.exports,
            "imports": indicators.ytd.row.imports,
            "turnover_prev": indicators.ytd.previous.turnover if indicators.ytd.previous else None,
            "yoy_pct": indicators.ytd.yoy_pct,
            "yoy_published": indicators.ytd.yoy_published,
            "quality": indicators.ytd.quality,
        },
        "mirror": None
        if indicators.mirror is None
        else {
            "reporter": indicators.mirror.reporter,
            "latest_year": indicators.mirror.latest_year,
            "turnover_base": indicators.mirror.turnover_base,
            "turnover_latest": indicators.mirror.turnover_latest,
            "growth_pct": indicators.mirror.growth_pct,
            "cagr_pct": indicators.mirror.cagr_pct,
            "quality": indicators.mirror.quality,
        },
        "targets": [target_record(t) for t in indicators.targets],
    }


def target_record(progress: TargetProgress) -> dict[str, Any]:
    """One target as the JSON object of docs/dossier-format.md §2 names its fields (the tables to take away add to it)."""
    return {
        "id": progress.target.id,
        "metric": progress.target.metric,
        "value": progress.target.value,
        "year": progress.target.year,
        "set_on": str(progress.target.set_on),
        "latest": progress.latest,
        "gap": progress.gap,
        "progress_pct": progress.progress_pct,
        "years_left": progress.years_left,
        "required_cagr_pct": progress.required_cagr_pct,
        "projected": progress.projected,
        "status": progress.status,
        "quality": progress.quality,
    }
