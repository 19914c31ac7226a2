"""An area's or a brief's Markdown file is bounded (200,000 bytes, some 30 pages): a 4 MB body took 26 s and
1.5 GB to load, outside any render limit, and a 4 MB body of `[` took `validate` 55 s. Now either is exit 2 at
once, naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS


@pytest.mark.parametrize("body", ["word " * 800_000, "[" * 4_000_000], ids=["4 MB of words", "4 MB of ["])
def test_a_huge_area_body_is_refused_naming_the_file(dossier: DossierCopy, body: str):
    dossier.write("areas/trade.md", dossier.read("areas/trade.md") + body)
    result = run_in_process("validate", "--dossier", str(dossier.path), seconds=20)
    assert result.code == 2, result.describe()
    assert "Traceback" not in result.err
    assert f"{dossier.path / 'areas' / 'trade.md'}: file: is " in result.err
    assert "more than the limit of 200000" in result.err, result.err


def test_a_huge_brief_is_refused_naming_the_file(tmp_path: Path):
    folder = Path(shutil.copytree(DOSSIERS / "brief", tmp_path / "dossier"))
    brief = folder / "briefs" / "summit-2025.md"
    brief.write_text(brief.read_text(encoding="utf-8") + "[" * 300_000, encoding="utf-8")
    result = run_in_process("validate", "--dossier", str(folder), seconds=20)
    assert result.code == 2, result.describe()
    assert f"{brief}: file: is " in result.err and "more than the limit of 200000" in result.err, result.err


def test_a_body_just_under_the_limit_loads(dossier: DossierCopy):
    text = dossier.read("areas/trade.md")
    dossier.write("areas/trade.md", text + "\n" + "word " * ((200_000 - len(text.encode("utf-8")) - 1) // 5))
    result = run_in_process("validate", "--dossier", str(dossier.path), seconds=20)
    assert result.code == 0, result.describe()
