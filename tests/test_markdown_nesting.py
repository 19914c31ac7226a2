"""Markdown nested deeper than the parser keeps (lists or quotes more than 9 levels deep, in an area or a brief)
is refused with its line: before, it validated and the briefing dropped the deepest item, the paragraph after it
and the whole next section. A list as deep as allowed keeps every item in every format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.cli import assert_no_traceback, build_args, run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS, VALID_ID
from support.read import docx_text, normalize, pdf_text

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


def nested_list(levels: int) -> str:
    return "".join(f"{'  ' * level}- level {level + 1} item\n" for level in range(levels))


def test_a_list_nested_too_deeply_is_reported_with_its_line_not_dropped(dossier: DossierCopy):
    body_line = len(dossier.read("areas/trade.md").splitlines()) + 2  # after a blank line
    dossier.write("areas/trade.md", dossier.read("areas/trade.md") + "\n" + nested_list(12) + "\nTAIL SENTENCE.\n")
    result = run_in_process("validate", "--dossier", str(dossier.path))
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    expected = f"{dossier.path / 'areas' / 'trade.md'}:{body_line + 9}: body: "
    assert any(line.startswith(expected) for line in result.err.splitlines()), result.describe()


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["pdf", "docx", "html"])
def test_a_list_as_deep_as_allowed_keeps_every_item(dossier: DossierCopy, tmp_path: Path, output_format: str):
    dossier.write("areas/trade.md", dossier.read("areas/trade.md") + "\n" + nested_list(9) + "\nTAIL SENTENCE.\n")
    out = tmp_path / "out"
    result = run_in_process(*build_args(dossier.path, out, "--audience", "ministry", "--format", output_format, "--lang", "en"))
    assert result.code == 0, result.describe()
    path = out / VALID_ID / f"ministry.en.{output_format}"
    text = {"pdf": pdf_text, "docx": docx_text, "html": lambda p: p.read_text(encoding="utf-8")}[output_format](path)
    text = normalize(text)  # a figure and the word after it are joined by a no-break space
    for level in range(1, 10):
        assert f"level {level} item" in text
    assert "TAIL SENTENCE." in text
