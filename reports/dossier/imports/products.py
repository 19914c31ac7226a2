"""Product rows of an import (HS chapters or headings) into products.csv: the reporter's own rows only, each
(year, flow) the files hold replacing that year and flow of the file as a whole, so a product that left the
download leaves the dossier too. The other partner's product rows are not imported: products.csv is the
reporter's, as trade.csv is.

Where a file gives both levels for one year and flow, the chapters are kept (a heading is a part of its chapter,
and shares of one year's trade must not count a value twice).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from reports.dossier.imports.formats import Flow, ImportFile
from reports.dossier.model import Dossier
from reports.dossier.products import PRODUCTS_FILE
from reports.dossier.vocabulary import PRODUCT_COLUMNS
from reports.errors import ProblemCollector


@dataclass(frozen=True)
class ProductChange:
    """One (year, flow) of products.csv replaced: how many rows it had and has, and their total value."""

    year: int
    flow: str
    before: int
    after: int
    total_before: float
    total_after: Decimal
    source: str


def product_rows(dossier: Dossier, files: list[ImportFile], problems: ProblemCollector) -> dict[tuple[int, str], list[Flow]]:
    """The reporter's product flows by (year, flow), one level each (chapters where both are given), no repeat."""
    groups: dict[tuple[int, str], dict[str, Flow]] = {}
    for file in files:
        for flow in file.products:
            if flow.reporter != dossier.reporter:
                continue
            group = groups.setdefault((flow.year, flow.direction), {})
            first = group.setdefault(flow.code, flow)
            if first is not flow and first.value != flow.value:
                problems.add(
                    flow.path,
                    flow.line,
                    flow.column,
                    f"{flow.reporter}'s {flow.direction} of {flow.code} for {flow.year} are {flow.value:f} here but "
                    f"{first.value:f} on {first.path}:{first.line}; import one of the two",
                )
    chosen = {}
    for key, group in groups.items():
        level = min(len(code) for code in group)
        chosen[key] = sorted((f for f in group.values() if len(f.code) == level), key=lambda f: f.code)
    return chosen


def plan_products(
    dossier: Dossier,
    groups: dict[tuple[int, str], list[Flow]],
    source_of: Callable[[Flow], str],
    in_unit: Callable[[Decimal], Decimal],
) -> list[ProductChange]:
    """A change for every (year, flow) whose rows differ from what the dossier holds."""
    changes = []
    for (year, flow), rows in sorted(groups.items()):
        old = {p.code: p for p in dossier.products if (p.year, p.flow) == (year, flow)}
        new = {f.code: (in_unit(f.value), source_of(f)) for f in rows}
        same = old.keys() == new.keys() and all(
            Decimal(str(old[code].value)) == value and old[code].source == source for code, (value, source) in new.items()
        )
        if not same:
            changes.append(
                ProductChange(
                    year,
                    flow,
                    len(old),
                    len(new),
                    sum(p.value for p in old.values()),
                    sum((value for value, _ in new.values()), Decimal(0)),
                    source_of(rows[0]),
                )
            )
    return changes


def products_csv(
    folder: Path,
    dossier: Dossier,
    groups: dict[tuple[int, str], list[Flow]],
    changes: list[ProductChange],
    source_of: Callable[[Flow], str],
    in_unit: Callable[[Decimal], Decimal],
    plain: Callable[[Decimal | float], str],
) -> str:
    """products.csv with the changed (year, flow)s replaced, every other row as it was; sorted by year, flow and
    value. A product's `name_<lang>` columns are kept for the codes it already had."""
    path = folder / PRODUCTS_FILE
    text = path.read_text(encoding="utf-8-sig") if path.exists() else ""
    records = list(csv.DictReader(io.StringIO(text, newline=""))) if text else []
    columns = [name.strip() for name in next(csv.reader(io.StringIO(text, newline="")), PRODUCT_COLUMNS)] if text else []
    columns = columns or list(PRODUCT_COLUMNS)
    replaced = {(change.year, change.flow) for change in changes}
    written = {(str(year), flow) for year, flow in replaced}
    kept = [r for r in records if (r.get("year", "").strip(), r.get("flow", "").strip()) not in written]
    translations = {(r.get("flow", "").strip(), r.get("code", "").strip()): r for r in records}
    for year, flow in sorted(replaced):
        for item in groups[(year, flow)]:
            record = {name: value for name, value in translations.get((flow, item.code), {}).items() if name.startswith("name_")}
            record.update(
                year=str(year),
                flow=flow,
                code=item.code,
                name=item.name or item.code,
                value=plain(in_unit(item.value)),
                source=source_of(item),
            )
            kept.append(record)

    def order(record: Mapping[str, str]) -> tuple[str, str, float, str]:
        value = record.get("value", "").strip()
        return (record.get("year", ""), record.get("flow", ""), -float(value) if _number(value) else 0.0, record.get("code", ""))

    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(kept, key=order))
    return out.getvalue()


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def product_changes_lines(changes: list[ProductChange], plain: Callable[[Decimal | float], str]) -> list[str]:
    """The dry run's word on products.csv: one line per (year, flow) replaced."""
    return [
        f"{PRODUCTS_FILE}: {c.year} {c.flow}: {c.before} products ({plain(c.total_before)}) → {c.after} ({plain(c.total_after)})"
        for c in changes
    ]
