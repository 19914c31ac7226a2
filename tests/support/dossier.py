"""A copy of a dossier folder that a test may break, one file at a time."""

from __future__ import annotations

import csv
import io
from pathlib import Path


class DossierCopy:
    """A copy of a dossier folder that a test may break, one file at a time.

    `name` is a path relative to the dossier folder, e.g. "trade.csv" or "areas/trade.md".
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text, encoding="utf-8", newline="")

    def replace(self, name: str, old: str, new: str) -> None:
        """Replace the one occurrence of `old` (a test whose `old` is missing or ambiguous fails here)."""
        text = self.read(name)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}, expected once"
        self.write(name, text.replace(old, new))

    def set_cell(self, name: str, row: int, column: str, value: str) -> None:
        """Rewrite one CSV cell. `row` counts records with the header as 1 (the line, while no cell spans lines)."""
        records = list(csv.reader(io.StringIO(self.read(name), newline="")))
        assert 2 <= row <= len(records), f"{name} has no row {row}"
        records[row - 1][records[0].index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(records)
        self.write(name, out.getvalue())
