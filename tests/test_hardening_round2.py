"""Hostile and unlucky input, second round: formula injection into the Word chart's workbook, a logo on the
built-in cover, full disks, deeply nested Markdown, hostile reference documents and the limits of a render.

Each test reads the real output files (python-docx, the zip parts, pdftotext) or the command's exit status and
messages, as a user would; see docs/security.md for the guarantees they hold.
"""

from __future__ import annotations

import base64
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from support.cli import Result, run_in_process
from support.dossier import DossierCopy
from support.paths import REPO_ROOT, VALID_DOSSIER
from support.read import docx_text, pdf_text

DOSSIER_ID = "north-south"  # the id in tests/dossiers/valid/dossier.yaml
AS_OF = "2025-06-30"
PREVIOUS = b"the previous good file\n"
# A 1 x 1 transparent PNG: a valid logo the size of nothing.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def build_args(dossier: Path, out: Path, *more: str) -> list[str]:
    return ["build", "--dossier", str(dossier), "--as-of", AS_OF, "--out", str(out), *more]


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.out + result.err, result.describe()


def workbook_cells(path: Path) -> tuple[str, str]:
    """(the worksheet XML, the shared strings XML) of the first workbook embedded in a Word file."""
    with zipfile.ZipFile(path) as package:
        names = [name for name in package.namelist() if name.startswith("word/embeddings/") and name.endswith(".xlsx")]
        assert names, f"{path.name} has no embedded workbook (no native chart)"
        with zipfile.ZipFile(package.open(names[0])) as workbook:
            sheet = workbook.read("xl/worksheets/sheet1.xml").decode("utf-8")
            names = workbook.namelist()
            strings = workbook.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in names else ""
            relationships = [name for name in names if name.startswith("xl/worksheets/_rels/")]
            assert not relationships, f"the workbook's sheet has relationships (a hyperlink?): {relationships}"
    return sheet, strings


# ---------------------------------------------------------------- 2: the workbook's text cells are text


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://evil.example/","Northland")',
        "+1+1 Northland",
        "-2+3 Northland",
        "@SUM(1) Northland",
        "http://evil.example/ Northland",
    ],
)
def test_a_partner_name_is_a_text_cell_in_the_word_charts_workbook(dossier: DossierCopy, tmp_path: Path, name: str):
    """The series names ("{reporter} exports") are text cells whatever they start with: no formula, no link."""
    quoted = name.replace("'", "''")
    dossier.replace("dossier.yaml", "{code: NLD, name: Northland,", f"{{code: NLD, name: '{quoted}',")
    out = tmp_path / "out"
    result = run_in_process(*build_args(dossier.path, out, "--format", "docx", "--audience", "ministry", "--lang", "en"))
    assert result.code == 0, result.describe()
    sheet, strings = workbook_cells(out / DOSSIER_ID / "ministry.en.docx")
    assert "<f>" not in sheet and "<f " not in sheet, "a cell of the workbook is a formula"
    texts = ["".join(item.itertext()) for item in ElementTree.fromstring(strings)] if strings else []
    assert f"{name} exports" in texts, f"the series name is not a text cell of the workbook: {texts}"


# ---------------------------------------------------------------- 4: the built-in cover with a logo


@pytest.fixture
def logo_only(tmp_path: Path) -> Path:
    """A templates folder holding only a logo: the built-in cover draws it."""
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "logo.png").write_bytes(TINY_PNG)
    return folder


LOGO_TEXT = "Organization logo"  # the documented default (docs/house-styles.md); a house catalog may name itself


@pytest.mark.parametrize("output_format", ["pdf", "docx", "html"])
def test_the_built_in_cover_gives_the_logo_an_alternative_text(logo_only: Path, tmp_path: Path, output_format: str):
    out = tmp_path / "out"
    result = run_in_process(
        *build_args(VALID_DOSSIER, out, "--templates", str(logo_only), "--format", output_format, "--audience", "press")
    )
    assert result.code == 0, result.describe()
    path = out / DOSSIER_ID / f"press.en.{output_format}"
    if output_format == "html":
        match = re.search(r'<img class="logo"[^>]*\balt="([^"]*)"', path.read_text(encoding="utf-8"))
        assert match and match.group(1) == LOGO_TEXT, "the logo has no alternative text"
    elif output_format == "docx":
        header = docx.Document(str(path)).sections[0].header
        descriptions = [element.get("descr") for element in header._element.iter() if element.tag.endswith("}docPr")]
        assert descriptions == [LOGO_TEXT], descriptions  # not python-docx's default, the file's name
    else:  # the tagged-PDF check refuses an image without alternative text: the file exists at all
        assert "Northland" in pdf_text(path)


# ---------------------------------------------------------------- 5: all files or none on a full disk


def run_with_file_size_limit(limit: int, *args: str) -> Result:
    """`reports ARGS` in a new process that may write no file larger than `limit` bytes: the kernel refuses the
    write (EFBIG) as it refuses one on a full disk (ENOSPC), a real OS error and no simulation."""

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    completed = subprocess.run(
        [sys.executable, "-m", "reports", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
        preexec_fn=limit_file_size,
    )  # fmt: skip
    return Result(tuple(args), completed.returncode, completed.stdout, completed.stderr)


def snapshot(out: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def test_a_write_failure_leaves_every_previous_file_and_says_which_path_in_one_line(tmp_path: Path):
    """The HTML files fit, the PDF does not: nothing is replaced, and the one error line names the PDF."""
    out = tmp_path / "out"
    names = ("press.en.html", "press.en.pdf", "press.ru.html", "press.ru.pdf")
    for name in names:
        (out / DOSSIER_ID).mkdir(parents=True, exist_ok=True)
        (out / DOSSIER_ID / name).write_bytes(PREVIOUS)
    before = snapshot(out)
    result = run_with_file_size_limit(
        32_000, *build_args(VALID_DOSSIER, out, "--audience", "press", "--format", "html", "--format", "pdf")
    )
    assert result.code == 1, result.describe()
    assert_no_traceback(result)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.describe()
    assert re.match(rf"{re.escape(str(out / DOSSIER_ID))}/press\.(en|ru)\.pdf: write: File too large", lines[0]), lines
    assert snapshot(out) == before, "a failed build replaced some of the files"
    assert not list(out.rglob("*.tmp")), "a temporary file was left behind"


def test_a_run_that_cannot_write_never_says_nothing_written_when_something_was(tmp_path: Path):
    jobs = tmp_path / "jobs.yaml"
    out = tmp_path / "out"
    jobs.write_text(
        f"jobs:\n  - name: north\n    dossier: {VALID_DOSSIER}\n    out: {out}\n    audiences: [press]\n"
        "    langs: [en]\n    formats: [html, pdf]\n    schedule: \"@daily\"\n",
        encoding="utf-8",
    )
    result = run_with_file_size_limit(32_000, "run", "--jobs", str(jobs), "--workers", "1", "--now", "2025-06-30T08:00")
    assert result.code == 1, result.describe()
    assert_no_traceback(result)
    assert "press.en.pdf: write: File too large" in result.err, result.describe()
    assert not (out / DOSSIER_ID / "press.en.html").exists(), "one of the job's files was written, the other not"
    assert not list(out.rglob("*.tmp")), "a temporary file was left behind"


def test_out_that_is_a_regular_file_is_a_bad_argument(tmp_path: Path):
    out = tmp_path / "out"
    out.write_text("not a folder\n", encoding="utf-8")
    result = run_in_process(*build_args(VALID_DOSSIER, out, "--audience", "press", "--format", "html"))
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{out}: --out: " in result.err, result.describe()


# ---------------------------------------------------------------- 7: deep Markdown lists never drop text


def nested_list(levels: int) -> str:
    return "".join(f"{'  ' * level}- level {level + 1} item\n" for level in range(levels))


def test_a_list_nested_too_deeply_is_reported_with_its_line_not_dropped(dossier: DossierCopy):
    body_line = len(dossier.read("areas/trade.md").splitlines()) + 2  # after a blank line
    dossier.write("areas/trade.md", dossier.read("areas/trade.md") + "\n" + nested_list(12) + "\nTAIL SENTENCE.\n")
    result = run_in_process("validate", "--dossier", str(dossier.path))
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    expected = f"{dossier.path / 'areas' / 'trade.md'}:{body_line + 9}: body: "
    assert any(line.startswith(expected) for line in result.err.splitlines()), result.describe()


@pytest.mark.parametrize("output_format", ["pdf", "docx", "html"])
def test_a_list_as_deep_as_allowed_keeps_every_item(dossier: DossierCopy, tmp_path: Path, output_format: str):
    dossier.write("areas/trade.md", dossier.read("areas/trade.md") + "\n" + nested_list(9) + "\nTAIL SENTENCE.\n")
    out = tmp_path / "out"
    result = run_in_process(*build_args(dossier.path, out, "--audience", "ministry", "--format", output_format, "--lang", "en"))
    assert result.code == 0, result.describe()
    path = out / DOSSIER_ID / f"ministry.en.{output_format}"
    text = {"pdf": pdf_text, "docx": docx_text, "html": lambda p: p.read_text(encoding="utf-8")}[output_format](path)
    for level in range(1, 10):
        assert f"level {level} item" in text
    assert "TAIL SENTENCE." in text
