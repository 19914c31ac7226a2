"""Indicators (docs/dossier-format.md §2): pure functions over a validated dossier; every figure keeps its sources."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from reports.dossier.as_of import point_in_time
from reports.dossier.frames import products_frame, trade_frame
from reports.dossier.model import Dossier, PartialYearRow, ProductRow, Target, TradeRow


@dataclass(frozen=True)
class Figure:
    """One computed number with what a briefing needs to cite it."""

    value: float | None
    unit: str  # "money", "percent", "multiple" or "years"
    years: tuple[int, ...]
    sources: tuple[str, ...]


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


@dataclass(frozen=True)
class TradeYear:
    """A row of the briefing's trade table: gaps stay gaps, nothing is interpolated."""

    row: TradeRow
    yoy_pct: float | None
    exports_share_pct: float | None
    imports_share_pct: float | None


@dataclass(frozen=True)
class PartialYear:
    """The year in progress: January through `months`, against the same months of the year before."""

    row: PartialYearRow
    previous: PartialYearRow | None
    yoy_pct: float | None
    sources: tuple[str, ...]


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


@dataclass(frozen=True)
class ProductShare:
    """A product of the latest year with product rows: its value, share of that year's exports or imports in
    trade.csv and change on the year before (None where the year, or the code in the year before, is missing)."""

    row: ProductRow
    share_pct: float | None
    previous: float | None
    change_pct: float | None
    sources: tuple[str, ...]


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
    return ((last / first) ** (1 / years) - 1) * 100


def _value(frame: pd.DataFrame, year: int | None, metric: str) -> float | None:
    if year is None or year not in frame.index:
        return None
    value = frame.at[year, metric]
    return None if pd.isna(value) else float(value)


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
    elif target.year is None:
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
    return TargetProgress(target, latest, gap, progress, years_left, required, achieved, projected, status, reach, sources)


def compute_indicators(dossier: Dossier, as_of: dt.date) -> Indicators:
    """Every indicator of docs/dossier-format.md §2 on the dossier as it stood on the as-of date (an annual row
    counts once its year is over; see dossier/as_of.py)."""
    dossier = point_in_time(dossier, as_of)
    series = dossier.trade
    frame = trade_frame(series)
    latest_year = int(frame.index.max()) if len(frame) else None
    base_year = dossier.base_year
    source_of = frame["source"].to_dict()
    base = _value(frame, base_year, "turnover")
    latest = _value(frame, latest_year, "turnover")
    span = (latest_year - base_year) if latest_year is not None else 0

    def cite(*years: int | None) -> tuple[str, ...]:
        return tuple(dict.fromkeys(source_of[y] for y in years if y in source_of))

    previous = None if latest_year is None else _value(frame, latest_year - 1, "turnover")
    exports = _value(frame, latest_year, "exports")
    imports = _value(frame, latest_year, "imports")
    has_base = base is not None and latest is not None
    both = (base_year, latest_year)
    figures = {
        "turnover_base": Figure(base, "money", (base_year,), cite(base_year)),
        "turnover_latest": Figure(latest, "money", (latest_year,) if latest_year else (), cite(latest_year)),
        "growth_abs": Figure(latest - base if has_base else None, "money", both, cite(*both)),
        "growth_pct": Figure((_ratio(latest, base) - 1) * 100 if has_base and base else None, "percent", both, cite(*both)),
        "growth_multiple": Figure(_ratio(latest, base) if has_base else None, "multiple", both, cite(*both)),
        "cagr_pct": Figure(cagr_pct(base, latest, span) if has_base else None, "percent", both, cite(*both)),
        "yoy_pct": Figure(
            (latest / previous - 1) * 100 if latest is not None and previous else None,
            "percent",
            (latest_year - 1, latest_year) if latest_year else (),
            cite(latest_year and latest_year - 1, latest_year),
        ),
        "balance": Figure(
            exports - imports if exports is not None and imports is not None else None,
            "money",
            (latest_year,) if latest_year else (),
            cite(latest_year),
        ),
        "coverage_pct": Figure(
            _ratio(exports, imports) * 100 if _ratio(exports, imports) is not None else None,
            "percent",
            (latest_year,) if latest_year else (),
            cite(latest_year),
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


def partial_year(dossier: Dossier) -> PartialYear | None:
    """The latest partial year of a year without an annual row (the dossier as of a date holds only rows that
    were published and whose months were over), with the same months of the year before where known."""
    annual_years = {row.year for row in dossier.trade}
    rows = [row for row in dossier.trade_ytd if row.year not in annual_years]
    if not rows:
        return None
    latest = max(rows, key=lambda row: (row.year, row.months))
    previous = next((r for r in dossier.trade_ytd if (r.year, r.months) == (latest.year - 1, latest.months)), None)
    yoy = (latest.turnover / previous.turnover - 1) * 100 if previous is not None and previous.turnover else None
    sources = tuple(dict.fromkeys([latest.source] + ([previous.source] if previous is not None else [])))
    return PartialYear(latest, previous, yoy, sources)


def mirror_growth(dossier: Dossier) -> MirrorGrowth | None:
    """Growth since the base year on the mirror series alone; None without a mirror file."""
    if not dossier.trade_mirror:
        return None
    frame = trade_frame(dossier.trade_mirror)
    latest_year = int(frame.index.max())
    base = _value(frame, dossier.base_year, "turnover")
    latest = _value(frame, latest_year, "turnover")
    known = base is not None and latest is not None and base > 0
    source_of = {row.year: row.source for row in dossier.trade_mirror}
    return MirrorGrowth(
        dossier.other_partner.code,
        latest_year,
        base,
        latest,
        (latest / base - 1) * 100 if known else None,
        cagr_pct(base, latest, latest_year - dossier.base_year) if known else None,
        tuple(dict.fromkeys(source_of[y] for y in (dossier.base_year, latest_year) if y in source_of)),
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
    trade_source = trade["source"].get(year)
    by_key = {(p.flow, p.code): p for p in dossier.products if p.year == year}

    def share(flow: str) -> tuple[ProductShare, ...]:
        total = _value(trade, year, flow)
        items = []
        for item in latest[latest["flow"] == flow].itertuples(index=False):
            value = float(item.value)  # plain floats from here: no numpy scalar reaches the briefing model
            previous = None if pd.isna(item.previous) else float(item.previous)
            change = (value / previous - 1) * 100 if previous else None
            share_pct = value / total * 100 if total else None
            cited = [item.source] + ([trade_source] if share_pct is not None else [])
            items.append(ProductShare(by_key[(flow, item.code)], share_pct, previous, change, tuple(dict.fromkeys(cited))))
        return tuple(items)

    return Products(year, share("exports"), share("imports"))


def trade_table(series: tuple[TradeRow, ...]) -> tuple[TradeYear, ...]:
    """Year-on-year change where the previous year exists, and the exports/imports shares of turnover."""
    frame = trade_frame(series)
    table = []
    for row in series:
        before = _value(frame, row.year - 1, "turnover")
        yoy = None if before is None or before == 0 else (row.turnover / before - 1) * 100
        split = row.exports is not None and row.imports is not None and row.turnover > 0
        table.append(
            TradeYear(
                row,
                yoy,
                row.exports / row.turnover * 100 if split else None,
                row.imports / row.turnover * 100 if split else None,
            )
        )
    return tuple(table)


def to_contract_json(indicators: Indicators) -> dict:
    """The exact JSON object of docs/dossier-format.md §2."""
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
        "indicators": {name: figure.value for name, figure in indicators.figures.items()},
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
        },
        "targets": [target_record(t) for t in indicators.targets],
    }


def target_record(progress: TargetProgress) -> dict:
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
    }
