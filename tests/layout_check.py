"""A typesetter's look at a built PDF, page by page, with pdfplumber.

Every check takes a `Document` (one PDF, read once) and returns findings, one string each, "<file> p<page>: what".
The checks read the PDF's structure tree (WeasyPrint writes PDF/UA: every glyph of the content belongs to a tagged
element, H2, P, Table/TD, Link, Caption, Figure; the running head and foot are untagged artifacts), so a heading is
a glyph inside an H1-H6 element, a citation mark a Link whose text is "[n]", a table cell a TD or TH.

What the checks hold the PDF to (the house style, reports/templates/briefing.css):
- the text area is the page less the @page margins of briefing.css (`@page note` for the two-page note); only the
  running head and foot (untagged) lie outside it, and the chart's own drawing is not checked;
- a table cell's text stays inside its cell, less CELL_INSET of the cell's padding;
- body text is never under MIN_BODY_PT; smaller type is allowed only for citation marks (which must be smaller
  than the text they follow and must not touch the line above) and for the reference list of the two-page note,
  which is looked up rather than read (MIN_REFERENCE_PT);
- a citation mark "[n]" is never broken across lines;
- a heading or a caption is never in the last lines of a page (MIN_LINES_AFTER_HEADING lines of what it heads
  follow it on its page);
- a table that breaks across pages has at least MIN_ROWS_BEFORE_BREAK body rows on its first page;
- a page does not begin with the one-line end of the previous section (the "Sources:" line) followed by a heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfminer.layout import LTChar, LTComponent, LTContainer, LTLine, LTRect

MM = 72 / 25.4
# 8 pt: the size the house style gives the two-page note's body (.layout-note); the full reports set their text
# at 9.5 pt and their tables at 8.5 pt. The issue asked for "about 8.5 pt"; 8 pt is the floor below which the fit
# steps must choose less content rather than smaller type.
MIN_BODY_PT = 8.0
MIN_REFERENCE_PT = 6.5  # the note's reference list (the sources table of a note)
MIN_CITATION_PT = 5.0  # a citation mark smaller than this is no longer legible
CELL_INSET = 1.5  # pt a glyph may reach into its cell's padding (2 mm, 1 mm in the note) before it counts as overflow
EDGE_TOLERANCE = 0.5  # pt, rounding of PDF coordinates
MIN_LINES_AFTER_HEADING = 2
MIN_ROWS_BEFORE_BREAK = 3
HEADINGS = {"H1", "H2", "H3", "H4", "H5", "H6"}
CITATION = re.compile(r"\[\d+(?:[,–-]\s?\d+)*\]")


@dataclass
class Glyph:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    path: tuple[str, ...]  # structure types from the root to the glyph's marked content
    kinds: frozenset[str]  # the same types as a set: `inside` is asked millions of times
    element: int  # the marked content id (one Span, Link, ... of the structure tree)
    cell: int | None  # id of the TD/TH element the glyph is in
    column: int | None  # that cell's column, from the TH id / Headers attribute ("<table>-<row>-<column>")
    table: str | None  # the table's key on this page (a repeated header gets new ids on every page)
    headed: bool  # the table has a header row (the note's reference list hides its header)
    row: int | None  # id of the TR element
    block: int  # id of the nearest heading, paragraph, caption, list item or cell element

    def inside(self, kind: str | set[str]) -> bool:
        return kind in self.kinds if isinstance(kind, str) else not self.kinds.isdisjoint(kind)


@dataclass
class Page:
    number: int
    width: float
    height: float
    glyphs: list[Glyph]  # the tagged content, in drawing order (reading order inside a block)
    artifacts: int  # untagged glyphs: the running head and foot
    element_text: dict[int, str] = field(default_factory=dict)
    column_edges: list[tuple[float, float, float, list[float]]] = field(default_factory=list)  # (top, bottom, x0, edges)


@dataclass
class Document:
    name: str
    summary: bool  # a briefing of the note layout (the two-page note), laid out on `@page note`
    margins: tuple[float, float, float, float]  # top, right, bottom, left in pt
    pages: list[Page]

    def text_area(self, page: Page) -> tuple[float, float, float, float]:
        top, right, bottom, left = self.margins
        return left, top, page.width - right, page.height - bottom


def page_margins(css: str, page_name: str | None = None) -> tuple[float, float, float, float]:
    """The `margin` of `@page` (or `@page <name>`) in briefing.css, in pt (top, right, bottom, left)."""
    selector = r"@page\s+" + re.escape(page_name) if page_name else r"@page"
    match = re.search(selector + r"\s*\{[^{}]*?margin:\s*([^;}]+)", css)
    assert match, f"briefing.css has no margin for {selector}"
    values = []
    for value in match.group(1).split():
        number, unit = re.fullmatch(r"([\d.]+)(mm|pt|cm)", value).groups()
        values.append(float(number) * {"mm": MM, "pt": 1.0, "cm": 10 * MM}[unit])
    while len(values) < 4:
        values.append(values[len(values) - 2])  # CSS shorthand: right defaults to top, bottom to top, left to right
    return tuple(values)


BLOCKS = HEADINGS | {"P", "Caption", "LI", "LBody", "TD", "TH", "Div"}


def _walk(
    node: dict, path: tuple[str, ...], cell: dict | None, table: dict | None, block: int, out: dict, row: int | None = None
) -> None:
    kind = node.get("type", "")
    path = path + (kind,)
    if kind == "TR":
        row = id(node)
    if kind in BLOCKS:
        block = id(node)
    if kind == "Table":
        table = {"key": f"table-{id(node)}", "headed": False}
    if kind in ("TD", "TH"):
        cell = node
        ident = node.get("id") or ""
        headers = (node.get("attributes") or {}).get("Headers") or []
        reference = ident or (
            headers[0].decode() if headers and isinstance(headers[0], bytes) else str(headers[0]) if headers else ""
        )
        parts = reference.split("-")
        if len(parts) == 3 and table is not None:
            table["headed"] = True
            cell = dict(node, _column=int(parts[2]))
        node["_cell"] = cell
    for mcid in node.get("mcids") or []:
        out[mcid] = (path, frozenset(path), cell, table, block, row)
    for child in node.get("children") or []:
        _walk(child, path, cell, table, block, out, row)


def read(pdf_path: Path, summary: bool, css: str) -> Document:
    """The PDF page by page: each glyph with its place in the structure tree, and the drawn table rows.

    The glyphs, rectangles and lines are pdfplumber's layout objects (pdfminer's, which pdfplumber tags with their
    marked content id) rather than `page.chars`, `page.rects` and `page.lines`, which first copy every attribute
    of every object into a dict: more than a third of the time of reading the full report."""
    margins = page_margins(css, "note") if summary else page_margins(css)
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, plumb in enumerate(pdf.pages, start=1):
            assert tuple(plumb.mediabox[:2]) == (0, 0), f"{pdf_path.name} p{number}: the media box does not start at 0, 0"
            height = float(plumb.height)  # PDF space counts y up from the foot of the page; `top` counts down
            roles: dict[int, tuple] = {}
            for root in plumb.structure_tree:
                _walk(root, (), None, None, 0, roles)
            glyphs, artifacts, texts, drawn = [], 0, {}, []
            for item in layout_objects(plumb.layout):
                if not isinstance(item, LTChar):
                    drawn.append(item)
                    continue
                role = roles.get(getattr(item, "mcid", None))
                if role is None:
                    artifacts += 1
                    continue
                path, kinds, cell, table, block, row = role
                glyph = Glyph(
                    text=item.get_text(), x0=item.x0, x1=item.x1, top=height - item.y1, bottom=height - item.y0,
                    size=round(item.size, 2), bold="Bold" in item.fontname, path=path, kinds=kinds, element=item.mcid,
                    cell=id(cell) if cell is not None else None, column=cell.get("_column") if cell is not None else None,
                    table=table["key"] if table is not None else None, block=block,
                    headed=bool(table and table["headed"]), row=row,
                )  # fmt: skip
                glyphs.append(glyph)
                texts[glyph.element] = texts.get(glyph.element, "") + glyph.text
            page = Page(number, float(plumb.width), height, glyphs, artifacts, texts)
            page.column_edges = _table_grids(drawn, page)
            pages.append(page)
    return Document(pdf_path.name, summary, margins, pages)


def layout_objects(items: LTContainer) -> Iterator[LTComponent]:
    """The page's objects, those inside a form XObject (an `LTFigure`) included, as pdfplumber lists them."""
    for item in items:
        if isinstance(item, LTContainer):
            yield from layout_objects(item)
        else:
            yield item


def _table_grids(drawn: list[LTComponent], page: Page) -> list[tuple[float, float, float, list[float]]]:
    """Column edges of each drawn table row: the header cells' filled rectangles and the cells' bottom borders are
    drawn one per cell, so the x where one ends and the next begins are the column edges."""
    fills = [r for r in drawn if isinstance(r, LTRect) and r.fill and r.height > 5 and r.width < page.width * 0.9]
    rules = [line for line in drawn if isinstance(line, LTLine) and abs(line.y1 - line.y0) < 0.1]
    rows: dict[float, list[tuple[float, float]]] = {}
    for item in fills + rules:
        rows.setdefault(round(page.height - item.y1, 1), []).append((item.x0, item.x1))
    grids = []
    for top, spans in sorted(rows.items()):
        if len(spans) < 2:
            continue
        spans.sort()
        edges = [spans[0][0]] + [x1 for _, x1 in spans]
        grids.append((top, spans[0][0], spans[-1][1], edges))
    return grids


def _where(document: Document, page: Page) -> str:
    return f"{document.name} p{page.number}"


def _lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines (vertical overlap of at least half the smaller glyph), top to bottom."""
    lines: list[list] = []  # [top, bottom, largest size, glyphs]
    for glyph in sorted(glyphs, key=lambda g: (g.top, g.x0)):
        for line in reversed(lines[-6:]):  # sorted by top: only the last lines can still overlap
            overlap = min(line[1], glyph.bottom) - max(line[0], glyph.top)
            if overlap >= 0.5 * min(glyph.size, line[2]):
                line[0], line[1], line[2] = min(line[0], glyph.top), max(line[1], glyph.bottom), max(line[2], glyph.size)
                line[3].append(glyph)
                break
        else:
            lines.append([glyph.top, glyph.bottom, glyph.size, [glyph]])
    return [line[3] for line in sorted(lines, key=lambda line: line[0])]


def _text(glyphs: list[Glyph]) -> str:
    """The glyphs' text left to right, a space where a gap is (the PDF has no space glyphs between most words)."""
    text, last = "", None
    for glyph in sorted(glyphs, key=lambda g: g.x0):
        if last is not None and glyph.x0 - last.x1 > 0.15 * glyph.size and not text.endswith(" "):
            text += " "
        text, last = text + glyph.text, glyph
    return text.strip()


def _citations(page: Page) -> dict[int, list[Glyph]]:
    """The glyphs of each citation mark: a Link element whose text is "[n]"."""
    marks: dict[int, list[Glyph]] = {}
    for glyph in page.glyphs:
        if glyph.inside("Link") and CITATION.fullmatch(page.element_text.get(glyph.element, "").strip()):
            marks.setdefault(glyph.element, []).append(glyph)
    return marks


def outside_text_area(document: Document) -> list[str]:
    """Content outside the page's text area, or outside its table cell (a word run past the table's edge, two
    header words run together, a figure running into the next column)."""
    findings = []
    for page in document.pages:
        left, top, right, bottom = document.text_area(page)
        outside = [
            g for g in page.glyphs if g.text.strip() and not g.inside("Figure") and (
                g.x0 < left - EDGE_TOLERANCE or g.x1 > right + EDGE_TOLERANCE
                or g.top < top - EDGE_TOLERANCE or g.bottom > bottom + EDGE_TOLERANCE)
        ]  # fmt: skip
        for line in _lines(outside):
            findings.append(f"{_where(document, page)}: {_text(line)!r} outside the text area")
        cells: dict[int, list[Glyph]] = {}
        for glyph in page.glyphs:
            if glyph.cell is not None and glyph.column is not None:
                cells.setdefault(glyph.cell, []).append(glyph)
        for glyphs in cells.values():
            first = glyphs[0]
            grid = _grid_for(page, first)
            if grid is None or first.column + 1 >= len(grid):
                continue
            x0, x1 = grid[first.column] + CELL_INSET, grid[first.column + 1] - CELL_INSET
            over = [g for g in glyphs if g.x0 < x0 - EDGE_TOLERANCE or g.x1 > x1 + EDGE_TOLERANCE]
            if over:
                words = " ".join(_text(line) for line in _lines(glyphs))
                findings.append(f"{_where(document, page)}: {words!r} runs out of its table cell (column {first.column + 1})")
    return findings


def _grid_for(page: Page, glyph: Glyph) -> list[float] | None:
    """The column edges of the drawn row nearest below the glyph (its own bottom border or header fill)."""
    best = None
    for top, x0, _x1, edges in page.column_edges:
        if (
            top >= glyph.top - 40
            and x0 - 1 <= glyph.x0 + 40
            and (best is None or abs(top - glyph.bottom) < abs(best[0] - glyph.bottom))
        ):
            best = (top, edges)
    return best[1] if best else None


def small_type(document: Document) -> list[str]:
    """Body text under MIN_BODY_PT; citation marks not smaller than the text they follow, too small to read, or
    reaching into the line above."""
    findings = []
    for page in document.pages:
        marks = _citations(page)
        in_mark = {id(g) for glyphs in marks.values() for g in glyphs}
        small: dict[float, list[Glyph]] = {}
        for glyph in page.glyphs:
            if id(glyph) in in_mark or glyph.inside("Figure") or not glyph.text.strip():
                continue
            floor = MIN_REFERENCE_PT if document.summary and _is_reference_list(glyph) else MIN_BODY_PT
            if glyph.size < floor - 0.01:
                small.setdefault(glyph.size, []).append(glyph)
        for size, glyphs in sorted(small.items()):
            example = _text(_lines(glyphs)[0])[:40]
            where = _where(document, page)
            findings.append(f"{where}: {len(glyphs)} characters of text at {size:g} pt, under the minimum (e.g. {example!r})")
        body = [g for g in page.glyphs if id(g) not in in_mark]
        for glyphs in marks.values():
            mark = "".join(g.text for g in glyphs)
            size = max(g.size for g in glyphs)
            before = [g for g in body if g.bottom > glyphs[0].top and g.top < glyphs[0].bottom and g.x1 <= glyphs[0].x0 + 0.5]
            host = max(before, key=lambda g: g.x1) if before else None
            if size < MIN_CITATION_PT:
                findings.append(f"{_where(document, page)}: citation mark {mark} at {size:g} pt, under {MIN_CITATION_PT:g} pt")
            if host is not None and size >= host.size:
                where = _where(document, page)
                findings.append(
                    f"{where}: citation mark {mark} at {size:g} pt is not smaller than the {host.size:g} pt text before it"
                )
            top = min(g.top for g in glyphs)
            for other in body:
                if (
                    other.bottom <= glyphs[0].top - 0.5 * other.size
                    and other.bottom > top + EDGE_TOLERANCE
                    and other.x1 > glyphs[0].x0
                    and other.x0 < glyphs[-1].x1
                ):
                    findings.append(
                        f"{_where(document, page)}: citation mark {mark} reaches into the line above ({_text([other])!r})"
                    )
                    break
    return findings


def _is_reference_list(glyph: Glyph) -> bool:
    return glyph.inside("TD") and not glyph.headed  # the note's sources table: its header is hidden


def split_citations(document: Document) -> list[str]:
    """A "[" whose "]" is on the next line ("[10" / "]")."""
    findings = []
    for page in document.pages:
        glyphs = page.glyphs
        for index, glyph in enumerate(glyphs):
            if glyph.text != "[":
                continue
            close = next((g for g in glyphs[index + 1 : index + 12] if g.text == "]"), None)
            if close is not None and close.top > glyph.bottom - 0.2 * glyph.size:
                opened = "".join(g.text for g in glyphs[index : glyphs.index(close) + 1])
                findings.append(f"{_where(document, page)}: citation {opened} broken across lines")
    return findings


def stranded_headings(document: Document) -> list[str]:
    """A heading or caption with fewer than MIN_LINES_AFTER_HEADING lines of what it heads below it on its page."""
    findings = []
    for page in document.pages:
        heads: dict[int, list[Glyph]] = {}
        for glyph in page.glyphs:
            if glyph.inside(HEADINGS) or (glyph.inside("Caption") and glyph.path[-3:-1] == ("Table", "Caption")):
                heads.setdefault(glyph.block, []).append(glyph)
        content = [g for g in page.glyphs if not (g.inside(HEADINGS) or g.inside({"Caption", "TH", "Figure"}))]
        figures = [g for g in page.glyphs if g.inside("Figure")]
        for glyphs in heads.values():
            bottom = max(g.bottom for g in glyphs)
            x0, x1 = min(g.x0 for g in glyphs), max(g.x1 for g in glyphs)
            below = [g for g in content if g.top >= bottom - 0.5 and g.x1 > x0 and g.x0 < max(x1, x0 + 150)]
            if any(g.top >= bottom - 0.5 for g in figures):
                continue  # a chart follows (it is kept whole)
            count = len(_lines(below))
            if count < MIN_LINES_AFTER_HEADING:
                heading = " ".join(_text(line) for line in _lines(glyphs))
                findings.append(
                    f"{_where(document, page)}: heading {heading!r} in the last lines of the page ({count} line(s) follow)"
                )
    return findings


def early_table_breaks(document: Document) -> list[str]:
    """A table that continues on the next page after fewer than MIN_ROWS_BEFORE_BREAK body rows on its first page.
    A table breaks where a page's last content is a table and the next page's first content is one too (its
    repeated header); a table is on its first page unless it is the first content of a page that continues one."""
    findings = []
    pages = document.pages
    for index, page in enumerate(pages[:-1]):
        if not page.glyphs or not pages[index + 1].glyphs:
            continue
        last = max(page.glyphs, key=lambda g: g.bottom)
        first = min(pages[index + 1].glyphs, key=lambda g: g.top)
        if last.table is None or first.table is None or first.inside("Caption"):
            continue  # a table that opens the next page with its caption is another table: a continued one repeats its header
        continued = index > 0 and _continues(pages[index - 1], page)
        if continued and min(page.glyphs, key=lambda g: g.top).table == last.table:
            continue  # the middle or the end of a table begun on an earlier page
        rows = _rows(page, last.table)
        if rows < MIN_ROWS_BEFORE_BREAK:
            findings.append(
                f"{_where(document, page)}: table breaks after {rows} row(s) (at least {MIN_ROWS_BEFORE_BREAK} before a break)"
            )
    return findings


def _continues(before: Page, page: Page) -> bool:
    if not before.glyphs or not page.glyphs:
        return False
    return (
        max(before.glyphs, key=lambda g: g.bottom).table is not None and min(page.glyphs, key=lambda g: g.top).table is not None
    )


def _rows(page: Page, key: str) -> int:
    """Body rows of the table on this page."""
    return len({g.row for g in page.glyphs if g.table == key and g.inside("TD")})


def orphaned_section_ends(document: Document) -> list[str]:
    """A page that begins with a one-line paragraph ending the previous section (the "Sources:" line) right above
    a heading: the line belongs with its section on the page before."""
    findings = []
    for page in document.pages[1:]:
        if not page.glyphs:
            continue
        top = min(g.top for g in page.glyphs)
        lines = _lines([g for g in page.glyphs if g.top < top + 60])
        if len(lines) < 2:
            continue
        first, second = lines[0], lines[1]
        if all(g.inside("P") for g in first) and any(g.inside(HEADINGS) for g in second):
            findings.append(
                f"{_where(document, page)}: begins with the orphaned last line {_text(first)[:40]!r} of the previous section"
            )
    return findings


CHECKS = {
    "outside_text_area": outside_text_area,
    "small_type": small_type,
    "split_citations": split_citations,
    "stranded_headings": stranded_headings,
    "early_table_breaks": early_table_breaks,
    "orphaned_section_ends": orphaned_section_ends,
}
