"""The parts of a pack that are not derived points, on tests/dossiers/brief (event summit-2025, 10-11 June 2025):

- the analyst's brief (briefs/summit-2025.md, written Risks, Objectives, Press line, Questions and answers, Lines to
  take): first, in the fixed order, before "From the data"; in the press pack only its press line (and its questions
  and answers when it says `public_qa: true`); a Russian brief used for a Russian pack; its errors (exit 2 with file
  and line);
- who's who (people.csv): the event's people, else those in office on its date;
- the previous meeting is the previous *bilateral* one, a later summit listed as a meeting on the sidelines;
- an event already held: a follow-up note instead of points.

Every expectation is read from the files the command writes (PDF bookmarks and text, HTML).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.cli import Result, run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS
from support.read import normalize, pdf_headings, pdf_text

EVENT = "summit-2025"
BRIEF = f"briefs/{EVENT}.md"
IN_ORDER = ["Objectives", "Lines to take", "Press line", "Questions and answers", "Risks"]  # the fixed order


@pytest.fixture
def scenario(tmp_path: Path) -> DossierCopy:
    return DossierCopy(Path(shutil.copytree(DOSSIERS / "brief", tmp_path / "brief")))


def build(folder: Path, out: Path, *options: str, as_of: str = "2025-06-01") -> Result:
    run = run_in_process("brief", "--dossier", str(folder), "--event", EVENT, "--as-of", as_of, "--out", str(out), *options)
    assert run.code == 0, run.describe()
    return run


def pack(out: Path, audience: str, lang: str = "en", ext: str = "pdf") -> Path:
    return out / "east-west" / f"brief-{EVENT}.{audience}.{lang}.{ext}"


def between(text: str, start: str, end: str) -> str:
    """The text of a section: from its heading's last occurrence (after the table of contents) to the next heading."""
    at = text.rindex(start)
    return text[at : text.index(end, at)]


@pytest.mark.slow
def test_brief_comes_first_in_the_fixed_order(tmp_path: Path) -> None:
    build(DOSSIERS / "brief", tmp_path, "--format", "pdf", "--audience", "leadership", "--audience", "ministry")
    for audience in ("leadership", "ministry"):
        headings = pdf_headings(pack(tmp_path, audience), depth=1, leave_out=("Contents",))
        assert headings[:8] == ["The event", "Who's who", *IN_ORDER, "From the data"], headings
        text = normalize(pdf_text(pack(tmp_path, audience)))
        assert "Agree a date for the railway link." in text
        assert text.index("Agree a date for the railway link.") < text.rindex("Points to make")


@pytest.mark.slow
def test_press_pack_shows_only_the_press_line(scenario: DossierCopy, tmp_path: Path) -> None:
    build(scenario.path, tmp_path / "private", "--format", "pdf", "--audience", "press")
    path = pack(tmp_path / "private", "press")
    headings = pdf_headings(path, depth=1)
    assert "Press line" in headings
    assert not set(headings) & {"Objectives", "Lines to take", "Their likely asks", "Questions and answers", "Risks"}
    text = normalize(pdf_text(path))
    assert "The leaders will discuss trade and energy." in text
    for internal in (
        "Agree a date for the",
        "Westland may raise the bridge again.",
        "Work resumes next year.",
        "Trade has doubled",
    ):
        assert internal not in text
    # the questions and answers are public when the brief says so
    scenario.replace(BRIEF, "public_qa: false", "public_qa: true")
    build(scenario.path, tmp_path / "public", "--format", "pdf", "--audience", "press")
    path = pack(tmp_path / "public", "press")
    assert [h for h in pdf_headings(path, depth=1) if h in IN_ORDER] == ["Press line", "Questions and answers"]
    assert "Work resumes next year." in pdf_text(path)


@pytest.mark.slow
def test_a_translated_brief_is_used_in_its_language(scenario: DossierCopy, tmp_path: Path) -> None:
    scenario.write(f"briefs/{EVENT}.ru.md", "---\n---\n## Press line\n\n- Лидеры обсудят торговлю и энергетику.\n")
    build(scenario.path, tmp_path, "--format", "html", "--audience", "press", "--lang", "ru", "--lang", "en")
    russian = pack(tmp_path, "press", "ru", "html").read_text(encoding="utf-8")
    assert "Лидеры обсудят торговлю и энергетику." in russian
    assert "The leaders will discuss trade and energy." not in russian
    assert "The leaders will discuss trade and energy." in pack(tmp_path, "press", "en", "html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("## Risks", "## Risk", "{path}:5: heading: '## Risk' is not one of: '## Objectives', "),
        ("## Objectives", "### Objectives", "{path}:9: heading: '### Objectives' is not one of: "),
        ("public_qa: false", "public_q: true", "{path}:2: public_q: unknown key"),
        ("public_qa: false\n---\n", "public_qa: false\n---\nA stray line.\n", "{path}:4: body: text before the first section"),
        ("## Press line", "## Risks", "{path}:13: heading: '## Risks' appears twice"),
    ],
)
def test_a_broken_brief_is_exit_2_with_its_line(scenario: DossierCopy, tmp_path: Path, old: str, new: str, expected: str) -> None:
    scenario.replace(BRIEF, old, new)
    run = run_in_process("validate", "--dossier", str(scenario.path))
    assert run.code == 2, run.describe()
    assert "Traceback" not in run.err
    assert expected.format(path=scenario.path / BRIEF) in run.err, run.err
    assert len(run.err.strip().splitlines()) == 1, run.err  # that problem alone


def test_a_brief_for_an_unknown_event_is_exit_2(scenario: DossierCopy, tmp_path: Path) -> None:
    scenario.write("briefs/summit-2052.md", "---\n---\n## Objectives\n\n- Meet.\n")
    run = run_in_process("brief", "--dossier", str(scenario.path), "--event", EVENT, "--out", str(tmp_path))
    assert run.code == 2
    assert f"{scenario.path / 'briefs/summit-2052.md'}:1: event: 'summit-2052' is not an event of events.csv" in run.err
    assert "Traceback" not in run.err and not (tmp_path / "east-west").exists()


@pytest.mark.slow
def test_whos_who_lists_the_event_people_else_those_in_office(scenario: DossierCopy, tmp_path: Path) -> None:
    # summit-2025 names nobody: those in office on 10 June 2025 (not Carl Former, who left in January 2020, nor
    # Dora Next, in office from 2026)
    build(scenario.path, tmp_path / "all", "--format", "pdf", "--audience", "ministry")
    text = normalize(pdf_text(pack(tmp_path / "all", "ministry")))
    section = between(text, "Who's who", "Objectives")
    assert "Eastland: Anna East – President of Eastland, since 10 January 2015" in section
    assert "Westland: Boris West – President of Westland, since 1 February 2020" in section
    assert "Carl Former" not in section and "Dora Next" not in section
    # an event that names its people: those only
    events = scenario.read("events.csv").splitlines()
    rows = [events[0] + ",people"] + [
        line + ("," + "east-president" if line.startswith(EVENT + ",") else ",") for line in events[1:]
    ]
    scenario.write("events.csv", "\n".join(rows) + "\n")
    build(scenario.path, tmp_path / "named", "--format", "pdf", "--audience", "ministry")
    text = normalize(pdf_text(pack(tmp_path / "named", "ministry")))
    section = between(text, "Who's who", "Objectives")
    assert "Anna East" in section and "Boris West" not in section


@pytest.mark.slow
def test_a_summit_after_the_bilateral_visit_leaves_the_visit_as_previous(scenario: DossierCopy, tmp_path: Path) -> None:
    scenario.write(
        "events.csv", scenario.read("events.csv") + "region-summit,2024-06-05,,summit,Regional summit,Northtown,,trade,news\n"
    )
    build(scenario.path, tmp_path, "--format", "pdf", "--audience", "ministry")
    text = normalize(pdf_text(pack(tmp_path, "ministry")))
    since = between(text, "Since the last meeting at this level", "Commitments ledger")
    assert "Previous leaders' meeting: Official visit to Eastland (official visit, Eastville), 15–16 May 2023" in since
    sidelines = since.index("Since then, meetings on the sidelines of summits")
    assert sidelines < since.index("Regional summit") < since.index("What happened between the two meetings")
    assert since.count("Regional summit") == 1


@pytest.mark.slow
def test_the_last_leaders_meetings_of_a_short_pack_are_bilateral(scenario: DossierCopy, tmp_path: Path) -> None:
    (scenario.path / BRIEF).unlink()  # without a brief, the short pack has its background
    events = scenario.read("events.csv")
    more = "".join(f"visit-{n},2021-0{n}-01,,working_visit,Working visit {n},,,trade,news\n" for n in (1, 2))
    scenario.write("events.csv", events + more + "region-summit,2024-06-05,,summit,Regional summit,Northtown,,trade,news\n")
    house = tmp_path / "house" / "audiences"  # the short pack without its page limit: nothing is left out to fit
    house.mkdir(parents=True)
    (house / "leadership.yaml").write_text("extends: leadership\nmax_pages: null\n", encoding="utf-8")
    build(scenario.path, tmp_path, "--format", "pdf", "--audience", "leadership", "--templates", str(house.parent))
    text = normalize(pdf_text(pack(tmp_path, "leadership")))
    meetings = text[text.index("Background: Bilateral leaders' meetings") : text.rindex("Sources")]
    # bilateral before 10 June 2025: first-visit (2019), visit-1, visit-2 (2021), prev-visit (2023): the last 3
    assert "The last 3, oldest first" in meetings
    positions = [meetings.index(title) for title in ("Working visit 1", "Working visit 2", "Official visit to Eastland")]
    assert positions == sorted(positions)
    assert "First state visit" not in meetings and "Regional summit" not in meetings


@pytest.mark.slow
def test_an_event_already_held_gets_a_follow_up_instead_of_points(tmp_path: Path) -> None:
    # as of 1 July 2025 the visit (10-11 June) is over; the museum exchange was agreed there on 11 June
    build(DOSSIERS / "brief", tmp_path, "--format", "pdf", "--audience", "ministry", as_of="2025-07-01")
    path = pack(tmp_path, "ministry")
    headings = pdf_headings(path, depth=1)
    assert "Follow-up" in headings and "From the data" not in headings
    text = normalize(pdf_text(path))
    follow_up = between(text, "Follow-up", "Since the last meeting at this level")
    assert "Exchange museum exhibitions." in follow_up and "unknown" in follow_up
    assert "Points to make" not in text and "Ask for a new timetable" not in text
