"""`reports import comtrade|imf` (README, "Importing trade statistics") and the mirror table of the ministry briefing.

The files in tests/imports/ were written by hand from the headers the two sources document: a
Comtrade+ download, a legacy Comtrade file and two IMF DOTS time series, for the scenario dossier
tests/dossiers/import (the valid dossier in US dollars, NLD reporting, with SLD's own figures in
trade_mirror.csv). Every expected value below is worked out here from the cells of those files (US dollars
divided by a million or a billion), never taken from the code under test. Bad files are made from the good
ones by changing one cell, so the line and column of each problem are known.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from support.cli import Result, run_in_process
from support.paths import TESTS
from support.read import normalize

from reports.dossier.load import load_dossier

SCENARIO = TESTS / "dossiers" / "import"
VALID = TESTS / "dossiers" / "valid"
IMPORTS = TESTS / "imports"
PLUS = IMPORTS / "comtrade_plus.csv"
LEGACY = IMPORTS / "comtrade_legacy.csv"
IMF = IMPORTS / "imf_dots.csv"
IMF_MILLIONS = IMPORTS / "imf_millions.csv"
IMPORT_DAY = dt.date(2025, 1, 15)  # `--today`: the day every import of these tests is made


# ---------------------------------------------------------------- helpers


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    """A fresh copy of tests/dossiers/import."""
    return Path(shutil.copytree(SCENARIO, tmp_path / "dossier"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def rows(path: Path) -> dict[int, dict[str, str]]:
    return {int(r["year"]): r for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))}


def values(row: dict[str, str]) -> tuple[str, str, str, str, str]:
    return row["exports"], row["imports"], row["turnover"], row["status"], row["source"]


def variant(
    tmp_path: Path, source: Path, edits: dict[tuple[int, str], str] = (), keep: list[int] | None = None, name=None
) -> Path:
    """A copy of a fixture with cells changed: `edits[(line, column)] = value` (the header is line 1), and
    only the lines in `keep` if given. No cell of the fixtures spans lines, so records are lines."""
    records = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"), newline="")))
    header = records[0]
    for (line, column), value in dict(edits).items():
        records[line - 1][header.index(column)] = value
    if keep is not None:
        records = [records[i - 1] for i in keep]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    path = tmp_path / (name or source.name)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def run_import(kind: str, folder: Path, *files: Path, dry_run: bool = False) -> Result:
    """`reports import KIND FILES --dossier FOLDER` on IMPORT_DAY, so the source it adds is the same on any day."""
    args = ["import", kind, *map(str, files), "--dossier", str(folder), "--today", IMPORT_DAY.isoformat()]
    return run_in_process(*args, *(["--dry-run"] if dry_run else []))


def imported_ok(result: tuple[int, str, str]) -> str:
    code, out, err = result
    assert code == 0, err
    assert "Traceback" not in err
    return out


# ---------------------------------------------------------------- Comtrade+


def test_comtrade_plus_replaces_years_of_both_sides(scenario: Path) -> None:
    trade_before, mirror_before, yaml_before = lines(scenario / "trade.csv"), lines(scenario / "trade_mirror.csv"), None
    yaml_before = (scenario / "dossier.yaml").read_text(encoding="utf-8")
    code, out, err = run_import("comtrade", scenario, PLUS)
    assert code == 0, err
    written = ["dossier.yaml", "trade.csv", "trade_mirror.csv", "products.csv"]
    assert out.split() == [str(scenario / name) for name in written]
    # line 5, NLD's exports of HS chapter 27 (12,000,000 US dollars), is a product, not a total
    product = "2021,exports,27,Mineral fuels,12,comtrade-plus"
    assert lines(scenario / "products.csv") == ["year,flow,code,name,value,source", product]

    trade = rows(scenario / "trade.csv")
    assert list(trade) == [2018, 2019, 2021, 2022]
    # kept as written: the years the file does not have
    assert lines(scenario / "trade.csv")[:3] == trade_before[:3]
    # NLD's own report (lines 2-3): 72,345,678.9 and 51,234,567 US dollars → USD million, nearest thousand dollars
    assert values(trade[2021]) == ("72.346", "51.235", "123.581", "official", "comtrade-plus")
    note = trade[2021]["note"]
    assert "comtrade_plus.csv, lines 2 (exports) and 3 (imports)" in note
    assert "Replaces exports 70, imports 51, turnover 121 (preliminary, stats); earlier note: gap before this year" in note
    # a year the dossier did not have (lines 8-9) is added in order; the re-export of line 10 is not counted
    assert values(trade[2022]) == ("80", "55.5", "135.5", "official", "comtrade-plus")

    # SLD's own report (lines 11-12) goes to trade_mirror.csv from SLD's side: its exports are SLD → NLD
    mirror = rows(scenario / "trade_mirror.csv")
    assert list(mirror) == [2018, 2019, 2021]
    assert lines(scenario / "trade_mirror.csv")[:3] == mirror_before[:3]  # 2018's note, 2019 kept
    assert values(mirror[2021]) == ("49.877", "73.1", "122.977", "official", "comtrade-plus")
    assert "earlier note: Southland customs yearbook." in mirror[2021]["note"]

    # SLD 2022 has exports only (line 13): not imported, and said so
    assert f"{PLUS}:13: primaryValue: skipped: 2022 has SLD's exports but no imports" in err

    # dossier.yaml: the user's text untouched, one source appended in the style of the list
    text = (scenario / "dossier.yaml").read_text(encoding="utf-8")
    assert text.startswith(yaml_before)
    added = text[len(yaml_before) :]
    assert added.startswith("  - {id: comtrade-plus, ") and added.count("\n") <= 1
    source = load_dossier(scenario).sources["comtrade-plus"]
    assert source.title == "UN Comtrade+ data, file comtrade_plus.csv, imported 2025-01-15"
    assert source.date.first_day == IMPORT_DAY and source.file == "comtrade_plus.csv" and not source.restricted
    assert run_in_process("validate", "--dossier", str(scenario))[0] == 0


def test_without_today_the_import_is_dated_the_day_it_runs(scenario: Path) -> None:
    """The clock is read only where `--today` is not given; a run across midnight may see either day."""
    before = dt.date.today()
    result = run_in_process("import", "comtrade", str(PLUS), "--dossier", str(scenario), "--dry-run")
    after = dt.date.today()
    assert result.code == 0, result.describe()
    titles = {f"(UN Comtrade+ data, file comtrade_plus.csv, imported {day.isoformat()})" for day in (before, after)}
    assert any(title in result.out for title in titles), result.out


def test_comtrade_plus_skips_other_rows(scenario: Path, tmp_path: Path) -> None:
    """World, a chapter, a transport mode, a customs procedure, monthly and services rows: none is a total."""
    only_totals = variant(tmp_path, PLUS, keep=[1, 2, 3], name="totals.csv")
    imported_ok(run_import("comtrade", scenario, PLUS))
    with_extras = rows(scenario / "trade.csv")[2021]
    other = Path(shutil.copytree(SCENARIO, tmp_path / "other"))
    imported_ok(run_import("comtrade", other, only_totals))
    assert values(rows(other / "trade.csv")[2021])[:3] == values(with_extras)[:3] == ("72.346", "51.235", "123.581")


def test_flows_from_two_files_make_one_row(scenario: Path, tmp_path: Path) -> None:
    exports = variant(tmp_path, PLUS, keep=[1, 2], name="exports.csv")
    imports = variant(tmp_path, PLUS, keep=[1, 3], name="imports.csv")
    imported_ok(run_import("comtrade", scenario, exports, imports))
    row = rows(scenario / "trade.csv")[2021]
    assert values(row) == ("72.346", "51.235", "123.581", "official", "comtrade-exports")
    assert "exports.csv line 2 (exports) and imports.csv line 2 (imports)" in row["note"]
    assert {"comtrade-exports"} <= set(load_dossier(scenario).sources)


def test_mirror_file_is_created_with_the_columns_of_trade_csv(scenario: Path) -> None:
    (scenario / "trade_mirror.csv").unlink()
    (scenario / "trade.csv").write_text(
        "year,turnover,exports,imports,status,source\n2018,100,,,official,stats\n", encoding="utf-8"
    )
    imported_ok(run_import("comtrade", scenario, PLUS))
    mirror = lines(scenario / "trade_mirror.csv")
    assert mirror[0] == "year,turnover,exports,imports,status,source,note"
    assert mirror[1].startswith("2021,122.977,49.877,73.1,official,comtrade-plus,")
    assert len(mirror) == 2


def test_a_file_with_one_flow_only_imports_nothing(scenario: Path, tmp_path: Path) -> None:
    """A year needs exports and imports: a download of exports alone changes nothing and says why, per year."""
    exports = variant(tmp_path, PLUS, keep=[1, 2, 8], name="exports.csv")
    before = snapshot(scenario)
    code, out, err = run_import("comtrade", scenario, exports)
    assert code == 0 and "nothing to change: no year in the files has both flows" in out
    assert f"{exports}:2: primaryValue: skipped: 2021 has NLD's exports but no imports in the files" in err
    assert f"{exports}:3: primaryValue: skipped: 2022 has NLD's exports but no imports in the files" in err
    assert snapshot(scenario) == before


def test_same_file_twice_changes_nothing(scenario: Path) -> None:
    imported_ok(run_import("comtrade", scenario, PLUS))
    before = snapshot(scenario)
    out = imported_ok(run_import("comtrade", scenario, PLUS))
    assert "nothing to change" in out
    assert snapshot(scenario) == before


def test_dry_run_prints_the_table_and_writes_nothing(scenario: Path) -> None:
    before = snapshot(scenario)
    out = imported_ok(run_import("comtrade", scenario, PLUS, dry_run=True))
    assert snapshot(scenario) == before
    table = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]
    assert table[0] == ["year", "side", "exports", "imports", "turnover", "status", "source"]
    assert table[1] == [
        "2021",
        "trade.csv (NLD)",
        "70 → 72.346",
        "51 → 51.235",
        "121 → 123.581",
        "preliminary → official",
        "stats → comtrade-plus",
    ]
    assert table[2] == ["2022", "trade.csv (NLD)", "– → 80", "– → 55.5", "– → 135.5", "– → official", "– → comtrade-plus"]
    assert table[3] == [
        "2021",
        "trade_mirror.csv (SLD)",
        "49 → 49.877",
        "75 → 73.1",
        "124 → 122.977",
        "official → official",
        "stats → comtrade-plus",
    ]
    assert "dossier.yaml: source comtrade-plus would be added" in out
    assert out.rstrip().endswith("dry run: nothing written")


# ---------------------------------------------------------------- legacy Comtrade


def test_legacy_comtrade_into_a_billion_dossier(scenario: Path) -> None:
    (scenario / "dossier.yaml").write_text(
        (scenario / "dossier.yaml").read_text(encoding="utf-8").replace("unit: million", "unit: billion"), encoding="utf-8"
    )
    trade_before = lines(scenario / "trade.csv")
    imported_ok(run_import("comtrade", scenario, LEGACY))
    trade = rows(scenario / "trade.csv")
    # lines 2-3: NLD exports 61,200,000 (flow 2) and imports 49,800,000 (flow 1) US dollars → USD billion
    assert values(trade[2019]) == ("0.0612", "0.0498", "0.111", "official", "comtrade-legacy")
    assert "Replaces exports 60, imports 50, turnover 110 (official, stats)." in trade[2019]["note"]
    text = lines(scenario / "trade.csv")
    assert [text[1], text[3]] == [trade_before[1], trade_before[3]]  # 2018 and 2021, as written
    # lines 7-8: SLD's own 2020 report, a year the mirror lacked, inserted between 2019 and 2021
    mirror = rows(scenario / "trade_mirror.csv")
    assert list(mirror) == [2018, 2019, 2020, 2021]
    assert values(mirror[2020]) == ("0.047", "0.06625", "0.11325", "official", "comtrade-legacy")


# ---------------------------------------------------------------- IMF


def test_imf_time_series(scenario: Path) -> None:
    trade_before = lines(scenario / "trade.csv")
    imported_ok(run_import("imf", scenario, IMF))
    trade = rows(scenario / "trade.csv")
    assert list(trade) == [2018, 2019, 2020, 2021]
    # "Northland, Kingdom of" (IMF code 901) is the dossier's Northland; TXG_FOB_USD line 2, TMG_CIF_USD line 4
    assert values(trade[2018]) == ("58.9", "44.1", "103", "official", "imf-dots")
    assert "imf_dots.csv, lines 2 (exports) and 4 (imports), column 2018" in trade[2018]["note"]
    assert "Replaces turnover 100 (official, stats)." in trade[2018]["note"]
    assert values(trade[2020]) == ("66", "52", "118", "official", "imf-dots")  # not the 2020Q1 / 2020M1 columns
    assert lines(scenario / "trade.csv")[2] == trade_before[2]  # 2019: empty cells in the file
    mirror = rows(scenario / "trade_mirror.csv")
    # Southland by its ISO code; its imports are TMG_CIF_USD (57,000,000), not TMG_FOB_USD (line 9)
    assert values(mirror[2018]) == ("41", "57", "98", "official", "imf-dots")
    assert "Replaces turnover 95 (estimate, news); earlier note: Rough figure from the summit report." in mirror[2018]["note"]
    assert values(mirror[2020]) == ("50.5", "68", "118.5", "official", "imf-dots")


def test_imf_scale_column(scenario: Path, tmp_path: Path) -> None:
    """The same figures in US dollars (imf_dots.csv) and in millions with a Scale column give the same rows."""
    imported_ok(run_import("imf", scenario, IMF_MILLIONS))
    units = Path(shutil.copytree(SCENARIO, tmp_path / "units"))
    imported_ok(run_import("imf", units, IMF))
    for name in ("trade.csv", "trade_mirror.csv"):
        assert {y: values(r)[:4] for y, r in rows(scenario / name).items()} == {
            y: values(r)[:4] for y, r in rows(units / name).items()
        }


# ---------------------------------------------------------------- what is kept of the files


def test_bom_crlf_and_block_style_sources_are_kept(scenario: Path) -> None:
    trade = (
        "\ufeff"
        + "\r\n".join(
            ["year,source,status,turnover,imports,exports,note", "2018,stats,official,100,,,", "2021,stats,official,121,51,70,x"]
        )
        + "\r\n"
    )
    (scenario / "trade.csv").write_bytes(trade.encode("utf-8"))
    dossier_yaml = (scenario / "dossier.yaml").read_text(encoding="utf-8")
    sources_start = dossier_yaml.index("sources:")
    block = (
        "sources:\n"
        "  - {id: cable, title: Internal cable, date: 2023-06, restricted: true}\n"
        "  # the statistics office\n"
        "  - id: stats\n"
        "    title: Trade yearbook\n"
        "    date: 2024-03-01\n"
        "  - id: news\n"
        "    title: >-\n"
        "      Summit\n"
        "      report\n"
        "    date: '2023'\n"
        "# end of the sources\n"
        "base_year: 2018\n"
    )
    text = dossier_yaml[:sources_start].replace("base_year: 2018\n", "") + block
    (scenario / "dossier.yaml").write_text(text, encoding="utf-8")
    imported_ok(run_import("comtrade", scenario, PLUS))

    raw = (scenario / "trade.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n") == 4
    records = raw.decode("utf-8-sig").split("\r\n")
    assert records[:2] == ["year,source,status,turnover,imports,exports,note", "2018,stats,official,100,,,"]
    assert records[2].startswith("2021,comtrade-plus,official,123.581,51.235,72.346,")  # the file's own column order
    assert records[3].startswith("2022,comtrade-plus,official,135.5,55.5,80,")

    after = (scenario / "dossier.yaml").read_text(encoding="utf-8")
    day = IMPORT_DAY.isoformat()
    entry = (
        "  - id: comtrade-plus\n"
        f'    title: "UN Comtrade+ data, file comtrade_plus.csv, imported {day}"\n'
        '    publisher: "United Nations Statistics Division (UN Comtrade)"\n'
        f"    date: {day}\n"
        '    file: "comtrade_plus.csv"\n'
    )
    assert after == text.replace("# end of the sources\n", entry + "# end of the sources\n")
    assert yaml.safe_load(after)["sources"][-1]["id"] == "comtrade-plus"


def test_an_invalid_result_writes_nothing(scenario: Path) -> None:
    """The dossier after the import is checked first: here the source id is taken by a restricted source."""
    text = (scenario / "dossier.yaml").read_text(encoding="utf-8")
    (scenario / "dossier.yaml").write_text(
        text + "  - {id: comtrade-plus, title: Secret, date: 2024, restricted: true}\n", encoding="utf-8"
    )
    before = snapshot(scenario)
    code, _, err = run_import("comtrade", scenario, PLUS)
    assert code == 2 and "Traceback" not in err
    assert f"{scenario / 'trade.csv'}:4: source: 'comtrade-plus' is a restricted source" in err
    assert snapshot(scenario) == before
    assert not [p for p in scenario.iterdir() if p.name.endswith(".tmp")]


def test_a_dossier_not_in_usd_is_exit_2(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(VALID, tmp_path / "eur"))
    before = snapshot(folder)
    code, out, err = run_import("comtrade", folder, PLUS)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"{folder / 'dossier.yaml'}:8: currency: is EUR: imported statistics are in US dollars")
    assert snapshot(folder) == before


# ---------------------------------------------------------------- bad files: exit 2 with file, line and column

BAD_FILES = [
    # (id, command, fixture, edits, lines kept, line, column, message)
    (
        "unknown-header-comtrade",
        "comtrade",
        IMF,
        {},
        None,
        1,
        "header",
        "unknown header 'Country Name,Country Code,Indicator Name...'",
    ),
    ("unknown-header-imf", "imf", PLUS, {}, None, 1, "header", "unknown header 'typeCode,freqCode,refPeriodId...'"),
    (
        "wrong-partners",
        "comtrade",
        PLUS,
        {(2, "reporterISO"): "RUS", (2, "reporterDesc"): "Russian Federation", (3, "reporterISO"): "RUS"},
        [1, 2, 3],
        2,
        "reporterISO",
        "wrong partners: no row is trade between NLD and SLD as either of them reports it (the file has "
        "RUS (Russian Federation) → SLD (Southland)",
    ),
    (
        "wrong-partners-imf",
        "imf",
        IMF,
        {(2, "Counterpart Country Name"): "Eastland", (2, "Counterpart Country Code"): "903"},
        [1, 2],
        2,
        "Country Code",
        "wrong partners",
    ),
    (
        "mixed-units-scale",
        "imf",
        IMF_MILLIONS,
        {(3, "Scale"): "Units"},
        None,
        3,
        "Scale",
        "mixed units: values in units here, in millions on line 2",
    ),
    (
        "mixed-units-indicator",
        "imf",
        IMF,
        {(4, "Indicator Name"): "Goods, Value of Imports, Cost, Insurance, Freight (CIF), US Dollars, Millions"},
        None,
        4,
        "Indicator Name",
        "mixed units: values in millions here, in units on line 2",
    ),
    ("unknown-scale", "imf", IMF_MILLIONS, {(2, "Scale"): "Dozens"}, None, 2, "Scale", "'Dozens' is not a scale"),
    (
        "month-as-annual-period",
        "comtrade",
        PLUS,
        {(3, "period"): "202103"},
        None,
        3,
        "period",
        "202103 is a month, but freqCode is A: monthly data given as annual",
    ),
    (
        "month-as-annual-refmonth",
        "comtrade",
        PLUS,
        {(2, "refMonth"): "3"},
        None,
        2,
        "refMonth",
        "3 is a month, but freqCode is A",
    ),
    (
        "monthly-only",
        "comtrade",
        PLUS,
        {(2, "freqCode"): "M", (3, "freqCode"): "M"},
        [1, 2, 3],
        2,
        "freqCode",
        "monthly data only",
    ),
    (
        "legacy-monthly-only",
        "comtrade",
        LEGACY,
        {(2, "Period"): "201901", (3, "Period"): "201901"},
        [1, 2, 3],
        2,
        "Period",
        "monthly data only",
    ),
    ("imf-monthly-columns", "imf", IMF, {}, "drop-years", 1, "2020Q1", "monthly or quarterly columns only"),
    (
        "not-a-number-plus",
        "comtrade",
        PLUS,
        {(2, "primaryValue"): "72,345,678"},
        None,
        2,
        "primaryValue",
        "'72,345,678' is not a number",
    ),
    ("empty-value", "comtrade", PLUS, {(3, "primaryValue"): ""}, None, 3, "primaryValue", "is empty"),
    ("negative", "comtrade", PLUS, {(3, "primaryValue"): "-51234567"}, None, 3, "primaryValue", "-51234567 is negative"),
    (
        "not-a-number-legacy",
        "comtrade",
        LEGACY,
        {(3, "Trade Value (US$)"): "n/a"},
        None,
        3,
        "Trade Value (US$)",
        "'n/a' is not a number",
    ),
    ("not-a-number-imf", "imf", IMF, {(4, "2020"): "52 000 000"}, None, 4, "2020", "'52 000 000' is not a number"),
    ("bad-year", "comtrade", PLUS, {(2, "refYear"): "21", (2, "period"): "21"}, None, 2, "refYear", "'21' is not a year"),
    ("missing-column", "comtrade", PLUS, {(1, "primaryValue"): "value"}, None, 1, "primaryValue", "required column is missing"),
]


@pytest.mark.parametrize(
    ("command", "fixture", "edits", "keep", "line", "column", "message"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_bad_file_is_exit_2_with_file_line_and_column(
    scenario: Path, tmp_path: Path, command, fixture, edits, keep, line, column, message
) -> None:
    if keep == "drop-years":  # an IMF extract with quarterly and monthly columns only
        header = next(csv.reader(io.StringIO(fixture.read_text(encoding="utf-8"))))
        path = tmp_path / "quarterly.csv"
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for record in csv.reader(io.StringIO(fixture.read_text(encoding="utf-8"))):
            writer.writerow([cell for name, cell in zip(header, record, strict=True) if name not in ("2018", "2019", "2020")])
        path.write_text(out.getvalue(), encoding="utf-8")
    else:
        path = variant(tmp_path, fixture, edits, keep)
    before = snapshot(scenario)
    code, out, err = run_import(command, scenario, path)
    assert code == 2, out
    assert "Traceback" not in err
    prefix = f"{path}:{line}: {column}: "
    assert any(text.startswith(prefix) and message in text for text in err.splitlines()), err
    assert snapshot(scenario) == before


def test_two_files_disagreeing_on_a_total(scenario: Path, tmp_path: Path) -> None:
    other = variant(tmp_path, PLUS, {(2, "primaryValue"): "72000000"}, name="other.csv")
    before = snapshot(scenario)
    code, _, err = run_import("comtrade", scenario, PLUS, other)
    assert code == 2 and "Traceback" not in err
    assert f"{other}:2: primaryValue: NLD's exports for 2021 are 72000000 here but 72345678.9 on {PLUS}:2" in err
    assert snapshot(scenario) == before


# ---------------------------------------------------------------- the mirror table in the ministry briefing

MIRROR_HEADER = ["Year", "Northland statistics", "Southland statistics", "Gap", "Source"]
# After importing comtrade_plus.csv: NLD 2018 100, 2019 110, 2021 123.581, 2022 135.5; SLD 2018 95
# (estimate), 2019 112, 2021 122.977. Gap = SLD / NLD − 1: 95/100 → −5.0 %, 112/110 → +1.8 %,
# 122.977/123.581 → −0.5 %; 2022 has no SLD figure.
MIRROR_ROWS = [
    ["2018", "100", "about 95 (estimate)", "about −5.0 %"],  # an estimate, and a gap computed from it
    ["2019", "110", "112", "+1.8 %"],
    ["2021", "123.6", "123", "−0.5 %"],
    ["2022", "135.5", "–", "–"],
]


@pytest.mark.slow
def test_ministry_briefing_shows_the_mirror_table(scenario: Path, tmp_path: Path) -> None:
    imported_ok(run_import("comtrade", scenario, PLUS))
    out = tmp_path / "build"
    code, _, err = run_in_process(  # as of the import day: the imported rows cite a source dated that day
        "build", "--dossier", str(scenario), "--audience", "ministry", "--format", "pdf", "--format", "docx",
        "--as-of", IMPORT_DAY.isoformat(), "--out", str(out),
    )  # fmt: skip
    assert code == 0, err

    document = docx.Document(str(out / "north-south" / "ministry.en.docx"))
    tables = [t for t in document.tables if [c.text.strip() for c in t.rows[0].cells] == MIRROR_HEADER]
    assert len(tables) == 1, "no mirror table in the Word file"
    cells = [[normalize(c.text) for c in row.cells] for row in tables[0].rows[1:]]
    assert [row[:4] for row in cells] == MIRROR_ROWS
    assert all(re.fullmatch(r"\[\d+(?:,\s\d+|–\d+)*\]", row[4]) for row in cells), cells  # one merged mark
    paragraphs = " ".join(p.text for p in document.paragraphs)
    assert "Mirror statistics: turnover as each side records it, USD million" in paragraphs
    assert "Gap: Southland's figure against Northland's" in paragraphs
    assert "(CIF)" in paragraphs and "(FOB)" in paragraphs and "every indicator uses Northland statistics" in paragraphs

    pdf = re.sub(
        r"\s+", " ", " ".join(page.extract_text() for page in pypdf.PdfReader(out / "north-south" / "ministry.en.pdf").pages)
    )
    assert "Mirror statistics: turnover as each side records it, USD million" in pdf
    assert "Northland statistics Southland statistics Gap Source" in pdf
    for year, own, other, gap in MIRROR_ROWS:
        row = rf"{year} {re.escape(own)} {re.escape(other)} {re.escape(gap)} \[\d+(?:,\s\d+|–\d+)*\]"  # one merged mark
        assert re.search(row, pdf), (year, pdf)
    assert "(CIF)" in pdf and "(FOB)" in pdf
