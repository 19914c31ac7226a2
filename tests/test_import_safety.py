"""`reports import` checks the dossier as it would be after the import in a scratch copy: the copy never follows a
link or reads a FIFO, a dry run makes no copy at all, the scratch folder goes whatever happens, and a problem
names the real dossier, never the scratch folder. A downloaded archive given instead of its CSV says so."""

from __future__ import annotations

import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.paths import REPO_ROOT, TESTS

SCENARIO = TESTS / "dossiers" / "import"
PLUS = TESTS / "imports" / "comtrade_plus.csv"


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder temporary files go to during the test (empty at the start)."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The import scenario with a link to its own folder (followed, an endless copy), a FIFO, and a link to a FIFO
    outside, which stands for a link to `/dev/zero` (followed, a copy until the disk is full: not tried here)."""
    folder = Path(shutil.copytree(SCENARIO, tmp_path / "dossier"))
    (folder / "loop").symlink_to(".")
    os.mkfifo(folder / "pipe")
    os.mkfifo(tmp_path / "outside-pipe")
    (folder / "endless").symlink_to(tmp_path / "outside-pipe")
    return folder


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_links_and_fifos_in_the_dossier_are_not_followed_and_nothing_is_left_behind(hostile: Path, scratch: Path, dry_run: bool):
    result = run_in_process("import", "comtrade", str(PLUS), "--dossier", str(hostile), *(["--dry-run"] if dry_run else []))
    assert result.code == 0, result.describe()
    assert ("dry run: nothing written" in result.out) == dry_run
    assert (str(hostile / "trade.csv") in result.out) != dry_run
    assert list(scratch.iterdir()) == []


def test_a_problem_of_the_imported_dossier_names_the_dossier_not_the_scratch_copy(tmp_path: Path, scratch: Path):
    folder = Path(shutil.copytree(SCENARIO, tmp_path / "dossier"))
    (folder / "areas").mkdir(exist_ok=True)
    (folder / "areas" / "escape.md").symlink_to("../../outside.md")
    (tmp_path / "outside.md").write_text("---\ntitle: Outside\n---\nText.\n", encoding="utf-8")
    result = run_in_process("import", "comtrade", str(PLUS), "--dossier", str(folder))
    assert result.code == 2, result.describe()
    assert f"{folder / 'areas' / 'escape.md'}: file: links outside the dossier" in result.err, result.describe()
    assert str(scratch) not in result.err and "reports-import-" not in result.err


def test_a_zip_download_given_as_the_file_says_it_is_an_archive(tmp_path: Path):
    download = tmp_path / "comtrade.csv"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("comtrade.csv", PLUS.read_bytes())
    download.write_bytes(buffer.getvalue())
    folder = Path(shutil.copytree(SCENARIO, tmp_path / "dossier"))
    result = run_in_process("import", "comtrade", str(download), "--dossier", str(folder), "--dry-run")
    assert result.code == 2, result.describe()
    assert f"{download}: file: is a compressed archive" in result.err, result.describe()
    assert "UTF-8" not in result.err


def test_a_scratch_copy_that_cannot_be_written_names_the_dossier(tmp_path: Path):
    """The kernel refuses files over 100 KB (a real EFBIG, as a full disk's ENOSPC): the copy of a 200 KB file fails."""
    folder = Path(shutil.copytree(SCENARIO, tmp_path / "dossier"))
    (folder / "notes.txt").write_bytes(b"x" * 200_000)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    before = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    completed = subprocess.run(
        [sys.executable, "-m", "reports", "import", "comtrade", str(PLUS), "--dossier", str(folder)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, preexec_fn=limit_file_size,
        env={**os.environ, "TMPDIR": str(scratch)},
    )  # fmt: skip
    assert completed.returncode == 1, completed.stderr
    assert f"\n{folder}: write: File too large (in the scratch copy" in completed.stderr, completed.stderr
    assert str(scratch) not in completed.stderr and "Traceback" not in completed.stderr
    assert list(scratch.iterdir()) == []
    assert {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()} == before
