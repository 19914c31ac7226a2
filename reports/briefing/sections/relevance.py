"""How relevant each unit of a page-limited note is: the scores the fit leaves units out by, lowest first
(reports/briefing/fit.py; the rules in docs/architecture.md, "Fitting a note").

An area's *activity* counts what is going on in it now: each event of the last 12 months that names it (1), its
place on the next event's agenda (2), each open commitment in it due within the next 12 months or already overdue
(1). A key fact scores its area's activity plus its recency (1 for this year's, falling by half each year older;
0 without a year), so the facts of quiet areas go first, the oldest of them first. An area's summary line scores
its activity plus 1: an area keeps its summary longest. Events, meetings and points score by the rules of their
own builders (`event_score`, `ordinal_score`); what must stay (both sides of who's who, every live target, the
next leaders' meeting, the key figures and the bottom line) is marked `keep` or is no unit at all.
"""

from __future__ import annotations

import datetime as dt

from reports.briefing.context import BriefingContext
from reports.briefing.model import Unit
from reports.dossier.as_of import upcoming_events
from reports.dossier.model import Area, Event, KeyFact

YEAR = dt.timedelta(days=365)
CLOSED_STATUSES = ("done", "superseded")
AGENDA_POINTS = 2.0


def next_event(ctx: BriefingContext) -> Event | None:
    """The event a note looks ahead to: the first upcoming one."""
    ahead = upcoming_events(ctx.dossier, ctx.as_of)
    return ahead[0] if ahead else None


def area_activity(ctx: BriefingContext, area: Area, upcoming: Event | None) -> float:
    """Events of the last 12 months naming the area, its place on `upcoming`'s agenda, open commitments due soon."""
    since = ctx.as_of - YEAR
    recent = sum(1 for e in ctx.dossier.events if area.id in e.areas and since <= e.date.first_day <= ctx.as_of)
    agenda = AGENDA_POINTS if upcoming is not None and area.id in upcoming.areas else 0.0
    due = sum(
        1 for c in ctx.dossier.commitments
        if c.area == area.id and c.status not in CLOSED_STATUSES and c.due is not None and c.due.first_day <= ctx.as_of + YEAR
    )  # fmt: skip
    return recent + agenda + due


def recency(ctx: BriefingContext, year: int | None) -> float:
    """1 for the as-of year (or later), halving with each year older; 0 when the year is not known."""
    if year is None:
        return 0.0
    return 0.5 ** max(ctx.as_of.year - year, 0)


def fact_year(ctx: BriefingContext, fact: KeyFact) -> int | None:
    """The fact's own year, else the year of its source."""
    if fact.year is not None:
        return fact.year
    source = ctx.dossier.sources.get(fact.source)
    return source.date.year if source is not None else None


def fact_unit(ctx: BriefingContext, area: Area, fact: KeyFact, activity: float) -> Unit:
    return Unit("fact", fact.text, activity + recency(ctx, fact_year(ctx, fact)))


def summary_unit(area: Area, activity: float) -> Unit:
    return Unit("fact", area.summary, activity + 1)


def event_score(ctx: BriefingContext, event: Event) -> float:
    """A past event by its recency, an upcoming one the sooner the higher (1 to 2)."""
    if event.date.first_day <= ctx.as_of:
        return recency(ctx, event.date.year)
    return 1 + 1 / (1 + (event.date.first_day - ctx.as_of).days / 365)


def ordinal_score(index: int, top: float = 3.0) -> float:
    """A list built most important first (the points by their rule): the first item scores `top`, each next less."""
    return top - index / 100
