"""The Word renderer's blocks of text: paragraphs, lists, key figures and tables (the chart is the writer's own)."""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from docx.table import Table as DocxTable

from reports.briefing.model import ItemList, KeyFigures, Paragraph, Table
from reports.renderers.docx.inline import TextWriter, source_bookmarks
from reports.renderers.docx.note import BODY_PT, set_reference_list
from reports.renderers.docx.ooxml import (
    add_bookmark,
    ends_with_table,
    keep_table_start,
    repeat_as_header,
    set_column_widths,
    set_numbering,
    set_table_look,
    set_text_size,
)

TABLE_STYLE = "Light Grid Accent 1"
KEPT_ROWS = 3  # the header row and the first two body rows stay with the next row: no break before the third
TABLE_TEXT = Pt(8.5)  # the PDF's table type (briefing.css `table`), the size Table.widths is measured for
NOTE_TABLE_TEXT = Pt(BODY_PT)  # a note's tables are body text (briefing.css `.layout-note table`)


def write_paragraph(writer: TextWriter, block: Paragraph) -> None:
    """A lead reads bold, a note as small print: direct formatting, so no extra style is required; a caption (a bold
    paragraph of its own) is kept with what follows, so it is never stranded at a page's foot."""
    paragraph = writer.add_paragraph()
    writer.add_spans(paragraph, block.spans, bold=block.role == "lead")
    if block.role == "note":
        set_text_size(paragraph, Pt(9 if writer.briefing.layout == "note" else 8))
    if block.spans and all(span.bold for span in block.spans):  # a caption over a list or table stays with it
        paragraph.paragraph_format.keep_with_next = True


def write_list(writer: TextWriter, block: ItemList, depth: int) -> None:
    """Nested lists go one style level deeper (`List Bullet 2`); Word's styles stop at two levels here."""
    kind = "List Number" if block.ordered else "List Bullet"
    style = kind if depth == 1 else f"{kind} 2"
    number_id = restarted_numbering(writer, style) if block.ordered else None
    for item in block.items:
        paragraph = writer.add_paragraph(style)
        if number_id is not None:
            set_numbering(paragraph, number_id)
        writer.add_spans(paragraph, item.spans)
        if item.children is not None:
            write_list(writer, item.children, depth + 1)


def restarted_numbering(writer: TextWriter, style: str) -> int | None:
    """A new numbering instance starting at 1: otherwise every `List Number` list continues the last one."""
    number_properties = writer.document.styles[style].element.pPr
    number_properties = number_properties.numPr if number_properties is not None else None
    if number_properties is None or number_properties.numId is None:
        return None
    numbering = writer.document.part.numbering_part.element
    abstract_id = numbering.num_having_numId(number_properties.numId.val).abstractNumId.val
    number = numbering.add_num(abstract_id)
    number.add_lvlOverride(ilvl=0).add_startOverride(1)
    return number.numId


def write_key_figures(writer: TextWriter, block: KeyFigures) -> None:
    """One row per figure: label | value (bold, exactly as formatted) | detail and its citations."""
    table = new_table(writer, len(block.figures), 3, header_row=False)
    for row, figure in zip(table.rows, block.figures, strict=True):
        label, value, detail = (cell.paragraphs[0] for cell in row.cells)
        writer.add_run(label, figure.label)
        if figure.qualifier:  # about, at least: how exact the figure is, before it
            writer.add_run(value, figure.qualifier + " ")
        writer.add_run(value, figure.value, bold=True)
        writer.add_run(detail, figure.detail)
        if figure.cites:
            writer.add_cite(detail, figure.cites)
    set_column_widths(table, (0.34, 0.22, 0.44), writer.text_width)


def write_table(writer: TextWriter, block: Table) -> None:
    if block.caption:
        writer.add_caption("Table", block.caption).paragraph_format.keep_with_next = True
    table = new_table(writer, len(block.rows) + 1, len(block.columns), header_row=True)
    repeat_as_header(table.rows[0])
    for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
        writer.add_run(cell.paragraphs[0], column.title, bold=True)
    bookmarks = source_bookmarks(block, writer.briefing.sources)
    for index, (row, cells) in enumerate(zip(table.rows[1:], block.rows, strict=True)):
        for cell, spans in zip(row.cells, cells, strict=True):
            writer.add_spans(cell.paragraphs[0], spans)
        if bookmarks:
            add_bookmark(row.cells[0].paragraphs[0], bookmarks[index])
    for index, column in enumerate(block.columns):
        if column.numeric:
            for cell in table.columns[index].cells:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_column_widths(table, block.widths(), writer.text_width)  # the PDF's widths: Table.widths
    note_sources = block.role == "sources" and writer.briefing.layout == "note"
    keep_table_start(table, len(table.rows) if note_sources else KEPT_ROWS)  # a note's sources on one page, as in the PDF
    size = NOTE_TABLE_TEXT if writer.briefing.layout == "note" else TABLE_TEXT
    for row in table.rows:
        for cell in row.cells:
            set_text_size(cell.paragraphs[0], size)
    if note_sources:
        set_reference_list(table)


def new_table(writer: TextWriter, rows: int, columns: int, header_row: bool) -> DocxTable:
    """A styled table; after another table, an empty paragraph first, or Word would merge the two."""
    if ends_with_table(writer.document):
        writer.add_paragraph()
    table = writer.document.add_table(rows=rows, cols=columns)
    table.style = writer.document.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_table_look(table, first_row=header_row)
    return table
