"""The pack's commitments ledger (see `reports/briefing/events.py` for its order): flags, dates and status."""

from __future__ import annotations

import datetime as dt

from reports.briefing.context import BriefingContext
from reports.briefing.events import LedgerEntry
from reports.briefing.model import Block, Column, Inline, ItemList, ListItem, Paragraph, Section, Span, Table, Unit
from reports.briefing.sections.relevance import ordinal_score
from reports.dossier.model import Commitment
from reports.dossier.text import first_sentence


def short_text(ctx: BriefingContext, commitment: Commitment) -> str:
    """The commitment in full at depth `full`, else its first sentence."""
    return commitment.text if ctx.full else first_sentence(commitment.text)


def commitment_status(ctx: BriefingContext, commitment: Commitment) -> str:
    """`delayed (as of 2024)`."""
    w = ctx.words
    text = w.commitment_status_word(commitment.status)
    if commitment.status_as_of:
        text += " (" + w._("as of {date}", date=w.date(commitment.status_as_of)) + ")"
    return text


OPEN_SCORE = 2.0  # and an open one less long than the points
FLAGGED_SCORE = 4.0  # a note keeps a flagged commitment longer than any point to make (relevance.py)


def ledger_section(ctx: BriefingContext, ledger: list[LedgerEntry], event_day: dt.date) -> Section:
    """Every commitment in the ledger's order: the flagged ones in a table, the others in tables at depth `full`
    and in the short pack the open ones the note has room for, soonest due first, under a caption saying how many of
    how many it shows, and the number done."""
    w = ctx.words
    if not ledger:
        return Section(
            "ledger",
            w._("Commitments ledger"),
            1,
            (Paragraph((Span(w._("No commitments are recorded in the dossier.")),)),),
        )
    lead = w._(
        "Every commitment: due by the event ({date}) or delayed first, then open, then done; each group by due date.",
        date=w.date(event_day),
    )
    blocks: list[Block] = [Paragraph((Span(lead),), "note")] if ctx.full else []  # two pages: the captions say it
    columns = (
        Column(w._("Commitment")),
        Column(w._("Agreed")),
        Column(w._("Due")),
        Column(w._("Status")),
    )
    for group in range(3):
        entries = [entry for entry in ledger if entry.group == group]
        if not entries:
            continue
        count = len(entries)
        caption = (
            w._("Flagged: due by the event or delayed ({count})", count=count),
            w._("Open ({count})", count=count),
            w._("Done ({count})", count=count),
        )[group]
        if ctx.full or group == 0:
            rows = tuple(ledger_row(ctx, entry) for entry in entries)
            units = tuple(
                Unit("commitment", short_text(ctx, e.commitment), FLAGGED_SCORE - i / 100) for i, e in enumerate(entries)
            )
            blocks.append(Table(caption, columns, rows, role="commitments", units=() if ctx.full else units))
        elif group == 1:  # the short pack: the open ones, soonest due first, as many as the note has room for
            items = tuple(
                ListItem(
                    ledger_line(ctx, e), unit=Unit("commitment", short_text(ctx, e.commitment), ordinal_score(i, OPEN_SCORE))
                )
                for i, e in enumerate(entries)
            )
            shown = (w._("Open: {count}, all in the ministry pack", count=count),) + tuple(
                w._("Open: {shown} of {count} (all in the ministry pack)", shown=shown, count=count) for shown in range(1, count)
            )
            blocks += [Paragraph((Span(caption, bold=True),)), ItemList(items, shown_captions=(*shown, caption))]
        else:  # done: a count is what a short pack needs
            blocks.append(Paragraph((Span(caption, bold=True),)))
    return Section("ledger", w._("Commitments ledger"), 1, tuple(blocks))


def ledger_line(ctx: BriefingContext, entry: LedgerEntry, with_status: bool = True) -> Inline:
    """`Text [n] – due 2026; unknown (as of 2025)` for the short pack; the agreed date only for the previous meeting."""
    w = ctx.words
    c = entry.commitment
    parts = (
        [w._("agreed {date}", date=w.date(c.agreed_on)) + ", " + w._("agreed at the previous leaders' meeting")]
        if entry.at_previous
        else []
    )
    if c.due:
        parts.append(w._("due {date}", date=w.date(c.due)))
    if with_status:
        parts.append(commitment_status(ctx, c))
    text = short_text(ctx, c)
    return (Span(text + " "), *ctx.citations.marks(c.source), *((Span(" – " + "; ".join(parts)),) if parts else ()))


def ledger_row(ctx: BriefingContext, entry: LedgerEntry) -> tuple[Inline, ...]:
    w = ctx.words
    c = entry.commitment
    flags = [
        Span(text, bold=True)
        for text, on in ((w._("Delayed.") + " ", entry.delayed), (w._("Due by the event.") + " ", entry.due_by_event))
        if on
    ]
    agreed: Inline = (Span(w.date(c.agreed_on)),)
    if entry.at_previous:
        agreed += (Span(", " + w._("agreed at the previous leaders' meeting"), italic=True),)
    status: Inline = (Span(w.commitment_status_word(c.status), bold=entry.flagged),)
    if c.status_as_of:
        status += (Span(" (" + w._("as of {date}", date=w.date(c.status_as_of)) + ")"),)
    return (
        (*flags, Span(short_text(ctx, c) + " "), *ctx.citations.marks(c.source)),
        agreed,
        (Span(w.date(c.due)),),
        status,
    )
