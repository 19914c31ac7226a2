"""The pre-summit briefing pack for one event (`reports brief --event ID`): one more Briefing for the same renderers.

Modelled on how foreign ministries brief their principals: the event and the points first,
then a staccato background of facts and dates, then annexes. In reading order:

1. **The event**: what and its kind, when (with the days remaining from the as-of date), where, and the
   events held during it; then **Who's who** (`people.csv`: the people the event names, else those in office
   on its date, by partner).
2. **The analyst's brief** (`briefs/<event id>.md`): its sections in the fixed order of BRIEF_HEADINGS; public
   output only the press line (and the questions and answers when the brief says `public_qa: true`).
3. **From the data**: points to make and points to expect, derived by the rules of `reports/briefing/points.py`;
   for an event already held (its last day before the as-of date), a **Follow-up** note instead: what was
   agreed there and where each commitment stands now.
4. **Since the last meeting at this level**: the previous bilateral leaders' meeting, the summits since then
   (meetings on the sidelines) and every other event between it and this one.
5. **Commitments ledger**: every commitment, the most urgent first (ordering below), flagged and marked.
6. **Targets**: one sentence each.
7. **Background**: key figures, the areas on the agenda, the bilateral leaders' meetings before this one.
8. **Annexes** (audiences of depth `full` only): trade, chronology and upcoming events, as far as the
   audience's `sections` name them; not the commitments, which the ledger already shows in full.
9. **Sources**.

The audience decides as in `reports build`: its marking, restricted material or not (press: the public
view, `Dossier.without_restricted()`), its page limit, and its depth. At depth `summary` (leadership, two
pages) the pack is short: commitments by their first sentence, the flagged ones in a table and the others
run on in one paragraph per group, events one line each, the areas on the agenda by their one-sentence
summary, only the last RECENT_LEADERS_MEETINGS leaders' meetings, no annexes. At depth `full` everything
is in full, in tables, with the report's own area sections.

Definitions (dates compare as their first day, docs/dossier-format.md):
- *Days remaining*: the event's first day minus the as-of date, a plain difference of calendar dates.
  Negative: "held N days ago", or "under way" while the as-of date is inside the event's dates.
- *Previous leaders' meeting*: the latest bilateral leaders' meeting (state, official or working visit) whose
  date is before the event's date; *between*: every other event dated from the previous meeting's date up to
  the day before the event, the summits among them listed apart as meetings on the sidelines.
- *Agreed at a meeting*: the commitment's `agreed_on` lies wholly within the meeting's dates (from `date` to
  `end_date`; a month- or year-only date covers its whole month or year). A commitment agreed "2024-08" is
  therefore not marked for a meeting on 7-9 August 2024, but is for a meeting dated "2024-08".
- *Ledger order*: (1) flagged: delayed, or due on or before the event's date and not done; (2) the other
  open commitments; (3) done. Within a group: by due date, earliest first, undated last; then by status
  (delayed, not started, unknown, in progress, on track, done); then by `agreed_on`; then by id.
- *Areas on the agenda*: the areas named by the event and by its commitments (those flagged in the ledger,
  agreed at the previous meeting, or agreed at this event), in their `order`. *Its own agenda* (what the
  dormant-area rule never calls dormant): the areas of the event, of the events held during it and of the
  commitments agreed at it.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import replace
from pathlib import Path

from reports.briefing.audience_config import AudienceConfig
from reports.briefing.context import briefing, briefing_context
from reports.briefing.events import (
    bilateral_meetings_before,
    commitments_ledger,
    days_until,
    events_between,
    events_during,
    find_event,
    held_within,
    previous_leaders_meeting,
)
from reports.briefing.model import Block, Briefing, Inline, ItemList, ListItem, Paragraph, Section, Span, Unit, words_of
from reports.briefing.points import PointsContext, derive_points
from reports.briefing.sections import SECTIONS, areas, events
from reports.briefing.sections.figures import key_figures, targets_section
from reports.briefing.sections.ledger import ledger_section
from reports.briefing.sections.pack_notes import brief_sections, follow_up, whos_who
from reports.briefing.sections.relevance import area_activity, event_score, ordinal_score
from reports.briefing.sections.since import since as since_section
from reports.briefing.sections.sources import source_entries, sources_section
from reports.dossier.as_of import PLANNED
from reports.dossier.model import Area, Dossier, Event
from reports.errors import Problem, ReportsError
from reports.indicators import Indicators
from reports.locale.labels import load_translations

RECENT_LEADERS_MEETINGS = 3  # how many bilateral leaders' meetings a summary-depth pack lists in its background


# ---------------------------------------------------------------- the pack


class BriefBuilder:
    """The briefing pack for one event: its own sections here, the shared ones from `reports/briefing/sections/`,
    all reading one `BriefingContext` (the words, the citations, the dossier as the audience sees it)."""

    def __init__(
        self,
        dossier: Dossier,
        indicators: Indicators,
        audience: AudienceConfig,
        lang: str,
        translations: gettext.NullTranslations,
        event_id: str,
        since: dt.date | None = None,
    ):
        self.ctx = ctx = briefing_context(dossier, indicators, audience, lang, translations, event_id, since)
        self.words, self.citations, self.dossier = ctx.words, ctx.citations, ctx.dossier
        self.audience, self.indicators, self.as_of, self.full = audience, indicators, ctx.as_of, ctx.full
        find_event(dossier, event_id)  # unknown anywhere: exit 2 with the nearest ids
        event = next((e for e in self.dossier.events if e.id == event_id), None)
        if event is None:
            message = (
                f"'{event_id}' is not public (it cites a restricted source or belongs only to restricted areas), "
                f"so the '{audience.name}' audience cannot have a brief on it"
            )
            raise ReportsError(Problem(str(dossier.path / "events.csv"), None, "event", message))
        self.event = event
        self.event_day = event.date.first_day
        self.days = days_until(event, self.as_of)
        self.previous = previous_leaders_meeting(self.dossier.events, event)
        self.ledger = commitments_ledger(self.dossier.commitments, event, self.previous)
        # two pages hold the analyst's brief or the derived background, not both: the short pack of an event with a
        # brief leaves the targets, the background and the events between the meetings to the full pack
        self.brief_first = not self.full and self.dossier.brief(event.id) is not None

    # ------------------------------------------------------------ words

    def countdown(self) -> str:
        """`in 4 days`, `today`, `under way: day 2 of 3` or `held 21 days ago`, counted from the first day. A planned
        event is never said to be held: past its last day it has "no outcome recorded". A date known only to the
        month or year gets no count of days: a planned one is "date to be set"."""
        w, days, event = self.words, self.days, self.event
        planned = event.status == PLANNED
        if planned and event.last_day < self.as_of:
            return w._("no outcome recorded")
        if event.date.precision != "day":
            return w._("date to be set") if planned else w.pgettext("an event whose day is not known", "held")
        end = (event.end_date or event.date).first_day
        if days > 0:
            return w.ngettext("in {days} day", "in {days} days", days, days=days)
        if days == 0:
            return w._("today")
        if self.as_of <= end:
            return w._("under way: day {day} of {days}", day=1 - days, days=(end - self.event_day).days + 1)
        return w.ngettext("held {days} day ago", "held {days} days ago", -days, days=-days)

    def event_line(self, event: Event) -> Inline:
        """Date: **Title** (kind, place) [n]."""
        detail = self.words.event_detail(event)
        status = self.words.event_status_word(event, self.as_of)  # postponed, cancelled, no outcome recorded
        return (
            Span(f"{self.words.when(event)}: "),
            Span(event.title, bold=True),
            Span(f" ({detail})" if detail else ""),
            Span(f" – {status} " if status else " "),
            *self.citations.marks(event.source),
        )

    def no_previous_meeting(self) -> str:
        return self.words._(
            "No earlier bilateral leaders' meeting (state, official or working visit) is recorded in the dossier."
        )

    # ------------------------------------------------------------ the pack

    def build(self) -> Briefing:
        w = self.words
        held = self.as_of > self.event.last_day and self.event.status != PLANNED
        if held:
            points = [follow_up(self.ctx, self.event, self.ledger)]
        else:
            points = [s for s in (self.points_section(),) if s is not None] if self.audience.talking_points else []
        people = whos_who(self.ctx, self.event)
        changed = since_section(self.ctx)  # with `--since`: after the event, what a pack has instead of key figures
        sections = [self.event_section(), *([changed] if changed else []), *([people] if people else [])]
        sections += [*brief_sections(self.ctx, self.event), *points, self.since_last_section()]
        if self.audience.verdicts:  # the ledger judges how promises are kept: an audience without verdicts has none
            sections.append(ledger_section(self.ctx, self.ledger, self.event_day))
        if not self.brief_first:
            sections += [s for s in (targets_section(self.ctx),) if s is not None]
            sections += self.background_sections()
        sections += self.annexes()
        sources = source_entries(self.ctx)
        sections.append(sources_section(self.ctx, sources))
        place = f", {self.event.place}" if self.event.place else ""
        return briefing(
            self.ctx,
            title=self.event.title,
            subtitle=w._("Briefing pack – {audience}", audience=w.audience_word(self.audience.name)),
            sections=sections,
            sources=sources,
            keywords=(w.pgettext("document keyword", "briefing pack"), self.event.id),
            cover_lines=(f"{w.when(self.event)}{place} – {self.countdown()}",),
        )

    def event_section(self) -> Section:
        w, event = self.words, self.event
        what: Inline = (
            Span(w._("What") + ": ", bold=True),
            Span(" – ".join(part for part in (event.title, w.kind_word(event.kind)) if part)),
        )
        if event.summary:
            what += (Span(". " + event.summary),)
        what += (Span(" "), *self.citations.marks(event.source))
        as_of = w._("as of {date}", date=w.date(self.as_of))
        when = f"{w.when(event)} – {self.countdown()} ({as_of})"
        items = [ListItem(what), ListItem((Span(w._("When") + ": ", bold=True), Span(when)))]
        if event.place:
            items.append(ListItem((Span(w._("Where") + ": ", bold=True), Span(event.place))))
        during = events_during(self.dossier.events, event)
        if during:
            children = ItemList(tuple(ListItem(self.event_line(e)) for e in during))
            items.append(ListItem((Span(w._("During the event") + ":", bold=True),), children))
        return Section("event", w._("The event"), 1, (ItemList(tuple(items)),))

    def own_agenda(self) -> frozenset[str]:
        """The areas of the event, of the events held during it and of the commitments agreed at it."""
        named = set(self.event.areas)
        for during in events_during(self.dossier.events, self.event):
            named.update(during.areas)
        for entry in self.ledger:
            if entry.commitment.area and held_within(entry.commitment.agreed_on, self.event):
                named.add(entry.commitment.area)
        return frozenset(named)

    def points_context(self) -> PointsContext:
        """What the points rules read: the pack's data, words and citations, and nothing else."""
        return PointsContext(
            self.dossier, self.indicators, self.event, self.previous, self.ledger, self.words, self.citations, self.own_agenda()
        )

    def points_section(self) -> Section | None:
        """`From the data`: the points the rules derive, after the analyst's own lines."""
        w = self.words
        to_make, to_expect = derive_points(self.points_context())
        sections = []
        for section_id, title, points in (
            ("points-to-make", w._("Points to make"), to_make),
            ("points-to-expect", w._("Points to expect"), to_expect),
        ):
            if not points:  # nothing to say rather than a sentence about the rules
                continue
            items = tuple(  # most relevant first
                ListItem(point, unit=Unit("point", words_of(point), ordinal_score(i))) for i, point in enumerate(points)
            )
            sections.append(Section(section_id, title, 2, (ItemList(items, ordered=True),)))
        if not sections:
            return None
        return Section("from-the-data", w._("From the data"), 1, (), tuple(sections))

    def since_last_section(self) -> Section:
        w = self.words
        title = w._("Since the last meeting at this level")
        previous = self.previous
        if previous is None:
            return Section(
                "since-last-meeting",
                title,
                1,
                (Paragraph((Span(self.no_previous_meeting()),)),),
            )
        detail = w.kind_word(previous.kind) + (f", {previous.place}" if previous.place else "")
        lead: Inline = (
            Span(w._("Previous leaders' meeting:") + " "),
            Span(previous.title, bold=True),
            Span(f" ({detail}), {w.when(previous)} "),
            *self.citations.marks(previous.source),
        )
        if previous.date.precision == "day" and self.event.date.precision == "day":
            gap = (self.event_day - previous.date.first_day).days
            lead += (Span(" – " + w.ngettext("{days} day before this one", "{days} days before this one", gap, days=gap) + "."),)
        blocks: list[Block] = [Paragraph(lead)]
        sidelines, between = events_between(self.dossier.events, previous, self.event)
        if sidelines:
            blocks += self.events_block(sidelines, w._("Since then, meetings on the sidelines of summits, oldest first"))
        if between and self.brief_first:
            more = w.ngettext(
                "{count} other event is recorded between the two meetings (listed in the ministry pack).",
                "{count} other events are recorded between the two meetings (listed in the ministry pack).",
                len(between),
                count=len(between),
            )
            blocks.append(Paragraph((Span(more),)))
        elif between:
            blocks += self.events_block(between, w._("What happened between the two meetings, oldest first"))
        else:
            blocks.append(Paragraph((Span(w._("No event is recorded between the two meetings.")),)))
        return Section("since-last-meeting", title, 1, tuple(blocks))

    def agenda_areas(self) -> list[Area]:
        """The areas named by the event and by its commitments (flagged, agreed at the previous meeting or at this event)."""
        named = set(self.event.areas)
        for entry in self.ledger:
            if entry.flagged or entry.at_previous or held_within(entry.commitment.agreed_on, self.event):
                if entry.commitment.area:
                    named.add(entry.commitment.area)
        return [area for area in self.dossier.areas if area.id in named]

    def background_sections(self) -> list[Section]:
        """Key figures, the areas on the agenda and the leaders' meetings: level-1 sections titled `Background: ...`."""
        w = self.words
        background = w._("Background")
        figures = key_figures(self.ctx)
        sections = [replace(figures, title=f"{background}: {figures.title}")]
        title = background + ": " + w._("Areas on the agenda")
        if self.full:
            children = [s for s in (areas.area_section(self.ctx, area, self.event) for area in self.agenda_areas()) if s.blocks]
            if children:
                sections.append(Section("areas", title, 1, (), tuple(children)))
        elif self.agenda_areas():  # the short pack: each area's one-sentence summary
            items = tuple(
                ListItem((Span(area.title + ": ", bold=True), Span(area.summary)),
                         unit=Unit("area", area.title, area_activity(self.ctx, area, self.event)))
                for area in self.agenda_areas()
            )  # fmt: skip
            sections.append(Section("agenda-areas", title, 1, (ItemList(items),)))
        sections.append(self.leaders_meetings_section())
        return sections

    def leaders_meetings_section(self) -> Section:
        w = self.words
        meetings = events.within_span(self.ctx, bilateral_meetings_before(self.dossier.events, self.event))
        title = w._("Background") + ": " + w._("Bilateral leaders' meetings")
        if not meetings:
            return Section(
                "leaders-meetings",
                title,
                1,
                (Paragraph((Span(self.no_previous_meeting()),)),),
            )
        caption = w._("Bilateral leaders' meetings before this one, oldest first")
        if not self.full and len(meetings) > RECENT_LEADERS_MEETINGS:
            meetings = meetings[-RECENT_LEADERS_MEETINGS:]
            caption = w.ngettext(
                "The last {count}, oldest first (all of them in the ministry pack)",
                "The last {count}, oldest first (all of them in the ministry pack)",
                RECENT_LEADERS_MEETINGS,
                count=RECENT_LEADERS_MEETINGS,
            )
        return Section("leaders-meetings", title, 1, tuple(self.events_block(meetings, caption)))

    def events_block(self, listed: list[Event], caption: str) -> list[Block]:
        """The report's chronology table; the short pack lists the events one line each."""
        if self.full:
            return [events.event_table(self.ctx, listed, caption, "chronology")]
        items = tuple(ListItem(self.event_line(e), unit=Unit("event", e.title, event_score(self.ctx, e))) for e in listed)
        return [Paragraph((Span(caption, bold=True),)), ItemList(items)]

    def annexes(self) -> list[Section]:
        """Depth `full` only: the report's own sections, as the audience names them, titled `Annex: ...`."""
        if not self.full:
            return []
        annexes = [
            kind.build(self.ctx)
            for kind in SECTIONS
            if kind.annex and kind.builder is not None and kind.key in self.audience.sections
        ]
        annex = self.words._("Annex")
        return [replace(a, title=f"{annex}: {a.title}") for a in annexes if a is not None]


def build_brief(
    dossier: Dossier,
    indicators: Indicators,
    audience: AudienceConfig,
    lang: str,
    template_dirs: list[Path],
    event_id: str,
    since: dt.date | None = None,
) -> Briefing:
    """The pack for one event, one audience and one language; an unknown event id is exit 2 with the nearest ids."""
    return BriefBuilder(dossier, indicators, audience, lang, load_translations(lang, template_dirs), event_id, since).build()
