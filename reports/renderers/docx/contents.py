"""Word's table of contents: one entry per heading, linked to it, with its page number as a field."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from reports.renderers.docx.inline import TextWriter
from reports.renderers.docx.ooxml import (
    add_contents_styles,
    add_field_mark,
    add_instruction,
    only_right_tab,
    update_fields_on_open,
    wrap_in_hyperlink,
)


def write_contents(writer: TextWriter, before: DocxParagraph) -> None:
    """The contents in a "Table of Contents" content control, as Word keeps one: one entry per heading, linked to its
    bookmark, ending with its page number, a PAGEREF field to the bookmark after a right tab. Only the word
    processor's layout knows the page: LibreOffice computes the field as it opens the file, and Word updates the
    fields on opening (`w:updateFields`, after asking). The entries are not a TOC field's result, which
    LibreOffice would show as cached, without numbers."""
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
    for level, text, bookmark in writer.headings:
        entry = paragraph(f"toc {level}")
        wrap_in_hyperlink(writer.add_run(entry, text), anchor=bookmark)
        only_right_tab(entry, writer.text_width)
        entry.add_run("\t")
        add_field_mark(entry, "begin")
        add_instruction(entry, f"PAGEREF {bookmark} \\h")
        add_field_mark(entry, "separate")
        entry.add_run("")
        add_field_mark(entry, "end")
    before._p.addprevious(control)
    update_fields_on_open(writer.document)
