"""Tests of the indicators: `reports indicators` and its JSON (README, `reports indicators`).

The scenario dossier tests/dossiers/indicators (EUR million, reporter NLD, base year 2018) was built so that
every figure can be worked out by hand as of 2023-01-01 (the first day on which 2022 counts):

    year  exports  imports  turnover
    2018     –        –      100        turnover only, no split
    2019    60       50      110
    2020                                a gap: never filled in
    2021    70       51      121
    2022    80       66.41   146.41     turnover left empty = 80 + 66.41
    2023     –        –      999        after the as-of year: ignored

    146.41 = 100 × 1.4641 = 100 × 1.1^4, so the turnover CAGR 2018–2022 is exactly 10 %.

The expected values below are written out by hand (arithmetic in the comments), never copied from the
code under test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.cli import run_in_process

from reports import cli
from reports.dossier.dates import FuzzyDate
from reports.dossier.load import load_dossier
from reports.dossier.model import Dossier, Target, TradeRow
from reports.indicators import compute_indicators, to_contract_json, trade_table

REPO = Path(__file__).resolve().parents[1]
SCENARIO = REPO / "tests" / "dossiers" / "indicators"
AS_OF = dt.date(2023, 1, 1)  # the first day on which 2022 is over and its row counts

STATUSES = {"unknown", "met", "open", "missed", "on_track", "behind"}  # the six status words of the JSON
TOP_KEYS = {
    "dossier",
    "as_of",
    "currency",
    "unit",
    "reporter",
    "base_year",
    "latest_year",
    "series",
    "indicators",
    "ytd",
    "mirror",
    "targets",
}
SERIES_KEYS = {"year", "exports", "imports", "turnover", "status", "source"}
INDICATOR_KEYS = {
    "turnover_base",
    "turnover_latest",
    "growth_abs",
    "growth_pct",
    "growth_multiple",
    "cagr_pct",
    "yoy_pct",
    "balance",
    "coverage_pct",
}
TARGET_KEYS = {
    "id",
    "metric",
    "value",
    "year",
    "set_on",
    "latest",
    "gap",
    "progress_pct",
    "years_left",
    "required_cagr_pct",
    "projected",
    "status",
    "quality",
}

# ---------------------------------------------------------------- the hand-worked expectation

LATEST = 146.41  # turnover 2022 = exports 80 + imports 66.41

EXPECTED_INDICATORS = {
    "turnover_base": 100.0,
    "turnover_latest": 146.41,
    "growth_abs": 46.41,  # 146.41 − 100
    "growth_pct": 46.41,  # (146.41 / 100 − 1) × 100
    "growth_multiple": 1.4641,  # 146.41 / 100
    "cagr_pct": 10.0,  # (1.4641 ^ (1/4) − 1) × 100 = 10 exactly, since 1.1^4 = 1.4641 (4 = 2022 − 2018)
    "yoy_pct": 21.0,  # (146.41 / 121 − 1) × 100 = 21, since 121 × 1.21 = 146.41
    "balance": 13.59,  # 80 − 66.41
    "coverage_pct": 120.46378557,  # 80 / 66.41 × 100 = 120.4637855…
}
QUALIFIED = ("growth_abs", "growth_pct", "growth_multiple", "cagr_pct", "yoy_pct", "balance", "coverage_pct")
# every row of the scenario is official or preliminary, and 2022 publishes no change of its own
EXPECTED_QUALITY = {"quality": {name: "exact" for name in QUALIFIED}, "yoy_published": False}


def _target(id, metric, value, year, set_on, latest, gap, progress, years_left, required, projected, status):
    return {
        "id": id,
        "metric": metric,
        "value": value,
        "year": year,
        "set_on": set_on,
        "latest": latest,
        "gap": gap,
        "progress_pct": progress,
        "years_left": years_left,
        "required_cagr_pct": required,
        "projected": projected,
        "status": status,
        "quality": "exact",  # every row of the scenario is official or preliminary
    }


EXPECTED_TARGETS = [
    # 146.41 ≥ 140 → met. gap 140 − 146.41 = −6.41; progress 146.41 / 140 = 104.5785714 %;
    # years_left 2022 − 2022 = 0, so required and projected are null.
    _target("met", "turnover", 140.0, 2022, "2019-05", LATEST, -6.41, 104.57857143, 0, None, None, "met"),
    # 146.41 < 200, has a year, years_left 2021 − 2022 = −1 ≤ 0 → missed. gap 53.59; progress 73.205 %.
    _target("missed", "turnover", 200.0, 2021, "2019", LATEST, 53.59, 73.205, -1, None, None, "missed"),
    # no year → open; every year-based field null. gap 153.59; progress 146.41 / 300 = 48.8033333 %.
    _target("open", "turnover", 300.0, None, "2020-01-15", LATEST, 153.59, 48.80333333, None, None, None, "open"),
    # years_left 2025 − 2022 = 3. required = ((190 / 146.41)^(1/3) − 1) × 100: 190 / 146.41 = 1.2977256,
    # cube root 1.0907560 → 9.0756024 %. projected = 146.41 × 1.1^3 = 146.41 × 1.331 = 194.87171 ≥ 190 → on_track.
    # gap 43.59; progress 146.41 / 190 = 77.0578947 %.
    _target("on-track", "turnover", 190.0, 2025, "2021-11", LATEST, 43.59, 77.05789474, 3, 9.07560238, 194.87171, "on_track"),
    # required = ((250 / 146.41)^(1/3) − 1) × 100: 250 / 146.41 = 1.7075336, cube root 1.1952436 → 19.5243588 %.
    # projected 194.87171 < 250 → behind. gap 103.59; progress 146.41 / 250 = 58.564 %.
    _target("behind", "turnover", 250.0, 2025, "2021-11", LATEST, 103.59, 58.564, 3, 19.52435883, 194.87171, "behind"),
    # exports: latest 80 (2022) < 100, has a year, years_left 3 > 0; required = (1.25^(1/3) − 1) × 100 = 7.7217345 %;
    # the exports CAGR needs exports in the base year 2018 (turnover only) → projected null → unknown.
    # gap 20; progress 80 %.
    _target("unknown", "exports", 100.0, 2025, "2021-11", 80.0, 20.0, 80.0, 3, 7.72173450, None, "unknown"),
]

EXPECTED_SERIES = [  # 2020 absent (a gap), 2023 after the as-of year
    {"year": 2018, "exports": None, "imports": None, "turnover": 100.0, "status": "official", "source": "stats"},
    {"year": 2019, "exports": 60.0, "imports": 50.0, "turnover": 110.0, "status": "official", "source": "stats"},
    {"year": 2021, "exports": 70.0, "imports": 51.0, "turnover": 121.0, "status": "preliminary", "source": "stats"},
    {"year": 2022, "exports": 80.0, "imports": 66.41, "turnover": 146.41, "status": "preliminary", "source": "stats"},
]

EXPECTED_JSON = {
    "dossier": "north-south",
    "as_of": "2023-01-01",
    "currency": "EUR",
    "unit": "million",
    "reporter": "NLD",
    "base_year": 2018,
    "latest_year": 2022,
    "series": EXPECTED_SERIES,
    "indicators": {**EXPECTED_INDICATORS, **EXPECTED_QUALITY},
    "ytd": None,  # the scenario has no trade_ytd.csv
    "mirror": None,  # nor a trade_mirror.csv
    "targets": EXPECTED_TARGETS,
}


# ---------------------------------------------------------------- helpers


def assert_matches(actual, expected, where="$"):
    """Deep comparison: same keys, same list lengths, ints exactly (a year is never 2022.0), floats within 1e-6."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: {actual!r} is not an object"
        assert set(actual) == set(expected), f"{where}: keys {sorted(actual)} != {sorted(expected)}"
        for key in expected:
            assert_matches(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: {actual!r} is not a list"
        assert len(actual) == len(expected), f"{where}: {len(actual)} items, expected {len(expected)}"
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_matches(a, e, f"{where}[{index}]")
    elif expected is None or isinstance(expected, str | bool):
        assert actual == expected and type(actual) is type(expected), f"{where}: {actual!r} != {expected!r}"
    elif isinstance(expected, int):
        assert type(actual) is int and actual == expected, f"{where}: {actual!r} != {expected!r} (an integer)"
    else:
        assert isinstance(actual, int | float) and not isinstance(actual, bool), f"{where}: {actual!r} is not a number"
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-6), f"{where}: {actual!r} != {expected!r}"


def scenario_copy(tmp_path: Path, trade: str | None = None, **yaml_edits: str) -> Path:
    """A copy of the scenario dossier with trade.csv replaced and `old=new` text replacements in dossier.yaml."""
    folder = tmp_path / "dossier"
    shutil.copytree(SCENARIO, folder)
    if trade is not None:
        (folder / "trade.csv").write_text(trade, encoding="utf-8")
    yaml_path = folder / "dossier.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    for old, new in yaml_edits.values():
        assert old in text
        text = text.replace(old, new)
    yaml_path.write_text(text, encoding="utf-8")
    return folder


TRADE_HEADER = "year,exports,imports,turnover,status,source,note\n"


@pytest.fixture(scope="module")
def scenario() -> Dossier:
    return load_dossier(SCENARIO)


@pytest.fixture(scope="module")
def indicators(scenario):
    return compute_indicators(scenario, AS_OF)


def by_id(indicators):
    return {t.target.id: t for t in indicators.targets}


# ---------------------------------------------------------------- 1. every field of the JSON


def test_contract_json_of_the_scenario(indicators):
    assert_matches(to_contract_json(indicators), EXPECTED_JSON)


def test_contract_json_is_plain_json(indicators):
    data = to_contract_json(indicators)
    assert json.loads(json.dumps(data)) == data  # no numpy scalars, no dates, nothing json cannot write


def test_top_level_fields(indicators):
    assert indicators.dossier_id == "north-south"
    assert indicators.as_of == AS_OF
    assert (indicators.currency, indicators.unit, indicators.reporter) == ("EUR", "million", "NLD")
    assert indicators.base_year == 2018
    assert indicators.latest_year == 2022  # 2023 (turnover 999) is after the as-of year


def test_series_skips_later_years_and_keeps_the_gap(indicators):
    assert [row.year for row in indicators.series] == [2018, 2019, 2021, 2022]
    row_2022 = indicators.series[-1]
    assert row_2022.turnover == pytest.approx(146.41)  # filled in: 80 + 66.41
    assert (row_2022.exports, row_2022.imports) == (80, 66.41)


@pytest.mark.parametrize("name", sorted(EXPECTED_INDICATORS))
def test_each_indicator(indicators, name):
    assert indicators.figures[name].value == pytest.approx(EXPECTED_INDICATORS[name], rel=1e-9, abs=1e-6)


def test_indicators_in_contract_order(indicators):
    assert list(to_contract_json(indicators)["indicators"]) == [
        "turnover_base",
        "turnover_latest",
        "growth_abs",
        "growth_pct",
        "growth_multiple",
        "cagr_pct",
        "yoy_pct",
        "balance",
        "coverage_pct",
        "quality",
        "yoy_published",
    ]


def test_targets_in_dossier_order(indicators):
    assert [t.target.id for t in indicators.targets] == ["met", "missed", "open", "on-track", "behind", "unknown"]


@pytest.mark.parametrize("expected", EXPECTED_TARGETS, ids=[t["id"] for t in EXPECTED_TARGETS])
def test_each_target(indicators, expected):
    actual = next(t for t in to_contract_json(indicators)["targets"] if t["id"] == expected["id"])
    assert_matches(actual, expected, expected["id"])


def test_one_target_of_each_status(indicators):
    assert {t.status for t in indicators.targets} == STATUSES


def test_a_year_counts_only_once_it_is_over(scenario):
    # rows with year >= the as-of *year* are ignored: 31 December 2022 does not see 2022 yet, 1 January 2023 does.
    assert compute_indicators(scenario, dt.date(2022, 12, 31)).latest_year == 2021
    assert compute_indicators(scenario, dt.date(2023, 1, 1)).latest_year == 2022


def test_as_of_a_later_year_takes_the_later_row(scenario):
    result = compute_indicators(scenario, dt.date(2024, 6, 30))
    assert result.latest_year == 2023
    assert result.figures["turnover_latest"].value == 999
    assert result.figures["yoy_pct"].value == pytest.approx(582.3304419)  # (999 / 146.41 − 1) × 100
    assert result.figures["balance"].value is None  # 2023 has turnover only


def test_as_of_before_any_data(scenario):
    data = to_contract_json(compute_indicators(scenario, dt.date(2017, 12, 31)))
    assert data["latest_year"] is None and data["series"] == []
    figures = {name: value for name, value in data["indicators"].items() if name not in EXPECTED_QUALITY}
    assert all(value is None for value in figures.values())
    assert data["indicators"]["quality"] == {name: None for name in QUALIFIED}  # no figure, no word
    assert data["targets"] == []  # none was set yet (the first on 2019-05)
    without_rows = dataclasses.replace(scenario, trade=())  # targets known, no figure: each is unknown
    data = to_contract_json(compute_indicators(without_rows, AS_OF))
    assert data["targets"] and {t["status"] for t in data["targets"]} == {"unknown"}


def test_the_table_before_any_data_names_only_the_base_year():
    # No annual row is known yet: the growth rows span the base year alone, never "2018–None".
    code, out, err = run_in_process("indicators", "--dossier", "tests/dossiers/indicators", "--as-of", "2017-12-31")
    assert code == 0, err
    growth = [line for line in out.splitlines() if line.startswith("Growth since the base year")]
    assert growth and all(line.split()[-1] == "2018" for line in growth)
    assert "None" not in out


# ---------------------------------------------------------------- 2. the trade table extras


def test_trade_table_yoy_never_bridges_a_gap(indicators):
    table = {item.row.year: item for item in indicators.table}
    assert list(table) == [2018, 2019, 2021, 2022]
    assert table[2018].yoy_pct is None  # no 2017
    assert table[2019].yoy_pct == pytest.approx(10.0)  # 110 / 100 − 1
    assert table[2021].yoy_pct is None  # 2020 is missing: never interpolated
    assert table[2022].yoy_pct == pytest.approx(21.0)  # 146.41 / 121 − 1


def test_trade_table_shares(indicators):
    table = {item.row.year: item for item in indicators.table}
    assert table[2018].exports_share_pct is None and table[2018].imports_share_pct is None  # no split
    assert table[2019].exports_share_pct == pytest.approx(54.5454545)  # 60 / 110
    assert table[2019].imports_share_pct == pytest.approx(45.4545455)  # 50 / 110
    assert table[2021].exports_share_pct == pytest.approx(57.8512397)  # 70 / 121
    assert table[2021].imports_share_pct == pytest.approx(42.1487603)  # 51 / 121
    assert table[2022].exports_share_pct == pytest.approx(54.6410764)  # 80 / 146.41
    assert table[2022].imports_share_pct == pytest.approx(45.3589236)  # 66.41 / 146.41


def test_trade_table_function_matches_the_indicators(indicators):
    assert trade_table(indicators.series) == indicators.table


def test_trend_reach_year(indicators):
    targets = by_id(indicators)
    # open 300: 146.41 × 1.1^7 = 285.31 < 300 ≤ 146.41 × 1.1^8 = 313.84 → 2022 + 8 = 2030
    assert targets["open"].trend_reach_year == 2030
    # on-track 190: 1.1^2 → 177.16, 1.1^3 → 194.87 → 2025 (its own year, consistent with on_track)
    assert targets["on-track"].trend_reach_year == 2025
    # behind 250: 1.1^5 → 235.79, 1.1^6 → 259.37 → 2028, after its year 2025
    assert targets["behind"].trend_reach_year == 2028
    # missed 200: 1.1^3 → 194.87, 1.1^4 → 214.36 → 2026
    assert targets["missed"].trend_reach_year == 2026
    assert targets["met"].trend_reach_year is None  # already reached
    assert targets["unknown"].trend_reach_year is None  # no exports trend (no base-year exports)


def test_achieved_cagr_of_each_target(indicators):
    targets = by_id(indicators)
    for target_id in ("met", "missed", "open", "on-track", "behind"):
        assert targets[target_id].achieved_cagr_pct == pytest.approx(10.0)
    assert targets["unknown"].achieved_cagr_pct is None


def test_trend_never_reaches_on_a_falling_series(scenario):
    falling = dataclasses.replace(
        scenario,
        trade=(
            TradeRow(2018, None, None, 100.0, "official", "stats"),
            TradeRow(2022, None, None, 80.0, "official", "stats"),
        ),
    )
    result = compute_indicators(falling, AS_OF)
    assert result.figures["cagr_pct"].value == pytest.approx(-5.4258390)  # (0.8^(1/4) − 1) × 100
    assert all(t.trend_reach_year is None for t in result.targets)
    # projected = 80 × 0.8^(3/4) = 80 × 0.8458970 = 67.67176 < 190 → behind
    assert by_id(result)["on-track"].projected == pytest.approx(67.6717609)
    assert by_id(result)["on-track"].status == "behind"


def test_trend_never_reaches_on_a_flat_series(scenario):
    flat = dataclasses.replace(
        scenario,
        trade=(
            TradeRow(2018, None, None, 100.0, "official", "stats"),
            TradeRow(2022, None, None, 100.0, "official", "stats"),
        ),
    )
    result = compute_indicators(flat, AS_OF)
    assert result.figures["cagr_pct"].value == 0
    assert by_id(result)["open"].trend_reach_year is None


# ---------------------------------------------------------------- 3. the command


def test_command_json(indicators):
    result = run_in_process("indicators", "--dossier", "tests/dossiers/indicators", "--as-of", "2023-01-01", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == TOP_KEYS
    assert set(data["indicators"]) == INDICATOR_KEYS | set(EXPECTED_QUALITY)
    assert all(set(t) == TARGET_KEYS for t in data["targets"])
    assert all(set(row) == SERIES_KEYS for row in data["series"])
    assert_matches(data, EXPECTED_JSON)
    assert data == json.loads(json.dumps(to_contract_json(indicators)))


def test_command_table(tmp_path):
    result = run_in_process("indicators", "--dossier", "tests/dossiers/indicators", "--as-of", "2023-01-01")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "latest year 2022" in out and "base year 2018" in out
    for figure in ("€100 m", "€146.4 m", "€46.4 m", "46.4 %", "1.46×", "10.0 %", "21.0 %", "€13.6 m", "120.5 %"):
        assert figure in out, figure
    assert "€999 m" not in out  # 2023 is after the as-of year
    for target_id, status in (
        ("met", "met"),
        ("missed", "missed"),
        ("open", "open"),
        ("on-track", "on_track"),
        ("behind", "behind"),
        ("unknown", "unknown"),
    ):
        assert f"Target {target_id}:" in out and f"status: {status}" in out
    assert "−€6.4 m" in out  # the met target's gap, with a real minus sign
    assert "€194.9 m" in out  # projected 194.87171
    assert "9.1 %" in out and "19.5 %" in out and "7.7 %" in out  # required growth
    assert "{" not in out  # not the JSON


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        # 2022: 1200 + 264.1 = 1464.1; growth (1464.1 / 100 − 1) × 100 = 1364.1 %; multiple 14.641
        ("million", ["€1.464 bn", "€1.364 bn", "1,364.1 %", "14.64×", "€935.9 m"]),  # balance 1200 − 264.1 = 935.9
        ("billion", ["€1,464.1 bn", "€1,364.1 bn", "1,364.1 %", "14.64×", "€935.9 bn", "€100 bn"]),
    ],
)
def test_command_table_large_values(tmp_path, unit, expected):
    trade = TRADE_HEADER + "2018,,,100,official,stats,\n2022,1200,264.1,,official,stats,\n"
    folder = scenario_copy(tmp_path, trade, unit=("unit: million", f"unit: {unit}"))
    result = run_in_process("indicators", "--dossier", str(folder), "--as-of", "2023-01-01")
    assert result.returncode == 0, result.stderr
    for figure in expected:
        assert figure in result.stdout, figure


@pytest.mark.parametrize("bad", ["2022-13-01", "22-12-31", "2022/12/31"])
def test_command_rejects_a_bad_as_of(bad):
    result = run_in_process("indicators", "--dossier", "tests/dossiers/indicators", "--as-of", bad, "--json")
    assert result.returncode == 2
    assert "--as-of" in result.stderr and bad in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_command_default_as_of_is_today(capsys):
    before = dt.date.today()
    assert cli.main(["indicators", "--dossier", str(SCENARIO), "--json"]) == 0
    after = dt.date.today()
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] in {before.isoformat(), after.isoformat()}


def test_command_bad_dossier_exits_2(tmp_path):
    result = run_in_process("indicators", "--dossier", str(tmp_path / "nowhere"), "--json")
    assert result.returncode == 2
    assert "nowhere" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- 4. latest = base year, base year missing


def test_latest_year_equal_to_base_year(scenario):
    only_2018 = dataclasses.replace(scenario, trade=tuple(row for row in scenario.trade if row.year == 2018))
    data = to_contract_json(compute_indicators(only_2018, AS_OF))  # every target set by then
    assert data["latest_year"] == 2018
    assert_matches(
        data["indicators"],
        {
            "turnover_base": 100.0,
            "turnover_latest": 100.0,
            "growth_abs": 0.0,
            "growth_pct": 0.0,
            "growth_multiple": 1.0,
            "cagr_pct": None,  # latest_year = base_year
            "yoy_pct": None,  # no 2017
            "balance": None,
            "coverage_pct": None,  # 2018 has no split
            # a figure that is null has no word
            "quality": {**dict.fromkeys(QUALIFIED, "exact"), **dict.fromkeys(("cagr_pct", "yoy_pct", "balance", "coverage_pct"))},
            "yoy_published": False,
        },
    )
    met = data["targets"][0]
    # latest 100 < 140; years_left 2022 − 2018 = 4; required (1.4^(1/4) − 1) × 100 = 8.7757306 %;
    # no turnover CAGR yet → projected null → unknown
    assert_matches(
        met, _target("met", "turnover", 140.0, 2022, "2019-05", 100.0, 40.0, 71.42857143, 4, 8.77573059, None, "unknown")
    )
    exports = data["targets"][5]
    # no exports in 2018: latest null → unknown, and everything computed from latest null; years_left 2025 − 2018 = 7
    assert_matches(exports, _target("unknown", "exports", 100.0, 2025, "2021-11", None, None, None, 7, None, None, "unknown"))


def test_latest_year_equal_to_base_year_from_file(tmp_path):
    trade = TRADE_HEADER + "2017,,,90,official,stats,\n2018,,,100,official,stats,\n"
    folder = scenario_copy(tmp_path, trade)
    result = run_in_process("indicators", "--dossier", str(folder), "--as-of", "2023-01-01", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["latest_year"] == 2018
    assert data["indicators"]["cagr_pct"] is None
    assert data["indicators"]["growth_multiple"] == pytest.approx(1.0)
    assert data["indicators"]["yoy_pct"] == pytest.approx(11.1111111)  # 100 / 90 − 1


def test_base_year_missing(tmp_path):
    trade = (
        TRADE_HEADER + "2019,60,50,110,official,stats,\n2021,70,51,121,preliminary,stats,\n2022,80,66.41,,preliminary,stats,\n"
    )
    folder = scenario_copy(tmp_path, trade)
    result = compute_indicators(load_dossier(folder), AS_OF)
    data = to_contract_json(result)
    assert_matches(
        data["indicators"],
        {
            "turnover_base": None,
            "turnover_latest": 146.41,
            "growth_abs": None,
            "growth_pct": None,
            "growth_multiple": None,
            "cagr_pct": None,
            "yoy_pct": 21.0,
            "balance": 13.59,
            "coverage_pct": 120.46378557,  # these need no base year
            "quality": {**dict.fromkeys(QUALIFIED, None), "yoy_pct": "exact", "balance": "exact", "coverage_pct": "exact"},
            "yoy_published": False,
        },
    )
    statuses = {t["id"]: t["status"] for t in data["targets"]}
    # met/missed/open do not need a trend; on-track and behind have no CAGR → projected null → unknown
    assert statuses == {
        "met": "met",
        "missed": "missed",
        "open": "open",
        "on-track": "unknown",
        "behind": "unknown",
        "unknown": "unknown",
    }
    on_track = next(t for t in data["targets"] if t["id"] == "on-track")
    assert on_track["projected"] is None
    assert on_track["required_cagr_pct"] == pytest.approx(9.07560238)  # needs no base year
    assert all(t.trend_reach_year is None for t in result.targets)


# ---------------------------------------------------------------- 5. properties

VALUES = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def dossiers(draw):
    """A dossier with a random positive series that includes the base year, gaps or not, and random targets."""
    base_year = draw(st.integers(1990, 2030))
    after = draw(st.sets(st.integers(1, 20), min_size=1, max_size=14))
    before = draw(st.sets(st.integers(1, 5), max_size=14 - len(after)))
    years = sorted({base_year} | {base_year + d for d in after} | {base_year - d for d in before})
    rows = []
    for year in years:
        if draw(st.booleans()):  # the split given: turnover filled in as exports + imports
            exports, imports = draw(VALUES | st.just(0.0)), draw(VALUES)
            rows.append(TradeRow(year, exports, imports, exports + imports, "official", "stats"))
        else:
            rows.append(TradeRow(year, None, None, draw(VALUES), "official", "stats"))
    targets = tuple(
        Target(
            f"t{index}",
            draw(st.sampled_from(["turnover", "exports", "imports"])),
            draw(st.floats(0.01, 1e7)),
            draw(st.none() | st.integers(base_year - 5, base_year + 40)),
            FuzzyDate(base_year),
            "a target",
            "stats",
        )
        for index in range(draw(st.integers(0, 5)))
    )
    return base_year, tuple(rows), targets


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(case=dossiers(), cut=st.integers(0, 25))
def test_properties(scenario, case, cut):
    base_year, rows, targets = case
    out_early = {"stats": dataclasses.replace(scenario.sources["stats"], date=FuzzyDate(1900))}  # only years decide
    dossier = dataclasses.replace(scenario, base_year=base_year, trade=rows, targets=targets, sources=out_early)
    as_of_year = max(r.year for r in rows) - cut
    result = compute_indicators(dossier, dt.date(as_of_year + 1, 1, 1))  # the as-of year's own row does not count yet
    kept = [r for r in rows if r.year <= as_of_year]
    latest_year = max((r.year for r in kept), default=None)
    assert result.latest_year == latest_year
    assert [r.year for r in result.series] == [r.year for r in kept]
    figures = {name: figure.value for name, figure in result.figures.items()}
    by_year = {r.year: r for r in kept}

    cagr = figures["cagr_pct"]
    if latest_year is not None and base_year in by_year and latest_year > base_year:
        base, latest = by_year[base_year].turnover, by_year[latest_year].turnover
        assert cagr is not None
        # Within rounding: relative to latest, or relative to base on a steep fall (a percent near −100 keeps
        # only about 1e-16 of 1 + cagr/100 in absolute terms, so the round trip is exact to ~1e-14 × base).
        rounding = {"rel": 1e-9, "abs": 1e-9 * base}
        assert base * (1 + cagr / 100) ** (latest_year - base_year) == pytest.approx(latest, **rounding)
        assert figures["growth_multiple"] == pytest.approx(latest / base, rel=1e-12)
        assert figures["growth_pct"] == pytest.approx((latest / base - 1) * 100, rel=1e-9, abs=1e-9)
        assert base + figures["growth_abs"] == pytest.approx(latest, **rounding)
    else:
        assert cagr is None
    if base_year not in by_year:
        assert all(figures[n] is None for n in ("turnover_base", "growth_abs", "growth_pct", "growth_multiple", "cagr_pct"))
    if latest_year is None or latest_year - 1 not in by_year:
        assert figures["yoy_pct"] is None

    for item in result.table:  # a gap is never bridged
        assert (item.yoy_pct is None) == (item.row.year - 1 not in by_year)

    for progress in result.targets:
        target = progress.target
        assert progress.status in STATUSES
        if progress.latest is None:
            assert progress.status == "unknown"
            assert progress.gap is None and progress.progress_pct is None
        else:
            assert progress.progress_pct * target.value / 100 == pytest.approx(progress.latest, rel=1e-9, abs=1e-12)
            # gap = target − latest loses the digits of a small target under a large latest: within latest's rounding
            assert progress.gap + progress.latest == pytest.approx(target.value, rel=1e-9, abs=1e-12 * abs(progress.latest))
            assert (progress.status == "met") == (progress.latest >= target.value)
        if target.year is None:
            assert progress.years_left is None and progress.required_cagr_pct is None and progress.projected is None
            assert progress.status in {"unknown", "met", "open"}
        else:
            assert progress.years_left == (None if latest_year is None else target.year - latest_year)
        if progress.years_left is not None and progress.years_left <= 0:
            assert progress.required_cagr_pct is None and progress.projected is None
        if progress.status == "on_track":
            assert progress.projected >= target.value
        if progress.status == "behind":
            assert progress.projected < target.value
        if progress.required_cagr_pct is not None:
            # a power of a rounded rate: the error grows with the exponent, so 1e-8 rather than 1e-9
            assert progress.latest * (1 + progress.required_cagr_pct / 100) ** progress.years_left == pytest.approx(
                target.value, rel=1e-8
            )

    data = to_contract_json(result)
    assert json.loads(json.dumps(data)) == data


# ---------------------------------------------------------------- 6. the real dossier


def test_kz_uz_indicators():
    # default dossier data/kz-uz, run from the repository root
    # 2024's row (and 2017's) cite the Uzbek overview dated only "2025", out at the end of 2025; 2025's row cites a
    # report of 1 February 2026, so as of 10 January 2026 the latest year is 2024.
    result = run_in_process("indicators", "--json", "--as-of", "2026-01-10")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["dossier"], data["currency"], data["unit"], data["reporter"]) == ("kz-uz", "USD", "million", "UZB")
    assert data["base_year"] == 2017
    assert data["latest_year"] == 2024
    assert data["indicators"]["quality"]["growth_pct"] == "estimate"  # the 2017 base is an estimate
    assert run_in_process("indicators", "--json", "--as-of", "2025-11-22").returncode == 0
    indicators = data["indicators"]
    assert indicators["turnover_latest"] == pytest.approx(4270)  # the seed's $4.27 bn, in USD million
    assert indicators["turnover_base"] == pytest.approx(2135)
    assert indicators["growth_multiple"] == pytest.approx(2.0)
    # (4270 / 2135)^(1/7) − 1 = 2^(1/7) − 1 = 10.4089514 %
    assert indicators["cagr_pct"] == pytest.approx(10.4089514)
    assert indicators["yoy_pct"] is None  # 2023 is a gap
    assert indicators["balance"] == pytest.approx(-1300)  # 1500 − 2800
    assert indicators["coverage_pct"] == pytest.approx(53.5714286)  # 1500 / 2800

    targets = {t["id"]: t for t in data["targets"]}
    ten = targets["trade-10bn-2030"]
    # years_left 2030 − 2024 = 6; projected 4270 × 2^(6/7) = 4270 × 1.8114473 = 7734.88 < 10000 → behind;
    # required (10000 / 4270)^(1/6) − 1 = 2.3419204^(1/6) − 1 = 15.2379 %
    assert ten["years_left"] == 6
    assert ten["projected"] == pytest.approx(7734.8800928)
    assert ten["required_cagr_pct"] == pytest.approx(15.2379050)
    assert ten["gap"] == pytest.approx(5730)
    assert ten["status"] == "behind"
    # the $5 bn by 2020 target: 4270 < 5000, years_left 2020 − 2024 = −4 → missed
    assert targets["trade-5bn"]["status"] == "missed"
    assert targets["trade-5bn"]["years_left"] == -4
