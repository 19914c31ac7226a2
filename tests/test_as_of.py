"""A dossier seen as it stood on a date: the rules of "as of a date" (docs/dossier-format.md) on the scenario
tests/dossiers/as-of, whose values are chosen so that each rule changes what is shown at one of the dates below.
Expected figures are worked by hand from the scenario's CSV files (the arithmetic is written out)."""

from __future__ import annotations

import json

import pytest
from support.cli import run_in_process
from support.paths import DOSSIERS

AS_OF_DOSSIER = DOSSIERS / "as-of"


def indicators(as_of: str) -> dict:
    code, out, err = run_in_process("indicators", "--dossier", str(AS_OF_DOSSIER), "--as-of", as_of, "--json")
    assert code == 0, err
    return json.loads(out)


def test_annual_rows_count_only_once_their_year_is_over() -> None:
    late_2025 = indicators("2025-11-27")
    assert late_2025["latest_year"] == 2024  # the 2025 row waits for the year's end
    assert [row["year"] for row in late_2025["series"]] == [2020, 2021, 2022, 2023, 2024]
    figures = late_2025["indicators"]
    assert figures["turnover_base"] == 100 and figures["turnover_latest"] == 150
    assert figures["growth_pct"] == pytest.approx(50.0)
    assert figures["cagr_pct"] == pytest.approx((1.5 ** (1 / 4) - 1) * 100)
    assert figures["yoy_pct"] == pytest.approx((150 / 132 - 1) * 100)
    assert figures["balance"] == pytest.approx(80 - 70)
    assert indicators("2026-03-01")["latest_year"] == 2025


def test_ytd_is_the_latest_partial_year_known_on_the_date() -> None:
    # Jan-Sep 2025 is over by 2025-11-27 but its source is published on 2025-12-01: Jan-Jun is what was known.
    assert indicators("2025-11-27")["ytd"] == {
        "year": 2025,
        "months": 6,
        "turnover": 85,
        "exports": 45,
        "imports": 40,
        "turnover_prev": 68,
        "yoy_pct": pytest.approx((85 / 68 - 1) * 100),
    }
    # In 2024: Jan-Sep 2024 (published 2024-10-20) against Jan-Sep 2023; Jan-Jun 2024 was published only in 2025.
    ytd_2024 = indicators("2024-11-27")["ytd"]
    assert (ytd_2024["year"], ytd_2024["months"], ytd_2024["turnover"], ytd_2024["turnover_prev"]) == (2024, 9, 110, 95)
    assert ytd_2024["yoy_pct"] == pytest.approx((110 / 95 - 1) * 100)
    # Before Jan-Sep 2024 was published (and before September was over): nothing known of 2024.
    assert indicators("2024-09-15")["ytd"] is None
    # Once 2025 has an annual row that counts, its partial year is no longer the latest news.
    assert indicators("2026-03-01")["ytd"] is None


def test_mirror_is_the_other_sides_growth_never_blended() -> None:
    mirror = indicators("2025-11-27")["mirror"]
    assert mirror == {
        "reporter": "WLD",
        "latest_year": 2024,
        "turnover_base": 90,
        "turnover_latest": 171,
        "growth_pct": pytest.approx(90.0),
        "cagr_pct": pytest.approx((1.9 ** (1 / 4) - 1) * 100),
    }
    earlier = indicators("2024-11-27")["mirror"]
    assert (earlier["latest_year"], earlier["turnover_latest"]) == (2023, 150)
    assert earlier["cagr_pct"] == pytest.approx(((150 / 90) ** (1 / 3) - 1) * 100)
    assert indicators("2025-11-27")["indicators"]["turnover_latest"] == 150  # the reporter's own series


def test_a_target_appears_once_it_is_set() -> None:
    assert [t["id"] for t in indicators("2025-11-27")["targets"]] == ["trade-300"]
    assert [t["id"] for t in indicators("2025-12-02")["targets"]] == ["trade-300", "trade-500"]
    [target] = indicators("2025-11-27")["targets"]
    assert target["latest"] == 150 and target["years_left"] == 2030 - 2024
    assert target["required_cagr_pct"] == pytest.approx(((300 / 150) ** (1 / 6) - 1) * 100)
    assert target["projected"] == pytest.approx(150 * 1.5 ** (6 / 4))
    assert target["status"] == "behind"


def test_a_dossier_without_partial_years_or_mirror_says_null() -> None:
    code, out, err = run_in_process("indicators", "--dossier", str(DOSSIERS / "valid"), "--as-of", "2025-11-27", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["ytd"] is None and data["mirror"] is None
