"""The layout check: every built-in audience x language x PDF, and the pre-summit packs, read back with
pdfplumber and held to a typesetter's rules (tests/layout_check.py says which, and the sizes).

The PDFs are the shared kz-uz builds of conftest.py (support/builds.py, built once per test run with the `reports`
command, as a user would): the briefings of data/kz-uz as of KZ_AS_OF in English (`kz_build`), Russian
(`kz_russian`), Kazakh and Uzbek (`kz_kk_uz`), and the packs for the November 2025 state visit in the four
languages (`kz_brief`). Each check is one test over all the files, so a failure lists every finding,
"<file> p<page>: what".
"""

from __future__ import annotations

from pathlib import Path

import layout_check
import pytest
from support.builds import Build
from support.cli import Result
from support.paths import KZ_EVENT, REPO_ROOT

pytestmark = pytest.mark.slow

CSS = REPO_ROOT / "reports" / "templates" / "briefing.css"
AUDIENCES = REPO_ROOT / "reports" / "templates" / "audiences"
LANGS = ("en", "ru", "kk", "uz")  # Kazakh and Uzbek have no hyphenation patterns: long words must still fit


@pytest.fixture(scope="session")
def layout_pdfs(
    kz_build: Build, kz_russian: tuple[Path, Result], kz_kk_uz: Path, kz_brief: tuple[Path, list[Result]]
) -> dict[str, layout_check.Document]:
    assert kz_build.run.code == 0, kz_build.run.describe()
    assert kz_russian[1].code == 0, kz_russian[1].describe()
    assert all(run.code == 0 for run in kz_brief[1]), [run.describe() for run in kz_brief[1]]
    paths = [*kz_build.folder.glob("*.en.pdf"), *(kz_russian[0] / "kz-uz").glob("*.ru.pdf"), *kz_kk_uz.glob("*.pdf")]
    paths += (kz_brief[0] / "kz-uz").glob(f"brief-{KZ_EVENT}.*.pdf")
    css = CSS.read_text(encoding="utf-8")
    documents = {}
    for path in sorted(paths):
        audience = path.name.split(".")[-3]
        settings = (AUDIENCES / f"{audience}.yaml").read_text(encoding="utf-8")
        summary = "depth: summary" in settings or "layout: note" in settings  # laid out on `@page note`
        documents[path.name] = layout_check.read(path, summary, css)
    return documents


def test_every_audience_and_language_is_checked(layout_pdfs: dict[str, layout_check.Document]) -> None:
    audiences = sorted(path.stem for path in AUDIENCES.glob("*.yaml"))
    expected = {f"{a}.{lang}.pdf" for a in audiences for lang in LANGS}
    expected |= {f"brief-{KZ_EVENT}.{a}.{lang}.pdf" for a in audiences for lang in LANGS}
    assert set(layout_pdfs) == expected


@pytest.mark.parametrize("check", sorted(layout_check.CHECKS))
def test_layout(layout_pdfs: dict[str, layout_check.Document], check: str) -> None:
    findings = [finding for document in layout_pdfs.values() for finding in layout_check.CHECKS[check](document)]
    assert not findings, f"{len(findings)} finding(s):\n" + "\n".join(findings)
