"""The pre-summit briefing pack for one event (`reports brief --event ID`): one more Briefing for the same renderers.

Modelled on how foreign ministries brief their principals: the event and the points first,
then a staccato background of facts and dates, then annexes. In reading order:

1. **The event**: what and its kind, when (with the days remaining from the as-of date), where, and the
   events held during it.
2. **Points to make** and **points to expect**: derived from the data by the rules of `reports/points.py`.
3. **Since the last meeting at this level**: the previous leaders' meeting and every event between it and
   this one.
4. **Commitments ledger**: every commitment, the most urgent first (ordering below), flagged and marked.
5. **Targets**: one sentence each.
6. **Background**: key figures, the areas on the agenda, the leaders' meetings before this one.
7. **Annexes** (audiences of depth `full` only): trade, commitments, chronology and upcoming events, as far
   as the audience's `sections` name them.
8. **Sources**.

The audience decides as in `reports build`: its marking, restricted material or not (press: the public
view, `Dossier.without_restricted()`), its page limit, and its depth. At depth `summary` (leadership, two
pages) the pack is short: commitments by their first sentence, the flagged ones in a table and the others
run on in one paragraph per group, events one line each, the areas on the agenda by their one-sentence
summary, only the last RECENT_LEADERS_MEETINGS leaders' meetings, no annexes. At depth `full` everything
is in full, in tables, with the report's own area sections.

Definitions (dates compare as their first day, docs/dossier-format.md):
- *Days remaining*: the event's first day minus the as-of date, a plain difference of calendar dates.
  Negative: "held N days ago", or "under way" while the as-of date is inside the event's dates.
- *Previous leaders' meeting*: the latest event of a leaders' meeting kind (state, official or working
  visit, summit) whose date is before the event's date; *between*: every other event dated from the previous
  meeting's date up to the day before the event.
- *Agreed at a meeting*: the commitment's `agreed_on` lies wholly within the meeting's dates (from `date` to
  `end_date`; a month- or year-only date covers its whole month or year). A commitment agreed "2024-08" is
  therefore not marked for a meeting on 7-9 August 2024, but is for a meeting dated "2024-08".
- *Ledger order*: (1) flagged: delayed, or due on or before the event's date and not done; (2) the other
  open commitments; (3) done. Within a group: by due date, earliest first, undated last; then by status
  (delayed, not started, unknown, in progress, on track, done); then by `agreed_on`; then by id.
- *Areas on the agenda*: the areas named by the event and by its commitments (those flagged in the ledger,
  agreed at the previous meeting, or agreed at this event), in their `order`.
"""

from __future__ import annotations

import gettext
from dataclasses import replace
from pathlib import Path

from reports.briefing.audiences import AudienceConfig
from reports.briefing.events import (
    LedgerEntry,
    commitments_ledger,
    days_until,
    events_between,
    events_during,
    find_event,
    held_within,
    previous_leaders_meeting,
)
from reports.briefing.model import Block, Briefing, Column, Inline, ItemList, ListItem, Paragraph, Section, Span, Table
from reports.briefing.points import derive_points
from reports.briefing.report import BriefingBuilder
from reports.dossier.model import Commitment, Dossier, Event
from reports.dossier.text import first_sentence
from reports.errors import Problem, ReportsError
from reports.indicators import Indicators, TargetProgress
from reports.locale.labels import load_translations

RECENT_LEADERS_MEETINGS = 3  # how many leaders' meetings a summary-depth pack lists in its background
ANNEX_SECTIONS = ("trade", "commitments", "chronology", "upcoming")  # full depth, as the audience names them


# ---------------------------------------------------------------- the pack


class BriefBuilder(BriefingBuilder):
    """The briefing pack for one event; the helpers, citations and shared sections are BriefingBuilder's."""

    def __init__(
        self,
        dossier: Dossier,
        indicators: Indicators,
        audience: AudienceConfig,
        lang: str,
        translations: gettext.NullTranslations,
        event_id: str,
    ):
        super().__init__(dossier, indicators, audience, lang, translations)
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

    # ------------------------------------------------------------ words

    def countdown(self) -> str:
        """`in 4 days`, `today`, `under way: day 2 of 3` or `held 21 days ago`, counted from the first day."""
        days = self.days
        end = (self.event.end_date or self.event.date).first_day
        if days > 0:
            text = self.ngettext("in {days} day", "in {days} days", days, days=days)
        elif days == 0:
            text = self._("today")
        elif self.as_of <= end:
            text = self._("under way: day {day} of {days}", day=1 - days, days=(end - self.event_day).days + 1)
        else:
            text = self.ngettext("held {days} day ago", "held {days} days ago", -days, days=-days)
        first_day = self.date(self.event_day)
        if self.event.date.precision == "month":
            text += " (" + self._("counted from {first_day}: only the month of the event is known", first_day=first_day) + ")"
        elif self.event.date.precision == "year":
            text += " (" + self._("counted from {first_day}: only the year of the event is known", first_day=first_day) + ")"
        return text

    def when(self, event: Event) -> str:
        return self.date_range(event.date, event.end_date)

    def short_text(self, commitment: Commitment) -> str:
        return commitment.text if self.full else first_sentence(commitment.text)

    def commitment_status(self, commitment: Commitment) -> str:
        """`delayed (as of 2024)`."""
        text = self.commitment_status_word(commitment.status)
        if commitment.status_as_of:
            text += " (" + self._("as of {date}", date=self.date(commitment.status_as_of)) + ")"
        return text

    def target_name(self, progress: TargetProgress) -> str:
        """`$10 bn by 2030`; another metric than turnover is named: `$5 bn of exports by 2030`."""
        target = progress.target
        value = self.money(target.value)
        if target.metric == "turnover":
            if target.year is None:
                return self._("{value}, no deadline", value=value)
            return self._("{value} by {year}", value=value, year=target.year)
        metric = self.metric_word(target.metric)
        if target.year is None:
            return self._("{value} of {metric}, no deadline", value=value, metric=metric)
        return self._("{value} of {metric} by {year}", value=value, metric=metric, year=target.year)

    def event_line(self, event: Event) -> Inline:
        """Date: **Title** (kind, place) [n]."""
        detail = self.kind_word(event.kind) + (f", {event.place}" if event.place else "")
        return (
            Span(f"{self.when(event)}: "),
            Span(event.title, bold=True),
            Span(f" ({detail}) "),
            *self.citations.marks(event.source),
        )

    # ------------------------------------------------------------ the pack

    def build(self) -> Briefing:
        points = self.points_sections() if self.audience.talking_points else []
        sections = [self.event_section(), *points, self.since_last_section(), self.ledger_section()]
        sections += [s for s in (self.targets_section(),) if s is not None]
        sections += [*self.background_sections(), *self.annexes()]
        sources = self.source_entries()
        sections.append(self.sources_section(sources))
        place = f", {self.event.place}" if self.event.place else ""
        return self.briefing(
            title=self.event.title,
            subtitle=self._("Briefing pack – {audience}", audience=self.audience_word(self.audience.name)),
            sections=sections,
            sources=sources,
            keywords=(self.pgettext("document keyword", "briefing pack"), self.event.id),
            cover_lines=(f"{self.when(self.event)}{place} – {self.countdown()}",),
        )

    def event_section(self) -> Section:
        event = self.event
        what: Inline = (
            Span(self._("What") + ": ", bold=True),
            Span(event.title + " – " + self.kind_word(event.kind)),
        )
        if event.summary:
            what += (Span(". " + event.summary),)
        what += (Span(" "), *self.citations.marks(event.source))
        as_of = self._("as of {date}", date=self.date(self.as_of))
        when = f"{self.when(event)} – {self.countdown()} ({as_of})"
        items = [ListItem(what), ListItem((Span(self._("When") + ": ", bold=True), Span(when)))]
        if event.place:
            items.append(ListItem((Span(self._("Where") + ": ", bold=True), Span(event.place))))
        during = events_during(self.dossier.events, event)
        if during:
            children = ItemList(tuple(ListItem(self.event_line(e)) for e in during))
            items.append(ListItem((Span(self._("During the event") + ":", bold=True),), children))
        return Section("event", self._("The event"), 1, (ItemList(tuple(items)),))

    def points_sections(self) -> list[Section]:
        to_make, to_expect = derive_points(self)
        sections = []
        for section_id, title, points in (
            ("points-to-make", self._("Points to make"), to_make),
            ("points-to-expect", self._("Points to expect"), to_expect),
        ):
            block: Block = (
                ItemList(tuple(ListItem(point) for point in points), ordered=True)
                if points
                else Paragraph((Span(self._("No rule of the brief applies to the data for this event.")),))
            )
            sections.append(Section(section_id, title, 1, (block,)))
        return sections

    def no_previous_meeting(self) -> str:
        return self._("No earlier leaders' meeting (state, official or working visit, or summit) is recorded in the dossier.")

    def since_last_section(self) -> Section:
        title = self._("Since the last meeting at this level")
        previous = self.previous
        if previous is None:
            return Section(
                "since-last-meeting",
                title,
                1,
                (Paragraph((Span(self.no_previous_meeting()),)),),
            )
        detail = self.kind_word(previous.kind) + (f", {previous.place}" if previous.place else "")
        lead: Inline = (
            Span(self._("Previous leaders' meeting:") + " "),
            Span(previous.title, bold=True),
            Span(f" ({detail}), {self.when(previous)} "),
            *self.citations.marks(previous.source),
        )
        if previous.date.precision == "day" and self.event.date.precision == "day":
            gap = (self.event_day - previous.date.first_day).days
            lead += (
                Span(" – " + self.ngettext("{days} day before this one", "{days} days before this one", gap, days=gap) + "."),
            )
        blocks: list[Block] = [Paragraph(lead)]
        between = events_between(self.dossier.events, previous, self.event)
        if between:
            blocks += self.events_block(between, self._("What happened between the two meetings, oldest first"))
        else:
            blocks.append(Paragraph((Span(self._("No event is recorded between the two meetings.")),)))
        return Section("since-last-meeting", title, 1, tuple(blocks))

    def ledger_section(self) -> Section:
        if not self.ledger:
            return Section(
                "ledger",
                self._("Commitments ledger"),
                1,
                (Paragraph((Span(self._("No commitments are recorded in the dossier.")),)),),
            )
        lead = self._(
            "Every commitment: due by the event ({date}) or delayed first, then open, then done; each group by due date.",
            date=self.date(self.event_day),
        )
        blocks: list[Block] = [Paragraph((Span(lead),), "note")]
        columns = (
            Column(self._("Commitment")),
            Column(self._("Agreed")),
            Column(self._("Due")),
            Column(self._("Status")),
        )
        for group in range(3):
            entries = [entry for entry in self.ledger if entry.group == group]
            if not entries:
                continue
            count = len(entries)
            caption = (
                self._("Flagged: due by the event or delayed ({count})", count=count),
                self._("Open ({count})", count=count),
                self._("Done ({count})", count=count),
            )[group]
            if self.full or group == 0:
                rows = tuple(self.ledger_row(entry) for entry in entries)
                blocks.append(Table(caption, columns, rows, role="commitments"))
            else:  # the short pack runs the others on in one paragraph per group, in the same order
                spans: list[Span] = [Span(caption + ": ", bold=True)]
                for index, entry in enumerate(entries):
                    spans += [Span(" ■ " if index else ""), *self.ledger_line(entry, with_status=group == 1)]
                blocks.append(Paragraph(tuple(spans)))
        return Section("ledger", self._("Commitments ledger"), 1, tuple(blocks))

    def ledger_line(self, entry: LedgerEntry, with_status: bool = True) -> Inline:
        """`Text [n] – due 2026; unknown (as of 2025)` for the short pack; the agreed date only for the previous meeting."""
        c = entry.commitment
        parts = (
            [self._("agreed {date}", date=self.date(c.agreed_on)) + ", " + self._("agreed at the previous leaders' meeting")]
            if entry.at_previous
            else []
        )
        if c.due:
            parts.append(self._("due {date}", date=self.date(c.due)))
        if with_status:
            parts.append(self.commitment_status(c))
        text = self.short_text(c)
        return (Span(text + " "), *self.citations.marks(c.source), *((Span(" – " + "; ".join(parts)),) if parts else ()))

    def ledger_row(self, entry: LedgerEntry) -> tuple[Inline, ...]:
        c = entry.commitment
        flags = [
            Span(text, bold=True)
            for text, on in ((self._("Delayed.") + " ", entry.delayed), (self._("Due by the event.") + " ", entry.due_by_event))
            if on
        ]
        agreed: Inline = (Span(self.date(c.agreed_on)),)
        if entry.at_previous:
            agreed += (Span(", " + self._("agreed at the previous leaders' meeting"), italic=True),)
        status = (Span(self.commitment_status_word(c.status), bold=entry.flagged),)
        if c.status_as_of:
            status += (Span(" (" + self._("as of {date}", date=self.date(c.status_as_of)) + ")"),)
        return (
            (*flags, Span(self.short_text(c) + " "), *self.citations.marks(c.source)),
            agreed,
            (Span(self.date(c.due)),),
            status,
        )

    def targets_section(self) -> Section | None:
        if not self.indicators.targets:
            return None
        items = tuple(ListItem(self.target_line(progress)) for progress in self.indicators.targets)
        return Section("brief-targets", self._("Targets"), 1, (ItemList(items),))

    def target_line(self, progress: TargetProgress) -> Inline:
        """One sentence: `$10 bn by 2030: $4.27 bn in 2024 (42.7 %); requires 15.2 % a year against 10.4 % a year
        achieved since 2017: behind.`"""
        if progress.latest is None:
            text = self.target_name(progress) + ": " + self._("no figure yet")
        else:
            latest = self._(
                "{latest} in {latest_year} ({progress})",
                latest=self.money(progress.latest),
                latest_year=self.indicators.latest_year,
                progress=self.percent(progress.progress_pct),
            )
            text = f"{self.target_name(progress)}: {latest}"
        if progress.status != "met" and progress.required_cagr_pct is not None and progress.achieved_cagr_pct is not None:
            growth = self._(
                "requires {required} a year against {achieved} a year achieved since {base_year}",
                required=self.percent(progress.required_cagr_pct),
                achieved=self.percent(progress.achieved_cagr_pct),
            )
            text += f"; {growth}"
        status = self.target_status_word(progress.status)
        return (Span(text + ": "), Span(status, bold=True), Span(". "), *self.citations.marks(*progress.sources))

    def agenda_areas(self) -> list:
        """The areas named by the event and by its commitments (flagged, agreed at the previous meeting or at this event)."""
        named = set(self.event.areas)
        for entry in self.ledger:
            if entry.flagged or entry.at_previous or held_within(entry.commitment.agreed_on, self.event):
                if entry.commitment.area:
                    named.add(entry.commitment.area)
        return [area for area in self.dossier.areas if area.id in named]

    def background_sections(self) -> list[Section]:
        """Key figures, the areas on the agenda and the leaders' meetings: level-1 sections titled `Background: ...`."""
        background = self._("Background")
        key_figures = self.key_figures()
        sections = [replace(key_figures, title=f"{background}: {key_figures.title}")]
        title = background + ": " + self._("Areas on the agenda")
        if self.full:
            areas = [s for s in (self.area_section(area) for area in self.agenda_areas()) if s.blocks]
            if areas:
                sections.append(Section("areas", title, 1, (), tuple(areas)))
        elif self.agenda_areas():  # the short pack: each area's one-sentence summary
            items = tuple(ListItem((Span(area.title + ": ", bold=True), Span(area.summary))) for area in self.agenda_areas())
            sections.append(Section("agenda-areas", title, 1, (ItemList(items),)))
        sections.append(self.leaders_meetings_section())
        return sections

    def leaders_meetings_section(self) -> Section:
        meetings = [
            e for e in self.dossier.events if e.is_leaders_meeting and e.id != self.event.id and e.date.first_day < self.event_day
        ]
        meetings.sort(key=lambda e: (e.date, e.id))
        title = self._("Background") + ": " + self._("Leaders' meetings")
        if not meetings:
            return Section(
                "leaders-meetings",
                title,
                1,
                (Paragraph((Span(self.no_previous_meeting()),)),),
            )
        caption = self._("Leaders' meetings before this one, oldest first")
        if not self.full and len(meetings) > RECENT_LEADERS_MEETINGS:
            meetings = meetings[-RECENT_LEADERS_MEETINGS:]
            caption = self.ngettext(
                "The last {count}, oldest first (all of them in the ministry pack)",
                "The last {count}, oldest first (all of them in the ministry pack)",
                RECENT_LEADERS_MEETINGS,
                count=RECENT_LEADERS_MEETINGS,
            )
        return Section("leaders-meetings", title, 1, tuple(self.events_block(meetings, caption)))

    def events_block(self, events: list[Event], caption: str) -> list[Block]:
        """The report's chronology table; the short pack lists the events one line each."""
        if self.full:
            return [self.event_table(events, caption, "chronology")]
        return [Paragraph((Span(caption, bold=True),)), ItemList(tuple(ListItem(self.event_line(e)) for e in events))]

    def annexes(self) -> list[Section]:
        """Depth `full` only: the report's own sections, as the audience names them, titled `Annex: ...`."""
        if not self.full:
            return []
        builders = {
            "trade": self.trade,
            "commitments": self.commitments,
            "chronology": self.chronology,
            "upcoming": self.upcoming,
        }
        annexes = [builders[name]() for name in ANNEX_SECTIONS if name in self.audience.sections]
        annex = self._("Annex")
        return [replace(a, title=f"{annex}: {a.title}") for a in annexes if a is not None]


def build_brief(
    dossier: Dossier, indicators: Indicators, audience: AudienceConfig, lang: str, template_dirs: list[Path], event_id: str
) -> Briefing:
    """The pack for one event, one audience and one language; an unknown event id is exit 2 with the nearest ids."""
    return BriefBuilder(dossier, indicators, audience, lang, load_translations(lang, template_dirs), event_id).build()
