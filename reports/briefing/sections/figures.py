"""Sections on the numbers: the key figures and where the targets stand (a table in the report, one sentence
each in the pack)."""

from __future__ import annotations

from reports.briefing.context import BriefingContext
from reports.briefing.model import (
    Block,
    Column,
    Inline,
    ItemList,
    KeyFigure,
    KeyFigures,
    ListItem,
    Paragraph,
    Section,
    Span,
    Table,
    Unit,
)
from reports.briefing.sections.products import products_sentence
from reports.dossier.model import in_language
from reports.dossier.quality import value_quality
from reports.indicators import TargetProgress
from reports.locale.labels import SOURCE_LANGUAGE

PAST_TARGET_SCORE = 0.5  # a target whose year is over: history, below an area's least recent fact


def key_figures(ctx: BriefingContext) -> Section:
    w = ctx.words
    figures = ctx.indicators.figures
    series = {row.year: row for row in ctx.indicators.series}
    year = ctx.indicators.latest_year
    base_year = ctx.dossier.base_year
    shown = ctx.audience.key_figures  # which of them this audience sees; their order is this function's
    items = []
    latest = figures["turnover_latest"]
    if latest.value is not None and year is not None and "turnover" in shown:  # a latest value has its year
        items.append(
            KeyFigure(
                w._("Trade turnover, {year}", year=year),
                w.money(latest.value),
                w.trade_figure_word(series[year].status),
                ctx.numbers(latest.sources),
                w.qualifier(latest.quality),
            )
        )
    ytd = ctx.indicators.ytd
    if ytd is not None and "year_to_date" in shown:
        items.append(
            KeyFigure(
                w.months(ytd.row.year, ytd.row.months),
                w.money(ytd.row.turnover),
                w._(
                    "{change} on the same months of {previous_year}",
                    change=w.percent(ytd.yoy_pct, True, ytd.yoy_quality),
                    previous_year=ytd.row.year - 1,
                )
                if ytd.yoy_pct is not None
                else w.trade_figure_word(ytd.row.status),
                ctx.numbers(ytd.sources),
                w.qualifier(value_quality(ytd.row.status)),
            )
        )
    multiple = figures["growth_multiple"]
    if multiple.value is not None and "growth" in shown:
        base_row = series[base_year]
        base = w.money(base_row.turnover, figures["turnover_base"].quality)
        if base_row.status == "preliminary":  # an estimate or a bound says so in its own words
            base += ", " + w.trade_status_word(base_row.status)
        items.append(
            KeyFigure(
                w._("Growth since {base_year}"),
                w.multiple(multiple.value),
                w._(
                    "{growth_pct} since {base_year} ({base})",
                    growth_pct=w.percent(figures["growth_pct"].value, True, figures["growth_pct"].quality),
                    base=base,
                ),
                ctx.numbers(multiple.sources),
                w.qualifier(multiple.quality),
            )
        )
    mirror = ctx.indicators.mirror
    if (
        mirror is not None
        and mirror.growth_pct is not None  # so both turnovers are known
        and mirror.turnover_latest is not None
        and mirror.turnover_base is not None
        and "partner_growth" in shown
    ):
        items.append(  # the other side's own statistics: a second opinion on growth, never blended with the first
            KeyFigure(
                w._("Growth since {base_year}, {other} statistics"),
                w.multiple(mirror.turnover_latest / mirror.turnover_base),
                w._(
                    "{latest} in {latest_year} against {base} in {base_year}",
                    latest=w.money(mirror.turnover_latest, mirror.latest_quality),
                    latest_year=mirror.latest_year,
                    base=w.money(mirror.turnover_base, mirror.base_quality),
                ),
                ctx.numbers(mirror.sources),
                w.qualifier(mirror.growth_quality),
            )
        )
    cagr = figures["cagr_pct"]
    if cagr.value is not None and "average_growth" in shown:
        items.append(
            KeyFigure(
                w._("Average annual growth"),
                w.percent(cagr.value),
                w._("{base_year}–{year}, compound", year=year),
                ctx.numbers(cagr.sources),
                w.qualifier(cagr.quality),
            )
        )
    yoy = figures["yoy_pct"]
    if yoy.value is not None and year is not None and "change" in shown:
        before = series.get(year - 1)  # a published change may have no row of the year before
        previous = dict(previous=w.money(before.turnover, value_quality(before.status)), previous_year=year - 1) if before else {}
        if not before:
            detail = w._("as published")
        elif yoy.value < 0:
            detail = w._("down from {previous} in {previous_year}", **previous)
        else:
            detail = w._("{previous} in {previous_year}", **previous)
        items.append(
            KeyFigure(
                w._("Change on {previous_year}", previous_year=year - 1),
                w.percent(yoy.value, True),
                detail,
                ctx.numbers(yoy.sources),
                w.qualifier(yoy.quality),
            )
        )
    balance = figures["balance"]
    if balance.value is not None and year is not None and "balance" in shown:
        row = series[year]
        split = value_quality(row.status)
        items.append(
            KeyFigure(
                w._("{reporter} trade balance, {year}", year=year),
                w.money(balance.value),
                w._(
                    "exports {exports}, imports {imports}",
                    exports=w.money(row.exports, split),
                    imports=w.money(row.imports, split),
                ),
                ctx.numbers(balance.sources),
                w.qualifier(balance.quality),
            )
        )
    for progress in ctx.live_targets if "targets" in shown else ():
        if progress.target.year is not None and progress.target.year < (year or 0):
            continue  # a target whose year has passed is told in the targets section, not headlined
        items.append(target_figure(ctx, progress))
    blocks: tuple[Block, ...] = (KeyFigures(tuple(items)),)
    sentence = None if ctx.full else products_sentence(ctx)  # the full briefing has the products' own section
    if sentence is not None:
        blocks += (sentence,)
    return Section("key-figures", w._("Key figures"), 1, blocks)


def target_figure(ctx: BriefingContext, progress: TargetProgress) -> KeyFigure:
    """A target as a key figure: how far it is reached and its status, or without verdicts only the facts
    (`Target for 2030` – `$10 bn` – `$4.97 bn in 2025`)."""
    w, target, quality = ctx.words, progress.target, progress.qualities
    label = (
        w._("Target: {value} by {year}", value=w.money(target.value), year=target.year)
        if target.year
        else w._("Target: {value}", value=w.money(target.value))
    )
    if not ctx.audience.verdicts:
        label = w._("Target for {year}", year=target.year) if target.year else w._("Target")
        detail = w._("{latest} in {year}", latest=w.money(progress.latest, quality["latest"]), year=ctx.indicators.latest_year)
        return KeyFigure(label, w.money(target.value), detail, ctx.numbers(progress.sources))
    detail = w._(
        "{progress} reached; {status}",
        progress=w.money(progress.latest, quality["latest"]),
        status=w.target_status_word(progress.status, quality["status"]),
    )
    value = w.percent(progress.progress_pct)
    return KeyFigure(label, value, detail, ctx.numbers(progress.sources), w.qualifier(quality["progress_pct"]))


def targets(ctx: BriefingContext) -> Section | None:
    w = ctx.words
    if not ctx.live_targets:
        return None
    verdicts = ctx.audience.verdicts
    columns = (
        Column(w._("Target")),
        Column(w._("Set")),
        Column(w._("Latest"), True),
        Column(w._("Progress"), True),
        Column(w._("Needed a year"), True),
        Column(w._("Projected"), True),
        *((Column(w._("Status")),) if verdicts else ()),
    )
    rows = []
    paragraphs: list[Block] = []
    for progress in ctx.live_targets:
        target, quality = progress.target, progress.qualities
        name = w.target_label(progress)
        status = w.target_status_word(progress.status, quality["status"])
        rows.append(
            (
                (Span(name), *ctx.citations.marks(target.source)),
                (Span(w.date(target.set_on)),),
                (Span(w.money(progress.latest, quality["latest"])),),
                (Span(w.percent(progress.progress_pct, quality=quality["progress_pct"])),),
                (Span(w.percent(progress.required_cagr_pct, quality=quality["required_cagr_pct"])),),
                (Span(w.money(progress.projected, quality["projected"])),),
                *(((Span(status, bold=True),),) if verdicts else ()),
            )
        )
        if ctx.full:
            paragraphs.append(Paragraph(target_sentence(ctx, progress)))
    units = tuple(target_unit(ctx, progress) for progress in ctx.live_targets)
    blocks = (Table("", columns, tuple(rows), role="targets", units=units), *paragraphs, *earlier_targets(ctx))
    return Section("targets", w._("Where the targets stand"), 1, blocks)


def target_unit(ctx: BriefingContext, progress: TargetProgress) -> Unit:
    """A live target (open-ended, or its year not past) always stays in a note; a past one may go."""
    target = progress.target
    live = target.year is None or target.year >= ctx.as_of.year
    return Unit("target", ctx.words.target_label(progress), PAST_TARGET_SCORE, keep=live)


def earlier_targets(ctx: BriefingContext) -> tuple[Block, ...]:
    """The full report's one mention of the targets later ones replaced: what each was, when set, how it ended."""
    w = ctx.words
    if not ctx.full or not ctx.earlier_targets:
        return ()
    items = []
    for progress in ctx.earlier_targets:
        line = w._("{target}, set {date}", target=w.target_label(progress), date=w.date(progress.target.set_on))
        if ctx.audience.verdicts:
            line += ": " + w.target_status_word(progress.status)
        items.append(ListItem((Span(line + " "), *ctx.citations.marks(progress.target.source))))
    return (Paragraph((Span(w._("Earlier targets, replaced by those above") + ":", bold=True),)), ItemList(tuple(items)))


def target_description(ctx: BriefingContext, progress: TargetProgress) -> str:
    """The dossier's description of a target; in another language where the dossier has no `description_<lang>`,
    a sentence of the catalog."""
    w = ctx.words
    if ctx.lang == SOURCE_LANGUAGE or "description" in progress.target.translations.get(ctx.lang, {}):
        return in_language(progress.target, ctx.lang).description  # the indicators hold the dossier as written
    return w._("The target: {target}.", target=w.target_label(progress))


def target_sentence(ctx: BriefingContext, progress: TargetProgress) -> Inline:
    w = ctx.words
    target, year, quality = progress.target, ctx.indicators.latest_year, progress.qualities
    text = w._(
        "{description} {latest_year}: {latest} ({progress} of the target).",  # the date it was set is in the table
        description=target_description(ctx, progress),
        latest_year=year,
        latest=w.money(progress.latest, quality["latest"]),
        progress=w.percent(progress.progress_pct, quality=quality["progress_pct"]),
    )
    if progress.required_cagr_pct is not None and progress.projected is not None:
        text += " " + w._(
            "Reaching it needs {required} a year from {latest_year}; "
            "the trend since {base_year} ({achieved} a year) would give {projected} in {year}.",
            required=w.percent(progress.required_cagr_pct, quality=quality["required_cagr_pct"]),
            latest_year=year,
            achieved=w.percent(progress.achieved_cagr_pct, quality=quality["achieved_cagr_pct"]),
            projected=w.money(progress.projected, quality["projected"]),
            year=target.year,
        )
    if progress.trend_reach_year is not None and progress.status in ("behind", "open"):
        text += " " + w._("At that trend the target would be reached in {reach_year}.", reach_year=progress.trend_reach_year)
    status = w.target_status_word(progress.status, quality["status"])
    verdict = (Span(status[:1].upper() + status[1:] + ": ", bold=True),) if ctx.audience.verdicts else ()
    return (*verdict, Span(text + " "), *ctx.citations.marks(*progress.sources))


def targets_section(ctx: BriefingContext) -> Section | None:
    """The pack's targets: one sentence each."""
    w = ctx.words
    if not ctx.live_targets:
        return None
    items = tuple(ListItem(target_line(ctx, p), unit=target_unit(ctx, p)) for p in ctx.live_targets)
    return Section("brief-targets", w._("Targets"), 1, (ItemList(items),))


def target_line(ctx: BriefingContext, progress: TargetProgress) -> Inline:
    """One sentence: `$10 bn by 2030: $4.27 bn in 2024 (42.7 %); requires 15.2 % a year against 10.4 % a year
    achieved since 2017: behind.`"""
    w, quality = ctx.words, progress.qualities
    if progress.latest is None:
        text = w.target_name(progress) + ": " + w._("no figure yet")
    else:
        latest = w._(
            "{latest} in {latest_year} ({progress})",
            latest=w.money(progress.latest, quality["latest"]),
            latest_year=ctx.indicators.latest_year,
            progress=w.percent(progress.progress_pct, quality=quality["progress_pct"]),
        )
        text = f"{w.target_name(progress)}: {latest}"
    if progress.status != "met" and progress.required_cagr_pct is not None and progress.achieved_cagr_pct is not None:
        growth = w._(
            "requires {required} a year against {achieved} a year achieved since {base_year}",
            required=w.percent(progress.required_cagr_pct, quality=quality["required_cagr_pct"]),
            achieved=w.percent(progress.achieved_cagr_pct, quality=quality["achieved_cagr_pct"]),
        )
        text += f"; {growth}"
    if not ctx.audience.verdicts:
        return (Span(text + ". "), *ctx.citations.marks(*progress.sources))
    status = w.target_status_word(progress.status, quality["status"])
    return (Span(text + ": "), Span(status, bold=True), Span(". "), *ctx.citations.marks(*progress.sources))
