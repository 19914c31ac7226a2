"""Raw WordprocessingML the python-docx API does not offer (fields, bookmarks, hyperlinks, numbering restarts,
table look, proofing language, fixed zip dates), kept apart from the writer so that the writer reads as the
briefing it draws and these can be checked against the OOXML specification on their own.
"""

from __future__ import annotations

import io
import re
import zipfile

from babel import Locale
from babel.core import get_global
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import _Footer, _Header
from docx.shared import Cm, Length, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

_TABLE_LOOK_BITS = {
    "firstRow": 0x20,
    "lastRow": 0x40,
    "firstColumn": 0x80,
    "lastColumn": 0x100,
    "noHBand": 0x200,
    "noVBand": 0x400,
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
CONTENTS_LEVELS = 3  # heading levels the contents lists
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # what Word itself writes; a clock time would make every build differ


# Languages whose Word language tag names the script (`uz-Latn-UZ`), as each is written in more than one.
WRITTEN_IN_TWO_SCRIPTS = ("uz", "sr", "az", "bs")


def use_a4(document: Document) -> None:
    """python-docx's default template is US Letter; briefings here are printed on A4."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)


HOUSE_FONT = "Calibri"  # a font every Word user has; the PDF sets Carlito, its metric twin (briefing.css)
_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def use_house_font(document: Document) -> None:
    """Every style of python-docx's default template in HOUSE_FONT, named outright: its theme's fonts (Cambria for
    text) would set the text wider than the PDF; LibreOffice sets Calibri in Carlito with the same metrics."""
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        if not any(fonts.get(qn(name)) for name in _THEME_FONTS):
            continue  # a font named outright (the monospace one) stays
        for name in _THEME_FONTS:
            fonts.attrib.pop(qn(name), None)
        for name in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(name), HOUSE_FONT)


def text_width(document: Document) -> Length:
    section = document.sections[0]
    width, left, right = section.page_width, section.left_margin, section.right_margin
    assert width is not None and left is not None and right is not None  # the house template sets the page and margins
    return Length(width - left - right)


def ends_with_table(document: Document) -> bool:
    body = document.element.body
    last = body.sectPr.getprevious() if body.sectPr is not None else (body[-1] if len(body) else None)
    return last is not None and last.tag == qn("w:tbl")


def clear_body(document: Document) -> None:
    """A reference document lends its styles and page setup, never its sample content."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def single_empty_paragraph(header_or_footer: _Header | _Footer) -> DocxParagraph:
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


def only_right_tab(paragraph: DocxParagraph, position: Length) -> None:
    """One right tab at the margin; the style's own stops (Header's centre tab) are cleared first."""
    tab_stops = paragraph.paragraph_format.tab_stops
    inherited_stops = paragraph.style.paragraph_format.tab_stops if paragraph.style is not None else []
    for inherited in inherited_stops:
        tab_stops.add_tab_stop(inherited.position, WD_TAB_ALIGNMENT.CLEAR)
    tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)


def set_paragraph_style_id(paragraph: DocxParagraph, style_id: str | None) -> None:
    """The paragraph's style by its id (None: the document's default paragraph style), as `Paragraph.style` sets it
    once python-docx has looked the name up."""
    paragraph._p.style = style_id


def set_proofing_language(document: Document, lang: str) -> None:
    """Mark the text as written in `lang`, so Word spell-checks a Russian briefing in Russian.

    Word wants a language with its region (`ru-RU`); CLDR's likely subtags supply the region for a bare `ru`.
    """
    _set_language(document.styles.default(WD_STYLE_TYPE.PARAGRAPH).element.get_or_add_rPr(), lang)


def set_run_language(run: Run, lang: str) -> None:
    """Mark one run as written in `lang` (a text that fell back to another language than the document's)."""
    _set_language(run._r.get_or_add_rPr(), lang)


def _set_language(run_properties: BaseOxmlElement, lang: str) -> None:
    """Word wants a language with its region (`ru-RU`, `kk-KZ`, `uz-Latn-UZ`); CLDR's likely subtags supply them."""
    locale = Locale.parse(get_global("likely_subtags").get(lang, lang.replace("-", "_")))
    script = locale.script if locale.language in WRITTEN_IN_TWO_SCRIPTS else None
    tag = "-".join(part for part in (locale.language, script, locale.territory) if part)
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.insert_element_before(language, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    language.set(qn("w:val"), tag)


def has_character_style(document: Document, name: str) -> bool:
    return any(style.name == name and style.type == WD_STYLE_TYPE.CHARACTER for style in document.styles)


def wrap_in_hyperlink(run: Run, relationship_id: str | None = None, anchor: str | None = None) -> None:
    hyperlink = OxmlElement("w:hyperlink")
    if relationship_id is not None:
        hyperlink.set(qn("r:id"), relationship_id)
    if anchor is not None:
        hyperlink.set(qn("w:anchor"), anchor)
    hyperlink.set(qn("w:history"), "1")
    run._r.addprevious(hyperlink)
    hyperlink.append(run._r)


def update_fields_on_open(document: Document) -> None:
    """Word updates the document's fields (the contents' page numbers) when it opens the file."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def add_field_mark(paragraph: DocxParagraph, kind: str) -> None:
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(mark)


def add_instruction(paragraph: DocxParagraph, instruction: str) -> None:
    instruction_text = OxmlElement("w:instrText")
    instruction_text.set(qn("xml:space"), "preserve")
    instruction_text.text = f" {instruction} "
    paragraph.add_run()._r.append(instruction_text)


def add_contents_styles(document: Document) -> None:
    """Word's built-in `TOC Heading` and `toc 1`–`toc 3`, where the styles (a reference.docx's) lack them."""
    names = {style.name for style in document.styles}
    if "TOC Heading" not in names:
        heading = document.styles.add_style("TOC Heading", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        heading.base_style = document.styles["Heading 1"]
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), "9")  # body text: the contents' own title is not an entry
        heading.element.get_or_add_pPr().append(outline)
    for level in range(1, CONTENTS_LEVELS + 1):
        if f"toc {level}" not in names:
            style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
            style.style_id = f"TOC{level}"
            style.base_style = document.styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.5 * (level - 1))
            style.paragraph_format.space_after = Pt(4)


def bookmark_name(number: int) -> str:
    return f"source-{number}"


def add_bookmark(paragraph: DocxParagraph, number: int) -> None:
    """A bookmark around the paragraph's content; citations `[n]` link here."""
    bookmark_named(paragraph, bookmark_name(number), number)


def bookmark_named(paragraph: DocxParagraph, name: str, bookmark_id: int) -> None:
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph_properties = paragraph._p.pPr
    if paragraph_properties is not None:
        paragraph_properties.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def set_numbering(paragraph: DocxParagraph, number_id: int) -> None:
    number_properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    number_properties.get_or_add_ilvl().val = 0
    number_properties.get_or_add_numId().val = number_id


def repeat_as_header(row) -> None:
    """`w:tblHeader`: Word repeats this row at the top of every page the table spans."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def keep_table_start(table: DocxTable, rows: int) -> None:
    """No row split across pages (`w:cantSplit`), and the first `rows` rows kept with the row after them
    (`w:keepNext` on their paragraphs), so a table never breaks after its header and a row or two. The last row
    is never kept with what follows the table."""
    for index, row in enumerate(table.rows):
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(cant_split)
        if index < min(rows, len(table.rows) - 1):
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def set_table_look(table: DocxTable, first_row: bool) -> None:
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


def set_text_size(paragraph: DocxParagraph, size: Length) -> None:
    """Every run of the paragraph, the runs inside links and citations included."""
    for element in paragraph._p.iter(qn("w:r")):
        Run(element, paragraph).font.size = size


def set_column_widths(table: DocxTable, shares: tuple[float, ...], text_width: Length) -> None:
    """Both the grid (LibreOffice reads it) and every cell (Word reads those)."""
    table.autofit = False
    for column, share in zip(table.columns, shares, strict=True):
        column.width = Length(int(text_width * share))
        for cell in column.cells:
            cell.width = Length(int(text_width * share))


def fixed_zip_dates(data: bytes) -> bytes:
    """The same zip with every entry dated ZIP_TIMESTAMP: python-docx stamps entries with the clock."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=ZIP_TIMESTAMP)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = item.external_attr
            target.writestr(fixed, source.read(item.filename))
    return output.getvalue()


def xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 forbids: lxml refuses them and Word rejects the file."""
    return _XML_INVALID.sub("", text)
