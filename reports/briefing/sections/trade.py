"""The trade section: the lead, the chart, the table by year, the notes and the mirror statistics."""

from __future__ import annotations

from reports.briefing.context import BriefingContext
from reports.briefing.model import Block, Chart, ChartSeries, Column, ItemList, ListItem, Paragraph, Section, Span, Table
from reports.dossier.model import TradeRow
from reports.dossier.quality import figure_quality, value_quality
from reports.indicators import TargetProgress


def trade(ctx: BriefingContext) -> Section | None:
    w = ctx.words
    table = ctx.indicators.table
    if not table:
        return None
    statuses = sorted({w.trade_status_word(row.row.status) for row in table})
    blocks: list[Block] = [
        Paragraph(
            (
                Span(
                    w._(
                        "Trade as reported by {reporter} ({status_note}). Exports are {reporter}'s exports to {other}.",
                        status_note=", ".join(statuses),
                    )
                ),
            ),
            "lead",
        )
    ]
    figure = chart(ctx)
    if figure is not None:
        blocks.append(figure)
    columns = (
        Column(w._("Year")),
        Column(w._("Exports to {other}"), True),
        Column(w._("Imports from {other}"), True),
        Column(w._("Turnover"), True),
        Column(w._("Change"), True),
        Column(w._("Status")),
        Column(w._("Source")),
    )
    rows = tuple(
        (
            (Span(str(y.row.year)),),
            *((Span(w.number(value, value_quality(y.row.status))),) for value in (y.row.exports, y.row.imports, y.row.turnover)),
            (Span(w.percent(y.yoy_pct, True, y.yoy_quality)),),
            (Span(w.trade_status_word(y.row.status)),),
            ctx.citations.marks(y.row.source),
        )
        for y in table
    )
    ytd = ctx.indicators.ytd
    if ytd is not None:  # the year in progress, under the full years: its change is on the same months a year before
        values = (ytd.row.exports, ytd.row.imports, ytd.row.turnover)
        rows += (
            (
                (Span(w.months(ytd.row.year, ytd.row.months)),),
                *((Span(w.number(value, value_quality(ytd.row.status))),) for value in values),
                (Span(w.percent(ytd.yoy_pct, True, ytd.yoy_quality)),),
                (Span(w.trade_status_word(ytd.row.status)),),
                ctx.citations.marks(*ytd.sources),
            ),
        )
    blocks.append(Table(w._("Trade between {reporter} and {other}, {currency} {unit}, {reporter} statistics"), columns, rows))
    fall = fall_sentence(ctx)
    if fall is not None:
        blocks.insert(1, Paragraph((Span(fall),), "lead"))
    years = [y.row.year for y in table]
    gaps = [str(year) for year in range(years[0], years[-1] + 1) if year not in years]
    if gaps:
        blocks.append(
            Paragraph(
                (Span(w._("Years without a figure in the sources are left empty: {years}.", years=", ".join(gaps))),),
                "note",
            )
        )
    if ctx.full:
        shown = (ctx.shown(y.row, "trade") for y in table)  # the indicators hold the rows as written
        notes = tuple(
            ListItem((Span(f"{row.year}: ", bold=True), Span(row.note + " "), *ctx.citations.marks(row.source)))
            for row in shown
            if row.note
        )
        if notes:
            blocks.append(ItemList(notes))
        blocks += mirror_blocks(ctx)
    return Section("trade", w._("Trade"), 1, tuple(blocks))


def mirror_blocks(ctx: BriefingContext) -> list[Block]:
    """Both sides' turnover per year, side by side with the gap in %: compared, never blended into one series."""
    w = ctx.words
    mirror = {row.year: row for row in ctx.dossier.trade_mirror if row.year <= ctx.as_of.year}
    if not mirror:
        return []
    own = {row.year: row for row in ctx.dossier.trade if row.year <= ctx.as_of.year}

    def turnover(row: TradeRow | None) -> str:
        if row is None:
            return "–"
        text = w.number(row.turnover, value_quality(row.status))
        return text if row.status == "official" else f"{text} ({w.trade_status_word(row.status)})"

    columns = (
        Column(w._("Year")),
        Column(w._("{side} statistics", side=w.values["reporter"]), True),
        Column(w._("{side} statistics", side=w.values["other"]), True),
        Column(w._("Gap"), True),
        Column(w._("Source")),
    )
    rows = []
    for year in sorted(own.keys() | mirror.keys()):
        reported, mirrored = own.get(year), mirror.get(year)
        gap = quality = None
        if reported and mirrored and reported.turnover:
            gap = (mirrored.turnover / reported.turnover - 1) * 100
            quality = figure_quality([mirrored.status], [reported.status])
        rows.append(
            (
                (Span(str(year)),),
                (Span(turnover(reported)),),
                (Span(turnover(mirrored)),),
                (Span(w.percent(gap, True, quality)),),
                ctx.citations.marks(*(row.source for row in (reported, mirrored) if row is not None)),
            )
        )
    gap_note = w._(
        "Gap: {other}'s figure against {reporter}'s, as a percentage of {reporter}'s. "
        "Figures marked estimate or preliminary are not final."
    )
    why = w._(
        "Why the figures differ: each side values its imports with freight and insurance (CIF) and its exports without "
        "(FOB); one side may count goods by country of origin and the other by country of consignment, so transit and "
        "re-exports through third countries fall differently; shipments crossing the border at the turn of a year are "
        "booked in different years; customs regimes and coverage (energy, electricity, gold) differ; and figures are "
        "revised after first publication. The two series are therefore shown side by side, never mixed, and every "
        "indicator uses {reporter} statistics."
    )
    return [
        Table(w._("Mirror statistics: turnover as each side records it, {currency} {unit}"), columns, tuple(rows)),
        Paragraph((Span(gap_note),), "note"),
        Paragraph((Span(why),), "note"),
    ]


def chart_target(ctx: BriefingContext) -> TargetProgress | None:
    """The target the chart shows: the latest set of those still ahead on the turnover metric."""
    ahead = [p for p in ctx.live_targets if p.target.metric == "turnover" and p.target.year and p.years_left and p.years_left > 0]
    return max(ahead, key=lambda p: p.target.set_on.first_day, default=None)


def chart(ctx: BriefingContext) -> Chart | None:
    w = ctx.words
    rows = ctx.indicators.series
    if not rows:
        return None
    target = chart_target(ctx)
    path: tuple[tuple[int, float], ...] = ()
    year = ctx.indicators.latest_year
    if target is not None and target.required_cagr_pct is not None:  # so a latest value, its year and the target's year
        growth, latest, last = 1 + target.required_cagr_pct / 100, target.latest, target.target.year
        if latest is not None and year is not None and last is not None:
            path = tuple((y, latest * growth ** (y - year)) for y in range(year, last + 1))
    series = ChartSeries(
        years=tuple(r.year for r in rows),
        exports=tuple(r.exports for r in rows),
        imports=tuple(r.imports for r in rows),
        turnover=tuple(r.turnover for r in rows),
        exports_label=w._("{reporter} exports"),
        imports_label=w._("{reporter} imports"),
        turnover_label=w._("Turnover (no split)"),
        value_axis_label=w._("{currency} {unit}"),
        category_axis_label=w._("Year"),
        target_year=target.target.year if target else None,
        target_value=target.target.value if target else None,
        target_label=w._("Target: {value} by {year}", value=w.money(target.target.value), year=target.target.year)
        if target
        else "",
        required_path=path,
        required_label=w._("Required path"),
        qualities=tuple(value_quality(r.status) for r in rows),
        estimate_label=w._("Turnover, estimate"),
        lower_bound_label=w._("Turnover, lower bound (at least)"),
    )
    words = {
        "first": rows[0].year,
        "last": rows[-1].year,
        "last_year": rows[-1].year,
        "latest": w.money(rows[-1].turnover, value_quality(rows[-1].status)),
    }
    alt = (
        w._(
            "Bar chart of trade turnover from {first} to {last}; latest {latest} in {last_year}; {target}.",
            target=series.target_label,
            **words,
        )
        if target
        else w._("Bar chart of trade turnover from {first} to {last}; latest {latest} in {last_year}.", **words)
    )
    return Chart(w._("Turnover by year, {currency} {unit}, with the path required to reach the target"), alt, series)


def fall_sentence(ctx: BriefingContext) -> str | None:
    """A decline said in words: the latest full year below the highest year before it (a fall of one year or
    several), so that no reader has to find it in the table."""
    w = ctx.words
    table = ctx.indicators.table
    latest = table[-1].row
    earlier = [y.row for y in table[:-1]]
    if not earlier:
        return None
    peak = max(earlier, key=lambda row: row.turnover)
    if latest.turnover >= peak.turnover or latest.status == "lower_bound":  # "more than X" below the peak: no fall shown
        return None
    return w._(
        "Turnover fell: {latest} in {latest_year} against {peak} in {peak_year} ({change}).",
        latest=w.money(latest.turnover, value_quality(latest.status)),
        latest_year=latest.year,
        peak=w.money(peak.turnover, value_quality(peak.status)),
        peak_year=peak.year,
        change=w.percent((latest.turnover / peak.turnover - 1) * 100, True, figure_quality([latest.status], [peak.status])),
    )
