"""Hostile and broken dossiers and arguments (docs/security.md): each case breaks a copy of tests/dossiers/valid
and is exit 2 naming the file, line and field, never a traceback, never a leaked file, never a partial or changed
output file; `reports validate` reports the same.

The corpus runs the `reports` command in this process (support/cli.py): an exception escaping it is a failure.
Cases covered elsewhere are not repeated here (tests/test_validate.py: one broken thing per field;
tests/test_build.py: atomic writes on a failed build; tests/test_literal_text.py: odd text in a valid dossier;
tests/test_csv_fuzz.py; tests/test_hostile_templates.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from support.cli import build_args, deadline, run_in_process
from support.hostile import alias_bomb, assert_no_leak, assert_problem, assert_untouched, cell, seed, text
from support.paths import VALID_AS_OF
from support.paths import VALID_DOSSIER as VALID

DOSSIER_ID = "north-south"  # the id in tests/dossiers/valid/dossier.yaml

# The PDFs are checked with poppler-utils (pdftotext, pdfinfo, pdfdetach) and qpdf, which `make test` installs:
# without them these tests fail rather than pass unchecked.


# ---------------------------------------------------------------- running the command


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


def latin1(data: bytes) -> bytes:
    """dossier.yaml re-encoded as latin-1, with one character (é on the line of the first source) that UTF-8 cannot read."""
    text = data.decode("utf-8").replace("–", "-").replace("€", "EUR ").replace("Северляндия", "Severlandia")
    return text.replace("title: Trade yearbook", "title: Trade année").encode("latin-1")


def no_touch(dossier, outside) -> None:
    """A YAML tag asking PyYAML to run a command: safe_load must refuse it (and nothing may run)."""
    dossier.replace("dossier.yaml", "unit: million", f"unit: !!python/object/apply:os.system ['touch {outside}/pwned']")


def case(case_id: str, edit: Callable, file: str, line: int | None, field: str, *words: str, slow: bool = False):
    """A case of the corpus; `slow`: it writes or reads a file of thousands of rows (`make test-fast` leaves it out)."""
    return pytest.param(edit, file, line, field, words, id=case_id, marks=[pytest.mark.slow] if slow else [])


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
        slow=True,
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
        slow=True,
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
    case("csv-too-many-rows", many_events(20_001), "events.csv", 20_002, "row", "more than 20000 rows", slow=True),
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


# ---------------------------------------------------------------- odd but valid: markup and formulas, literally
# One dossier with every text field holding markup, a formula or a URL, built once (pdf, docx, html, ministry:
# every field is shown). Each must come out as the very text written, never interpreted, in every format.


# ---------------------------------------------------------------- fuzzing the CSV readers
