"""The package stays readable in pieces (docs/architecture.md): no module over MAX_MODULE_LINES lines and no class
over MAX_CLASS_LINES. A module or class that grows past them is split by subject, as reports/briefing/sections/ is."""

from __future__ import annotations

import ast
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
