"""The dossier layer: a folder of YAML, CSV and Markdown files loaded into validated, typed data.

Every problem of every file is collected in one pass and raised together as a DossierError,
each naming the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reports.dates import FuzzyDate
from reports.errors import ProblemCollector
from reports.readers import CsvRow, YamlDocument, load_yaml, read_csv, read_text
from reports.text import clean_text

SLUG = re.compile(r"^[a-z0-9-]+$")
ALPHA3 = re.compile(r"^[A-Z]{3}$")
UNITS = ("million", "billion")
METRICS = ("turnover", "exports", "imports")
TRADE_STATUSES = ("official", "preliminary", "estimate")
EVENT_KINDS = (
    "state_visit",
    "official_visit",
    "working_visit",
    "summit",
    "agreement",
    "commission",
    "forum",
    "parliamentary",
    "ministerial",
    "cultural",
    "other",
)
LEADERS_MEETING_KINDS = EVENT_KINDS[:4]
COMMITMENT_STATUSES = ("done", "on_track", "in_progress", "delayed", "not_started", "unknown")
TURNOVER_TOLERANCE = 0.01  # sources round: exports + imports may differ from turnover by 1 %
LANGUAGES = ("ru",)  # languages that dossier text may be translated into (English is the source)

TRADE_COLUMNS = ["year", "exports", "imports", "turnover", "status", "source"]
EVENT_COLUMNS = ["id", "date", "end_date", "kind", "title", "place", "summary", "areas", "source"]
COMMITMENT_COLUMNS = ["id", "agreed_on", "text", "area", "due", "status", "status_as_of", "source"]


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    name_ru: str | None = None


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    date: FuzzyDate
    publisher: str | None = None
    url: str | None = None
    file: str | None = None
    restricted: bool = False


@dataclass(frozen=True)
class Target:
    id: str
    metric: str
    value: float
    year: int | None
    set_on: FuzzyDate
    description: str
    source: str


@dataclass(frozen=True)
class TradeRow:
    """One year of trade from one side's statistics; turnover is filled in when only the split is given."""

    year: int
    exports: float | None
    imports: float | None
    turnover: float
    status: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Event:
    id: str
    date: FuzzyDate
    end_date: FuzzyDate | None
    kind: str
    title: str
    place: str
    summary: str
    areas: tuple[str, ...]
    source: str
    title_ru: str = ""
    summary_ru: str = ""

    @property
    def is_leaders_meeting(self) -> bool:
        return self.kind in LEADERS_MEETING_KINDS


@dataclass(frozen=True)
class Commitment:
    id: str
    agreed_on: FuzzyDate
    text: str
    area: str | None
    due: FuzzyDate | None
    status: str
    status_as_of: FuzzyDate | None
    source: str


@dataclass(frozen=True)
class KeyFact:
    text: str
    source: str
    value: float | None = None
    unit: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class AreaText:
    """The translatable part of an area: title, summary, key-fact texts and Markdown body."""

    title: str
    summary: str
    key_fact_texts: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    order: int
    summary: str
    restricted: bool
    key_facts: tuple[KeyFact, ...]
    sources: tuple[str, ...]
    body: str
    translations: dict[str, AreaText]


@dataclass(frozen=True)
class Dossier:
    path: Path
    id: str
    title: str
    partners: tuple[Partner, Partner]
    reporter: str
    currency: str
    unit: str
    base_year: int
    targets: tuple[Target, ...]
    sources: dict[str, Source]
    trade: tuple[TradeRow, ...]
    trade_mirror: tuple[TradeRow, ...]
    events: tuple[Event, ...]
    commitments: tuple[Commitment, ...]
    areas: tuple[Area, ...]

    @property
    def reporter_partner(self) -> Partner:
        return next(p for p in self.partners if p.code == self.reporter)

    @property
    def other_partner(self) -> Partner:
        return next(p for p in self.partners if p.code != self.reporter)

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def without_restricted(self) -> Dossier:
        """The public view (docs/dossier-format.md): no restricted area or source, nothing that cites or belongs only to them."""
        public_sources = {sid: s for sid, s in self.sources.items() if not s.restricted}
        public_areas = {a.id for a in self.areas if not a.restricted}

        def visible(source: str, areas: tuple[str, ...]) -> bool:
            return source in public_sources and (not areas or any(a in public_areas for a in areas))

        areas = tuple(
            replace(
                area,
                key_facts=tuple(f for f in area.key_facts if f.source in public_sources),
                sources=tuple(s for s in area.sources if s in public_sources),
            )
            for area in self.areas
            if area.id in public_areas
        )
        events = tuple(
            replace(e, areas=tuple(a for a in e.areas if a in public_areas)) for e in self.events if visible(e.source, e.areas)
        )
        commitments = tuple(c for c in self.commitments if visible(c.source, (c.area,) if c.area else ()))
        return replace(self, sources=public_sources, areas=areas, events=events, commitments=commitments)


# ---------------------------------------------------------------- cell and value parsers
# Each parser takes the raw value and returns the typed value or raises ValueError(reason).


def _text(value: Any) -> str:
    if value is None or (isinstance(value, str) and not clean_text(value)):
        raise ValueError("is required")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"must be text, not {type(value).__name__}")
    return clean_text(str(value))


def _slug(value: Any) -> str:
    text = _text(value)
    if not SLUG.match(text):
        raise ValueError(f"'{text}' is not a slug (lower-case letters, digits and '-')")
    return text


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise ValueError(f"'{value}' is not a whole number")


def _year(value: Any) -> int:
    year = _integer(value)
    if not 1900 <= year <= 2200:
        raise ValueError(f"{year} is not a plausible year (1900-2200)")
    return year


def _amount(value: Any) -> float:
    """A non-negative number with '.' as decimal separator: no thousands separators, no NaN."""
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
        number = float(value)
    else:
        raise ValueError(f"'{value}' is not a number (digits with '.' as decimal separator)")
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{value} must be a finite number not below 0")
    return number


def _date(value: Any) -> FuzzyDate:
    if isinstance(value, dt.datetime):
        raise ValueError(f"'{value}' must be a date without a time")
    if isinstance(value, dt.date):
        return FuzzyDate.from_date(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("is required (YYYY-MM-DD, YYYY-MM or YYYY)")
    return FuzzyDate.parse(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"'{value}' must be true or false")
    return value


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value)
        if text not in options:
            raise ValueError(f"'{text}' is not one of: {', '.join(options)}")
        return text

    return parse


def _optional(parser: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return parser(value)

    return parse


class _Checker:
    """Applies parsers to the fields of one record, recording a problem for each failure."""

    def __init__(self, problems: ProblemCollector, display: str) -> None:
        self.problems = problems
        self.display = display
        self.failed = False

    def field(self, record: dict, key: str, parser: Callable[[Any], Any], line: int | None, label: str | None = None) -> Any:
        try:
            return parser(record.get(key))
        except ValueError as error:
            self.problems.add(self.display, line, label or key, str(error))
            self.failed = True
            return None

    def fields(self, record: dict, doc: YamlDocument, path: tuple, label: str) -> Callable[[str, Callable[[Any], Any]], Any]:
        """`field(key, parser)` for one YAML list item, naming its line and `label.key`."""
        return lambda key, parser: self.field(record, key, parser, doc.line(*path, key), f"{label}.{key}")


# ---------------------------------------------------------------- dossier.yaml


def _check_mapping(doc: YamlDocument, path: tuple, value: Any, display: str, label: str, problems: ProblemCollector) -> bool:
    if not isinstance(value, dict):
        problems.add(display, doc.line(*path), label, f"must be a mapping of keys, not {type(value).__name__}")
        return False
    return True


def _check_keys(
    doc: YamlDocument, path: tuple, record: dict, known: tuple[str, ...], display: str, label: str, problems: ProblemCollector
) -> None:
    for key in record:
        if key not in known:
            problems.add(
                display,
                doc.line(*path, key),
                f"{label}.{key}" if label else str(key),
                f"unknown key; known keys: {', '.join(known)}",
            )


def _load_identity(folder: Path, problems: ProblemCollector) -> dict | None:
    """dossier.yaml as a dict of typed values, or None if it cannot be read at all."""
    display = str(folder / "dossier.yaml")
    text = read_text(folder / "dossier.yaml", display, problems, inside=folder)
    if text is None:
        return None
    doc = load_yaml(text, display, problems)
    if doc is None:
        return None
    if not _check_mapping(doc, (), doc.data, display, "dossier", problems):
        return None
    data = doc.data
    known = ("id", "title", "partners", "reporter", "currency", "unit", "base_year", "targets", "sources")
    _check_keys(doc, (), data, known, display, "", problems)
    check = _Checker(problems, display)
    identity: dict[str, Any] = {
        "id": check.field(data, "id", _slug, doc.line("id")),
        "title": check.field(data, "title", _text, doc.line("title")),
        "reporter": check.field(data, "reporter", _text, doc.line("reporter")),
        "unit": check.field(data, "unit", _choice(UNITS), doc.line("unit")),
        "base_year": check.field(data, "base_year", _year, doc.line("base_year")),
        "currency": check.field(data, "currency", _currency, doc.line("currency")),
    }
    identity["partners"] = _load_partners(doc, data.get("partners"), display, problems)
    identity["sources"] = _load_sources(doc, data.get("sources"), display, problems)
    identity["targets"] = _load_targets(doc, data.get("targets"), display, problems)
    identity["display"] = display
    identity["doc"] = doc
    codes = [p.code for p in identity["partners"] or []]
    if identity["reporter"] is not None and codes and identity["reporter"] not in codes:
        problems.add(
            display,
            doc.line("reporter"),
            "reporter",
            f"'{identity['reporter']}' is not one of the partners' codes: {', '.join(codes)}",
        )
    return identity


def _currency(value: Any) -> str:
    from babel.numbers import list_currencies

    code = _text(value)
    if code not in list_currencies():
        raise ValueError(f"'{code}' is not an ISO 4217 currency code")
    return code


def _list_of_mappings(
    doc: YamlDocument, value: Any, key: str, display: str, problems: ProblemCollector, required: bool = True
) -> list[tuple[int, dict]]:
    if value is None:
        if required:
            problems.add(display, doc.line(key), key, "is required")
        return []
    if not isinstance(value, list):
        problems.add(display, doc.line(key), key, f"must be a list, not {type(value).__name__}")
        return []
    items = []
    for index, item in enumerate(value):
        if _check_mapping(doc, (key, index), item, display, f"{key}[{index}]", problems):
            items.append((index, item))
    return items


def _load_partners(doc: YamlDocument, value: Any, display: str, problems: ProblemCollector) -> tuple[Partner, ...] | None:
    items = _list_of_mappings(doc, value, "partners", display, problems)
    if isinstance(value, list) and len(value) != 2:
        problems.add(display, doc.line("partners"), "partners", f"must list exactly 2 partners, not {len(value)}")
    partners = []
    for index, item in items:
        _check_keys(doc, ("partners", index), item, ("code", "name", "name_ru"), display, f"partners[{index}]", problems)
        check = _Checker(problems, display)
        code = check.field(item, "code", _alpha3, doc.line("partners", index, "code"), f"partners[{index}].code")
        name = check.field(item, "name", _text, doc.line("partners", index, "name"), f"partners[{index}].name")
        name_ru = check.field(
            item, "name_ru", _optional(_text), doc.line("partners", index, "name_ru"), f"partners[{index}].name_ru"
        )
        if not check.failed:
            partners.append(Partner(code, name, name_ru))
    if len(partners) == 2 and partners[0].code == partners[1].code:
        problems.add(
            display,
            doc.line("partners", 1, "code"),
            "partners[1].code",
            f"'{partners[1].code}' is the same as the first partner's code",
        )
    return tuple(partners)


def _alpha3(value: Any) -> str:
    code = _text(value)
    if not ALPHA3.match(code):
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-3 code (three capital letters)")
    return code


def _load_sources(doc: YamlDocument, value: Any, display: str, problems: ProblemCollector) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    known = ("id", "title", "publisher", "date", "url", "file", "restricted")
    for index, item in _list_of_mappings(doc, value, "sources", display, problems):
        _check_keys(doc, ("sources", index), item, known, display, f"sources[{index}]", problems)
        check = _Checker(problems, display)
        field = check.fields(item, doc, ("sources", index), f"sources[{index}]")

        source = dict(
            id=field("id", _slug),
            title=field("title", _text),
            date=field("date", _date),
            publisher=field("publisher", _optional(_text)),
            url=field("url", _optional(_url)),
            file=field("file", _optional(_text)),
            restricted=field("restricted", _optional(_boolean)) or False,
        )
        if check.failed:
            continue
        if source["id"] in sources:
            problems.add(
                display, doc.line("sources", index, "id"), f"sources[{index}].id", f"'{source['id']}' is used by another source"
            )
            continue
        sources[source["id"]] = Source(**source)
    return sources


def _url(value: Any) -> str:
    text = _text(value)
    if not re.match(r"^https?://[^\s]+$", text):
        raise ValueError(f"'{text}' is not an http(s) URL")
    return text


def _load_targets(doc: YamlDocument, value: Any, display: str, problems: ProblemCollector) -> list[tuple[int, Target]]:
    targets = []
    seen: set[str] = set()
    known = ("id", "metric", "value", "year", "set_on", "description", "source")
    for index, item in _list_of_mappings(doc, value, "targets", display, problems, required=False):
        _check_keys(doc, ("targets", index), item, known, display, f"targets[{index}]", problems)
        check = _Checker(problems, display)
        field = check.fields(item, doc, ("targets", index), f"targets[{index}]")

        target = Target(
            id=field("id", _slug),
            metric=field("metric", _choice(METRICS)),
            value=field("value", _positive),
            year=field("year", _optional(_year)),
            set_on=field("set_on", _date),
            description=field("description", _text),
            source=field("source", _slug),
        )
        if check.failed:
            continue
        if target.id in seen:
            problems.add(
                display, doc.line("targets", index, "id"), f"targets[{index}].id", f"'{target.id}' is used by another target"
            )
            continue
        seen.add(target.id)
        targets.append((index, target))
    return targets


def _positive(value: Any) -> float:
    number = _amount(value)
    if number <= 0:
        raise ValueError(f"{value} must be greater than 0")
    return number


# ---------------------------------------------------------------- CSV files


def _load_trade(folder: Path, name: str, required: bool, problems: ProblemCollector) -> list[tuple[CsvRow, TradeRow]]:
    path = folder / name
    display = str(path)
    if not path.exists():
        if required:
            problems.add(display, None, "file", "is missing")
        return []
    text = read_text(path, display, problems, inside=folder)
    table = read_csv(text, display, TRADE_COLUMNS, ["note"], problems) if text is not None else None
    if table is None:
        return []
    rows = []
    years: dict[int, int] = {}
    for row in table.rows:
        check = _Checker(problems, display)
        cells = row.cells
        year = check.field(cells, "year", _year, row.line)
        exports = check.field(cells, "exports", _optional(_amount), row.line)
        imports = check.field(cells, "imports", _optional(_amount), row.line)
        turnover = check.field(cells, "turnover", _optional(_amount), row.line)
        status = check.field(cells, "status", _choice(TRADE_STATUSES), row.line)
        source = check.field(cells, "source", _slug, row.line)
        note = clean_text(cells.get("note", ""))
        if year is not None:
            if year in years:
                problems.add(display, row.line, "year", f"{year} appears twice (first on line {years[year]})")
                check.failed = True
            years.setdefault(year, row.line)
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
        rows.append((row, TradeRow(year, exports, imports, turnover, status, source, note)))
    return sorted(rows, key=lambda pair: pair[1].year)


def _load_events(folder: Path, problems: ProblemCollector) -> list[tuple[CsvRow, Event]]:
    path = folder / "events.csv"
    display = str(path)
    if not path.exists():
        problems.add(display, None, "file", "is missing")
        return []
    text = read_text(path, display, problems, inside=folder)
    table = read_csv(text, display, EVENT_COLUMNS, ["title_ru", "summary_ru"], problems) if text is not None else None
    if table is None:
        return []
    events = []
    ids: dict[str, int] = {}
    for row in table.rows:
        check = _Checker(problems, display)
        cells = row.cells
        event_id = check.field(cells, "id", _slug, row.line)
        date = check.field(cells, "date", _date, row.line)
        end_date = check.field(cells, "end_date", _optional(_date), row.line)
        kind = check.field(cells, "kind", _choice(EVENT_KINDS), row.line)
        title = check.field(cells, "title", _text, row.line)
        source = check.field(cells, "source", _slug, row.line)
        areas = check.field(cells, "areas", _area_list, row.line)
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
                    clean_text(cells.get("title_ru", "")),
                    clean_text(cells.get("summary_ru", "")),
                ),
            )
        )
    return events


def _area_list(value: Any) -> tuple[str, ...]:
    parts = [part.strip() for part in (value or "").split(";") if part.strip()]
    for part in parts:
        if not SLUG.match(part):
            raise ValueError(f"'{part}' is not an area id")
    return tuple(parts)


def _load_commitments(folder: Path, problems: ProblemCollector) -> list[tuple[CsvRow, Commitment]]:
    path = folder / "commitments.csv"
    display = str(path)
    if not path.exists():
        return []
    text = read_text(path, display, problems, inside=folder)
    table = read_csv(text, display, COMMITMENT_COLUMNS, [], problems) if text is not None else None
    if table is None:
        return []
    commitments = []
    ids: dict[str, int] = {}
    for row in table.rows:
        check = _Checker(problems, display)
        cells = row.cells
        commitment = dict(
            id=check.field(cells, "id", _slug, row.line),
            agreed_on=check.field(cells, "agreed_on", _date, row.line),
            text=check.field(cells, "text", _text, row.line),
            area=check.field(cells, "area", _optional(_slug), row.line),
            due=check.field(cells, "due", _optional(_date), row.line),
            status=check.field(cells, "status", _choice(COMMITMENT_STATUSES), row.line),
            status_as_of=check.field(cells, "status_as_of", _optional(_date), row.line),
            source=check.field(cells, "source", _slug, row.line),
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


# ---------------------------------------------------------------- areas/*.md

AREA_FILE = re.compile(r"^([a-z0-9-]+)\.md$")
AREA_TRANSLATION_FILE = re.compile(r"^([a-z0-9-]+)\.([a-z]{2})\.md$")


def _split_front_matter(text: str, display: str, problems: ProblemCollector) -> tuple[str, str, int] | None:
    """(front matter, body, line of the body's first line) of a Markdown file with `---` front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(display, 1, "front matter", "the file must start with a '---' line")
        return None
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    problems.add(display, 1, "front matter", "has no closing '---' line")
    return None


def _load_area(path: Path, problems: ProblemCollector) -> tuple[YamlDocument, Area, str] | None:
    display = str(path)
    text = read_text(path, display, problems, inside=path.parent.parent)  # the dossier folder
    parts = _split_front_matter(text, display, problems) if text is not None else None
    if parts is None:
        return None
    front, body, _ = parts
    doc = load_yaml(front, display, problems, offset=1)
    if doc is None or not _check_mapping(doc, (), doc.data, display, "front matter", problems):
        return None
    data = doc.data
    known = ("title", "order", "summary", "restricted", "key_facts", "sources")
    _check_keys(doc, (), data, known, display, "", problems)
    check = _Checker(problems, display)
    title = check.field(data, "title", _text, doc.line("title"))
    order = check.field(data, "order", _integer, doc.line("order"))
    summary = check.field(data, "summary", _text, doc.line("summary"))
    restricted = check.field(data, "restricted", _optional(_boolean), doc.line("restricted")) or False
    sources = data.get("sources") or []
    if not isinstance(sources, list):
        problems.add(display, doc.line("sources"), "sources", "must be a list of source ids")
        sources, check.failed = [], True
    source_ids = tuple(check.field({"s": s}, "s", _slug, doc.line("sources", i), f"sources[{i}]") for i, s in enumerate(sources))
    facts = []
    for index, item in _list_of_mappings(doc, data.get("key_facts"), "key_facts", display, problems, required=False):
        _check_keys(
            doc, ("key_facts", index), item, ("text", "value", "unit", "year", "source"), display, f"key_facts[{index}]", problems
        )
        field = check.fields(item, doc, ("key_facts", index), f"key_facts[{index}]")

        facts.append(
            KeyFact(
                text=field("text", _text),
                source=field("source", _slug),
                value=field("value", _optional(_signed_number)),
                unit=field("unit", _optional(_text)),
                year=field("year", _optional(_year)),
            )
        )
    if check.failed:
        return None
    area_id = AREA_FILE.match(path.name).group(1)
    area = Area(
        area_id, title, order, summary, restricted, tuple(facts), source_ids, clean_text(body, multiline=True).strip() + "\n", {}
    )
    return doc, area, display


def _signed_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"'{value}' is not a number")
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return float(value)


def _load_area_translation(path: Path, area: Area, problems: ProblemCollector) -> AreaText | None:
    """A translated area file: the same front matter keys as the area, text only."""
    display = str(path)
    text = read_text(path, display, problems, inside=path.parent.parent)  # the dossier folder
    parts = _split_front_matter(text, display, problems) if text is not None else None
    if parts is None:
        return None
    front, body, _ = parts
    doc = load_yaml(front, display, problems, offset=1)
    if doc is None or not _check_mapping(doc, (), doc.data, display, "front matter", problems):
        return None
    _check_keys(doc, (), doc.data, ("title", "summary", "key_facts"), display, "", problems)
    check = _Checker(problems, display)
    title = check.field(doc.data, "title", _text, doc.line("title"))
    summary = check.field(doc.data, "summary", _text, doc.line("summary"))
    texts = []
    items = _list_of_mappings(doc, doc.data.get("key_facts"), "key_facts", display, problems, required=False)
    if items and len(items) != len(area.key_facts):
        problems.add(
            display, doc.line("key_facts"), "key_facts", f"has {len(items)} facts, the English area has {len(area.key_facts)}"
        )
        check.failed = True
    for index, item in items:
        texts.append(check.field(item, "text", _text, doc.line("key_facts", index, "text"), f"key_facts[{index}].text"))
    if check.failed:
        return None
    return AreaText(title, summary, tuple(texts), clean_text(body, multiline=True).strip() + "\n")


def _load_areas(folder: Path, problems: ProblemCollector) -> list[tuple[YamlDocument, Area, str]]:
    area_folder = folder / "areas"
    if not area_folder.is_dir():
        problems.add(str(area_folder), None, "folder", "is missing")
        return []
    loaded = []
    translations = []
    for path in sorted(area_folder.iterdir()):
        if AREA_FILE.match(path.name):
            result = _load_area(path, problems)
            if result:
                loaded.append(result)
        elif (match := AREA_TRANSLATION_FILE.match(path.name)) and match.group(2) in LANGUAGES:
            translations.append((path, match.group(1), match.group(2)))
        else:
            problems.add(
                str(path),
                None,
                "file",
                "is not an area file (expected <id>.md or <id>.<lang>.md with lang one of: " + ", ".join(LANGUAGES) + ")",
            )
    by_id = {area.id: area for _, area, _ in loaded}
    for path, area_id, lang in translations:
        if area_id not in by_id:
            problems.add(str(path), None, "file", f"translates an area '{area_id}' that does not exist")
            continue
        text = _load_area_translation(path, by_id[area_id], problems)
        if text is not None:
            by_id[area_id].translations[lang] = text
    orders: dict[int, str] = {}
    for doc, area, display in loaded:
        if area.order in orders:
            problems.add(display, doc.line("order"), "order", f"{area.order} is also the order of area '{orders[area.order]}'")
        orders.setdefault(area.order, area.id)
    return loaded


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
    events = _load_events(folder, problems)
    commitments = _load_commitments(folder, problems)
    areas = _load_areas(folder, problems)
    if identity is not None:
        _check_references(folder, identity, trade, mirror, events, commitments, areas, problems)
    problems.raise_if_any()
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
    )


def _check_references(folder, identity, trade, mirror, events, commitments, areas, problems: ProblemCollector) -> None:
    """Cross-file rules: every source and area id exists; figures for all audiences cite no restricted source."""
    sources: dict[str, Source] = identity["sources"]
    doc: YamlDocument = identity["doc"]
    display = identity["display"]
    area_ids = {area.id for _, area, _ in areas}

    def source_ok(source_id: str, where: str, line: int | None, field: str, public: bool = False) -> None:
        if source_id not in sources:
            problems.add(where, line, field, f"'{source_id}' is not a source id of dossier.yaml")
        elif public and sources[source_id].restricted:
            problems.add(
                where,
                line,
                field,
                f"'{source_id}' is a restricted source; trade figures and targets reach every audience and may not cite it",
            )

    for index, target in identity["targets"]:
        source_ok(target.source, display, doc.line("targets", index, "source"), f"targets[{index}].source", public=True)
    for name, rows in (("trade.csv", trade), ("trade_mirror.csv", mirror)):
        for row, item in rows:
            source_ok(item.source, str(folder / name), row.line, "source", public=True)
    for row, event in events:
        source_ok(event.source, str(folder / "events.csv"), row.line, "source")
        for area_id in event.areas:
            if area_id not in area_ids:
                problems.add(str(folder / "events.csv"), row.line, "areas", f"'{area_id}' is not an area (no areas/{area_id}.md)")
    for row, commitment in commitments:
        source_ok(commitment.source, str(folder / "commitments.csv"), row.line, "source")
        if commitment.area and commitment.area not in area_ids:
            problems.add(
                str(folder / "commitments.csv"),
                row.line,
                "area",
                f"'{commitment.area}' is not an area (no areas/{commitment.area}.md)",
            )
    for area_doc, area, area_display in areas:
        for index, fact in enumerate(area.key_facts):
            source_ok(fact.source, area_display, area_doc.line("key_facts", index, "source"), f"key_facts[{index}].source")
        for index, source_id in enumerate(area.sources):
            source_ok(source_id, area_display, area_doc.line("sources", index), f"sources[{index}]")
