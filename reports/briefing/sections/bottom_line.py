"""The bottom line a leadership note opens with: two or three sentences from the data, never written by hand.

1. Where trade stands against the live target (the latest year's turnover, how it was reported, the share of the
   target reached and the growth a year it needs); without a live target, the latest turnover alone.
2. The next leaders' meeting (the first upcoming state, official or working visit or summit), or that none is planned.
3. What is due before it: the open commitments due by its first day (by the as-of date plus 12 months when no
   meeting is planned), and how many of them are delayed.
"""

from __future__ import annotations

from reports.briefing.context import BriefingContext
from reports.briefing.model import Paragraph, Section, Span
from reports.briefing.sections.relevance import CLOSED_STATUSES, YEAR
from reports.dossier.as_of import upcoming_events
from reports.indicators import TargetProgress


def bottom_line(ctx: BriefingContext) -> Section | None:
    sentences = [s for s in (trade_sentence(ctx), meeting_sentence(ctx), due_sentence(ctx)) if s]
    if not sentences:
        return None
    return Section("bottom-line", ctx.words._("Bottom line"), 1, (Paragraph((Span(" ".join(sentences)),), "lead"),))


def live_target(ctx: BriefingContext) -> TargetProgress | None:
    """The target still running with the nearest year (an open-ended one last)."""
    live = [p for p in ctx.live_targets if p.latest is not None and (p.target.year is None or p.target.year >= ctx.as_of.year)]
    return min(live, key=lambda p: p.target.year or 9999, default=None)


def trade_sentence(ctx: BriefingContext) -> str:
    """Every figure with the words its quality asks for (about, at least, at most), as everywhere else."""
    w, year = ctx.words, ctx.indicators.latest_year
    latest = ctx.indicators.figures["turnover_latest"]
    if year is None or latest.value is None:
        return ""
    status = next(row.status for row in ctx.indicators.series if row.year == year)
    turnover = w._("{value} in {year}", value=w.money(latest.value, latest.quality), year=year)
    if status != "official":
        turnover += " (" + w.trade_figure_word(status) + ")"
    target = live_target(ctx)
    if target is None:
        return w._("Trade turnover was {turnover}.", turnover=turnover)
    quality = target.qualities
    sentence = w._(
        "Trade turnover was {turnover}: {progress} of the target of {target}.",
        turnover=turnover, progress=w.percent(target.progress_pct, quality=quality["progress_pct"]),
        target=w.target_name(target),
    )  # fmt: skip
    if target.required_cagr_pct is not None and target.status != "met":
        required = w.percent(target.required_cagr_pct, quality=quality["required_cagr_pct"])
        sentence += " " + w._("Reaching it needs growth of {required} a year.", required=required)
    return sentence


def meeting_sentence(ctx: BriefingContext) -> str:
    w = ctx.words
    meeting = next((e for e in upcoming_events(ctx.dossier, ctx.as_of) if e.is_leaders_meeting), None)
    if meeting is None:
        return w._("No leaders' meeting is planned in the dossier.")
    return w._("The next leaders' meeting: {title}, {date}.", title=meeting.title, date=w.when_planned(meeting))


def due_sentence(ctx: BriefingContext) -> str:
    w = ctx.words
    meeting = next((e for e in upcoming_events(ctx.dossier, ctx.as_of) if e.is_leaders_meeting), None)
    by = meeting.date.first_day if meeting is not None else ctx.as_of + YEAR
    due = [c for c in ctx.dossier.commitments if c.status not in CLOSED_STATUSES and c.due is not None and c.due.first_day <= by]
    if not due:
        return w._("No open commitment falls due before it.") if meeting else ""
    delayed = sum(1 for c in due if c.status == "delayed")
    if meeting is not None:
        text = w.ngettext(
            "{count} open commitment is due before it", "{count} open commitments are due before it", len(due), count=len(due)
        )
    else:
        text = w.ngettext(
            "{count} open commitment is due within 12 months",
            "{count} open commitments are due within 12 months",
            len(due),
            count=len(due),
        )
    if delayed:
        text += w.ngettext(", {count} of them delayed", ", {count} of them delayed", delayed, count=delayed)
    return text + "."
