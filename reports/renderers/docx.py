"""The Word renderer: the briefing model drawn with python-docx, in the styles of a reference document."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from pathlib import Path

import docx
from babel import Locale
from babel.core import get_global
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import _Footer, _Header
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from reports.chart import chart_png
from reports.model import Block, Briefing, Chart, ItemList, KeyFigures, Paragraph, Section, SourceEntry, Span, Table
from reports.renderers import Renderer
from reports.template_folders import REFERENCE_DOCUMENT, find_file, find_logo

logger = logging.getLogger(__name__)

TABLE_STYLE = "Light Grid Accent 1"
# Every style the renderer looks up by name: a reference.docx must define them all.
REQUIRED_STYLES = (
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Bullet 2",
    "List Number",
    "List Number 2",
    "Caption",
    TABLE_STYLE,
)

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # what Word itself writes; a clock time would make every build differ

CHART_WIDTH = Cm(16)
LOGO_HEIGHT = Cm(0.8)
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
MONOSPACE = "Consolas"
_TABLE_LOOK_BITS = {
    "firstRow": 0x20,
    "lastRow": 0x40,
    "firstColumn": 0x80,
    "lastColumn": 0x100,
    "noHBand": 0x200,
    "noVBand": 0x400,
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 forbids: lxml refuses them and Word rejects the file."""
    return _XML_INVALID.sub("", text)


class DocxRenderer(Renderer):
    name = "docx"
    suffix = "docx"

    def render(self, briefing: Briefing) -> bytes:
        document = self._reference_document()
        _WordWriter(document, briefing, find_logo(self.template_dirs)).write()
        buffer = io.BytesIO()
        document.save(buffer)
        return _fixed_zip_dates(buffer.getvalue())

    def _reference_document(self) -> Document:
        """The first `reference.docx` along the template path supplies the styles (checked when the folder
        was loaded); else python-docx's default template, set to A4."""
        path = find_file(self.template_dirs, REFERENCE_DOCUMENT)
        if path is not None:
            logger.debug("using reference document %s", path)
            return docx.Document(str(path))
        document = docx.Document()
        _use_a4(document)
        return document


class _WordWriter:
    """Writes one briefing into one document; holds what a single render needs, so renders never share state."""

    def __init__(self, document: Document, briefing: Briefing, logo: Path | None = None) -> None:
        self.document = document
        self.briefing = briefing
        self.logo = logo
        self.labels = briefing.labels
        self.has_sources_section = any(section.id == "sources" for section in briefing.walk())
        self.anchored_sources = self._anchored_sources()
        self.text_width = _text_width(document)
        self.has_link_style = _has_character_style(document, "Hyperlink")

    def write(self) -> None:
        _clear_body(self.document)
        self._write_properties()
        self._write_header_and_footer()
        self._write_cover()
        body_start = len(self.document.paragraphs)
        for section in self.briefing.sections:
            self._write_section(section)
        if not self.has_sources_section and self.briefing.sources:
            self._write_source_list()
        if len(self.document.paragraphs) > body_start:  # a break before, not an empty paragraph after
            self.document.paragraphs[body_start].paragraph_format.page_break_before = True

    # -- document furniture ------------------------------------------------------------------------

    def _write_properties(self) -> None:
        briefing = self.briefing
        properties = self.document.core_properties
        properties.title = _property_text(briefing.title)
        properties.subject = _property_text(briefing.subtitle)
        properties.keywords = _property_text(", ".join(briefing.keywords))
        properties.author = _property_text(briefing.author)
        properties.last_modified_by = _property_text(briefing.author)
        properties.language = briefing.lang
        properties.comments = ""
        properties.revision = 1
        issued = dt.datetime.combine(dt.date.fromisoformat(briefing.issued), dt.time(), tzinfo=dt.UTC)
        properties.created = issued  # the as-of date: meaningful, and the same on every rebuild
        properties.modified = issued
        _set_proofing_language(self.document, briefing.lang)

    def _write_header_and_footer(self) -> None:
        """Title left and marking right on every page; `Page X of Y` as fields Word keeps up to date."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = False
        paragraph = _single_empty_paragraph(section.header)
        _only_right_tab(paragraph, self.text_width)
        if self.logo is not None:
            paragraph.add_run().add_picture(str(self.logo), height=LOGO_HEIGHT)
            self._add_run(paragraph, "  ")
        self._add_run(paragraph, self.briefing.title)
        self._add_run(paragraph, "\t")
        self._add_run(paragraph, self.briefing.marking, bold=True)

        paragraph = _single_empty_paragraph(section.footer)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._add_run(paragraph, f"{self.labels.get('page', 'Page')} ")
        self._add_field(paragraph, "PAGE", "1")
        self._add_run(paragraph, f" {self.labels.get('of', 'of')} ")
        self._add_field(paragraph, "NUMPAGES", "1")

    def _write_cover(self) -> None:
        briefing = self.briefing
        self._add_text_paragraph(briefing.title, "Title")
        if briefing.subtitle:
            self._add_text_paragraph(briefing.subtitle, "Subtitle")
        if briefing.marking:
            self._add_run(self.document.add_paragraph(), briefing.marking, bold=True)
        for line in (briefing.as_of, *briefing.cover_lines):
            if line:
                self._add_text_paragraph(line)

    # -- sections and blocks -----------------------------------------------------------------------

    def _write_section(self, section: Section) -> None:
        self._add_text_paragraph(section.title, f"Heading {min(max(section.level, 1), 3)}")
        for block in section.blocks:
            self._write_block(block, section)
        for child in section.children:
            self._write_section(child)

    def _write_block(self, block: Block, section: Section) -> None:
        if isinstance(block, Paragraph):
            self._write_paragraph(block)
        elif isinstance(block, ItemList):
            self._write_list(block, depth=1)
        elif isinstance(block, KeyFigures):
            self._write_key_figures(block)
        elif isinstance(block, Table):
            self._write_table(block)
        elif isinstance(block, Chart):
            self._write_chart(block)
        else:
            raise TypeError(f"the Word renderer does not know the block {type(block).__name__} in section '{section.id}'")

    def _write_paragraph(self, block: Paragraph) -> None:
        """A lead reads bold, a note as small print: direct formatting, so no extra style is required."""
        paragraph = self.document.add_paragraph()
        self._add_spans(paragraph, block.spans, bold=block.role == "lead")
        if block.role == "note":
            for element in paragraph._p.iter(qn("w:r")):  # links and citations included
                Run(element, paragraph).font.size = Pt(8)

    def _write_list(self, block: ItemList, depth: int) -> None:
        """Nested lists go one style level deeper (`List Bullet 2`); Word's styles stop at two levels here."""
        kind = "List Number" if block.ordered else "List Bullet"
        style = kind if depth == 1 else f"{kind} 2"
        number_id = self._restarted_numbering(style) if block.ordered else None
        for item in block.items:
            paragraph = self.document.add_paragraph(style=style)
            if number_id is not None:
                _set_numbering(paragraph, number_id)
            self._add_spans(paragraph, item.spans)
            if item.children is not None:
                self._write_list(item.children, depth + 1)

    def _write_key_figures(self, block: KeyFigures) -> None:
        """One row per figure: label | value (bold, exactly as formatted) | detail and its citations."""
        table = self._new_table(len(block.figures), 3, header_row=False)
        for row, figure in zip(table.rows, block.figures, strict=True):
            label, value, detail = (cell.paragraphs[0] for cell in row.cells)
            self._add_run(label, figure.label)
            self._add_run(value, figure.value, bold=True)
            self._add_run(detail, figure.detail)
            for number in figure.cites:
                self._add_cite(detail, number)
        _set_column_widths(table, (0.34, 0.22, 0.44), self.text_width)

    def _write_table(self, block: Table) -> None:
        if block.caption:
            self._add_text_paragraph(block.caption, "Caption").paragraph_format.keep_with_next = True
        table = self._new_table(len(block.rows) + 1, len(block.columns), header_row=True)
        _repeat_as_header(table.rows[0])
        for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
            self._add_run(cell.paragraphs[0], column.title, bold=True)
        bookmarks = self._source_bookmarks(block)
        for index, (row, cells) in enumerate(zip(table.rows[1:], block.rows, strict=True)):
            for cell, spans in zip(row.cells, cells, strict=True):
                self._add_spans(cell.paragraphs[0], spans)
            if bookmarks:
                _bookmark(row.cells[0].paragraphs[0], bookmarks[index])
        for index, column in enumerate(block.columns):
            if column.numeric:
                for cell in table.columns[index].cells:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def _write_chart(self, block: Chart) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        png = chart_png(block.series, lang=self.briefing.lang)
        picture = paragraph.add_run().add_picture(io.BytesIO(png), width=min(CHART_WIDTH, self.text_width))
        description = picture._inline.docPr  # python-docx has no API for alternative text
        description.set("descr", xml_safe(block.alt_text))
        description.set("title", xml_safe(block.caption))
        self._add_text_paragraph(block.caption, "Caption")

    def _write_source_list(self) -> None:
        """The sources at the end, only when the model has no sources section of its own."""
        self._add_text_paragraph(self.labels.get("sources", "Sources"), "Heading 1")
        for source in self.briefing.sources:
            paragraph = self.document.add_paragraph()
            _bookmark(paragraph, source.number)
            self._add_spans(paragraph, _source_spans(source))

    # -- inline text -------------------------------------------------------------------------------

    def _add_text_paragraph(self, text: str, style: str | None = None) -> DocxParagraph:
        paragraph = self.document.add_paragraph(style=style)
        self._add_run(paragraph, text)
        return paragraph

    def _add_spans(self, paragraph: DocxParagraph, spans: tuple[Span, ...], bold: bool = False) -> None:
        for span in spans:
            if span.cite is not None:
                self._add_cite(paragraph, span.cite)
                continue
            run = self._add_run(paragraph, span.text, bold=span.bold or bold, italic=span.italic, code=span.code)
            if span.href:
                self._link_external(run, span.href)

    def _add_run(self, paragraph: DocxParagraph, text: str, bold: bool = False, italic: bool = False, code: bool = False) -> Run:
        """Every piece of text enters the document here, so one guard keeps XML-invalid characters out."""
        run = paragraph.add_run(xml_safe(text))
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if code:
            run.font.name = MONOSPACE
        return run

    def _add_cite(self, paragraph: DocxParagraph, number: int) -> None:
        """`[n]` in superscript, linked to the n-th source when the sources list carries its bookmark."""
        run = self._add_run(paragraph, f"[{number}]")
        run.font.superscript = True
        if number in self.anchored_sources:
            _wrap_in_hyperlink(run, anchor=_bookmark_name(number))

    def _link_external(self, run: Run, url: str) -> None:
        relationship_id = run.part.relate_to(xml_safe(url), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        _wrap_in_hyperlink(run, relationship_id=relationship_id)
        if self.has_link_style:
            run.style = "Hyperlink"
        else:
            run.font.color.rgb = LINK_COLOUR
            run.font.underline = True

    def _add_field(self, paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
        """A complex field (begin, instruction, separate, shown value, end): Word recomputes it on open and print."""
        _add_field_mark(paragraph, "begin")
        instruction_text = OxmlElement("w:instrText")
        instruction_text.set(qn("xml:space"), "preserve")
        instruction_text.text = f" {instruction} "
        paragraph.add_run()._r.append(instruction_text)
        _add_field_mark(paragraph, "separate")
        self._add_run(paragraph, placeholder)
        _add_field_mark(paragraph, "end")

    # -- helpers that need the writer's state ------------------------------------------------------

    def _new_table(self, rows: int, columns: int, header_row: bool) -> DocxTable:
        """A styled table; after another table, an empty paragraph first, or Word would merge the two."""
        if _ends_with_table(self.document):
            self.document.add_paragraph()
        table = self.document.add_table(rows=rows, cols=columns)
        table.style = self.document.styles[TABLE_STYLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _set_table_look(table, first_row=header_row)
        return table

    def _restarted_numbering(self, style: str) -> int | None:
        """A new numbering instance starting at 1: otherwise every `List Number` list continues the last one."""
        number_properties = self.document.styles[style].element.pPr
        number_properties = number_properties.numPr if number_properties is not None else None
        if number_properties is None or number_properties.numId is None:
            return None
        numbering = self.document.part.numbering_part.element
        abstract_id = numbering.num_having_numId(number_properties.numId.val).abstractNumId.val
        number = numbering.add_num(abstract_id)
        number.add_lvlOverride(ilvl=0).add_startOverride(1)
        return number.numId

    def _anchored_sources(self) -> set[int]:
        """Source numbers that will carry a bookmark, so a citation never links to nowhere."""
        numbers = {source.number for source in self.briefing.sources}
        if not self.has_sources_section:
            return numbers
        tables = [block for section in self.briefing.walk() for block in section.blocks if isinstance(block, Table)]
        return numbers if any(self._source_bookmarks(table) for table in tables) else set()

    def _source_bookmarks(self, table: Table) -> list[int]:
        """A sources table with one row per source, in order: its rows are where citations point."""
        if table.role != "sources" or len(table.rows) != len(self.briefing.sources):
            return []
        return [source.number for source in self.briefing.sources]


# -- stateless helpers ---------------------------------------------------------------------------------


def _source_spans(source: SourceEntry) -> tuple[Span, ...]:
    details = ", ".join(part for part in (source.publisher, source.date) if part)
    spans = [Span(f"[{source.number}] "), Span(source.title, italic=True)]
    if details:
        spans.append(Span(f". {details}"))
    if source.url:
        spans += [Span(". "), Span(source.url, href=source.url)]
    return tuple(spans)


def _property_text(text: str) -> str:
    """Core properties hold at most 255 characters; python-docx raises on more."""
    return xml_safe(text)[:255]


def _use_a4(document: Document) -> None:
    """python-docx's default template is US Letter; briefings here are printed on A4."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)


def _text_width(document: Document) -> Length:
    section = document.sections[0]
    return section.page_width - section.left_margin - section.right_margin


def _ends_with_table(document: Document) -> bool:
    body = document.element.body
    last = body.sectPr.getprevious() if body.sectPr is not None else (body[-1] if len(body) else None)
    return last is not None and last.tag == qn("w:tbl")


def _clear_body(document: Document) -> None:
    """A reference document lends its styles and page setup, never its sample content."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _single_empty_paragraph(header_or_footer: _Header | _Footer) -> DocxParagraph:
    """The header's (or footer's) first paragraph, emptied, alone: it keeps its style (`Header`) if it has one."""
    header_or_footer.is_linked_to_previous = False
    paragraphs = header_or_footer.paragraphs
    paragraph = paragraphs[0] if paragraphs else header_or_footer.add_paragraph()
    paragraph.clear()
    element = header_or_footer._element
    for child in list(element):
        if child is not paragraph._p:
            element.remove(child)
    return paragraph


def _only_right_tab(paragraph: DocxParagraph, position: Length) -> None:
    """One right tab at the margin; the style's own stops (Header's centre tab) are cleared first."""
    tab_stops = paragraph.paragraph_format.tab_stops
    for inherited in paragraph.style.paragraph_format.tab_stops:
        tab_stops.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)


def _set_proofing_language(document: Document, lang: str) -> None:
    """Mark the text as written in `lang`, so Word spell-checks a Russian briefing in Russian.

    Word wants a language with its region (`ru-RU`); CLDR's likely subtags supply the region for a bare `ru`.
    """
    locale = Locale.parse(get_global("likely_subtags").get(lang, lang.replace("-", "_")))
    tag = f"{locale.language}-{locale.territory}" if locale.territory else locale.language
    run_properties = document.styles.default(WD_STYLE_TYPE.PARAGRAPH).element.get_or_add_rPr()
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.insert_element_before(language, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    language.set(qn("w:val"), tag)


def _has_character_style(document: Document, name: str) -> bool:
    return any(style.name == name and style.type == WD_STYLE_TYPE.CHARACTER for style in document.styles)


def _wrap_in_hyperlink(run: Run, relationship_id: str | None = None, anchor: str | None = None) -> None:
    hyperlink = OxmlElement("w:hyperlink")
    if relationship_id is not None:
        hyperlink.set(qn("r:id"), relationship_id)
    if anchor is not None:
        hyperlink.set(qn("w:anchor"), anchor)
    hyperlink.set(qn("w:history"), "1")
    run._r.addprevious(hyperlink)
    hyperlink.append(run._r)


def _add_field_mark(paragraph: DocxParagraph, kind: str) -> None:
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(mark)


def _bookmark_name(number: int) -> str:
    return f"source-{number}"


def _bookmark(paragraph: DocxParagraph, number: int) -> None:
    """A bookmark around the paragraph's content; citations `[n]` link here."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), _bookmark_name(number))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph_properties = paragraph._p.pPr
    if paragraph_properties is not None:
        paragraph_properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _set_numbering(paragraph: DocxParagraph, number_id: int) -> None:
    number_properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    number_properties.get_or_add_ilvl().val = 0
    number_properties.get_or_add_numId().val = number_id


def _repeat_as_header(row) -> None:
    """`w:tblHeader`: Word repeats this row at the top of every page the table spans."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _set_table_look(table: DocxTable, first_row: bool) -> None:
    """Which parts of the table style apply: the header row's look only where there is a header row."""
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        properties.append(look)
    switched_on = {"noVBand", "firstRow"} if first_row else {"noVBand"}
    for attribute in _TABLE_LOOK_BITS:
        look.set(qn(f"w:{attribute}"), "1" if attribute in switched_on else "0")
    mask = sum(_TABLE_LOOK_BITS[attribute] for attribute in switched_on)
    look.set(qn("w:val"), f"{mask:04X}")  # the same switches as the bit mask that Word 2007 reads


def _set_column_widths(table: DocxTable, shares: tuple[float, ...], text_width: Length) -> None:
    """Both the grid (LibreOffice reads it) and every cell (Word reads those)."""
    table.autofit = False
    for column, share in zip(table.columns, shares, strict=True):
        column.width = Length(int(text_width * share))
        for cell in column.cells:
            cell.width = Length(int(text_width * share))


def _fixed_zip_dates(data: bytes) -> bytes:
    """The same zip with every entry dated ZIP_TIMESTAMP: python-docx stamps entries with the clock."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=ZIP_TIMESTAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = item.external_attr
            target.writestr(fixed, source.read(item.filename))
    return output.getvalue()
