"""`reports indicators --format csv|xlsx`: a text cell from the dossier that a spreadsheet would run as a formula
(`=cmd|' /C calc'!A0`, `@SUM(1)`, `+1+1`, `=HYPERLINK(...)`, a leading tab) is written with a leading `'`, as
OWASP's CSV injection guidance says; numbers, negative ones too, are left as they are."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS

# products.csv line: (HS code, the name written there), every one a 2021 export
FORMULAS = {
    7: ("72", "=cmd|' /C calc'!A0"),
    8: ("10", "@SUM(1)"),
    9: ("27", "+1+1"),
    10: ("11", '=HYPERLINK("http://evil.example/","flour")'),
    11: ("26", "-2+3"),
}


@pytest.fixture
def products(tmp_path: Path) -> DossierCopy:
    copy = DossierCopy(Path(shutil.copytree(DOSSIERS / "products", tmp_path / "dossier")))
    for line, (_, name) in FORMULAS.items():
        copy.set_cell("products.csv", line, "name", name)
    copy.set_cell("products.csv", 13, "name", "\t=1+1")  # HS 08, a 2021 import
    return copy


def export_args(products: DossierCopy, kind: str, out: Path) -> list[str]:
    return ["indicators", "--dossier", str(products.path), "--as-of", "2022-06-01", "--format", kind, "--out", str(out)]


def test_csv_cells_that_start_a_formula_get_a_quote(products: DossierCopy, tmp_path: Path):
    out = tmp_path / "ns.csv"
    result = run_in_process(*export_args(products, "csv", out))
    assert result.code == 0, result.describe()
    rows = list(csv.DictReader((tmp_path / "ns.products.csv").open(encoding="utf-8", newline="")))
    names = {row["code"]: row["name"] for row in rows if row["year"] == "2021"}
    for code, formula in FORMULAS.values():
        assert names[code] == "'" + formula, names
    assert names["08"] == "'=1+1"  # the loader trims the tab, the export still sees a formula
    assert names["87"] == "Vehicles and parts"
    changes = [row["change_pct"] for row in rows if row["change_pct"].startswith("-")]
    assert changes, "no negative number in the table to check"
    assert all(float(change) < 0 for change in changes)  # a negative number stays a number
    for raw in (tmp_path / "ns.products.csv").read_text(encoding="utf-8").splitlines():
        for cell in next(csv.reader([raw])):
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), raw


def test_workbook_text_cells_that_start_a_formula_get_a_quote(products: DossierCopy, tmp_path: Path):
    out = tmp_path / "ns.xlsx"
    result = run_in_process(*export_args(products, "xlsx", out))
    assert result.code == 0, result.describe()
    sheet = openpyxl.load_workbook(out)["products"]
    names = {row[3].value: row[4] for row in sheet.iter_rows(min_row=2) if row[0].value == 2021}
    for code, formula in FORMULAS.values():
        assert (names[code].value, names[code].data_type) == ("'" + formula, "s")
