"""Fixtures every test file may use: a throw-away copy of the minimal valid dossier and the
kz-uz outputs built once per test run (tests/support/builds.py) and shared by the files that read them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support.builds import FORMAT_ARGS, Build, in_a_new_process, shared_build, shared_run
from support.cli import Result
from support.dossier import DossierCopy
from support.hostile import CANARY
from support.paths import AUDIENCES, KZ_AS_OF, KZ_EVENT, KZ_UZ, VALID_DOSSIER
from support.render_process import keep_a_warm_render_process


@pytest.fixture(scope="session", autouse=True)
def warm_render_process() -> None:
    """Every test process keeps one render process for the builds its tests run in it
    (tests/support/render_process.py)."""
    keep_a_warm_render_process()


@pytest.fixture
def dossier(tmp_path: Path) -> DossierCopy:
    """A fresh copy of tests/dossiers/valid in tmp_path."""
    return DossierCopy(Path(shutil.copytree(VALID_DOSSIER, tmp_path / "dossier")))


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    """A folder outside every allowed folder, holding files whose content must never show up anywhere."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{CANARY}\n", encoding="utf-8")
    (outside / "secret.md").write_text(f"---\ntitle: {CANARY}\norder: 9\nsummary: {CANARY}\n---\n{CANARY}\n", encoding="utf-8")
    (outside / "trade.csv").write_text(f"year,exports,imports,turnover,status,source,note\n2018,,,1,official,stats,{CANARY}\n")
    return outside


# ---------------------------------------------------------------- kz-uz, built once per run

# The shared builds, the longest first. Built when a test first asks, one worker of pytest-xdist would build one while
# the other, needing it too, waited for it (a pack build: 20 s of one core idle); so each worker starts its share.
SHARED_BUILDS = ("kz_brief", "kz_kk_uz", "kz_build", "kz_russian")


@pytest.fixture(scope="session", autouse=True)
def shared_builds_split_between_workers(request: pytest.FixtureRequest) -> None:
    """Under pytest-xdist, worker N of M builds every Mth of SHARED_BUILDS that a selected test reads, before its first
    test (`make test-fast` selects none, and builds none); in one process each is built when first asked for."""
    worker, workers = os.environ.get("PYTEST_XDIST_WORKER"), int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if not worker:
        return
    needed = [name for name in SHARED_BUILDS if any(name in item.fixturenames for item in request.session.items)]
    for name in needed[int(worker.removeprefix("gw")) :: workers]:
        request.getfixturevalue(name)


@pytest.fixture(scope="session")
def kz_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """data/kz-uz as of KZ_AS_OF: every audience in pdf, docx and html, English. Built by the real command in a
    new process (UTC, hash seed 1): tests/test_sound_files.py builds it again in another time zone with another
    hash seed and compares the bytes."""
    runner = in_a_new_process({"TZ": "UTC", "PYTHONHASHSEED": "1"})
    return shared_build(tmp_path_factory, "kz-uz", KZ_UZ, KZ_AS_OF, AUDIENCES, runner)


@pytest.fixture(scope="session")
def kz_brief(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Result]]:
    """`reports brief` of data/kz-uz (the default dossier) for the November 2025 state visit as of 2025-11-10, every
    audience: English and Russian in PDF, Word and HTML, Kazakh and Uzbek in PDF (tests/test_layout.py). One set for
    every file that reads the pack (test_brief, test_note, test_layout, test_russian, test_kz_uz_as_of). (the output
    folder, the two runs)"""
    common = ("brief", "--event", KZ_EVENT, "--as-of", "2025-11-10", "--out", "{out}", "--format", "pdf")
    return shared_run(
        tmp_path_factory,
        "kz-uz-brief",
        (*common, "--format", "docx", "--format", "html", "--lang", "en", "--lang", "ru"),
        (*common, "--lang", "kk", "--lang", "uz"),
    )


@pytest.fixture(scope="session")
def kz_russian(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """data/kz-uz in Russian: every audience in PDF, Word and HTML as of KZ_AS_OF (the pack in Russian: `kz_brief`).
    The HTML is for tests/test_note.py, which compares the notes' three formats. (the output folder, the run)"""
    out, (run,) = shared_run(
        tmp_path_factory,
        "kz-uz-ru",
        ("build", "--dossier", str(KZ_UZ), "--lang", "ru", "--out", "{out}", *FORMAT_ARGS, "--as-of", KZ_AS_OF),
    )
    return out, run


@pytest.fixture(scope="session")
def kz_kk_uz(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/kz-uz in Kazakh and Uzbek as of KZ_AS_OF: every built-in audience as PDF, Word and HTML (read by
    tests/test_kazakh_uzbek.py and tests/test_layout.py). The folder of the documents."""
    out, (run,) = shared_run(
        tmp_path_factory,
        "kz-uz-kk-uz",
        ("build", "--dossier", str(KZ_UZ), "--lang", "kk", "--lang", "uz", "--out", "{out}", *FORMAT_ARGS, "--as-of", KZ_AS_OF),
    )
    assert run.code == 0, run.describe()
    return out / "kz-uz"


# ---------------------------------------------------------------- markers

# Files every test of which builds real documents, marked here because they declare no marker of their own:
# tests/test_run.py runs `reports run` over full builds in each test.
SLOW_FILES = (
    "test_run.py", "test_engine.py", "test_distributed.py", "test_delivery.py", "test_since.py", "test_serve.py",
    "test_serve_browser.py",
)  # fmt: skip


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of SLOW_FILES are `slow` (pyproject.toml, markers), so `make test-fast` leaves them out."""
    for item in items:
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
