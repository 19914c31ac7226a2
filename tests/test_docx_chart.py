"""Word files finished on open: a native, editable chart; SEQ captions and a table of contents filled in.

Every test reopens the Word file as Word would meet it (python-docx, the zip's parts, openpyxl for the
embedded workbook) and compares it with the numbers written out here, never with the code under test.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile

import docx
import openpyxl
import pytest
from docx.enum.shape import WD_INLINE_SHAPE
from docx.oxml.ns import qn
from lxml import etree
from support.briefing import make_briefing
from support.chart_data import TRADE_SERIES
from support.cli import run_in_process

from reports.briefing.audiences import load_audiences
from reports.briefing.model import Briefing, Chart, ChartSeries, Column, Paragraph, Section, SourceEntry, Span, Table
from reports.errors import TemplateError
from reports.renderers.chart import EXPORTS_COLOUR, IMPORTS_COLOUR, TARGET_COLOUR, TURNOVER_COLOUR, chart_svg
from reports.renderers.docx import writer as docx_renderer
from reports.renderers.docx.writer import DocxRenderer
from reports.template_folders import BUILTIN_TEMPLATES

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"c": C, "a": A, "r": R, "w": W}

ALT_TEXT = "Bar chart of trade turnover from 2017 to 2024; latest $3.6 bn in 2024; target $10 bn by 2030."
CAPTION = "Turnover by year, USD million, with the path required to reach the target"
SERIES = TRADE_SERIES
YEARS = list(range(2017, 2031))
E = None  # an empty cell
EXPECTED_COLUMNS = {  # name: value per year 2017..2030, as the PDF's chart draws them
    "Exports": [800.0, E, 1300.0, E, 1500.0, 2000.0, 2100.0, 2300.0, E, E, E, E, E, E],
    "Imports": [500.0, E, 700.0, E, 800.0, 1000.0, 1200.0, 1300.0, E, E, E, E, E, E],
    "Turnover": [E, 1800.0, E, E, E, E, E, E, E, E, E, E, E, E],
    "Required path": [E, E, E, E, E, E, E, 3600.0, E, E, 5947.5, E, E, 10000.0],
    "Target:\u00a0$10\u00a0bn\u00a0by\u00a02030": [E, E, E, E, E, E, E, E, E, E, E, E, E, 10000.0],  # no-break spaces:
}  # the target's data label never wraps ("Target: $10 bn by" / "2030")
BAR_COLOURS = {"Exports": EXPORTS_COLOUR, "Imports": IMPORTS_COLOUR, "Turnover": TURNOVER_COLOUR}


def table(caption: str) -> Table:
    return Table(caption, (Column("Year"), Column("Value", numeric=True)), (((Span("2024"),), (Span("3,600"),)),))


def _sample() -> dict:
    chart = Chart(CAPTION, ALT_TEXT, SERIES)
    energy = Section("energy", "Energy", 2, (Paragraph((Span("Pipelines."),)), table("Projects")))
    water = Section("water", "Water", 2, (Paragraph((Span("Quotas."),)),))
    trade = Section("trade", "Trade", 1, (table("Trade by year"), chart), children=(energy, water))
    targets = Section("targets", "Where the targets stand", 1, (table("Targets"), Chart("Second chart", ALT_TEXT, SERIES)))
    return dict(
        subtitle="Ministry briefing",
        marking="FOR OFFICIAL USE ONLY",
        sections=(trade, targets),
        sources=(SourceEntry(1, "stat", "Foreign trade 2024", "Statistics Agency", "2025", None),),
        labels={
            "contents": "Contents",
            "caption_figure": "Figure {number}: {caption}",
            "caption_table": "Table {number}: {caption}",
        },
    )


SAMPLE = _sample()  # the briefing of these tests: two sections with a chart each, tables, sub-sections


def render_bytes(briefing: Briefing) -> bytes:
    return DocxRenderer([]).render(briefing)


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def native() -> bytes:
    return render_bytes(make_briefing(SAMPLE))


def chart_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", name)}


def first_chart(document: docx.document.Document) -> etree._Element:
    """The chart part the first inline shape draws, found the way Word finds it: through its relationship."""
    shape = document.inline_shapes[0]
    relationship_id = shape._inline.graphic.graphicData.find(f"{{{C}}}chart").get(f"{{{R}}}id")
    return etree.fromstring(document.part.related_parts[relationship_id].blob)


def xpath(element: etree._Element, path: str) -> list:
    """`path` with the w:, c:, a: and r: prefixes, on any element (python-docx's own or lxml's)."""
    return etree.XPath(path, namespaces=NS)(element)


def series_data(ser: etree._Element) -> tuple[str, list[str], list[float | None]]:
    """(name, categories, values) of a `c:ser` from the caches Word shows before anyone edits the data."""
    name = ser.findtext("c:tx//c:v", namespaces=NS)
    categories = [pt.findtext("c:v", namespaces=NS) for pt in ser.findall("c:cat//c:pt", NS)]
    count = int(ser.find("c:val//c:ptCount", NS).get("val"))
    values: list[float | None] = [None] * count
    for pt in ser.findall("c:val//c:pt", NS):
        values[int(pt.get("idx"))] = float(pt.findtext("c:v", namespaces=NS))
    return name, categories, values


# ------------------------------------------------------------------------------------------ the chart


def test_the_chart_is_a_native_inline_chart_with_alternative_text(native):
    document = open_docx(native)
    shapes = document.inline_shapes
    assert [shape.type for shape in shapes] == [WD_INLINE_SHAPE.CHART, WD_INLINE_SHAPE.CHART]
    assert shapes[0]._inline.docPr.get("descr") == ALT_TEXT
    assert shapes[0]._inline.docPr.get("title") == CAPTION
    assert abs(shapes[0].width.cm - 16) < 0.01 and abs(shapes[0].height.cm - 8.5) < 0.01  # the PDF chart's size
    assert len({shape._inline.docPr.get("id") for shape in shapes}) == 2  # drawing ids unique in the document


def test_the_chart_part_holds_columns_by_year_and_the_target_path_as_a_line(native):
    chart = first_chart(open_docx(native))
    plot = chart.find("c:chart/c:plotArea", NS)
    bar_charts, line_charts = plot.findall("c:barChart", NS), plot.findall("c:lineChart", NS)
    assert len(bar_charts) == 1 and len(line_charts) == 1
    bars = [series_data(ser) for ser in bar_charts[0].findall("c:ser", NS)]
    lines = [series_data(ser) for ser in line_charts[0].findall("c:ser", NS)]
    assert [name for name, _, _ in bars] == ["Exports", "Imports", "Turnover"]
    assert [name for name, _, _ in lines] == ["Required path", "Target:\u00a0$10\u00a0bn\u00a0by\u00a02030"]
    for name, categories, values in bars + lines:
        assert categories == [str(year) for year in YEARS], name
        assert values == EXPECTED_COLUMNS[name], name
    assert bar_charts[0].find("c:grouping", NS).get("val") == "stacked"  # exports + imports = turnover, as in the PDF
    # one pair of axes: the line is drawn against the same values as the columns
    axes = [[axis.get("val") for axis in chart.findall("c:axId", NS)] for chart in (bar_charts[0], line_charts[0])]
    assert axes[0] == axes[1]


def test_the_chart_has_a_legend_axis_titles_and_the_pdf_colours_and_no_title(native):
    chart = first_chart(open_docx(native))
    # the caption under the chart says what it shows: no title repeats it, nor does Word make one from a series
    assert chart.find("c:chart/c:title", NS) is None
    assert chart.find("c:chart/c:autoTitleDeleted", NS).get("val") == "1"
    assert chart.find("c:chart/c:legend/c:legendPos", NS).get("val") == "t"
    assert "".join(chart.xpath("c:chart/c:plotArea/c:valAx/c:title//a:t/text()", namespaces=NS)) == "USD million"
    assert "".join(chart.xpath("c:chart/c:plotArea/c:catAx/c:title//a:t/text()", namespaces=NS)) == "Year"
    for ser in chart.findall("c:chart/c:plotArea/c:barChart/c:ser", NS):
        name = ser.findtext("c:tx//c:v", namespaces=NS)
        assert ser.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") == BAR_COLOURS[name].lstrip("#").upper()
    path, target = chart.findall("c:chart/c:plotArea/c:lineChart/c:ser", NS)
    assert path.find("c:spPr/a:ln/a:solidFill/a:srgbClr", NS).get("val") == TARGET_COLOUR.lstrip("#").upper()
    assert path.find("c:spPr/a:ln/a:prstDash", NS).get("val") == "dash"
    assert target.find("c:marker/c:symbol", NS).get("val") == "diamond"  # Word's "star" is an asterisk


def test_the_value_axis_is_the_pdfs(native):
    # the PDF's chart of SERIES (target 10,000): ticks every 2,000 up to 10,000, the plot a little higher
    svg = chart_svg(SERIES)
    labels = re.findall(r'class="value-tick"[^>]*>([^<]+)<', svg)
    assert labels[-1] == "10,000" and labels[1] == "2,000"
    scaling = first_chart(open_docx(native)).find("c:chart/c:plotArea/c:valAx", NS)
    assert scaling.find("c:majorUnit", NS).get("val") == "2000.0"
    assert 10000 <= float(scaling.find("c:scaling/c:max", NS).get("val")) < 12000


def test_the_embedded_workbook_holds_the_same_numbers(native):
    document = open_docx(native)
    shape = document.inline_shapes[0]
    chart_part = document.part.related_parts[shape._inline.graphic.graphicData.find(f"{{{C}}}chart").get(f"{{{R}}}id")]
    chart = etree.fromstring(chart_part.blob)
    workbook_id = chart.find("c:externalData", NS).get(f"{{{R}}}id")
    workbook_part = chart_part.related_parts[workbook_id]
    assert workbook_part.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_part.blob)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][1:]) == list(EXPECTED_COLUMNS)
    assert [row[0] for row in rows[1:]] == YEARS
    for column, name in enumerate(EXPECTED_COLUMNS, start=1):
        assert [row[column] for row in rows[1:]] == EXPECTED_COLUMNS[name], name
    # the chart's formulas point at those cells, so "Edit Data" changes what is drawn
    formulas = chart.xpath("//c:ser/c:val/c:numRef/c:f/text()", namespaces=NS)
    assert formulas == [f"Sheet1!${letter}$2:${letter}$15" for letter in "BCDEF"]


def test_every_chart_part_is_well_formed_and_its_relationships_resolve(native):
    with zipfile.ZipFile(io.BytesIO(native)) as package:
        names = set(package.namelist())
        types = etree.fromstring(package.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types if o.tag.endswith("Override")}
        defaults = {d.get("Extension"): d.get("ContentType") for d in types if d.tag.endswith("Default")}
        charts = sorted(name for name in names if name.startswith("word/charts/") and name.endswith(".xml"))
        assert charts == ["word/charts/chart1.xml", "word/charts/chart2.xml"]
        document_rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        chart_targets = {
            rel.get("Id"): posixpath.normpath(posixpath.join("word", rel.get("Target")))
            for rel in document_rels
            if rel.get("Type").endswith("/chart")
        }
        document = etree.fromstring(package.read("word/document.xml"))
        drawn = [chart_targets[rid] for rid in document.xpath("//c:chart/@r:id", namespaces=NS)]
        assert drawn == charts  # every chart drawn, each from its own part
        for name in charts:
            chart = etree.fromstring(package.read(name))  # raises if not well-formed
            assert chart.tag == f"{{{C}}}chartSpace"
            assert overrides["/" + name] == "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
            rels_name = posixpath.join(posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels")
            relationships = etree.fromstring(package.read(rels_name))
            ids = set()
            for rel in relationships.findall(f"{{{PACKAGE_RELATIONSHIPS}}}Relationship"):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), rel.get("Target")))
                assert target in names, f"{name}: {rel.get('Id')} points at {target}, which is not in the package"
                assert overrides.get("/" + target) or defaults.get(target.rsplit(".", 1)[-1]), target
                ids.add(rel.get("Id"))
            used = set(chart.xpath("//@r:id", namespaces=NS))
            assert used and used <= ids, f"{name} uses {used - ids}, which its relationships do not define"


def test_a_series_without_target_or_split_is_still_a_native_chart():
    plain = ChartSeries((2022, 2023), (None, None), (None, None), (10.0, 12.5), "Exports", "Imports", "Turnover", "USD million")
    chart = Chart("Turnover", "Bar chart.", plain)
    document = open_docx(render_bytes(make_briefing(SAMPLE, sections=(Section("trade", "Trade", 1, (chart,)),))))
    assert document.inline_shapes[0].type == WD_INLINE_SHAPE.CHART
    part = first_chart(document)
    assert not part.findall(".//c:lineChart", NS)
    assert [series_data(ser) for ser in part.findall(".//c:barChart/c:ser", NS)] == [("Turnover", ["2022", "2023"], [10.0, 12.5])]


# ------------------------------------------------------------------------------------ the picture, when asked or needed


def test_a_failing_native_chart_falls_back_to_the_picture_with_a_warning(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise AttributeError("'CT_PlotArea' object has no attribute 'barChart'")  # as a library change would

    monkeypatch.setattr(docx_renderer, "build_native_chart", broken)
    with caplog.at_level(logging.WARNING, logger="reports.renderers.docx.writer"):
        data = render_bytes(make_briefing(SAMPLE))
    document = open_docx(data)
    assert [shape.type for shape in document.inline_shapes] == [WD_INLINE_SHAPE.PICTURE] * 2
    assert document.inline_shapes[0]._inline.docPr.get("descr") == ALT_TEXT
    assert not chart_parts(data)
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert f"'{CAPTION}' is a picture" in warnings[0] and "AttributeError" in warnings[0] and "python-pptx" in warnings[0]


def test_word_chart_picture_gives_the_png():
    data = render_bytes(make_briefing(SAMPLE, word_chart="picture"))
    document = open_docx(data)
    shape = document.inline_shapes[0]
    assert shape.type == WD_INLINE_SHAPE.PICTURE
    image = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert not chart_parts(data)


def test_the_audience_key_word_chart_is_validated_and_defaults_to_native(tmp_path):
    folder = tmp_path / "templates"
    (folder / "audiences").mkdir(parents=True)
    (folder / "audiences" / "desk.yaml").write_text("extends: ministry\nword_chart: picture\n", encoding="utf-8")
    audiences = load_audiences([folder, BUILTIN_TEMPLATES])
    assert audiences["desk"].word_chart == "picture"
    assert audiences["ministry"].word_chart == audiences["leadership"].word_chart == "native"
    (folder / "audiences" / "desk.yaml").write_text("extends: ministry\nword_chart: svg\n", encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        load_audiences([folder, BUILTIN_TEMPLATES])
    assert "desk.yaml:2: word_chart: must be one of: native, picture" in str(raised.value)


@pytest.mark.slow
def test_the_audience_key_reaches_the_word_file(tmp_path):
    folder = tmp_path / "templates"
    (folder / "audiences").mkdir(parents=True)
    (folder / "audiences" / "desk.yaml").write_text("extends: ministry\nword_chart: picture\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["--dossier", "tests/dossiers/valid", "--templates", str(folder), "--format", "docx", "--out", str(out)]
    code, stdout, stderr = run_in_process("build", *args, "--audience", "desk", "--audience", "ministry", "--as-of", "2024-06-30")
    assert code == 0, stderr
    built = {path.name.split(".")[0]: docx.Document(str(path)) for path in out.rglob("*.docx")}
    assert [shape.type for shape in built["desk"].inline_shapes] == [WD_INLINE_SHAPE.PICTURE]
    assert [shape.type for shape in built["ministry"].inline_shapes] == [WD_INLINE_SHAPE.CHART]


# ------------------------------------------------------------------------------------ captions and contents


def caption_fields(document: docx.document.Document) -> list[tuple[str, str, str]]:
    """(identifier, cached number, whole text) of every caption, in reading order."""
    found = []
    for paragraph in document.paragraphs:
        if paragraph.style.name != "Caption":
            continue
        runs = paragraph._p.findall(qn("w:r"))
        instruction = "".join(paragraph._p.xpath(".//w:instrText/text()")).split()
        assert instruction[0] == "SEQ" and instruction[2:] == ["\\*", "ARABIC"], instruction
        kinds = [mark.get(qn("w:fldCharType")) if (mark := run.find(qn("w:fldChar"))) is not None else None for run in runs]
        cached = "".join(runs[i].findtext(qn("w:t")) or "" for i in range(kinds.index("separate") + 1, kinds.index("end")))
        found.append((instruction[1], cached, "".join(paragraph._p.xpath(".//w:t/text()"))))
    return found


def test_captions_are_seq_fields_with_their_numbers_filled_in(native):
    assert caption_fields(open_docx(native)) == [
        ("Table", "1", "Table 1: Trade by year"),
        ("Figure", "1", f"Figure 1: {CAPTION}"),
        ("Table", "2", "Table 2: Projects"),
        ("Table", "3", "Table 3: Targets"),
        ("Figure", "2", "Figure 2: Second chart"),
    ]


def test_the_table_of_contents_is_filled_in_and_links_to_every_heading(native):
    document = open_docx(native)
    body = document.element.body
    controls = body.findall(qn("w:sdt"))
    assert len(controls) == 1
    gallery = controls[0].find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    assert gallery.get(qn("w:val")) == "Table of Contents"
    entries = controls[0].findall(f"{qn('w:sdtContent')}/{qn('w:p')}")

    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert [p.text for p in headings] == ["Trade", "Energy", "Water", "Where the targets stand", "Sources"]
    styles = [p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) for p in entries]
    assert styles == ["TOCHeading", "TOC1", "TOC2", "TOC2", "TOC1", "TOC1"]  # the title and 5 entries
    assert "".join(xpath(entries[0], ".//w:t/text()")) == "Contents"
    links = [(xpath(p, ".//w:hyperlink/@w:anchor"), "".join(xpath(p, ".//w:hyperlink//w:t/text()"))) for p in entries[1:6]]
    assert [text for _, text in links] == [p.text for p in headings]  # the entries equal the headings, in order
    for (anchor, _), heading in zip(links, headings, strict=True):
        assert xpath(heading._p, "./w:bookmarkStart/@w:name") == anchor  # each entry jumps to its heading
    # each entry ends with its page number: a PAGEREF field to its heading's bookmark, after a right tab; LibreOffice
    # computes it on opening, Word updates the fields on opening
    for entry, (anchor, _) in zip(entries[1:6], links, strict=True):
        assert [i.strip() for i in xpath(entry, ".//w:instrText/text()")] == [f"PAGEREF {anchor[0]} \\h"]
        assert xpath(entry, ".//w:tab") or "\t" in "".join(xpath(entry, ".//w:t/text()"))
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_bookmark_ids_are_unique(native):
    """Each bookmark's id is its own (ECMA-376): the contents' five headings and the one source each have one."""
    bookmarks = open_docx(native).element.body.xpath(".//w:bookmarkStart")
    names = [bookmark.get(qn("w:name")) for bookmark in bookmarks]
    assert len([name for name in names if name.startswith("_Toc")]) == 5 and names.count("source-1") == 1, names
    ids = [bookmark.get(qn("w:id")) for bookmark in bookmarks]
    assert len(ids) == len(set(ids)) == 6, ids


def test_a_short_note_has_no_table_of_contents():
    document = open_docx(render_bytes(make_briefing(SAMPLE, layout="note", max_pages=2)))
    assert not document.element.body.findall(qn("w:sdt"))
    assert not document.element.body.xpath(".//w:bookmarkStart[starts-with(@w:name, '_Toc')]")
    assert caption_fields(document)[0] == ("Table", "1", "Table 1: Trade by year")  # captions are numbered all the same


def test_the_contents_styles_are_added_where_a_reference_docx_lacks_them(tmp_path):
    reference = docx.Document()
    reference.styles["TOC Heading"].delete()
    reference.save(tmp_path / "reference.docx")
    document = open_docx(DocxRenderer([tmp_path]).render(make_briefing(SAMPLE)))
    names = {style.name for style in document.styles}
    assert {"TOC Heading", "toc 1", "toc 2", "toc 3"} <= names


# ------------------------------------------------------------------------------------ reproducible and pinned


def test_the_same_briefing_gives_the_same_bytes(native):
    assert render_bytes(make_briefing(SAMPLE)) == native
