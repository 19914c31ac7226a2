"""The python-docx and python-pptx internals the Word renderer uses for a native chart, pinned, in one place.

python-docx cannot add a chart and python-pptx writes charts only into presentations, so a
native Word chart takes a few steps under their public APIs. Each one is here, and nowhere else:

- python-pptx `CategoryChartData.xml_bytes()` and `.xlsx_blob`: the chart XML (`c:chartSpace`) and the workbook
  behind it, laid out as Office expects for "Edit Data" (categories in column A, one column per series, the
  series names in row 1, formulas such as `Sheet1!$B$2:$B$15` in the chart pointing at them);
- python-pptx `pptx.oxml.parse_xml` and `pptx.chart.chart.Chart(chartSpace, None)`: python-pptx's public
  formatting API (fills, lines, markers, axes, legend) on a chart that belongs to no presentation;
- python-docx `docx.opc.part.Part` / `XmlPart`, `OpcPackage.next_partname` and `Part.relate_to`: two parts
  the document package has no API for (the chart and its embedded workbook), saved with it, with their
  content types and relationships;
- python-docx `StoryPart.next_id`: a drawing id unique in the document;
- python-pptx `CategoryWorkbookWriter._open_worksheet`: the XlsxWriter workbook the chart's data is written to,
  opened here with options that keep every text a text cell (`text_cells_workbook`).

pyproject.toml allows only the versions these were written against. If a later release changes any of this,
building the chart fails, the Word renderer draws the picture instead and logs a warning naming the versions
installed.
"""

from __future__ import annotations

import contextlib
from importlib.metadata import PackageNotFoundError, version

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml as parse_docx_xml
from docx.oxml.ns import nsdecls
from lxml import etree
from pptx.chart.chart import Chart as PptxChart
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.enum.chart import XL_CHART_TYPE
from pptx.oxml import parse_xml as parse_pptx_xml
from xlsxwriter import Workbook

# The libraries whose internals are used here (their versions are pinned in pyproject.toml).
LIBRARIES = ("python-docx", "python-pptx")

CHART_NAMESPACE = "http://schemas.openxmlformats.org/drawingml/2006/chart"
RELATIONSHIPS_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def installed_versions() -> str:
    """`python-docx 1.2.0, python-pptx 1.0.2`: said in the fallback warning, so a broken upgrade is plain to see."""
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def stacked_column_chart(
    categories: list[int], columns: list[tuple[str, list[float | None]]], number_format: str
) -> tuple[PptxChart, bytes]:
    """A stacked column chart of every column (python-pptx's XML) and its workbook; the caller restyles it.

    The chart object is python-pptx's, on its own `c:chartSpace` element (`chart._chartSpace`): serialize
    that element when done.
    """
    data = CategoryChartData(number_format=number_format)
    data.categories = categories
    for name, values in columns:
        data.add_series(name, values)
    chart_space = parse_pptx_xml(data.xml_bytes(XL_CHART_TYPE.COLUMN_STACKED))
    return PptxChart(chart_space, None), text_cells_workbook(data)


class _TextCellsWorkbookWriter(CategoryWorkbookWriter):
    @contextlib.contextmanager
    def _open_worksheet(self, xlsx_file):
        workbook = Workbook(
            xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
        )
        yield workbook, workbook.add_worksheet()
        workbook.close()


def text_cells_workbook(data: CategoryChartData) -> bytes:
    """python-pptx's workbook of the chart data, every text (a series name made from dossier text) a text cell.

    python-pptx writes names with XlsxWriter's `write()`, which makes a text starting with `=` a formula and
    one starting with `http://` a link: a partner named `=HYPERLINK(...)` would put a live formula in the
    workbook Word opens on "Edit Data". Here no text is ever a formula, a link or a number, whatever it starts with.
    """
    return _TextCellsWorkbookWriter(data).xlsx_blob


def chart_element(chart: PptxChart) -> etree._Element:
    """The `c:chartSpace` element behind python-pptx's chart object."""
    return chart._chartSpace


def pptx_element(xml: str) -> etree._Element:
    """An element of python-pptx's own classes (e.g. `c:lineChart`), so its chart API can work on it."""
    return parse_pptx_xml(xml)


def add_chart_parts(document_part, chart_xml: bytes, workbook: bytes) -> str:
    """Add the chart and its embedded workbook to the document's package; the relationship id to draw it with.

    The workbook is related from the chart (`c:externalData`), which is what makes "Edit Data" open it.
    """
    package = document_part.package
    chart_part = XmlPart(
        package.next_partname("/word/charts/chart%d.xml"), CONTENT_TYPE.DML_CHART, parse_docx_xml(chart_xml), package
    )
    workbook_part = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"), CONTENT_TYPE.SML_SHEET, workbook, package
    )
    workbook_id = chart_part.relate_to(workbook_part, RELATIONSHIP_TYPE.PACKAGE)
    external = etree.SubElement(chart_part.element, f"{{{CHART_NAMESPACE}}}externalData")
    external.set(f"{{{RELATIONSHIPS_NAMESPACE}}}id", workbook_id)
    etree.SubElement(external, f"{{{CHART_NAMESPACE}}}autoUpdate").set("val", "0")
    return document_part.relate_to(chart_part, RELATIONSHIP_TYPE.CHART)


def chart_inline(document_part, relationship_id: str, width: int, height: int):
    """A `wp:inline` drawing of the chart, `width` × `height` EMU, with a drawing id unique in the document.

    python-docx reads it back as an inline shape of type CHART; its `docPr` takes the alternative text.
    """
    shape_id = document_part.next_id
    return parse_docx_xml(
        f'<wp:inline distT="0" distB="0" distL="0" distR="0" {nsdecls("wp", "a", "c", "r")}>'
        f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="Chart {shape_id}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{CHART_NAMESPACE}"><c:chart r:id="{relationship_id}"/></a:graphicData></a:graphic>'
        "</wp:inline>"
    )
