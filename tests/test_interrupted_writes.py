"""A build killed while it renames its files into place (SIGKILL or SIGTERM after the first of several renames):
SIGTERM waits for the last rename; after SIGKILL the next write to the folder finishes the renames the journal
lists and removes the killed build's temporary files, so the set ends up whole and new (docs/security.md).

The kill is real: a `reports build` in a new process whose `os.replace` sends the signal to its own process
right after the first rename, the moment no test could otherwise hit."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.paths import REPO_ROOT, VALID_DOSSIER

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


def build_args(out: Path, *more: str) -> list[str]:
    return ["build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(out), *more]


def html_files(out: Path) -> dict[str, bytes]:
    return {audience: (out / "north-south" / f"{audience}.en.html").read_bytes() for audience in AUDIENCES}


def leftovers(out: Path) -> list[str]:
    return sorted(path.name for path in (out / "north-south").iterdir() if path.name.startswith("."))


@pytest.fixture
def old_and_new(tmp_path: Path) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """An out folder holding the html of the valid dossier as of 2024 (old); the bytes of 2025's (new)."""
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert run_in_process(*build_args(fresh, "--format", "html")).code == 0
    old_args = build_args(out, "--format", "html")
    old_args[old_args.index("2025-06-30")] = "2024-06-30"
    assert run_in_process(*old_args).code == 0
    old, new = html_files(out), html_files(fresh)
    assert all(old[audience] != new[audience] for audience in AUDIENCES)
    return out, old, new


def killed_build(signal_number: int, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", KILLED_AFTER_FIRST_RENAME, str(signal_number), *build_args(out, "--format", "html")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_sigterm_during_the_renames_waits_for_the_last_one(old_and_new):
    out, _, new = old_and_new
    killed = killed_build(signal.SIGTERM, out)
    assert killed.returncode == -signal.SIGTERM, killed.stderr
    assert html_files(out) == new
    assert leftovers(out) == []


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
    result = run_in_process(*build_args(out, "--format", "docx", "--audience", "press"))
    assert result.code == 0, result.describe()
    assert html_files(out) == new
    assert leftovers(out) == []


def test_a_killed_writers_temporary_files_go_with_the_next_write(tmp_path: Path):
    """A build killed while it wrote its temporary files (no journal yet): the old files stay, and the next build
    removes the temporary files at once, not ten minutes later."""
    out = tmp_path / "out"
    assert run_in_process(*build_args(out, "--format", "html", "--audience", "press")).code == 0
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = out / "north-south" / f".press.en.html.{dead.stdout.strip()}.abcd1234.tmp"
    left.write_bytes(b"half a file")
    assert run_in_process(*build_args(out, "--format", "html", "--audience", "press")).code == 0
    assert not left.exists()
