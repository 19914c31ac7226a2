"""The dossier layer and `reports validate`: the dossier format and its problems as the README describes them
(`path:line: field: message`, exit status 2).

`reports validate` runs in this process (support/cli.py): what is checked is its output, not the process.
Broken dossiers are copies of tests/dossiers/valid with one thing broken. Every expected line number
was worked out by reading the file as broken (header = line 1), not copied from the program's output.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.paths import KZ_UZ
from support.read import front_matter, read_csv, read_yaml

from reports.dossier.load import load_dossier
from reports.dossier.model import Dossier

VALID_SUMMARY = "valid: 3 years of trade, 3 events, 2 areas, 2 commitments, 3 sources"

# The five seed documents every figure of data/kz-uz comes from (README, "The Kazakhstan–Uzbekistan dossier"): the
# dossier's sources name them by file name; the documents themselves are not part of the repository.
SEED_FILES = {
    "000_76bb9721fefd2a35.txt",
    "001_c746225fe260b00f.txt",
    "002_20ef30c438d3304a.txt",
    "003_9f4c402e24e736ce.txt",
    "004_ceeb705a6bb735a6.txt",
}

# `path:line: field: message`, or `path: field: message` where no line exists.
PROBLEM_LINE = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?: (?P<field>[^:]+): (?P<message>.+)$")


# ---------------------------------------------------------------- ways to break one thing
# Each returns an edit: a function of the DossierCopy fixture (tests/conftest.py).


def text(name: str, old: str, new: str) -> Callable:
    return lambda dossier: dossier.replace(name, old, new)


def cell(name: str, row: int, column: str, value: str) -> Callable:
    return lambda dossier: dossier.set_cell(name, row, column, value)


def write(name: str, content: str) -> Callable:
    return lambda dossier: dossier.write(name, content)


def delete(name: str) -> Callable:
    return lambda dossier: (dossier.path / name).unlink()


def raw_bytes(name: str, old: bytes, new: bytes) -> Callable:
    def edit(dossier) -> None:
        path = dossier.path / name
        data = path.read_bytes()
        assert data.count(old) == 1
        path.write_bytes(data.replace(old, new))

    return edit


def broken(case_id: str, edits: Callable | tuple[Callable, ...], file: str, line: int | None, field: str, message: str):
    """One broken dossier: the edits, and the problem it must report (`message` is a fragment of the reason)."""
    edits = edits if isinstance(edits, tuple) else (edits,)
    return pytest.param(edits, file, line, field, message, id=case_id)


MIRROR = "year,exports,imports,turnover,status,source,note\n2018,45,55,100,official,stats,\n2019,50,60,,estimate,stats,\n"

BROKEN = [
    # dossier.yaml
    # An absent key is on no line: it is reported on line 1, the file as a whole.
    broken("dossier-id-absent", text("dossier.yaml", "id: north-south\n", ""), "dossier.yaml", 1, "id", "required"),
    broken("dossier-id-empty", text("dossier.yaml", "id: north-south", "id:"), "dossier.yaml", 2, "id", "required"),
    broken("dossier-id-not-slug", text("dossier.yaml", "id: north-south", "id: North_South"), "dossier.yaml", 2, "id", "slug"),
    broken(
        "dossier-title-empty",
        text("dossier.yaml", "title: Northland–Southland relations", "title: ''"),
        "dossier.yaml",
        3,
        "title",
        "required",
    ),
    broken(
        "dossier-three-partners",
        text("dossier.yaml", "name: Southland}\n", "name: Southland}\n  - {code: WLD, name: W}\n"),
        "dossier.yaml",
        4,
        "partners",
        "exactly 2",
    ),
    broken(
        "dossier-one-partner",
        text("dossier.yaml", "  - {code: SLD, name: Southland}\n", ""),
        "dossier.yaml",
        4,
        "partners",
        "exactly 2",
    ),
    broken(
        "dossier-partner-code-alpha2",
        text("dossier.yaml", "code: SLD", "code: SL"),
        "dossier.yaml",
        6,
        "partners[1].code",
        "alpha-3",
    ),
    broken(
        "dossier-partner-name-absent",
        text("dossier.yaml", "{code: SLD, name: Southland}", "{code: SLD}"),
        "dossier.yaml",
        6,
        "partners[1].name",
        "required",
    ),
    broken(
        "dossier-reporter-not-partner",
        text("dossier.yaml", "reporter: NLD", "reporter: DEU"),
        "dossier.yaml",
        7,
        "reporter",
        "partners",
    ),
    broken(
        "dossier-bad-currency", text("dossier.yaml", "currency: EUR", "currency: EURO"), "dossier.yaml", 8, "currency", "ISO 4217"
    ),
    broken("dossier-bad-unit", text("dossier.yaml", "unit: million", "unit: thousand"), "dossier.yaml", 9, "unit", "thousand"),
    broken(
        "dossier-base-year-not-integer",
        text("dossier.yaml", "base_year: 2018", "base_year: 2018.5"),
        "dossier.yaml",
        10,
        "base_year",
        "whole number",
    ),
    broken(
        "dossier-unknown-key",
        text("dossier.yaml", "unit: million\n", "unit: million\nunits: billion\n"),
        "dossier.yaml",
        10,
        "units",
        "unknown key",
    ),
    broken(
        "target-bad-metric",
        text("dossier.yaml", "metric: turnover", "metric: balance"),
        "dossier.yaml",
        13,
        "targets[0].metric",
        "balance",
    ),
    broken(
        "target-value-negative", text("dossier.yaml", "value: 150", "value: -150"), "dossier.yaml", 14, "targets[0].value", "-150"
    ),
    broken(
        "target-year-not-integer",
        text("dossier.yaml", "year: 2025", "year: soon"),
        "dossier.yaml",
        15,
        "targets[0].year",
        "whole number",
    ),
    broken(
        "target-set-on-bad-date",
        text("dossier.yaml", "set_on: 2019-05", "set_on: 2019-13"),
        "dossier.yaml",
        16,
        "targets[0].set_on",
        "not a real date",
    ),
    broken(
        "target-unknown-source",
        text("dossier.yaml", "    source: stats", "    source: yearbook"),
        "dossier.yaml",
        18,
        "targets[0].source",
        "not a source id",
    ),
    broken(
        "target-restricted-source",
        text("dossier.yaml", "    source: stats", "    source: cable"),
        "dossier.yaml",
        18,
        "targets[0].source",
        "restricted",
    ),
    broken(
        "source-title-absent",
        text("dossier.yaml", "{id: news, title: Summit report, ", "{id: news, "),
        "dossier.yaml",
        21,
        "sources[1].title",
        "required",
    ),
    broken(
        "source-duplicate-id",
        text("dossier.yaml", "{id: cable,", "{id: news,"),
        "dossier.yaml",
        22,
        "sources[2].id",
        "another source",
    ),
    broken(
        "source-impossible-date-quoted",
        text("dossier.yaml", 'date: "2023"', 'date: "2023-02-30"'),
        "dossier.yaml",
        21,
        "sources[1].date",
        "not a real date",
    ),
    # An unquoted YAML date is turned into a date by the YAML parser itself.
    broken(
        "source-impossible-date-unquoted",
        text("dossier.yaml", "date: 2019-03-01", "date: 2019-02-30"),
        "dossier.yaml",
        20,
        "sources[0].date",
        "2019-02-30",
    ),
    broken(
        "source-date-not-a-date",
        text("dossier.yaml", "date: 2023-06", "date: June 2023"),
        "dossier.yaml",
        22,
        "sources[2].date",
        "not a date",
    ),
    broken(
        "source-restricted-not-boolean",
        text("dossier.yaml", "restricted: true", 'restricted: "yes"'),
        "dossier.yaml",
        22,
        "sources[2].restricted",
        "true or false",
    ),
    broken(
        "dossier-yaml-syntax-error",
        text("dossier.yaml", "currency: EUR", "currency: EUR: x"),
        "dossier.yaml",
        8,
        "yaml",
        "not valid YAML",
    ),
    broken(
        "dossier-yaml-duplicate-key",
        text("dossier.yaml", "unit: million\n", "unit: million\nunit: billion\n"),
        "dossier.yaml",
        10,
        "unit",
        "twice",
    ),
    broken(
        "dossier-yaml-bad-explicit-tag",
        text("dossier.yaml", "base_year: 2018", "base_year: !!int twenty"),
        "dossier.yaml",
        10,
        "yaml",
        "twenty",
    ),
    broken(
        "dossier-yaml-recursive-alias", text("dossier.yaml", "unit: million", "unit: &u [*u]"), "dossier.yaml", 9, "unit", "text"
    ),
    # trade.csv
    broken("trade-file-absent", delete("trade.csv"), "trade.csv", None, "file", "missing"),
    broken("trade-duplicate-year", cell("trade.csv", 4, "year", "2019"), "trade.csv", 4, "year", "twice"),
    broken("trade-year-not-integer", cell("trade.csv", 3, "year", "2019.5"), "trade.csv", 3, "year", "whole number"),
    broken("trade-bad-status", cell("trade.csv", 2, "status", "final"), "trade.csv", 2, "status", "final"),
    broken("trade-negative-value", cell("trade.csv", 3, "exports", "-60"), "trade.csv", 3, "exports", "-60"),
    broken("trade-comma-decimal", cell("trade.csv", 3, "imports", "1,5"), "trade.csv", 3, "imports", "1,5"),
    broken("trade-turnover-disagrees", cell("trade.csv", 3, "turnover", "112"), "trade.csv", 3, "turnover", "1 %"),
    broken(
        "trade-no-turnover-no-split", text("trade.csv", "2021,70,51,121,", "2021,70,,,"), "trade.csv", 4, "imports", "turnover"
    ),
    broken("trade-no-value-at-all", cell("trade.csv", 2, "turnover", ""), "trade.csv", 2, "turnover", "exports and imports"),
    broken("trade-unknown-source", cell("trade.csv", 3, "source", "nowhere"), "trade.csv", 3, "source", "not a source id"),
    broken("trade-restricted-source", cell("trade.csv", 3, "source", "cable"), "trade.csv", 3, "source", "restricted"),
    broken("trade-missing-column", text("trade.csv", "status", "state"), "trade.csv", 1, "status", "missing"),
    broken("trade-unknown-column", text("trade.csv", "note", "notes"), "trade.csv", 1, "notes", "unknown column"),
    broken(
        "trade-blank-line-before-bad-row",
        (cell("trade.csv", 3, "status", "final"), text("trade.csv", "2019,", "\n2019,")),
        "trade.csv",
        4,
        "status",
        "final",
    ),
    # trade_mirror.csv
    broken(
        "mirror-restricted-source",
        (write("trade_mirror.csv", MIRROR), cell("trade_mirror.csv", 3, "source", "cable")),
        "trade_mirror.csv",
        3,
        "source",
        "restricted",
    ),
    broken(
        "mirror-turnover-disagrees",
        (write("trade_mirror.csv", MIRROR), cell("trade_mirror.csv", 2, "turnover", "90")),
        "trade_mirror.csv",
        2,
        "turnover",
        "1 %",
    ),
    # events.csv
    broken("events-duplicate-id", cell("events.csv", 3, "id", "first-visit"), "events.csv", 3, "id", "another event"),
    broken("events-id-not-slug", cell("events.csv", 2, "id", "First visit"), "events.csv", 2, "id", "slug"),
    broken("events-bad-kind", cell("events.csv", 3, "kind", "meeting"), "events.csv", 3, "kind", "meeting"),
    broken("events-end-before-date", cell("events.csv", 2, "end_date", "2019-05-01"), "events.csv", 2, "end_date", "before"),
    broken("events-unknown-area", cell("events.csv", 3, "areas", "trade;energy"), "events.csv", 3, "areas", "energy"),
    broken("events-unknown-source", cell("events.csv", 3, "source", "nowhere"), "events.csv", 3, "source", "not a source id"),
    broken("events-impossible-date", cell("events.csv", 4, "date", "2023-13-01"), "events.csv", 4, "date", "not a real date"),
    broken("events-title-empty", cell("events.csv", 3, "title", ""), "events.csv", 3, "title", "required"),
    # A quoted cell that spans two lines moves every later record down one line.
    broken(
        "events-bad-kind-after-multiline-cell",
        (cell("events.csv", 3, "kind", "meeting"), cell("events.csv", 2, "summary", "Trade target\nagreed.")),
        "events.csv",
        4,
        "kind",
        "meeting",
    ),
    broken(
        "events-not-utf8", raw_bytes("events.csv", b"Ministers met.", b"Ministers m\xe9t."), "events.csv", 3, "encoding", "UTF-8"
    ),
    # commitments.csv
    broken("commitments-bad-status", cell("commitments.csv", 2, "status", "late"), "commitments.csv", 2, "status", "late"),
    broken("commitments-unknown-area", cell("commitments.csv", 3, "area", "sport"), "commitments.csv", 3, "area", "sport"),
    broken(
        "commitments-unknown-source",
        cell("commitments.csv", 2, "source", "nowhere"),
        "commitments.csv",
        2,
        "source",
        "not a source id",
    ),
    broken(
        "commitments-bad-due-date",
        cell("commitments.csv", 2, "due", "2024-02-30"),
        "commitments.csv",
        2,
        "due",
        "not a real date",
    ),
    broken(
        "commitments-bad-agreed-on",
        cell("commitments.csv", 3, "agreed_on", "May 2019"),
        "commitments.csv",
        3,
        "agreed_on",
        "not a date",
    ),
    # areas/*.md (the front matter starts on line 2, after the opening '---')
    broken(
        "area-no-front-matter",
        text("areas/culture.md", "---\ntitle: Culture", "title: Culture"),
        "areas/culture.md",
        1,
        "front matter",
        "'---'",
    ),
    broken(
        "area-front-matter-not-closed",
        text("areas/culture.md", "---\nA *festival*", "A *festival*"),
        "areas/culture.md",
        1,
        "front matter",
        "closing",
    ),
    broken("area-title-empty", text("areas/culture.md", "title: Culture", "title:"), "areas/culture.md", 2, "title", "required"),
    broken(
        "area-order-not-integer", text("areas/trade.md", "order: 1", "order: first"), "areas/trade.md", 3, "order", "whole number"
    ),
    broken(
        "area-restricted-not-boolean",
        text("areas/culture.md", "order: 2\n", 'order: 2\nrestricted: "no"\n'),
        "areas/culture.md",
        4,
        "restricted",
        "true or false",
    ),
    broken(
        "area-key-fact-without-source",
        text("areas/trade.md", ", source: stats}", "}"),
        "areas/trade.md",
        6,
        "key_facts[0].source",
        "required",
    ),
    broken(
        "area-key-fact-unknown-source",
        text("areas/culture.md", "source: news}", "source: gossip}"),
        "areas/culture.md",
        6,
        "key_facts[0].source",
        "not a source id",
    ),
    broken(
        "area-key-fact-impossible-yaml-date",
        text("areas/trade.md", "year: 2021,", "year: 2021-02-30,"),
        "areas/trade.md",
        6,
        "key_facts[0].year",
        "2021-02-30",
    ),
    broken(
        "area-unknown-source-in-sources",
        text("areas/trade.md", "sources: [stats]", "sources: [stats, gossip]"),
        "areas/trade.md",
        7,
        "sources[1]",
        "not a source id",
    ),
    broken(
        "area-yaml-syntax-error",
        text("areas/trade.md", "summary: Trade grows.", "summary: Trade: grows."),
        "areas/trade.md",
        4,
        "yaml",
        "not valid YAML",
    ),
    broken(
        "area-yaml-duplicate-key",
        text("areas/culture.md", "order: 2\n", "order: 2\norder: 3\n"),
        "areas/culture.md",
        4,
        "order",
        "twice",
    ),
]

CASES = {case.id: case for case in BROKEN}


def apply(dossier, edits) -> None:
    for edit in edits:
        edit(dossier)


def assert_problem(stderr: str, folder: Path, file: str, line: int | None, field: str, message: str) -> None:
    """stderr has the problem `FOLDER/FILE:LINE: FIELD: ...MESSAGE...`."""
    where = f"{folder / file}:{line}" if line is not None else str(folder / file)
    prefix = f"{where}: {field}: "
    found = [problem for problem in stderr.splitlines() if problem.startswith(prefix)]
    assert found, f"no problem starting {prefix!r} in stderr:\n{stderr}"
    assert any(message in problem for problem in found), f"no {message!r} in {found}"


def assert_input_error(code: int, stdout: str, stderr: str) -> None:
    """Exit status 2, nothing on stdout, every stderr line a problem, no traceback."""
    assert "Traceback" not in stderr, stderr
    assert code == 2, stderr
    assert stdout == ""
    assert stderr.strip(), "no problem reported"
    for problem in stderr.splitlines():
        assert PROBLEM_LINE.match(problem), f"not `path:line: field: message`: {problem!r}"


def to_bom_crlf(folder: Path) -> None:
    """Re-encode every file of the folder with a UTF-8 byte-order mark and CRLF line endings."""
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_text(encoding="utf-8").replace("\n", "\r\n")
            path.write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))


def cited_sources(dossier: Dossier) -> set[str]:
    """Every source id cited anywhere: targets, trade and mirror rows, events, commitments, area facts and sources."""
    cited = {target.source for target in dossier.targets}
    cited |= {row.source for row in dossier.trade + dossier.trade_mirror}
    cited |= {event.source for event in dossier.events}
    cited |= {commitment.source for commitment in dossier.commitments}
    for area in dossier.areas:
        cited |= {fact.source for fact in area.key_facts} | set(area.sources)
    return cited


# ---------------------------------------------------------------- valid dossiers


def test_minimal_dossier_is_valid(dossier):
    code, stdout, stderr = run_in_process("validate", "--dossier", str(dossier.path))
    assert (code, stderr) == (0, "")
    assert stdout == f"{dossier.path}: {VALID_SUMMARY}\n"


def test_kz_uz_dossier_is_valid():
    code, stdout, stderr = run_in_process("validate", "--dossier", str(KZ_UZ))
    assert (code, stderr) == (0, "")
    assert stdout.startswith(f"{KZ_UZ}: valid: ") and stdout.count("\n") == 1


def test_bom_and_crlf_are_accepted(dossier):
    to_bom_crlf(dossier.path)
    code, stdout, stderr = run_in_process("validate", "--dossier", str(dossier.path))
    assert (code, stderr) == (0, "")
    assert stdout == f"{dossier.path}: {VALID_SUMMARY}\n"


ODD_TITLE = "Trade\x07 talks\x00\x1f"  # BEL, NUL, unit separator


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(cell("events.csv", 3, "title", ODD_TITLE), id="control-in-event-title"),
        pytest.param(cell("events.csv", 2, "summary", "<b>markup</b> & <script>alert(1)</script>"), id="markup-in-event-summary"),
        pytest.param(text("areas/trade.md", "- exports rose", "- <b>exports</b>\x07 rose\x0b"), id="area-body-markup-controls"),
        pytest.param(text("areas/culture.md", "title: Culture", "title: Cul\x07ture\x1b"), id="control-in-area-title"),
        pytest.param(text("dossier.yaml", "title: Trade yearbook", "title: Trade\x00 yearbook"), id="control-in-source-title"),
    ],
)
def test_odd_but_valid_input(dossier, edit):
    edit(dossier)
    code, stdout, stderr = run_in_process("validate", "--dossier", str(dossier.path))
    assert "Traceback" not in stderr
    assert (code, stderr) == (0, "")
    assert stdout == f"{dossier.path}: {VALID_SUMMARY}\n"


def test_control_characters_are_removed_and_markup_kept(dossier):
    apply(dossier, (cell("events.csv", 3, "title", ODD_TITLE), cell("events.csv", 3, "summary", "<b>Ministers</b> met.")))
    talks = next(event for event in load_dossier(dossier.path).events if event.id == "talks")
    assert (talks.title, talks.summary) == ("Trade talks", "<b>Ministers</b> met.")


# ---------------------------------------------------------------- broken dossiers


@pytest.mark.parametrize(("edits", "file", "line", "field", "message"), BROKEN)
def test_broken_dossier_is_reported(dossier, edits, file, line, field, message):
    apply(dossier, edits)
    code, stdout, stderr = run_in_process("validate", "--dossier", str(dossier.path))
    assert_input_error(code, stdout, stderr)
    assert_problem(stderr, dossier.path, file, line, field, message)


@pytest.mark.parametrize(
    ("edits", "file", "line", "field", "message"),
    [
        CASES[case_id]
        for case_id in (
            "trade-unknown-column",
            "trade-bad-status",
            "events-bad-kind",
            "events-bad-kind-after-multiline-cell",
            "dossier-yaml-duplicate-key",
            "target-restricted-source",
            "area-order-not-integer",
            "area-key-fact-without-source",
        )
    ],
)
def test_problem_in_bom_crlf_file_has_the_right_line(dossier, edits, file, line, field, message):
    apply(dossier, edits)
    to_bom_crlf(dossier.path)
    code, stdout, stderr = run_in_process("validate", "--dossier", str(dossier.path))
    assert_input_error(code, stdout, stderr)
    assert_problem(stderr, dossier.path, file, line, field, message)


def test_every_problem_of_every_file_is_reported_in_one_run(dossier):
    case_ids = (
        "dossier-bad-unit",
        "source-duplicate-id",
        "trade-bad-status",
        "mirror-turnover-disagrees",
        "events-impossible-date",
        "events-unknown-area",
        "commitments-bad-due-date",
        "area-order-not-integer",
        "area-key-fact-unknown-source",
    )
    for case_id in case_ids:
        apply(dossier, CASES[case_id].values[0])
    code, stdout, stderr = run_in_process("validate", "--dossier", str(dossier.path))
    assert_input_error(code, stdout, stderr)
    for case_id in case_ids:
        _, file, line, field, message = CASES[case_id].values
        assert_problem(stderr, dossier.path, file, line, field, message)


def test_missing_dossier_folder_is_an_input_error(tmp_path):
    code, stdout, stderr = run_in_process("validate", "--dossier", str(tmp_path / "nowhere"))
    assert_input_error(code, stdout, stderr)
    assert_problem(stderr, tmp_path, "nowhere", None, "dossier", "not a folder")


# ---------------------------------------------------------------- the kz-uz dossier's sources


@pytest.fixture(scope="module")
def kz_uz() -> Dossier:
    return load_dossier(KZ_UZ)


def source_ids_cited_in_the_files(folder: Path) -> dict[str, set[str]]:
    """Every source id cited anywhere in the dossier's files, read by hand (not by the loader, which refuses a
    dossier citing an unknown source before any test could compare): file name → the ids it cites."""
    meta = read_yaml(folder / "dossier.yaml")
    cited = {"dossier.yaml": {target["source"] for target in meta.get("targets", []) if target.get("source")}}
    for name in ("trade.csv", "trade_mirror.csv", "events.csv", "commitments.csv"):
        if (folder / name).exists():
            cited[name] = {row["source"] for row in read_csv(folder / name) if row.get("source")}
    for path in sorted((folder / "areas").glob("*.md")):
        meta_area = front_matter(path)
        facts = {fact["source"] for fact in meta_area.get("key_facts") or [] if fact.get("source")}
        cited[f"areas/{path.name}"] = facts | set(meta_area.get("sources") or [])
    return cited


def test_kz_uz_cites_only_its_own_sources():
    known = {source["id"] for source in read_yaml(KZ_UZ / "dossier.yaml")["sources"]}
    cited = source_ids_cited_in_the_files(KZ_UZ)
    assert cited["trade.csv"] and cited["events.csv"] and cited["areas/energy.md"], "the files were not read"
    unknown = {name: sorted(ids - known) for name, ids in cited.items() if ids - known}
    assert unknown == {}, "source ids cited but not among the sources of dossier.yaml"


def test_kz_uz_cites_every_seed_and_every_source_with_a_file(kz_uz):
    cited = cited_sources(kz_uz)
    with_file = {source.id: source.file for source in kz_uz.sources.values() if source.file}
    assert {source_id for source_id in with_file if source_id not in cited} == set(), "sources with a file: that nothing cites"
    cited_files = {file for source_id, file in with_file.items() if source_id in cited}
    assert SEED_FILES - cited_files == set(), "seed documents that no cited source names"


def test_the_sources_with_a_file_are_exactly_the_seed_documents():
    """A source's `file` names a seed document: one not in the list is a typo or a document nobody has."""
    files = [source["file"] for source in read_yaml(KZ_UZ / "dossier.yaml")["sources"] if source.get("file")]
    assert sorted(files) == sorted(SEED_FILES), "each seed document named by exactly one source, and nothing else"
