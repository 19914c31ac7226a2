"""Markdown prose (area bodies, briefs) as blocks of the briefing model: paragraphs, lists, tables, bold, italic,
code, safe links, and citations (`[@id]`, or a link to a source's url) as the numbered marks of the sources list."""

from __future__ import annotations

from markdown_it.token import Token

from reports.briefing.citations import Citations
from reports.briefing.model import Block, Column, Inline, ItemList, ListItem, Paragraph, Span, Table
from reports.dossier.markdown import CITATION, citation_ids, markdown_parser

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")


def markdown_blocks(text: str, citations: Citations) -> tuple[Block, ...]:
    """The blocks of a Markdown text; raw HTML stays literal text, and each citation numbers its sources."""
    tokens = markdown_parser().parse(text)
    blocks, _ = _Reader(citations)._blocks(tokens, 0, None)
    return tuple(blocks)


class _Reader:
    def __init__(self, citations: Citations) -> None:
        self.citations = citations
        self.source_by_url = citations.dossier.source_by_url

    def _blocks(self, tokens: list[Token], index: int, closing: str | None) -> tuple[list[Block], int]:
        """Blocks from `index` until the `closing` token type; returns them and the index after it."""
        blocks: list[Block] = []
        while index < len(tokens):
            token = tokens[index]
            if token.type == closing:
                return blocks, index + 1
            if token.type in ("bullet_list_open", "ordered_list_open"):
                items, index = self._list_items(tokens, index + 1, token.type.replace("_open", "_close"))
                blocks.append(ItemList(tuple(items), ordered=token.type == "ordered_list_open"))
                continue
            if token.type == "table_open":
                table, index = self._table(tokens, index + 1)
                blocks.append(table)
                continue
            if token.type == "inline":
                blocks.append(Paragraph(self._spans(token.children or [])))
            elif token.type in ("fence", "code_block"):
                blocks.append(Paragraph((Span(token.content.rstrip("\n"), code=True),)))
            index += 1
        return blocks, index

    def _list_items(self, tokens: list[Token], index: int, closing: str) -> tuple[list[ListItem], int]:
        items = []
        while tokens[index].type != closing:
            content, index = self._blocks(tokens, index + 1, "list_item_close")
            spans: list[Span] = []
            children = None
            for block in content:
                if isinstance(block, ItemList):
                    children = block
                elif isinstance(block, Paragraph):
                    spans += ([Span(" ")] if spans else []) + list(block.spans)
            items.append(ListItem(tuple(spans), children))
        return items, index + 1

    def _table(self, tokens: list[Token], index: int) -> tuple[Table, int]:
        """A pipe table: its header row as the columns, every other row as inline cells."""
        header: list[str] = []
        rows: list[tuple[Inline, ...]] = []
        row: list[Inline] = []
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                row = []
            elif token.type == "inline":
                row.append(self._spans(token.children or []))
            elif token.type == "tr_close":
                if header:
                    rows.append(tuple(row))
                else:
                    header = ["".join(span.text for span in cell) for cell in row]
            index += 1
        width = len(header)
        rows = [tuple(list(r[:width]) + [()] * (width - len(r))) for r in rows]
        return Table("", tuple(Column(title) for title in header), tuple(rows)), index + 1

    def _spans(self, children: list[Token]) -> Inline:
        spans: list[Span] = []
        bold = italic = False
        href: str | None = None
        cited_link: str | None = None  # the source a link points to: its mark follows the link
        for token in children:
            if token.type in ("strong_open", "strong_close"):
                bold = token.type == "strong_open"
            elif token.type in ("em_open", "em_close"):
                italic = token.type == "em_open"
            elif token.type == "link_open":
                target = str(token.attrs.get("href", ""))
                href = target if target.startswith(SAFE_LINK_SCHEMES) else None
                cited_link = self.source_by_url.get(target)
            elif token.type == "link_close":
                href = None
                if cited_link:
                    spans += [Span(" "), *self.citations.marks(cited_link)]
                cited_link = None
            elif token.type in ("softbreak", "hardbreak"):
                spans.append(Span(" ", bold, italic, href=href))
            elif token.type == "code_inline":
                spans.append(Span(token.content, bold, italic, code=True, href=href))
            elif token.type == "text" and href is None:
                spans += self._cited_text(token.content, bold, italic)
            elif token.content:
                spans.append(Span(token.content, bold, italic, href=href))
        return tuple(spans)

    def _cited_text(self, text: str, bold: bool, italic: bool) -> list[Span]:
        """Text with each `[@id; @other]` as the marks of those sources (the space before a mark is kept as one)."""
        spans: list[Span] = []
        position = 0
        for match in CITATION.finditer(text):
            if match.start() > position:
                spans.append(Span(text[position : match.start()], bold, italic))
            spans += list(self.citations.marks(*citation_ids(match.group(0))))
            position = match.end()
        if position < len(text):
            spans.append(Span(text[position:], bold, italic))
        return spans
