"""A dossier as it stood on a date: what a briefing dated D may say, and nothing that was learnt after D.

One rule decides it for every kind of item (`Known.cites_published`): an item is shown only when every source it
cites is published by D. Trade rows, partial years, product rows, key facts, targets, commitments, people,
events and each passage of the areas' and briefs' Markdown prose are judged by it; the dates of the items add
their own conditions (a year that is not over, a target not yet set). Events dated after D are the one
exception: a plan is known before any report of it, so such an event stays (without its report) when it is
planned, or its source is out, or it is the event of the pack being built.

The view is a dossier like any other, so every later stage (indicators, the briefing model, every renderer and
language) is point-in-time without knowing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from reports.dossier.dates import FuzzyDate
from reports.dossier.markdown import without_passages
from reports.dossier.model import Area, Brief, Commitment, Dossier, Event, Person

HELD, PLANNED = "held", "planned"


def published_by(dossier: Dossier, source_id: str, date: dt.date) -> bool:
    """Whether a source was out on `date`; an imprecise source date counts as its last day."""
    source = dossier.sources.get(source_id)
    return source is not None and source.date.last_day <= date


def event_status(event: Event, date: dt.date) -> str:
    """The event's status as known on `date`: as written, except that nothing is held before its first day."""
    if event.status in ("", HELD):
        return HELD if event.date.first_day <= date else PLANNED
    return event.status


@dataclass
class Known:
    """What was known on `date`, and a count of the items left out because they cite a later source."""

    dossier: Dossier
    date: dt.date
    left_out: int = 0

    def cites_published(self, source_ids: Iterable[str]) -> bool:
        """The one rule: every source cited (an empty id cites nothing) is published by the date."""
        return all(published_by(self.dossier, s, self.date) for s in source_ids if s)

    def keep(self, source_ids: Iterable[str], dated_ok: bool = True) -> bool:
        """Whether an item is shown: its own date allows it (`dated_ok`) and its sources are out. Only an item
        its date allows but a later source keeps out is counted."""
        if not dated_ok:
            return False
        if self.cites_published(source_ids):
            return True
        self.left_out += 1
        return False

    def prose(self, body: str) -> str:
        """A Markdown body less the passages that cite a later source."""
        kept, dropped = without_passages(body, self.cites_published, self.dossier.source_by_url)
        self.left_out += dropped
        return kept


def point_in_time(dossier: Dossier, date: dt.date, pack_event: str | None = None) -> Dossier:
    """The dossier on `date` (see the module's docstring)."""
    return as_of_view(dossier, date, pack_event)[0]


def as_of_view(dossier: Dossier, date: dt.date, pack_event: str | None = None) -> tuple[Dossier, int]:
    """The dossier on `date` and how many items it leaves out for citing a later source. `pack_event` is the event
    of the pack being built, which stays whatever its date."""
    known = Known(dossier, date)
    over = date.year  # an annual row counts once its year is over
    view = replace(
        dossier,
        trade=tuple(r for r in dossier.trade if known.keep([r.source], r.year < over)),
        trade_mirror=tuple(r for r in dossier.trade_mirror if known.keep([r.source], r.year < over)),
        trade_ytd=tuple(r for r in dossier.trade_ytd if known.keep([r.source], FuzzyDate(r.year, r.months).last_day < date)),
        products=tuple(r for r in dossier.products if known.keep([r.source], r.year < over)),
        targets=tuple(t for t in dossier.targets if known.keep([t.source], t.set_on.first_day <= date)),
        commitments=tuple(
            _commitment(c, date) for c in dossier.commitments if known.keep([c.source], c.agreed_on.first_day <= date)
        ),
        people=tuple(_person(p, date) for p in dossier.people if known.keep([p.source], p.since.first_day <= date)),
        events=tuple(e for e in (_event(known, e, pack_event) for e in dossier.events) if e is not None),
        areas=tuple(_area(known, area) for area in dossier.areas),
        briefs=tuple(_brief(known, brief) for brief in dossier.briefs if brief.event == pack_event),  # only a pack shows one
    )
    return view, known.left_out


def _commitment(commitment: Commitment, date: dt.date) -> Commitment:
    """A status reported after the date was not known on it."""
    if commitment.status_as_of is None or commitment.status_as_of.first_day <= date:
        return commitment
    return replace(commitment, status="unknown", status_as_of=None)


def _person(person: Person, date: dt.date) -> Person:
    """A departure after the date was not known on it: the person is still in office."""
    return person if person.until is None or person.until.first_day <= date else replace(person, until=None)


def _event(known: Known, event: Event, pack_event: str | None) -> Event | None:
    """The event as known on the date, or None. One dated after the date (a plan) keeps its date, kind, title and
    place, and its summary and citation only when its report is out."""
    date = known.date
    status = event_status(event, date)
    if event.date.first_day <= date and event.id != pack_event:
        return replace(event, status=status) if known.keep([event.source]) else None
    reported = known.cites_published([event.source])
    if not (reported or event.status == PLANNED or event.id == pack_event):
        known.left_out += 1  # neither planned nor reported by then: not known on the date
        return None
    if not reported:
        translations = {lang: {k: v for k, v in t.items() if k != "summary"} for lang, t in event.translations.items()}
        event = replace(event, summary="", source="", translations=translations)
    return replace(event, status=status)


def _area(known: Known, area: Area) -> Area:
    return replace(
        area,
        key_facts=tuple(f for f in area.key_facts if known.keep([f.source], f.year is None or f.year <= known.date.year)),
        sources=tuple(s for s in area.sources if known.cites_published([s])),
        body=known.prose(area.body),
    )


def _brief(known: Known, brief: Brief) -> Brief:
    sections = ((heading, known.prose(text)) for heading, text in brief.sections)
    return replace(brief, sections=tuple((heading, text) for heading, text in sections if text.strip()))


def upcoming_events(dossier: Dossier, date: dt.date) -> list[Event]:
    """Planned events whose last day has not passed, soonest first (never a cancelled one)."""
    return sorted((e for e in dossier.events if event_status(e, date) == PLANNED and e.last_day >= date), key=lambda e: e.date)


def chronology_events(dossier: Dossier, date: dt.date) -> list[Event]:
    """The other events that began on or before `date`, oldest first (postponed and cancelled ones included, and
    planned ones whose last day has passed: no outcome recorded)."""
    upcoming = {e.id for e in upcoming_events(dossier, date)}
    return sorted((e for e in dossier.events if e.id not in upcoming and e.date.first_day <= date), key=lambda e: e.date)
