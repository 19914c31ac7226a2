"""The layout check: every built-in audience x language x PDF, and the pre-summit packs, read back with
pdfplumber and held to a typesetter's rules (tests/layout_check.py says which, and the sizes).

The PDFs are the shared kz-uz builds of conftest.py (support/builds.py, built once per test run with the `reports`
command, as a user would): the briefings of data/kz-uz as of KZ_AS_OF in English (`kz_build`), Russian
(`kz_russian`), Kazakh and Uzbek (`kz_kk_uz`), and the packs for the November 2025 state visit in the four
languages (`kz_brief`). One test per PDF runs every check on it, so a failure lists every finding of that file,
"<check>: <file> p<page>: what"; each PDF is read once, by whichever test process runs its test, and let go after.
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
NAMES = sorted(path.stem for path in AUDIENCES.glob("*.yaml"))
PDFS = sorted(
    name for audience in NAMES for lang in LANGS for name in (f"{audience}.{lang}.pdf", f"brief-{KZ_EVENT}.{audience}.{lang}.pdf")
)  # fmt: skip


def folder_of(request: pytest.FixtureRequest, name: str) -> Path:
    """The folder of the shared build that holds `name` (only that build is asked for)."""
    lang = name.split(".")[-2]
    if name.startswith("brief-"):
        out, runs = request.getfixturevalue("kz_brief")
        assert all(run.code == 0 for run in runs), [run.describe() for run in runs]
        return out / "kz-uz"
    if lang == "en":
        build: Build = request.getfixturevalue("kz_build")
        assert build.run.code == 0, build.run.describe()
        return build.folder
    if lang == "ru":
        out, run = request.getfixturevalue("kz_russian")
        assert run.code == 0, run.describe()
        return out / "kz-uz"
    return request.getfixturevalue("kz_kk_uz")


def test_every_pdf_of_the_shared_builds_is_checked(
    kz_build: Build, kz_russian: tuple[Path, Result], kz_kk_uz: Path, kz_brief: tuple[Path, list[Result]]
) -> None:
    built = [*kz_build.folder.glob("*.pdf"), *(kz_russian[0] / "kz-uz").glob("*.pdf"), *kz_kk_uz.glob("*.pdf")]
    built += (kz_brief[0] / "kz-uz").glob("*.pdf")
    assert sorted(path.name for path in built) == PDFS


@pytest.mark.parametrize("name", PDFS)
def test_layout(request: pytest.FixtureRequest, name: str) -> None:
    settings = (AUDIENCES / f"{name.split('.')[-3]}.yaml").read_text(encoding="utf-8")
    summary = "depth: summary" in settings or "layout: note" in settings  # laid out on `@page note`
    document = layout_check.read(folder_of(request, name) / name, summary, CSS.read_text(encoding="utf-8"))
    findings = [f"{check}: {finding}" for check, run in sorted(layout_check.CHECKS.items()) for finding in run(document)]
    assert not findings, f"{len(findings)} finding(s):\n" + "\n".join(findings)
