"""A dossier seen as it stood on a date: the rules of "as of a date" (docs/dossier-format.md) on the scenario
tests/dossiers/as-of, whose values are chosen so that each rule changes what is shown at one of the dates below.
Expected figures are worked by hand from the scenario's CSV files (the arithmetic is written out)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS
from support.read import docx_text, normalize, pdf_text

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
        "yoy_published": False,  # computed from the two rows
        "quality": "exact",  # preliminary and official rows
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
        "quality": "exact",  # official rows
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


# ---------------------------------------------------------------- what the briefings and packs show


def build(tmp_path: Path, *args: str, dossier: Path = AS_OF_DOSSIER) -> Path:
    formats = ("--format", "pdf", "--format", "docx")
    code, out, err = run_in_process(*args, "--dossier", str(dossier), *formats, "--out", str(tmp_path))
    assert code == 0, err
    return tmp_path / "east-west"


def texts(folder: Path, stem: str) -> dict[str, str]:
    """What a reader sees in the PDF and the Word file of one document, one space between words."""
    return {"pdf": normalize(pdf_text(folder / f"{stem}.pdf")), "docx": normalize(docx_text(folder / f"{stem}.docx"))}


@pytest.mark.slow
def test_a_pack_built_before_its_event_shows_nothing_of_its_outcome(tmp_path: Path) -> None:
    folder = build(tmp_path, "brief", "--event", "state-visit", "--as-of", "2024-11-10", "--audience", "ministry")
    for fmt, text in texts(folder, "brief-state-visit.ministry.en").items():
        assert "State visit to Westland" in text, fmt
        assert "LAGOON-OUTCOME" not in text, f"{fmt}: the visit's outcome, reported on 16 November"
        assert "Results of the state visit" not in text, f"{fmt}: a source published after the as-of date is listed"
        assert "Share river water fairly" not in text, f"{fmt}: a commitment agreed at the visit"
        assert "CORAL-AIRPORT-FACT" not in text, f"{fmt}: a key fact whose only source is the visit's report"
        assert "Build a border bridge" in text, fmt
        assert "(as of June 2025)" not in text, f"{fmt}: a commitment status learnt in 2025"


@pytest.mark.slow
def test_a_pack_built_after_its_event_reports_it(tmp_path: Path) -> None:
    folder = build(tmp_path, "brief", "--event", "state-visit", "--as-of", "2024-11-20", "--audience", "ministry")
    for fmt, text in texts(folder, "brief-state-visit.ministry.en").items():
        assert "Share river water fairly" in text, fmt
        assert "Results of the state visit" in text, fmt


@pytest.mark.slow
def test_the_report_on_a_date_shows_status_partial_year_and_second_opinion(tmp_path: Path) -> None:
    folder = build(tmp_path, "build", "--as-of", "2025-11-27", "--audience", "ministry")
    for fmt, text in texts(folder, "ministry.en").items():
        assert "LAGOON-OUTCOME" in text, f"{fmt}: the visit is past; its report is in the chronology"
        assert "Joint commission (commission). Postponed." in text, fmt
        assert "Border trade fair (forum). Cancelled." in text, fmt
        assert "Culture festival" not in text, f"{fmt}: a cancelled future event is neither upcoming nor past"
        assert "2026, date to be set Business forum (forum, Westville)." in text, fmt
        assert "A forum is planned for 2026." in text, f"{fmt}: its source was published by the as-of date"
        assert "AMBER-2026-FACT" not in text, f"{fmt}: a key fact about 2026"
        assert "Latest full year of trade figures: 2024. Year in progress: January–June 2025." in text, fmt
        # a key-figure card (the PDF's text runs across the row of cards, so each part is looked for on its own)
        for part in ("January–June 2025", "$85 m", "+25.0 % on the same months of 2024"):  # 85 / 68 - 1 = +25 %
            assert part in text, f"{fmt}: {part}"
        for part in ("Growth since 2020, Westland statistics", "1.90×", "$171 m in 2024 against $90 m in 2020"):
            assert part in text, f"{fmt}: {part}"
        assert "Warning:" not in text, fmt
        assert "Turnover fell" not in text, fmt


@pytest.mark.slow
def test_a_fall_is_said_in_words(tmp_path: Path) -> None:
    fallen = DossierCopy(tmp_path / "fallen")
    shutil.copytree(AS_OF_DOSSIER, fallen.path)
    fallen.replace("trade.csv", "2024,80,70,150,", "2024,70,55,125,")
    folder = build(tmp_path / "out", "build", "--as-of", "2025-11-27", "--audience", "ministry", dossier=fallen.path)
    for fmt, text in texts(folder, "ministry.en").items():
        # 125 against 132 in 2023: (125 / 132 - 1) x 100 = -5.3 %
        assert "Turnover fell: $125 m in 2024 against $132 m in 2023 (−5.3 %)." in text, fmt
        assert "down from $132 m in 2023" in text and "−5.3 %" in text, fmt


@pytest.mark.slow
def test_a_stale_dossier_says_so_on_the_cover(tmp_path: Path) -> None:
    # the latest full year is 2024; on 2026-04-10 that is 465 days after its end, more than the 15 months allowed
    fallen = DossierCopy(tmp_path / "old")
    shutil.copytree(AS_OF_DOSSIER, fallen.path)
    fallen.replace("trade.csv", "2025,90,80,170,preliminary,stats-2026,\n", "")
    folder = build(tmp_path / "out", "build", "--as-of", "2026-04-10", "--audience", "leadership", dossier=fallen.path)
    for fmt, text in texts(folder, "leadership.en").items():
        assert "Warning: the latest annual trade figure is for 2024, more than 15 months before this date" in text, fmt
