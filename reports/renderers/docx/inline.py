"""The Word renderer's inline text: every run of text enters the document through `TextWriter`, which the block
writers (`blocks.py`, `contents.py`) write with and `WordWriter` (`writer.py`) extends with the furniture, the sections
and the charts, so the blocks need nothing from the writer above them."""

from __future__ import annotations

import string

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from reports.briefing.model import Briefing, SourceEntry, Span, Table, cite_text
from reports.dossier.languages import pieces
from reports.locale.formatting import unbreakable
from reports.renderers.docx.ooxml import (
    add_field_mark,
    add_instruction,
    bookmark_name,
    bookmark_named,
    has_character_style,
    set_paragraph_style_id,
    set_run_language,
    text_width,
    wrap_in_hyperlink,
    xml_safe,
)

LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
MONOSPACE = "Consolas"


class TextWriter:
    """The document and the briefing of one render, and the inline text: runs, citations, links, fields, headings
    and captions, with the state they keep (the headings for the contents, the caption and bookmark numbers)."""

    def __init__(self, document: Document, briefing: Briefing) -> None:
        self.document = document
        self.briefing = briefing
        self.labels = briefing.labels
        self.has_sources_section = any(section.id == "sources" for section in briefing.walk())
        self.anchored_sources = self._anchored_sources()
        self.text_width = text_width(document)
        self.has_link_style = has_character_style(document, "Hyperlink")
        self.with_contents = briefing.expects_contents()  # Word lays out pages only when opened
        self.headings: list[tuple[int, str, str]] = []  # level, text, bookmark: the table of contents
        self.caption_numbers = {"Figure": 0, "Table": 0}
        self.next_bookmark_id = max((source.number for source in briefing.sources), default=0) + 1
        self.style_ids: dict[str, str | None] = {}  # a paragraph style's name: its id (None: the default style)

    def add_paragraph(self, style: str | None = None) -> DocxParagraph:
        """A paragraph at the end of the body in the named paragraph style. python-docx finds a style by searching
        the styles part for its name at every paragraph (0.7 ms, a tenth of writing a report's Word file); here each
        name's style id is found once per render, the same way, and set as python-docx sets it."""
        paragraph = self.document.add_paragraph()
        if style is not None:
            if style not in self.style_ids:
                self.style_ids[style] = self.document.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
            set_paragraph_style_id(paragraph, self.style_ids[style])
        return paragraph

    def add_text_paragraph(self, text: str, style: str | None = None) -> DocxParagraph:
        paragraph = self.add_paragraph(style)
        self.add_run(paragraph, text)
        return paragraph

    def add_heading(self, text: str, level: int) -> DocxParagraph:
        """A heading; with a table of contents, a hidden `_Toc` bookmark on it, as Word's own entries link to."""
        paragraph = self.add_text_paragraph(text, f"Heading {level}")
        if self.with_contents:
            bookmark = f"_Toc{len(self.headings) + 1:08d}"
            bookmark_named(paragraph, bookmark, self.next_bookmark_id)
            self.next_bookmark_id += 1
            self.headings.append((level, xml_safe(text), bookmark))
        return paragraph

    def add_caption(self, kind: str, text: str) -> DocxParagraph:
        """`Figure 1: text`: the number a SEQ field, as Word's Insert Caption makes, its value already filled in.

        `kind` is the field's identifier (`Figure`, `Table`), counted separately; the words come from the labels
        `caption_figure` / `caption_table`, e.g. `"Figure {number}: {caption}"`.
        """
        self.caption_numbers[kind] += 1
        template = self.labels.get(f"caption_{kind.lower()}", f"{kind} {{number}}: {{caption}}")
        paragraph = self.add_paragraph("Caption")
        for literal, field_name, _, _ in string.Formatter().parse(template):
            if literal:
                self.add_run(paragraph, literal)
            if field_name == "number":
                self.add_field(paragraph, f"SEQ {kind} \\* ARABIC", str(self.caption_numbers[kind]))
            elif field_name == "caption":
                self.add_run(paragraph, text)
        return paragraph

    def add_spans(self, paragraph: DocxParagraph, spans: tuple[Span, ...], bold: bool = False) -> None:
        for span in spans:
            if span.cites:
                self.add_cite(paragraph, span.cites)
                continue
            run = self.add_run(
                paragraph, span.text, bold=span.bold or bold, italic=span.italic, code=span.code, literal=bool(span.href)
            )
            if span.href:
                self.link_external(run, span.href)

    def add_run(
        self,
        paragraph: DocxParagraph,
        text: str,
        bold: bool = False,
        italic: bool = False,
        code: bool = False,
        literal: bool = False,
    ) -> Run:
        """Every piece of text enters the document here, so one guard keeps XML-invalid characters out and one keeps
        a figure with its unit (`unbreakable`, as the printed formats do); code and link text are set as written. A
        text marked as fallen back to another language (reports/dossier/languages.py) gets that language's `w:lang`."""
        for lang, piece in pieces(text) or [(None, "")]:  # a text that fell back: a run of its own, in its language
            run = paragraph.add_run(xml_safe(piece if code or literal else unbreakable(piece)))
            if lang:
                set_run_language(run, lang)
            if bold:
                run.bold = True
            if italic:
                run.italic = True
            if code:
                run.font.name = MONOSPACE
        return run  # the last piece's: the whole text unless a message holds a fallen-back name

    def add_cite(self, paragraph: DocxParagraph, numbers: tuple[int, ...]) -> None:
        """`[2, 3]` in superscript, linked to the first source when the sources list carries its bookmark."""
        run = self.add_run(paragraph, cite_text(numbers))
        run.font.superscript = True
        first = min(numbers)
        if first in self.anchored_sources:
            wrap_in_hyperlink(run, anchor=bookmark_name(first))

    def link_external(self, run: Run, url: str) -> None:
        relationship_id = run.part.relate_to(xml_safe(url), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        wrap_in_hyperlink(run, relationship_id=relationship_id)
        if self.has_link_style:
            run.style = "Hyperlink"
        else:
            run.font.color.rgb = LINK_COLOUR
            run.font.underline = True

    def add_field(self, paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
        """A complex field (begin, instruction, separate, shown value, end): Word recomputes it on open and print."""
        add_field_mark(paragraph, "begin")
        add_instruction(paragraph, instruction)
        add_field_mark(paragraph, "separate")
        self.add_run(paragraph, placeholder)
        add_field_mark(paragraph, "end")

    def _anchored_sources(self) -> set[int]:
        """Source numbers that will carry a bookmark, so a citation never links to nowhere."""
        numbers = {source.number for source in self.briefing.sources}
        if not self.has_sources_section:
            return numbers
        tables = [block for section in self.briefing.walk() for block in section.blocks if isinstance(block, Table)]
        return numbers if any(source_bookmarks(table, self.briefing.sources) for table in tables) else set()


def source_bookmarks(table: Table, sources: tuple[SourceEntry, ...]) -> list[int]:
    """A sources table with one row per source, in order: its rows are where citations point."""
    if table.role != "sources" or len(table.rows) != len(sources):
        return []
    return [source.number for source in sources]
