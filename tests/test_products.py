"""What is traded (docs/dossier-format.md, products.csv): the ranking, shares and changes, the full briefing's
tables and charts, the leadership note's sentence, validation, the HS import and the tables to take away.

Expected values are worked out here by hand from tests/dossiers/products/products.csv and trade.csv (2021:
exports 70, imports 51; 2020 has no trade row) and from the cells of tests/imports/comtrade_products.csv, never
taken from the code under test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from support.builds import shared_run
from support.cli import run_in_process
from support.paths import TESTS
from support.read import docx_text, pdf_headings, pdf_pages, pdf_text, squash

from reports.dossier.load import load_dossier
from reports.indicators import compute_indicators

SCENARIO = TESTS / "dossiers" / "products"  # tests/dossiers/valid with a products.csv
VALID = TESTS / "dossiers" / "valid"
IMPORT_SCENARIO = TESTS / "dossiers" / "import"
HS_FILE = TESTS / "imports" / "comtrade_products.csv"
TODAY = dt.date(2026, 11, 27)


def pdf_text_layout_rows(path: Path) -> list[str]:
    """The PDF's lines as laid out on the page (`pdftotext -layout`): a table row reads left to right."""
    return [line.strip() for page in pdf_pages(path, layout=True) for line in page.splitlines()]


def has(text: str, *phrases: str) -> bool:
    """Every phrase is in the text, white space aside (a table cell may wrap anywhere)."""
    return all(squash(phrase) in text for phrase in phrases)


def ranking(folder: Path = SCENARIO, as_of: dt.date = TODAY):
    return compute_indicators(load_dossier(folder), as_of).products


# ---------------------------------------------------------------- ranking, shares, changes


def test_products_are_ranked_by_value_with_shares_of_that_years_trade_and_changes():
    products = ranking()
    assert products.year == 2021
    exports = [(p.row.code, p.row.value, p.share_pct, p.change_pct) for p in products.exports]
    # shares of 2021 exports 70; changes on 2020 where 2020 has the code; 11 and 72 tie at 14: by code
    assert exports == [
        ("10", 28.0, pytest.approx(40.0), pytest.approx(40.0)),  # 28 / 20 − 1
        ("11", 14.0, pytest.approx(20.0), None),
        ("72", 14.0, pytest.approx(20.0), pytest.approx(-12.5)),  # 14 / 16 − 1
        ("27", 7.0, pytest.approx(10.0), None),
        ("26", 3.5, pytest.approx(5.0), None),
        ("25", 1.0, pytest.approx(100 / 70), None),
    ]
    imports = [(p.row.code, p.share_pct, p.previous, p.change_pct) for p in products.imports]
    assert imports == [
        ("87", pytest.approx(40.0), 17.0, pytest.approx(20.0)),  # 20.4 / 51; 20.4 / 17 − 1
        ("08", pytest.approx(20.0), 0.0, None),  # 0 the year before: no change to speak of
        ("61", pytest.approx(10.0), None, None),
    ]


def test_as_of_a_date_the_latest_year_is_the_latest_that_was_over():
    products = ranking(as_of=dt.date(2021, 6, 30))
    assert products.year == 2020
    # 2020 has no row in trade.csv: values and changes, no share
    assert [(p.row.code, p.share_pct, p.change_pct) for p in products.exports] == [
        ("10", None, pytest.approx(-60.0)),  # 20 / 50 − 1
        ("72", None, None),
    ]
    assert ranking(as_of=dt.date(2019, 6, 30)) is None


@pytest.mark.slow
def test_a_dossier_without_products_has_no_products_section(built):
    """tests/dossiers/products is tests/dossiers/valid with a products.csv: the same headings, that one apart."""
    with_products = pdf_headings(built["products"] / "ministry.en.pdf")
    assert "What is traded" in with_products
    assert pdf_headings(built["valid"] / "ministry.en.pdf") == [h for h in with_products if h != "What is traded"]


# ---------------------------------------------------------------- the briefings


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """The ministry report and the leadership note of the products scenario (English in every format, the report
    in Russian as PDF) and of the valid dossier it extends (English PDF), built once per test run."""
    both = ("--audience", "ministry", "--audience", "leadership")
    products = ("build", "--dossier", str(SCENARIO), "--out", "{out}/products")
    out, runs = shared_run(
        tmp_path_factory,
        "products",
        (*products, *both, "--format", "pdf", "--format", "docx", "--format", "html"),
        (*products, "--audience", "ministry", "--lang", "ru", "--format", "pdf"),
        ("build", "--dossier", str(VALID), *both, "--format", "pdf", "--out", "{out}/valid"),
    )
    for run in runs:
        assert run.code == 0, run.describe()
    return {"products": out / "products" / "north-south", "valid": out / "valid" / "north-south"}


@pytest.mark.slow
def test_the_ministry_pdf_shows_the_top_five_each_way_with_shares_changes_and_sources(built):
    text = squash(pdf_text(built["products"] / "ministry.en.pdf"))
    section = text[text.index(squash("What is traded The largest")) :]
    assert has(
        section,
        "Northland's main exports to Southland, 2021, EUR million",
        "10 Cereals 28 40.0 % +40.0 % [1]",
        "72 Iron and steel 14 20.0 % −12.5 % [1]",
        "26 Ores and concentrates 3.5 5.0 % – [1]",
        "The 5 largest of 6 products with figures.",
        # pdftotext reads this table's header after its first row: the code is looked for on the row's own line
        "Vehicles and parts 20.4 40.0 % +20.0 % [1]",
        "=Apparel <knitted> 5.1 10.0 %",
    )
    assert "Salt" not in section  # the sixth export: table and chart show the top five
    rows = pdf_text_layout_rows(built["products"] / "ministry.en.pdf")
    assert any(row.split()[:4] == ["87", "Vehicles", "and", "parts"] for row in rows)


@pytest.mark.slow
def test_the_chart_is_in_every_format(built):
    html = (built["products"] / "ministry.en.html").read_text(encoding="utf-8")
    assert html.count('<figure class="chart bars"') == 2
    assert "=Apparel &lt;knitted&gt;" in html and "<knitted>" not in html
    document = docx.Document(built["products"] / "ministry.en.docx")
    descriptions = [p.get("descr") for p in document.element.body.iter("{*}docPr")]
    assert "Bar chart of the 5 largest products, the first Cereals with €28 m." in descriptions
    assert "Bar chart of the 3 largest products, the first Vehicles and parts with €20.4 m." in descriptions
    with zipfile.ZipFile(built["products"] / "ministry.en.docx") as package:
        assert sum(name.startswith("word/media/") and name.endswith(".png") for name in package.namelist()) >= 2
    word = squash(docx_text(built["products"] / "ministry.en.docx"))
    assert has(word, "Northland's main imports from Southland, 2021, EUR million", "87 Vehicles and parts 20.4 40.0 % +20.0 %")


@pytest.mark.slow
def test_the_russian_briefing_names_the_products_in_russian(built):
    text = squash(pdf_text(built["products"] / "ministry.ru.pdf"))
    assert has(text, "Злаки", "Транспортные средства и части")


@pytest.mark.slow
def test_the_leadership_note_says_one_sentence(built):
    text = squash(pdf_text(built["products"] / "leadership.en.pdf"))
    assert has(text, "Cereals made up 40.0 % of Northland's exports to Southland in 2021. [1]")
    assert not has(text, "What is traded")
    assert "madeup" not in squash(pdf_text(built["valid"] / "leadership.en.pdf"))


# ---------------------------------------------------------------- validation


def test_bad_product_rows_are_named_by_file_line_and_field(tmp_path):
    folder = Path(shutil.copytree(SCENARIO, tmp_path / "dossier"))
    (folder / "products.csv").write_text(
        "year,flow,code,name,value,source\n"
        "2021,exports,10,Cereals,28,stats\n"
        "2021,exports,10,Cereals again,1,stats\n"
        "2021,re-exports,27,Fuels,1,stats\n"
        "2021,imports,8,Fruit,1,stats\n"
        "2021,imports,87,Vehicles,-1,stats\n"
        "2021,imports,61,Apparel,1,nowhere\n"
        "2021,imports,62,Apparel,1,cable\n",
        encoding="utf-8",
    )
    code, out, err = run_in_process("validate", "--dossier", str(folder))
    assert code == 2 and "Traceback" not in err
    path = folder / "products.csv"
    for line, field in ((3, "code"), (4, "flow"), (5, "code"), (6, "value"), (7, "source"), (8, "source")):
        assert f"{path}:{line}: {field}:" in err, err
    assert "'10' appears twice for exports in 2021 (first on line 2)" in err
    assert "'8' is not an HS code of 2, 4 or 6 digits" in err
    assert "'cable' is a restricted source" in err


# ---------------------------------------------------------------- the HS import


def hs_rows(**wanted: str) -> list[dict[str, str]]:
    with HS_FILE.open(encoding="utf-8", newline="") as file:
        return [row for row in csv.DictReader(file) if all(row[k] == v for k, v in wanted.items())]


def read_products(folder: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / "products.csv").read_text(encoding="utf-8"), newline="")))


@pytest.fixture
def import_dossier(tmp_path: Path) -> Path:
    folder = Path(shutil.copytree(IMPORT_SCENARIO, tmp_path / "dossier"))
    (folder / "products.csv").write_text(
        "year,flow,code,name,value,source,name_ru\n"
        "2020,exports,10,Cereals,5,stats,Злаки\n"
        "2021,exports,99,Gone from the download,5,stats,\n"
        "2021,exports,10,Cereals,1,stats,Злаки\n",
        encoding="utf-8",
    )
    return folder


def test_hs_import_keeps_the_reporters_chapters_and_replaces_products_by_year_and_flow(import_dossier):
    code, out, err = run_in_process("import", "comtrade", str(HS_FILE), "--dossier", str(import_dossier))
    assert code == 0, err
    rows = read_products(import_dossier)
    chapters = hs_rows(reporterISO="NLD", partnerISO="SLD", aggrLevel="2")
    assert len(chapters) == 120  # 30 chapters × 2 flows × 2 years in the file
    assert len(rows) == 120 + 1  # and the 2020 row the file does not touch
    assert {"year": "2020", "flow": "exports", "code": "10", "name": "Cereals", "value": "5", "source": "stats",
            "name_ru": "Злаки"} in rows  # fmt: skip
    assert not [r for r in rows if r["code"] == "99"]  # 2021 exports replaced as a whole
    cereals = hs_rows(reporterISO="NLD", partnerISO="SLD", refYear="2021", flowCode="X", cmdCode="10")[0]
    row = next(r for r in rows if (r["year"], r["flow"], r["code"]) == ("2021", "exports", "10"))
    assert row["value"] == f"{int(cereals['primaryValue']) / 1e6:.3f}".rstrip("0").rstrip(".")
    assert row["name"] == "Cereals" and row["name_ru"] == "Злаки"
    assert not [r for r in rows if len(r["code"]) == 4]  # the headings: the file has their chapters
    # the totals come from the TOTAL rows alone
    total = hs_rows(reporterISO="NLD", partnerISO="SLD", refYear="2022", flowCode="M", cmdCode="TOTAL")[0]
    trade = {r["year"]: r for r in csv.DictReader((import_dossier / "trade.csv").open(encoding="utf-8"))}
    assert float(trade["2022"]["imports"]) == pytest.approx(int(total["primaryValue"]) / 1e6, abs=0.0005)
    # idempotent: a second import changes nothing
    before = (import_dossier / "products.csv").read_bytes()
    code, out, err = run_in_process("import", "comtrade", str(HS_FILE), "--dossier", str(import_dossier))
    assert code == 0 and "nothing to change" in out
    assert (import_dossier / "products.csv").read_bytes() == before


def test_hs_import_dry_run_writes_nothing(import_dossier):
    before = {p.name: p.read_bytes() for p in import_dossier.iterdir() if p.is_file()}
    code, out, err = run_in_process("import", "comtrade", str(HS_FILE), "--dossier", str(import_dossier), "--dry-run")
    assert code == 0, err
    assert "products.csv: 2021 exports: 2 products (6) → 30" in out
    assert {p.name: p.read_bytes() for p in import_dossier.iterdir() if p.is_file()} == before


def test_the_briefing_reads_imported_products(import_dossier):
    assert run_in_process("import", "comtrade", str(HS_FILE), "--dossier", str(import_dossier)).code == 0
    products = ranking(import_dossier, dt.date.today())  # the imported rows cite a source dated on the import's day
    assert products.year == 2022 and len(products.exports) == len(products.imports) == 30
    assert sum(p.share_pct for p in products.exports) == pytest.approx(100, abs=0.01)  # chapters add up to the total


# ---------------------------------------------------------------- tables to take away


def test_xlsx_has_a_sheet_per_table_numbers_numeric_and_text_never_a_formula(tmp_path):
    out = tmp_path / "north-south.xlsx"
    code, _, err = run_in_process("indicators", "--dossier", str(SCENARIO), "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["series", "targets", "products"]
    series = book["series"]
    assert [c.value for c in series[1]][:4] == ["year", "exports", "imports", "turnover"]
    assert [(c.value, c.data_type) for c in series[4]][:4] == [(2021, "n"), (70, "n"), (51, "n"), (121, "n")]
    products = {row[3].value: row for row in book["products"].iter_rows(min_row=2)}
    apparel = products["61"]
    assert (apparel[4].value, apparel[4].data_type) == ("'=Apparel <knitted>", "s")  # shown as written, never run
    assert (apparel[6].value, apparel[6].data_type) == (pytest.approx(10.0), "n")
    assert products["08"][3].data_type == "s"  # a code keeps its leading zero
    with zipfile.ZipFile(out) as package:
        sheets = "".join(package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in sheets


def test_csv_writes_one_file_per_table(tmp_path):
    out = tmp_path / "north-south.csv"
    code, stdout, err = run_in_process("indicators", "--dossier", str(SCENARIO), "--format", "csv", "--out", str(out))
    assert code == 0, err
    products = list(csv.DictReader((tmp_path / "north-south.products.csv").open(encoding="utf-8")))
    assert [(r["flow"], r["rank"], r["code"], r["value"]) for r in products][:2] == [
        ("exports", "1", "10", "28.0"),
        ("exports", "2", "11", "14.0"),
    ]
    assert (tmp_path / "north-south.targets.csv").exists() and out.exists()


def test_format_needs_out():
    code, _, err = run_in_process("indicators", "--dossier", str(SCENARIO), "--format", "xlsx")
    assert code == 2 and "--format xlsx needs --out FILE" in err and "Traceback" not in err


def test_load_dossier_gives_dataframes_and_indicators():
    import reports

    data = reports.load_dossier(SCENARIO)
    assert data.trade.loc[2019, "exports"] == 60
    assert data.products.loc[(2021, "imports", "87"), "value"] == pytest.approx(20.4)
    assert data.indicators(TODAY).products.exports[0].row.code == "10"
    assert list(data.tables(TODAY)["products"]["code"][:3]) == ["10", "11", "72"]


def test_the_ministry_pack_has_the_products_as_an_annex(tmp_path):
    code, _, err = run_in_process(
        "brief", "--event", "secret-talks", "--dossier", str(SCENARIO), "--audience", "ministry", "--format", "html",
        "--as-of", "2022-06-01", "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0, err
    (page,) = tmp_path.rglob("*.html")
    text = page.read_text(encoding="utf-8")
    assert "Annex: What is traded" in text
    assert "Northland&#39;s main exports to Southland, 2021" in text or "Northland's main exports to Southland, 2021" in text


def test_the_briefing_model_holds_plain_values_only():
    """No DataFrame, Series or numpy scalar reaches the model the renderers and templates read."""
    import dataclasses

    from reports.briefing.audiences import load_audiences
    from reports.briefing.report import build_briefing
    from reports.template_folders import BUILTIN_TEMPLATES

    dossier = load_dossier(SCENARIO)
    ministry = load_audiences([BUILTIN_TEMPLATES])["ministry"]
    briefing = build_briefing(dossier, compute_indicators(dossier, TODAY), ministry, "en", [BUILTIN_TEMPLATES])
    seen = []

    def walk(value: object) -> None:
        seen.append(type(value).__module__.split(".")[0])
        if dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)

    walk(briefing)
    assert "BarChart" in {type(b).__name__ for s in briefing.sections for b in s.blocks}
    assert not {"pandas", "numpy"} & set(seen)
