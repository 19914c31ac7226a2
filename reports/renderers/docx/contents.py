"""Word's table of contents, written as Word writes one, its entries already in place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from reports.renderers.docx.ooxml import CONTENTS_LEVELS, add_contents_styles, add_field_mark, add_instruction, wrap_in_hyperlink

if TYPE_CHECKING:
    from reports.renderers.docx.writer import WordWriter

# Without page numbers: only Word's layout knows them, and a cached guess would be wrong or ask for an update.
CONTENTS_FIELD = f'TOC \\o "1-{CONTENTS_LEVELS}" \\h \\z \\n'


def write_contents(writer: WordWriter, before: DocxParagraph) -> None:
    """Word's table of contents, its entries already in place: one per heading, linked to its bookmark.

    A TOC field in a "Table of Contents" content control, as Word writes one, with the entries as the field's
    result, so the file needs no update when opened (no `w:updateFields`) and never shows "No table of contents
    entries found". The entries carry no page numbers (the field's `\\n`): see CONTENTS_FIELD.
    """
    add_contents_styles(writer.document)
    control = OxmlElement("w:sdt")
    gallery = OxmlElement("w:docPartGallery")
    gallery.set(qn("w:val"), "Table of Contents")
    part_object = OxmlElement("w:docPartObj")
    part_object.append(gallery)
    part_object.append(OxmlElement("w:docPartUnique"))
    properties = OxmlElement("w:sdtPr")
    properties.append(part_object)
    content = OxmlElement("w:sdtContent")
    control.append(properties)
    control.append(content)

    def paragraph(style: str) -> DocxParagraph:
        element = OxmlElement("w:p")
        content.append(element)
        new = DocxParagraph(element, writer.document._body)
        new.style = writer.document.styles[style]
        return new

    title = paragraph("TOC Heading")
    title.paragraph_format.page_break_before = True
    writer.add_run(title, writer.labels.get("contents", "Contents"))
    for index, (level, text, bookmark) in enumerate(writer.headings):
        entry = paragraph(f"toc {level}")
        if index == 0:
            add_field_mark(entry, "begin")
            add_instruction(entry, CONTENTS_FIELD)
            add_field_mark(entry, "separate")
        wrap_in_hyperlink(writer.add_run(entry, text), anchor=bookmark)
    add_field_mark(paragraph("toc 1"), "end")
    before._p.addprevious(control)
