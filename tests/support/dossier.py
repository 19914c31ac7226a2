"""A copy of a dossier folder that a test may break, one file at a time."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
from pathlib import Path

import yaml


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


def sources_out(dossier: Path, date: dt.date) -> set[str]:
    """The ids of the sources of a dossier published by `date` (an imprecise date counts as its last day), read
    from dossier.yaml here rather than by the code under test."""
    sources = yaml.safe_load((dossier / "dossier.yaml").read_text(encoding="utf-8"))["sources"]
    return {s["id"] for s in sources if last_day(str(s["date"])) <= date}


def known_events(dossier: Path, date: dt.date, pack_event: str = "") -> list[dict[str, str]]:
    """The rows of events.csv a briefing as of `date` shows (docs/dossier-format.md, "As of a date"): one begun by
    then whose source is out; one dated later that is planned, or whose source is out, or is the pack's event."""
    out = sources_out(dossier, date)
    rows = list(csv.DictReader(io.StringIO((dossier / "events.csv").read_text(encoding="utf-8"))))

    def known(row: dict[str, str]) -> bool:
        if row["id"] == pack_event:
            return True
        if last_day(row["date"], first=True) <= date:
            return row["source"] in out
        return row.get("status") == "planned" or row["source"] in out

    return [row for row in rows if known(row)]


def last_day(text: str, first: bool = False) -> dt.date:
    """The last (or `first`) day a date as the dossier writes it covers: `2025`, `2025-11`, `2025-11-14`."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 1 if first else calendar.monthrange(*parts)[1])
    return dt.date(parts[0], 1, 1) if first else dt.date(parts[0], 12, 31)
