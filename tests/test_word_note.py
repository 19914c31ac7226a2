"""The two-page note in Word: its title block opens page 1 and the key figures follow on the same page (no cover
page), set at the note's sizes; the running head's marking is small enough to stay on the title's line.
(`make check-office` counts its pages as LibreOffice lays it out: at most 2.)"""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from support.builds import Build

pytestmark = pytest.mark.slow


def page_breaks(path) -> int:
    body = docx.Document(str(path)).element.body
    return len(body.findall(".//" + qn("w:pageBreakBefore"))) + len(
        [br for br in body.iter(qn("w:br")) if br.get(qn("w:type")) == "page"]
    )


def test_the_note_has_no_cover_page_but_the_full_report_does(kz_build: Build) -> None:
    assert page_breaks(kz_build.path("leadership", "docx")) == 0
    assert page_breaks(kz_build.path("ministry", "docx")) >= 1


def test_the_note_is_set_at_its_sizes(kz_build: Build) -> None:
    document = docx.Document(str(kz_build.path("leadership", "docx")))
    assert document.styles["Normal"].font.size == Pt(10)
    sources = document.tables[-1]
    sizes = {run.font.size for row in sources.rows for cell in row.cells for p in cell.paragraphs for run in p.runs}
    assert sizes == {Pt(8)}


def test_the_running_head_is_small_type(kz_build: Build) -> None:
    for audience in ("leadership", "ministry"):
        header = docx.Document(str(kz_build.path(audience, "docx"))).sections[0].header
        runs = [run for p in header.paragraphs for run in p.runs if run.text.strip()]
        assert runs and {run.font.size for run in runs} == {Pt(8)}, audience
