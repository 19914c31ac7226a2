"""Hostile and broken input: the guarantees of the README's "Security and reliability" table.

A bad-input corpus of broken dossiers, templates and arguments: each case is exit 2 naming the file, line
and field (or a clean exit 0 where the input is merely odd, such as markup or formula-like text, which must
come out literally), never a traceback, never a leaked file, never a partial or changed output file. Then a
hypothesis fuzz test of the CSV readers, and the files of the kz-uz dossier checked by real clients (qpdf,
pdfinfo, pdfdetach, python-docx) and built twice to the same bytes.

The corpus runs the `reports` command in this process (support/cli.py): an exception escaping it is a failure.
A real process is used where one matters: reproducibility across processes, hash seeds and time zones (the
shared kz-uz build of conftest.py and its twin here).
Cases already covered elsewhere are not repeated here (tests/test_validate.py: one broken thing per field;
tests/test_house_style.py: template sandbox, includes, house CSS fetching files; tests/test_build.py: atomic
writes on a failed build).
"""

from __future__ import annotations

import hashlib
import html.parser
import os
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.builds import once
from support.cli import Result, deadline, run_command, run_in_process
from support.dossier import DossierCopy
from support.paths import AUDIENCES, KZ_AS_OF, KZ_UZ, VALID_DOSSIER
from support.read import docx_text, pdf_text, squash

from reports.dossier.load import load_dossier
from reports.errors import ReportsError

VALID = VALID_DOSSIER
DOSSIER_ID = "north-south"  # the id in tests/dossiers/valid/dossier.yaml
AS_OF = "2025-06-30"
CANARY = "CANARY-5e1f-OUTSIDE-THE-ALLOWED-FOLDERS"  # planted in files no build may read
PREVIOUS = b"the previous good file\n"

# The PDFs are checked with poppler-utils (pdftotext, pdfinfo, pdfdetach) and qpdf, which `make test` installs:
# without them these tests fail rather than pass unchecked.


# ---------------------------------------------------------------- running the command


def build_args(dossier: Path, out: Path, *more: str) -> list[str]:
    return ["build", "--dossier", str(dossier), "--as-of", AS_OF, "--out", str(out), *more]


def assert_problem(result: Result, path: Path | str, line: int | None, field: str, *words: str) -> str:
    """Exit 2, no traceback, and a `path:line: field: ...` line on stderr containing each of `words`."""
    assert result.code == 2, f"exit {result.code}\n{result.out}\n{result.err}"
    assert "Traceback" not in result.out + result.err, result.err
    where = f"{path}:{line}" if line is not None else f"{path}"
    lines = [text for text in result.err.splitlines() if text.startswith(f"{where}: {field}: ")]
    assert lines, f"no problem '{where}: {field}: ...' in:\n{result.err}"
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    return lines[0]


def seed(out: Path, names: tuple[str, ...]) -> dict[Path, bytes]:
    """An out folder holding a previous good file of each name; returns its snapshot."""
    for name in names:
        path = out / DOSSIER_ID / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PREVIOUS)
    return snapshot(out)


def snapshot(out: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def assert_untouched(out: Path, before: dict[Path, bytes]) -> None:
    """No partial file, no temporary file left behind, the previous good files byte-identical."""
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")], "a temporary file was left behind"
    assert snapshot(out) == before, "a failed build changed the out folder"


def assert_no_leak(result: Result, *more: str) -> None:
    for text in (result.out, result.err, *more):
        assert CANARY not in text, "content of a file outside the allowed folders leaked"


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    """A folder outside every allowed folder, holding files whose content must never show up anywhere."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{CANARY}\n", encoding="utf-8")
    (outside / "secret.md").write_text(f"---\ntitle: {CANARY}\norder: 9\nsummary: {CANARY}\n---\n{CANARY}\n", encoding="utf-8")
    (outside / "trade.csv").write_text(f"year,exports,imports,turnover,status,source,note\n2018,,,1,official,stats,{CANARY}\n")
    return outside


# ---------------------------------------------------------------- the dossier corpus
# Each case breaks a copy of tests/dossiers/valid (the `dossier` fixture of conftest.py) and names the problem
# it must report: file (relative to the dossier), line (None: the file as a whole), field, words of the message.


def text(name: str, old: str, new: str) -> Callable:
    return lambda dossier, outside: dossier.replace(name, old, new)


def cell(name: str, row: int, column: str, value: str) -> Callable:
    return lambda dossier, outside: dossier.set_cell(name, row, column, value)


def raw(name: str, content: bytes | Callable[[bytes], bytes]) -> Callable:
    def edit(dossier, outside) -> None:
        path = dossier.path / name
        path.write_bytes(content(path.read_bytes()) if callable(content) else content)

    return edit


def link(name: str, target: Callable[[Path, Path], Path | str]) -> Callable:
    """Replace the file (or folder) `name` by a symbolic link to target(dossier folder, outside folder)."""

    def edit(dossier, outside) -> None:
        path = dossier.path / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        path.symlink_to(target(dossier.path, outside))

    return edit


def fifo(name: str) -> Callable:
    def edit(dossier, outside) -> None:
        (dossier.path / name).unlink(missing_ok=True)
        os.mkfifo(dossier.path / name)

    return edit


def folder_instead(name: str) -> Callable:
    def edit(dossier, outside) -> None:
        (dossier.path / name).unlink()
        (dossier.path / name).mkdir()

    return edit


def rename(old: str, new: str) -> Callable:
    return lambda dossier, outside: (dossier.path / old).rename(dossier.path / new)


def many_events(count: int) -> Callable:
    """events.csv with `count` valid rows (no row is wrong: only their number is)."""

    def edit(dossier, outside) -> None:
        rows = "".join(f"event-{index},2019-01-01,,other,Meeting {index},,,trade,news\n" for index in range(count))
        dossier.write("events.csv", "id,date,end_date,kind,title,place,summary,areas,source\n" + rows)

    return edit


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    """Billion laughs: each level an anchored list of `width` aliases of the level before (width**levels values)."""
    lines = ["lol0: &lol0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * width) + "]" for level in range(1, levels)]
    return "\n".join(lines) + "\n"


def latin1(data: bytes) -> bytes:
    """dossier.yaml re-encoded as latin-1, with one character (é on the line of the first source) that UTF-8 cannot read."""
    text = data.decode("utf-8").replace("–", "-").replace("€", "EUR ").replace("Северляндия", "Severlandia")
    return text.replace("title: Trade yearbook", "title: Trade année").encode("latin-1")


def no_touch(dossier, outside) -> None:
    """A YAML tag asking PyYAML to run a command: safe_load must refuse it (and nothing may run)."""
    dossier.replace("dossier.yaml", "unit: million", f"unit: !!python/object/apply:os.system ['touch {outside}/pwned']")


def case(case_id: str, edit: Callable, file: str, line: int | None, field: str, *words: str):
    return pytest.param(edit, file, line, field, words, id=case_id)


def outside_file(name: str) -> Callable[[Path, Path], Path]:
    return lambda folder, outside: outside / name


BIG = 5 * 1024 * 1024 + 1
DOSSIER_CASES = [
    # malformed CSV
    case(
        "csv-unterminated-quote-last-row",
        text("events.csv", "talks,2021-11,,ministerial,Trade talks,", 'talks,2021-11,,ministerial,"Trade talks,'),
        "events.csv",
        3,
        "row",
        "not valid CSV",
        "unexpected end of data",
    ),
    case(
        "csv-unterminated-quote-swallows-the-rest",
        text("events.csv", "State visit to Southland", '"State visit to Southland'),
        "events.csv",
        2,
        "row",
        "not valid CSV",
    ),
    case(
        "csv-text-after-closing-quote",
        text("events.csv", "Trade talks,", '"Trade" talks,'),
        "events.csv",
        3,
        "row",
        "not valid CSV",
        "',' expected",
    ),
    case(
        "csv-ragged-row-too-short",
        text("trade.csv", "2019,60,50,110,official,stats,", "2019,60,50,110"),
        "trade.csv",
        3,
        "row",
        "has 4 cells, the header has 7",
    ),
    case(
        "csv-ragged-row-too-long",
        text("commitments.csv", "Hold a festival,culture,,done,,news", "Hold a festival,culture,,done,,news,x,y"),
        "commitments.csv",
        3,
        "row",
        "has 10 cells, the header has 8",
    ),
    case("csv-empty-file", raw("trade.csv", b""), "trade.csv", None, "header", "empty"),
    case("csv-header-unterminated-quote", raw("trade.csv", b'year,"exports\n'), "trade.csv", 1, "header", "not valid CSV"),
    case(
        "csv-nul-byte-in-a-number",
        raw("trade.csv", lambda data: data.replace(b"2019,60", b"20\x0019,60")),
        "trade.csv",
        3,
        "year",
        "not a whole number",
    ),
    case(
        "csv-nul-byte-in-the-header",
        raw("trade.csv", lambda data: data.replace(b"year,", b"ye\x00ar,", 1)),
        "trade.csv",
        1,
        "year",
        "required column is missing",
    ),
    case(
        "csv-old-mac-line-endings",
        raw("trade.csv", lambda data: data.replace(b"\n", b"\r").replace(b"2019,60", b"2019,x")),
        "trade.csv",
        3,
        "exports",
        "'x' is not a number",
    ),
    # bounded input
    case(
        "csv-cell-over-the-limit",
        cell("events.csv", 3, "summary", "M" * 10_001),
        "events.csv",
        3,
        "summary",
        "more than 10000 characters",
    ),
    case(
        "csv-multiline-cell-over-the-limit",
        cell("trade.csv", 2, "note", "line\n" * 2_001),
        "trade.csv",
        2,
        "note",
        "more than 10000 characters",
    ),
    case(
        "csv-file-over-the-size-limit",
        raw("events.csv", lambda data: data + b"#" * BIG),
        "events.csv",
        None,
        "file",
        "more than the limit of 5242880",
    ),
    case("csv-too-many-rows", many_events(20_001), "events.csv", 20_002, "row", "more than 20000 rows"),
    case(
        "yaml-file-over-the-size-limit",
        raw("dossier.yaml", lambda data: data + b"#" * BIG),
        "dossier.yaml",
        None,
        "file",
        "more than the limit",
    ),
    # encodings other than UTF-8
    case("latin-1-dossier-yaml", raw("dossier.yaml", latin1), "dossier.yaml", 20, "encoding", "not UTF-8", "0xe9"),
    case(
        "utf-16-with-bom-trade-csv",
        raw("trade.csv", lambda data: data.decode("utf-8").encode("utf-16")),
        "trade.csv",
        1,
        "encoding",
        "not UTF-8",
        "0xff",
    ),
    case(
        "utf-16-with-bom-area",
        raw("areas/culture.md", lambda data: data.decode("utf-8").encode("utf-16")),
        "areas/culture.md",
        1,
        "encoding",
        "not UTF-8",
    ),
    case(
        "utf-16-without-bom-area",
        raw("areas/culture.md", lambda data: data.decode("utf-8").encode("utf-16-le")),
        "areas/culture.md",
        1,
        "front matter",
        "must start with a '---' line",
    ),
    case(
        "utf-8-encoded-surrogate",
        raw("events.csv", lambda data: data.replace(b"Ministers met.", b"Ministers \xed\xa0\x80met.")),
        "events.csv",
        3,
        "encoding",
        "0xed",
    ),
    case(
        "overlong-utf-8",
        raw("events.csv", lambda data: data.replace(b"Ministers met.", b"Ministers \xc0\xafmet.")),
        "events.csv",
        3,
        "encoding",
        "0xc0",
    ),
    case(
        "two-byte-order-marks",
        raw("trade.csv", lambda data: b"\xef\xbb\xbf\xef\xbb\xbf" + data),
        "trade.csv",
        1,
        "year",
        "required column is missing",
    ),
    # malformed YAML and wrong types
    case(
        "yaml-top-level-list",
        raw("dossier.yaml", b"- id: north-south\n- title: x\n"),
        "dossier.yaml",
        1,
        "dossier",
        "must be a mapping",
    ),
    case("yaml-empty-file", raw("dossier.yaml", b""), "dossier.yaml", None, "dossier", "must be a mapping"),
    case(
        "yaml-partners-is-text",
        text(
            "dossier.yaml",
            "partners:\n  - {code: NLD, name: Northland, name_ru: Северляндия}\n  - {code: SLD, name: Southland}",
            "partners: NLD and SLD",
        ),
        "dossier.yaml",
        4,
        "partners",
        "must be a list",
    ),
    case(
        "yaml-source-is-text",
        text("dossier.yaml", 'date: "2023"}', 'date: "2023"}\n  - just a string'),
        "dossier.yaml",
        22,
        "sources[2]",
        "must be a mapping",
    ),
    case(
        "yaml-key-facts-is-text",
        text("areas/culture.md", "key_facts:\n  - {text: One festival held, source: news}", "key_facts: one festival"),
        "areas/culture.md",
        5,
        "key_facts",
        "must be a list",
    ),
    case(
        "yaml-front-matter-is-a-list",
        text(
            "areas/culture.md",
            "title: Culture\norder: 2\nsummary: Festivals and exchanges.\n"
            "key_facts:\n  - {text: One festival held, source: news}\nsources: [news]",
            "- a\n- b",
        ),
        "areas/culture.md",
        2,
        "front matter",
        "must be a mapping",
    ),
    case(
        "yaml-tab-indentation",
        text("dossier.yaml", "  - {code: SLD", "\t- {code: SLD"),
        "dossier.yaml",
        6,
        "yaml",
        "not valid YAML",
    ),
    case("yaml-python-tag-runs-nothing", no_touch, "dossier.yaml", 9, "yaml", "could not determine a constructor"),
    case(
        "yaml-unhashable-key",
        text("dossier.yaml", "unit: million", "unit: million\n? [a, b]\n: c"),
        "dossier.yaml",
        10,
        "yaml",
        "unhashable key",
    ),
    case(
        "yaml-integer-of-5000-digits",
        text("dossier.yaml", "base_year: 2018", "base_year: " + "9" * 5000),
        "dossier.yaml",
        10,
        "yaml",
        "4300 digits",
    ),
    case(
        "yaml-infinite-target",
        text("dossier.yaml", "value: 150", "value: .inf"),
        "dossier.yaml",
        14,
        "targets[0].value",
        "finite",
    ),
    case("yaml-nan-target", text("dossier.yaml", "value: 150", "value: .nan"), "dossier.yaml", 14, "targets[0].value", "finite"),
    case(
        "yaml-date-with-a-time",
        text("dossier.yaml", "date: 2019-03-01", "date: 2019-03-01 10:00:00"),
        "dossier.yaml",
        20,
        "sources[0].date",
        "without a time",
    ),
    case(
        "yaml-deep-nesting",
        text("dossier.yaml", "unit: million", "unit: " + "[" * 3000 + "]" * 3000),
        "dossier.yaml",
        None,
        "yaml",
        "nested too deeply",
    ),
    case(
        "yaml-deep-mapping-nesting",
        text("dossier.yaml", "unit: million", "unit: " + "{a: " * 3000 + "1" + "}" * 3000),
        "dossier.yaml",
        None,
        "yaml",
        "nested too deeply",
    ),
    case(
        "yaml-billion-laughs-in-area",
        text("areas/culture.md", "order: 2\n", alias_bomb() + "order: *lol8\n"),
        "areas/culture.md",
        None,
        "yaml",
        "more than 100000 values",
    ),
    case(
        "yaml-billion-laughs-in-dossier",
        text("dossier.yaml", "title: Northland–Southland relations", alias_bomb() + "title: *lol8"),
        "dossier.yaml",
        None,
        "yaml",
        "more than 100000 values",
    ),
    # URLs in data
    case(
        "source-url-file-scheme",
        text("dossier.yaml", '"https://example.org/yearbook"', '"file:///etc/passwd"'),
        "dossier.yaml",
        20,
        "sources[0].url",
        "not an http(s) URL",
    ),
    case(
        "source-url-javascript",
        text("dossier.yaml", '"https://example.org/yearbook"', '"javascript:alert(1)"'),
        "dossier.yaml",
        20,
        "sources[0].url",
        "not an http(s) URL",
    ),
    # path traversal in names
    case("dossier-id-traversal", text("dossier.yaml", "id: north-south", "id: ../../etc"), "dossier.yaml", 2, "id", "not a slug"),
    case("event-id-traversal", text("events.csv", "talks,2021-11", "../../x,2021-11"), "events.csv", 3, "id", "not a slug"),
    case(
        "commitment-id-traversal",
        text("commitments.csv", "bridge,2019", "../bridge,2019"),
        "commitments.csv",
        2,
        "id",
        "not a slug",
    ),
    case(
        "area-file-name-not-a-slug",
        rename("areas/culture.md", "areas/Culture.md"),
        "areas/Culture.md",
        None,
        "file",
        "not an area file",
    ),
    # symbolic links out of the dossier, devices, FIFOs, folders
    case(
        "symlink-area-to-outside",
        link("areas/energy.md", outside_file("secret.md")),
        "areas/energy.md",
        None,
        "file",
        "links outside the dossier folder",
    ),
    case(
        "symlink-trade-to-outside",
        link("trade.csv", outside_file("trade.csv")),
        "trade.csv",
        None,
        "file",
        "links outside the dossier folder",
    ),
    case(
        "symlink-areas-folder-to-outside",
        link("areas", lambda folder, outside: _areas_outside(outside)),
        "areas",
        None,
        "folder",
        "links outside the dossier folder",
    ),
    case(
        "symlink-dossier-yaml-to-etc-passwd",
        link("dossier.yaml", lambda folder, outside: "/etc/passwd"),
        "dossier.yaml",
        None,
        "file",
        "links outside the dossier folder",
    ),
    case(
        "symlink-commitments-to-dev-zero",
        link("commitments.csv", lambda folder, outside: "/dev/zero"),
        "commitments.csv",
        None,
        "file",
        "links outside the dossier folder",
    ),
    case(
        "symlink-relative-dot-dot",
        link("events.csv", lambda folder, outside: Path("..") / "outside" / "secret.txt"),
        "events.csv",
        None,
        "file",
        "links outside the dossier folder",
    ),
    case("fifo-as-events-csv", fifo("events.csv"), "events.csv", None, "file", "not a regular file"),
    case("fifo-as-area", fifo("areas/energy.md"), "areas/energy.md", None, "file", "not a regular file"),
    case("folder-as-trade-csv", folder_instead("trade.csv"), "trade.csv", None, "file", "cannot be read (Is a directory)"),
    case(
        "symlink-loop-as-events-csv",
        link("events.csv", lambda folder, outside: folder / "events.csv"),
        "events.csv",
        None,
        "file",
        "is missing",
    ),
]


def _areas_outside(outside: Path) -> Path:
    """A folder outside the dossier that looks like its areas folder, one file holding the canary."""
    areas = outside / "areas"
    areas.mkdir()
    shutil.copy(outside / "secret.md", areas / "energy.md")
    return areas


@pytest.mark.parametrize(("edit", "file", "line", "field", "words"), DOSSIER_CASES)
def test_broken_dossier_is_exit_2_naming_the_problem(edit, file, line, field, words, dossier, canary, tmp_path):
    edit(dossier, canary)
    out = tmp_path / "out"
    before = seed(out, ("press.en.html", "press.en.pdf"))
    result = run_in_process(*build_args(dossier.path, out, "--audience", "press", "--format", "html", "--format", "pdf"))
    assert_problem(result, dossier.path / file, line, field, *words)
    assert_no_leak(result)
    assert_untouched(out, before)
    assert not (canary / "pwned").exists(), "a YAML tag ran a command"
    validated = run_in_process("validate", "--dossier", str(dossier.path))  # the same report from `reports validate`
    assert (validated.code, validated.err) == (result.code, result.err)


@pytest.mark.parametrize(
    ("args", "path", "field", "words"),
    [
        pytest.param(
            ("--audience", "../../etc/passwd"),
            "reports",
            "audience",
            ("unknown audience '../../etc/passwd'",),
            id="audience-traversal",
        ),
        pytest.param(("--audience", "/etc/passwd"), "reports", "audience", ("unknown audience",), id="audience-absolute-path"),
        pytest.param(("--lang", "../../etc/passwd"), "reports", "lang", ("not a language code",), id="lang-traversal"),
        pytest.param(("--lang", "en/../../x"), "reports", "lang", ("not a language code",), id="lang-with-slashes"),
    ],
)
def test_names_in_arguments_cannot_escape_their_folders(args, path, field, words, tmp_path):
    out = tmp_path / "out"
    before = seed(out, ("press.en.html",))
    result = run_in_process(*build_args(VALID, out, "--format", "html", *args))
    assert_problem(result, path, None, field, *words)
    assert_untouched(out, before)


def test_event_id_traversal_in_brief_is_an_unknown_event(tmp_path):
    out = tmp_path / "out"
    result = run_in_process("brief", "--event", "../../x", "--dossier", str(VALID), "--as-of", AS_OF, "--out", str(out))
    assert_problem(result, VALID / "events.csv", None, "event", "no event '../../x'")
    assert not out.exists()


def test_a_file_given_as_dossier_folder(tmp_path):
    not_a_folder = tmp_path / "dossier.yaml"
    shutil.copy(VALID / "dossier.yaml", not_a_folder)
    result = run_in_process(*build_args(not_a_folder, tmp_path / "out", "--format", "html"))
    assert_problem(result, not_a_folder, None, "dossier", "not a folder")
    assert not (tmp_path / "out").exists()


def test_read_text_refuses_devices_without_reading_them(tmp_path):
    """The reader itself, given /dev/zero (endless), /dev/null (a device, empty) or a FIFO with bytes waiting in it:
    none is read, each is one problem. Read, /dev/zero would give a file over the limit (or never end) and
    /dev/null an empty text; the FIFO's bytes would be gone."""
    from reports.dossier.readers import read_text
    from reports.errors import ProblemCollector

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    waiting = b"bytes waiting in the pipe\n"
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # this end keeps the pipe open; the writer fills it
    writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    try:
        os.write(writer, waiting)
        for path in (Path("/dev/zero"), Path("/dev/null"), Path("/dev/urandom"), fifo):
            if not path.exists():
                continue
            problems = ProblemCollector()
            with deadline(10):  # a reader that reads an endless device fails here instead of hanging the run
                assert read_text(path, str(path), problems) is None
            assert [str(problem) for problem in problems.problems] == [f"{path}: file: is not a regular file"]
        try:
            left = os.read(reader, 100)
        except BlockingIOError:  # nothing left in the pipe
            left = b""
        assert left == waiting, "read_text took the bytes waiting in the FIFO"
    finally:
        os.close(writer)
        os.close(reader)


# ---------------------------------------------------------------- the templates corpus
# An organization's templates folder (`--templates`) that tries to read files, reach the network or attach
# files to the PDF. The PDF renderer's fetcher refuses each, and the build fails naming it.

COVER = '{% extends "base.html.j2" %}\n{% block cover %}\n<p>cover</p>\nHTML\n{% endblock %}\n'


def cover(markup: str) -> dict[str, str]:
    return {"briefing.html.j2": COVER.replace("HTML", markup)}


def make_templates(root: Path, files: dict[str, str | bytes], outside: Path) -> Path:
    root.mkdir()
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content.replace("{outside}", str(outside)), encoding="utf-8")
    return root.resolve()


def template(case_id: str, files: dict, file: str, line: int | None, field: str, *words: str, fmt: str = "pdf"):
    return pytest.param(files, file, line, field, words, fmt, id=case_id)


SVG_DOT = "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%221%22 height=%221%22/%3E"
BOMB_AUDIENCE = alias_bomb() + "description: d\nmarking: M\nmax_pages: *lol8\nsections: [sources]\n"
TEMPLATE_CASES = [
    # local files, the network
    template(
        "svg-image-file-outside",  # loaded only while the PDF is written, after the layout
        cover('<svg width="10" height="10"><image href="file://{outside}/secret.txt" width="10" height="10"/></svg>'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "img-file-etc-passwd",
        cover('<img src="file:///etc/passwd" alt="x">'),
        ".",
        None,
        "resource",
        "refused to read /etc/passwd",
    ),
    template(
        "img-cloud-metadata-endpoint",
        cover('<img src="http://169.254.169.254/latest/meta-data/" alt="x">'),
        ".",
        None,
        "resource",
        "refused to fetch http://169.254.169.254",
    ),
    template(
        "object-file-outside",
        cover('<object data="file://{outside}/secret.txt" type="text/plain"></object>'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "embed-file-outside",
        cover('<embed src="file://{outside}/secret.txt">'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "base-href-outside",
        cover('<base href="file://{outside}/"><img src="secret.txt" alt="x">'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "style-attribute-url",
        cover('<p style="background: url(file://{outside}/secret.txt)">x</p>'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "link-stylesheet-outside",
        cover('<link rel="stylesheet" href="file://{outside}/secret.txt">'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "font-face-http-loopback",
        {"briefing.css": "@font-face { font-family: X; src: url(http://127.0.0.1:9/x) }\nbody { font-family: X, serif }\n"},
        ".",
        None,
        "resource",
        "refused to fetch http://127.0.0.1:9/x",
    ),
    template(
        "css-url-https",
        {"briefing.css": ".cover { background: url(https://example.org/x.png) }\n"},
        ".",
        None,
        "resource",
        "refused to fetch https://example.org/x.png",
    ),
    # attachments: none at all, from anywhere
    template(
        "link-attachment-etc-hostname",
        cover('<link rel="attachment" href="file:///etc/hostname">'),
        ".",
        None,
        "resource",
        "refused to attach file:///etc/hostname",
    ),
    template(
        "a-attachment-outside",
        cover('<a rel="attachment" href="file://{outside}/secret.txt">x</a>'),
        ".",
        None,
        "resource",
        "refused to attach",
    ),
    template(
        "link-attachment-inside-the-folder",
        {**cover('<link rel="attachment" href="inside.txt">'), "inside.txt": "inside\n"},
        ".",
        None,
        "resource",
        "briefings carry no attachments",
    ),
    template(
        "link-attachment-data-url",
        cover('<link rel="attachment" href="data:text/plain,hello">'),
        ".",
        None,
        "resource",
        "refused to attach data:",
    ),
    # degraded output: a PDF/UA error while the PDF is written
    template(
        "img-without-alternative-text",
        cover(f'<img src="{SVG_DOT}">'),
        "weasyprint",
        None,
        "pdf",
        "no required alt description",
    ),
    # template names and audience names cannot leave their folders
    template(
        "include-through-audiences-dot-dot",
        cover('{% include "audiences/../../secret.txt" %}'),
        "briefing.html.j2",
        4,
        "template",
        "not found",
        fmt="html",
    ),
    template(
        "audience-extends-traversal",
        {"audiences/evil.yaml": "extends: ../../etc/passwd\ndescription: d\nmarking: M\n"},
        "audiences/evil.yaml",
        1,
        "extends",
        "unknown audience '../../etc/passwd'",
        fmt="html",
    ),
    # bounded, UTF-8 template files
    template(
        "template-not-utf-8",
        {"briefing.html.j2": COVER.replace("HTML", "caf\xe9").encode("latin-1")},
        "briefing.html.j2",
        4,
        "encoding",
        "not UTF-8",
        "0xe9",
        fmt="html",
    ),
    template(
        "stylesheet-not-utf-8",
        {"briefing.css": "/* caf\xe9 */\nbody {}\n".encode("latin-1")},
        "briefing.css",
        1,
        "encoding",
        "not UTF-8",
    ),
    template(
        "stylesheet-over-the-size-limit",
        {"briefing.css": b"/*" + b" " * (5 * 1024 * 1024) + b"*/\n"},
        "briefing.css",
        None,
        "file",
        "more than the limit",
        fmt="html",
    ),
    template(
        "audience-not-utf-8",
        {"audiences/evil.yaml": "description: caf\xe9\nmarking: M\nsections: [sources]\n".encode("latin-1")},
        "audiences/evil.yaml",
        1,
        "encoding",
        "not UTF-8",
        fmt="html",
    ),
    template(
        "audience-billion-laughs",
        {"audiences/evil.yaml": BOMB_AUDIENCE},
        "audiences/evil.yaml",
        None,
        "yaml",
        "more than 100000 values",
        fmt="html",
    ),
    template(
        "audience-deep-nesting",
        {"audiences/evil.yaml": "description: " + "[" * 3000 + "]" * 3000 + "\n"},
        "audiences/evil.yaml",
        None,
        "yaml",
        "nested too deeply",
        fmt="html",
    ),
    template(
        "template-range-too-big",
        cover("{{ range(10**7) | list | length }}"),
        "briefing.html.j2",
        4,
        "template",
        "Range too big",
        fmt="html",
    ),
]


@pytest.mark.parametrize(("files", "file", "line", "field", "words", "fmt"), TEMPLATE_CASES)
def test_broken_or_hostile_templates_are_exit_2_naming_the_resource(files, file, line, field, words, fmt, canary, tmp_path):
    root = make_templates(tmp_path / "house", files, canary)
    out = tmp_path / "out"
    before = seed(out, (f"press.en.{fmt}",))
    result = run_in_process(*build_args(VALID, out, "--templates", str(root), "--audience", "press", "--format", fmt))
    path = root if file == "." else file if file == "weasyprint" else root / file
    assert_problem(result, path, line, field, *words)
    assert_no_leak(result)
    assert_untouched(out, before)


def test_audience_file_that_is_a_fifo(canary, tmp_path):
    root = make_templates(tmp_path / "house", {}, canary)
    (root / "audiences").mkdir()
    os.mkfifo(root / "audiences" / "evil.yaml")
    result = run_in_process(*build_args(VALID, tmp_path / "out", "--templates", str(root), "--format", "html"))
    assert_problem(result, root / "audiences" / "evil.yaml", None, "file", "not a regular file")


def test_a_layout_that_runs_away_is_stopped_by_the_time_limit(canary, tmp_path, monkeypatch):
    """A hostile stylesheet (dot leaders across a page 100,000 inches wide: a box per dot) can lay out for many
    minutes; the render's one time limit, the document's --time-limit, stops it in one line. How long a real runaway
    layout takes depends on WeasyPrint's speed, so the layout here is one that never ends by itself: WeasyPrint's
    own, replaced by a wait, in the render's child process (forked: it has the replacement too)."""
    import weasyprint

    started = tmp_path / "layout-started"

    def endless_layout(html, *args, **kwargs):
        started.touch()
        while True:  # until the render's child is killed (or the guard of run_in_process, failing the case)
            time.sleep(0.05)

    monkeypatch.setattr(weasyprint.HTML, "render", endless_layout)
    hostile = "@page { size: 100000in 100000in }\np::after { content: leader('.') }\n"
    root = make_templates(tmp_path / "house", {"briefing.css": hostile}, canary)
    out = tmp_path / "out"
    before = seed(out, ("press.en.pdf",))
    args = build_args(VALID, out, "--templates", str(root), "--audience", "press", "--format", "pdf", "--time-limit", "1")
    result = run_in_process(*args, seconds=30)
    assert started.exists(), "the layout was never started"
    line = assert_problem(result, "press.en.pdf", None, "time limit", "rendering took longer than 1 s")
    assert result.err.strip() == line, result.err  # one line: the layout's own message is gone with its own limit
    assert_untouched(out, before)


# Odd templates that fetch nothing: the build succeeds, and nothing outside the folders is in the PDF.
ODD_TEMPLATES = {
    "iframe-file-outside": cover('<iframe src="file://{outside}/secret.txt"></iframe>'),
    "svg-image-inside-the-folder": {
        **cover('<svg width="10" height="10"><image href="dot.svg" width="10" height="10"/></svg>'),
        "dot.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n',
    },
    "script-element": cover('<script>document.write("{outside}")</script>'),
    "meta-refresh-to-a-file": cover('<meta http-equiv="refresh" content="0;url=file://{outside}/secret.txt">'),
    "import-after-rules-is-ignored": {"briefing.css": "@import url(http://127.0.0.1:9/x.css);\n"},
    "data-url-image-with-alt": cover(f'<img alt="a dot" src="{SVG_DOT}">'),
}


@pytest.mark.parametrize("case_id", ODD_TEMPLATES)
def test_odd_templates_build_and_leak_nothing(case_id, canary, tmp_path):
    root = make_templates(tmp_path / "house", ODD_TEMPLATES[case_id], canary)
    result = run_in_process(
        *build_args(VALID, tmp_path / "out", "--templates", str(root), "--audience", "press", "--format", "pdf")
    )
    assert (result.code, result.err) == (0, ""), result.err
    pdf = tmp_path / "out" / DOSSIER_ID / "press.en.pdf"
    assert_no_leak(result, pdf_text(pdf), pdf.read_bytes().decode("latin-1"))
    assert embedded_files(pdf) == 0
    assert not [path for path in (tmp_path / "out").rglob("*") if path.name.endswith(".tmp")]


# ---------------------------------------------------------------- odd but valid: markup and formulas, literally
# One dossier with every text field holding markup, a formula or a URL, built once (pdf, docx, html, ministry:
# every field is shown). Each must come out as the very text written, never interpreted, in every format.

BODY = """Trade has grown.

Click [this link](javascript:alert(1)) or [that one](file://{outside}/secret.txt) or [data](data:text/html,x).

An image: ![passwd](file:///etc/passwd)

<div><img src="file://{outside}/secret.txt"><iframe src="http://127.0.0.1:9/"></iframe></div>

Plain text naming file://{outside}/secret.txt and http://127.0.0.1:9/x.
"""

ODD_FIELDS = {  # case id: (edit, the text each format must show)
    "formula-cmd-in-event-title": (cell("events.csv", 2, "title", "=cmd|' /C calc'!A0"), "=cmd|' /C calc'!A0"),
    "formula-plus-in-commitment": (cell("commitments.csv", 2, "text", "+1+1 Build a bridge"), "+1+1 Build a bridge"),
    "formula-at-sum-in-event-summary": (cell("events.csv", 2, "summary", "@SUM(1) agreed."), "@SUM(1) agreed."),
    "formula-minus-in-event-place": (cell("events.csv", 2, "place", "-2+3 Southtown"), "-2+3 Southtown"),
    "formula-hyperlink-in-trade-note": (
        cell("trade.csv", 4, "note", '=HYPERLINK("http://127.0.0.1:9/x")'),
        '=HYPERLINK("http://127.0.0.1:9/x")',
    ),
    "img-onerror-in-event-summary": (
        cell("events.csv", 3, "summary", "Met <img src=x onerror=alert(1)> today."),
        "Met <img src=x onerror=alert(1)> today.",
    ),
    "iframe-in-commitment": (
        cell("commitments.csv", 3, "text", 'Hold <iframe src="file:///etc/passwd"></iframe>'),
        'Hold <iframe src="file:///etc/passwd"></iframe>',
    ),
    "script-in-dossier-title": (
        text("dossier.yaml", "title: Northland–Southland relations", "title: North <script>alert(1)</script> relations"),
        "North <script>alert(1)</script> relations",
    ),
    "markup-in-partner-name": (
        text("dossier.yaml", "name: Northland,", "name: 'Northland <b onmouseover=alert(1)>',"),
        "Northland <b onmouseover=alert(1)>",
    ),
    "markdown-link-in-target-description": (
        text("dossier.yaml", "Raise trade to €150 m by 2025.", "'Raise trade [now](javascript:alert(1)).'"),
        "Raise trade [now](javascript:alert(1)).",
    ),
    "anchor-in-source-title": (
        text("dossier.yaml", "title: Trade yearbook", "title: 'Yearbook <a href=\"javascript:alert(1)\">click</a>'"),
        'Yearbook <a href="javascript:alert(1)">click</a>',
    ),
    "link-element-in-publisher": (
        text("dossier.yaml", "publisher: Statistics Office", "publisher: '<link rel=attachment href=file:///etc/hostname>'"),
        "<link rel=attachment href=file:///etc/hostname>",
    ),
    "svg-onload-in-area-title": (
        text("areas/trade.md", "title: Trade and investment", "title: 'Trade <svg onload=alert(1)>'"),
        "Trade <svg onload=alert(1)>",
    ),
    "markdown-image-in-area-summary": (
        text("areas/trade.md", "summary: Trade grows.", "summary: 'Grows ![x](file:///etc/passwd)'"),
        "Grows ![x](file:///etc/passwd)",
    ),
    "img-file-url-in-key-fact": (
        text("areas/trade.md", "text: Turnover in 2021", "text: 'Turnover <img src=\"file:///etc/passwd\">'"),
        'Turnover <img src="file:///etc/passwd">',
    ),
    "raw-html-block-in-area-body": (
        None,
        '<div><img src="file://{outside}/secret.txt"><iframe src="http://127.0.0.1:9/"></iframe></div>',
    ),
    # Markdown links to anything but the web are no links: markdown-it leaves them as the text written.
    "javascript-link-in-area-body": (
        None,
        "Click [this link](javascript:alert(1)) or [that one](file://{outside}/secret.txt) or [data](data:text/html,x).",
    ),
    "markdown-image-in-area-body": (None, "An image: ![passwd](file:///etc/passwd)"),
    "file-and-http-urls-as-text-in-area-body": (None, "Plain text naming file://{outside}/secret.txt and http://127.0.0.1:9/x."),
}


@dataclass
class OddBuild:
    out: Path
    outside: Path
    code: int
    err: str

    def file(self, fmt: str) -> Path:
        return self.out / DOSSIER_ID / f"ministry.en.{fmt}"


@pytest.fixture(scope="session")
def odd(tmp_path_factory: pytest.TempPathFactory) -> OddBuild:
    """The valid dossier with every odd text of ODD_FIELDS, built once per test run: pdf, docx and html."""

    def make(base: Path) -> dict:
        outside = base / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text(f"{CANARY}\n", encoding="utf-8")
        copy = DossierCopy(Path(shutil.copytree(VALID, base / "dossier")))
        for edit, _ in ODD_FIELDS.values():
            if edit is not None:
                edit(copy, outside)
        body = copy.read("areas/trade.md").split("---\n")
        copy.write("areas/trade.md", "---\n".join(body[:2]) + "---\n" + BODY.replace("{outside}", str(outside)))
        args = ["build", "--dossier", str(copy.path), "--as-of", AS_OF, "--out", str(base / "out"), "--audience", "ministry"]
        done = run_in_process(*args, "--format", "pdf", "--format", "docx", "--format", "html")
        return {"code": done.code, "err": done.err}

    base, record = once(tmp_path_factory, "odd-dossier", make)
    return OddBuild(base / "out", base / "outside", record["code"], record["err"])


def test_odd_dossier_builds_cleanly(odd):
    assert (odd.code, odd.err) == (0, ""), odd.err
    assert "Traceback" not in odd.err


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("case_id", ODD_FIELDS)
def test_markup_formulas_and_urls_come_out_literally(case_id, fmt, odd):
    assert odd.code == 0, odd.err
    expected = ODD_FIELDS[case_id][1].replace("{outside}", str(odd.outside))
    assert squash(expected) in squash(full_text(odd.file(fmt), fmt)), f"{expected!r} not shown literally in the {fmt}"


def test_html_has_no_active_content_from_the_data(odd):
    """The text is escaped: no element and no link target comes from the dossier, only the project's own."""
    parser = TagCollector()
    parser.feed(odd.file("html").read_text(encoding="utf-8"))
    assert not {"script", "iframe", "object", "embed", "link", "base", "meta-refresh"} & {tag for tag, _ in parser.tags}
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "img":
            assert attrs.get("src", "").startswith("data:"), attrs
        if tag == "a":
            assert re.match(r"^(https?://|mailto:|#)", attrs.get("href", "")), attrs
    assert "javascript:" not in " ".join(attrs.get("href", "") for tag, attrs in parser.tags if tag == "a")


def test_word_file_links_only_to_the_web(odd):
    with zipfile.ZipFile(odd.file("docx")) as package:
        rels = ElementTree.fromstring(package.read("word/_rels/document.xml.rels"))
    targets = [rel.get("Target", "") for rel in rels if rel.get("TargetMode") == "External"]
    assert targets, "the sources' web addresses should be links"
    assert all(re.match(r"^(https?://|mailto:)", target) for target in targets), targets


def test_odd_dossier_leaks_nothing_and_attaches_nothing(odd):
    pdf = odd.file("pdf")
    texts = [pdf_text(pdf), odd.file("html").read_text(encoding="utf-8"), full_text(odd.file("docx"), "docx")]
    for text_ in texts:
        assert CANARY not in text_
    assert embedded_files(pdf) == 0


def test_odd_dossier_pdf_passes_qpdf_check(odd):
    assert_qpdf_ok(odd.file("pdf"))


def test_odd_dossier_word_file_is_a_sound_package(odd):
    assert_sound_package(odd.file("docx"))


# ---------------------------------------------------------------- fuzzing the CSV readers


CSV_FILES = ("trade.csv", "events.csv", "commitments.csv")
CSV_ALPHABET = st.sampled_from(
    [
        ",",
        '"',
        "\n",
        "\r",
        "\r\n",
        ";",
        " ",
        "\x00",
        "\ufeff",
        "é",
        "2019",
        "-1",
        "1e9",
        "nan",
        "official",
        "news",
        "stats",
        "trade",
        "2021-11",
        "2024-02-30",
        "=cmd|' /C calc'!A0",
        "<b>",
        "year",
        "id",
        "date",
        "status",
    ]
)
CSV_TEXT = st.lists(CSV_ALPHABET, max_size=80).map("".join)


@st.composite
def csv_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    """A CSV file name and bytes: arbitrary bytes, or CSV-like text (its real header first, half the time)."""
    name = draw(st.sampled_from(CSV_FILES))
    kind = draw(st.sampled_from(("bytes", "text", "header")))
    if kind == "bytes":
        return name, draw(st.binary(max_size=600))
    body = draw(CSV_TEXT)
    if kind == "header":
        body = (VALID / name).read_text(encoding="utf-8").split("\n", 1)[0] + "\n" + body
    encoding = draw(st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "latin-1")))
    return name, body.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(VALID, tmp_path_factory.mktemp("fuzz") / "dossier"))


@settings(max_examples=200, deadline=None)
@given(csv_bytes())
def test_any_bytes_in_a_csv_file_give_a_dossier_or_a_dossier_error(fuzz_folder, named_bytes):
    name, data = named_bytes
    path = fuzz_folder / name
    original = (VALID / name).read_bytes()
    path.write_bytes(data)
    try:
        load_dossier(fuzz_folder)
    except ReportsError as error:  # DossierError: exit 2 with every problem named
        assert error.problems and all(problem.path.startswith(str(fuzz_folder)) for problem in error.problems)
    finally:
        path.write_bytes(original)


# ---------------------------------------------------------------- real clients: the kz-uz files


@pytest.fixture(scope="session")
def kz_twin(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """kz-uz built as the shared `kz_build` of conftest.py (a new process, UTC, hash seed 1) is, but in another new
    process with another time zone and hash seed: it exists only to compare bytes. (out folder, the run)"""

    def make(folder: Path) -> dict:
        args = ["build", "--dossier", str(KZ_UZ), "--as-of", KZ_AS_OF, "--out", str(folder / "out")]
        args += [arg for fmt in ("pdf", "docx", "html") for arg in ("--format", fmt)]
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
    first = {path.relative_to(kz_build.out): sha256(path) for path in files(kz_build.out)}
    second = {path.relative_to(twin): sha256(path) for path in files(twin)}
    assert len(first) == 9
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


# ---------------------------------------------------------------- readers of the files


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_info(path: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60)
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in done.stdout.splitlines())}


def embedded_files(path: Path) -> int:
    """How many files `pdfdetach -list` finds in the PDF (embedded files and file attachment annotations)."""
    done = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True, timeout=60)
    match = re.match(r"(\d+) embedded files", done.stdout)
    assert match, done.stdout
    return int(match.group(1))


def assert_qpdf_ok(path: Path) -> None:
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout, done.stdout


class TagCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._skip += tag in ("style", "svg")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "svg") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def html_text(path: Path) -> str:
    parser = TagCollector()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.text)


def full_text(path: Path, fmt: str) -> str:
    return {"pdf": pdf_text, "docx": docx_text, "html": html_text}[fmt](path)


XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
WORD_DOCUMENT = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}document"


def assert_sound_package(path: Path) -> None:
    """A schema-level sanity check of a Word file (OPC, ECMA-376 part 2): every part has a content type in
    [Content_Types].xml, every internal relationship points at a part that exists, every XML part is
    well-formed and free of characters XML 1.0 forbids, and the main part is a w:document."""
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None, "a damaged zip entry"
        names = [name for name in package.namelist() if not name.endswith("/")]
        assert len(names) == len(set(names)), "a part appears twice in the zip"
        types = ElementTree.fromstring(package.read("[Content_Types].xml"))
        defaults = {item.get("Extension").lower() for item in types.iter(f"{CONTENT_TYPES_NS}Default")}
        overrides = {item.get("PartName") for item in types.iter(f"{CONTENT_TYPES_NS}Override")}
        for name in names:
            if name == "[Content_Types].xml":
                continue
            extension = name.rsplit("/", 1)[-1].rpartition(".")[2].lower()  # `_rels/.rels` → rels
            assert f"/{name}" in overrides or extension in defaults, f"{name} has no content type"
        assert all(part.lstrip("/") in names for part in overrides), "[Content_Types].xml names a part that is missing"
        for name in names:
            data = package.read(name)
            if not name.endswith((".xml", ".rels")):
                continue
            decoded = data.decode("utf-8")
            assert not XML_ILLEGAL.search(decoded), f"{name} holds a character XML 1.0 forbids"
            root = ElementTree.fromstring(data)  # well-formed, or this raises
            if name.endswith(".rels"):
                source_folder = PurePosixPath(name).parent.parent  # word/_rels/document.xml.rels → word
                for relation in root.iter(f"{RELATIONSHIPS_NS}Relationship"):
                    if relation.get("TargetMode") == "External":
                        continue
                    target = relation.get("Target")
                    resolved = target.lstrip("/") if target.startswith("/") else os.path.normpath(source_folder / target)
                    assert resolved in names, f"{name}: relationship {relation.get('Id')} points at missing {target}"
        document = ElementTree.fromstring(package.read("word/document.xml"))
        assert document.tag == WORD_DOCUMENT, document.tag
        stamps = {info.date_time for info in package.infolist()}
        assert len(stamps) == 1, f"zip entries carry different timestamps: {stamps}"
