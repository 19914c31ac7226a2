"""Hostile and broken input: a corpus of broken dossiers, templates and arguments (docs/security.md). Each case is
exit 2 naming the file, line and field (or a clean exit 0 where a template is merely odd), never a traceback,
never a leaked file, never a partial or changed output file.

The corpus runs the `reports` command in this process (support/cli.py): an exception escaping it is a failure.
Cases covered elsewhere are not repeated here (tests/test_validate.py: one broken thing per field;
tests/test_house_style.py: template sandbox, includes, house CSS fetching files; tests/test_build.py: atomic
writes on a failed build; tests/test_literal_text.py: odd text in a valid dossier; tests/test_csv_fuzz.py).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.checks import embedded_files
from support.cli import Result, assert_no_traceback, build_args, deadline, run_in_process
from support.hostile import CANARY, cell, text
from support.paths import VALID_AS_OF
from support.paths import VALID_DOSSIER as VALID
from support.read import pdf_text

DOSSIER_ID = "north-south"  # the id in tests/dossiers/valid/dossier.yaml
PREVIOUS = b"the previous good file\n"

# The PDFs are checked with poppler-utils (pdftotext, pdfinfo, pdfdetach) and qpdf, which `make test` installs:
# without them these tests fail rather than pass unchecked.


# ---------------------------------------------------------------- running the command


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
    for output in (result.out, result.err, *more):
        assert CANARY not in output, "content of a file outside the allowed folders leaked"


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


@pytest.mark.slow
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
    result = run_in_process("brief", "--event", "../../x", "--dossier", str(VALID), "--as-of", VALID_AS_OF, "--out", str(out))
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


@pytest.mark.slow
def test_a_layout_that_runs_away_is_stopped_by_the_time_limit(canary, tmp_path, monkeypatch):
    """A hostile stylesheet (dot leaders across a page 100,000 inches wide: a box per dot) can lay out for many
    minutes; the time limit stops it. How long a real runaway layout takes depends on WeasyPrint's speed, so the
    layout here is one that never ends by itself: WeasyPrint's own, replaced by a wait for the limit."""
    import weasyprint

    laid_out = []

    def endless_layout(html, *args, **kwargs):
        laid_out.append(html)
        while True:  # until the time limit's signal interrupts it (or the guard of run_in_process, failing the case)
            time.sleep(0.05)

    monkeypatch.setattr("reports.renderers.pdf.RENDER_SECONDS", 1)
    monkeypatch.setattr(weasyprint.HTML, "render", endless_layout)
    hostile = "@page { size: 100000in 100000in }\np::after { content: leader('.') }\n"
    root = make_templates(tmp_path / "house", {"briefing.css": hostile}, canary)
    out = tmp_path / "out"
    before = seed(out, ("press.en.pdf",))
    # the render's own limits off: the document renders in this process, where the patched layout is
    args = build_args(VALID, out, "--templates", str(root), "--audience", "press", "--format", "pdf", "--time-limit", "0")
    result = run_in_process(*args + ["--memory-limit", "0"], seconds=30)
    assert laid_out, "the layout was never started"
    assert_problem(result, "audience press", None, "pdf", "layout took longer than 1 s")
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


@pytest.mark.slow
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


# ---------------------------------------------------------------- fuzzing the CSV readers


# ---------------------------------------------------------------- real clients: the kz-uz files


@pytest.mark.slow
def test_elements_nested_thousands_deep_in_a_template_are_exit_2(tmp_path: Path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover %}' + "<div>" * 3000 + "deep" + "</div>" * 3000 + "{% endblock %}",
        encoding="utf-8",
    )
    result = run_in_process(
        *build_args(VALID, tmp_path / "out", "--templates", str(house), "--format", "pdf", "--audience", "press")
    )
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{house}: pdf: " in result.err and "nested too deeply" in result.err, result.describe()
