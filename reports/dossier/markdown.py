"""The one Markdown parser of area bodies, and the check that it can hold a body whole.

markdown-it stops at a nesting limit (lists inside lists, quotes inside quotes) and silently drops the rest of
the text; the loader reports a body that reaches it, with the line, so no text is ever lost from a briefing.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from reports.errors import ProblemCollector

MAX_NESTING = 20  # markdown-it's own limit: a list level takes two (the list and its item), so 9 levels of lists
_CONTAINERS = ("bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open")


def markdown_parser() -> MarkdownIt:
    """CommonMark, raw HTML as literal text."""
    return MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})


def too_deep_line(body: str) -> int | None:
    """The line (counted from 0 in `body`) where the body nests too deeply to be kept whole, or None: a list,
    item or quote opened at the last level holds nothing, and the parser skips every line after it."""
    for token in markdown_parser().parse(body):
        if token.type in _CONTAINERS and token.level >= MAX_NESTING - 1 and token.map:
            return token.map[0]
    return None


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
