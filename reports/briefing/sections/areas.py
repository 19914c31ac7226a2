"""The areas of cooperation: one section each, their key facts and (at depth `full`) their Markdown body."""

from __future__ import annotations

import re

from reports.briefing.context import BriefingContext
from reports.briefing.markdown import markdown_blocks
from reports.briefing.model import Block, Inline, ItemList, ListItem, Paragraph, Section, Span, Unit, marked_blocks
from reports.briefing.sections.relevance import area_activity, fact_unit, next_event, summary_unit
from reports.dossier.model import Area, Event, KeyFact


def areas(ctx: BriefingContext) -> Section | None:
    w = ctx.words
    areas = sorted(ctx.dossier.areas, key=lambda a: (a.order, a.id))
    upcoming = next_event(ctx)
    children = [area_section(ctx, area, upcoming) for area in areas]
    children = [s for s in children if s.blocks]
    if not children:
        return None
    return Section("areas", w._("Cooperation"), 1, (), tuple(children))


def area_section(ctx: BriefingContext, area: Area, upcoming: Event | None) -> Section:
    """The area's heading and its facts, each a unit a note may leave out by its relevance (`relevance.py`) with the
    area's activity looking ahead to `upcoming`."""
    w = ctx.words
    activity = area_activity(ctx, area, upcoming)

    def item(fact: KeyFact) -> ListItem:  # numbers its source: only for the facts shown
        marks = ctx.citations.marks(fact.source)
        return ListItem((*fact_value(ctx, fact), Span(fact.text + " "), *marks), unit=fact_unit(ctx, area, fact, activity))

    if not ctx.full:
        lead = [ListItem((Span(area.summary),), unit=summary_unit(area, activity))] if len(area.key_facts) < 3 else []
        said = area.summary if lead else ""
        shown = (lead + new_facts(area.key_facts, said))[: ctx.audience.bullets_per_area]
        items = tuple(entry if isinstance(entry, ListItem) else item(entry) for entry in shown)
        blocks: tuple[Block, ...] = (ItemList(items),) if area.key_facts else ()
        return Section(f"area-{area.id}", area.title, 2, blocks, unit=Unit("area", area.title, activity + 1))
    body = ctx.audience.area_body
    said = area.summary + "\n" + (area.body if body else "")
    facts = [item(fact) for fact in new_facts(area.key_facts, said)[: ctx.audience.bullets_per_area]]
    blocks = (Paragraph((Span(area.summary),), "lead"),)
    if facts:
        blocks += (ItemList(tuple(facts)),)
    if body:
        blocks += marked_blocks(markdown_blocks(area.body, ctx.citations), area.text_lang)
    if area.sources and body:
        blocks += (Paragraph((Span(w._("Sources") + ": "), *ctx.citations.marks(*area.sources)), "note"),)
    return Section(f"area-{area.id}", area.title, 2, blocks, unit=Unit("area", area.title, activity + 1))


def new_facts(facts: tuple[KeyFact, ...], said: str) -> list[KeyFact]:
    """The key facts that the text shown with them (`said`: the summary, the body) does not already state, so that
    each fact is told once. A fact without a figure is stated when the text holds every name and number in it
    (words with a capital letter but its first, and words with digits), and it names at least two."""
    words = set(re.findall(r"[\w–-]+", said))
    kept = []
    for fact in facts:
        tokens = re.findall(r"[\w–-]+", fact.text)[1:]
        names = {t for t in tokens if t[0].isupper() or any(c.isdigit() for c in t)}
        if fact.value is None and len(names) >= 2 and names <= words:
            continue
        kept.append(fact)
    return kept


def fact_value(ctx: BriefingContext, fact: KeyFact) -> Inline:
    """A key fact's figure, bold in front of its text, so a reader scanning the list sees the numbers."""
    w = ctx.words
    if fact.value is None:
        return ()
    return (Span(w.quantity(fact.value, fact.unit), bold=True), Span(" – "))
