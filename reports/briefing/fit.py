"""Fitting a page-limited note by its content, once, for every format (docs/architecture.md, "Fitting a note").

The builders mark the pieces of a note a reader could do without as `Unit`s (an area, a key fact, an event, a point)
with a relevance score (`reports/briefing/sections/relevance.py`); what must stay is marked `keep` or is no unit.
`fitted` leaves out whole units, the lowest score first (the later in reading order among equals), until the note
fits its pages. It never shortens a list with "… and N more": the note says in one cover line that the ministry
report has what it leaves out, and its sources list holds only what is still cited, numbered again.

How many to leave out is found with a measured estimate checked by a layout: `estimated_pages` sizes the note from
its text with the house style's measured line and column widths; the layout (the PDF's, passed in as
`pages_filled`, since only a renderer knows the real size) checks the choice and corrects the estimate's scale;
at most MAX_LAYOUTS layouts, usually one. The PDF, the Word file and the HTML then render the same choice.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

from reports.briefing.model import (
    BarChart,
    Block,
    Briefing,
    Chart,
    Inline,
    ItemList,
    KeyFigures,
    Paragraph,
    Section,
    Span,
    Table,
    Unit,
    cite_text,
)

MAX_LAYOUTS = 3  # then everything that may go goes, checked by one more layout
ESTIMATE_MARGIN = 0.15  # pages the first estimate keeps in hand, so that its layout usually fits at once
CLOSE_ENOUGH = 0.2  # a choice that leaves less of a page free is kept without trying more
LAST_PAGE_MIN = 0.15  # a note's last page holds at least this share of a page, not only a list's tail,
TAIL_UNITS = 3  # when no more than this many units more need to go for it
SPARE_PAGES = 0.06  # room the PDF keeps free on the last page: Word and LibreOffice set the same text a little longer
# The house style's note, measured on its layouts (briefing.css `.layout-note`, 10 pt Carlito on A4):
LINE_CHARS = 100  # average characters of a full-width line
LINES_PER_PAGE = 51.8  # body lines a page holds, with the space between blocks and sections
COVER_LINES = 6.0  # the marking, the title and the subtitle above the cover lines
COVER_SCALE = 0.38  # the cover lines are small print, set closer
SOURCES_SCALE = 0.48  # the sources are set at 8 pt with little padding
HEADING_LINES = {1: 2.3, 2: 1.6}
KEY_FIGURES_PER_ROW, VALUE_SIZE = 5, 1.25  # the note's boxes a row, and their value's size against the text
CHART_LINES = 16.0
WIDE_CHARS = 1.12  # a capital is wider than the average Latin letter
CYRILLIC_CHARS = 1.35  # and a Cyrillic letter wider still
COLUMNS = {"areas": 2}  # the note's sections set in columns
COLUMNS_WASTE = 1.42  # columns never balance exactly, and an area is kept whole in one column


Key = tuple[int, ...]  # where a unit is: section path, then block and item (or row) indices


def fitted(briefing: Briefing, pages_filled: Callable[[Briefing], float]) -> Briefing:
    """The briefing with as many of its units as fit `max_pages`, by relevance; `pages_filled` lays a candidate out
    and says how many pages it fills (2.4: two pages and 40 % of a third). A briefing without a limit is returned.

    The estimate proposes how many units to leave out; each layout checks it and rescales the estimate, up to
    MAX_LAYOUTS; a choice that fits with less than CLOSE_ENOUGH of a page to spare ends the search. Otherwise a
    bisection between the largest count that overflowed and the smallest that fitted finds the fewest that fit.

    A note does not end on a page less than LAST_PAGE_MIN full (the tail of its sources alone) when leaving out at
    most TAIL_UNITS more units ends it a page sooner."""
    if not briefing.max_pages:
        return briefing
    chosen, filled = _largest_fitting(briefing, pages_filled, briefing.max_pages - SPARE_PAGES)
    if filled is not None and filled > 1 and filled - math.floor(filled) < LAST_PAGE_MIN:
        shorter = _largest_fitting(briefing, pages_filled, math.floor(filled) - SPARE_PAGES)[0]
        if len(leaving_order(chosen)) - len(leaving_order(shorter)) <= TAIL_UNITS:
            chosen = shorter
    return chosen


def _largest_fitting(
    briefing: Briefing, pages_filled: Callable[[Briefing], float], budget: float
) -> tuple[Briefing, float | None]:
    """`fitted`'s search for one budget: the choice and the pages it fills (None: nothing fitted)."""
    order = leaving_order(briefing)
    scale, overflowed = 1.0, -1
    fitting: tuple[int, Briefing, float] | None = None  # the fewest units left out that fit, as laid out

    def check(count: int) -> tuple[Briefing, float]:
        candidate = leave_out(briefing, order[:count])
        return candidate, pages_filled(candidate)

    for _ in range(MAX_LAYOUTS):
        aim = budget - (ESTIMATE_MARGIN if scale == 1.0 else 0.0)  # the first, unchecked estimate aims lower
        count = max(_count_for(briefing, order, aim / scale), overflowed + 1)
        if fitting is not None:
            count = min(count, fitting[0] - 1)
        if count <= overflowed or count > len(order):
            break
        candidate, filled = check(count)
        if filled <= budget:
            fitting = (count, candidate, filled)
            if count == 0 or filled > budget - CLOSE_ENOUGH:
                break
        else:
            overflowed = count
        scale = filled / max(estimated_pages(candidate), 0.1)
    if fitting is not None and (fitting[0] == overflowed + 1 or fitting[2] > budget - CLOSE_ENOUGH):
        return fitting[1], fitting[2]
    low, high = overflowed + 1, (fitting[0] - 1 if fitting is not None else len(order))
    while low <= high:  # every count up to `overflowed` runs over; `fitting` fits
        middle = (low + high) // 2
        candidate, filled = check(middle)
        if filled <= budget:
            fitting, high = (middle, candidate, filled), middle - 1
        else:
            low = middle + 1
    if fitting is None:
        return leave_out(briefing, order), None  # the renderer that counts pages refuses it if it still runs over
    return fitting[1], fitting[2]


def leaving_order(briefing: Briefing) -> list[Key]:
    """The units that may go, in the order they go: the lowest score first, the later in reading order among equals."""
    ranked = [(unit.score, -index, key) for index, (key, unit) in enumerate(units(briefing)) if not unit.keep]
    return [key for _, _, key in sorted(ranked)]


def _count_for(briefing: Briefing, order: list[Key], pages: float) -> int:
    """How many units of `order` to leave out for the estimate to come within `pages` (bisection on the estimate)."""
    low, high = 0, len(order)
    while low < high:
        middle = (low + high) // 2
        if estimated_pages(leave_out(briefing, order[:middle])) <= pages:
            high = middle
        else:
            low = middle + 1
    return low


# ---------------------------------------------------------------- the units


def units(briefing: Briefing) -> list[tuple[Key, Unit]]:
    """Every unit of the briefing in reading order, with where it is."""
    found: list[tuple[Key, Unit]] = []

    def visit(section: Section, path: Key) -> None:
        if section.unit is not None:
            found.append(((*path, -1), section.unit))
        for b, block in enumerate(section.blocks):
            if isinstance(block, ItemList):
                found.extend(((*path, b, i), item.unit) for i, item in enumerate(block.items) if item.unit is not None)
            elif isinstance(block, Table):
                found.extend(((*path, b, r), unit) for r, unit in enumerate(block.units) if unit is not None)
        for c, child in enumerate(section.children):
            visit(child, (*path, c))

    for index, section in enumerate(briefing.sections):
        visit(section, (index,))
    return found


def leave_out(briefing: Briefing, keys: list[Key]) -> Briefing:
    """The briefing without the units at `keys`; a list or table left empty goes with the caption before it (a list
    whose caption counts it gets the caption for what is shown instead), and a section left with nothing goes too.
    With anything left out, the cover says so and the sources are cited ones."""
    if not keys:
        return briefing
    gone = set(keys)

    def section(s: Section, path: Key) -> Section | None:
        if (*path, -1) in gone:
            return None
        blocks: list[Block] = []
        for b, block in enumerate(s.blocks):
            if isinstance(block, ItemList) and any((*path, b, i) in gone for i in range(len(block.items))):
                block = replace(block, items=tuple(it for i, it in enumerate(block.items) if (*path, b, i) not in gone))
                empty = not block.items
                if block.shown_captions and blocks and _is_caption(blocks[-1]):  # the caption says how many are shown
                    blocks[-1] = Paragraph((Span(block.shown_captions[len(block.items)], bold=True),))
                    if empty:
                        continue
            elif isinstance(block, Table) and block.units and any((*path, b, r) in gone for r in range(len(block.rows))):
                kept = [r for r in range(len(block.rows)) if (*path, b, r) not in gone]
                block = replace(block, rows=tuple(block.rows[r] for r in kept), units=tuple(block.units[r] for r in kept))
                empty = not block.rows
            else:
                blocks.append(block)
                continue
            if empty:
                if blocks and _is_caption(blocks[-1]):
                    blocks.pop()
            else:
                blocks.append(block)
        children = tuple(c for c in (section(child, (*path, i)) for i, child in enumerate(s.children)) if c is not None)
        if not blocks and not children:
            return None
        return replace(s, blocks=tuple(blocks), children=children)

    sections = tuple(c for c in (section(s, (i,)) for i, s in enumerate(briefing.sections)) if c is not None)
    said = briefing.labels.get("left_out", "")
    shorter = replace(briefing, sections=sections, cover_lines=(*briefing.cover_lines, *((said,) if said else ())))
    return _cited_sources_only(shorter)


def _is_caption(block: Block) -> bool:
    """A bold paragraph of its own before a list: its caption, which goes with it."""
    return isinstance(block, Paragraph) and bool(block.spans) and all(span.bold for span in block.spans)


# ---------------------------------------------------------------- the estimate


def estimated_pages(briefing: Briefing) -> float:
    """How many pages the note fills, from its text and the house style's measured sizes (in body lines)."""
    lines = (COVER_LINES + sum(_lines(line, LINE_CHARS) + 0.3 for line in briefing.cover_lines)) * COVER_SCALE
    lines += sum(
        _section_lines(section, briefing.layout) * (SOURCES_SCALE if section.id == "sources" else 1.0)
        for section in briefing.sections
    )
    return lines / LINES_PER_PAGE


def _section_lines(section: Section, layout: str) -> float:
    columns = COLUMNS.get(section.id, 1) if layout == "note" else 1
    inner = sum(_block_lines(block, LINE_CHARS / columns) for block in section.blocks)
    inner += sum(_section_lines(child, "") for child in section.children)  # children: in their parent's columns
    if columns > 1:
        inner = inner / columns * COLUMNS_WASTE
    return HEADING_LINES.get(section.level, 1.4) + inner


def _block_lines(block: Block, width: float) -> float:
    if isinstance(block, Paragraph):
        return _lines(_text(block.spans), width) + 0.35
    if isinstance(block, ItemList):
        return 0.3 + sum(
            _lines(_text(item.spans), width - 4) + 0.15 + (_block_lines(item.children, width - 4) if item.children else 0)
            for item in block.items
        )
    if isinstance(block, KeyFigures):  # rows of boxes, each as tall as its tallest: value, label, detail
        room = width / KEY_FIGURES_PER_ROW - 2
        tall = [
            _lines(f.value, room / VALUE_SIZE) * VALUE_SIZE + _lines(f.label, room) + _lines(f.detail, room / 0.9) * 0.9 + 1
            for f in block.figures
        ]
        rows = [tall[i : i + KEY_FIGURES_PER_ROW] for i in range(0, len(tall), KEY_FIGURES_PER_ROW)]
        return sum(max(row) for row in rows) + 0.5
    if isinstance(block, Table):
        shares = block.widths()
        header = 0.0 if block.role == "sources" else 1.6
        body = sum(
            max(_lines(_text(cell), max(width * share - 3, 4)) for cell, share in zip(row, shares, strict=True)) + 0.45
            for row in block.rows
        )
        return header + body + (1.3 if block.caption else 0) + 0.6
    if isinstance(block, Chart | BarChart):
        return CHART_LINES
    return 1.0


def _text(spans: Inline) -> str:
    return "".join(span.text for span in spans)


def _lines(text: str, width: float) -> float:
    """Lines a text fills at `width` characters a line."""
    chars = sum(CYRILLIC_CHARS if "\u0400" <= char <= "\u04ff" else WIDE_CHARS if char.isupper() else 1 for char in text)
    return max(math.ceil(chars / max(width, 1) - 0.05), 1)


# ---------------------------------------------------------------- the sources


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
