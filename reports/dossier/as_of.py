"""A dossier as it stood on a date: what a briefing dated D may say, and nothing that was learnt after D.

The view is a dossier like any other, so every later stage (indicators, the briefing model, every renderer and
language) is point-in-time without knowing it. The one exception is the areas' Markdown bodies: they are the
analyst's current text and are shown as written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from reports.dossier.dates import FuzzyDate
from reports.dossier.model import Dossier, Event

HELD, PLANNED, POSTPONED, CANCELLED = "held", "planned", "postponed", "cancelled"


def published_by(dossier: Dossier, source_id: str, date: dt.date) -> bool:
    """Whether a source was out on `date`; an imprecise source date counts as its last day."""
    source = dossier.sources.get(source_id)
    return source is not None and source.date.last_day <= date


def event_status(event: Event, date: dt.date) -> str:
    """The event's status as known on `date`: as written, except that nothing is held before its first day."""
    if event.status in ("", HELD):
        return HELD if event.date.first_day <= date else PLANNED
    return event.status


def point_in_time(dossier: Dossier, date: dt.date) -> Dossier:
    """The dossier on `date`: annual trade of the years that are over, partial years published and over, key facts,
    targets and commitments known by then, commitment statuses of later dates as unknown, events with their
    status on the day, and no report of an upcoming event's outcome (neither its summary nor its source: an event
    without a source is shown uncited)."""
    areas = tuple(
        replace(
            area,
            key_facts=tuple(
                fact
                for fact in area.key_facts
                if published_by(dossier, fact.source, date) and (fact.year is None or fact.year <= date.year)
            ),
            sources=tuple(s for s in area.sources if published_by(dossier, s, date)),
        )
        for area in dossier.areas
    )
    commitments = tuple(
        c if c.status_as_of is None or c.status_as_of.first_day <= date else replace(c, status="unknown", status_as_of=None)
        for c in dossier.commitments
        if c.agreed_on.first_day <= date
    )
    events = []
    for event in dossier.events:
        status = event_status(event, date)
        upcoming = status == PLANNED and event.last_day >= date
        if upcoming and not published_by(dossier, event.source, date):  # a report of it, published after D
            translations = {lang: {k: v for k, v in t.items() if k != "summary"} for lang, t in event.translations.items()}
            event = replace(event, summary="", source="", translations=translations)
        events.append(replace(event, status=status))
    return replace(
        dossier,
        trade=tuple(row for row in dossier.trade if row.year < date.year),
        trade_mirror=tuple(row for row in dossier.trade_mirror if row.year < date.year),
        trade_ytd=tuple(
            row
            for row in dossier.trade_ytd
            if published_by(dossier, row.source, date) and FuzzyDate(row.year, row.months).last_day < date
        ),
        products=tuple(row for row in dossier.products if row.year < date.year),
        targets=tuple(t for t in dossier.targets if t.set_on.first_day <= date),
        commitments=commitments,
        events=tuple(events),
        areas=areas,
        people=tuple(p for p in dossier.people if p.since.first_day <= date),
    )


def upcoming_events(dossier: Dossier, date: dt.date) -> list[Event]:
    """Planned events whose last day has not passed, soonest first (never a cancelled one)."""
    return sorted((e for e in dossier.events if event_status(e, date) == PLANNED and e.last_day >= date), key=lambda e: e.date)


def chronology_events(dossier: Dossier, date: dt.date) -> list[Event]:
    """The other events that began on or before `date`, oldest first (postponed and cancelled ones included)."""
    upcoming = {e.id for e in upcoming_events(dossier, date)}
    return sorted((e for e in dossier.events if e.id not in upcoming and e.date.first_day <= date), key=lambda e: e.date)
