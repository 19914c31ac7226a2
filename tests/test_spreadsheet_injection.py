"""No formula from data in a spreadsheet. `reports indicators --format csv|xlsx`: a text cell from the dossier that
a spreadsheet would run as a formula (`=cmd|' /C calc'!A0`, `@SUM(1)`, `+1+1`, `=HYPERLINK(...)`, a leading tab)
is written with a leading `'`, as OWASP's CSV injection guidance says; numbers, negative ones too, are left as
they are. The Word chart's embedded workbook: its series names are text cells whatever they start with."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from support.cli import build_args, run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS, VALID_ID

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


def workbook_cells(path: Path) -> tuple[str, str]:
    """(the worksheet XML, the shared strings XML) of the first workbook embedded in a Word file."""
    with zipfile.ZipFile(path) as package:
        names = [name for name in package.namelist() if name.startswith("word/embeddings/") and name.endswith(".xlsx")]
        assert names, f"{path.name} has no embedded workbook (no native chart)"
        with zipfile.ZipFile(package.open(names[0])) as workbook:
            sheet = workbook.read("xl/worksheets/sheet1.xml").decode("utf-8")
            names = workbook.namelist()
            strings = workbook.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in names else ""
            relationships = [name for name in names if name.startswith("xl/worksheets/_rels/")]
            assert not relationships, f"the workbook's sheet has relationships (a hyperlink?): {relationships}"
    return sheet, strings


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://evil.example/","Northland")',
        "+1+1 Northland",
        "-2+3 Northland",
        "@SUM(1) Northland",
        "http://evil.example/ Northland",
    ],
)
def test_a_partner_name_is_a_text_cell_in_the_word_charts_workbook(dossier: DossierCopy, tmp_path: Path, name: str):
    """The series names ("{reporter} exports") are text cells whatever they start with: no formula, no link."""
    quoted = name.replace("'", "''")
    dossier.replace("dossier.yaml", "{code: NLD, name: Northland,", f"{{code: NLD, name: '{quoted}',")
    out = tmp_path / "out"
    result = run_in_process(*build_args(dossier.path, out, "--format", "docx", "--audience", "ministry", "--lang", "en"))
    assert result.code == 0, result.describe()
    sheet, strings = workbook_cells(out / VALID_ID / "ministry.en.docx")
    assert "<f>" not in sheet and "<f " not in sheet, "a cell of the workbook is a formula"
    texts = ["".join(item.itertext()) for item in ElementTree.fromstring(strings)] if strings else []
    assert f"{name} exports" in texts, f"the series name is not a text cell of the workbook: {texts}"
