"""A folder with dossiers, a jobs file and an out folder, and `reports run` on it in this process: what the tests of
`reports run` and of the build engine share. Which documents a run rebuilt is read from its plain output
(`rendered PATH (...)`)."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from reports.cli import main
from support.dossier import DossierCopy
from support.paths import VALID_DOSSIER


@dataclass
class RunResult:
    code: int
    out: str
    err: str
    rendered: set[str]  # paths in the out folder, e.g. north-south/press.en.html
    due: set[str]  # jobs that --due found due


# An area only the audiences with restricted material see (the valid dossier's source `news`).
RESTRICTED_AREA = """---
title: Security
order: 3
summary: Border security.
restricted: true
key_facts:
  - {text: Patrols doubled, source: news}
sources: [news]
---
The services meet twice a year.
"""


class Workspace:
    """A folder with dossiers, a jobs file `reports.yaml` and the out folder `out`."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        self.jobs = root / "reports.yaml"
        self.out = root / "out"

    def dossier(self, name: str = "dossier", dossier_id: str | None = None, events: str = "") -> DossierCopy:
        copy = DossierCopy(Path(shutil.copytree(VALID_DOSSIER, self.root / name)))
        if dossier_id:
            copy.replace("dossier.yaml", "id: north-south", f"id: {dossier_id}")
        if events:
            copy.write("events.csv", copy.read("events.csv") + events)
        return copy

    def write_jobs(self, text: str) -> None:
        self.jobs.write_text(textwrap.dedent(text), encoding="utf-8")

    def run(self, *args: str, now: str = "2025-11-10T06:00") -> RunResult:
        self.capsys.readouterr()
        code = main(["run", "--jobs", str(self.jobs), "--workers", "1", "--now", now, *args])
        captured = self.capsys.readouterr()
        return RunResult(code, captured.out, captured.err, rendered_paths(captured.out, self.out), due_jobs(captured.out))

    def files(self) -> dict[str, bytes]:
        """Every output file by its path in the out folder (not the manifest or the lock)."""
        return {
            path.relative_to(self.out).as_posix(): path.read_bytes()
            for path in sorted(self.out.rglob("*"))
            if path.is_file() and path.parent != self.out
        }

    def manifest(self) -> dict:
        return json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))


def rendered_paths(output: str, out: Path) -> set[str]:
    return {
        Path(match).resolve().relative_to(out.resolve()).as_posix()
        for match in re.findall(r"^rendered (.+) \(\d+\.\d+ s\)$", output, re.MULTILINE)
    }


def due_jobs(output: str) -> set[str]:
    return set(re.findall(r"^(\S+): due: ", output, re.MULTILINE))
