"""The layout check: every built-in audience x language x PDF, and the pre-summit packs, read back with
pdfplumber and held to a typesetter's rules (tests/layout_check.py says which, and the sizes).

The PDFs are built once per test run (support/builds.py, `once`, shared by the pytest-xdist workers) with the
`reports` command, as a user would: the default briefings of data/kz-uz and the packs for the November 2025 state
visit. Each check is one test over all the files, so a failure lists every finding, "<file> p<page>: what".
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import layout_check
import pytest
from support.builds import once
from support.paths import REPO_ROOT

pytestmark = pytest.mark.slow

CSS = REPO_ROOT / "reports" / "templates" / "briefing.css"
AUDIENCES = REPO_ROOT / "reports" / "templates" / "audiences"
LANGS = ("en", "ru", "kk", "uz")  # Kazakh and Uzbek have no hyphenation patterns: long words must still fit
EVENT = "2025-11-state-visit-tashkent"


def _run(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "reports", *args], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _build(out: Path) -> dict:
    langs = [arg for lang in LANGS for arg in ("--lang", lang)]
    runs = [_run("build", "--dossier", "data/kz-uz", "--as-of", "2026-11-27", *langs, "--format", "pdf", "--out", str(out))]
    runs += [
        _run("brief", "--event", EVENT, "--dossier", "data/kz-uz", "--as-of", "2025-11-10", "--lang", lang,
             "--format", "pdf", "--out", str(out))
        for lang in LANGS
    ]  # fmt: skip
    for run in runs:
        stdout, stderr = run.communicate(timeout=900)
        assert run.returncode == 0, f"{' '.join(run.args[2:])} failed:\n{stdout}\n{stderr}"
    return {}


@pytest.fixture(scope="session")
def layout_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, layout_check.Document]:
    out, _ = once(tmp_path_factory, "layout-pdfs", _build)
    css = CSS.read_text(encoding="utf-8")
    documents = {}
    for path in sorted(out.rglob("*.pdf")):
        audience = path.name.split(".")[-3]
        settings = (AUDIENCES / f"{audience}.yaml").read_text(encoding="utf-8")
        summary = "depth: summary" in settings or "layout: note" in settings  # laid out on `@page note`
        documents[path.name] = layout_check.read(path, summary, css)
    return documents


def test_every_audience_and_language_is_checked(layout_pdfs: dict[str, layout_check.Document]) -> None:
    audiences = sorted(path.stem for path in AUDIENCES.glob("*.yaml"))
    expected = {f"{a}.{lang}.pdf" for a in audiences for lang in LANGS}
    expected |= {f"brief-{EVENT}.{a}.{lang}.pdf" for a in audiences for lang in LANGS}
    assert set(layout_pdfs) == expected


@pytest.mark.parametrize("check", sorted(layout_check.CHECKS))
def test_layout(layout_pdfs: dict[str, layout_check.Document], check: str) -> None:
    findings = [finding for document in layout_pdfs.values() for finding in layout_check.CHECKS[check](document)]
    assert not findings, f"{len(findings)} finding(s):\n" + "\n".join(findings)
