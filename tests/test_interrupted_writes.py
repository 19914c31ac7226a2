"""Writes that fail or are cut short (docs/security.md, "All files or none" and "Killed runs").

A write that fails (a file size limit: a real EFBIG on the second of two files, for `build`, `run` and `import`)
leaves every previous file and says which path in one line. A build killed while it renames its files into place
(SIGKILL or SIGTERM after the first of several renames): SIGTERM waits for the last rename; after SIGKILL the next
write to the folder finishes the renames the journal lists and removes the killed build's temporary files, so the
set ends up whole and new. The kill is real: a `reports build` in a new process whose `os.replace` sends the
signal to its own process right after the first rename, the moment no test could otherwise hit. The workers of a
killed `reports run` end with it."""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.cli import Result, assert_no_traceback, build_args, run_in_process
from support.paths import REPO_ROOT, VALID_DOSSIER, VALID_ID

AUDIENCES = ("leadership", "ministry", "press")
KILLED_AFTER_FIRST_RENAME = """
import os, signal, sys
from reports.cli import main
rename = os.replace
def replace_then_signal(source, target):
    rename(source, target)
    os.kill(os.getpid(), int(sys.argv[1]))
os.replace = replace_then_signal
sys.exit(main(sys.argv[2:]))
"""


def html_files(out: Path) -> dict[str, bytes]:
    return {audience: (out / "north-south" / f"{audience}.en.html").read_bytes() for audience in AUDIENCES}


def leftovers(out: Path) -> list[str]:
    return sorted(path.name for path in (out / "north-south").iterdir() if path.name.startswith("."))


@pytest.fixture(scope="module")
def built_old_and_new(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """Built once for the module: an out folder holding the html of the valid dossier as of 2024 (old); the bytes of
    2025's (new)."""
    folder = tmp_path_factory.mktemp("old-and-new")
    out, fresh = folder / "out", folder / "fresh"
    assert run_in_process(*build_args(VALID_DOSSIER, fresh, "--format", "html")).code == 0
    old_args = build_args(VALID_DOSSIER, out, "--format", "html")
    old_args[old_args.index("2025-06-30")] = "2024-06-30"
    assert run_in_process(*old_args).code == 0
    old, new = html_files(out), html_files(fresh)
    assert all(old[audience] != new[audience] for audience in AUDIENCES)
    return out, old, new


@pytest.fixture
def old_and_new(built_old_and_new, tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A copy of the out folder of `built_old_and_new` for this test to write into, the old bytes, the new bytes."""
    out, old, new = built_old_and_new
    return Path(shutil.copytree(out, tmp_path / "out")), old, new


def killed_build(signal_number: int, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_FIRST_RENAME, str(signal_number),
         *build_args(VALID_DOSSIER, out, "--format", "html")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.mark.slow
def test_sigterm_during_the_renames_waits_for_the_last_one(old_and_new):
    out, _, new = old_and_new
    killed = killed_build(signal.SIGTERM, out)
    assert killed.returncode == -signal.SIGTERM, killed.stderr
    assert html_files(out) == new
    assert leftovers(out) == []


@pytest.mark.slow
def test_after_sigkill_during_the_renames_the_next_write_finishes_the_set(old_and_new):
    out, old, new = old_and_new
    killed = killed_build(signal.SIGKILL, out)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    files = html_files(out)
    assert sorted(audience for audience in AUDIENCES if files[audience] == new[audience]) == ["leadership"]  # the first
    assert [audience for audience in AUDIENCES if files[audience] == old[audience]] == ["ministry", "press"]
    assert len([name for name in leftovers(out) if name.endswith(".tmp")]) == 2
    assert len([name for name in leftovers(out) if name.startswith(".reports-replacing.")]) == 1
    # the next write to the folder, of another file: the Word version of one audience
    result = run_in_process(*build_args(VALID_DOSSIER, out, "--format", "docx", "--audience", "press"))
    assert result.code == 0, result.describe()
    assert html_files(out) == new
    assert leftovers(out) == []


@pytest.mark.slow
def test_a_killed_writers_temporary_files_go_with_the_next_write(tmp_path: Path):
    """A build killed while it wrote its temporary files (no journal yet): the old files stay, and the next build
    removes the temporary files at once, not ten minutes later. (The ministry's HTML: no PDF laid out to fit.)"""
    out = tmp_path / "out"
    assert run_in_process(*build_args(VALID_DOSSIER, out, "--format", "html", "--audience", "ministry")).code == 0
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = out / "north-south" / f".ministry.en.html.{dead.stdout.strip()}.abcd1234.tmp"
    left.write_bytes(b"half a file")
    assert run_in_process(*build_args(VALID_DOSSIER, out, "--format", "html", "--audience", "ministry")).code == 0
    assert not left.exists()


PREVIOUS = b"the previous good file\n"


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


@pytest.fixture(scope="module")
def size_between_html_and_pdf(tmp_path_factory: pytest.TempPathFactory) -> int:
    """A file-size limit that the press HTML files fit under and its PDFs do not, measured once for the module on a
    build without one."""
    probe = tmp_path_factory.mktemp("probe")
    result = run_in_process(*build_args(VALID_DOSSIER, probe, "--audience", "press", "--format", "html", "--format", "pdf"))
    assert result.code == 0, result.describe()
    html = max(path.stat().st_size for path in probe.rglob("*.html"))
    pdf = min(path.stat().st_size for path in probe.rglob("*.pdf"))
    assert html < pdf, "the test needs PDFs larger than the HTML files"
    return (html + pdf) // 2


def snapshot(out: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


@pytest.mark.slow
def test_a_write_failure_leaves_every_previous_file_and_says_which_path_in_one_line(tmp_path: Path, size_between_html_and_pdf):
    """The HTML files fit, the PDF does not: nothing is replaced, and the one error line names the PDF."""
    out = tmp_path / "out"
    names = ("press.en.html", "press.en.pdf", "press.ru.html", "press.ru.pdf")
    for name in names:
        (out / VALID_ID).mkdir(parents=True, exist_ok=True)
        (out / VALID_ID / name).write_bytes(PREVIOUS)
    before = snapshot(out)
    result = run_with_file_size_limit(
        size_between_html_and_pdf,
        *build_args(VALID_DOSSIER, out, "--audience", "press", "--format", "html", "--format", "pdf"),
    )
    assert result.code == 1, result.describe()
    assert_no_traceback(result)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.describe()
    assert re.match(rf"{re.escape(str(out / VALID_ID))}/press\.(en|ru)\.pdf: write: File too large", lines[0]), lines
    assert snapshot(out) == before, "a failed build replaced some of the files"
    assert not list(out.rglob("*.tmp")), "a temporary file was left behind"


@pytest.mark.slow
def test_a_run_that_cannot_write_never_says_nothing_written_when_something_was(tmp_path: Path, size_between_html_and_pdf):
    jobs = tmp_path / "jobs.yaml"
    out = tmp_path / "out"
    jobs.write_text(
        f"jobs:\n  - name: north\n    dossier: {VALID_DOSSIER}\n    out: {out}\n    audiences: [press]\n"
        '    langs: [en]\n    formats: [html, pdf]\n    schedule: "@daily"\n',
        encoding="utf-8",
    )
    result = run_with_file_size_limit(
        size_between_html_and_pdf, "run", "--jobs", str(jobs), "--workers", "1", "--now", "2025-06-30T08:00"
    )
    assert result.code == 1, result.describe()
    assert_no_traceback(result)
    assert "press.en.pdf: write: File too large" in result.err, result.describe()
    assert not (out / VALID_ID / "press.en.html").exists(), "one of the job's files was written, the other not"
    assert not list(out.rglob("*.tmp")), "a temporary file was left behind"


def test_out_that_is_a_regular_file_is_a_bad_argument(tmp_path: Path):
    out = tmp_path / "out"
    out.write_text("not a folder\n", encoding="utf-8")
    result = run_in_process(*build_args(VALID_DOSSIER, out, "--audience", "press", "--format", "html"))
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{out}: --out: " in result.err, result.describe()


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


@pytest.mark.slow
def test_the_next_build_removes_a_killed_builds_temporary_files(tmp_path: Path):
    out = tmp_path / "out"
    folder = out / VALID_ID
    folder.mkdir(parents=True)
    stale, fresh = folder / ".ministry.en.html.k1ll3d00.tmp", folder / ".ministry.en.html.wr1t1ng0.tmp"
    stale.write_bytes(b"half a file")
    fresh.write_bytes(b"another build writing now")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    result = run_in_process(*build_args(VALID_DOSSIER, out, "--audience", "ministry", "--format", "html"))
    assert result.code == 0, result.describe()
    assert not stale.exists(), "the stale temporary file of a killed build is still there"
    assert fresh.exists(), "a temporary file another build is writing at this moment was removed"
