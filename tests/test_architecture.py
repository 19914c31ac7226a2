"""The package stays readable in pieces (docs/architecture.md): no module over MAX_MODULE_LINES lines and no class
over MAX_CLASS_LINES. A module or class that grows past them is split by subject, as reports/briefing/sections/ is.
Every file of the repository that a comment, a docstring, a template or a page names exists. (No import cycle:
an import-linter contract in pyproject.toml, run by `lint-imports`.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]  # not from helpers: this check needs nothing else
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 300
PACKAGE = REPO_ROOT / "reports"


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_package_has_modules_to_check() -> None:
    assert len(modules()) > 20


def test_no_module_is_over_the_limit() -> None:
    lengths = {path.relative_to(REPO_ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines()) for path in modules()}
    assert {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES} == {}


def test_no_class_is_over_the_limit() -> None:
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                lines = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if lines > MAX_CLASS_LINES:
                    long[f"{path.relative_to(REPO_ROOT).as_posix()}:{node.name}"] = lines
    assert long == {}


# A path into the repository as comments, docstrings, templates and docs write it: `reports/briefing/fit.py`,
# `docs/user-guide.md`; not one with a placeholder (`areas/<id>.md`) or inside another path (`/tmp/docs/x.md`).
MENTIONED_PATH = re.compile(r"(?<![\w/.-])(?:reports|docs|tests|benchmarks)/[\w./-]*\w\.(?:py|md|j2|css|yaml|po|pot)\b")
SKIPPED_FOLDERS = {".git", "build", "__pycache__", "node_modules"}
TEXT_SUFFIXES = {".py", ".md", ".j2", ".css", ".yaml", ".toml", ".po", ".pot", ".cfg", ".example", ".txt", ".csv"}


def repository_texts() -> list[Path]:
    return sorted(
        path
        for path in REPO_ROOT.rglob("*")
        if path.is_file()
        and (path.suffix in TEXT_SUFFIXES or path.name == "Makefile")
        and not any(part in SKIPPED_FOLDERS or part.startswith(".venv") for part in path.relative_to(REPO_ROOT).parts)
    )


def test_every_path_the_repository_mentions_exists() -> None:
    """A module or page that moved or went leaves no pointer to where it was: a comment, a docstring, a template or a
    page naming a file of the repository names one that exists."""
    missing = {
        f"{path.relative_to(REPO_ROOT).as_posix()}:{number}": mentioned
        for path in repository_texts()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
        for mentioned in MENTIONED_PATH.findall(line)
        if not (REPO_ROOT / mentioned).exists()
    }
    assert missing == {}
