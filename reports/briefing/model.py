"""The briefing model: format-neutral sections and blocks that every renderer draws the same way.

Everything here is already chosen for one audience and one language and already formatted
(`$4.27 bn`, `42.7 %`, `March 2025`), so the PDF, the HTML and the Word file say the same thing.
A citation is a Span with `cites` set: the numbers of its sources in `Briefing.sources`, written once, merged and
sorted (`[2, 3]`, `[4–6]`, see `cite_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType

from reports.dossier.languages import plain, tagged
from reports.dossier.text import NBSP

CONTENTS_MIN_PAGES = 4  # a briefing that runs over 3 pages gets a table of contents
TABLE_LINE_CHARS = 100  # characters of table text across the text area (8.5 pt on A4 less the margins)
CELL_PADDING_CHARS = 3  # a cell's padding on both sides, in characters
BOLD_WIDTH = 1.3  # a bold letter is wider; set in capitals and Cyrillic, more than the 10 % of Latin lower case
_UNBREAKABLE_WORDS = re.compile(r"(?<!\d) ")  # the printed formats keep a figure with the word after it
CAPITAL_WIDTH = 1.3
LONGEST_WORD_CHARS = 30  # a longer word (a URL) is broken anywhere rather than given the whole table


def cite_text(numbers: Iterable[int]) -> str:
    """One mark for several sources, sorted, runs of three or more as a range: `[2, 3]`, `[4–6]`, `[1, 4–6, 9]`.
    The spaces are no-break spaces, so a mark is never broken across lines in any format."""
    ordered = sorted(set(numbers))
    runs: list[list[int]] = []
    for number in ordered:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [f"{run[0]}–{run[-1]}" if len(run) > 2 else f",{NBSP}".join(map(str, run)) for run in runs]
    return "[" + f",{NBSP}".join(parts) + "]"


@dataclass(frozen=True)
class Span:
    """A run of inline text: plain, bold, italic, a link, or a citation mark `[n]` (`cites`: its source numbers,
    sorted; the mark links to the first)."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    cites: tuple[int, ...] = ()


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    spans: Inline
    role: str = "body"  # "body", "lead" (a section's summary) or "note" (small print under a table)


@dataclass(frozen=True)
class Unit:
    """A whole piece of a page-limited note that the fit may leave out (reports/briefing/fit.py): what a reader knows
    it by (`kind`: area, fact, event, target, person, point, meeting, commitment; `name`: its title or text), how
    relevant it is (`score`: higher stays longer; docs/architecture.md, "Fitting a note") and whether it must stay."""

    kind: str
    name: str
    score: float = 0.0
    keep: bool = False


@dataclass(frozen=True)
class ListItem:
    spans: Inline
    children: ItemList | None = None
    unit: Unit | None = None  # None: not a unit of its own (it goes with its section, never alone)


@dataclass(frozen=True)
class ItemList:
    items: tuple[ListItem, ...]
    ordered: bool = False
    # for a list whose bold caption counts its items: the caption for each number of them a fitted note shows
    # (index: how many), which the fit puts in place of the caption (`Open: 6 of 18 (all in the ministry pack)`)
    shown_captions: tuple[str, ...] = ()


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    detail: str
    cites: tuple[int, ...]
    qualifier: str = ""  # `about`, `at least`, `at most`: read before the value, set smaller than it


@dataclass(frozen=True)
class KeyFigures:
    figures: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class Column:
    title: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """A table whose header row repeats on every page it spans; cells are inline text."""

    caption: str  # empty when the section heading already says it
    columns: tuple[Column, ...]
    rows: tuple[tuple[Inline, ...], ...]
    role: str = "data"  # "data", "chronology", "targets", "commitments" or "sources": a hook for styles
    units: tuple[Unit | None, ...] = ()  # one per row where the rows are units a note may leave out, else empty

    def widths(self) -> tuple[float, ...]:
        """Each column's share of the table's width, from its content, the same in every format (the PDF and the
        HTML as `<col>` widths, Word as its grid): every column first gets its longest word (a word, or a figure
        joined by no-break spaces, is never broken), then the rest of the line (`TABLE_LINE_CHARS`) goes to the
        columns in proportion to the average length of their text."""
        need, extra = [], []
        for index, column in enumerate(self.columns):
            texts = [plain(column.title)] + [plain("".join(span.text for span in row[index])) for row in self.rows]
            words = [_chars(word) * BOLD_WIDTH for word in column.title.split(" ")]  # the header is bold
            words += [_chars(word) for text in texts[1:] for word in _UNBREAKABLE_WORDS.split(text)]
            longest = min(max(words), LONGEST_WORD_CHARS)
            average = sum(len(text) for text in texts[1:]) / max(len(texts) - 1, 1)
            need.append(longest + CELL_PADDING_CHARS)
            extra.append(min(average, TABLE_LINE_CHARS))
        room = max(TABLE_LINE_CHARS - sum(need), 0)
        total_extra = sum(extra) or 1
        chars = [n + room * e / total_extra for n, e in zip(need, extra, strict=True)]
        return tuple(round(c / sum(chars), 4) for c in chars)


def _chars(word: str) -> float:
    """A word's width in average characters: a capital letter is wider (`GARNET-RESTRICTED`, `ДЛЯ`)."""
    return sum(CAPITAL_WIDTH if char.isupper() else 1 for char in word)


@dataclass(frozen=True)
class ChartSeries:
    """Turnover by year with the split where known, and the path to one target."""

    years: tuple[int, ...]
    exports: tuple[float | None, ...]
    imports: tuple[float | None, ...]
    turnover: tuple[float, ...]
    exports_label: str
    imports_label: str
    turnover_label: str
    value_axis_label: str
    target_year: int | None = None
    target_value: float | None = None
    target_label: str = ""
    required_path: tuple[tuple[int, float], ...] = ()  # from the latest year to the target year
    required_label: str = ""
    category_axis_label: str = ""  # the years' axis title where a format draws one (the Word chart)
    # how exact each year's figure is (reports/dossier/quality.py: exact, estimate, at_least), empty when all are exact:
    # an estimate or a lower bound is drawn as one turnover bar of its own look, named in the legend by these labels
    qualities: tuple[str, ...] = ()
    estimate_label: str = ""
    lower_bound_label: str = ""

    @property
    def target(self) -> tuple[int, float] | None:
        """(year, value) of the target drawn, or None: a chart shows a target only with both."""
        if self.target_year is None or self.target_value is None:
            return None
        return self.target_year, self.target_value


@dataclass(frozen=True)
class Chart:
    caption: str
    alt_text: str
    series: ChartSeries


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    value_text: str  # the value as the table beside the chart writes it


@dataclass(frozen=True)
class BarChart:
    """A compact chart of horizontal bars, largest first: what a table ranks, seen at a glance."""

    caption: str
    alt_text: str
    bars: tuple[Bar, ...]
    colour: str = "exports"  # "exports" or "imports": the trade chart's colour for that direction


Block = Paragraph | ItemList | KeyFigures | Table | Chart | BarChart
BLOCK_TYPES = (Paragraph, ItemList, KeyFigures, Table, Chart, BarChart)  # every renderer draws each of these


class UnknownBlockError(TypeError):
    """A section holds something that is not one of BLOCK_TYPES: a bug in the model's builder, refused the same way
    by every renderer (`check_blocks`) rather than dropped by one and drawn half-way by another."""


@dataclass(frozen=True)
class Section:
    """A heading and its blocks; `level` 1 is a chapter, 2 a section inside it (an area, a target)."""

    id: str
    title: str
    level: int
    blocks: tuple[Block, ...]
    children: tuple[Section, ...] = ()
    unit: Unit | None = None  # a section a note may leave out whole (an area)


@dataclass(frozen=True)
class SourceEntry:
    number: int
    id: str
    title: str
    publisher: str
    date: str
    url: str | None


@dataclass(frozen=True)
class Briefing:
    """One briefing for one audience in one language, ready for any renderer."""

    dossier_id: str
    audience: str
    lang: str
    title: str
    subtitle: str
    marking: str
    as_of: str
    issued: str  # the as-of date as YYYY-MM-DD: the document date in the files' metadata, so rebuilds are byte-identical
    cover_lines: tuple[str, ...]
    sections: tuple[Section, ...]
    sources: tuple[SourceEntry, ...]
    labels: Mapping[str, str] = field(default_factory=dict)  # fixed words: "Contents", "Page", "of", "Sources"
    author: str = ""
    keywords: tuple[str, ...] = ()
    layout: str = "report"  # the audience's layout: "note" (flows on from its heading, small type) or "report" (a cover page)
    max_pages: int | None = None
    word_chart: str = "native"  # "native": an editable Word chart; "picture": the PNG of the PDF's chart
    left_out: int = 0  # dossier items left out for citing sources published after the as-of date (said on stderr)

    def __post_init__(self) -> None:
        """Every format is drawn from one model: frozen all the way down (tuples, and the labels read-only), so no
        template or renderer can change what the next format draws."""
        object.__setattr__(self, "labels", MappingProxyType(dict(self.labels)))

    def __reduce__(self) -> tuple[type[Briefing], tuple[object, ...]]:
        """Pickled for the render process (reports/isolation.py) through `__init__`, which makes the labels read-only
        again on arrival."""
        return type(self), tuple(dict(self.labels) if f.name == "labels" else getattr(self, f.name) for f in fields(self))

    def expects_contents(self) -> bool:
        """Whether a table of contents is expected: a briefing of the `report` layout without a page limit under
        CONTENTS_MIN_PAGES (the ministry report, not the leadership note or the press fact sheet). Word and HTML
        go by this guess; the PDF checks it against the pages it laid out."""
        return self.layout == "report" and (self.max_pages is None or self.max_pages >= CONTENTS_MIN_PAGES)

    def check_blocks(self) -> None:
        """Raises UnknownBlockError naming the first block that is not one of BLOCK_TYPES and its section. Every
        renderer calls it before drawing anything, so an unknown block fails every format in the same way."""
        for section in self.walk():
            for block in section.blocks:
                if not isinstance(block, BLOCK_TYPES):
                    raise unknown_block(block, section)

    def walk(self) -> list[Section]:
        """Every section, depth first, in reading order."""
        found: list[Section] = []

        def visit(section: Section) -> None:
            found.append(section)
            for child in section.children:
                visit(child)

        for section in self.sections:
            visit(section)
        return found


def words_of(spans: Inline) -> str:
    """Inline text's words without its citation marks: what a reader knows a point or a line by."""
    return "".join(span.text for span in spans if not span.cites).strip()


def unknown_block(block: object, section: Section | None = None) -> UnknownBlockError:
    """The error for a block no renderer draws, naming its type (and its section when known)."""
    where = f" in section '{section.id}'" if section is not None else ""
    known = ", ".join(kind.__name__ for kind in BLOCK_TYPES)
    return UnknownBlockError(f"the briefing model has no block type {type(block).__name__}{where}; the blocks are {known}")


def marked_blocks(blocks: tuple[Block, ...], lang: str) -> tuple[Block, ...]:
    """Prose blocks (an area's body, a pack note) whose every text is marked as written in `lang`
    (reports/dossier/languages.py): the prose fell back to that language. Citation marks stay as they are."""
    if not lang:
        return blocks

    def spans(inline: Inline) -> Inline:
        return tuple(span if span.cites else replace(span, text=tagged(span.text, lang)) for span in inline)

    def items(block: ItemList) -> ItemList:
        return replace(block, items=tuple(ListItem(spans(i.spans), i.children and items(i.children)) for i in block.items))

    return tuple(
        replace(b, spans=spans(b.spans)) if isinstance(b, Paragraph) else items(b) if isinstance(b, ItemList) else b
        for b in blocks
    )
