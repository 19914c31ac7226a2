"""Readers for downloaded trade statistics: UN Comtrade (Comtrade+ and legacy CSV) and IMF DOTS/IMTS time series.

Each reader turns one file into the annual goods totals between the dossier's two partners, in US dollars:
one `Flow` per (reporter, partner, year, direction) with the line and column it came from. Rows of other
periods, products, procedures, transport modes or countries are skipped; a file that cannot be read as
its format says (unknown header, wrong partners, mixed units, monthly data given as annual, a value that
is not a number) is a list of `Problem`s naming the file, the line and the column (docs/importing.md).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from reports.dossier.dates import FIRST_YEAR, LAST_YEAR
from reports.dossier.model import Partner
from reports.dossier.readers import CsvRow, read_csv, read_text
from reports.errors import ProblemCollector

Parsed = TypeVar("Parsed")  # what a cell's parser makes of it

MAX_IMPORT_BYTES = 200 * 1024 * 1024  # a download larger than this is not one country pair's totals
MAX_IMPORT_ROWS = 1_000_000  # a download by HS level holds every product each way, year and partner

COMTRADE_PLUS = "UN Comtrade+"
COMTRADE_LEGACY = "UN Comtrade (legacy)"
IMF_DOTS = "IMF DOTS/IMTS"


@dataclass(frozen=True)
class Flow:
    """One annual goods total as `reporter`'s statistics record it: its exports to, or imports from, `partner`."""

    reporter: str  # the dossier partner code (ISO 3166-1 alpha-3) of the country whose statistics these are
    partner: str
    year: int
    direction: str  # "exports" or "imports"
    value: Decimal  # US dollars
    path: str  # the file as named on the command line
    line: int
    column: str  # the column the value was read from
    code: str = ""  # a product's HS code; empty for the total
    name: str = ""  # the product's name as the file gives it


@dataclass
class ImportFile:
    """What one file holds for the dossier: its format, its totals between the two partners and, where it has
    them, the same flows by product (HS chapter or heading)."""

    path: str
    format: str
    flows: list[Flow]
    products: list[Flow] = field(default_factory=list)


# ---------------------------------------------------------------- reading the file


def _header(text: str) -> list[str]:
    try:
        return [name.strip() for name in next(csv.reader(io.StringIO(text, newline="")), [])]
    except csv.Error:
        return []


def _table(text: str, display: str, required: list[str], problems: ProblemCollector) -> list[CsvRow] | None:
    """Rows of a download: only the columns this reader needs are required; any other column is allowed."""
    header = _header(text)
    table = read_csv(text, display, required, [name for name in header if name not in required], problems, MAX_IMPORT_ROWS)
    return None if table is None else table.rows


# ---------------------------------------------------------------- cells


MAX_AMOUNT = Decimal(10**15)  # US dollars: all the world's trade in a year is some 3E+13
MAX_AMOUNT_CHARACTERS = 40  # a longer number is a mistake, and costly to read exactly


def _amount(text: str) -> Decimal:
    """A non-negative number as statistics offices write it: `1534567890`, `1534567890.25` or `1.53E+09`."""
    if not text:
        raise ValueError("is empty; a total needs a value")
    if text.startswith("-"):
        raise ValueError(f"{text} is negative; a trade value is not below 0")
    if not re.fullmatch(r"[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?", text):
        raise ValueError(f"'{text}' is not a number (digits with '.' as decimal separator, no thousands separators)")
    shown = text if len(text) <= 40 else f"{text[:20]}...({len(text)} characters)"
    try:
        value = Decimal(text) if len(text) <= MAX_AMOUNT_CHARACTERS else None
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise ValueError(f"'{shown}' is not a number") from None
    if value is None or value > MAX_AMOUNT:
        raise ValueError(f"{shown} is larger than any trade value (at most {MAX_AMOUNT:.0E} US dollars)")
    return value


def _year(text: str) -> int:
    if not re.fullmatch(r"[0-9]{4}", text):
        raise ValueError(f"'{text}' is not a year (YYYY)")
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{year} is not a plausible year ({FIRST_YEAR}-{LAST_YEAR})")
    return year


def _total_code(cells: dict[str, str], column: str, total: str) -> bool:
    """True where the column is absent, empty or holds the code for the total (`C00`, `0`): no breakdown."""
    value = cells.get(column, "")
    return value in ("", total)


class _Partners:
    """The dossier's two partners, recognised by ISO alpha-3 code or, in IMF files, by name."""

    def __init__(self, partners: tuple[Partner, Partner]) -> None:
        self.partners = partners
        self.codes = tuple(p.code for p in partners)

    def other(self, code: str) -> str:
        return self.codes[1] if code == self.codes[0] else self.codes[0]

    def find(self, code: str, name: str = "", by_name: bool = False) -> str | None:
        """The dossier code of a country named by its ISO alpha-3 code or, with `by_name` and a code that is not
        alpha-3 (the IMF's own numbers), by a name such as `Kazakhstan, Rep. of`."""
        code = code.strip().upper()
        for partner in self.partners:
            if code == partner.code:
                return partner.code
        wanted = _simple_name(name)
        if not by_name or re.fullmatch(r"[A-Z]{3}", code) or not wanted:
            return None
        return next((p.code for p in self.partners if wanted == _simple_name(p.name)), None)


def _country(code: str, name: str) -> str:
    """A country as a file shows it: `RUS (Russian Federation)`."""
    return f"{code} ({name})" if code and name else code or name or "?"


def _simple_name(name: str) -> str:
    """`Kazakhstan, Rep. of` → `kazakhstan`: IMF names put the form of state after a comma."""
    return name.split(",")[0].strip().casefold()


@dataclass
class _Skipped:
    """Why rows were left out, to explain a file that yields nothing."""

    pairs: dict[str, int]  # "reporter → partner" as the file names them → first line
    between: int | None = None  # first line of a row between the two partners
    monthly: int | None = None  # first line of a monthly row between them


class _Collector:
    """Gathers one file's flows and its problems; a row that fails keeps the others readable."""

    def __init__(self, display: str, problems: ProblemCollector, partners: _Partners) -> None:
        self.display = display
        self.problems = problems
        self.partners = partners
        self.flows: list[Flow] = []
        self.products: list[Flow] = []
        self.skipped = _Skipped({})

    def problem(self, line: int | None, column: str, message: str) -> None:
        self.problems.add(self.display, line, column, message)

    def parse(self, row: CsvRow, column: str, parser: Callable[[str], Parsed]) -> Parsed | None:
        try:
            return parser(row.cells.get(column, ""))
        except ValueError as error:
            self.problem(row.line, column, str(error))
            return None

    def pair(self, row: CsvRow, columns: tuple[str, str], names: tuple[str, str], by_name: bool = False) -> str | None:
        """The reporter's dossier code if the row is trade between the two partners, else None (noted).

        `names` are the columns of the countries' names, shown in messages and, with `by_name`, matched."""
        cells = row.cells
        reporter = self.partners.find(cells.get(columns[0], ""), cells.get(names[0], ""), by_name)
        partner = self.partners.find(cells.get(columns[1], ""), cells.get(names[1], ""), by_name)
        if reporter is None or partner != self.partners.other(reporter):
            shown = [_country(cells.get(column, ""), cells.get(name, "")) for column, name in zip(columns, names, strict=True)]
            self.skipped.pairs.setdefault(" → ".join(shown), row.line)
            return None
        if self.skipped.between is None:
            self.skipped.between = row.line
        return reporter

    def add(
        self, reporter: str, year: int, direction: str, value: Decimal, line: int, column: str, code: str = "", name: str = ""
    ) -> None:
        flow = Flow(reporter, self.partners.other(reporter), year, direction, value, self.display, line, column, code, name)
        (self.products if code else self.flows).append(flow)

    def explain_nothing(self, rows: list[CsvRow], reporter_column: str, monthly_column: str, totals: str) -> None:
        """A file without a usable row is a problem: wrong partners, monthly data only, or no goods totals."""
        if self.flows or self.products:
            return
        if not rows:
            self.problem(1, "header", "is followed by no data rows")
            return
        codes = " and ".join(self.partners.codes)
        if self.skipped.between is None:
            pairs = list(self.skipped.pairs)
            shown = ", ".join(pairs[:5]) + (f" and {len(pairs) - 5} more" if len(pairs) > 5 else "")
            self.problem(
                rows[0].line,
                reporter_column,
                f"wrong partners: no row is trade between {codes} as either of them reports it (the file has {shown})",
            )
        elif self.skipped.monthly is not None:
            self.problem(self.skipped.monthly, monthly_column, "the file holds monthly data only; download annual data")
        else:
            self.problem(
                self.skipped.between, reporter_column, f"no annual goods total between {codes} ({totals}) is in the file"
            )


# ---------------------------------------------------------------- UN Comtrade+

COMTRADE_PLUS_REQUIRED = ["freqCode", "refYear", "period", "reporterISO", "flowCode", "partnerISO", "cmdCode", "primaryValue"]
COMTRADE_FLOWS = {"X": "exports", "M": "imports"}
ANNUAL_REF_MONTHS = ("", "0", "52", "99")  # sources disagree on the code for "the whole year"


def _read_comtrade_plus(text: str, collector: _Collector) -> None:
    rows = _table(text, collector.display, COMTRADE_PLUS_REQUIRED, collector.problems)
    if rows is None:
        return
    for row in rows:
        cells = row.cells
        reporter = collector.pair(row, ("reporterISO", "partnerISO"), ("reporterDesc", "partnerDesc"))
        if reporter is None or cells.get("typeCode", "C") not in ("C", ""):  # typeCode S = services
            continue
        if cells["freqCode"] == "M":
            collector.skipped.monthly = collector.skipped.monthly or row.line
            continue
        code = "" if cells["cmdCode"] == "TOTAL" else cells["cmdCode"]
        if (code and not _hs_level(cells)) or not all(
            _total_code(cells, column, total)
            for column, total in (("customsCode", "C00"), ("motCode", "0"), ("partner2Code", "0"))
        ):
            continue
        direction = COMTRADE_FLOWS.get(cells["flowCode"])
        if direction is None:  # re-exports, re-imports, processing flows
            continue
        if cells["freqCode"] != "A":
            collector.problem(row.line, "freqCode", f"'{cells['freqCode']}' is not A (annual) or M (monthly)")
            continue
        year = collector.parse(row, "refYear", _year)
        if year is None:
            continue
        period, month = cells["period"], cells.get("refMonth", "")
        if re.fullmatch(r"[0-9]{6}", period):
            collector.problem(row.line, "period", f"{period} is a month, but freqCode is A: monthly data given as annual")
        elif period != str(year):
            collector.problem(row.line, "period", f"'{period}' does not match refYear {year}")
        elif month not in ANNUAL_REF_MONTHS:
            collector.problem(row.line, "refMonth", f"{month} is a month, but freqCode is A: monthly data given as annual")
        elif (value := collector.parse(row, "primaryValue", _amount)) is not None:
            collector.add(reporter, year, direction, value, row.line, "primaryValue", code, cells.get("cmdDesc", ""))
    collector.explain_nothing(rows, "reporterISO", "freqCode", "cmdCode TOTAL, customsCode C00, motCode 0")


def _hs_level(cells: dict[str, str]) -> bool:
    """An HS chapter (2 digits) or heading (4): by `aggrLevel` where the file has it, else by the code's length."""
    code, level = cells["cmdCode"], cells.get("aggrLevel", "")
    return re.fullmatch(r"[0-9]{2}|[0-9]{4}", code) is not None and level in ("", str(len(code)))


# ---------------------------------------------------------------- legacy UN Comtrade

LEGACY_VALUE = "Trade Value (US$)"
LEGACY_REQUIRED = ["Year", "Period", "Trade Flow Code", "Reporter ISO", "Partner ISO", "Commodity Code", LEGACY_VALUE]
LEGACY_FLOWS = {"1": "imports", "2": "exports"}  # 3 re-export, 4 re-import


def _read_comtrade_legacy(text: str, collector: _Collector) -> None:
    rows = _table(text, collector.display, LEGACY_REQUIRED, collector.problems)
    if rows is None:
        return
    for row in rows:
        cells = row.cells
        reporter = collector.pair(row, ("Reporter ISO", "Partner ISO"), ("Reporter", "Partner"))
        if reporter is None:
            continue
        if re.fullmatch(r"[0-9]{6}", cells["Period"]):  # YYYYMM: a monthly record
            collector.skipped.monthly = collector.skipped.monthly or row.line
            continue
        if cells["Commodity Code"] != "TOTAL" or not all(
            _total_code(cells, column, total)
            for column, total in (("Customs Proc. Code", "C00"), ("Mode of Transport Code", "0"), ("2nd Partner Code", "0"))
        ):
            continue
        direction = LEGACY_FLOWS.get(cells["Trade Flow Code"])
        if direction is None:
            continue
        year = collector.parse(row, "Year", _year)
        if year is None:
            continue
        if cells["Period"] != str(year):
            collector.problem(row.line, "Period", f"'{cells['Period']}' is neither the year {year} nor a month (YYYYMM)")
        elif (value := collector.parse(row, LEGACY_VALUE, _amount)) is not None:
            collector.add(reporter, year, direction, value, row.line, LEGACY_VALUE)
    collector.explain_nothing(rows, "Reporter ISO", "Period", "Commodity Code TOTAL, customs C00, transport 0")


# ---------------------------------------------------------------- IMF DOTS / IMTS time series

IMF_REQUIRED = ["Country Name", "Country Code", "Indicator Code", "Counterpart Country Name", "Counterpart Country Code"]
IMF_INDICATORS = {"TXG_FOB_USD": "exports", "TMG_CIF_USD": "imports"}  # exports FOB, imports CIF, as Comtrade
IMF_SCALES = {"units": 1, "thousands": 10**3, "millions": 10**6, "billions": 10**9}
ANNUAL_COLUMN = re.compile(r"^[0-9]{4}$")
SUB_ANNUAL_COLUMN = re.compile(r"^[0-9]{4}-?[MQ][0-9]{1,2}$")  # 2023M1, 2023M01, 2023Q1, 2023-M01
IMF_FREQUENCY_COLUMNS = ("Frequency", "FREQUENCY", "Freq", "FREQ")


def _scale(row: CsvRow) -> tuple[int, str, str] | str:
    """(factor, what it is called, column) of a row's values, or the reason it is unknown.

    A `Scale` column decides; without it the indicator name does ("..., US Dollars, Millions"); plain
    "US Dollars" means units."""
    scale = row.cells.get("Scale", "")
    if scale:
        factor = IMF_SCALES.get(scale.casefold())
        if factor is None:
            return f"'{scale}' is not a scale ({', '.join(s.capitalize() for s in IMF_SCALES)})"
        return factor, scale.casefold(), "Scale"
    name = row.cells.get("Indicator Name", "")
    found = {word.casefold().rstrip("s") + "s" for word in re.findall(r"\b(thousands?|millions?|billions?)\b", name, re.I)}
    if len(found) > 1:
        return f"'{name}' names more than one scale"
    word = found.pop() if found else "units"
    return IMF_SCALES[word], word, "Indicator Name" if name else "Indicator Code"


def _read_imf(text: str, collector: _Collector) -> None:
    rows = _table(text, collector.display, IMF_REQUIRED, collector.problems)
    if rows is None:
        return
    header = _header(text)
    years = [name for name in header if ANNUAL_COLUMN.match(name)]
    if not years:
        sub_annual = [name for name in header if SUB_ANNUAL_COLUMN.match(name)]
        if sub_annual:
            collector.problem(
                1, sub_annual[0], "the file has monthly or quarterly columns only; download annual data (YYYY columns)"
            )
        else:
            collector.problem(1, "header", "has no year columns (YYYY)")
        return
    frequency_column = next((name for name in IMF_FREQUENCY_COLUMNS if name in header), None)
    first_scale: tuple[str, int, str] | None = None  # (name, line, column)
    for row in rows:
        cells = row.cells
        if cells.get("Attribute", "Value") not in ("Value", ""):  # the other attribute is "Status"
            continue
        reporter = collector.pair(
            row, ("Country Code", "Counterpart Country Code"), ("Country Name", "Counterpart Country Name"), by_name=True
        )
        direction = IMF_INDICATORS.get(cells["Indicator Code"])
        if reporter is None or direction is None:
            continue
        if frequency_column and cells[frequency_column].casefold() not in ("a", "annual", ""):
            collector.problem(
                row.line,
                frequency_column,
                f"'{cells[frequency_column]}' is not annual, but the values are in year columns: monthly data given as annual",
            )
            continue
        scale = _scale(row)
        if isinstance(scale, str):
            collector.problem(row.line, "Scale" if cells.get("Scale") else "Indicator Name", scale)
            continue
        factor, scale_name, scale_column = scale
        if first_scale is None:
            first_scale = (scale_name, row.line, scale_column)
        elif scale_name != first_scale[0]:
            collector.problem(
                row.line,
                scale_column,
                f"mixed units: values in {scale_name} here, in {first_scale[0]} on line {first_scale[1]}",
            )
            continue
        for column in years:
            cell = cells.get(column, "")
            if cell in ("", "..", "n/a", "NA"):  # no figure for that year
                continue
            value = collector.parse(row, column, _amount)
            if value is not None:
                collector.add(reporter, int(column), direction, value * factor, row.line, column)
    collector.explain_nothing(
        rows, "Country Code", "Indicator Code", "Indicator Code TXG_FOB_USD or TMG_CIF_USD, Attribute Value"
    )


# ---------------------------------------------------------------- one entry point per command

FORMATS: dict[str, list[tuple[str, Callable[[list[str]], bool], Callable[[str, _Collector], None]]]] = {
    "comtrade": [
        (COMTRADE_PLUS, lambda header: header[:2] == ["typeCode", "freqCode"], _read_comtrade_plus),
        (COMTRADE_LEGACY, lambda header: header[:3] == ["Classification", "Year", "Period"], _read_comtrade_legacy),
    ],
    "imf": [
        (IMF_DOTS, lambda header: header[:2] == ["Country Name", "Country Code"], _read_imf),
    ],
}
EXPECTED_HEADERS = {
    "comtrade": "a UN Comtrade+ download (typeCode,freqCode,...) or a legacy Comtrade file (Classification,Year,Period,...)",
    "imf": "an IMF DOTS/IMTS time series (Country Name,Country Code,Indicator Name,Indicator Code,...)",
}


def read_import_file(kind: str, path: Path, partners: tuple[Partner, Partner], problems: ProblemCollector) -> ImportFile | None:
    """One downloaded file of `kind` ("comtrade" or "imf"): its flows between the partners, or None (problems recorded)."""
    display = str(path)
    text = read_text(path, display, problems, limit=MAX_IMPORT_BYTES)
    if text is None:
        return None
    header = _header(text)
    for name, matches, reader in FORMATS[kind]:
        if header and matches(header):
            collector = _Collector(display, problems, _Partners(partners))
            before = len(problems.problems)
            reader(text, collector)
            if len(problems.problems) > before:
                return None
            return ImportFile(display, name, collector.flows, collector.products)
    shown = ",".join(header[:3]) + ("..." if len(header) > 3 else "") if header else "(empty file)"
    problems.add(display, 1, "header", f"unknown header '{shown}'; expected {EXPECTED_HEADERS[kind]}")
    return None
