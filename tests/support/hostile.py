"""What the hostile-input tests share: a canary planted in files no build may read (the `canary` fixture of
conftest.py), edits of a dossier copy for the case tables (each an `edit(dossier copy, outside folder)`), an out
folder seeded with previous files, and the checks that a failed build names its problem, leaks nothing and leaves
those files as they were."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from support.cli import Result
from support.paths import VALID_ID

CANARY = "CANARY-5e1f-OUTSIDE-THE-ALLOWED-FOLDERS"  # planted in files no build may read


def text(name: str, old: str, new: str) -> Callable:
    return lambda dossier, outside: dossier.replace(name, old, new)


def cell(name: str, row: int, column: str, value: str) -> Callable:
    return lambda dossier, outside: dossier.set_cell(name, row, column, value)


PREVIOUS = b"the previous good file\n"


def assert_problem(result: Result, path: Path | str, line: int | None, field: str, *words: str) -> str:
    """Exit 2, no traceback, and a `path:line: field: ...` line on stderr containing each of `words`."""
    assert result.code == 2, f"exit {result.code}\n{result.out}\n{result.err}"
    assert "Traceback" not in result.out + result.err, result.err
    where = f"{path}:{line}" if line is not None else f"{path}"
    lines = [text for text in result.err.splitlines() if text.startswith(f"{where}: {field}: ")]
    assert lines, f"no problem '{where}: {field}: ...' in:\n{result.err}"
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"
    return lines[0]


def seed(out: Path, names: tuple[str, ...]) -> dict[Path, bytes]:
    """An out folder holding a previous good file of each name; returns its snapshot."""
    for name in names:
        path = out / VALID_ID / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PREVIOUS)
    return snapshot(out)


def snapshot(out: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}


def assert_untouched(out: Path, before: dict[Path, bytes]) -> None:
    """No partial file, no temporary file left behind, the previous good files byte-identical."""
    assert not [path for path in out.rglob("*") if path.name.endswith(".tmp")], "a temporary file was left behind"
    assert snapshot(out) == before, "a failed build changed the out folder"


def assert_no_leak(result: Result, *more: str) -> None:
    for output in (result.out, result.err, *more):
        assert CANARY not in output, "content of a file outside the allowed folders leaked"


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    """Billion laughs: each level an anchored list of `width` aliases of the level before (width**levels values)."""
    lines = ["lol0: &lol0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * width) + "]" for level in range(1, levels)]
    return "\n".join(lines) + "\n"
