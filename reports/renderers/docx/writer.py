"""The Word renderer: the briefing model drawn with python-docx, in the styles of a reference document.

The writer holds the state of one render and draws the furniture (properties, header, footer, cover), the sections
and the charts; `inline.py` writes the inline text (runs, citations, links, fields, headings, captions), `blocks.py`
paragraphs, lists, key figures and tables, `contents.py` the table of contents, `ooxml.py` the raw XML python-docx
has no API for. The modules below the writer never import it: they write through `TextWriter`.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Length, Pt

from reports.briefing.model import (
    BarChart,
    Block,
    Briefing,
    Chart,
    ItemList,
    KeyFigures,
    Paragraph,
    Section,
    SourceEntry,
    Span,
    Table,
    unknown_block,
)
from reports.dossier.languages import plain
from reports.errors import Problem
from reports.renderers import Renderer
from reports.renderers.bars import bars_png
from reports.renderers.chart import SIZE_CM, chart_png
from reports.renderers.docx.blocks import (
    TABLE_STYLE,
    write_key_figures,
    write_list,
    write_paragraph,
    write_table,
)
from reports.renderers.docx.chart import build_native_chart
from reports.renderers.docx.contents import write_contents
from reports.renderers.docx.inline import TextWriter
from reports.renderers.docx.internals import add_chart_parts, chart_inline, installed_versions
from reports.renderers.docx.note import set_note_layout
from reports.renderers.docx.ooxml import (
    add_bookmark,
    clear_body,
    fixed_zip_dates,
    only_right_tab,
    set_proofing_language,
    single_empty_paragraph,
    use_a4,
    use_house_font,
    xml_safe,
)
from reports.renderers.docx.package import set_application
from reports.renderers.docx.reference import ReferenceRefused, sanitized_reference, warn_about_left_out
from reports.template_folders import REFERENCE_DOCUMENT, find_file, find_logo

logger = logging.getLogger(__name__)

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

CHART_WIDTH = Cm(16)
LOGO_HEIGHT = Cm(0.8)
HEADER_SIZE = Pt(8)


def check_reference_document(path: Path) -> list[Problem]:
    """Every style the Word renderer looks up must exist in the reference document, reduced to what it lends a
    briefing (`reference.py`: what is left out is said once, here, when the templates folder is loaded)."""
    try:
        content, left_out = sanitized_reference(path)
        document = docx.Document(io.BytesIO(content))
    except ReferenceRefused as error:
        return [Problem(str(path), None, error.part, str(error))]
    except Exception as error:  # any file may be named reference.docx: whatever python-docx cannot read is refused
        message = f"is not a readable Word document ({type(error).__name__}: {error})"
        return [Problem(str(path), None, REFERENCE_DOCUMENT, message)]
    warn_about_left_out(path, left_out)
    names = {style.name for style in document.styles}
    return [
        Problem(str(path), None, f"style '{name}'", "is missing; the Word renderer needs it (add it to the document's styles)")
        for name in REQUIRED_STYLES
        if name not in names
    ]


class DocxRenderer(Renderer):
    name = "docx"
    suffix = "docx"

    @classmethod
    def check_templates(cls, folder: Path) -> list[Problem]:
        reference = folder / REFERENCE_DOCUMENT
        return check_reference_document(reference) if reference.is_file() else []

    def render(self, briefing: Briefing) -> bytes:
        briefing.check_blocks()  # an unknown block fails before anything is drawn, as in every format
        document = self._reference_document()
        if briefing.layout == "note":
            set_note_layout(document)
        WordWriter(document, briefing, find_logo(self.template_dirs)).write()
        set_application(document)
        buffer = io.BytesIO()
        document.save(buffer)
        return fixed_zip_dates(buffer.getvalue())

    def _reference_document(self) -> Document:
        """The first `reference.docx` along the template path supplies the styles (checked when the folder
        was loaded); else python-docx's default template, set to A4."""
        path = find_file(self.template_dirs, REFERENCE_DOCUMENT)
        if path is not None:
            logger.debug("using reference document %s", path)
            return docx.Document(io.BytesIO(sanitized_reference(path)[0]))
        document = docx.Document()
        use_a4(document)
        use_house_font(document)
        return document


class WordWriter(TextWriter):
    """Writes one briefing into one document: the furniture, the sections and the charts, on the inline text of
    `TextWriter`; holds what a single render needs, so renders never share state."""

    def __init__(self, document: Document, briefing: Briefing, logo: Path | None = None) -> None:
        super().__init__(document, briefing)
        self.logo = logo

    def write(self) -> None:
        clear_body(self.document)
        self._write_properties()
        self._write_header_and_footer()
        self._write_cover()
        body_start = len(self.document.paragraphs)
        for section in self.briefing.sections:
            self._write_section(section)
        if not self.has_sources_section and self.briefing.sources:
            self._write_source_list()
        # a break before, not an empty paragraph after; the note has no cover page
        if self.briefing.layout == "report" and len(self.document.paragraphs) > body_start:
            first = self.document.paragraphs[body_start]
            first.paragraph_format.page_break_before = True  # a report's body starts after its cover; a note flows on
            if self.with_contents and self.headings:
                write_contents(self, before=first)

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
        set_proofing_language(self.document, briefing.lang)

    def _write_header_and_footer(self) -> None:
        """Title left and marking right on every page, in small type; `Page X of Y` as fields Word keeps up to date."""
        section = self.document.sections[0]
        section.different_first_page_header_footer = False
        paragraph = single_empty_paragraph(section.header)
        only_right_tab(paragraph, self.text_width)
        if self.logo is not None:
            picture = paragraph.add_run().add_picture(word_picture(self.logo), height=LOGO_HEIGHT)
            picture._inline.docPr.set("descr", xml_safe(self.labels.get("logo", "Organization logo")))
            self.add_run(paragraph, "  ")
        self.add_run(paragraph, self.briefing.title)
        self.add_run(paragraph, "\t")
        self.add_run(paragraph, self.briefing.marking, bold=True)
        for run in paragraph.runs:  # the PDF's running head: 8 pt, so a long marking stays on the title's line
            run.font.size = HEADER_SIZE

        paragraph = single_empty_paragraph(section.footer)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.add_run(paragraph, f"{self.labels.get('page', 'Page')} ")
        self.add_field(paragraph, "PAGE", "1")
        self.add_run(paragraph, f" {self.labels.get('of', 'of')} ")
        self.add_field(paragraph, "NUMPAGES", "1")

    def _write_cover(self) -> None:
        briefing = self.briefing
        self.add_text_paragraph(briefing.title, "Title")
        if briefing.subtitle:
            self.add_text_paragraph(briefing.subtitle, "Subtitle")
        if briefing.marking:
            self.add_run(self.add_paragraph(), briefing.marking, bold=True)
        for line in (briefing.as_of, *briefing.cover_lines):
            if line:
                self.add_text_paragraph(line)

    # -- sections and blocks -----------------------------------------------------------------------

    def _write_section(self, section: Section) -> None:
        self.add_heading(section.title, min(max(section.level, 1), 3))
        for block in section.blocks:
            self._write_block(block, section)
        for child in section.children:
            self._write_section(child)

    def _write_block(self, block: Block, section: Section) -> None:
        if isinstance(block, Paragraph):
            write_paragraph(self, block)
        elif isinstance(block, ItemList):
            write_list(self, block, depth=1)
        elif isinstance(block, KeyFigures):
            write_key_figures(self, block)
        elif isinstance(block, Table):
            write_table(self, block)
        elif isinstance(block, Chart):
            self._write_chart(block)
        elif isinstance(block, BarChart):
            self._write_bar_chart(block)
        else:
            raise unknown_block(block, section)

    def _write_chart(self, block: Chart) -> None:
        """A native chart the reader can restyle and "Edit Data" on; the PNG when asked for or when it cannot be built."""
        paragraph = self.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        width = min(CHART_WIDTH, self.text_width)
        inline = self._native_chart(block, width) if self.briefing.word_chart == "native" else None
        if inline is not None:
            drawing = OxmlElement("w:drawing")
            drawing.append(inline)
            paragraph.add_run()._r.append(drawing)
        else:
            png = chart_png(block.series, lang=self.briefing.lang)
            inline = paragraph.add_run().add_picture(io.BytesIO(png), width=width)._inline
        description = inline.docPr  # python-docx has no API for alternative text
        description.set("descr", xml_safe(plain(block.alt_text)))
        description.set("title", xml_safe(block.caption))
        self.add_caption("Figure", block.caption)

    def _write_bar_chart(self, block: BarChart) -> None:
        """The compact bar chart as a picture: the very SVG the PDF shows, rasterized."""
        paragraph = self.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        width = min(CHART_WIDTH, self.text_width)
        inline = paragraph.add_run().add_picture(io.BytesIO(bars_png(block)), width=width)._inline
        inline.docPr.set("descr", xml_safe(plain(block.alt_text)))
        inline.docPr.set("title", xml_safe(block.caption))
        self.add_caption("Figure", block.caption)

    def _native_chart(self, block: Chart, width: Length):
        """The chart's `wp:inline`, its parts added to the package; None, with a warning saying why, if it cannot be built."""
        try:
            chart = build_native_chart(block.series)
            relationship_id = add_chart_parts(self.document.part, chart.xml, chart.workbook)
            return chart_inline(self.document.part, relationship_id, int(width), int(width * SIZE_CM[1] / SIZE_CM[0]))
        except Exception as error:  # a library change or data it cannot take: the picture still says the same
            briefing = self.briefing
            logger.warning(
                "%s/%s: the Word chart '%s' is a picture: the native chart could not be built (%s: %s; %s)",
                briefing.dossier_id, briefing.audience, block.caption, type(error).__name__, error, installed_versions(),
            )  # fmt: skip
            return None

    def _write_source_list(self) -> None:
        """The sources at the end, only when the model has no sources section of its own."""
        self.add_heading(self.labels.get("sources", "Sources"), 1)
        for source in self.briefing.sources:
            paragraph = self.add_paragraph()
            add_bookmark(paragraph, source.number)
            self.add_spans(paragraph, _source_spans(source))


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
    return xml_safe(plain(text))[:255]


def word_picture(path: Path) -> str | io.BytesIO:
    """The logo as Word takes it: a CMYK JPEG (a printer's logo), or one python-docx cannot read (an Adobe JPEG
    without a JFIF or Exif header), converted to an RGB PNG; PDF and HTML take the file as it is."""
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as WordImage
    from PIL import Image

    with Image.open(path) as image:
        if image.mode != "CMYK":
            try:
                WordImage.from_file(str(path))
                return str(path)
            except UnrecognizedImageError:
                pass
        converted = io.BytesIO()
        image.convert("RGB").save(converted, format="PNG")
    converted.seek(0)
    return converted
