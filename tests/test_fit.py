"""Fitting by content: merged citation marks, and a page-limited note that drops its lowest-priority items
(reports/briefing/fit.py) rather than shrinking its type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.builds import Build
from support.cli import run_in_process
from support.paths import KZ_AS_OF, KZ_UZ
from support.read import pdf_pages, pdf_text

from reports.briefing.fit import droppable, shortened
from reports.briefing.model import Briefing, Column, ItemList, ListItem, Section, SourceEntry, Span, Table, cite_text

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("numbers", "text"),
    [((1,), "[1]"), ((3, 2), f"[2,{NBSP}3]"), ((6, 4, 5), "[4–6]"), ((9, 1, 5, 4, 6, 4), f"[1,{NBSP}4–6,{NBSP}9]")],
)
def test_marks_are_merged_sorted_and_unbreakable(numbers: tuple[int, ...], text: str) -> None:
    assert cite_text(numbers) == text


def mark(*numbers: int) -> Span:
    return Span(cite_text(numbers), cites=numbers)


def item(text: str, *numbers: int) -> ListItem:
    return ListItem((Span(text + " "), mark(*numbers)))


def note() -> Briefing:
    """Two areas of three facts each; the sources [1]-[4] cited by them, [4] only by the last fact of the last area."""
    first = Section("area-a", "A", 2, (ItemList((item("a1", 1), item("a2", 2), item("a3", 3))),))
    second = Section("area-b", "B", 2, (ItemList((item("b1", 1), item("b2", 3), item("b3", 4))),))
    sources = tuple(SourceEntry(n, f"s{n}", f"Source {n}", "", "", None) for n in range(1, 5))
    table = Table(
        "", (Column("No."), Column("Source")), tuple(((Span(f"[{n}]"),), (Span(f"Source {n}"),)) for n in range(1, 5)), "sources"
    )
    return Briefing(
        "d", "leadership", "en", "T", "", "", "", "2026-01-01", (),
        (Section("areas", "Areas", 1, (), (first, second)), Section("sources", "Sources", 1, (table,))),
        sources, labels={"and_more": "… and {count} more"}, depth="summary", max_pages=2,
    )  # fmt: skip


def texts(briefing: Briefing, area: str) -> list[str]:
    section = next(s for s in briefing.walk() if s.id == area)
    return ["".join(span.text for span in i.spans) for i in section.blocks[0].items]


def test_the_last_item_of_the_last_list_goes_first() -> None:
    assert droppable(note()) == 4
    once = shortened(note(), 1)
    assert texts(once, "area-a") == ["a1 [1]", "a2 [2]", "a3 [3]"]
    assert texts(once, "area-b") == ["b1 [1]", "b2 [3]", "… and 1 more"]


def test_every_list_keeps_its_first_item_and_says_how_many_went() -> None:
    most = shortened(note(), 4)
    assert texts(most, "area-a") == ["a1 [1]", "… and 2 more"]
    assert texts(most, "area-b") == ["b1 [1]", "… and 2 more"]


def test_sources_only_dropped_items_cited_leave_and_the_rest_are_renumbered() -> None:
    # dropping b3 leaves source 4 uncited; dropping a3 and b2 too leaves 3 uncited
    briefing = shortened(note(), 3)
    assert [(s.number, s.id) for s in briefing.sources] == [(1, "s1"), (2, "s2")]
    table = briefing.sections[1].blocks[0]
    assert [row[0][0].text for row in table.rows] == ["[1]", "[2]"]
    assert texts(briefing, "area-a") == ["a1 [1]", "a2 [2]", "… and 1 more"]


def test_a_briefing_that_needs_no_drop_is_unchanged() -> None:
    assert shortened(note(), 0) == note()


def test_a_russian_note_over_its_pages_fits_by_leaving_items_out(tmp_path: Path) -> None:
    # data/kz-uz's Russian note with five points per area (a house audience extending the leadership note) runs
    # over two pages at the designed 8 pt: it needs a few items less, each list that lost some says so, and the
    # sources list numbers only what is still cited, 1 to N
    house = tmp_path / "house"
    (house / "audiences").mkdir(parents=True)
    (house / "audiences" / "long-note.yaml").write_text("extends: leadership\nbullets_per_area: 5\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ("build", "--dossier", str(KZ_UZ), "--templates", str(house), "--audience", "long-note", "--lang", "ru")
    code, _, err = run_in_process(*args, "--format", "pdf", "--as-of", KZ_AS_OF, "--out", str(out))
    assert code == 0, err
    pages = pdf_pages(out / "kz-uz" / "long-note.ru.pdf")
    assert len(pages) == 2
    text = "\n".join(pages)
    assert "… и ещё" in text
    listed = [int(n) for n in re.findall(r"^\[(\d+)\]", pages[-1].split("Источники")[-1], re.M)]
    assert listed == list(range(1, len(listed) + 1))
    assert {n for mark in re.findall(r"\[([\d,\s–]+)\]", text) for n in re.findall(r"\d+", mark)} <= set(map(str, listed))


def test_a_note_that_fits_loses_nothing(kz_build: Build) -> None:
    text = pdf_text(kz_build.path("leadership", "pdf"))
    assert "… and" not in text and len(pdf_pages(kz_build.path("leadership", "pdf"))) <= 2
