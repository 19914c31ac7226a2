"""The Word renderer, read back the way a reader meets it: styles, texts, links, fields, picture, properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import struct
import zipfile

import docx
import pytest
from docx.shared import Pt
from support.briefing import make_briefing
from support.chart_data import TRADE_SERIES
from support.read import normalize

from reports.briefing.model import (
    Briefing,
    Chart,
    Column,
    ItemList,
    KeyFigure,
    KeyFigures,
    ListItem,
    Paragraph,
    Section,
    SourceEntry,
    Span,
    Table,
)
from reports.errors import TemplateError
from reports.renderers.docx.writer import REQUIRED_STYLES, DocxRenderer
from reports.template_folders import template_folders

URL = "https://example.org/report?a=1&b=2"
ESCAPES = 'Tariffs < 5 % & "green lanes"'
CYRILLIC = "Қазақстан, Oʻzbekiston, Ташкент"
ALT_TEXT = "Bar chart: turnover rose from $1.3 bn in 2017 to $3.6 bn in 2024; the 2030 target is $10 bn."

SERIES = dataclasses.replace(
    TRADE_SERIES,
    value_axis_label="US$ million",
    target_label="Target",
    required_path=((2024, 3600.0), (2030, 10000.0)),
    category_axis_label="",
)

SOURCES = (
    SourceEntry(1, "stat", "Foreign trade 2024", "Statistics Agency", "2025", URL),
    SourceEntry(2, "mfa", "Joint statement", "Ministry of Foreign Affairs", "2024", None),
)


def _sources_section() -> Section:
    rows = tuple(
        ((Span(f"[{s.number}]"),), (Span(s.title, href=s.url) if s.url else Span(s.title),), (Span(s.publisher),))
        for s in SOURCES
    )
    table = Table("Sources", (Column("No."), Column("Title"), Column("Publisher")), rows, role="sources")
    return Section("sources", "Sources", 1, (table,))


def _sample() -> dict:
    paragraph = Paragraph(
        (
            Span("Trade "),
            Span("grew", bold=True),
            Span(" "),
            Span("fast", italic=True),
            Span(" per "),
            Span("the agency", href=URL),
            Span("; code "),
            Span("HS 27", code=True),
            Span("[1]", cites=(1,)),
            Span(". " + ESCAPES + " — " + CYRILLIC),
        )
    )
    nested = ItemList((ListItem((Span("Sub-point"),)),))
    bullets = ItemList((ListItem((Span("First point"),), children=nested), ListItem((Span("Second point"),))))
    numbered = ItemList((ListItem((Span("Step one"),)), ListItem((Span("Step two"),))), ordered=True)
    figures = KeyFigures((KeyFigure("Turnover 2024", "$4.27 bn", "+16.4 % on 2023", (1, 2)),))
    table = Table(
        "Trade by year",
        (Column("Year"), Column("Turnover", numeric=True)),
        (((Span("2023"),), (Span("3,300", bold=True),)), ((Span("2024"),), (Span("3,600"),))),
    )
    chart = Chart("Turnover, 2017–2024, and the 2030 target", ALT_TEXT, SERIES)
    area = Section("energy", "Energy", 2, (numbered,))
    trade = Section("trade", "Trade", 1, (paragraph, bullets, figures, table, chart), children=(area,))
    return dict(
        subtitle="Relations briefing",
        marking="FOR OFFICIAL USE",
        cover_lines=("Prepared for the ministry",),
        sections=(trade, _sources_section()),
        sources=SOURCES,
        labels={"page": "Page", "of": "of", "sources": "Sources"},
        author="Analysis Unit",
        keywords=("Kazakhstan", "Uzbekistan", "trade"),
    )


SAMPLE = _sample()  # the briefing of these tests: every kind of block, a chart, links, sources


def render(briefing: Briefing, template_dirs=()) -> docx.document.Document:
    return docx.Document(io.BytesIO(DocxRenderer(list(template_dirs)).render(briefing)))


@pytest.fixture(scope="module")
def document():
    return render(make_briefing(SAMPLE))


def styled_texts(document) -> list[tuple[str, str]]:
    """Each paragraph's style and text as a reader sees it (no-break spaces read as spaces)."""
    return [(p.style.name, normalize(p.text)) for p in document.paragraphs if p.text]


def test_paragraphs_appear_in_order_with_real_word_styles(document):
    texts = styled_texts(document)
    assert texts[:4] == [
        ("Title", "Kazakhstan – Uzbekistan"),
        ("Subtitle", "Relations briefing"),
        ("Normal", "FOR OFFICIAL USE"),
        ("Normal", "As of 22 November 2025"),
    ]
    headings_and_lists = [t for t in texts if t[0].startswith(("Heading", "List"))]
    assert headings_and_lists == [
        ("Heading 1", "Trade"),
        ("List Bullet", "First point"),
        ("List Bullet 2", "Sub-point"),
        ("List Bullet", "Second point"),
        ("Heading 2", "Energy"),
        ("List Number", "Step one"),
        ("List Number", "Step two"),
        ("Heading 1", "Sources"),
    ]
    assert ("Caption", "Table 1: Trade by year") in texts  # numbered by SEQ fields: tests/test_docx_chart.py
    assert ("Caption", "Figure 1: Turnover, 2017–2024, and the 2030 target") in texts


def test_body_starts_on_a_new_page_after_the_cover(document):
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert heading.paragraph_format.page_break_before


def test_inline_formatting_and_citation_marks(document):
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Trade grew"))
    runs = {run.text: run for run in paragraph.iter_inner_content() if hasattr(run, "bold")}
    assert runs["grew"].bold and runs["fast"].italic
    assert runs["HS 27"].font.name == "Consolas"
    cite = paragraph._p.xpath(".//w:hyperlink[@w:anchor='source-1']//w:t")[0]
    assert cite.text == "[1]"
    assert paragraph._p.xpath(".//w:hyperlink[@w:anchor='source-1']//w:vertAlign/@w:val") == ["superscript"]
    assert document.element.body.xpath(".//w:bookmarkStart[@w:name='source-1']")


def test_external_link_is_a_real_hyperlink(document):
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Trade grew"))
    link = paragraph.hyperlinks[0]
    assert link.text == "the agency"
    assert link.address == URL
    relationship = document.part.rels[link._hyperlink.rId]
    assert relationship.is_external and relationship.reltype.endswith("/hyperlink")


def test_text_from_data_appears_exactly_as_written(document):
    body = normalize("\n".join(p.text for p in document.paragraphs))
    assert ESCAPES in body and CYRILLIC in body


def test_key_figure_value_is_bold_and_verbatim(document):
    row = document.tables[0].rows[0]
    # one mark, merged; a figure kept with its unit
    assert [cell.text for cell in row.cells] == ["Turnover 2024", "$4.27\u00a0bn", "+16.4\u00a0% on 2023[1,\u00a02]"]
    assert row.cells[1].paragraphs[0].runs[0].bold


def test_data_table_repeats_its_header_and_aligns_numbers_right(document):
    table = document.tables[1]
    assert table.style.name in REQUIRED_STYLES
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Year", "Turnover"],
        ["2023", "3,300"],
        ["2024", "3,600"],
    ]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert not table.rows[1]._tr.xpath("./w:trPr/w:tblHeader")
    assert table.cell(1, 1).paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    assert table.cell(1, 1).paragraphs[0].runs[0].bold


def test_header_shows_title_and_marking_and_footer_counts_pages(document):
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Kazakhstan – Uzbekistan\tFOR OFFICIAL USE"
    footer = section.footer._element
    instructions = [text.strip() for text in footer.xpath(".//w:instrText/text()")]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = footer.xpath(".//w:fldChar/@w:fldCharType")
    assert kinds == ["begin", "separate", "end"] * 2
    assert "Page" in section.footer.paragraphs[0].text and " of " in section.footer.paragraphs[0].text


@pytest.mark.slow
def test_chart_picture_has_alt_text_and_print_resolution():
    """When the audience asks for the picture (`word_chart: picture`); the native chart: tests/test_docx_chart.py."""
    document = render(make_briefing(SAMPLE, word_chart="picture"))
    shape = document.inline_shapes[0]
    assert shape._inline.docPr.get("descr") == ALT_TEXT
    assert abs(shape.width.cm - 16) < 0.01
    blob = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = document.part.related_parts[blob].blob
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    width_px = struct.unpack(">I", image[16:20])[0]
    assert width_px / (16 / 2.54) >= 199
    physical = image.index(b"pHYs")
    per_metre, _, unit = struct.unpack(">IIB", image[physical + 4 : physical + 13])
    assert unit == 1 and per_metre * 0.0254 >= 199.5


def test_core_properties(document):
    properties = document.core_properties
    assert properties.title == "Kazakhstan – Uzbekistan"
    assert properties.subject == "Relations briefing"
    assert properties.keywords == "Kazakhstan, Uzbekistan, trade"
    assert properties.author == "Analysis Unit"
    assert properties.language == "en"


def test_sources_section_is_not_repeated(document):
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"].count("Sources") == 1


def test_sources_list_is_added_when_the_model_has_no_sources_section():
    briefing = make_briefing(SAMPLE)
    document = render(make_briefing(SAMPLE, sections=briefing.sections[:1], labels={"sources": "Источники"}))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-1] == "Источники"
    entry = document.paragraphs[-2]
    assert entry.text.startswith("[1] Foreign trade 2024")
    assert entry.hyperlinks[0].address == URL
    assert entry._p.xpath("./w:bookmarkStart/@w:name") == ["source-1"]


def test_same_briefing_gives_the_same_bytes():
    renderer = DocxRenderer([])
    first, second = renderer.render(make_briefing(SAMPLE)), renderer.render(make_briefing(SAMPLE))
    assert first == second
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {(1980, 1, 1, 0, 0, 0)}
    properties = docx.Document(io.BytesIO(first)).core_properties
    assert properties.created == properties.modified == dt.datetime(2025, 11, 22, tzinfo=dt.UTC)  # the as-of date


def test_control_characters_do_not_break_the_file():
    dirty = Paragraph((Span("bell\x07 null\x00 escape\x1b end"),))
    briefing = make_briefing(SAMPLE, title="Title\x0b with tab", sections=(Section("s", "Odd\x01 text", 1, (dirty,)),))
    document = render(briefing)
    body = [p.text for p in document.paragraphs]
    assert "bell null escape end" in body and "Odd text" in body
    assert document.core_properties.title == "Title with tab"


def test_numbered_lists_restart_at_one():
    numbered = ItemList((ListItem((Span("a"),)),), ordered=True)
    document = render(make_briefing(SAMPLE, sections=(Section("s", "S", 1, (numbered, numbered)),)))
    ids = [p._p.pPr.numPr.numId.val for p in document.paragraphs if p.style.name == "List Number"]
    assert len(set(ids)) == 2


def test_reference_docx_in_a_template_folder_supplies_the_styles(tmp_path):
    reference = docx.Document()
    reference.styles["Heading 1"].font.size = Pt(27)
    reference.add_paragraph("sample text that must not leak into briefings")
    organization, builtin = tmp_path / "organization", tmp_path / "builtin"
    organization.mkdir()
    builtin.mkdir()
    reference.save(organization / "reference.docx")
    document = render(make_briefing(SAMPLE), template_dirs=[tmp_path / "missing", organization, builtin])
    assert document.styles["Heading 1"].font.size == Pt(27)
    assert "sample text" not in "\n".join(p.text for p in document.paragraphs)


def test_default_template_has_every_required_style():
    names = {style.name for style in docx.Document().styles}
    assert set(REQUIRED_STYLES) <= names


def test_renderer_identity_and_a4_pages(document):
    assert (DocxRenderer.name, DocxRenderer.suffix) == ("docx", "docx")
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_adjacent_tables_stay_apart_and_text_is_marked_with_its_language():
    figures = KeyFigures((KeyFigure("A", "1", "", ()),))
    document = render(make_briefing(SAMPLE, lang="ru", sections=(Section("s", "S", 1, (figures, figures)),)))
    first = document.tables[0]._tbl
    assert first.getnext().tag.endswith("}p")
    assert document.styles["Normal"].element.rPr.xpath("./w:lang/@w:val") == ["ru-RU"]


def test_a_broken_reference_docx_is_a_template_error_when_the_folder_is_loaded(tmp_path):
    (tmp_path / "reference.docx").write_text("not a zip")
    with pytest.raises(TemplateError, match="reference.docx"):
        template_folders(tmp_path, [DocxRenderer.check_templates])


def test_long_keywords_fit_the_core_properties():
    document = render(make_briefing(SAMPLE, keywords=tuple(f"keyword {n}" for n in range(60))))
    assert len(document.core_properties.keywords) == 255


def test_a_table_without_caption_gets_no_empty_caption_paragraph():
    table = Table("", (Column("A"),), (((Span("x"),),),))
    document = render(make_briefing(SAMPLE, sections=(Section("s", "S", 1, (table,)),)))
    assert "Caption" not in [p.style.name for p in document.paragraphs]


def test_a_table_keeps_its_first_rows_together_and_no_row_splits():
    """Word may break a table only after its third body row at the earliest, and never inside a row."""
    rows = tuple(((Span(f"{year}"),), (Span(f"{year} text"),)) for year in range(2018, 2024))
    table = Table("Trade by year", (Column("Year"), Column("Note")), rows)
    document = render(make_briefing(SAMPLE, sections=(Section("s", "S", 1, (table,)),)))
    caption = next(p for p in document.paragraphs if p.style.name == "Caption")
    assert caption.paragraph_format.keep_with_next
    word_table = document.tables[0]
    kept = [all(p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs) for row in word_table.rows]
    assert kept == [True, True, True, False, False, False, False]  # header, first and second body rows
    assert all(row._tr.xpath("./w:trPr/w:cantSplit[@w:val='true']") for row in word_table.rows)


def test_a_figure_stays_with_its_unit_in_word_text_but_links_and_code_do_not_change():
    spans = (Span("Trade reached 4.27 bn in 2024 and 15 % of "), Span("the 2024 list", href=URL), Span("HS 27 01", code=True))
    paragraph = Paragraph(spans)
    document = render(make_briefing(SAMPLE, sections=(Section("s", "S", 1, (paragraph,)),)))
    runs = [run.text for p in document.paragraphs for run in p.iter_inner_content() if "2024" in run.text or "HS" in run.text]
    assert "Trade reached 4.27\u00a0bn in 2024\u00a0and 15\u00a0% of " in runs
    assert "the 2024 list" in runs
    assert "HS 27 01" in runs
