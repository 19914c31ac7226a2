"""The indicators as tables to take away (`reports indicators --format csv|xlsx --out FILE`): the series by year,
the targets and the products of the latest year with product rows, as pandas DataFrames.

In the workbook each table is a sheet, numbers are numeric cells and text is always a string cell: a name such
as `=HYPERLINK(...)` from a dossier is shown as written, never evaluated as a formula. CSV holds one table per
file: FILE gets the series, FILE's stem with `.targets` and `.products` the others. A CSV file has no cell types,
so a spreadsheet opening it would run `=cmd|' /C calc'!A0`: as OWASP's CSV injection guidance says, every text
cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (`'=cmd|...`), in the
workbook too so both files say the same; numbers are left as they are.
"""

from __future__ import annotations

import io
import numbers
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from reports.files import write_atomically
from reports.indicators import Indicators, target_record

if TYPE_CHECKING:  # openpyxl is imported only when a workbook is written
    from openpyxl.cell.cell import Cell

SIGNIFICANT_DIGITS = 12  # more than any source publishes, fewer than a float's noise: 10.000000000000009 is 10.0
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet reads as the start of a formula


def inert_text(value: object) -> object:
    """A text cell a spreadsheet shows as written: `'` before a formula's first character; other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def indicator_tables(indicators: Indicators) -> dict[str, pd.DataFrame]:
    """The three tables, one row per year, target or product; empty cells where a figure is not known."""
    series = pd.DataFrame(
        [
            {
                "year": y.row.year,
                "exports": y.row.exports,
                "imports": y.row.imports,
                "turnover": y.row.turnover,
                "change_pct": y.yoy_pct,
                "change_quality": None if y.yoy_pct is None else y.yoy_quality,
                "exports_share_pct": y.exports_share_pct,
                "imports_share_pct": y.imports_share_pct,
                "status": y.row.status,
                "source": y.row.source,
            }
            for y in indicators.table
        ],
        columns=[
            "year", "exports", "imports", "turnover", "change_pct", "change_quality", "exports_share_pct", "imports_share_pct",
            "status", "source",
        ],
    )  # fmt: skip
    targets = pd.DataFrame(
        [
            {**target_record(t), "description": t.target.description, "sources": "; ".join(t.sources)}
            for t in indicators.targets
        ],
        columns=[
            "id", "metric", "value", "year", "set_on", "description", "latest", "gap", "progress_pct", "years_left",
            "required_cagr_pct", "projected", "status", "quality", "sources",
        ],
    )  # fmt: skip
    ranking = indicators.products
    ranked = [] if ranking is None else [(ranking.year, "exports", ranking.exports), (ranking.year, "imports", ranking.imports)]
    products = pd.DataFrame(
        [
            {
                "year": year,
                "flow": flow,
                "rank": rank,
                "code": item.row.code,
                "name": item.row.name,
                "value": item.row.value,
                "share_pct": item.share_pct,
                "previous_year_value": item.previous,
                "change_pct": item.change_pct,
                "sources": "; ".join(item.sources),
            }
            for year, flow, items in ranked
            for rank, item in enumerate(items, 1)
        ],
        columns=["year", "flow", "rank", "code", "name", "value", "share_pct", "previous_year_value", "change_pct", "sources"],
    )
    for frame in (series, targets):
        frame["year"] = frame["year"].astype("Int64")  # a year is a whole number, also where some are missing
    targets["years_left"] = targets["years_left"].astype("Int64")
    for frame in (series, targets, products):
        for column in frame.columns[frame.dtypes == "float64"]:
            frame[column] = frame[column].map(_without_noise)
    return {"series": series, "targets": targets, "products": products}


def _without_noise(value: float) -> float:
    """The figure to SIGNIFICANT_DIGITS: arithmetic on decimal fractions leaves noise in the last binary digits."""
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def export_indicators(indicators: Indicators, kind: str, out: Path) -> list[Path]:
    """Write the tables as `kind` ("csv" or "xlsx") to `out` (and, for CSV, beside it); the paths written."""
    tables = {name: frame.map(inert_text) for name, frame in indicator_tables(indicators).items()}
    if kind == "csv":
        paths = {name: out if name == "series" else out.with_name(f"{out.stem}.{name}{out.suffix or '.csv'}") for name in tables}
        outputs = {paths[name]: frame.to_csv(index=False, lineterminator="\n").encode() for name, frame in tables.items()}
    else:
        outputs = {out: _workbook(tables)}
    return write_atomically(outputs)


def _workbook(tables: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table: a header row, then numbers as numbers and text as string cells (never formulas)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for name, frame in tables.items():
        sheet = book.create_sheet(name)
        for column, title in enumerate(frame.columns, 1):
            _set(sheet.cell(1, column), str(title))
        for row, values in enumerate(frame.itertuples(index=False), 2):
            for column, value in enumerate(values, 1):
                _set(sheet.cell(row, column), value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _set(cell: Cell, value: object) -> None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl reads "=..." as a formula; a string cell shows it as written
    elif isinstance(value, numbers.Integral):  # Python's and numpy's whole numbers, as Python's
        cell.value = int(value)
    elif isinstance(value, numbers.Real):
        cell.value = float(value)
    else:
        raise TypeError(f"a table cell holds {value!r}, neither text nor a number")
