"""A brief's Markdown nested deeper than the parser keeps is refused with its line, as an area's is: before, it
validated and the pack dropped the deepest item, the paragraph after it and the whole next section."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.paths import DOSSIERS

BRIEF = "briefs/summit-2025.md"
RISKS_ITEM = "- Westland may raise the bridge again.\n"


def nested_list(levels: int) -> str:
    return "".join(f"{'  ' * level}- level {level + 1}\n" for level in range(levels))


def nested_quotes(levels: int) -> str:
    return "> " * levels + "deep quote\n"


@pytest.mark.parametrize(("deep", "line_offset"), [(nested_list(10), 9), (nested_quotes(20), 0)], ids=["list", "quotes"])
def test_a_brief_nested_too_deeply_is_an_error_naming_its_line(tmp_path: Path, deep: str, line_offset: int):
    folder = Path(shutil.copytree(DOSSIERS / "brief", tmp_path / "dossier"))
    brief = folder / BRIEF
    text = brief.read_text(encoding="utf-8")
    first = text[: text.index(RISKS_ITEM) + len(RISKS_ITEM)].count("\n") + 2  # after a blank line
    brief.write_text(text.replace(RISKS_ITEM, RISKS_ITEM + "\n" + deep + "\nAFTER THE LIST.\n"), encoding="utf-8")
    result = run_in_process("validate", "--dossier", str(folder))
    assert result.code == 2, result.describe()
    assert "Traceback" not in result.err
    expected = f"{brief}:{first + line_offset}: body: lists or quotes are nested more than 9 levels deep"
    assert expected in result.err, result.describe()


def test_a_brief_as_deep_as_allowed_validates(tmp_path: Path):
    folder = Path(shutil.copytree(DOSSIERS / "brief", tmp_path / "dossier"))
    brief = folder / BRIEF
    brief.write_text(brief.read_text(encoding="utf-8").replace(RISKS_ITEM, RISKS_ITEM + "\n" + nested_list(9)), encoding="utf-8")
    result = run_in_process("validate", "--dossier", str(folder))
    assert result.code == 0, result.describe()
