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
1. `target_behind`: a target whose status is `behind` → press to speed up trade in the areas with the
   largest joint projects: the LARGEST_PROJECT_AREAS areas whose largest money key fact (in the dossier's
   currency) is largest. A key fact with the same value (within 0.5 %) and year as a trade row of either side,
   or as a target, restates trade, not a project, and is left out.
2. `target_progress`: a target whose status is `met` or `on_track` → welcome the progress.
3. `delayed_commitment`: a commitment whose status is `delayed` → ask for a new timetable.
4. `dormant_area`: areas with no event dated in the DORMANT_YEARS years before the event's date (from the
   same calendar day DORMANT_YEARS years earlier to the day before) → one point proposing to revive them,
   naming each with its last event (or saying none is recorded).

Points to expect:
5. `due_commitment`: a commitment due on or before the event's date and not done (delayed ones included:
   the ask is ours, the question may be theirs) → expect questions on it; prepare the latest position.
6. `previous_meeting_commitment`: a commitment agreed at the previous leaders' meeting, not done and not due by
   the event (rule 5 covers those) → expect a review of what was agreed there.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from reports.briefing.citations import Citations
from reports.briefing.events import LedgerEntry
from reports.briefing.model import Inline, Span
from reports.briefing.words import Words
from reports.dossier.model import Area, Commitment, Dossier, Event, KeyFact
from reports.dossier.text import first_sentence
from reports.dossier.vocabulary import UNIT_FACTORS
from reports.indicators import Indicators

LARGEST_PROJECT_AREAS = 2  # how many areas the `target_behind` point names
DORMANT_YEARS = 2  # an area with no event in this many years before the event is dormant
SAME_VALUE = 0.005  # a key fact within 0.5 % of a trade figure of the same year restates it


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

    @property
    def event_day(self) -> dt.date:
        return self.event.date.first_day


def project_value(fact: KeyFact, dossier: Dossier) -> float | None:
    """A key fact's money value in the dossier's unit, when it is money in the dossier's currency and not trade."""
    parts = (fact.unit or "").split()
    if fact.value is None or fact.value <= 0 or len(parts) != 2 or parts[0] != dossier.currency or parts[1] not in UNIT_FACTORS:
        return None
    value = fact.value * UNIT_FACTORS[parts[1]] / UNIT_FACTORS[dossier.unit]
    trade = [(row.year, row.turnover) for row in (*dossier.trade, *dossier.trade_mirror)]
    trade += [
        (row.year, v) for row in (*dossier.trade, *dossier.trade_mirror) for v in (row.exports, row.imports) if v is not None
    ]
    trade += [(target.year, target.value) for target in dossier.targets]
    if any(year == fact.year and math.isclose(value, figure, rel_tol=SAME_VALUE) for year, figure in trade):
        return None
    return value


def largest_project_areas(dossier: Dossier) -> list[tuple[Area, KeyFact, float]]:
    """The areas with the largest project (money key fact), largest first; ties by area order."""
    found = []
    for area in dossier.areas:
        valued = [(value, index, fact) for index, fact in enumerate(area.key_facts) if (value := project_value(fact, dossier))]
        if valued:
            value, _, fact = max(valued, key=lambda item: (item[0], -item[1]))
            found.append((area, fact, value))
    found.sort(key=lambda item: (-item[2], item[0].order, item[0].id))
    return found[:LARGEST_PROJECT_AREAS]


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
    """A target behind schedule → press to speed up trade in the areas with the largest joint projects."""
    points = []
    for progress in context.indicators.targets:
        if progress.status != "behind":
            continue
        spans: list[Span] = [
            Span(
                context.words._(
                    "Trade is behind the target of {target}: {latest} in {latest_year} needs {required} a year against "
                    "{achieved} a year achieved since {base_year}.",
                    target=context.words.target_name(progress),
                    latest=context.words.money(progress.latest),
                    latest_year=context.indicators.latest_year,
                    required=context.words.percent(progress.required_cagr_pct),
                    achieved=context.words.percent(progress.achieved_cagr_pct),
                )
                + " "
            ),
            *context.citations.marks(*progress.sources),
        ]
        areas = largest_project_areas(context.dossier)
        if not areas:
            spans.append(Span(" " + context.words._("Press for steps to speed up trade.")))
        else:
            spans.append(
                Span(" " + context.words._("Press to speed up trade in the areas with the largest joint projects:") + " ")
            )
            for index, (area, fact, value) in enumerate(areas):
                spans += [
                    Span(area.title, bold=True),
                    Span(f" ({context.words.money(value)} "),
                    *context.citations.marks(fact.source),
                ]
                spans.append(Span(")" + ("; " if index < len(areas) - 1 else ".")))
        points.append(tuple(spans))
    return points


def target_progress(context: PointsContext) -> list[Inline]:
    """A target met or on track → welcome the progress."""
    points = []
    for progress in context.indicators.targets:
        if progress.status not in ("met", "on_track"):
            continue
        words = {
            "target": context.words.target_name(progress),
            "latest": context.words.money(progress.latest),
            "latest_year": context.indicators.latest_year,
            "projected": context.words.money(progress.projected),
            "year": progress.target.year,
        }
        if progress.status == "met":
            text = context.words._(
                "Welcome the progress: the target of {target} is met, with {latest} in {latest_year}.", **words
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


def dormant_area(context: PointsContext) -> list[Inline]:
    """Areas with no event in the DORMANT_YEARS years before the event → one point proposing to revive them, each named."""
    start = years_before(context.event_day, DORMANT_YEARS)
    spans: list[Span] = []
    for area in context.dossier.areas:
        earlier = [e for e in context.dossier.events if area.id in e.areas and e.date.first_day < context.event_day]
        if any(e.date.first_day >= start for e in earlier):
            continue
        lead = context.words.ngettext(
            "Propose reviving cooperation where no event is recorded in the {years} year before this one:",
            "Propose reviving cooperation where no event is recorded in the {years} years before this one:",
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
    """A commitment due by the event's date and not done → expect questions on it and prepare."""
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
        if entry.due_by_event
    ]


def previous_meeting_commitment(context: PointsContext) -> list[Inline]:
    """A commitment agreed at the previous leaders' meeting, open and not due by the event → expect a review of it."""
    points = []
    for entry in context.ledger:
        c = entry.commitment
        if not entry.at_previous or c.status == "done" or entry.due_by_event:
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
