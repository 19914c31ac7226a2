"""What changed between two dates: `reports changes` and the "Since <date>" section of `build --since`, on the
scenario tests/dossiers/since, whose items become known at chosen dates. Every expected list is worked out by hand
from the scenario's files: an item is known on D when its source is out by D (an imprecise source date counts as its
last day), a year's row once the year is over, a partial year once its months are over."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.builds import once
from support.cli import run_in_process
from support.paths import DOSSIERS
from support.read import docx_text, html_text, pdf_text, squash

SINCE = DOSSIERS / "since"


def changes(since: str, as_of: str) -> dict:
    code, out, err = run_in_process("changes", "--dossier", str(SINCE), "--since", since, "--as-of", as_of, "--json")
    assert code == 0, err
    return json.loads(out)


def test_changes_over_a_year() -> None:
    assert changes("2025-01-01", "2025-12-31") == {
        "since": "2025-01-01",
        "as_of": "2025-12-31",
        "events": [
            # held 20 January; its report (dated 2025-02, so out on 28 February) came after the earlier date
            {"id": "talks-2025", "date": "2025-01-20", "title": "Ministers' talks"},
            {"id": "state-visit", "date": "2025-03-10", "title": "State visit to Southland"},
            {"id": "forum-2025", "date": "2025-09-04", "title": "Business forum"},
        ],  # not old-visit (known since 2024), not summit-2026 (planned)
        "trade": [
            {"year": 2024, "months": None, "turnover": 250},  # its yearbook came out on 2025-02-15
            {"year": 2025, "months": 6, "turnover": 132},  # January-June, out 2025-07-20; 2025 has no annual row yet
        ],
        "targets": [{"id": "trade-500"}],  # set on 2025-05-20
        "commitments": [
            {"id": "bridge", "from": "unknown", "to": "done"},  # its status is as of 2025-06-30
            {"id": "railway", "from": None, "to": "in_progress"},  # agreed 2025-03-11, reported 2025-03-12
        ],
        "people": [{"id": "fm-s"}],  # in office from 2025-04-01; her predecessor left then and is not new
    }


def test_changes_over_a_quarter() -> None:
    assert changes("2025-03-11", "2025-06-30") == {
        "since": "2025-03-11",
        "as_of": "2025-06-30",
        # held 10-11 March but reported on 12 March: not known on the 11th
        "events": [{"id": "state-visit", "date": "2025-03-10", "title": "State visit to Southland"}],
        # 2024 was known on 11 March already; January-June is not over on 30 June, so January-March is the news
        "trade": [{"year": 2025, "months": 3, "turnover": 60}],
        "targets": [{"id": "trade-500"}],
        # the railway was agreed on the 11th, but its source came out on the 12th
        "commitments": [{"id": "bridge", "from": "unknown", "to": "done"}, {"id": "railway", "from": None, "to": "in_progress"}],
        "people": [{"id": "fm-s"}],
    }


def test_changes_over_a_summer() -> None:
    # on 1 July January-June was over but not yet published (20 July): only it is new by 31 August; the forum of
    # 4 September is after the later date, and neither planned nor reported by then
    assert changes("2025-07-01", "2025-08-31") == {
        "since": "2025-07-01",
        "as_of": "2025-08-31",
        "events": [],
        "trade": [{"year": 2025, "months": 6, "turnover": 132}],
        "targets": [],
        "commitments": [],
        "people": [],
    }


def test_since_must_come_before_the_as_of_date() -> None:
    code, out, err = run_in_process("changes", "--dossier", str(SINCE), "--since", "2025-06-30", "--as-of", "2025-06-30")
    assert code == 2 and out == ""
    assert err.strip() == "reports: --since: 2025-06-30 is not before the as-of date 2025-06-30"


# ---------------------------------------------------------------- the section, as a reader sees it

# 2025-01-01 → 2025-12-31, worked out above; 250 / 220 = +13.6 %, 132 / 110 (January-June 2024) = +20.0 %
FULL = {
    "en": (
        "Since 1 January 2025",
        "Events held",
        "20 January 2025: Ministers' talks",
        "10–11 March 2025: State visit to Southland",
        "4 September 2025: Business forum",
        "Trade figures",
        "Trade in 2024: $250 m, +13.6 % on the year before",
        "Trade in January–June 2025: $132 m, +20.0 % on the same months a year before",
        "Targets set",
        "Target set 20 May 2025: $500 m by 2030",
        "Commitments",
        "Build a border bridge: unknown → done",
        "Agreed 11 March 2025: Build a railway (in progress)",
        "People in office",
        "Clara South, Foreign Minister, since 1 April 2025",
    ),
    "ru": (
        "С 1 января 2025 г.",
        "Состоявшиеся мероприятия",
        "20 января 2025 г.: Переговоры министров",
        "10–11 марта 2025 г.: Государственный визит в Саутленд",
        "4 сентября 2025 г.: Деловой форум",
        "Данные о торговле",
        "Товарооборот за 2024 г.: 250 млн долл. США, +13,6 % к предыдущему году",
        "Товарооборот, январь–июнь 2025 г.: 132 млн долл. США, +20,0 % к тем же месяцам предыдущего года",
        "Поставленные цели",
        "Цель поставлена 20 мая 2025 г.: 500 млн долл. США к 2030 г.",
        "Договорённости",
        "Построить пограничный мост: неизвестно → выполнено",
        "Согласовано 11 марта 2025 г.: Построить железную дорогу (в работе)",
        "Вступившие в должность",
        "Клара Саут, Министр иностранных дел, с 1 апреля 2025 г.",
    ),
}
# The leadership note: the heading and five lines, leaders' meetings first (the state visit; the ministers' talks and
# the forum are not leaders' meetings), then the new trade figures, the target, the commitment whose status changed.
SHORT = {lang: (lines[0], lines[3], lines[6], lines[7], lines[9], lines[11]) for lang, lines in FULL.items()}
LEFT_OUT_OF_THE_NOTE = {lang: (lines[2], lines[4], lines[12], lines[14]) for lang, lines in FULL.items()}
READ = {"pdf": pdf_text, "docx": docx_text, "html": html_text}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(folder: Path) -> dict:
        args = ["--dossier", str(SINCE), "--since", "2025-01-01", "--as-of", "2025-12-31", "--out", str(folder)]
        for option in ("--audience", "leadership", "--audience", "ministry", "--lang", "en", "--lang", "ru"):
            args.append(option)
        code, _, err = run_in_process("build", *args, "--format", "pdf", "--format", "docx", "--format", "html", seconds=300)
        assert code == 0, err
        return {}

    return once(tmp_path_factory, "since-build", make)[0] / "north-south"


def section_text(text: str, heading: str) -> str:
    """Everything from the section's heading on, without white space or list bullets (the contents list the heading
    too: the section is its last mention)."""
    text = squash(text).replace("•", "")
    start = text.rfind(squash(heading))
    assert start >= 0, f"no section {heading!r}"
    return text[start:]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_ministry_report_lists_every_change(built: Path, fmt: str, lang: str) -> None:
    text = READ[fmt](built / f"ministry.{lang}.{fmt}")
    assert section_text(text, FULL[lang][0]).startswith(squash("".join(FULL[lang])))


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_leadership_note_lists_the_most_important_changes(built: Path, fmt: str, lang: str) -> None:
    text = READ[fmt](built / f"leadership.{lang}.{fmt}")
    assert section_text(text, SHORT[lang][0]).startswith(squash("".join(SHORT[lang])))
    for line in LEFT_OUT_OF_THE_NOTE[lang]:
        assert squash(line) not in squash(text)


def test_the_section_follows_the_key_figures(built: Path) -> None:
    text = squash(html_text(built / "ministry.en.html"))
    assert text.rfind("Keyfigures") < text.rfind("Since1January2025") < text.rfind("Tradeasreportedby")


def test_nothing_new(tmp_path: Path) -> None:
    for lang, expected in (("en", "Nothing new since 1 October 2025."), ("ru", "С 1 октября 2025 г. нового нет.")):
        args = ("--since", "2025-10-01", "--as-of", "2025-11-30", "--audience", "ministry", "--format", "html")
        code, _, err = run_in_process("build", "--dossier", str(SINCE), *args, "--lang", lang, "--out", str(tmp_path))
        assert code == 0, err
        assert squash(expected) in squash(html_text(tmp_path / "north-south" / f"ministry.{lang}.html"))


def test_a_build_without_since_has_no_such_section(tmp_path: Path) -> None:
    args = ("--as-of", "2025-12-31", "--audience", "ministry", "--format", "html", "--out", str(tmp_path))
    code, _, err = run_in_process("build", "--dossier", str(SINCE), *args)
    assert code == 0, err
    text = html_text(tmp_path / "north-south" / "ministry.en.html")
    assert "Since 1 January" not in text and "Events held" not in text


def test_a_since_after_the_as_of_date_builds_nothing(tmp_path: Path) -> None:
    args = ("--since", "2026-01-01", "--as-of", "2025-12-31", "--format", "html", "--out", str(tmp_path))
    code, out, err = run_in_process("build", "--dossier", str(SINCE), *args)
    assert code == 2 and out == ""
    assert err.strip() == "reports: --since: 2026-01-01 is not before the as-of date 2025-12-31"
    assert not (tmp_path / "north-south").exists()


def test_a_pack_with_since(tmp_path: Path) -> None:
    args = ("--event", "summit-2026", "--since", "2025-07-01", "--as-of", "2025-08-31", "--audience", "ministry")
    code, _, err = run_in_process("brief", "--dossier", str(SINCE), *args, "--format", "html", "--out", str(tmp_path))
    assert code == 0, err
    text = squash(html_text(tmp_path / "north-south" / "brief-summit-2026.ministry.en.html"))
    expected = squash(
        "Since 1 July 2025 Trade figures Trade in January–June 2025: $132 m, +20.0 % on the same months a year before"
    )
    assert expected in text


def test_the_press_sheet_names_no_commitment(tmp_path: Path) -> None:
    # the press sheet shows no commitments and no verdicts (press.yaml): the rest of the list, and not them
    args = ("--since", "2025-01-01", "--as-of", "2025-12-31", "--audience", "press", "--format", "html", "--out", str(tmp_path))
    code, _, err = run_in_process("build", "--dossier", str(SINCE), *args)
    assert code == 0, err
    text = squash(html_text(tmp_path / "north-south" / "press.en.html"))
    assert squash("".join(FULL["en"][:10]) + "People in office" + FULL["en"][14]) in text
    assert "Buildaborderbridge" not in text and "Buildarailway" not in text


def test_changes_in_kazakh_falls_back_to_the_russian_titles() -> None:
    # the scenario's titles have Russian variants only: a Kazakh list gives them in Russian, as plain text
    args = ("--dossier", str(SINCE), "--since", "2025-07-01", "--as-of", "2025-12-31", "--lang", "kk")
    code, out, err = run_in_process("changes", *args)
    assert code == 0, err
    assert out.splitlines()[:4] == [
        "2025 жылғы 1 шілде жағдайынан бергі өзгерістер – 2025 жылғы 31 желтоқсан жағдай бойынша",
        "",
        "Өткен іс-шаралар",
        "- 2025 жылғы 4 қыркүйек: Деловой форум",
    ]


def test_a_run_says_what_changed_since_the_documents_last_build(tmp_path: Path) -> None:
    """`reports run` twice, a dossier edit between: the second build's section starts from the first build's as-of
    date (recorded in the manifest) and lists the edit's effect alone. Between 21 July and 31 August 2025 the
    dossier itself learns nothing (January-June came out on 20 July), so the one line is the event added."""
    dossier = Path(shutil.copytree(SINCE, tmp_path / "dossier"))
    jobs = tmp_path / "reports.yaml"
    jobs.write_text(
        'jobs:\n  - {name: desk, dossier: dossier, audiences: [ministry], formats: [html], out: out, schedule: "@daily"}\n',
        encoding="utf-8",
    )
    page = tmp_path / "out" / "north-south" / "ministry.en.html"
    code, _, err = run_in_process("run", "--jobs", str(jobs), "--workers", "1", "--now", "2025-07-21T06:00")
    assert code == 0, err
    assert "Since " not in html_text(page)  # a first build has nothing to compare with
    events = dossier / "events.csv"
    added = "fair-2025,2025-08-12,,forum,Trade fair,Northville,Firms met.,trade,ytd-2025-6,held,Ярмарка\n"
    events.write_text(events.read_text(encoding="utf-8") + added, encoding="utf-8")
    code, out, err = run_in_process("run", "--jobs", str(jobs), "--workers", "1", "--now", "2025-08-31T06:00")
    assert code == 0, err
    section = section_text(html_text(page), "Since 21 July 2025")
    # the one line, then the next section ("Trade") begins
    assert section.startswith(squash("Since 21 July 2025 Events held 12 August 2025: Trade fair Trade Trade as reported by"))
