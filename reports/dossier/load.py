"""The dossier layer: a folder of YAML, CSV and Markdown files loaded into validated, typed data.

Every problem of every file is collected in one pass and raised together as a DossierError,
each naming the file, the line and the field.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from reports.dossier import fields
from reports.dossier.areas import _load_areas
from reports.dossier.briefs import _load_briefs
from reports.dossier.checks import CitingRow, _check_references
from reports.dossier.fields import CellChecker
from reports.dossier.identity import _load_identity, alpha3
from reports.dossier.markdown import Prose
from reports.dossier.model import Commitment, Dossier, Event, PartialYearRow, Person, TradeRow
from reports.dossier.products import PRODUCTS_FILE, load_products
from reports.dossier.readers import CsvRow, optional_file, read_csv, read_text
from reports.dossier.text import clean_text
from reports.dossier.vocabulary import (
    COMMITMENT_COLUMNS,
    COMMITMENT_STATUSES,
    EVENT_COLUMNS,
    EVENT_KINDS,
    EVENT_STATUSES,
    PARTIAL_YEAR_COLUMNS,
    PEOPLE_COLUMNS,
    SLUG,
    TRADE_COLUMNS,
    TRADE_STATUSES,
    TRANSLATABLE,
    TURNOVER_TOLERANCE,
    translation_keys,
)
from reports.errors import ProblemCollector

# ---------------------------------------------------------------- CSV files


def _load_trade(folder: Path, name: str, required: bool, problems: ProblemCollector) -> list[tuple[CsvRow, TradeRow]]:
    """trade.csv or trade_mirror.csv: one row per year."""
    return cast(list[tuple[CsvRow, TradeRow]], _load_trade_rows(folder, name, required, False, problems))


def _load_partial_years(folder: Path, problems: ProblemCollector) -> list[tuple[CsvRow, PartialYearRow]]:
    """trade_ytd.csv: one row per (year, months), cumulative from January, same rules as the annual rows."""
    return cast(list[tuple[CsvRow, PartialYearRow]], _load_trade_rows(folder, "trade_ytd.csv", False, True, problems))


def _months(value: Any) -> int:
    months = fields.integer(value)
    if not 1 <= months <= 11:
        raise ValueError(f"{months} is not a number of months from 1 to 11 (a full year belongs in trade.csv)")
    return months


def _load_trade_rows(
    folder: Path, name: str, required: bool, partial: bool, problems: ProblemCollector
) -> list[tuple[CsvRow, TradeRow | PartialYearRow]]:
    """The rows of a trade file: PartialYearRow where `partial`, else TradeRow."""
    path = folder / name
    display = str(path)
    if not optional_file(path):
        if required:
            problems.add(display, None, "file", "is missing")
        return []
    text = read_text(path, display, problems, inside=folder)
    columns = PARTIAL_YEAR_COLUMNS if partial else TRADE_COLUMNS
    optional = ["note", "yoy_pct", *translation_keys(TRANSLATABLE["trade"])]
    table = read_csv(text, display, columns, optional, problems) if text is not None else None
    if table is None:
        return []
    rows: list[tuple[CsvRow, TradeRow | PartialYearRow]] = []
    keys: dict[tuple[int, int], int] = {}
    for row in table.rows:
        check = CellChecker(problems, display, row.line)
        cells = row.cells
        year = check(cells, "year", fields.year)
        months = check(cells, "months", _months) if partial else 12
        exports = check(cells, "exports", fields.optional(fields.amount))
        imports = check(cells, "imports", fields.optional(fields.amount))
        turnover = check(cells, "turnover", fields.optional(fields.amount))
        status = check(cells, "status", fields.choice(TRADE_STATUSES))
        source = check(cells, "source", fields.slug)
        yoy_pct = check(cells, "yoy_pct", fields.optional(fields.percent))
        note = clean_text(cells.get("note", ""))
        translations = check.translations(cells, TRANSLATABLE["trade"])
        if year is not None and months is not None:
            key = (year, months)
            if key in keys:
                what = f"{year}, months {months}," if partial else f"{year}"
                problems.add(display, row.line, "year", f"{what} appears twice (first on line {keys[key]})")
                check.failed = True
            keys.setdefault(key, row.line)
        if check.failed:
            continue
        has_split = exports is not None and imports is not None
        if turnover is None and not has_split:
            field = "turnover" if exports is None and imports is None else ("imports" if imports is None else "exports")
            problems.add(display, row.line, field, "a row needs turnover, or both exports and imports")
            continue
        if turnover is None:
            turnover = exports + imports
        elif has_split and abs(exports + imports - turnover) > TURNOVER_TOLERANCE * turnover:
            problems.add(
                display,
                row.line,
                "turnover",
                f"{turnover:g} differs from exports + imports = {exports + imports:g} by more than 1 %",
            )
            continue
        figures = (exports, imports, turnover, status, source, note, translations, yoy_pct)
        record = PartialYearRow(year, months, *figures) if partial else TradeRow(year, *figures)
        rows.append((row, record))
    return sorted(rows, key=lambda pair: (pair[1].year, getattr(pair[1], "months", 12)))


def _load_events(folder: Path, problems: ProblemCollector) -> list[tuple[CsvRow, Event]]:
    path = folder / "events.csv"
    display = str(path)
    if not optional_file(path):
        problems.add(display, None, "file", "is missing")
        return []
    text = read_text(path, display, problems, inside=folder)
    optional = ["status", "people", *translation_keys(TRANSLATABLE["event"])]
    table = read_csv(text, display, EVENT_COLUMNS, optional, problems) if text is not None else None
    if table is None:
        return []
    events = []
    ids: dict[str, int] = {}
    for row in table.rows:
        check = CellChecker(problems, display, row.line)
        cells = row.cells
        event_id = check(cells, "id", fields.slug)
        date = check(cells, "date", fields.date)
        end_date = check(cells, "end_date", fields.optional(fields.date))
        kind = check(cells, "kind", fields.choice(EVENT_KINDS))
        title = check(cells, "title", fields.text)
        source = check(cells, "source", fields.slug)
        areas = check(cells, "areas", _area_list)
        status = check(cells, "status", fields.optional(fields.choice(EVENT_STATUSES)))
        people = check(cells, "people", _id_list)
        translations = check.translations(cells, TRANSLATABLE["event"])
        if event_id is not None:
            if event_id in ids:
                problems.add(display, row.line, "id", f"'{event_id}' is used by another event (line {ids[event_id]})")
                check.failed = True
            ids.setdefault(event_id, row.line)
        if date is not None and end_date is not None and end_date.first_day < date.first_day:
            problems.add(display, row.line, "end_date", f"{end_date} is before the date {date}")
            check.failed = True
        if check.failed:
            continue
        events.append(
            (
                row,
                Event(
                    event_id,
                    date,
                    end_date,
                    kind,
                    title,
                    clean_text(cells["place"]),
                    clean_text(cells["summary"]),
                    areas,
                    source,
                    status or "",
                    people,
                    translations,
                ),
            )
        )
    return events


def _slug_list(what: str) -> Any:
    """A `;`-separated list of ids (area ids, people ids), possibly empty."""

    def parse(value: Any) -> tuple[str, ...]:
        parts = [part.strip() for part in (value or "").split(";") if part.strip()]
        for part in parts:
            if not SLUG.match(part):
                raise ValueError(f"'{part}' is not {what}")
        return tuple(parts)

    return parse


_area_list = _slug_list("an area id")
_id_list = _slug_list("a person's id")


def _load_people(folder: Path, problems: ProblemCollector) -> list[tuple[CsvRow, Person]]:
    """people.csv (optional): the principals, their roles and since when."""
    path = folder / "people.csv"
    display = str(path)
    if not optional_file(path):
        return []
    text = read_text(path, display, problems, inside=folder)
    optional = ["until", *translation_keys(TRANSLATABLE["person"])]
    table = read_csv(text, display, PEOPLE_COLUMNS, optional, problems) if text is not None else None
    if table is None:
        return []
    people = []
    ids: dict[str, int] = {}
    for row in table.rows:
        check = CellChecker(problems, display, row.line)
        cells = row.cells
        person = dict(
            id=check(cells, "id", fields.slug),
            name=check(cells, "name", fields.text),
            role=check(cells, "role", fields.text),
            partner=check(cells, "partner", alpha3),
            since=check(cells, "since", fields.date),
            until=check(cells, "until", fields.optional(fields.date)),
            source=check(cells, "source", fields.slug),
            translations=check.translations(cells, TRANSLATABLE["person"]),
        )
        if person["id"] is not None:
            if person["id"] in ids:
                problems.add(display, row.line, "id", f"'{person['id']}' is used by another person (line {ids[person['id']]})")
                check.failed = True
            ids.setdefault(person["id"], row.line)
        if person["until"] and person["since"] and person["until"].first_day < person["since"].first_day:
            problems.add(display, row.line, "until", f"{person['until']} is before since {person['since']}")
            check.failed = True
        if not check.failed:
            people.append((row, Person(**person)))
    return people


def _load_commitments(folder: Path, problems: ProblemCollector) -> list[tuple[CsvRow, Commitment]]:
    path = folder / "commitments.csv"
    display = str(path)
    if not optional_file(path):
        return []
    text = read_text(path, display, problems, inside=folder)
    optional = translation_keys(TRANSLATABLE["commitment"])
    table = read_csv(text, display, COMMITMENT_COLUMNS, optional, problems) if text is not None else None
    if table is None:
        return []
    commitments = []
    ids: dict[str, int] = {}
    for row in table.rows:
        check = CellChecker(problems, display, row.line)
        cells = row.cells
        commitment = dict(
            id=check(cells, "id", fields.slug),
            agreed_on=check(cells, "agreed_on", fields.date),
            text=check(cells, "text", fields.text),
            area=check(cells, "area", fields.optional(fields.slug)),
            due=check(cells, "due", fields.optional(fields.date)),
            status=check(cells, "status", fields.choice(COMMITMENT_STATUSES)),
            status_as_of=check(cells, "status_as_of", fields.optional(fields.date)),
            source=check(cells, "source", fields.slug),
            translations=check.translations(cells, TRANSLATABLE["commitment"]),
        )
        if commitment["id"] is not None:
            if commitment["id"] in ids:
                problems.add(
                    display, row.line, "id", f"'{commitment['id']}' is used by another commitment (line {ids[commitment['id']]})"
                )
                check.failed = True
            ids.setdefault(commitment["id"], row.line)
        if commitment["due"] and commitment["agreed_on"] and commitment["due"].first_day < commitment["agreed_on"].first_day:
            problems.add(display, row.line, "due", f"{commitment['due']} is before agreed_on {commitment['agreed_on']}")
            check.failed = True
        if not check.failed:
            commitments.append((row, Commitment(**commitment)))
    return commitments


# ---------------------------------------------------------------- the whole dossier


def load_dossier(folder: Path | str) -> Dossier:
    """Load and validate a dossier folder; raise DossierError listing every problem found."""
    folder = Path(folder)
    problems = ProblemCollector()
    if not folder.is_dir():
        problems.add(str(folder), None, "dossier", "is not a folder")
        problems.raise_if_any()
    identity = _load_identity(folder, problems)
    trade = _load_trade(folder, "trade.csv", True, problems)
    mirror = _load_trade(folder, "trade_mirror.csv", False, problems)
    partial_years = _load_partial_years(folder, problems)
    products = load_products(folder, problems)
    events = _load_events(folder, problems)
    people = _load_people(folder, problems)
    commitments = _load_commitments(folder, problems)
    prose: Prose = []
    areas = _load_areas(folder, problems, prose)
    briefs = _load_briefs(folder, {event.id for _, event in events}, problems, prose)
    if identity is not None:
        trade_files: dict[str, Sequence[tuple[CsvRow, CitingRow]]] = {
            "trade.csv": trade,
            "trade_mirror.csv": mirror,
            "trade_ytd.csv": partial_years,
            PRODUCTS_FILE: products,
        }
        _check_references(folder, identity, trade_files, events, commitments, areas, people, prose, problems)
    problems.raise_if_any()
    assert identity is not None  # a dossier.yaml that cannot be read is a problem, raised above
    return Dossier(
        path=folder,
        id=identity["id"],
        title=identity["title"],
        partners=tuple(identity["partners"]),
        reporter=identity["reporter"],
        currency=identity["currency"],
        unit=identity["unit"],
        base_year=identity["base_year"],
        targets=tuple(t for _, t in identity["targets"]),
        sources=identity["sources"],
        trade=tuple(r for _, r in trade),
        trade_mirror=tuple(r for _, r in mirror),
        events=tuple(sorted((e for _, e in events), key=lambda e: (e.date, e.id))),
        commitments=tuple(c for _, c in commitments),
        areas=tuple(sorted((a for _, a, _ in areas), key=lambda a: (a.order, a.id))),
        trade_ytd=tuple(r for _, r in partial_years),
        people=tuple(p for _, p in people),
        products=tuple(p for _, p in products),
        translations=identity["translations"],
        briefs=tuple(briefs),
        languages=identity["languages"],
    )
