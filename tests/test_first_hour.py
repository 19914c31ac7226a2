"""A newcomer's first hour: starting a dossier, the command line's manners, progress, the organization's
templates folder, imports that keep translations, exports without float noise, catalogs that stay put."""

from __future__ import annotations

import csv
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import run_command, run_in_process
from support.paths import KZ_UZ, REPO_ROOT, VALID_DOSSIER
from support.read import docx_text, html_text, pdf_text

from reports import __version__

# ----------------------------------------------------------------------------------------------- reports init


@pytest.mark.slow
def test_init_writes_a_dossier_that_validates_and_builds_in_every_format(tmp_path: Path) -> None:
    folder = tmp_path / "arm-geo"
    done = run_in_process("init", str(folder), "--partners", "ARM,GEO")
    assert done.code == 0, done.describe()
    assert run_in_process("validate", "--dossier", str(folder)).code == 0
    built = run_in_process("build", "--dossier", str(folder), "--format", "pdf", "--format", "docx", "--format", "html",
                           "--out", str(tmp_path / "out"), seconds=300)  # fmt: skip
    assert built.code == 0, built.describe()
    # the partners' names in Russian: one note shows them (every audience and format in Russian is built from
    # data/kz-uz by the `kz_russian` fixture of conftest.py)
    russian = run_in_process("build", "--dossier", str(folder), "--audience", "leadership", "--format", "pdf", "--lang", "ru",
                             "--out", str(tmp_path / "out"))  # fmt: skip
    assert russian.code == 0, russian.describe()
    out = tmp_path / "out" / "arm-geo"
    assert "Armenia–Georgia relations" in pdf_text(out / "ministry.en.pdf")
    assert "Армения" in pdf_text(out / "leadership.ru.pdf")
    assert "Example official visit" in docx_text(out / "ministry.en.docx")
    assert "Example key fact" in html_text(out / "press.en.html")


def test_every_file_of_a_new_dossier_explains_itself(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    assert run_in_process("init", str(folder)).code == 0
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    assert {path.name for path in files} >= {"dossier.yaml", "trade.csv", "events.csv", "commitments.csv", "people.csv"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".csv":
            rows = list(csv.DictReader(text.splitlines()))
            assert len(rows) == 1, path  # one example row
            assert any(cell.startswith("Example row:") for cell in rows[0].values()), path
        else:
            assert text.count("\n# ") >= 2 or text.startswith("# "), path  # YAML comments, front matter too
    assert "code: AAA" in (folder / "dossier.yaml").read_text()


@pytest.mark.parametrize("setup", ["file", "not empty"])
def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, setup: str) -> None:
    target = tmp_path / "taken"
    if setup == "file":
        target.write_text("mine")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    done = run_in_process("init", str(target))
    assert done.code == 2 and "Traceback" not in done.err
    assert done.err.startswith(f"{target}: folder: ")
    assert (target.read_text() if setup == "file" else (target / "notes.txt").read_text()) == "mine"


def test_init_checks_its_partners(tmp_path: Path) -> None:
    assert run_in_process("init", str(tmp_path / "a"), "--partners", "ARM").code == 2
    done = run_in_process("init", str(tmp_path / "b"), "--partners", "ARM,GEO", "--reporter", "KAZ")
    assert done.code == 2 and "'KAZ' is not one of --partners ARM,GEO" in done.err
    assert run_in_process("init", str(tmp_path / "c"), "--partners", "ARM,GEO", "--reporter", "GEO").code == 0
    assert "reporter: GEO" in (tmp_path / "c" / "dossier.yaml").read_text()


# ----------------------------------------------------------------------------------------------- the command line


@pytest.mark.slow
def test_version() -> None:
    done = run_command("--version")
    assert (done.code, done.out) == (0, f"reports {__version__}\n")


@pytest.mark.slow
def test_bare_reports_lists_every_command_with_a_line_each() -> None:
    done = run_command()
    assert done.code == 0, done.describe()
    for command in ("validate", "indicators", "build", "brief", "audiences", "import", "run", "init", "templates"):
        assert re.search(rf"^ +{command} +\S", done.out, re.M), command


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["biuld"], "unknown command 'biuld'; did you mean build?"),
        (["build", "--formt", "pdf"], "unknown option --formt; did you mean --format?"),
        (["validate", "--dosier=data/kz-uz"], "unknown option --dosier; did you mean --dossier?"),
    ],
)
def test_a_mistyped_command_or_option_gets_a_suggestion(args: list[str], message: str) -> None:
    done = run_in_process(*args)
    assert done.code == 2 and message in done.err and "Traceback" not in done.err


def test_indicators_infers_the_format_from_out(tmp_path: Path) -> None:
    for suffix in ("csv", "xlsx"):
        out = tmp_path / f"x.{suffix}"
        done = run_in_process("indicators", "--as-of", "2025-11-22", "--out", str(out))
        assert done.code == 0 and done.out.splitlines()[0] == str(out), done.describe()
        assert out.read_bytes()[:2] == (b"PK" if suffix == "xlsx" else b"ye")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--json", "--format", "csv", "--out", "x.csv"], "json"),
        (["--json", "--out", "x.csv"], "json"),
        (["--out", "x.txt"], "out"),
        (["--format", "csv"], "out"),
    ],
)
def test_indicators_options_that_would_be_ignored_are_errors(tmp_path: Path, args: list[str], field: str) -> None:
    done = run_in_process("indicators", *[str(tmp_path / a) if a.startswith("x.") else a for a in args])
    assert done.code == 2 and f": {field}: " in done.err and done.out == "", done.describe()
    assert list(tmp_path.iterdir()) == []


def test_csv_exports_have_no_float_noise(tmp_path: Path) -> None:
    out = tmp_path / "kz.csv"
    assert run_in_process("indicators", "--as-of", "2025-11-22", "--out", str(out)).code == 0
    cells = [cell for path in tmp_path.glob("*.csv") for row in csv.reader(path.open()) for cell in row]
    assert any(re.fullmatch(r"\d+\.\d+", cell) for cell in cells)  # fractions are there
    noisy = [cell for cell in cells if re.search(r"\.\d*(0{6,}|9{6,})\d", cell)]
    assert not noisy


# ----------------------------------------------------------------------------------------------- import


def test_import_needs_a_dossier_and_writes_nothing_without_one(tmp_path: Path) -> None:
    before = {path: path.read_bytes() for path in KZ_UZ.rglob("*") if path.is_file()}
    done = run_in_process("import", "comtrade", str(REPO_ROOT / "examples/imports/TradeData_KAZ_UZB_2022-2023.csv"))
    assert done.code == 2 and "--dossier" in done.err
    assert {path: path.read_bytes() for path in KZ_UZ.rglob("*") if path.is_file()} == before


@pytest.mark.slow
def test_import_keeps_translations_of_unchanged_values_and_says_what_it_dropped(tmp_path: Path) -> None:
    dossier = tmp_path / "kz-uz"
    shutil.copytree(KZ_UZ, dossier)
    download = REPO_ROOT / "examples/imports/TradeData_KAZ_UZB_2022-2023.csv"
    before = {row["year"]: row for row in csv.DictReader((dossier / "trade.csv").open(encoding="utf-8"))}
    done = run_in_process("import", "comtrade", str(download), "--dossier", str(dossier))
    assert done.code == 0, done.describe()
    after = {row["year"]: row for row in csv.DictReader((dossier / "trade.csv").open(encoding="utf-8"))}
    assert before["2022"]["note_ru"] and not after["2022"]["note_ru"]  # its note was replaced: translated no more
    assert f"{dossier / 'trade.csv'}: note_ru: year 2022: dropped" in done.err
    untouched = [year for year in before if year not in ("2022", "2023")]
    assert all(after[year] == before[year] for year in untouched)
    # a second download of the same file with a revised figure: the note stays, so its translation stays
    rows = (dossier / "trade.csv").read_text(encoding="utf-8").splitlines()
    rows = [row.rstrip(",") + ",перевод примечания" if row.startswith("2022,") else row for row in rows]
    (dossier / "trade.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    revised = tmp_path / download.name
    lines = download.read_text(encoding="utf-8").splitlines()
    revised.write_text("\n".join([lines[0], lines[1].replace("1412345678", "1412445678"), *lines[2:]]) + "\n", encoding="utf-8")
    done = run_in_process("import", "comtrade", str(revised), "--dossier", str(dossier))
    assert done.code == 0, done.describe()
    again = {row["year"]: row for row in csv.DictReader((dossier / "trade.csv").open(encoding="utf-8"))}
    assert again["2022"]["exports"] == "1412.446" and again["2022"]["note_ru"] == "перевод примечания"
    assert "dropped" not in done.err


# ----------------------------------------------------------------------------------------------- progress


def _build_args(out: Path) -> list[str]:
    """Two documents, so the progress counts to 2: the ministry report as HTML (no note to fit) in English and Russian."""
    return ["build", "--dossier", str(VALID_DOSSIER), "--format", "html", "--audience", "ministry",
            "--lang", "en", "--lang", "ru", "--as-of", "2024-01-01", "--out", str(out)]  # fmt: skip


@pytest.mark.slow
def test_a_log_gets_the_paths_and_verbose_a_line_per_document_and_a_summary(tmp_path: Path) -> None:
    done = run_command(*_build_args(tmp_path))
    paths = [str(tmp_path / "north-south" / f"ministry.{lang}.html") for lang in ("en", "ru")]
    assert (done.out.splitlines(), done.err) == (paths, "")  # a pipe: the paths, as scripts read them
    verbose = run_in_process(*_build_args(tmp_path), "--verbose")
    lines = [re.sub(r"\d+\.\d\d? s", "T s", line) for line in verbose.err.splitlines()]
    assert lines == [f"[1/2]   T s  {paths[0]}", f"[2/2]   T s  {paths[1]}", f"2 files written to {tmp_path}/north-south in T s"]
    quiet = run_in_process(*_build_args(tmp_path), "--quiet")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")


@pytest.mark.slow
def test_a_terminal_sees_each_document_as_it_finishes(tmp_path: Path) -> None:
    """stderr a terminal (a pseudo-terminal here): a numbered line per document, with no --verbose."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "reports", *_build_args(tmp_path)], cwd=REPO_ROOT,
                               stdout=subprocess.PIPE, stderr=terminal, text=True)  # fmt: skip
    os.close(terminal)
    stdout, _ = process.communicate(timeout=300)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    assert process.returncode == 0 and len(stdout.splitlines()) == 2
    assert re.search(rb"\[1/2\] +\d+\.\d\d s  \S+ministry\.en\.html", seen) and re.search(rb"\[2/2\] .*ministry\.ru\.html", seen)


# ----------------------------------------------------------------------------------------------- brief


@pytest.mark.slow
def test_a_pack_on_an_event_that_is_not_public_skips_the_press(tmp_path: Path) -> None:
    done = run_in_process("brief", "--dossier", str(VALID_DOSSIER), "--event", "secret-talks", "--format", "html",
                          "--as-of", "2023-12-01", "--out", str(tmp_path))  # fmt: skip
    assert done.code == 0, done.describe()
    assert sorted(path.name for path in (tmp_path / "north-south").iterdir()) == [
        "brief-secret-talks.leadership.en.html", "brief-secret-talks.ministry.en.html",
    ]  # fmt: skip
    assert "skipped the 'press' pack: 'secret-talks' is not public" in done.err
    named = run_in_process("brief", "--dossier", str(VALID_DOSSIER), "--event", "secret-talks", "--format", "html",
                           "--as-of", "2023-12-01", "--out", str(tmp_path / "named"), "--audience", "press")  # fmt: skip
    assert named.code == 2 and "is not public" in named.err


# ----------------------------------------------------------------------------------------------- templates/


@pytest.mark.slow
def test_the_shipped_templates_folder_changes_nothing_until_an_example_is_enabled(tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "templates", tmp_path / "templates")
    args = ["build", "--dossier", str(VALID_DOSSIER), "--format", "html", "--lang", "ru", "--audience", "ministry",
            "--as-of", "2024-01-01"]  # fmt: skip
    plain = run_in_process(*args, "--out", str(tmp_path / "plain"), "--templates", str(tmp_path / "nothing-here"))
    assert plain.code == 2  # an explicit folder that is missing is an error, not ignored
    (tmp_path / "empty").mkdir()
    plain = run_in_process(*args, "--out", str(tmp_path / "plain"), "--templates", str(tmp_path / "empty"))
    shipped = run_in_process(*args, "--out", "shipped", cwd=tmp_path)  # templates/ of the folder it runs in
    assert plain.code == 0 and shipped.code == 0, shipped.describe()
    html = "north-south/ministry.ru.html"
    assert (tmp_path / "shipped" / html).read_bytes() == (tmp_path / "plain" / html).read_bytes()
    for example in (tmp_path / "templates").rglob("*.example"):
        example.rename(example.with_suffix(""))
    (tmp_path / "templates/briefing.css").write_text(":root { --accent: #7a1f2b; }\n")
    enabled = run_in_process(*args, "--out", "enabled", cwd=tmp_path)
    assert enabled.code == 0, enabled.describe()
    text = (tmp_path / "enabled" / html).read_text()
    assert "Оглавление" in html_text(tmp_path / "enabled" / html) and "#7a1f2b" in text
    listing = run_in_process("audiences", cwd=tmp_path)
    assert listing.out.startswith(f"desk-note ({tmp_path / 'templates/audiences/desk-note.yaml'})")
    other = run_in_process("audiences", "--templates", str(tmp_path / "empty"))
    assert "desk-note" not in other.out  # --templates wins over templates/


def test_templates_copy_starts_from_a_built_in_template(tmp_path: Path) -> None:
    target = tmp_path / "templates"
    done = run_in_process("templates", "copy", "press", "--to", str(target))
    assert done.code == 0 and done.out == f"{target / 'audiences/press.yaml'}\n"
    assert (target / "audiences/press.yaml").read_bytes() == (REPO_ROOT / "reports/templates/audiences/press.yaml").read_bytes()
    assert run_in_process("templates", "copy", "briefing.css", "--to", str(target)).code == 0
    again = run_in_process("templates", "copy", "press", "--to", str(target))
    assert again.code == 2 and "exists already" in again.err
    unknown = run_in_process("templates", "copy", "presss", "--to", str(target))
    assert unknown.code == 2 and "known: " in unknown.err


# ----------------------------------------------------------------------------------------------- catalogs


@pytest.mark.slow
def test_make_catalogs_twice_changes_nothing(tmp_path: Path) -> None:
    """The second run (and a message that only moved) leaves the catalogs byte-identical: no date, no line churn."""
    for name in ("Makefile", "babel.cfg", "reports"):
        source = REPO_ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    venv = REPO_ROOT / ".venv"
    make = ["make", "-s", "catalogs", f"VENV={venv}", "-o", str(venv / ".installed")]
    catalogs = [tmp_path / "reports/templates/locale/reports.pot", *tmp_path.glob("reports/templates/locale/*/LC_MESSAGES/*.po")]
    subprocess.run(make, cwd=tmp_path, check=True, capture_output=True)
    first = [path.read_bytes() for path in catalogs]
    context = tmp_path / "reports/briefing/context.py"
    context.write_text("\n\n" + context.read_text())  # every message of the file moves two lines down
    subprocess.run(make, cwd=tmp_path, check=True, capture_output=True)
    assert [path.read_bytes() for path in catalogs] == first


def test_run_searches_the_templates_folder_beside_its_jobs_file(tmp_path: Path) -> None:
    shutil.copytree(VALID_DOSSIER, tmp_path / "dossier")
    jobs = tmp_path / "reports.yaml"
    job = "{name: desk, dossier: dossier, audiences: [desk-note], formats: [html], out: build, schedule: '@monthly'}"
    jobs.write_text(f"jobs:\n  - {job}\n")
    assert run_in_process("run", "--jobs", str(jobs), "--dry-run").code == 2  # no such audience yet
    (tmp_path / "templates/audiences").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "examples/house-style/audiences/desk-note.yaml", tmp_path / "templates/audiences")
    done = run_in_process("run", "--jobs", str(jobs), "--dry-run")
    assert done.code == 0 and f"would build {tmp_path}/build/north-south/desk-note.en.html" in done.out, done.describe()
