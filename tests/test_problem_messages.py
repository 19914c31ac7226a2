"""What a problem says: one problem once (no follow-on errors where a broken source or area is named), and
never a list that ends in nothing ("known keys:" with no key)."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS


def test_a_source_with_a_bad_field_is_one_problem_not_one_per_citation(dossier: DossierCopy):
    dossier.replace("dossier.yaml", "date: 2019-03-01,", "date: someday,")
    result = run_in_process("validate", "--dossier", str(dossier.path))
    assert result.code == 2, result.describe()
    assert f"{dossier.path / 'dossier.yaml'}:" in result.err and "sources[0].date" in result.err, result.err
    assert "is not a source id" not in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1, result.err


def test_an_unknown_key_where_no_key_belongs_says_so(tmp_path: Path):
    """A brief's translation takes no front matter keys: the message said "known keys: " and nothing."""
    folder = Path(shutil.copytree(DOSSIERS / "brief", tmp_path / "dossier"))
    english = (folder / "briefs" / "summit-2025.md").read_text(encoding="utf-8")
    translation = folder / "briefs" / "summit-2025.ru.md"
    translation.write_text(english.replace("public_qa: false", "colour: red"), encoding="utf-8")
    result = run_in_process("validate", "--dossier", str(folder))
    assert result.code == 2, result.describe()
    assert f"{translation}:2: colour: unknown key; no key belongs here" in result.err, result.err
    assert "known keys: \n" not in result.err + "\n" and not result.err.rstrip().endswith("known keys:")
