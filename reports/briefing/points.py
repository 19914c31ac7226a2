"""Points to make and points to expect in a briefing pack: every rule in one place, for an analyst to adjust.

A rule is a small function that reads a `PointsContext` (the dossier as the audience sees it, the indicators,
the event, the previous leaders' meeting, the commitments ledger, the pack's words and citations) and returns
its points. The pack builds one (`BriefBuilder.points_context()`); a test can build its own or take the pack's,
so each rule can be checked alone. A point is one inline text; its `[n]` marks cite the sources of the data it rests on.
`RULES` lists the rules in the order their points appear; each rule's own points come in the dossier's
order (targets as in dossier.yaml, commitments in the ledger's order, areas by `order`). Nothing else
goes in, so the same data always gives the same points. The sentences are English messages of the catalogs
(`reports/locale/labels.py`), translated into the pack's language.

Points to make:
1. `target_behind`: a target whose status is `behind` → press for steps to speed up trade. It names no areas:
   nothing in the format marks a key fact as a project, and a money key fact may be contracts signed at a forum,
   a portfolio of deals or trade itself, so "the largest joint projects" could not be told from the data.
2. `target_progress`: a target whose status is `met` or `on_track` → welcome the progress (a met target is
   never pressed).
3. `delayed_commitment`: a commitment whose status is `delayed` → ask for a new timetable.
4. `dormant_area`: areas not on the event's own agenda (`PointsContext.agenda`) with no activity in the
   DORMANT_YEARS years before the event's date (from the same calendar day DORMANT_YEARS years earlier to the
   day before): no event, no commitment agreed or updated (`agreed_on`, `status_as_of`) and no key fact whose
   `year` falls in the window → one point proposing to revive them, naming each with its last event (or saying
   none is recorded).

Points to expect:
5. `due_commitment`: a commitment due on or before the event's date, not done and not delayed (a delayed one is
   already rule 3's ask) → expect questions on it; prepare the latest position.
6. `previous_meeting_commitment`: a commitment agreed at the previous (bilateral) leaders' meeting, open and
   neither due by the event nor delayed (rules 3 and 5 cover those) → expect a review of what was agreed there.

One point per fact: a commitment is the subject of at most one point. A `superseded` commitment (closed) and a
`done` one are never the subject of a point, and neither is a target that is met, except to welcome it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from reports.briefing.citations import Citations
from reports.briefing.context import live_targets
from reports.briefing.events import LedgerEntry
from reports.briefing.model import Inline, Span
from reports.briefing.words import Words
from reports.dossier.dates import FuzzyDate
from reports.dossier.model import Area, Commitment, Dossier, Event
from reports.dossier.text import first_sentence
from reports.indicators import Indicators

DORMANT_YEARS = 2  # an area with no activity in this many years before the event is dormant


# ---------------------------------------------------------------- what the rules look at


@dataclass(frozen=True)
class PointsContext:
    """Everything a rule may read: the data of the pack, and its words and citations so that a point is phrased
    and cited like the rest of the pack. The pack builds one (`BriefBuilder.points_context`); a test may build its own."""

    dossier: Dossier  # as the audience sees it
    indicators: Indicators
    event: Event
    previous: Event | None  # the previous leaders' meeting
    ledger: list[LedgerEntry]
    words: Words
    citations: Citations
    agenda: frozenset[str] = frozenset()  # the areas on the event's own agenda (BriefBuilder.own_agenda)

    @property
    def event_day(self) -> dt.date:
        return self.event.date.first_day


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def commitment_words(context: PointsContext, commitment: Commitment) -> dict[str, str]:
    return {
        "text": first_sentence(commitment.text).rstrip("."),
        "due": context.words.date(commitment.due),
        "status": context.words.commitment_status_word(commitment.status),
    }


# ---------------------------------------------------------------- the rules


def target_behind(context: PointsContext) -> list[Inline]:
    """A target behind schedule → press for steps to speed up trade. It names no areas: the format has nothing that
    marks a key fact as a project, and a money figure may as well be contracts signed at a forum or a portfolio."""
    points = []
    for progress in live_targets(context.indicators.targets, context.indicators.as_of):
        if progress.status != "behind":
            continue
        quality = progress.qualities
        words = {
            "target": context.words.target_name(progress),
            "latest": context.words.money(progress.latest, quality["latest"]),
            "latest_year": context.indicators.latest_year,
            "required": context.words.percent(progress.required_cagr_pct, quality=quality["required_cagr_pct"]),
            "achieved": context.words.percent(progress.achieved_cagr_pct, quality=quality["achieved_cagr_pct"]),
        }
        if quality["status"] == "exact":
            text = context.words._(
                "Trade is behind the target of {target}: {latest} in {latest_year} needs {required} a year against "
                "{achieved} a year achieved since {base_year}.",
                **words,
            )
        else:
            text = context.words._(
                "On estimated figures, trade is behind the target of {target}: {latest} in {latest_year} needs {required} "
                "a year against {achieved} a year achieved since {base_year}.",
                **words,
            )
        spans: list[Span] = [
            Span(text + " "),
            *context.citations.marks(*progress.sources),
        ]
        spans.append(Span(" " + context.words._("Press for steps to speed up trade.")))
        points.append(tuple(spans))
    return points


def target_progress(context: PointsContext) -> list[Inline]:
    """A target met or on track → welcome the progress."""
    points = []
    for progress in live_targets(context.indicators.targets, context.indicators.as_of):
        if progress.status not in ("met", "on_track"):
            continue
        quality = progress.qualities
        words = {
            "target": context.words.target_name(progress),
            "latest": context.words.money(progress.latest, quality["latest"]),
            "latest_year": context.indicators.latest_year,
            "projected": context.words.money(progress.projected, quality["projected"]),
            "year": progress.target.year,
        }
        estimated = quality["status"] != "exact"
        if progress.status == "met" and estimated:
            text = context.words._(
                "Welcome the progress: on estimated figures, the target of {target} is met, with {latest} in {latest_year}.",
                **words,
            )
        elif progress.status == "met":
            text = context.words._(
                "Welcome the progress: the target of {target} is met, with {latest} in {latest_year}.", **words
            )
        elif estimated:
            text = context.words._(
                "Welcome the progress: on estimated figures, the target of {target} is on track; "
                "the trend since {base_year} gives {projected} in {year}.",
                **words,
            )
        else:
            text = context.words._(
                "Welcome the progress: the target of {target} is on track; "
                "the trend since {base_year} gives {projected} in {year}.",
                **words,
            )
        points.append((Span(text + " "), *context.citations.marks(*progress.sources)))
    return points


def delayed_commitment(context: PointsContext) -> list[Inline]:
    """A delayed commitment → ask for a new timetable."""
    points = []
    for entry in context.ledger:
        c = entry.commitment
        if c.status != "delayed":
            continue
        words = commitment_words(context, c)
        status_date = (
            " (" + context.words._("as of {date}", date=context.words.date(c.status_as_of)) + ")" if c.status_as_of else ""
        )
        due = "; " + context.words._("due {date}", date=words["due"]) if c.due else ""
        points.append(
            (
                Span(
                    context.words._(
                        "Ask for a new timetable: {text} – delayed{status_date}{due}.",
                        **words | {"status_date": status_date, "due": due},
                    )
                    + " "
                ),
                *context.citations.marks(c.source),
            )
        )
    return points


def overlaps(date: FuzzyDate, start: dt.date, end: dt.date) -> bool:
    """Whether a possibly imprecise date covers any day from `start` to the day before `end`."""
    return date.first_day < end and date.last_day >= start


def area_activity(context: PointsContext, area: Area, start: dt.date) -> bool:
    """Whether anything is recorded for the area in the window: an event, a commitment agreed or updated, a dated
    key fact (its year counts when it overlaps the window)."""
    end = context.event_day
    if any(area.id in e.areas and overlaps(e.date, start, end) for e in context.dossier.events if e.id != context.event.id):
        return True
    for c in context.dossier.commitments:
        if c.area == area.id and any(d is not None and overlaps(d, start, end) for d in (c.agreed_on, c.status_as_of)):
            return True
    return any(fact.year is not None and overlaps(FuzzyDate(fact.year), start, end) for fact in area.key_facts)


def dormant_area(context: PointsContext) -> list[Inline]:
    """Areas with no activity in the DORMANT_YEARS years before the event and not on its own agenda → one point proposing
    to revive them, each named with its last event."""
    start = years_before(context.event_day, DORMANT_YEARS)
    spans: list[Span] = []
    for area in context.dossier.areas:
        if area.id in context.agenda or area_activity(context, area, start):
            continue
        earlier = [e for e in context.dossier.events if area.id in e.areas and e.date.first_day < context.event_day]
        lead = context.words.ngettext(
            "Propose reviving cooperation where no event, commitment or dated fact is recorded in the {years} year "
            "before this one:",
            "Propose reviving cooperation where no event, commitment or dated fact is recorded in the {years} years "
            "before this one:",
            DORMANT_YEARS,
            years=DORMANT_YEARS,
        )
        spans.append(Span("; " if spans else lead + " "))
        if earlier:
            last = max(earlier, key=lambda e: (e.date.first_day, e.id))
            spans += [
                Span(
                    context.words._(
                        "{area} (last event: {title}, {date}", area=area.title, title=last.title, date=context.words.when(last)
                    )
                    + " "
                )
            ]
            spans += [*context.citations.marks(last.source), Span(")")]
        else:
            cited = area.sources[:1] or tuple(fact.source for fact in area.key_facts[:1])
            spans += [
                Span(context.words._("{area} (no event recorded", area=area.title) + " "),
                *context.citations.marks(*cited),
                Span(")"),
            ]
    return [(*spans, Span("."))] if spans else []


def due_commitment(context: PointsContext) -> list[Inline]:
    """A commitment due by the event's date, not done and not delayed (a delayed one is already our ask) → expect
    questions on it and prepare."""
    return [
        (
            Span(
                context.words._(
                    "Expect questions on: {text} – due {due}, {status}. Prepare the latest position.",
                    **commitment_words(context, entry.commitment),
                )
                + " "
            ),
            *context.citations.marks(entry.commitment.source),
        )
        for entry in context.ledger
        if entry.due_by_event and not entry.delayed
    ]


def previous_meeting_commitment(context: PointsContext) -> list[Inline]:
    """A commitment agreed at the previous leaders' meeting, open, not due by the event and not delayed (rules 3 and 5
    cover those) → expect a review of it."""
    points: list[Inline] = []
    if context.previous is None:  # no commitment was agreed at a previous meeting
        return points
    for entry in context.ledger:
        c = entry.commitment
        if not entry.at_previous or c.status in ("done", "superseded") or entry.flagged:
            continue
        words = commitment_words(context, c)
        text = context.words._(
            "Expect a review of what was agreed at {meeting}: {text} – {status}.", meeting=context.previous.title, **words
        )
        points.append((Span(text + " "), *context.citations.marks(c.source)))
    return points


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # "make" or "expect"
    find: Callable[[PointsContext], list[Inline]]


RULES: tuple[Rule, ...] = (
    Rule("target_behind", "make", target_behind),
    Rule("target_progress", "make", target_progress),
    Rule("delayed_commitment", "make", delayed_commitment),
    Rule("dormant_area", "make", dormant_area),
    Rule("due_commitment", "expect", due_commitment),
    Rule("previous_meeting_commitment", "expect", previous_meeting_commitment),
)


def derive_points(context: PointsContext) -> tuple[list[Inline], list[Inline]]:
    """(points to make, points to expect), each in the order of RULES."""
    to_make: list[Inline] = []
    to_expect: list[Inline] = []
    for rule in RULES:
        (to_make if rule.kind == "make" else to_expect).extend(rule.find(context))
    return to_make, to_expect
