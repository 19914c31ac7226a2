"""Importing trade statistics into a dossier (docs/importing.md): files → changes → trade.csv, trade_mirror.csv, dossier.yaml.

The reporter's own statistics replace those years of `trade.csv`; the other partner's replace those years
of `trade_mirror.csv`, from its own side (§1: its exports are its exports to the reporter). Every other
line of the files stays as it was written, comments and layout of `dossier.yaml` included: rows are
replaced or inserted one record at a time and the new source is appended to the `sources:` list as text.
Nothing is written unless the whole resulting dossier validates; then each file is replaced atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from reports.dossier.imports.formats import Flow, ImportFile, read_import_file
from reports.dossier.imports.products import ProductChange, plan_products, product_changes_lines, product_rows, products_csv
from reports.dossier.load import load_dossier
from reports.dossier.model import Dossier, TradeRow
from reports.dossier.readers import copy_as_loaded, load_yaml
from reports.dossier.text import clean_text
from reports.errors import DossierError, Problem, ProblemCollector, ReportsError
from reports.files import WriteError, write_atomically

UNIT_DIVISORS = {"million": Decimal(10**6), "billion": Decimal(10**9)}
UNIT_QUANTA = {"million": Decimal("0.001"), "billion": Decimal("0.000001")}  # the nearest thousand US dollars
PUBLISHERS = {"comtrade": "United Nations Statistics Division (UN Comtrade)", "imf": "International Monetary Fund"}
SIDES = ("trade.csv", "trade_mirror.csv")
REPLACES = " Replaces "  # starts the part of a note that keeps the figures an import replaced


@dataclass(frozen=True)
class NewRow:
    """An imported year in the dossier's unit: always official, both flows known."""

    year: int
    exports: Decimal
    imports: Decimal
    source: str
    note: str
    status: str = "official"

    @property
    def turnover(self) -> Decimal:
        return self.exports + self.imports


@dataclass(frozen=True)
class Change:
    side: str  # "trade.csv" (the reporter's statistics) or "trade_mirror.csv" (the other partner's)
    reporter: str
    year: int
    old: TradeRow | None
    new: NewRow


@dataclass(frozen=True)
class NewSource:
    id: str
    title: str
    publisher: str
    date: dt.date
    file: str


@dataclass
class ImportPlan:
    """Everything an import would do, computed and validated before anything is written."""

    dossier: Dossier
    changes: list[Change]
    sources: list[NewSource]
    warnings: list[Problem]
    unchanged: int = 0  # years the files hold that the dossier already has, as imported
    product_changes: list[ProductChange] = field(default_factory=list)  # (year, flow)s of products.csv replaced
    outputs: dict[Path, bytes] = field(default_factory=dict)


# ---------------------------------------------------------------- from files to changes


def plan_import(kind: str, paths: list[Path], folder: Path, today: dt.date) -> ImportPlan:
    """Read the files and decide every change; raise ReportsError on bad input. Nothing is copied or written:
    `apply_import` checks the resulting dossier before it writes."""
    folder = Path(folder)
    dossier = load_dossier(folder)
    if dossier.currency != "USD":
        line = _yaml_line(folder / "dossier.yaml", "currency")
        raise ReportsError(
            Problem(
                str(folder / "dossier.yaml"),
                line,
                "currency",
                f"is {dossier.currency}: imported statistics are in US dollars, so only a USD dossier can take them "
                "(no exchange rate is applied)",
            )
        )
    problems = ProblemCollector()
    read = [read_import_file(kind, path, dossier.partners, problems) for path in dict.fromkeys(paths)]
    problems.raise_if_any(ReportsError)
    files = [f for f in read if f is not None]
    flows = _unique_flows(files, problems)
    problems.raise_if_any(ReportsError)

    sources = _sources_by_file(kind, files, today)
    by_year: dict[tuple[str, int], dict[str, Flow]] = {}
    for flow in flows:
        by_year.setdefault((flow.reporter, flow.year), {})[flow.direction] = flow
    formats = {f.path: f.format for f in files}
    changes, warnings, used, unchanged = [], [], {}, 0
    for (reporter, year), pair in sorted(by_year.items(), key=lambda item: (item[0][0] != dossier.reporter, item[0])):
        side = SIDES[0] if reporter == dossier.reporter else SIDES[1]
        if len(pair) < 2:
            (present,) = pair.values()
            missing = "imports" if present.direction == "exports" else "exports"
            warnings.append(
                Problem(
                    present.path,
                    present.line,
                    present.column,
                    f"skipped: {year} has {reporter}'s {present.direction} but no {missing} in the files; "
                    f"a row needs both, so {year} is not imported into {side}",
                )
            )
            continue
        old = {row.year: row for row in (dossier.trade if side == SIDES[0] else dossier.trade_mirror)}.get(year)
        source = sources[pair["exports"].path]
        new = NewRow(
            year,
            _in_unit(pair["exports"].value, dossier.unit),
            _in_unit(pair["imports"].value, dossier.unit),
            source.id,
            _note(pair, formats, old, source.id),
        )
        if old is not None and _same(old, new):
            unchanged += 1
            continue
        changes.append(Change(side, reporter, year, old, new))
        used[source.id] = source
    groups = product_rows(dossier, files, problems)
    problems.raise_if_any(ReportsError)

    def source_of(flow: Flow) -> str:
        return sources[flow.path].id

    def in_unit(value: Decimal) -> Decimal:
        return _in_unit(value, dossier.unit)

    product_changes = plan_products(dossier, groups, source_of, in_unit)
    for change in product_changes:
        used.update((sources[f.path].id, sources[f.path]) for f in groups[(change.year, change.flow)])
    new_sources = [s for s in used.values() if s.id not in dossier.sources]
    plan = ImportPlan(dossier, changes, new_sources, warnings, unchanged, product_changes)
    if changes or product_changes:
        plan.outputs = _outputs(folder, plan)
        if product_changes:
            text = products_csv(folder, dossier, groups, product_changes, source_of, in_unit, _plain)
            plan.outputs[folder / "products.csv"] = text.encode("utf-8")
    return plan


def _unique_flows(files: list[ImportFile], problems: ProblemCollector) -> list[Flow]:
    """One flow per (reporter, year, direction): a repeat with the same value is dropped, another value is a problem."""
    seen: dict[tuple[str, int, str], Flow] = {}
    for file in files:
        for flow in file.flows:
            key = (flow.reporter, flow.year, flow.direction)
            first = seen.setdefault(key, flow)
            if first is not flow and first.value != flow.value:
                problems.add(
                    flow.path,
                    flow.line,
                    flow.column,
                    f"{flow.reporter}'s {flow.direction} for {flow.year} are {flow.value:f} here but {first.value:f} "
                    f"on {first.path}:{first.line}; import one of the two",
                )
    return list(seen.values())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "file"


def _sources_by_file(kind: str, files: list[ImportFile], today: dt.date) -> dict[str, NewSource]:
    """A source per file, its id derived from the file name (`comtrade-tradedata-2024`), its title naming the file."""
    sources: dict[str, NewSource] = {}
    ids: set[str] = set()
    for file in files:
        name = Path(file.path).name
        stem = _slug(Path(name).stem)
        base = stem if stem.startswith(f"{kind}-") else f"{kind}-{stem}"
        source_id, number = base, 2
        while source_id in ids:  # two files of the same name from different folders
            source_id, number = f"{base}-{number}", number + 1
        ids.add(source_id)
        title = f"{file.format} data, file {name}, imported {today.isoformat()}"
        sources[file.path] = NewSource(source_id, title, PUBLISHERS[kind], today, name)
    return sources


def _in_unit(value: Decimal, unit: str) -> Decimal:
    return (value / UNIT_DIVISORS[unit]).quantize(UNIT_QUANTA[unit])


def _plain(value: Decimal | float | None) -> str:
    """A number as the CSV files write it: `4600`, `1534.568`; no exponent, no trailing zeros."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _note(pair: dict[str, Flow], formats: dict[str, str], old: TradeRow | None, source_id: str) -> str:
    """Where the figures come from, and the figures they replace (nothing of the old row is lost)."""
    exports, imports = pair["exports"], pair["imports"]
    if exports.path == imports.path:
        where = f"{Path(exports.path).name}, lines {exports.line} (exports) and {imports.line} (imports)"
    else:
        where = (
            f"{Path(exports.path).name} line {exports.line} (exports) and {Path(imports.path).name} line {imports.line} (imports)"
        )
    if exports.column == imports.column and exports.column.isdigit():  # a time series: the year is a column
        where += f", column {exports.column}"
    note = f"{formats[exports.path]}: {where}; US dollars converted to the dossier's unit."
    if old is None:
        return clean_text(note)
    if old.source == source_id:  # imported from this file before: keep what that import replaced
        kept = old.note.partition(REPLACES.strip())
        return clean_text(note + (REPLACES + kept[2].strip() if kept[1] else ""))
    values = ", ".join(
        f"{name} {_plain(value)}"
        for name, value in (("exports", old.exports), ("imports", old.imports), ("turnover", old.turnover))
        if value is not None
    )
    replaced = f"{REPLACES}{values} ({old.status}, {old.source})"
    return clean_text(note + replaced + (f"; earlier note: {old.note}" if old.note else "."))


def _same(old: TradeRow, new: NewRow) -> bool:
    return (
        old.status == new.status
        and old.source == new.source
        and old.exports is not None
        and old.imports is not None
        and Decimal(str(old.exports)) == new.exports
        and Decimal(str(old.imports)) == new.imports
    )


# ---------------------------------------------------------------- editing the files as text


@dataclass
class _TextFile:
    """A file's text with LF line endings, and how to write it back as it was (BOM, CRLF)."""

    text: str
    bom: bool = False
    newline: str = "\n"

    @classmethod
    def read(cls, path: Path) -> _TextFile:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(text.replace("\r\n", "\n"), raw.startswith(b"\xef\xbb\xbf"), newline)

    def encode(self, text: str) -> bytes:
        return ("\ufeff" if self.bom else "").encode() + text.replace("\n", self.newline).encode("utf-8")


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()[:-1]


def edit_trade_csv(
    original: _TextFile | None, rows: list[NewRow], columns: list[str], dropped: list[tuple[str, str]] | None = None
) -> str:
    """The CSV text with each row's year replaced in place, or inserted before the first later year.

    Every other record keeps its text as written; the header (and so the column order) is unchanged. A replaced
    row keeps its translations (`note_ru` ...) of every value the import leaves as it was; `dropped` receives
    (column, what) per translation left out because the value it translated changed."""
    records: list[tuple[int | None, str]]  # (the year of a data row, else None; its text)
    if original is None:
        records = [(None, _csv_line(columns))]
    else:
        lines = original.text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        reader = csv.reader(io.StringIO("\n".join(lines) + "\n", newline=""))
        records, start = [], 0
        for cells in reader:
            year = cells[columns.index("year")].strip() if len(cells) == len(columns) and start > 0 else None
            records.append((int(year) if year and year.isdigit() else None, "\n".join(lines[start : reader.line_num])))
            start = reader.line_num
    for row in rows:
        values = {
            "year": str(row.year),
            "exports": _plain(row.exports),
            "imports": _plain(row.imports),
            "turnover": _plain(row.turnover),
            "status": row.status,
            "source": row.source,
            "note": row.note,
        }
        index = next((i for i, (year, _) in enumerate(records) if year == row.year), None)
        if index is not None:
            old = dict(zip(columns, next(csv.reader(io.StringIO(records[index][1], newline=""))), strict=False))
            values |= _kept_translations(old, values, row.year, dropped if dropped is not None else [])
        record = (row.year, _csv_line([values.get(name, "") for name in columns]))
        if index is not None:
            records[index] = record
            continue
        later = next((i for i, (year, _) in enumerate(records) if year is not None and year > row.year), len(records))
        records.insert(later, record)
    return "\n".join(text for _, text in records) + "\n"


def _kept_translations(old: dict[str, str], new: dict[str, str], year: int, dropped: list[tuple[str, str]]) -> dict[str, str]:
    """The old row's translation cells (`<field>_<lang>`) whose field keeps its value; the others are dropped,
    each said in `dropped`, since a translation of a replaced text would no longer say the same."""
    kept = {}
    for name, cell in old.items():
        field_name, _, lang = name.rpartition("_")
        if field_name not in new or not re.fullmatch(r"[a-z]{2}", lang) or not cell.strip():
            continue
        if old.get(field_name, "").strip() == new[field_name]:
            kept[name] = cell.strip()
        else:
            dropped.append((name, f"year {year}: dropped: the {field_name} it translated is replaced; translate the new one"))
    return kept


def _yaml_line(path: Path, key: str) -> int | None:
    doc = load_yaml(_TextFile.read(path).text, str(path), ProblemCollector())
    return doc.line(key) if doc else None


def _yaml_scalar(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _last_line(node: yaml.Node) -> int:
    """The 0-based line after which a node's text ends (its last scalar, or the closing bracket of a flow collection)."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False) or not node.value:
        end = node.end_mark
        return end.line if end.column > 0 else end.line - 1
    last = node.value[-1]
    return _last_line(last[1] if isinstance(last, tuple) else last)


def append_sources(text: str, sources: list[NewSource], display: str) -> str:
    """`dossier.yaml` with the sources appended to its `sources:` list, in the style of its last item.

    The rest of the file (comments, order, quoting) is untouched: the YAML is never dumped again."""
    if not sources:
        return text
    root = yaml.compose(clean_text(text, multiline=True))
    node = next((value for key, value in root.value if key.value == "sources"), None) if root else None
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        line = node.start_mark.line + 1 if node is not None else None
        raise ReportsError(
            Problem(display, line, "sources", "must be a block list ('- ' items, one a line) for an import to append to it")
        )
    last = node.value[-1]
    dash = " " * node.start_mark.column
    lines = text.split("\n")
    insert_at = _last_line(last) + 1
    entries = []
    for source in sources:
        pairs = [
            ("id", source.id),
            ("title", _yaml_scalar(source.title)),
            ("publisher", _yaml_scalar(source.publisher)),
            ("date", source.date.isoformat()),
            ("file", _yaml_scalar(source.file)),
        ]
        if isinstance(last, yaml.MappingNode) and last.flow_style:
            entries.append(f"{dash}- {{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}")
        else:
            indent = " " * max(last.start_mark.column - node.start_mark.column, 2)
            entries.append(f"{dash}-{indent[1:]}{pairs[0][0]}: {pairs[0][1]}")
            entries += [f"{dash}{indent}{key}: {value}" for key, value in pairs[1:]]
    return "\n".join(lines[:insert_at] + entries + lines[insert_at:])


def _outputs(folder: Path, plan: ImportPlan) -> dict[Path, bytes]:
    """The new bytes of every file the plan changes: dossier.yaml first, so a source exists before rows cite it."""
    outputs: dict[Path, bytes] = {}
    if plan.sources:
        path = folder / "dossier.yaml"
        identity = _TextFile.read(path)
        outputs[path] = identity.encode(append_sources(identity.text, plan.sources, str(path)))
    trade = _TextFile.read(folder / "trade.csv")
    trade_columns = next(csv.reader(io.StringIO(trade.text, newline="")))
    for side in SIDES:
        rows = [c.new for c in plan.changes if c.side == side]
        if not rows:
            continue
        path = folder / side
        original = _TextFile.read(path) if path.exists() else None
        if original is not None:
            columns = [name.strip() for name in next(csv.reader(io.StringIO(original.text, newline="")))]
        else:
            columns = [name.strip() for name in trade_columns]
            columns += [] if "note" in columns else ["note"]
        dropped: list[tuple[str, str]] = []
        outputs[path] = (original or trade).encode(edit_trade_csv(original, rows, columns, dropped))
        plan.warnings += [Problem(str(path), None, column, what) for column, what in dropped]
    return outputs


def _validate(folder: Path, outputs: dict[Path, bytes]) -> None:
    """Load the dossier as it would be after the import, in a scratch copy; its problems name the real files."""
    with tempfile.TemporaryDirectory(prefix="reports-import-") as scratch:
        copy = Path(scratch) / "dossier"
        try:
            copy_as_loaded(folder, copy)
            for path, content in outputs.items():
                (copy / path.name).write_bytes(content)
        except OSError as error:  # a full disk: the machine, not the import, is at fault (exit 1)
            why = f"{error.strerror or error} (in the scratch copy that checks the import; nothing written)"
            raise WriteError(folder, OSError(error.errno, why)) from None
        try:
            load_dossier(copy)
        except DossierError as error:
            raise DossierError(
                [Problem(p.path.replace(str(copy), str(folder), 1), p.line, p.field, p.message.replace(str(copy), str(folder)))
                 for p in error.problems]
            ) from None  # fmt: skip


def apply_import(plan: ImportPlan) -> list[Path]:
    """Check the dossier as it would be, then write the plan's files, each atomically (temporary file, then rename),
    keeping each file's permissions."""
    folder = plan.dossier.path
    _validate(folder, plan.outputs)
    modes = {path: (path if path.exists() else folder / "dossier.yaml").stat().st_mode for path in plan.outputs}
    written = write_atomically(plan.outputs)
    for path in written:
        os.chmod(path, modes[path] & 0o7777)
    return written


# ---------------------------------------------------------------- the dry run's table


def changes_table(plan: ImportPlan) -> str:
    """One line per changed year: side, then old → new for every value (`–` where there was none)."""

    def arrow(old: object, new: object) -> str:
        return f"{old if old not in (None, '') else '–'} → {new}"

    header = ("year", "side", "exports", "imports", "turnover", "status", "source")
    rows = [header]
    for change in plan.changes:
        old, new = change.old, change.new
        rows.append(
            (
                str(change.year),
                f"{change.side} ({change.reporter})",
                arrow(_plain(old.exports) if old else None, _plain(new.exports)),
                arrow(_plain(old.imports) if old else None, _plain(new.imports)),
                arrow(_plain(old.turnover) if old else None, _plain(new.turnover)),
                arrow(old.status if old else None, new.status),
                arrow(old.source if old else None, new.source),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows)


def product_lines(plan: ImportPlan) -> list[str]:
    """The dry run's lines on products.csv, one per (year, flow) replaced."""
    return product_changes_lines(plan.product_changes, _plain)
