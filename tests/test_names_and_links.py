"""Names that would become odd file names, and folders that are links: an audience file `..yaml` (which built
`...en.html`) or `.hidden.yaml` (a hidden file) is refused by name; a dossier's `briefs/` or `areas/` linked to
`/etc` is one problem, "links outside the dossier folder", instead of one per file of `/etc`."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import VALID_DOSSIER

AUDIENCE = "description: A note.\nmarking: PUBLIC\ndepth: summary\nsections: [key_figures]\n"


@pytest.mark.parametrize("name", ["..yaml", ".hidden.yaml"])
def test_an_audience_whose_name_is_not_a_name_is_refused(tmp_path: Path, name: str):
    house = tmp_path / "house"
    (house / "audiences").mkdir(parents=True)
    (house / "audiences" / name).write_text(AUDIENCE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_in_process(
        "build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(out), "--templates", str(house),
        "--format", "html",
    )  # fmt: skip
    assert result.code == 2, result.describe()
    assert f"{house / 'audiences' / name}: audience: '{name.removesuffix('.yaml')}' is not an audience name" in result.err
    assert not out.exists() or not [path for path in out.rglob("*") if path.name.startswith(".")]


@pytest.mark.parametrize("folder", ["briefs", "areas"])
def test_a_dossier_folder_linked_outside_is_one_problem(dossier: DossierCopy, folder: str):
    if (dossier.path / folder).exists():
        for path in (dossier.path / folder).iterdir():
            path.unlink()
        (dossier.path / folder).rmdir()
    (dossier.path / folder).symlink_to("/etc")
    result = run_in_process("validate", "--dossier", str(dossier.path))
    assert result.code == 2, result.describe()
    assert f"{dossier.path / folder}: folder: links outside the dossier folder" in result.err, result.err
    assert "passwd" not in result.err and "hostname" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err  # no follow-on "is not an area" either
