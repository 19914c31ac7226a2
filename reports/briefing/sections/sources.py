"""The sources: numbered in citation order (the full depth lists every source of the dossier) and their section."""

from __future__ import annotations

from urllib.parse import urlparse

from reports.briefing.context import BriefingContext
from reports.briefing.model import Column, Section, SourceEntry, Span, Table
from reports.briefing.words import tidy
from reports.dossier.as_of import published_by


def source_entries(ctx: BriefingContext) -> tuple[SourceEntry, ...]:
    """Cited sources in citation order; a full-depth audience (or one with `all_sources: true`) also lists the rest
    of the dossier's sources that were published by the as-of date."""
    w = ctx.words
    listed = ctx.audience.all_sources
    if ctx.full if listed is None else listed:
        for source_id in ctx.dossier.sources:
            if published_by(ctx.dossier, source_id, ctx.as_of):
                ctx.citations.number(source_id)
    entries = []
    for source_id, number in ctx.citations.numbers.items():
        source = ctx.dossier.sources[source_id]
        entries.append(SourceEntry(number, source.id, source.title, source.publisher or "", w.date(source.date), source.url))
    return tuple(entries)


def short_entry(entry: SourceEntry) -> tuple[Span, ...]:
    """A source in the leadership note's short form: publisher (its title when it has none), date and the link's
    site, which links to the page; the full title is in the ministry report."""
    cell = [Span(tidy(", ".join(part for part in (entry.publisher or entry.title, entry.date) if part)))]
    if entry.url:
        site = urlparse(entry.url).netloc.removeprefix("www.") or entry.url
        cell += [Span(", "), Span(site, href=entry.url)]
    return tuple(cell)


def sources_section(ctx: BriefingContext, sources: tuple[SourceEntry, ...]) -> Section:
    """The numbered list; in a summary-depth note (the leadership note) each in its short form (`short_entry`)."""
    w = ctx.words
    rows = []
    for entry in sources:
        if not ctx.full:
            rows.append(((Span(f"[{entry.number}]"),), short_entry(entry)))
            continue
        cell = [Span(entry.title, bold=True)]
        cell.append(Span(tidy(". " + ", ".join(part for part in (entry.publisher, entry.date) if part) + ".")))
        if entry.url:
            cell += [Span(" "), Span(entry.url, href=entry.url)]
        rows.append(((Span(f"[{entry.number}]"),), tuple(cell)))
    columns = (Column(w._("No.")), Column(w._("Source")))
    return Section("sources", w._("Sources"), 1, (Table("", columns, tuple(rows), role="sources"),))
