"""The event a pack is for, seen from the dossier: the meetings around it and the commitments ledger.

Both the pack and its points rules read these, so they sit below both.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
from dataclasses import dataclass

from reports.dossier.dates import FuzzyDate
from reports.dossier.model import Commitment, Dossier, Event
from reports.errors import Problem, ReportsError

# the ledger's order within a group
STATUS_URGENCY = ("delayed", "not_started", "unknown", "in_progress", "on_track", "done", "superseded")


# ---------------------------------------------------------------- dates and events


def last_day(date: FuzzyDate) -> dt.date:
    """The last day a possibly imprecise date covers (`2023-10` → 31 October 2023)."""
    if date.day is not None:
        return date.first_day
    if date.month is not None:
        return dt.date(date.year, date.month, calendar.monthrange(date.year, date.month)[1])
    return dt.date(date.year, 12, 31)


def held_within(date: FuzzyDate, event: Event) -> bool:
    """Whether `date` lies wholly within the event's dates (from its date to its end date)."""
    end = event.end_date or event.date
    return event.date.first_day <= date.first_day and last_day(date) <= last_day(end)


def days_until(event: Event, as_of: dt.date) -> int:
    """The event's first day minus the as-of date: a plain difference of calendar dates."""
    return (event.date.first_day - as_of).days


def find_event(dossier: Dossier, event_id: str) -> Event:
    """The event with that id, or exit 2 naming the nearest ids."""
    for event in dossier.events:
        if event.id == event_id:
            return event
    ids = [event.id for event in dossier.events]
    nearest = difflib.get_close_matches(event_id, ids, n=5, cutoff=0.6) or difflib.get_close_matches(event_id, ids, n=5, cutoff=0)
    message = f"no event '{event_id}' in the dossier; nearest ids: {', '.join(nearest) or '(none: the dossier has no events)'}"
    raise ReportsError(Problem(str(dossier.path / "events.csv"), None, "event", message))


def bilateral_meetings_before(events: tuple[Event, ...], event: Event) -> list[Event]:
    """The bilateral leaders' meetings (state, official, working visits) dated before the event, oldest first."""
    earlier = [e for e in events if e.is_bilateral_meeting and e.id != event.id and e.date.first_day < event.date.first_day]
    return sorted(earlier, key=lambda e: (e.date.first_day, str(e.date), e.id))


def previous_leaders_meeting(events: tuple[Event, ...], event: Event) -> Event | None:
    """The latest bilateral leaders' meeting dated before the event (ties: the last in the dossier's order). A summit is
    not one: the two leaders meet there among others, so it is listed as a meeting on the sidelines (`events_between`)."""
    earlier = bilateral_meetings_before(events, event)
    return earlier[-1] if earlier else None


def events_between(events: tuple[Event, ...], previous: Event, event: Event) -> tuple[list[Event], list[Event]]:
    """(summits, every other event) dated from the previous meeting's date to the day before the event, oldest first:
    the summits are the leaders' meetings on the sidelines since the previous bilateral one."""
    found = sorted(
        (
            e
            for e in events
            if e.id not in (previous.id, event.id) and previous.date.first_day <= e.date.first_day < event.date.first_day
        ),
        key=lambda e: (e.date, e.id),
    )
    return [e for e in found if e.kind == "summit"], [e for e in found if e.kind != "summit"]


def events_during(events: tuple[Event, ...], event: Event) -> list[Event]:
    """The other events held within the event's dates (a summit during a state visit)."""
    return sorted((e for e in events if e.id != event.id and held_within(e.date, event)), key=lambda e: (e.date, e.id))


# ---------------------------------------------------------------- the ledger


@dataclass(frozen=True)
class LedgerEntry:
    commitment: Commitment
    delayed: bool
    due_by_event: bool  # due on or before the event's date and not done
    at_previous: bool  # agreed at the previous leaders' meeting

    @property
    def flagged(self) -> bool:
        return self.delayed or self.due_by_event

    @property
    def group(self) -> int:
        """0 flagged, 1 open, 2 done."""
        if self.flagged:
            return 0
        return 2 if self.commitment.status == "done" else 1


def ledger_key(entry: LedgerEntry) -> tuple[int, tuple[int, dt.date], int, dt.date, str]:
    """The ledger's order: group, due date (undated last), status urgency, agreed_on, id."""
    c = entry.commitment
    due = (0, c.due.first_day) if c.due else (1, dt.date.max)
    return (entry.group, due, STATUS_URGENCY.index(c.status), c.agreed_on.first_day, c.id)


def commitments_ledger(commitments: tuple[Commitment, ...], event: Event, previous: Event | None) -> list[LedgerEntry]:
    """Every commitment with its flags, the most urgent first; not a superseded one, which a later commitment or
    target replaced (closed, never asked about, and not "done")."""
    entries = [
        LedgerEntry(
            c,
            delayed=c.status == "delayed",
            due_by_event=c.status != "done" and c.due is not None and c.due.first_day <= event.date.first_day,
            at_previous=previous is not None and held_within(c.agreed_on, previous),
        )
        for c in commitments
        if c.status != "superseded"
    ]
    return sorted(entries, key=ledger_key)
