"""One width model per table (Table.widths): the HTML's <col> widths and the Word file's grid are the same shares,
taken from the content, so a narrow column of numbers does not take half the width of a table of commitments."""

from __future__ import annotations

import re

import docx
import pytest
from docx.oxml.ns import qn
from support.builds import Build

pytestmark = pytest.mark.slow


def word_shares(table) -> list[float]:
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    return [width / sum(grid) for width in grid]


def html_shares(html: str) -> list[list[float]]:
    groups = re.findall(r"<colgroup>(.*?)</colgroup>", html)
    return [[float(w) / 100 for w in re.findall(r"width: ([\d.]+)%", group)] for group in groups]


def test_word_and_html_tables_share_their_column_widths(kz_build: Build) -> None:
    document = docx.Document(str(kz_build.path("ministry", "docx")))
    headed = [
        t
        for t in document.tables
        if len(t.columns) > 1 and t.rows[0].cells[0].text in {"Year", "Target", "Commitment", "Date", "No."}
    ]
    html = html_shares(kz_build.path("ministry", "html").read_text(encoding="utf-8"))
    assert len(headed) == len(html) >= 5
    for table, shares in zip(headed, html, strict=True):
        assert word_shares(table) == pytest.approx(shares, abs=0.002), table.rows[0].cells[0].text


def test_widths_follow_the_content(kz_build: Build) -> None:
    document = docx.Document(str(kz_build.path("ministry", "docx")))
    by_header = {t.rows[0].cells[0].text: word_shares(t) for t in document.tables}
    number, source = by_header["No."]
    assert number < 0.1 < source  # "[49]" against titles and URLs
    commitment, *rest = by_header["Commitment"]
    assert commitment > 0.5 and all(share < commitment / 2 for share in rest)
    assert len(set(by_header["Year"])) > 2  # not equal columns


def test_printed_figures_never_break_after_the_number(kz_build: Build) -> None:
    # table cells and key figures in the HTML (and the PDF printed from it) join a figure to the word after it:
    # "$4.97 bn", "11.1 %", "22 November"
    html = kz_build.path("ministry", "html").read_text(encoding="utf-8")
    cells = re.findall(r'<(td|div class="figure-(?:value|detail)")[^>]*>(.*?)</(?:td|div)>', html, re.S)
    text = re.sub(r"<[^>]+>", "", "\n".join(content for _, content in cells))
    assert re.search(r"\$\d+(?:\.\d+)?\u00a0bn", text) and re.search(r"\d\u00a0%", text)
    assert not re.search(r"\$\d+(?:\.\d+)? bn|\d\.\d %", text)
