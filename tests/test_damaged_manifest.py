"""`reports run` with a damaged `manifest.json`: a FIFO (which hung the run holding its lock), a link to
/dev/zero (MemoryError), JSON nested 100,000 deep (RecursionError on every run), bytes that are not UTF-8. Each
is one warning; every document counts as stale and is built, and the run saves a sound manifest in its place."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.paths import VALID_DOSSIER

pytestmark = pytest.mark.slow

AUDIENCES = ("leadership", "ministry", "press")


def fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def nested_json(path: Path) -> None:
    path.write_text("[" * 100_000, encoding="utf-8")


def not_utf8(path: Path) -> None:
    path.write_bytes(b'{"version": 1, "outputs": {"\x87": 1}}')


@pytest.mark.parametrize("damage", [fifo, link_to_dev_zero, nested_json, not_utf8], ids=lambda damage: damage.__name__)
def test_a_damaged_manifest_is_one_warning_and_every_document_is_built(tmp_path: Path, damage):
    shutil.copytree(VALID_DOSSIER, tmp_path / "dossier")
    jobs = tmp_path / "reports.yaml"
    jobs.write_text(
        textwrap.dedent("""\
        jobs:
          - {name: north, dossier: dossier, formats: [html], out: out, schedule: "@monthly"}
        """),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    damage(out / "manifest.json")
    result = run_in_process("run", "--jobs", str(jobs), "--workers", "1", "--now", "2025-11-10T06:00")
    assert result.code == 0, result.describe()
    assert "Traceback" not in result.err
    assert "still running after" not in result.err, "the run hung on the manifest until the test's deadline"
    warnings = [line for line in result.err.splitlines() if "manifest.json: manifest: unreadable" in line]
    assert len(warnings) == 1, result.err
    assert "every output counts as stale" in warnings[0]
    for audience in AUDIENCES:
        assert (out / "north-south" / f"{audience}.en.html").is_file()
    manifest = out / "manifest.json"
    assert manifest.is_file() and not manifest.is_symlink()
    assert set(json.loads(manifest.read_text(encoding="utf-8"))["outputs"]) == {
        f"north-south/{audience}.en.html" for audience in AUDIENCES
    }
