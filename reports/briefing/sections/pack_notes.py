"""The parts of a pack that are not derived points: the analyst's brief (`briefs/<event id>.md`), who's who
(`people.csv`) and, for an event already held, the follow-up note that takes the points' place."""

from __future__ import annotations

from dataclasses import replace

from reports.briefing.context import BriefingContext
from reports.briefing.events import LedgerEntry, held_within
from reports.briefing.markdown import markdown_blocks
from reports.briefing.model import Block, ItemList, ListItem, Paragraph, Section, Span, Unit, marked_blocks, words_of
from reports.briefing.sections.ledger import ledger_line
from reports.briefing.sections.relevance import ordinal_score
from reports.briefing.words import Words
from reports.dossier.model import Event, Person
from reports.dossier.vocabulary import PUBLIC_BRIEF_HEADINGS


def brief_heading(w: Words, heading: str) -> str:
    """A brief's section heading (always written in English in the file) in the pack's language."""
    return {
        "Objectives": w.pgettext("brief section", "Objectives"),
        "Lines to take": w.pgettext("brief section", "Lines to take"),
        "Their likely asks": w.pgettext("brief section", "Their likely asks"),
        "Press line": w.pgettext("brief section", "Press line"),
        "Questions and answers": w.pgettext("brief section", "Questions and answers"),
        "Risks": w.pgettext("brief section", "Risks"),
    }[heading]


def brief_sections(ctx: BriefingContext, event: Event) -> list[Section]:
    """The brief's sections in their fixed order; public output (an audience without restricted material) only the
    press line, and the questions and answers when the brief says `public_qa: true`."""
    brief = ctx.dossier.brief(event.id)
    if brief is None:
        return []
    public = PUBLIC_BRIEF_HEADINGS + (("Questions and answers",) if brief.public_qa else ())
    shown = [(h, text) for h, text in brief.sections if ctx.audience.include_restricted or h in public]
    slug = {heading: heading.lower().replace(" ", "-") for heading, _ in shown}
    lang = brief.text_lang
    return [
        Section(
            f"brief-{slug[h]}",
            brief_heading(ctx.words, h),
            1,
            brief_units(marked_blocks(markdown_blocks(text, ctx.citations), lang), h),
        )
        for h, text in shown
    ]


# How long a page-limited note keeps the analyst's lines (relevance.py): above every derived point (3) and flagged
# commitment (4), the objectives longest; each section keeps its first line whatever the page.
BRIEF_SCORES = {
    "Objectives": 6.0, "Lines to take": 5.5, "Press line": 5.0, "Their likely asks": 4.6, "Risks": 4.4,
    "Questions and answers": 4.2,
}  # fmt: skip


def brief_units(blocks: tuple[Block, ...], heading: str) -> tuple[Block, ...]:
    """The brief's list items as units of the note's fit, most important first, the first of each list kept."""
    top = BRIEF_SCORES[heading]
    return tuple(
        replace(block, items=tuple(
            replace(item, unit=Unit("brief", words_of(item.spans), ordinal_score(i, top), keep=i == 0))
            for i, item in enumerate(block.items)
        )) if isinstance(block, ItemList) else block
        for block in blocks
    )  # fmt: skip


def in_office(person: Person, event: Event) -> bool:
    """Whether the person held the role on the event's first day (`until` empty: still in office)."""
    day = event.date.first_day
    return person.since.first_day <= day and (person.until is None or person.until.last_day >= day)


def whos_who(ctx: BriefingContext, event: Event) -> Section | None:
    """The people the event names, else everyone in office on its date, by partner: name, role, since when."""
    w = ctx.words
    people = [p for p in ctx.dossier.people if p.source in ctx.dossier.sources]  # public view: no restricted source
    named = [p for p in people if p.id in event.people]
    listed = named if event.people else [p for p in people if in_office(p, event)]
    if not listed:
        return None
    items = []
    for partner in ctx.dossier.partners:  # one line per partner: `Kazakhstan: Name – role, since 2019 [n]; ...`
        spans: list[Span] = [Span(partner.name + ": ", bold=True)]
        for index, person in enumerate(p for p in listed if p.partner == partner.code):
            since = w._("since {date}", date=w.date(person.since))
            spans += [Span("; " if index else ""), Span(f"{person.name} – {person.role}, {since} ")]
            spans += ctx.citations.marks(person.source)
        if len(spans) > 1:  # both sides always stay in a note
            items.append(ListItem(tuple(spans), unit=Unit("people", partner.name, keep=True)))
    return Section("whos-who", w._("Who's who"), 1, (ItemList(tuple(items)),))


def follow_up(ctx: BriefingContext, event: Event, ledger: list[LedgerEntry]) -> Section:
    """For an event already held: what was agreed there and where each commitment stands now, instead of points."""
    w = ctx.words
    agreed = [entry for entry in ledger if held_within(entry.commitment.agreed_on, event)]
    lead = w._("The event has been held: this note follows it up instead of points to make.")
    blocks: list[Block] = [Paragraph((Span(lead),), "note")]
    if agreed:
        caption = w._("Agreed there, and where each commitment stands now")
        blocks += [Paragraph((Span(caption, bold=True),)), ItemList(tuple(ListItem(ledger_line(ctx, e)) for e in agreed))]
    else:
        blocks.append(Paragraph((Span(w._("No commitment agreed at this event is recorded in the dossier.")),)))
    return Section("follow-up", w._("Follow-up"), 1, tuple(blocks))
