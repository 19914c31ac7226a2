"""Quality of figures (docs/dossier-format.md §1 trade.csv, §2 "Quality of derived figures"): trade rows that are lower
bounds or estimates, a published change on the previous year, the quality word of every derived figure, and the
words every briefing puts before a figure that is not exact ("about", "at least", "at most"; Russian «около»,
«не менее», «не более»), in PDF, Word and HTML.

The scenario dossier tests/dossiers/quality (EUR million, reporter NLD, base year 2018):

    year  exports  imports  turnover  status        published change on the year before
    2016     –        –        80     estimate
    2018     –        –       100     official
    2019     –        –       125     lower_bound   (the source says more than 125)
    2020    60       40       100     official
    2021    70       90       160     lower_bound   (the source says more than 160)
    2022    90      110       200     official      +12.5 %

    mirror (SLD): 2018 90 official, 2020 95 estimate, 2021 150 lower_bound, 2022 180 official
    partial years: 2022 Jan–Mar 40 and Jan–Jun 80 official; 2023 Jan–Mar 45 lower_bound (published +20 %),
                   Jan–Jun 90 estimate
    targets: grow €250 m by 2025, reach €150 m by 2021 (both set in May 2019)

Worked by hand (every source is dated so that these rows are known on these dates):

As of 2022-02-15 (BOUND): latest 2021, a lower bound; the year before (2020) and the base (2018) official.
    growth 160 − 100 = 60, 60 %, 1.6×; CAGR 1.6^(1/3) = 1.169607 → 16.96 % (shown 17.0 %): the later value is a
    lower bound, so all are at least. Change on 2020: 160 / 100 − 1 = 60 %, at least. Balance 70 − 90 = −20 and
    coverage 70 / 90 = 77.78 %: the split of a bound may be off either way, so estimate.
    grow: gap 250 − 160 = 90 at most; progress 160 / 250 = 64 % at least; required (250 / 160)^(1/4) = √1.25 =
    1.118034 → 11.80 % at most; projected 160 × 1.6^(4/3) = 256 × 1.169607 = 299.42 at least ≥ 250 → on track,
    decided on a bound. reach: 160 ≥ 150 → met, decided on a bound.
    mirror: 150 / 90 − 1 = 66.67 %, its latest a lower bound → "lower_bound"; 150 / 90 = 1.67×.
As of 2021-02-15 (AT_MOST): latest 2020 official, the year before (2019) a lower bound: change 100 / 125 − 1 =
    −20 %, at most. Growth 100 / 100: 0, exact. Mirror: 2020 is an estimate → "estimate", 95 / 90 − 1 = 5.56 %.
As of 2023-02-15 (PUBLISHED): latest 2022 official with its published +12.5 %, which is shown, exact and
    published, instead of 200 / 160 − 1 = 25 % computed on a bound. Growth 200 / 100: 2×, CAGR 2^(1/4) → 18.92 %.
As of 2023-05-15: the partial year Jan–Mar 2023, 45 (a lower bound), with its published +20 % (not 45 / 40 − 1).
As of 2023-07-20 (YTD): Jan–Jun 2023, 90 (an estimate), against Jan–Jun 2022, 80: 90 / 80 − 1 = 12.5 %, about.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from support.builds import FORMAT_ARGS, shared_run
from support.cli import run_in_process
from support.read import docx_text, html_text, normalize, pdf_pages, pdf_text

from reports.dossier.load import load_dossier
from reports.dossier.quality import figure_quality, rows_quality, value_quality
from reports.indicators import compute_indicators

REPO = Path(__file__).resolve().parents[1]
QUALITY = REPO / "tests" / "dossiers" / "quality"
BOUND, AT_MOST, PUBLISHED, YTD = "2022-02-15", "2021-02-15", "2023-02-15", "2023-07-20"
FORMATS = ("pdf", "docx", "html")


def indicators_json(as_of: str, folder: Path = QUALITY) -> dict:
    result = run_in_process("indicators", "--dossier", str(folder), "--as-of", as_of, "--json")
    assert result.code == 0, result.describe()
    return json.loads(result.out)


def copy_with(tmp_path: Path, name: str, *edits: str) -> Path:
    """A copy of the scenario with texts replaced in one file: `old, new, old, new ...`."""
    folder = Path(shutil.copytree(QUALITY, tmp_path / "quality"))
    path = folder / name
    text = path.read_text(encoding="utf-8")
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------- 1. the rules


def test_the_quality_of_a_figure_from_the_rows_it_rises_and_falls_with() -> None:
    assert figure_quality(["official"], ["preliminary"]) == "exact"
    assert figure_quality(["lower_bound"], ["official"]) == "at_least"  # the later value is at least
    assert figure_quality(["official"], ["lower_bound"]) == "at_most"  # the earlier value is at least
    assert figure_quality(["lower_bound"], ["lower_bound"]) == "estimate"  # both ends bounds
    assert figure_quality(["lower_bound"], ["estimate"]) == "estimate"
    assert figure_quality(falling=["lower_bound"]) == "at_most"  # a gap, the growth still required
    assert value_quality("lower_bound") == "at_least" and value_quality("estimate") == "estimate"
    assert value_quality("preliminary") == "exact"
    assert rows_quality(["official", "lower_bound"]) == "lower_bound"
    assert rows_quality(["lower_bound", "estimate"]) == "estimate"
    assert rows_quality(["official", "preliminary"]) == "exact"


# ---------------------------------------------------------------- 2. the loader


MIRROR_WITH_CHANGES = (  # the mirror given a column of published changes, the first of them not a number
    "source,note\n",
    "source,yoy_pct,note\n",
    "mirror-2019,\n",
    "mirror-2019,abc,\n",
    "mirror-2021,\n",
    "mirror-2021,,\n",
    "mirror-2022,\n",
    "mirror-2022,,\n",
    "mirror-2023,\n",
    "mirror-2023,,\n",
)


@pytest.mark.parametrize(
    ("name", "edits", "line", "value"),
    [
        ("trade.csv", ("yb-2023,12.5,", "yb-2023,twelve,"), 7, "twelve"),
        ("trade_ytd.csv", ("q1-2023,20,", "q1-2023,+20 %,"), 4, "+20 %"),
        ("trade_mirror.csv", MIRROR_WITH_CHANGES, 2, "abc"),
    ],
)
def test_a_published_change_that_is_not_a_number_is_an_error_with_its_line(tmp_path, name, edits, line, value) -> None:
    folder = copy_with(tmp_path, name, *edits)
    result = run_in_process("validate", "--dossier", str(folder))
    assert result.code == 2, result.describe()
    output = result.out + result.err
    assert "Traceback" not in output
    assert f"{folder / name}:{line}: yoy_pct: '{value}' is not a percentage" in output, output


def test_lower_bound_is_a_status_and_the_published_change_is_read(tmp_path) -> None:
    dossier = load_dossier(QUALITY)
    by_year = {row.year: row for row in dossier.trade}
    assert by_year[2021].status == "lower_bound" and by_year[2021].yoy_pct is None
    assert by_year[2022].yoy_pct == 12.5
    assert {(row.year, row.months): row.yoy_pct for row in dossier.trade_ytd}[(2023, 3)] == 20.0
    misspelt = copy_with(tmp_path, "trade.csv", "125,lower_bound", "125,lower-bound")
    result = run_in_process("validate", "--dossier", str(misspelt))
    assert result.code == 2
    assert f"{misspelt / 'trade.csv'}:4: status: 'lower-bound' is not one of: official, preliminary, estimate, lower_bound" in (
        result.out + result.err
    )


# ---------------------------------------------------------------- 3. the indicators and their JSON


def test_a_lower_bound_as_the_later_value_gives_at_least_and_its_split_an_estimate() -> None:
    data = indicators_json(BOUND)
    figures = data["indicators"]
    assert data["latest_year"] == 2021
    assert figures["growth_multiple"] == pytest.approx(1.6) and figures["yoy_pct"] == pytest.approx(60.0)
    assert figures["cagr_pct"] == pytest.approx(16.9607095, abs=1e-6)
    assert figures["balance"] == pytest.approx(-20.0) and figures["coverage_pct"] == pytest.approx(77.7777778)
    assert figures["quality"] == {
        "growth_abs": "at_least",
        "growth_pct": "at_least",
        "growth_multiple": "at_least",
        "cagr_pct": "at_least",
        "yoy_pct": "at_least",
        "balance": "estimate",
        "coverage_pct": "estimate",
    }
    assert figures["yoy_published"] is False
    assert data["mirror"]["quality"] == "lower_bound" and data["mirror"]["growth_pct"] == pytest.approx(66.6666667)
    targets = {t["id"]: t for t in data["targets"]}
    assert targets["grow"]["quality"] == "lower_bound" and targets["grow"]["status"] == "on_track"
    assert targets["grow"]["required_cagr_pct"] == pytest.approx(11.8033989)
    assert targets["grow"]["projected"] == pytest.approx(299.4194164, abs=1e-6)
    assert targets["reach"]["quality"] == "lower_bound" and targets["reach"]["status"] == "met"


def test_each_figure_of_a_target_on_a_lower_bound() -> None:
    grow, reach = compute_indicators(load_dossier(QUALITY), dt.date.fromisoformat(BOUND)).targets
    assert grow.qualities == {
        "latest": "at_least",
        "progress_pct": "at_least",
        "gap": "at_most",
        "required_cagr_pct": "at_most",
        "achieved_cagr_pct": "at_least",
        "projected": "at_least",
        "status": "at_least",  # on track, decided on the projection
    }
    assert reach.qualities["status"] == "at_least"  # met, decided on the latest value


def test_a_lower_bound_as_the_earlier_value_gives_at_most() -> None:
    data = indicators_json(AT_MOST)
    assert data["latest_year"] == 2020
    assert data["indicators"]["yoy_pct"] == pytest.approx(-20.0)
    assert data["indicators"]["quality"]["yoy_pct"] == "at_most"
    assert data["indicators"]["quality"]["growth_pct"] == "exact"  # 2018 and 2020 are official
    assert data["mirror"]["quality"] == "estimate"  # its 2020 is an estimate
    assert {t["quality"] for t in data["targets"]} == {"exact"}


def test_both_ends_bounds_or_an_estimated_base_give_an_estimate(tmp_path) -> None:
    bounds = copy_with(tmp_path / "a", "trade.csv", "100,official,yb-2019", "100,lower_bound,yb-2019")
    both = indicators_json(BOUND, bounds)
    assert both["indicators"]["quality"]["growth_pct"] == "estimate"  # 2018 and 2021 both bounds
    assert both["indicators"]["quality"]["yoy_pct"] == "at_least"  # 2020 stays official
    assert {t["quality"] for t in both["targets"]} == {"lower_bound"}
    estimated = copy_with(tmp_path / "b", "trade.csv", "100,official,yb-2019", "100,estimate,yb-2019")
    guessed = indicators_json(BOUND, estimated)
    assert guessed["indicators"]["quality"]["cagr_pct"] == "estimate"
    assert {t["quality"] for t in guessed["targets"]} == {"estimate"}


def test_the_published_change_wins_over_the_computed_one() -> None:
    data = indicators_json(PUBLISHED)
    assert data["indicators"]["yoy_pct"] == 12.5  # not 200 / 160 − 1 = 25 %
    assert data["indicators"]["yoy_published"] is True
    assert data["indicators"]["quality"] == dict.fromkeys(data["indicators"]["quality"], "exact")
    assert data["indicators"]["cagr_pct"] == pytest.approx(18.9207115)
    table = {item.row.year: item for item in compute_indicators(load_dossier(QUALITY), dt.date(2023, 2, 15)).table}
    assert table[2022].yoy_pct == 12.5 and table[2022].yoy_quality == "exact"
    assert table[2021].yoy_pct == pytest.approx(60.0) and table[2021].yoy_quality == "at_least"
    assert table[2020].yoy_pct == pytest.approx(-20.0) and table[2020].yoy_quality == "at_most"


def test_the_partial_year_published_change_and_its_quality() -> None:
    spring = indicators_json("2023-05-15")["ytd"]
    assert (spring["months"], spring["turnover"], spring["turnover_prev"]) == (3, 45.0, 40.0)
    assert spring["yoy_pct"] == 20.0 and spring["yoy_published"] is True  # not 45 / 40 − 1 = 12.5 %
    assert spring["quality"] == "lower_bound"
    summer = indicators_json(YTD)["ytd"]
    assert summer["yoy_pct"] == pytest.approx(12.5) and summer["yoy_published"] is False
    assert summer["quality"] == "estimate"


# ---------------------------------------------------------------- 4. the documents


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scenario's leadership note and ministry report on three dates, and a pack, every format, en and ru (on
    PUBLISHED en alone: see `test_the_published_change_is_shown_not_the_computed_one`)."""
    english = ("--dossier", str(QUALITY), *FORMAT_ARGS, "--lang", "en")
    common = (*english, "--lang", "ru")
    both = ("--audience", "leadership", "--audience", "ministry")
    folder, runs = shared_run(
        tmp_path_factory,
        "quality",
        ("build", *common, *both, "--as-of", BOUND, "--out", "{out}/bound"),
        ("brief", "--event", "forum", *common, "--as-of", BOUND, "--audience", "ministry", "--out", "{out}/bound"),
        ("build", *english, *both, "--as-of", PUBLISHED, "--out", "{out}/published"),
        ("build", *common, "--as-of", YTD, "--audience", "leadership", "--out", "{out}/ytd"),
    )
    for run in runs:
        assert run.code == 0, run.describe()
    return folder


def text_of(path: Path) -> str:
    """What a reader reads, white space collapsed; a word the PDF hyphenated at a line's end is joined again. A PDF's
    text is read twice, in reading order and as laid out (where cards side by side keep each value on its line)."""
    if path.suffix == ".pdf":
        laid_out = "\n".join(pdf_pages(path, layout=True))
        return normalize(re.sub("\u2010\n", "", pdf_text(path)) + "\n" + laid_out)
    return normalize(docx_text(path) if path.suffix == ".docx" else html_text(path))


def documents(
    built: Path, when: str, name: str, formats: tuple[str, ...] = FORMATS, langs: tuple[str, ...] = ("en", "ru")
) -> list[tuple[Path, str, str]]:
    """(path, language, text) of each format and language of one document."""
    paths = [(built / when / "quality" / f"{name}.{lang}.{fmt}", lang) for fmt in formats for lang in langs]
    return [(path, lang, text_of(path)) for path, lang in paths]


QUALIFIERS = ("at least", "at most", "about", "не менее", "не более", "около")


def bare_in_pdf(path: Path, figure: str) -> list[str]:
    """The lines of the PDF (as pdftotext lays them out) where `figure` is shown without the words of its quality
    before it: on its line in the same cell, set apart before it on a key figure, or ending a line above it in its
    column where a cell or a sentence wrapped."""

    def chunks(line: str) -> list[tuple[int, int, str]]:  # the runs of text that two spaces or more set apart
        return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]

    lines = [line.replace("\u00a0", " ") for line in "\n".join(pdf_pages(path, layout=True)).splitlines()]
    found = []
    for index, line in enumerate(lines):
        for match in re.finditer(re.escape(figure), line):
            own = next(chunk for chunk in chunks(line) if chunk[0] <= match.start() < chunk[1])
            before = line[own[0] : match.start()].strip()
            hyphenated = chunks(lines[index - 1])[-1:] if index else []
            if hyphenated and hyphenated[0][2].endswith("\u2010") and hyphenated[0][0] <= own[0] + 2 < hyphenated[0][1]:
                before = hyphenated[0][2][:-1] + before  # a word hyphenated in its column: joined again
            if before.endswith(QUALIFIERS):
                continue
            left = [chunk for chunk in chunks(line) if chunk[1] <= own[0]]
            if not before and left and own[0] - left[-1][1] <= 8 and left[-1][2].endswith(QUALIFIERS):
                continue
            above: list[tuple[int, int, str]] = []
            for previous in reversed(lines[max(0, index - 2) : index]) if not before else ():
                above = [chunk for chunk in chunks(previous) if chunk[0] < match.end() + 2 and chunk[1] > own[0] - 2]
                if above:
                    break
            if not any(text.endswith(QUALIFIERS) for _, _, text in above):
                found.append(line.strip())
    return found


def bare(path: Path, text: str, figure: str, qualified: str) -> int:
    """How many times `figure` is shown without its words (`qualified`: the figure with them)."""
    if path.suffix == ".pdf":
        return len(bare_in_pdf(path, figure))
    return len(re.findall(re.escape(figure), text)) - text.count(qualified)


FIGURES = {  # the figures of BOUND each with the words it must carry, never bare
    "en": {
        "1.60×": "at least 1.60×",  # growth since 2018
        "17.0 %": "at least 17.0 %",  # average annual growth
        "+60.0 %": "at least +60.0 %",  # growth since 2018 and the change on 2020
        "−€20 m": "about −€20 m",  # the balance of a lower bound's split
        "64.0 %": "at least 64.0 %",  # progress to €250 m
        "€160 m": "at least €160 m",
        "11.8 %": "at most 11.8 %",  # the growth still needed
        "€299.4 m": "at least €299.4 m",  # the projection
    },
    "ru": {
        "1,60×": "не менее 1,60×",
        "17,0 %": "не менее 17,0 %",
        "+60,0 %": "не менее +60,0 %",
        "−20 млн евро": "около −20 млн евро",
        "64,0 %": "не менее 64,0 %",
        "160 млн евро": "не менее 160 млн евро",
        "11,8 %": "не более 11,8 %",
        "299,4 млн евро": "не менее 299,4 млн евро",
    },
}
TABLE_FIGURES = {  # the ministry's trade table: 2019 against 2018, 2020 against the bound of 2019, 2016 an estimate
    "en": {"+25.0 %": "at least +25.0 %", "−20.0 %": "at most −20.0 %"},
    "ru": {"+25,0 %": "не менее +25,0 %", "−20,0 %": "не более −20,0 %"},
}
STATUS = {
    "en": ("on track on estimated figures", "met on estimated figures"),
    "ru": ("по графику по оценочным данным", "достигнута по оценочным данным"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["leadership", "ministry"])
def test_figures_on_bounds_and_estimates_carry_their_words(built, name) -> None:
    for path, lang, text in documents(built, "bound", name):
        figures = {**FIGURES[lang], **(TABLE_FIGURES[lang] if name == "ministry" else {})}
        for figure, qualified in figures.items():
            # a narrow PDF cell may wrap the unit's later words ("299,4 млн" / "евро"): the number is what must be there
            assert figure in text or (path.suffix == ".pdf" and figure.split()[0] in text), (path.name, figure)
            assert bare(path, text, figure, qualified) == 0, f"{path.name}: {figure} shown without its words"
        for status in STATUS[lang]:
            assert status in text, (path.name, status)


@pytest.mark.slow
def test_the_ministry_tables_read_the_words_in_their_cells(built) -> None:
    for _path, lang, text in documents(built, "bound", "ministry", ("docx", "html")):
        if lang == "en":
            assert "2019 – – at least 125 at least +25.0 % lower bound" in text  # 125 / 100 − 1, on a bound
            assert "2021 at least 70 at least 90 at least 160 at least +60.0 % lower bound" in text
            assert "2020 60 40 100 at most −20.0 % official" in text  # 100 / 125 − 1: 2019 is at least 125
            assert "2016 – – about 80 – estimate" in text
        else:
            assert "2019 – – не менее 125 не менее +25,0 % нижняя граница" in text
            assert "2020 60 40 100 не более −20,0 % официальные" in text
            assert "2016 – – около 80 – оценочные" in text


@pytest.mark.slow
def test_the_points_to_make_say_the_verdict_rests_on_estimated_figures(built) -> None:
    for path, lang, text in documents(built, "bound", "brief-forum.ministry"):
        if lang == "en":
            assert (
                "Welcome the progress: on estimated figures, the target of €250 m by 2025 is on track; the trend since 2018 "
                "gives at least €299.4 m in 2025." in text
            ), path.name
            assert "on estimated figures, the target of €150 m by 2021 is met, with at least €160 m in 2021." in text
        else:
            assert "Отметить успехи: по оценочным данным, цель «250 млн евро к 2025 г.» выполняется по графику" in text
            assert "показатель составит не менее 299,4 млн евро" in text, path.name


@pytest.mark.slow
def test_the_published_change_is_shown_not_the_computed_one(built) -> None:
    """In English, every format of both audiences: which change is shown, and that it is exact, is settled before the
    language (the JSON test above); the Russian words of a change on a bound are read on BOUND, in every format."""
    for name in ("leadership", "ministry"):
        for path, _lang, text in documents(built, "published", name, langs=("en",)):
            assert "+12.5 %" in text, path.name
            # 200 / 160 − 1 on a lower bound: not shown; 2019 against 2018 is, in the table, with its words
            assert bare(path, text, "+25.0 %", "at least +25.0 %") == 0, path.name
            assert not re.search(r"(at least|at most|about) \+12\.5 %", text), path.name


@pytest.mark.slow
def test_the_partial_year_estimate_is_about(built) -> None:
    for path, lang, text in documents(built, "ytd", "leadership"):
        assert ("about €90 m" if lang == "en" else "около 90 млн") in text, path.name
        assert re.search("about \\+12.5 % on the same months of 2022" if lang == "en" else "около \\+12,5 % к", text), path.name


@pytest.mark.slow
def test_the_chart_draws_estimates_and_bounds_apart_with_a_legend(built) -> None:
    html = (built / "bound" / "quality" / "ministry.en.html").read_text(encoding="utf-8")
    assert re.search(r'<rect class="bar estimate" data-year="2016"', html)
    assert {int(y) for y in re.findall(r'<rect class="bar at_least" data-year="(\d+)"', html)} == {2019, 2021}
    assert not re.search(r'class="bar (exports|imports|turnover)" data-year="(2016|2019|2021)"', html)
    assert html.count('class="bound-arrow"') == 2
    legend = re.findall(r'<text class="legend"[^>]*>([^<]*)</text>', html)
    assert "Turnover, estimate" in legend and "Turnover, lower bound (at least)" in legend
    pdf = text_of(built / "bound" / "quality" / "ministry.ru.pdf")
    assert "Товарооборот, оценка" in pdf and "Товарооборот, нижняя граница (не менее)" in pdf
    with zipfile.ZipFile(built / "bound" / "quality" / "ministry.en.docx") as package:
        chart = next(package.read(n).decode() for n in package.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", n))
    names = re.findall(r"<c:tx>.*?<c:v>([^<]*)</c:v>", chart, re.S)
    assert "Turnover, estimate" in names and "Turnover, lower bound (at least)" in names
    assert "<a:pattFill" in chart  # the estimate hatched, as in the PDF


# ---------------------------------------------------------------- 5. kz-uz


@pytest.fixture(scope="module")
def kz_note(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/kz-uz's leadership note as of 7 December 2026 (2025 the latest year), every format, in English: which
    figure is shown and whether it carries its words is decided before the language is (the Russian words are read
    on the scenario above, in every format), and a Russian note of kz-uz is a fit of its own, a few CPU-seconds."""
    folder, runs = shared_run(
        tmp_path_factory,
        "quality-kz-uz",
        ("build", "--audience", "leadership", *FORMAT_ARGS, "--lang", "en", "--as-of", "2026-12-07", "--out", "{out}"),
    )
    assert runs[0].code == 0, runs[0].describe()
    return folder / "kz-uz"


@pytest.mark.slow
def test_kz_uz_shows_the_published_change_and_the_growth_on_an_estimated_2017_as_about(kz_note) -> None:
    # 2025: $4.97 bn, published +11.4 % (trade.csv); 4970 / 4270 − 1 = +16.4 % would rest on the 2024 lower bound.
    # 2017 is an estimate (2,135): 4970 / 2135 = 2.33×, about.
    for fmt in FORMATS:
        path = kz_note / f"leadership.en.{fmt}"
        text = text_of(path)
        assert "+11.4 %" in text and "+16.4 %" not in text, path.name
        assert "2.33×" in text and bare(path, text, "2.33×", "about 2.33×") == 0, path.name
