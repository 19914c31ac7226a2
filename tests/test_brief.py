"""The briefing pack: `reports brief --event ID` (README, "The briefing pack"), read back as a reader meets it.

- data/kz-uz: the November 2025 state visit of President Tokayev to Uzbekistan as of 2025-11-10, PDF and
  Word (and HTML) for every audience, built once per test run (the `kz_brief` fixture of conftest.py); the days
  remaining, the previous leaders' meeting, the flagged commitments and the points are read back from the
  files (pdftotext, pypdf, python-docx), and every expected value is worked out here from the CSV and YAML
  files, never from the code under test.
- tests/dossiers/brief: the scenario for the rules of reports/briefing/points.py (each fires when it should and not
  otherwise, shown by changing one thing in a copy), the ledger's order, the cases of the countdown, an event
  with no previous leaders' meeting, and the errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from support.cli import Result, run_in_process
from support.dossier import DossierCopy, known_events, sources_out
from support.paths import AUDIENCES, DOSSIERS, KZ_EVENT, KZ_UZ
from support.read import first_day, normalize, pdf_text

from reports.briefing.audiences import load_audiences
from reports.briefing.model import Inline, ItemList, Paragraph, Section, Table
from reports.briefing.pack import BriefBuilder
from reports.briefing.points import RULES
from reports.dossier.load import load_dossier
from reports.indicators import compute_indicators
from reports.locale.labels import load_translations
from reports.template_folders import template_folders

SCENARIO = DOSSIERS / "brief"

KZ_AS_OF = dt.date(2025, 11, 10)
BILATERAL_MEETING_KINDS = {"state_visit", "official_visit", "working_visit"}  # a summit is multilateral

EVENT = "summit-2025"  # the scenario's event, 10-11 June 2025
AS_OF = dt.date(2025, 6, 1)


# ---------------------------------------------------------------------------------------------- helpers


def pdf_words(path: Path) -> str:
    """The PDF's text (pdftotext), white space collapsed so a wrapped line still matches."""
    return normalize(pdf_text(path))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]


def docx_blocks(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph and ("table", rows as "cell | cell" lines) of every table, in order;
    text as a reader sees it (no-break spaces read as spaces)."""
    document = docx.Document(str(path))
    blocks = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = DocxParagraph(element, document)
            blocks.append((paragraph.style.name, normalize("".join(node.text or "" for node in element.iter(qn("w:t"))))))
        elif element.tag == qn("w:tbl"):
            table = DocxTable(element, document)
            lines = [" | ".join(normalize(cell.text) for cell in row.cells) for row in table.rows]
            blocks.append(("table", "\n".join(lines)))
    return blocks


def docx_section(blocks: list[tuple[str, str]], heading: str, level: int = 1) -> list[tuple[str, str]]:
    """The blocks under a heading of that level up to the next heading of that level or higher."""
    start = next(i for i, (style, text) in enumerate(blocks) if style == f"Heading {level}" and text == heading)
    higher = {f"Heading {n}" for n in range(1, level + 1)}
    end = next((i for i in range(start + 1, len(blocks)) if blocks[i][0] in higher), len(blocks))
    return blocks[start + 1 : end]


def docx_headings(path: Path, level: int = 1) -> list[str]:
    return [text for style, text in docx_blocks(path) if style == f"Heading {level}"]


def docx_sources(blocks: list[tuple[str, str]]) -> dict[int, str]:
    """Number → text of each entry of the Sources table."""
    table = next(text for style, text in docx_section(blocks, "Sources") if style == "table")
    found = {}
    for line in table.splitlines()[1:]:
        number, text = line.split(" | ", 1)
        found[int(number.strip("[]"))] = text
    return found


def cited(text: str) -> list[int]:
    """The source numbers of the merged marks in a text: `[2, 3]` and `[4–6]` give 2, 3 and 4, 5, 6."""
    numbers = []
    for mark in re.findall(r"\[(\d+(?:[,–]\s?\d+)*)\]", text):
        for part in re.split(r",\s?", mark):
            first, _, last = part.partition("–")
            numbers += range(int(first), int(last or first) + 1)
    return numbers


def text_of(inline: Inline) -> str:
    return "".join(span.text for span in inline)


def section_text(section: Section) -> str:
    """Every word of a model section, blocks and children, one block per line."""
    lines = [section.title]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            lines.append(text_of(block.spans))
        elif isinstance(block, ItemList):
            for item in block.items:
                lines.append(text_of(item.spans))
                if item.children:
                    lines += [text_of(child.spans) for child in item.children.items]
        elif isinstance(block, Table):
            lines.append(block.caption)
            lines += [" | ".join(text_of(cell) for cell in row) for row in block.rows]
    return "\n".join(lines + [section_text(child) for child in section.children])


def make_brief(folder: Path, event_id: str = EVENT, as_of: dt.date = AS_OF, audience: str = "ministry") -> BriefBuilder:
    """A BriefBuilder for the folder as the CLI would make it (same audiences, labels and indicators)."""
    template_dirs = template_folders(None)
    dossier = load_dossier(folder)
    translations = load_translations("en", template_dirs)
    audience_config = load_audiences(template_dirs)[audience]
    return BriefBuilder(dossier, compute_indicators(dossier, as_of), audience_config, "en", translations, event_id)


def rule_texts(folder: Path, rule: str, **options) -> list[str]:
    """The points of one rule, each citation written as the id of the source it cites: `[news]`."""
    brief = make_brief(folder, **options)
    points = next(r for r in RULES if r.name == rule).find(brief.points_context())
    source_of = {number: source_id for source_id, number in brief.citations.numbers.items()}
    return ["".join("".join(f"[{source_of[n]}]" for n in s.cites) if s.cites else s.text for s in point) for point in points]


@pytest.fixture
def scenario(tmp_path: Path) -> DossierCopy:
    """A fresh copy of tests/dossiers/brief that a test may change."""
    return DossierCopy(Path(shutil.copytree(SCENARIO, tmp_path / "brief")))


# ------------------------------------------------------------------------------- kz-uz, built once


@pytest.fixture(scope="session")
def kz_pack(kz_brief: tuple[Path, list[Result]]) -> Path:
    out, (run, _) = kz_brief
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    written = [Path(line) for line in run.out.splitlines()]
    names = [f"brief-{KZ_EVENT}.{a}.{lang}.{ext}" for a in AUDIENCES for lang in ("en", "ru") for ext in ("pdf", "docx", "html")]
    expected = [out / "kz-uz" / name for name in names]
    assert sorted(written) == sorted(expected)
    return out / "kz-uz"


def kz_event() -> dict[str, str]:
    return next(row for row in rows(KZ_UZ / "events.csv") if row["id"] == KZ_EVENT)


def kz_flagged() -> list[dict[str, str]]:
    """Delayed, or due on or before the event's first day and neither done nor superseded: what a pack flags."""
    event_day = first_day(kz_event()["date"])
    return [
        c
        for c in rows(KZ_UZ / "commitments.csv")
        if c["status"] == "delayed"
        or (c["due"] and first_day(c["due"]) <= event_day and c["status"] not in ("done", "superseded"))
    ]


def brief_items(path: Path) -> dict[str, list[str]]:
    """Each `## heading` of an analyst's brief with the opening words of each of its items (before any citation or
    figure, which a briefing writes its own way), read from the Markdown by hand."""
    items: dict[str, list[str]] = {}
    heading = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            items[heading] = []
        elif line.startswith("- ") and heading:
            items[heading].append(" ".join(re.split(r"\[@|\$|\d", line[2:])[0].split()[:5]))
    return items


@pytest.mark.slow
@pytest.mark.parametrize("audience", AUDIENCES)
def test_kz_days_remaining(kz_pack: Path, audience: str) -> None:
    days = (first_day(kz_event()["date"]) - KZ_AS_OF).days  # a plain difference of calendar dates: 4
    expected = f"14–16 November 2025 – in {days} days (as of 10 November 2025)"
    assert expected in pdf_words(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.pdf")
    event = docx_section(docx_blocks(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.docx"), "The event")
    assert ("List Bullet", f"When: {expected}") in event


@pytest.mark.slow
@pytest.mark.parametrize("audience", AUDIENCES)
def test_kz_previous_leaders_meeting(kz_pack: Path, audience: str) -> None:
    """The previous *bilateral* meeting; the summits since then are meetings on the sidelines, listed apart."""
    event_day = first_day(kz_event()["date"])
    events = known_events(KZ_UZ, KZ_AS_OF, KZ_EVENT)  # what was known on 10 November 2025
    earlier = [r for r in events if r["kind"] in BILATERAL_MEETING_KINDS and first_day(r["date"]) < event_day]
    previous = max(earlier, key=lambda r: (first_day(r["date"]), r["id"]))
    day, kind = dt.date.fromisoformat(previous["date"]), previous["kind"].replace("_", " ")
    expected = f"Previous leaders' meeting: {previous['title']} ({kind}, {previous['place']}), {day.day} {day:%B %Y}"
    assert expected in pdf_words(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.pdf")
    since = docx_section(docx_blocks(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.docx"), "Since the last meeting at this level")
    assert since[0][1].startswith(expected)
    window = [r for r in events if r["id"] != previous["id"] and first_day(previous["date"]) <= first_day(r["date"]) < event_day]
    sidelines = [r["title"] for r in window if r["kind"] == "summit"]
    between = [r["title"] for r in window if r["kind"] != "summit"]
    assert sidelines, "no summit between the two meetings: the dossier no longer tests the sidelines"
    since_text = "\n".join(text for _, text in since)
    if audience == "leadership" and "Since then" not in since_text:  # the two-page note chose more relevant units
        assert "everything this note leaves out" in pdf_words(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.pdf")
        return
    sidelines_at = since_text.index("Since then, meetings on the sidelines of summits")
    for title in sidelines:
        assert sidelines_at < since_text.index(title), title
        assert since_text.count(title) == 1  # listed once, not again among the other events
    if audience == "leadership":  # two pages with the analyst's brief: the other events are counted
        assert f"{len(between)} other events are recorded between the two meetings (listed in the ministry pack)." in since_text
        return
    between_at = since_text.index("What happened between the two meetings")
    for title in between:
        assert between_at < since_text.index(title)


@pytest.mark.slow
def test_kz_leaders_meetings_are_bilateral(kz_pack: Path) -> None:
    event_day = first_day(kz_event()["date"])
    known = known_events(KZ_UZ, KZ_AS_OF, KZ_EVENT)
    bilateral = [r for r in known if r["kind"] in BILATERAL_MEETING_KINDS and first_day(r["date"]) < event_day]
    blocks = docx_blocks(kz_pack / f"brief-{KZ_EVENT}.ministry.en.docx")
    text = "\n".join(text for _, text in docx_section(blocks, "Background: Bilateral leaders' meetings"))
    for r in bilateral:
        assert r["title"] in text, r["id"]
    assert "(summit," not in text  # no multilateral summit among them
    # the leadership pack has the analyst's brief: two pages leave the background to the ministry pack
    leadership = docx_headings(kz_pack / f"brief-{KZ_EVENT}.leadership.en.docx")
    assert not [h for h in leadership if h.startswith("Background") or h == "Targets"]


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["leadership", "ministry"])  # the press pack has no ledger (no verdicts)
def test_kz_flagged_commitments(kz_pack: Path, audience: str) -> None:
    """The $5 bn by 2020 commitment is superseded (closed): not in the ledger, though due long before the event."""
    out = sources_out(KZ_UZ, KZ_AS_OF)
    known = [c for c in rows(KZ_UZ / "commitments.csv") if first_day(c["agreed_on"]) <= KZ_AS_OF and c["source"] in out]
    # superseded by the as-of date: $5 bn by 2020 (as of 6 December 2021); the five-year goal only on 15 November 2025
    closed = [c for c in known if c["status"] == "superseded" and first_day(c["status_as_of"]) <= KZ_AS_OF]
    assert closed, "no commitment superseded by the as-of date: the dossier no longer tests it"
    assert kz_flagged() == []  # nothing delayed, nothing open due by 14 November 2025
    blocks = docx_blocks(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.docx")
    ledger_text = "\n".join(text for _, text in docx_section(blocks, "Commitments ledger"))
    assert "Flagged" not in ledger_text
    assert "Flagged" not in pdf_words(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.pdf")
    if audience != "leadership":  # the full ledger lists every open or done commitment known on the as-of date
        for c in rows(KZ_UZ / "commitments.csv"):
            assert (first_sentence(c["text"]) in ledger_text) == (c in known and c not in closed), c["id"]


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["ministry"])  # the leadership pack keeps the analyst's lines before derived points
def test_kz_points_cite_their_data(kz_pack: Path, audience: str) -> None:
    blocks = docx_blocks(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.docx")
    sources = docx_sources(blocks)
    to_make = [text for style, text in docx_section(blocks, "Points to make", 2) if style == "List Number"]
    headings = [text for style, text in blocks if style == "Heading 2"]
    expect = docx_section(blocks, "Points to expect", 2) if "Points to expect" in headings else []
    to_expect = [text for style, text in expect if style == "List Number"]
    for point in to_make + to_expect:
        assert cited(point), point
        assert all(n in sources for n in cited(point)), point

    assert to_make, "no point to make: the dossier no longer tests the points"
    assert bool(to_expect) == ("Points to expect" in headings)  # nothing to expect: no heading, no sentence about rules
    pdf = pdf_words(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.pdf")
    for point in to_make:
        assert normalize(point) in pdf
    # a commitment superseded by the as-of date is neither an ask nor a question
    superseded = [
        c for c in rows(KZ_UZ / "commitments.csv") if c["status"] == "superseded" and first_day(c["status_as_of"]) <= KZ_AS_OF
    ]
    for commitment in superseded:
        assert first_sentence(commitment["text"]) not in " ".join(to_make + to_expect)


@pytest.mark.slow
def test_kz_press_pack_states_facts_without_talking_points(kz_pack: Path) -> None:
    """templates/audiences/press.yaml: talking_points: false; negotiating positions are not public."""

    def headings(audience: str) -> list[str]:
        blocks = docx_blocks(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.docx")
        return [text for style, text in blocks if style.startswith("Heading")]

    press, ministry = headings("press"), headings("ministry")
    assert "Points to make" in ministry  # nothing to expect from the data for this visit: that heading is left out
    assert "Points to make" not in press and "Points to expect" not in press
    assert "Commitments ledger" in ministry and "Commitments ledger" not in press  # the ledger is internal
    # of the analyst's brief only the press line is public (its front matter does not make the Q&A public)
    internal = ["Objectives", "Lines to take", "Their likely asks", "Risks"]
    assert [h for h in ministry if h in internal + ["Press line"]] == [
        "Objectives",
        "Lines to take",
        "Their likely asks",
        "Press line",
        "Risks",
    ]
    assert [h for h in press if h in internal + ["Press line"]] == ["Press line"]
    brief = brief_items(KZ_UZ / "briefs" / f"{KZ_EVENT}.md")
    pdf = pdf_words(kz_pack / f"brief-{KZ_EVENT}.press.en.pdf")
    for item in brief["Press line"]:
        assert item in pdf
    for heading in internal:
        for item in brief[heading]:
            assert item not in pdf, heading


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["leadership", "ministry"])
def test_kz_whos_who_names_the_event_people(kz_pack: Path, audience: str) -> None:
    people = {p["id"]: p for p in rows(KZ_UZ / "people.csv")}
    named = kz_event()["people"].split(";")
    assert named == ["tokayev", "mirziyoyev"]
    section = docx_section(docx_blocks(kz_pack / f"brief-{KZ_EVENT}.{audience}.en.docx"), "Who's who")
    text = "\n".join(text for _, text in section)
    for person_id, partner, since in (
        ("tokayev", "Kazakhstan", "20 March 2019"),
        ("mirziyoyev", "Uzbekistan", "14 December 2016"),
    ):
        person = people[person_id]
        assert f"{partner}: {person['name']} – {person['role']}, since {since} [" in text
    assert people["bektenov"]["name"] not in text  # in office, but the event names who took part


@pytest.mark.slow
def test_targets_one_sentence_each(scenario: DossierCopy, tmp_path: Path) -> None:
    """One sentence per target known on the as-of date, in the dossier's order; a target whose only source is
    published later is not known yet."""
    scenario.replace(
        "dossier.yaml",
        "sources:\n",
        "  - {id: t-later, metric: turnover, value: 5000, year: 2035, set_on: 2025-05-20, description: Later., source: later}\n"
        "sources:\n",
    )
    scenario.write("dossier.yaml", scenario.read("dossier.yaml") + "  - {id: later, title: Later report, date: 2025-07}\n")
    args = ("--event", EVENT, "--as-of", AS_OF.isoformat(), "--audience", "ministry", "--format", "docx")
    run = run_in_process("brief", "--dossier", str(scenario.path), *args, "--out", str(tmp_path / "out"))
    assert run.code == 0, run.describe()
    blocks = docx_blocks(tmp_path / "out" / "east-west" / f"brief-{EVENT}.ministry.en.docx")
    lines = [text for style, text in docx_section(blocks, "Targets") if style == "List Bullet"]
    # 2024: turnover 200, exports 110; 2018: 100 and 60. €1 bn: 200 / 1000 = 20.0 %, (1000 / 200)^(1/6) − 1 = 30.8 %
    # needed against (200 / 100)^(1/6) − 1 = 12.2 %; €150 m: 200 / 150 = 133.3 %; €120 m of exports: 110 / 120 =
    # 91.7 %, (120 / 110)^(1/2) − 1 = 4.4 % needed against (110 / 60)^(1/6) − 1 = 10.6 %
    assert lines == [
        "€1 bn by 2030: €200 m in 2024 (20.0 %); requires 30.8 % a year against 12.2 % a year achieved since 2018: behind. [1]",
        "€150 m by 2026: €200 m in 2024 (133.3 %): met. [1]",
        "€120 m of exports by 2026: €110 m in 2024 (91.7 %); requires 4.4 % a year against 10.6 % a year achieved since 2018: "
        "on track. [1]",
    ]


@pytest.mark.slow
def test_kz_ministry_has_the_full_annexes(kz_pack: Path) -> None:
    headings = docx_headings(kz_pack / f"brief-{KZ_EVENT}.ministry.en.docx")
    assert headings[:10] == [
        "The event",
        "Who's who",
        "Objectives",
        "Lines to take",
        "Their likely asks",
        "Press line",
        "Risks",
        "From the data",
        "Since the last meeting at this level",
        "Commitments ledger",
    ]
    for annex in ("Annex: Trade", "Annex: Chronology", "Annex: Upcoming events"):
        assert annex in headings
    assert "Annex: Commitments and where they stand" not in headings  # the ledger shows every commitment already
    leadership = [text for style, text in docx_blocks(kz_pack / f"brief-{KZ_EVENT}.leadership.en.docx") if style == "Heading 1"]
    assert not [h for h in leadership if h.startswith("Annex")]


# ------------------------------------------------------------------------- the scenario: the rules


def test_every_rule_is_tested() -> None:
    assert [rule.name for rule in RULES] == [
        "target_behind",
        "target_progress",
        "delayed_commitment",
        "dormant_area",
        "due_commitment",
        "previous_meeting_commitment",
    ]


def test_target_behind_names_no_areas() -> None:
    # t-behind: 200 in 2024 needs (1000/200)^(1/6) - 1 = 30.8 % a year; (200/100)^(1/6) - 1 = 12.2 % achieved.
    # The areas' money key facts (industry €500 m ...) are not marked as projects, so no area is named.
    [ministry] = rule_texts(SCENARIO, "target_behind")
    assert ministry == (
        "Trade is behind the target of €1 bn by 2030: €200 m in 2024 needs 30.8 % a year against 12.2 % a year "
        "achieved since 2018. [stats] Press for steps to speed up trade."
    )


def test_target_behind_is_silent_when_no_target_is_behind(scenario: DossierCopy) -> None:
    scenario.replace("dossier.yaml", "value: 1000, year: 2030", "value: 300, year: 2030")  # projected 400: on track
    assert rule_texts(scenario.path, "target_behind") == []
    assert len(rule_texts(scenario.path, "target_progress")) == 3


def test_a_met_target_and_a_superseded_commitment_are_never_asked_about(scenario: DossierCopy) -> None:
    # the bridge, delayed and due 2024, becomes superseded; t-behind is met (200 ≥ 150) with a value of 150
    scenario.set_cell("commitments.csv", 2, "status", "superseded")
    scenario.replace("dossier.yaml", "value: 1000, year: 2030", "value: 150, year: 2030")
    points = [text for rule in RULES if rule.name != "target_progress" for text in rule_texts(scenario.path, rule.name)]
    assert points, "the other rules still fire"
    assert not [p for p in points if "bridge" in p or "€150 m by 2030" in p], points
    assert "Welcome the progress: the target of €150 m by 2030 is met" in " ".join(rule_texts(scenario.path, "target_progress"))
    # the superseded commitment is closed: it leaves the ledger (neither open nor done)
    brief = make_brief(scenario.path)
    assert "bridge" not in [e.commitment.id for e in brief.ledger]


def test_target_progress_welcomes_targets_met_or_on_track(scenario: DossierCopy) -> None:
    assert rule_texts(SCENARIO, "target_progress") == [
        "Welcome the progress: the target of €150 m by 2026 is met, with €200 m in 2024. [stats]",
        "Welcome the progress: the target of €120 m of exports by 2026 is on track; "
        "the trend since 2018 gives €134.6 m in 2026. [stats]",
    ]
    scenario.replace("dossier.yaml", "value: 150, year: 2026", "value: 5000, year: 2026")  # behind
    scenario.replace("dossier.yaml", "value: 120, year: 2026", "value: 500, year: 2026")  # behind
    assert rule_texts(scenario.path, "target_progress") == []


def test_delayed_commitment_is_an_ask(scenario: DossierCopy) -> None:
    assert rule_texts(SCENARIO, "delayed_commitment") == [
        "Ask for a new timetable: Build the bridge over the border river – delayed (as of December 2024); due 2024. [news]",
        "Ask for a new timetable: Sign a defence cooperation plan – delayed (as of February 2025); due March 2025. [cable]",
        "Ask for a new timetable: Study a gas pipeline – delayed (as of January 2025); due 2028. [press]",
    ]
    assert len(rule_texts(SCENARIO, "delayed_commitment", audience="press")) == 2  # the defence plan cites the cable
    text = scenario.read("commitments.csv").replace(",delayed,", ",in_progress,")
    scenario.write("commitments.csv", text)
    assert rule_texts(scenario.path, "delayed_commitment") == []


DORMANT_LEAD = (
    "Propose reviving cooperation where no event, commitment or dated fact is recorded in the 2 years before this one: "
)


def quiet_culture(scenario: DossierCopy) -> str:
    """The scenario with no culture commitment: culture's last activity is first-visit (1 March 2019). Its events."""
    commitments = scenario.read("commitments.csv").splitlines(keepends=True)
    scenario.write("commitments.csv", "".join(line for line in commitments if ",culture," not in line))
    return scenario.read("events.csv")


def test_dormant_area_is_a_point_to_revive_it(scenario: DossierCopy) -> None:
    # window: 10 June 2023 to 9 June 2025. Culture's commitments (the consulate, agreed May 2023, updated April 2025)
    # keep it active ...
    assert rule_texts(SCENARIO, "dormant_area") == []
    # ... without them, its last activity is first-visit (1 March 2019)
    events = quiet_culture(scenario)
    assert rule_texts(scenario.path, "dormant_area") == [
        DORMANT_LEAD + "Culture (last event: First state visit to Westland, 1 March 2019 [news])."
    ]
    # the first day of the window counts ...
    scenario.write("events.csv", events + "culture-days,2023-06-10,,cultural,Culture days,,,culture,news\n")
    assert rule_texts(scenario.path, "dormant_area") == []
    # ... the day before it does not
    scenario.write("events.csv", events + "culture-days,2023-06-09,,cultural,Culture days,,,culture,news\n")
    assert "Culture (last event: Culture days, 9 June 2023" in rule_texts(scenario.path, "dormant_area")[0]
    # an area with no event at all
    scenario.write("events.csv", events.replace("culture;trade", "trade"))
    assert rule_texts(scenario.path, "dormant_area") == [DORMANT_LEAD + "Culture (no event recorded [news])."]


@pytest.mark.parametrize(
    "activity",
    [
        "commitments.csv:ex,2024-01-10,Exchange students.,culture,,unknown,,news",  # agreed in the window
        "commitments.csv:ex,2019-03-01,Exchange students.,culture,,in_progress,2023-07,news",  # updated in the window
        "areas/culture.md:  - {text: A festival in 2024, year: 2024, source: news}",  # a dated key fact
    ],
)
def test_an_area_with_a_commitment_or_a_dated_fact_is_not_dormant(scenario: DossierCopy, activity: str) -> None:
    quiet_culture(scenario)
    name, line = activity.split(":", 1)
    if name == "areas/culture.md":
        scenario.replace(name, "key_facts:\n", "key_facts:\n" + line + "\n")
    else:
        scenario.write(name, scenario.read(name) + line + "\n")
    assert rule_texts(scenario.path, "dormant_area") == []


def test_an_area_on_the_event_agenda_is_not_dormant(scenario: DossierCopy) -> None:
    quiet_culture(scenario)
    assert rule_texts(scenario.path, "dormant_area")  # culture is dormant ...
    # ... until an agreement signed during the event names it
    scenario.replace(
        "events.csv",
        "Agreements signed during the state visit,Westtown,,trade,",
        "Agreements signed during the state visit,Westtown,,trade;culture,",
    )
    assert rule_texts(scenario.path, "dormant_area") == []


def test_due_commitment_is_a_point_to_expect(scenario: DossierCopy) -> None:
    # due on or before 10 June 2025 and not done: bridge (2024), defence (March 2025), consulate (May 2025);
    # not school (due January 2025, done) nor railway (due 2027); the bridge and the defence plan are delayed: they
    # are asks (delayed_commitment), one point per commitment
    assert rule_texts(SCENARIO, "due_commitment") == [
        "Expect questions on: Open a consulate in Westtown – due May 2025, in progress. Prepare the latest position. [news]",
    ]
    scenario.set_cell("commitments.csv", 3, "due", "2025-06-11")  # the consulate: the day after the event's first day
    assert "Open a consulate" not in " ".join(rule_texts(scenario.path, "due_commitment"))
    scenario.set_cell("commitments.csv", 3, "due", "2025-06-10")  # on the event's first day
    assert "Open a consulate" in " ".join(rule_texts(scenario.path, "due_commitment"))
    scenario.set_cell("commitments.csv", 3, "status", "done")
    assert "Open a consulate" not in " ".join(rule_texts(scenario.path, "due_commitment"))


def test_previous_meeting_commitment_is_a_point_to_expect(scenario: DossierCopy) -> None:
    # agreed within 15-16 May 2023: consulate (due by the event: rule 5), pipeline (delayed: rule 3), grid, school
    # (done); the fund, agreed "2023-05", is not wholly within the meeting's dates
    assert rule_texts(SCENARIO, "previous_meeting_commitment") == [
        "Expect a review of what was agreed at Official visit to Eastland: Connect the power grids – in progress. [press]",
    ]
    scenario.set_cell("commitments.csv", 5, "agreed_on", "2023-05")  # the grid
    assert "power grids" not in " ".join(rule_texts(scenario.path, "previous_meeting_commitment"))
    scenario.replace("events.csv", "prev-visit,2023-05-15,2023-05-16", "prev-visit,2023-05,")  # a meeting dated to the month
    assert len(rule_texts(scenario.path, "previous_meeting_commitment")) == 2  # the grid and now the fund


def test_points_are_deterministic() -> None:
    def points() -> list[str]:
        brief = make_brief(SCENARIO)
        return [section_text(s) for s in brief.build().sections if s.id == "from-the-data"]

    assert points() == points()


# ------------------------------------------------------------------------- the scenario: the pack


def test_ledger_order_and_marks() -> None:
    brief = make_brief(SCENARIO)
    # flagged by due date: bridge 2024, defence March 2025, consulate May 2025, pipeline 2028 (delayed);
    # open: grid 2026, railway 2027, then undated: fund (not started); done: school. The museum exchange was agreed
    # on 2025-06-11, after the as-of date: it is not in the ledger of a pack dated before it.
    assert [e.commitment.id for e in brief.ledger] == [
        "bridge", "defence", "consulate", "pipeline", "grid", "railway", "fund", "school"
    ]  # fmt: skip
    assert [e.commitment.id for e in brief.ledger if e.flagged] == ["bridge", "defence", "consulate", "pipeline"]
    assert {e.commitment.id for e in brief.ledger if e.at_previous} == {"consulate", "pipeline", "grid", "school"}
    ledger = section_text(next(s for s in brief.build().sections if s.id == "ledger"))
    assert "Flagged: due by the event or delayed (4)\nDelayed. Due by the event. Build the bridge" in ledger
    consulate = next(line for line in ledger.splitlines() if "Open a consulate" in line)
    assert consulate.startswith("Due by the event. Open a consulate in Westtown. [")
    assert "| 15 May 2023, agreed at the previous leaders' meeting | May 2025 | in progress (as of April 2025)" in consulate
    press = make_brief(SCENARIO, audience="press")
    assert [e.commitment.id for e in press.ledger] == [
        "bridge",
        "consulate",
        "pipeline",
        "grid",
        "railway",
        "fund",
        "school",
    ]  # the museum exchange was agreed after the as-of date


def test_ledger_ties_break_by_status_then_agreed_then_id(scenario: DossierCopy) -> None:
    scenario.write(
        "commitments.csv",
        "id,agreed_on,text,area,due,status,status_as_of,source\n"
        "b,2020,B.,trade,,unknown,,news\n"
        "a,2021,A.,trade,,unknown,,news\n"
        "c,2022,C.,trade,,in_progress,,news\n"
        "d,2022,D.,trade,,not_started,,news\n"
        "e,2020,E.,trade,,unknown,,news\n",
    )
    assert [e.commitment.id for e in make_brief(scenario.path).ledger] == ["d", "b", "e", "a", "c"]


def test_since_the_last_meeting() -> None:
    brief = make_brief(SCENARIO, audience="ministry")
    text = section_text(next(s for s in brief.build().sections if s.id == "since-last-meeting"))
    days = (dt.date(2025, 6, 10) - dt.date(2023, 5, 15)).days
    assert re.search(  # the source's number depends on what the points cited first
        r"Previous leaders' meeting: Official visit to Eastland \(official visit, Eastville\), 15–16 May 2023 \[\d+\] – "
        rf"{days} days before this one",
        text,
    ), text
    titles = ["Agreements signed during the official visit", "Energy talks", "Quiet consultations", "Business forum"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Trade talks" not in text and "Agreements signed during the state visit" not in text
    press = section_text(next(s for s in make_brief(SCENARIO, audience="press").build().sections if s.id == "since-last-meeting"))
    assert "Quiet consultations" not in press


@pytest.mark.slow
def test_no_previous_meeting_still_builds(tmp_path: Path) -> None:
    brief = make_brief(SCENARIO, event_id="first-visit")  # 1 March 2019: only a ministerial meeting before it
    assert brief.previous is None
    since = section_text(next(s for s in brief.build().sections if s.id == "since-last-meeting"))
    assert "No earlier bilateral leaders' meeting" in since
    run = run_in_process(
        "brief", "--dossier", str(SCENARIO), "--event", "first-visit", "--as-of", "2025-06-01", "--out", str(tmp_path)
    )
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 6  # 3 audiences × pdf, docx
    assert "No earlier bilateral leaders' meeting" in pdf_words(tmp_path / "east-west" / "brief-first-visit.leadership.en.pdf")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2025, 6, 1), f"in {(dt.date(2025, 6, 10) - dt.date(2025, 6, 1)).days} days"),
        (dt.date(2025, 6, 9), "in 1 day"),
        (dt.date(2025, 6, 10), "today"),
        (dt.date(2025, 6, 11), "under way: day 2 of 2"),
        (dt.date(2025, 6, 12), "held 2 days ago"),
        (dt.date(2025, 7, 1), f"held {(dt.date(2025, 7, 1) - dt.date(2025, 6, 10)).days} days ago"),  # 21
        (dt.date(2026, 6, 10), "held 365 days ago"),
    ],
)
def test_countdown(as_of: dt.date, expected: str) -> None:
    brief = make_brief(SCENARIO, as_of=as_of)
    assert brief.countdown() == expected
    briefing = brief.build()
    assert f"10–11 June 2025, Westtown – {expected}" in briefing.cover_lines


def test_an_imprecise_event_date_gets_no_count_of_days() -> None:
    brief = make_brief(SCENARIO, event_id="future-forum")  # 2026-03, after the as-of date: planned
    assert brief.countdown() == "date to be set"
    assert "March 2026, date to be set" not in brief.build().cover_lines  # the date is said once, then the words
    assert any(line.startswith("March 2026") and line.endswith("– date to be set") for line in brief.build().cover_lines)


@pytest.mark.slow
def test_past_event_builds(tmp_path: Path) -> None:
    run = run_in_process(
        "brief", "--dossier", str(SCENARIO), "--event", EVENT, "--as-of", "2025-07-01", "--out", str(tmp_path),
        "--audience", "ministry", "--format", "docx",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    event = docx_section(docx_blocks(tmp_path / "east-west" / f"brief-{EVENT}.ministry.en.docx"), "The event")
    assert ("List Bullet", "When: 10–11 June 2025 – held 21 days ago (as of 1 July 2025)") in event


def test_agenda_areas() -> None:
    # the event's areas (trade, energy) and those of its commitments: flagged (trade, defence, culture, energy),
    # agreed at the previous meeting (energy, culture) or at this event (culture); not industry
    assert [a.id for a in make_brief(SCENARIO).agenda_areas()] == ["energy", "trade", "culture", "defence"]
    assert [a.id for a in make_brief(SCENARIO, audience="press").agenda_areas()] == ["energy", "trade", "culture"]


@pytest.mark.slow
def test_press_shows_public_material_only(tmp_path: Path) -> None:
    run = run_in_process(
        "brief", "--dossier", str(SCENARIO), "--event", EVENT, "--as-of", "2025-06-01", "--out", str(tmp_path),
        "--format", "html",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    press = (tmp_path / "east-west" / f"brief-{EVENT}.press.en.html").read_text(encoding="utf-8")
    ministry = (tmp_path / "east-west" / f"brief-{EVENT}.ministry.en.html").read_text(encoding="utf-8")
    for restricted in ("Defence industry", "Internal cable", "Sign a defence cooperation plan", "Quiet consultations"):
        assert restricted in ministry
        assert restricted not in press


# ----------------------------------------------------------------------------------------------- errors


def test_unknown_event_lists_the_nearest_ids(tmp_path: Path) -> None:
    run = run_in_process("brief", "--dossier", str(SCENARIO), "--event", "summit-2052", "--out", str(tmp_path))
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith(
        f"{SCENARIO / 'events.csv'}: event: no event 'summit-2052' in the dossier; nearest ids: summit-2025"
    )
    assert run.stdout == ""
    assert not (tmp_path / "east-west").exists()


def test_event_is_required() -> None:
    run = run_in_process("brief", "--dossier", str(SCENARIO))
    assert run.returncode == 2
    assert "--event" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.slow
def test_a_restricted_event_has_no_press_brief(tmp_path: Path) -> None:
    run = run_in_process(
        "brief", "--dossier", str(SCENARIO), "--event", "secret-meeting", "--out", str(tmp_path / "named"), "--format", "html",
        "--audience", "press", "--audience", "ministry",
    )  # fmt: skip
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert "'secret-meeting' is not public" in run.stderr and "'press' audience" in run.stderr
    assert not (tmp_path / "named").exists()  # nothing written when one named audience fails
    run = run_in_process(
        "brief", "--dossier", str(SCENARIO), "--event", "secret-meeting", "--out", str(tmp_path), "--format", "html"
    )
    assert run.returncode == 0, run.stderr  # the default audiences: those that can see it, the press said skipped
    assert "skipped the 'press' pack: 'secret-meeting' is not public" in run.stderr
    assert not (tmp_path / "east-west" / "brief-secret-meeting.press.en.html").exists()
    run = run_in_process(
        "brief", "--dossier", str(SCENARIO), "--event", "secret-meeting", "--out", str(tmp_path), "--format", "html",
        "--audience", "ministry",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
