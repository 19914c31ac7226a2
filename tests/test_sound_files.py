"""The kz-uz files as real clients meet them: every audience in every format built, the ministry report
byte-identical when built again in another process with another time zone and hash seed (`kz_twin` says why that
one), each PDF passing `qpdf --check`, tagged, titled and without attachments (pdfinfo, pdfdetach), each Word file
reopening in python-docx and a sound package."""

from __future__ import annotations

import hashlib
from pathlib import Path

import docx
import pytest
from support.builds import FORMATS, once
from support.checks import assert_qpdf_ok, assert_sound_package, embedded_files, pdf_info
from support.cli import Result, run_command
from support.paths import AUDIENCES, KZ_AS_OF, KZ_UZ

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def kz_twin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """The ministry report of kz-uz built as the shared `kz_build` of conftest.py (a new process, UTC, hash seed 1) is,
    but in another new process with another time zone and hash seed: it exists only to compare bytes. (out folder,
    the run)

    The ministry report alone, in every format: it holds every section but the notes' bottom line and the press
    kit's relationship paragraph, and the trade chart (an SVG in the PDF and the HTML; in Word, a chart part with its
    workbook). What a time zone or a hash seed could change is in the writers of the three formats, which every
    audience shares, and in those sections: the notes' own code (the bottom line, the relationship paragraph, the
    fit) reads no clock and orders nothing by a string's hash (the fit's sets hold tuples of integers)."""

    def make(folder: Path) -> dict:
        args = ["build", "--dossier", str(KZ_UZ), "--audience", "ministry", "--as-of", KZ_AS_OF, "--out", str(folder / "out")]
        args += [arg for fmt in FORMATS for arg in ("--format", fmt)]
        done = run_command(*args, env={"TZ": "Asia/Tashkent", "PYTHONHASHSEED": "2"})
        return {"code": done.code, "out": done.out, "err": done.err, "args": args}

    folder, record = once(tmp_path_factory, "kz-uz-twin", make)
    return folder / "out", Result(tuple(record["args"]), record["code"], record["out"], record["err"])


def files(out: Path) -> list[Path]:
    """The documents: `{out}/{dossier id}/...` (beside them in `out`, the build's manifest and its lock)."""
    return sorted(out.glob("*/*.*"))


def test_kz_builds_every_audience_in_every_format(kz_build):
    assert kz_build.run.code == 0, kz_build.run.describe()
    names = {path.name for path in files(kz_build.out)}
    assert names == {f"{audience}.en.{fmt}" for audience in AUDIENCES for fmt in ("pdf", "docx", "html")}


def test_the_same_inputs_give_byte_identical_files(kz_build, kz_twin):
    """PDF, Word and HTML alike, across processes, hash seeds and time zones."""
    twin, run = kz_twin
    assert (kz_build.run.code, run.code) == (0, 0), kz_build.run.describe() + run.describe()
    first = {path.relative_to(kz_build.out): sha256(path) for path in files(kz_build.out) if path.name.startswith("ministry.")}
    second = {path.relative_to(twin): sha256(path) for path in files(twin)}
    assert sorted(path.name for path in second) == [f"ministry.en.{fmt}" for fmt in sorted(FORMATS)]
    assert first == second


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_kz_pdf_passes_qpdf_check(kz_build, audience):
    assert_qpdf_ok(kz_build.path(audience, "pdf"))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_kz_pdf_is_tagged_with_a_title_and_has_no_attachments(kz_build, audience):
    pdf = kz_build.path(audience, "pdf")
    info = pdf_info(pdf)
    assert info.get("Tagged") == "yes", info
    assert info.get("Title"), info
    assert embedded_files(pdf) == 0


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_kz_word_file_reopens_and_is_a_sound_package(kz_build, audience):
    path = kz_build.path(audience, "docx")
    document = docx.Document(str(path))
    assert any(paragraph.style.name.startswith("Heading") for paragraph in document.paragraphs)
    assert_sound_package(path)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
