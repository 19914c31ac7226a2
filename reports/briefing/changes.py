"""What a dossier holds on one date that it did not hold on an earlier one: the "Since <date>" section of a
briefing and `reports changes` both read it.

Nothing here decides what was known on a date: both views come from `point_in_time`, and a change is whatever
differs between them. So an event dated before `since` whose report came out after it is new (the reader of the
earlier note did not know of it), and a commitment whose status was reported in between has changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reports.briefing.words import Words
from reports.dossier.as_of import HELD, event_status, point_in_time
from reports.dossier.model import Commitment, Dossier, Event, Person, Target
from reports.dossier.quality import rows_quality
from reports.dossier.vocabulary import LEADERS_MEETING_KINDS
from reports.indicators import PartialYear, TradeYear, partial_year, trade_table

SHORT_LINES = 5  # a short document names at most this many changes, the most important first


@dataclass(frozen=True)
class StatusChange:
    """A commitment as known on the later date, and its status on the earlier one (None: not yet agreed)."""

    commitment: Commitment
    before: str | None


@dataclass(frozen=True)
class Changes:
    since: dt.date
    as_of: dt.date
    events: tuple[Event, ...]  # newly known to have been held, oldest first
    trade: tuple[TradeYear, ...]  # annual rows that newly count, with their change on the year before
    partial: PartialYear | None  # the year in progress, when a newer part of it counts
    targets: tuple[Target, ...]
    commitments: tuple[StatusChange, ...]
    people: tuple[Person, ...]  # newly in office

    def __bool__(self) -> bool:
        return any((self.events, self.trade, self.partial, self.targets, self.commitments, self.people))


def changes(dossier: Dossier, since: dt.date, as_of: dt.date) -> Changes:
    """The changes between the dossier as of `since` and as of `as_of` (`since` before `as_of`). The dossier may
    already be a view as of `as_of` (a briefing's): the view of a view on the same date is the same view."""
    before, after = point_in_time(dossier, since), point_in_time(dossier, as_of)
    held_before = {e.id for e in before.events if event_status(e, since) == HELD}
    events = sorted(
        (e for e in after.events if event_status(e, as_of) == HELD and e.id not in held_before and e.date.first_day <= as_of),
        key=lambda e: e.date,
    )
    years_before = {row.year for row in before.trade}
    trade = tuple(t for t in trade_table(after.trade) if t.row.year not in years_before)
    partial_after, partial_before = partial_year(after), partial_year(before)
    new_partial = partial_after is not None and (
        partial_before is None
        or (partial_before.row.year, partial_before.row.months) != (partial_after.row.year, partial_after.row.months)
    )
    targets_before = {t.id for t in before.targets}
    status_before = {c.id: c.status for c in before.commitments}
    people_before = {p.id for p in before.people if p.until is None or p.until.first_day > since}
    return Changes(
        since=since,
        as_of=as_of,
        events=tuple(events),
        trade=trade,
        partial=partial_after if new_partial else None,
        targets=tuple(t for t in after.targets if t.id not in targets_before),
        commitments=tuple(
            StatusChange(c, status_before.get(c.id))
            for c in after.commitments
            if c.id not in status_before or status_before[c.id] != c.status
        ),
        people=tuple(p for p in after.people if p.id not in people_before and (p.until is None or p.until.first_day > as_of)),
    )


def to_contract_json(found: Changes) -> dict[str, Any]:
    """The JSON of `reports changes --json` (docs/user-guide.md): ids, and for trade the year, months (None for a
    full year) and turnover."""
    trade = [{"year": t.row.year, "months": None, "turnover": t.row.turnover} for t in found.trade]
    if found.partial is not None:
        trade.append({"year": found.partial.row.year, "months": found.partial.row.months, "turnover": found.partial.row.turnover})
    return {
        "since": found.since.isoformat(),
        "as_of": found.as_of.isoformat(),
        "events": [{"id": e.id, "date": str(e.date), "title": e.title} for e in found.events],
        "trade": trade,
        "targets": [{"id": t.id} for t in found.targets],
        "commitments": [{"id": s.commitment.id, "from": s.before, "to": s.commitment.status} for s in found.commitments],
        "people": [{"id": p.id} for p in found.people],
    }


@dataclass(frozen=True)
class ChangeLines:
    """The changes as sentences in one language, by kind, in the order a full document lists them."""

    events: tuple[str, ...]
    trade: tuple[str, ...]
    targets: tuple[str, ...]
    commitments: tuple[str, ...]
    people: tuple[str, ...]
    leaders: tuple[str, ...]  # the events that are leaders' meetings (also in `events`)
    status_changes: tuple[str, ...]  # the commitments whose status changed (also in `commitments`)

    def groups(self, w: Words) -> list[tuple[str, tuple[str, ...]]]:
        """(heading, lines) of every kind that has a change."""
        named = (
            (w._("Events held"), self.events),
            (w._("Trade figures"), self.trade),
            (w._("Targets set"), self.targets),
            (w._("Commitments"), self.commitments),
            (w._("People in office"), self.people),
        )
        return [(heading, lines) for heading, lines in named if lines]

    def short(self) -> tuple[str, ...]:
        """The few most important: leaders' meetings, new trade figures, targets, commitments whose status changed;
        then the rest, up to SHORT_LINES."""
        first = (*self.leaders, *self.trade, *self.targets, *self.status_changes)
        rest = tuple(line for line in (*self.events, *self.commitments, *self.people) if line not in first)
        return (first + rest)[:SHORT_LINES]


def change_lines(found: Changes, w: Words, target_names: dict[str, str]) -> ChangeLines:
    """`target_names`: target id → its name in this language (`Words.target_name`)."""
    events = tuple(w._("{date}: {title}", date=w.when(e), title=e.title) for e in found.events)
    leaders = tuple(line for e, line in zip(found.events, events, strict=True) if e.kind in LEADERS_MEETING_KINDS)
    trade = tuple(_year_line(w, t) for t in found.trade)
    if found.partial is not None:
        trade += (_partial_line(w, found.partial),)
    commitments, status_changes = [], []
    for change in found.commitments:
        c = change.commitment
        if change.before is None:
            line = w._(
                "Agreed {date}: {text} ({status})",
                date=w.date(c.agreed_on),
                text=c.text,
                status=w.commitment_status_word(c.status),
            )
            commitments.append(line)
        else:
            old, new = w.commitment_status_word(change.before), w.commitment_status_word(c.status)
            line = w._("{text}: {old} → {new}", text=c.text, old=old, new=new)
            commitments.append(line)
            status_changes.append(line)
    return ChangeLines(
        events=events,
        trade=trade,
        targets=tuple(
            w._("Target set {date}: {target}", date=w.date(t.set_on), target=target_names.get(t.id, t.id)) for t in found.targets
        ),
        commitments=tuple(commitments),
        people=tuple(w._("{name}, {role}, since {date}", name=p.name, role=p.role, date=w.date(p.since)) for p in found.people),
        leaders=leaders,
        status_changes=tuple(status_changes),
    )


def _year_line(w: Words, year: TradeYear) -> str:
    turnover = w.money(year.row.turnover, rows_quality([year.row.status]))
    if year.yoy_pct is None:
        return w._("Trade in {year}: {turnover}", year=year.row.year, turnover=turnover)
    change = w.percent(year.yoy_pct, signed=True, quality=year.yoy_quality)
    return w._("Trade in {year}: {turnover}, {change} on the year before", year=year.row.year, turnover=turnover, change=change)


def _partial_line(w: Words, partial: PartialYear) -> str:
    period, turnover = w.months(partial.row.year, partial.row.months), w.money(partial.row.turnover, partial.quality)
    if partial.yoy_pct is None:
        return w._("Trade in {period}: {turnover}", period=period, turnover=turnover)
    change = w.percent(partial.yoy_pct, signed=True, quality=partial.yoy_quality)
    return w._(
        "Trade in {period}: {turnover}, {change} on the same months a year before",
        period=period,
        turnover=turnover,
        change=change,
    )
