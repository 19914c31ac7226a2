"""products.csv (optional): what is traded, by product, per year and direction, validated like trade.csv."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reports.dossier import fields
from reports.dossier.fields import CellChecker
from reports.dossier.model import ProductRow
from reports.dossier.readers import CsvRow, optional_file, read_csv, read_text
from reports.dossier.text import clean_text
from reports.dossier.vocabulary import PRODUCT_COLUMNS, PRODUCT_FLOWS
from reports.errors import ProblemCollector

PRODUCTS_FILE = "products.csv"
MAX_PRODUCT_ROWS = 200_000  # headings each way for decades: more rows than any other file of a dossier
PRODUCT_CODE = re.compile(r"^[0-9]{2}([0-9]{2}){0,2}$")  # HS: a chapter (2 digits), heading (4) or subheading (6)


def _product_code(value: Any) -> str:
    code = fields.text(value)
    if not PRODUCT_CODE.match(code):
        raise ValueError(f"'{code}' is not an HS code of 2, 4 or 6 digits")
    return code


def load_products(folder: Path, problems: ProblemCollector) -> list[tuple[CsvRow, ProductRow]]:
    """Every row of products.csv, one per (year, flow, code), in that order; [] when the file is absent."""
    path = folder / PRODUCTS_FILE
    display = str(path)
    if not optional_file(path):
        return []
    text = read_text(path, display, problems, inside=folder)
    table = read_csv(text, display, PRODUCT_COLUMNS, ["name_ru"], problems, MAX_PRODUCT_ROWS) if text is not None else None
    if table is None:
        return []
    rows = []
    keys: dict[tuple[int, str, str], int] = {}
    for row in table.rows:
        check = CellChecker(problems, display, row.line)
        cells = row.cells
        product = dict(
            year=check(cells, "year", fields.year),
            flow=check(cells, "flow", fields.choice(PRODUCT_FLOWS)),
            code=check(cells, "code", _product_code),
            name=check(cells, "name", fields.text),
            value=check(cells, "value", fields.amount),
            source=check(cells, "source", fields.slug),
            name_ru=clean_text(cells.get("name_ru", "")),
        )
        key = (product["year"], product["flow"], product["code"])
        if None not in key:
            if key in keys:
                problems.add(
                    display, row.line, "code", f"'{key[2]}' appears twice for {key[1]} in {key[0]} (first on line {keys[key]})"
                )
                check.failed = True
            keys.setdefault(key, row.line)
        if not check.failed:
            rows.append((row, ProductRow(**product)))
    return sorted(rows, key=lambda pair: (pair[1].year, pair[1].flow, pair[1].code))
