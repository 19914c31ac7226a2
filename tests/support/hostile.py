"""What the hostile-input tests share: a canary planted in files no build may read, and edits of a dossier copy
for the case tables (each an `edit(dossier copy, outside folder)`)."""

from __future__ import annotations

from collections.abc import Callable

CANARY = "CANARY-5e1f-OUTSIDE-THE-ALLOWED-FOLDERS"  # planted in files no build may read


def text(name: str, old: str, new: str) -> Callable:
    return lambda dossier, outside: dossier.replace(name, old, new)


def cell(name: str, row: int, column: str, value: str) -> Callable:
    return lambda dossier, outside: dossier.set_cell(name, row, column, value)
