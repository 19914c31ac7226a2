"""The two-page note in Word, set as its PDF (briefing.css `.layout-note`): narrower margins, 10 pt text,
small headings and little space between paragraphs, so it fits two pages as LibreOffice and Word lay it out.
The title block opens page 1 (the writer puts no page break after it), as in the PDF."""

from __future__ import annotations

from docx.document import Document
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable

from reports.renderers.docx.ooxml import set_text_size

MARGINS_MM = (16, 15, 15, 15)  # top, right, bottom, left: the PDF's `@page note`
REFERENCE_PT = 8  # the sources table of the note, as in the PDF
BODY_PT = 10  # the note's body and tables, never less (docs/house-styles.md, "Fitting the page limit")
# style: (size in pt, space before, space after); styles a reference document lacks are left alone
NOTE_STYLES = {
    "Normal": (BODY_PT, 0, 1.5),
    "List Bullet": (BODY_PT, 0, 0.5),
    "List Number": (BODY_PT, 0, 0.5),
    "Title": (18, 0, 2),
    "Subtitle": (11, 0, 2),
    "Heading 1": (12.5, 6, 2),
    "Heading 2": (10.5, 4, 1),
    "Heading 3": (10, 3, 1),
    "Caption": (BODY_PT, 2, 1),
}


def set_note_layout(document: Document) -> None:
    """Margins and styles of the two-page note; called before anything is written, so tables take the new width."""
    for section in document.sections:
        top, right, bottom, left = (Mm(value) for value in MARGINS_MM)
        section.top_margin, section.right_margin, section.bottom_margin, section.left_margin = top, right, bottom, left
        section.header_distance = section.footer_distance = Mm(8)
    for name, (size, before, after) in NOTE_STYLES.items():
        if name not in document.styles:
            continue
        style = document.styles[name]
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.line_spacing = 1.1


def set_reference_list(table: DocxTable) -> None:
    """The note's sources table in the PDF's small type (`.layout-note .table-sources`): looked up, not read."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.line_spacing = 1.0
                set_text_size(paragraph, Pt(REFERENCE_PT))
