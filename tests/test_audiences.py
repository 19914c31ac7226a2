"""Audiences differ in what they say, by their YAML alone: the public fact sheet (`press`) against the full report
(`ministry`) on the scenario dossier and on data/kz-uz, read back from the real PDF, Word and HTML files.

What the press fact sheet never holds: a working note (trade.csv `note`), a verdict on a target or a commitment,
the commitments ledger, restricted material; and no audience shows working jargon (the dossier's folder name on
the cover, the event kind `other`, a key fact its area's text already states, unsorted source marks).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.builds import FORMATS, Build, shared_build
from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import AUDIENCES, DOSSIERS, KZ_UZ, VALID_AS_OF, VALID_ID
from support.read import docx_text, html_text, normalize, pdf_text, read_csv, squash

SCENARIO = DOSSIERS / "briefing"
SCENARIO_AS_OF = "2024-06-30"

NOTE = "gap before this year"  # the scenario's trade.csv note of 2021
VERDICTS = re.compile(r"\b(missed|behind|on track|delayed|not started)\b", re.IGNORECASE)
LEDGER = ("Commitments and where they stand", "Open a trade", "Build a bridge")  # heading and commitments
RESTRICTED = ("Security and defence", "QUARTZ-RESTRICTED-FACT", "OBSIDIAN-CABLE-EVENT", "ONYX-CABLE-UPCOMING", "Internal cable")
MIXED_AREA_EVENT = "MIXED-AREA-EVENT"  # belongs to a public and the restricted area: stays public


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return shared_build(tmp_path_factory, "scenario", SCENARIO, SCENARIO_AS_OF, AUDIENCES)


@pytest.fixture(scope="session")
def kz(kz_build: Build) -> Build:
    return kz_build


def text_of(path: Path, fmt: str) -> str:
    reader = {"pdf": pdf_text, "docx": docx_text, "html": html_text}[fmt]
    return normalize(reader(path))


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_press_is_a_public_fact_sheet_and_ministry_keeps_it_all(scenario, fmt):
    press, ministry = (text_of(scenario.path(audience, fmt), fmt) for audience in ("press", "ministry"))
    for text in (NOTE, *LEDGER, *RESTRICTED):
        assert squash(text) in squash(ministry), f"ministry.{fmt} lacks '{text}': the scenario no longer tests it"
        assert squash(text) not in squash(press), f"press.{fmt} shows '{text}'"
    assert VERDICTS.search(ministry), f"ministry.{fmt} states no verdict: the scenario no longer tests it"
    assert not VERDICTS.search(press), f"press.{fmt} states a verdict: '{VERDICTS.search(press).group(0)}'"


@pytest.mark.slow
def test_a_public_audience_with_the_full_chronology_keeps_an_event_of_a_public_and_a_restricted_area(tmp_path):
    """An organization's audience (`extends: press`) changes the chronology by its YAML alone."""
    folder = tmp_path / "templates" / "audiences"
    folder.mkdir(parents=True)
    (folder / "public-full.yaml").write_text(
        "extends: press\ndescription: Every public event\nchronology_years: null\nchronology_limit: null\n"
        "chronology_kinds: [state_visit, official_visit, working_visit, summit, agreement, commission, forum,"
        " parliamentary, ministerial, cultural, other]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_in_process(
        "build", "--dossier", str(SCENARIO), "--audience", "public-full", "--audience", "press", "--as-of", SCENARIO_AS_OF,
        "--format", "html", "--templates", str(tmp_path / "templates"), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.describe()
    full = text_of(out / "north-south" / "public-full.en.html", "html")
    assert MIXED_AREA_EVENT in full, "an event of a public and a restricted area vanished"
    assert "OBSIDIAN-CABLE-EVENT" not in full
    assert MIXED_AREA_EVENT not in text_of(out / "north-south" / "press.en.html", "html"), "the press sheet lists a talk"


def test_an_unknown_key_figure_is_named_with_its_file_and_line(tmp_path):
    folder = tmp_path / "templates" / "audiences"
    folder.mkdir(parents=True)
    (folder / "odd.yaml").write_text("extends: press\ndescription: Odd\nkey_figures: [turnover, weather]\n", encoding="utf-8")
    result = run_in_process(
        "build", "--dossier", str(SCENARIO), "--audience", "odd", "--format", "html",
        "--templates", str(tmp_path / "templates"), "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert result.returncode == 2, result.describe()
    assert "odd.yaml:3: key_figures[1]: unknown name 'weather'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_working_jargon(scenario, audience, fmt):
    text = text_of(scenario.path(audience, fmt), fmt)
    assert "Prepared from the dossier" not in text and "'north-south'" not in text
    assert "national statistics of Northland" in text  # whose statistics, said to a reader
    assert "(other" not in text and "other)" not in text, "the event kind 'other' is shown as a word"


@pytest.mark.slow
def test_the_chronology_separates_a_title_from_its_summary(scenario):
    """`BellRinger meeting` is of kind `other` with no place: its title ends in a full stop before the summary."""
    text = text_of(scenario.path("ministry", "pdf"), "pdf")
    assert "BellRinger meeting. A control character in the title." in normalize(text.replace("\n", " "))


@pytest.mark.slow
def test_source_marks_are_in_ascending_order(kz):
    text = normalize(pdf_text(kz.path("ministry", "pdf")).replace("\n", " "))
    lines = re.findall(r"Sources: ((?:\[[\d,\s–]+\] ?)+)", text)  # marks may merge: [4, 9, 12–15]
    assert lines, "no area sources line"
    for line in lines:
        numbers = [int(n) for n in re.findall(r"\d+", line)]
        assert numbers == sorted(numbers), f"sources out of order: {line}"


def test_a_key_fact_the_area_body_states_is_told_once(dossier: DossierCopy, tmp_path: Path):
    """A key fact without a figure whose names the area's body states (Northtown, Southtown) is told there, not
    again as a key fact; the fact sheet, which shows no body, keeps the key fact."""
    fact = "A rail corridor joins Northtown and Southtown"
    dossier.replace("areas/trade.md", "sources: [stats]\n", f"  - {{text: {fact}, source: stats}}\nsources: [stats]\n")
    dossier.replace("areas/trade.md", "- exports rose", "- the new rail corridor joins Northtown and Southtown\n- exports rose")
    out = tmp_path / "out"
    args = ("--audience", "ministry", "--audience", "press", "--format", "html", "--as-of", VALID_AS_OF, "--out", str(out))
    result = run_in_process("build", "--dossier", str(dossier.path), *args)
    assert result.code == 0, result.describe()
    ministry, press = (text_of(out / VALID_ID / f"{audience}.en.html", "html") for audience in ("ministry", "press"))
    assert "the new rail corridor joins Northtown and Southtown" in ministry  # the body says it
    assert fact not in ministry
    assert fact in press


@pytest.mark.slow
def test_the_kz_press_sheet_states_the_target_without_a_verdict(kz):
    text = squash(text_of(kz.path("press", "docx"), "docx"))
    assert squash("Target for 2030") in text and squash("$10 bn") in text
    assert not VERDICTS.search(text_of(kz.path("press", "docx"), "docx"))
    notes = [row["note"] for row in read_csv(KZ_UZ / "trade.csv") if row.get("note")]
    assert notes, "kz-uz has no trade notes: the test proves nothing"
    assert all(squash(note[:40]) not in text for note in notes)
