"""Nothing a briefing shows as of a date cites a source published after it; planned events are never held; every
cover says how fresh its sources are; targets a later one replaced leave the standing (docs/dossier-format.md,
"As of a date", "Citations in prose", events.csv).

On tests/dossiers/truth, whose every item carries a marker word (LATE-..., EARLY-...) and cites a source chosen
for one of the dates below: the "late" source is dated 2025-04 (out from 30 April 2025), "visit-plan" 2025-05-02.
Each test reads the PDF, the Word file and the HTML, in English and Russian."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support.builds import FORMAT_ARGS, FORMATS, once
from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS
from support.read import docx_text, html_text, normalize, pdf_text

TRUTH = DOSSIERS / "truth"
BEFORE, AFTER, TODAY = "2025-03-10", "2025-06-20", "2026-12-07"
LANGS = ("en", "ru")
READERS = {"pdf": pdf_text, "docx": docx_text, "html": html_text}

# Marked items and passages citing the "late" source (or the late source's url): out before 30 April 2025, in after.
LATE = ("LATE-TRADE", "LATE-TARGET", "LATE-EVENT", "LATE-COMMITMENT", "LATE-PERSON", "LATE-FACT", "LATE-ITEM",
        "LATE-CHILD", "LINKED-ITEM", "LATE-QUOTE", "LATE-OUTLOOK", "LATE-ROW")  # fmt: skip
ALWAYS = ("EARLY-PARAGRAPH", "EARLY-ITEM", "UNCITED-PARAGRAPH", "EARLY-ROW")


def read(path: Path) -> str:
    return normalize(READERS[path.suffix[1:]](path)).replace("\n", " ")


def built(tmp_path_factory: pytest.TempPathFactory, name: str, *args: str) -> tuple[Path, str]:
    """`reports ARGS` on the truth dossier into a folder shared by the run: (folder of the documents, stderr)."""

    def make(folder: Path) -> dict:
        code, _, err = run_in_process(*args, "--dossier", str(TRUTH), *FORMAT_ARGS, "--lang", "en", "--lang", "ru",
                                      "--out", str(folder))  # fmt: skip
        assert code == 0, err
        return {"stderr": err}

    folder, result = once(tmp_path_factory, name, make)
    return folder / "truth", result["stderr"]


@pytest.fixture(scope="module")
def reports_before(tmp_path_factory):
    return built(tmp_path_factory, "truth-before", "build", "--audience", "ministry", "--as-of", BEFORE)


@pytest.fixture(scope="module")
def reports_after(tmp_path_factory):
    return built(tmp_path_factory, "truth-after", "build", "--audience", "ministry", "--as-of", AFTER)


@pytest.fixture(scope="module")
def pack_before(tmp_path_factory):
    return built(tmp_path_factory, "truth-pack", "brief", "--event", "forum-2025", "--audience", "ministry", "--as-of", BEFORE)


@pytest.fixture(scope="module")
def summit_pack_today(tmp_path_factory):
    args = ("brief", "--event", "summit-2026", "--audience", "ministry", "--audience", "leadership", "--as-of", TODAY)
    return built(tmp_path_factory, "truth-summit", *args)


@pytest.fixture(scope="module")
def forum_pack_today(tmp_path_factory):
    return built(tmp_path_factory, "truth-forum", "brief", "--event", "forum-2025", "--audience", "ministry", "--as-of", TODAY)


def documents(folder: Path, stem: str) -> list[Path]:
    return [folder / f"{stem}.{lang}.{fmt}" for lang in LANGS for fmt in FORMATS]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_before_the_late_source_nothing_citing_it_is_shown(reports_before, fmt, lang):
    text = read(reports_before[0] / f"ministry.{lang}.{fmt}")
    assert [marker for marker in LATE if marker in text] == []
    assert [marker for marker in ALWAYS if marker not in text] == []
    assert "Later report" not in text, "a source dated after the as-of date is listed"
    # the 2024 trade row cites the late source: 2023 is the latest year shown (the year 2024 is over by then)
    assert "2024 – – 180" not in text and "180" not in text


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_once_the_late_source_is_out_everything_citing_it_is_shown(reports_after, fmt, lang):
    text = read(reports_after[0] / f"ministry.{lang}.{fmt}")
    shown = [m for m in LATE if m in text]
    # LATE-PERSON is not in a report (who's who is a pack's)
    assert set(shown) >= {"LATE-EVENT", "LATE-COMMITMENT", "LATE-FACT", "LATE-ITEM", "LATE-CHILD", "LINKED-ITEM",
                          "LATE-QUOTE", "LATE-OUTLOOK", "LATE-ROW"}, shown  # fmt: skip
    # the exports target, by its description (English) or the catalog's sentence (no description_ru)
    assert ("LATE-TARGET" if lang == "en" else "Цель: 300 млн долл. США к 2030 г.") in text
    assert "Later report" in text


@pytest.mark.slow
def test_the_build_counts_what_it_left_out(reports_before, reports_after):
    folder, err = reports_before
    lines = [line for line in err.splitlines() if "left out" in line]
    # per document: trade 2024, the exports target, the state visit, the bridge pledge, the Downland president, the
    # customs-post fact, and five passages (the late item with its child, the linked item, the quote, the outlook
    # paragraph, the late table row): 11 items
    assert sorted(lines) == sorted(
        f"{folder / f'ministry.{lang}.{fmt}'}: as of {BEFORE}: left out 11 items that cite later sources"
        for lang in LANGS
        for fmt in FORMATS
    )
    assert "left out" not in reports_after[1]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_pack_shows_the_brief_lines_its_date_allows(pack_before, forum_pack_today, fmt, lang):
    before = read(pack_before[0] / f"brief-forum-2025.ministry.{lang}.{fmt}")
    assert "EARLY-OBJECTIVE" in before and "EARLY-PRESS" in before
    assert "LATE-OBJECTIVE" not in before and "LATE-PERSON" not in before
    today = read(forum_pack_today[0] / f"brief-forum-2025.ministry.{lang}.{fmt}")
    assert "LATE-OBJECTIVE" in today and "LATE-PERSON" in today


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_citations_in_prose_are_the_numbered_marks_of_the_sources_list(reports_after, fmt):
    text = read(reports_after[0] / f"ministry.en.{fmt}")
    assert "[@" not in text, "a Pandoc citation is shown raw"
    numbers = {title.strip(): n for n, title in re.findall(r"\[(\d+)\] ([^.\[]+)\.", text.split("Sources No.")[-1])}
    programme, later = numbers["Trade programme"], numbers["Later report"]
    assert f"EARLY-PARAGRAPH trade rose after the programme [{programme}]" in text
    assert re.search(rf"LATE-QUOTE .trade will double. \[{later}\]", text)
    assert re.search(rf"later report \[{later}\] says", text), "a link to a source's url is a citation of it"


@pytest.mark.slow
@pytest.mark.parametrize("doc", ["brief-summit-2026.ministry", "brief-summit-2026.leadership"])
def test_a_pack_for_a_planned_event_of_an_imprecise_date_says_date_to_be_set(summit_pack_today, doc):
    for path in documents(summit_pack_today[0], doc):
        text = read(path)
        expected = "2026, Downton – date to be set" if ".en." in path.name else "2026 г., Downton – дата уточняется"
        assert expected in text, path
        assert not re.search(r"held \d+ days? ago|days? ago|\d+ (?:день|дня|дней) назад", text), path


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_planned_event_past_its_days_has_no_outcome_recorded(summit_pack_today, forum_pack_today, fmt):
    for lang, words in (("en", "No outcome recorded"), ("ru", "Итоги не отражены")):
        text = read(summit_pack_today[0] / f"brief-summit-2026.ministry.{lang}.{fmt}")
        assert re.search(rf"Border forum \((forum|форум), Upton ?\)\. {words}\.", text), text
        pack = read(forum_pack_today[0] / f"brief-forum-2025.ministry.{lang}.{fmt}")
        assert words.lower() in pack and not re.search(r"held \d+ days ago|назад", pack)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_cover_says_how_fresh_its_sources_are(reports_before, summit_pack_today, fmt, lang):
    fresh = read(reports_before[0] / f"ministry.{lang}.{fmt}")
    stale = read(summit_pack_today[0] / f"brief-summit-2026.ministry.{lang}.{fmt}")
    if lang == "en":
        assert "Sources up to 1 February 2025." in fresh and "No source newer than" not in fresh  # 37 days before
        assert "Sources up to 2 May 2025." in stale
        assert "No source newer than 2 May 2025: statuses and upcoming events may be out of date." in stale
    else:
        assert "Источники по 1 февраля 2025 г." in fresh and "Нет источников новее" not in fresh
        assert "Нет источников новее 2 мая 2025 г.: статусы и сведения о предстоящих событиях" in stale


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_replaced_target_is_listed_once_as_an_earlier_target(reports_after, pack_before, fmt):
    report = read(reports_after[0] / f"ministry.en.{fmt}")
    standing = report.split("Where the targets stand")[-1].split("Earlier targets")[0]
    assert "$200 m" not in standing and "$400 m" in standing
    assert re.search(r"Earlier targets, replaced by those above: (• )?\$200 m turnover, 2022, set June 2019: missed", report)
    assert report.count("$200 m turnover, 2022") == 1
    pack = read(pack_before[0] / f"brief-forum-2025.ministry.en.{fmt}")
    ledger = pack.split("Commitments ledger")[-1].split("Targets")[0]
    assert "Reach $200 m by 2022" not in ledger, "a superseded commitment is in the ledger"
    assert "$200 m by 2022" not in pack.split("Targets")[-1].split("Background")[0]


def test_an_unknown_citation_is_an_error_with_file_and_line(tmp_path):
    dossier = DossierCopy(Path(shutil.copytree(TRUTH, tmp_path / "truth")))
    dossier.replace("areas/trade.md", "programme [@early-2].", "programme [@early-2; @nowhere].")
    dossier.replace("briefs/forum-2025.md", "bridge [@late].", "bridge [@late-typo].")
    code, _, err = run_in_process("validate", "--dossier", str(dossier.path))
    assert code == 2 and "Traceback" not in err
    assert f"{dossier.path / 'areas' / 'trade.md'}:10: citation: 'nowhere' is not a source id" in err
    assert f"{dossier.path / 'briefs' / 'forum-2025.md'}:7: citation: 'late-typo' is not a source id" in err
