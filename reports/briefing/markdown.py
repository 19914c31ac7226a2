"""Area bodies (Markdown) as blocks of the briefing model: paragraphs, lists, bold, italic, code and safe links."""

from __future__ import annotations

from reports.briefing.model import Block, Inline, ItemList, ListItem, Paragraph, Span
from reports.dossier.markdown import markdown_parser

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")


def markdown_blocks(text: str) -> tuple[Block, ...]:
    """Area bodies: paragraphs, lists, bold, italic and links; raw HTML stays literal text."""
    tokens = markdown_parser().parse(text)
    blocks, _ = _blocks(tokens, 0, None)
    return tuple(blocks)


def _blocks(tokens: list, index: int, closing: str | None) -> tuple[list, int]:
    """Blocks from `index` until the `closing` token type; returns them and the index after it."""
    blocks: list = []
    while index < len(tokens):
        token = tokens[index]
        if token.type == closing:
            return blocks, index + 1
        if token.type in ("bullet_list_open", "ordered_list_open"):
            items, index = _list_items(tokens, index + 1, token.type.replace("_open", "_close"))
            blocks.append(ItemList(tuple(items), ordered=token.type == "ordered_list_open"))
            continue
        if token.type == "inline":
            blocks.append(Paragraph(_spans(token.children or [])))
        elif token.type in ("fence", "code_block"):
            blocks.append(Paragraph((Span(token.content.rstrip("\n"), code=True),)))
        index += 1
    return blocks, index


def _list_items(tokens: list, index: int, closing: str) -> tuple[list[ListItem], int]:
    items = []
    while tokens[index].type != closing:
        content, index = _blocks(tokens, index + 1, "list_item_close")
        spans: list[Span] = []
        children = None
        for block in content:
            if isinstance(block, ItemList):
                children = block
            elif isinstance(block, Paragraph):
                spans += ([Span(" ")] if spans else []) + list(block.spans)
        items.append(ListItem(tuple(spans), children))
    return items, index + 1


def _spans(children: list) -> Inline:
    spans: list[Span] = []
    bold = italic = False
    href: str | None = None
    for token in children:
        if token.type in ("strong_open", "strong_close"):
            bold = token.type == "strong_open"
        elif token.type in ("em_open", "em_close"):
            italic = token.type == "em_open"
        elif token.type == "link_open":
            target = str(token.attrs.get("href", ""))
            href = target if target.startswith(SAFE_LINK_SCHEMES) else None
        elif token.type == "link_close":
            href = None
        elif token.type in ("softbreak", "hardbreak"):
            spans.append(Span(" ", bold, italic, href=href))
        elif token.type == "code_inline":
            spans.append(Span(token.content, bold, italic, code=True, href=href))
        elif token.content:
            spans.append(Span(token.content, bold, italic, href=href))
    return tuple(spans)
