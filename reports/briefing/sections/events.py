"""Sections on what happened and what is to come: commitments, the chronology and the upcoming events."""

from __future__ import annotations

from reports.briefing.context import BriefingContext
from reports.briefing.model import Column, Paragraph, Section, Span, Table, Unit
from reports.briefing.sections.relevance import event_score
from reports.briefing.words import tidy
from reports.dossier.as_of import chronology_events, upcoming_events
from reports.dossier.model import Event


def commitments(ctx: BriefingContext) -> Section | None:
    w = ctx.words
    commitments = sorted(ctx.dossier.commitments, key=lambda c: c.agreed_on)
    if not commitments:
        return None
    verdicts = ctx.audience.verdicts  # a commitment's status judges how the partners keep their word
    columns = (
        Column(w._("Commitment")),
        Column(w._("Agreed")),
        Column(w._("Due")),
        *((Column(w._("Status")),) if verdicts else ()),
    )
    rows = []
    for c in commitments:
        status = [Span(w.commitment_status_word(c.status), bold=True)]
        if c.status_as_of:
            status.append(Span(" (" + w._("as of {date}", date=w.date(c.status_as_of)) + ")"))
        rows.append(
            (
                (Span(c.text + " "), *ctx.citations.marks(c.source)),
                (Span(w.date(c.agreed_on)),),
                (Span(w.date(c.due)),),
                *((tuple(status),) if verdicts else ()),
            )
        )
    table = Table("", columns, tuple(rows), role="commitments")
    return Section("commitments", w._("Commitments and where they stand"), 1, (table,))


def event_table(
    ctx: BriefingContext, events: list[Event], caption: str, role: str, upcoming: bool = False, keep: Event | None = None
) -> Table:
    """One row per event, each a unit a note may leave out by `event_score`, but `keep` (the next leaders' meeting)."""
    w = ctx.words
    columns = (Column(w._("Date")), Column(w._("Event")))
    rows = []
    for event in events:
        detail = w.event_detail(event)
        cell: list[Span] = [Span(event.title, bold=True), Span(tidy((f" ({detail})" if detail else "") + ". "))]
        status = w.event_status_word(event, ctx.as_of)  # the title ends in a full stop: its summary reads apart
        if status:
            cell.append(Span(status.capitalize() + ". ", bold=True))
        if event.summary and ctx.full:
            cell.append(Span(event.summary + " "))
        when = w.when_planned(event) if upcoming else w.when(event)
        rows.append(((Span(when),), (*cell, *ctx.citations.marks(event.source))))
    units = tuple(Unit("event", e.title, event_score(ctx, e), keep=e == keep) for e in events)
    return Table(caption, columns, tuple(rows), role=role, units=units)


def chronology(ctx: BriefingContext) -> Section | None:
    w = ctx.words
    every = chronology_events(ctx.dossier, ctx.as_of)
    past = milestones(ctx, every)
    if not past:
        return None
    dates = {"first": w.date(past[0].date), "last": w.date(past[-1].date)}
    caption = (
        w._("Events from {first} to {last}, oldest first", **dates)
        if len(past) == len(every)
        else w._("Milestones from {first} to {last}, oldest first", **dates)
    )
    return Section("chronology", w._("Chronology"), 1, (event_table(ctx, past, caption, "chronology"),))


def milestones(ctx: BriefingContext, events: list[Event]) -> list[Event]:
    """The events of the chronology this audience sees: of its kinds, in its last years, its latest few."""
    return within_span(ctx, [e for e in events if e.kind in ctx.audience.chronology_kinds])


def within_span(ctx: BriefingContext, events: list[Event]) -> list[Event]:
    """Of events oldest first, those of the audience's last `chronology_years` calendar years, the latest
    `chronology_limit` of them (a pack's leaders' meetings too)."""
    audience, shown = ctx.audience, events
    if audience.chronology_years is not None:
        shown = [e for e in shown if e.date.first_day.year > ctx.as_of.year - audience.chronology_years]
    if audience.chronology_limit is not None:
        shown = shown[-audience.chronology_limit :]
    return shown


def upcoming(ctx: BriefingContext) -> Section:
    w = ctx.words
    ahead = upcoming_events(ctx.dossier, ctx.as_of)
    if not ahead:
        return Section(
            "upcoming",
            w._("Upcoming events"),
            1,
            (Paragraph((Span(w._("No upcoming events are recorded in the dossier.")),)),),
        )
    leaders = next((e for e in ahead if e.is_leaders_meeting), None)
    shown = ahead[: ctx.audience.upcoming_limit]
    shown += [leaders] if leaders is not None and leaders not in shown else []  # the next leaders' meeting, always
    table = event_table(ctx, shown, "", "chronology", upcoming=True, keep=leaders)
    return Section("upcoming", w._("Upcoming events"), 1, (table,))
