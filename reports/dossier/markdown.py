"""The one Markdown parser of area bodies and briefs, what a passage of that prose cites, and the prose less the
passages a briefing may not show.

markdown-it stops at a nesting limit (lists inside lists, quotes inside quotes) and silently drops the rest of
the text; the loader reports a body that reaches it, with the line, so no text is ever lost from a briefing.

Prose cites sources by id in Pandoc's syntax, `[@id]` or `[@one; @two]`, and a link whose URL is a source's `url`
cites that source too. A *passage* is a paragraph, a list item (its own text: each item of a nested list is a
passage of its own), a table row or a block quote; what a passage cites is what decides whether a briefing as of a
date, or for the public, may show it (`without_passages`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from reports.errors import ProblemCollector

MAX_NESTING = 20  # markdown-it's own limit: a list level takes two (the list and its item), so 9 levels of lists
_CONTAINERS = ("bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open")
CITATION = re.compile(r"\[\s*(@[^\s;\[\]]+(?:\s*;\s*@[^\s;\[\]]+)*)\s*\]")  # [@id] or [@a; @b]
_PASSAGES = ("paragraph_open", "list_item_open", "tr_open", "blockquote_open")
Prose = list[tuple[str, int, str]]  # (file, line of the body's first line, Markdown body) of each area and brief file


def markdown_parser() -> MarkdownIt:
    """CommonMark with tables, raw HTML as literal text."""
    return MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING}).enable("table")


def too_deep_line(body: str) -> int | None:
    """The line (counted from 0 in `body`) where the body nests too deeply to be kept whole, or None: a list,
    item or quote opened at the last level holds nothing, and the parser skips every line after it."""
    for token in markdown_parser().parse(body):
        if token.type in _CONTAINERS and token.level >= MAX_NESTING - 1 and token.map:
            return token.map[0]
    return None


def citation_ids(text: str) -> list[str]:
    """The source ids a text cites with `[@id; @other]`, in order."""
    return [key.strip().lstrip("@") for match in CITATION.finditer(text) for key in match.group(1).split(";")]


def citations_by_line(body: str) -> list[tuple[int, str]]:
    """(line counted from 0, id) of every `[@id]` in a body, for the check that each names a source."""
    return [(number, key) for number, line in enumerate(body.split("\n")) for key in citation_ids(line)]


def inline_citations(tokens: list[Token], source_by_url: Mapping[str, str]) -> set[str]:
    """The source ids that inline tokens cite: `[@id]` in their text, and links to a source's `url`."""
    cited: set[str] = set()
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                cited.update(citation_ids(child.content))
            elif child.type == "link_open" and str(child.attrs.get("href", "")) in source_by_url:
                cited.add(source_by_url[str(child.attrs["href"])])
    return cited


@dataclass(frozen=True)
class Passage:
    """Lines [start, end) of a body (counted from 0) and the sources the passage cites."""

    start: int
    end: int
    cites: frozenset[str]


def passages(body: str, source_by_url: Mapping[str, str]) -> list[Passage]:
    """Every passage of a body with what it cites. A list item's own text is judged apart from its nested lists; a
    block quote and a table row are judged whole."""
    tokens = markdown_parser().parse(body)
    found = []
    open_types: list[str] = []  # the containers around the token being read
    for index, token in enumerate(tokens):
        if token.nesting == -1:
            open_types.pop()
            continue
        in_quote = "blockquote_open" in open_types
        in_item = bool(open_types) and open_types[-1] == "list_item_open"
        if token.nesting == 1:
            open_types.append(token.type)
        if token.type not in _PASSAGES or not token.map or in_quote or (token.type == "paragraph_open" and in_item):
            continue
        content = tokens[index + 1 : _closing(tokens, index)]
        if token.type == "list_item_open":  # its own text: leave out what its nested lists hold
            content = _outside_nested_lists(content)
        found.append(Passage(token.map[0], token.map[1], frozenset(inline_citations(content, source_by_url))))
    return found


def without_passages(body: str, keep: Callable[[frozenset[str]], bool], source_by_url: Mapping[str, str]) -> tuple[str, int]:
    """The body less each passage whose citations `keep` refuses, and less a heading left with nothing under it;
    and how many passages were left out."""
    lines = body.split("\n")
    dropped = [p for p in passages(body, source_by_url) if not keep(p.cites)]
    gone = {line for p in dropped for line in range(p.start, p.end)}
    if not gone:
        return body, 0
    kept = "\n".join(line for number, line in enumerate(lines) if number not in gone)
    return _without_empty_headings(kept), len(dropped)


def _without_empty_headings(body: str) -> str:
    """A heading followed by nothing before the next heading of its level or above (or the end) is removed."""
    tokens = markdown_parser().parse(body)
    headings = [(t.map[0], t.map[1], int(t.tag[1])) for t in tokens if t.type == "heading_open" and t.map]
    blocks = [t.map[0] for t in tokens if t.level == 0 and t.nesting != -1 and t.type != "heading_open" and t.map]
    lines = body.split("\n")
    gone: set[int] = set()
    for number, (start, end, level) in enumerate(headings):
        following = [h for h in headings[number + 1 :] if h[2] <= level]
        stop = following[0][0] if following else len(lines)
        if not any(end <= line < stop for line in blocks):
            gone.update(range(start, end))
    return "\n".join(line for number, line in enumerate(lines) if number not in gone)


def _closing(tokens: list[Token], index: int) -> int:
    """The index of the token that closes the one at `index`."""
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position
    return len(tokens)


def _outside_nested_lists(tokens: list[Token]) -> list[Token]:
    kept, depth = [], 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif depth == 0:
            kept.append(token)
    return kept


def check_nesting(body: str, body_line: int, display: str, problems: ProblemCollector) -> bool:
    """A body (an area's, a brief's) nested too deeply for the parser would lose its text from that line on: an
    error instead (False)."""
    line = too_deep_line(body)
    if line is not None:
        problems.add(
            display, body_line + line, "body",
            f"lists or quotes are nested more than {MAX_NESTING // 2 - 1} levels deep here; the text from this line "
            "on would be lost (nest less deeply)",
        )  # fmt: skip
    return line is None
