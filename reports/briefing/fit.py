"""Fitting a page-limited briefing by content, never by type size: the renderer that counts pages (the PDF) asks
for the briefing less its lowest-priority list items until it fits (docs/audiences.md, "Fitting the page limit")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from reports.briefing.model import (
    Block,
    Briefing,
    Inline,
    ItemList,
    KeyFigures,
    ListItem,
    Paragraph,
    Section,
    Span,
    Table,
    cite_text,
)


def droppable(briefing: Briefing) -> int:
    """How many list items `shortened` may drop: all but the first of every list."""
    return sum(
        max(len(block.items) - 1, 0) for section in briefing.walk() for block in section.blocks if isinstance(block, ItemList)
    )


def shortened(briefing: Briefing, drop: int) -> Briefing:
    """The briefing less its `drop` lowest-priority list items.

    Every list is built most important first (an area's facts in the dossier's order, the points by their rule) and
    the sections come in order of importance, so the lowest priority is the end of the last list: items go from the
    ends of the lists, one row of list ends at a time, the last section first, and every list keeps its first item.
    A list that lost items ends with "… and N more" (the label `and_more`). A summary lists only the sources it
    cites, so the sources only the dropped items cited leave its list and the rest are numbered again, in order."""
    sizes = {(section.id, index): len(block.items) for section in briefing.walk()
             for index, block in enumerate(section.blocks) if isinstance(block, ItemList)}  # fmt: skip
    cut: dict[tuple[str, int], int] = {}
    for position in range(max(sizes.values(), default=0) - 1, 0, -1):
        for key in reversed(list(sizes)):
            if drop > 0 and sizes[key] > position:
                cut[key] = cut.get(key, 0) + 1
                drop -= 1
    more = briefing.labels.get("and_more", "… and {count} more")

    def trim(section: Section) -> Section:
        blocks = list(section.blocks)
        for index, block in enumerate(blocks):
            count = cut.get((section.id, index), 0)
            if count and isinstance(block, ItemList):
                items = (*block.items[: len(block.items) - count], ListItem((Span(more.format(count=count), italic=True),)))
                blocks[index] = replace(block, items=items)
        return replace(section, blocks=tuple(blocks), children=tuple(trim(child) for child in section.children))

    result = replace(briefing, sections=tuple(trim(section) for section in briefing.sections))
    return result if briefing.depth == "full" else _cited_sources_only(result)


def _cited_sources_only(briefing: Briefing) -> Briefing:
    """The briefing with only the sources its marks cite, numbered 1, 2, ... in their former order."""
    cited: set[int] = set()

    def collect(numbers: tuple[int, ...]) -> tuple[int, ...]:
        cited.update(numbers)
        return numbers

    _map_cites(briefing, collect)
    new = {old: index for index, old in enumerate(sorted(cited), 1)}
    renumbered = _map_cites(briefing, lambda numbers: tuple(new[n] for n in numbers))
    sources = tuple(replace(entry, number=new[entry.number]) for entry in briefing.sources if entry.number in new)

    def sources_table(section: Section) -> Section:
        blocks = tuple(
            replace(block, rows=tuple(((Span(f"[{new[entry.number]}]"),), row[1])
                                      for entry, row in zip(briefing.sources, block.rows, strict=True) if entry.number in new))
            if isinstance(block, Table) and block.role == "sources" else block
            for block in section.blocks
        )  # fmt: skip
        return replace(section, blocks=blocks)

    return replace(renumbered, sources=sources, sections=tuple(sources_table(s) for s in renumbered.sections))


def _map_cites(briefing: Briefing, change: Callable[[tuple[int, ...]], tuple[int, ...]]) -> Briefing:
    """The briefing with every citation's numbers passed through `change` (marks in text, lists, tables, key figures)."""

    def inline(spans: Inline) -> Inline:
        return tuple(replace(s, cites=(n := change(s.cites)), text=cite_text(n)) if s.cites else s for s in spans)

    def items(block: ItemList) -> ItemList:
        return replace(block, items=tuple(
            replace(i, spans=inline(i.spans), children=items(i.children) if i.children else None) for i in block.items
        ))  # fmt: skip

    def block(b: Block) -> Block:
        if isinstance(b, Paragraph):
            return replace(b, spans=inline(b.spans))
        if isinstance(b, ItemList):
            return items(b)
        if isinstance(b, Table) and b.role != "sources":
            return replace(b, rows=tuple(tuple(inline(cell) for cell in row) for row in b.rows))
        if isinstance(b, KeyFigures):
            return replace(b, figures=tuple(replace(f, cites=change(f.cites)) if f.cites else f for f in b.figures))
        return b

    def section(s: Section) -> Section:
        return replace(s, blocks=tuple(block(b) for b in s.blocks), children=tuple(section(c) for c in s.children))

    return replace(briefing, sections=tuple(section(s) for s in briefing.sections))
