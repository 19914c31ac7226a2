"""data/kz-uz read as its readers read it on a date: the pack for the November 2025 state visit built as of
10 November 2025 lists no source published after that day, in any audience, format or language. (That a pack for
a planned event dated only by its year, built late in that year, says "date to be set" and never "held" is tested
on tests/dossiers/truth, in tests/test_truth.py.)

The dates are read back from the sources list of each document, as a reader sees them."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pytest
from support.paths import KZ_EVENT
from support.read import docx_text, normalize, pdf_text

pytestmark = pytest.mark.slow

AS_OF = dt.date(2025, 11, 10)
EN_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
RU_MONTHS = {
    stem: number
    for number, stem in enumerate(
        ("", "январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")
    )
    if stem
}
# a date as the sources list prints it after the publisher (or the title): ", 14 November 2025." ". 2025 г."; the
# leadership note's short form goes on with the site: ", 14 November 2025, trend.az"
DATE = re.compile(r"[.,] (?:(?P<day>\d{1,2}) )?(?:(?P<month>[A-Z][a-z]+|[а-я]+) )?(?P<year>(?:19|20)\d\d)(?: г\.?)?(?=[.,\s]|$)")


def month_number(word: str) -> int:
    if word in EN_MONTHS:
        return EN_MONTHS[word]
    return next(number for stem, number in sorted(RU_MONTHS.items(), key=lambda kv: -len(kv[0])) if word.startswith(stem))


def last_day(match: re.Match) -> dt.date:
    """The last day a printed date covers (`November 2025` → 30 November 2025)."""
    year = int(match["year"])
    if match["month"] is None:
        return dt.date(year, 12, 31)
    month = month_number(match["month"])
    day = int(match["day"]) if match["day"] else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def source_dates(text: str) -> list[dt.date]:
    """The publication date of every entry of the sources list (the text after the last "Sources" heading), however
    the format lays the list out (the note's PDF sets the numbers in a column of their own)."""
    text = normalize(text).replace("\n", " ")
    listing = re.split(r"\bSources\b|\bИсточники\b", text)[-1]
    listing = re.sub(r"Page \d+ of \d+|Страница \d+ из \d+", " ", listing)
    listing = re.sub(r"https?://(?:\S*/(?: (?!\[))?)*\S*", "", listing)  # a link, even broken after a slash
    numbers = re.findall(r"\[\d+\]", listing)
    dates = [last_day(match) for match in DATE.finditer(listing)]
    assert len(dates) == len(numbers), f"{len(numbers)} sources, {len(dates)} dates read: {listing}"
    return dates


def test_the_state_visit_pack_as_of_10_november_lists_no_later_source(kz_brief):
    out, _ = kz_brief
    documents = [path for lang in ("en", "ru") for fmt in ("pdf", "docx")
                 for path in sorted((out / "kz-uz").glob(f"brief-{KZ_EVENT}.*.{lang}.{fmt}"))]  # fmt: skip
    assert len(documents) == 12, documents  # three audiences, two languages, PDF and Word
    for path in documents:
        dates = source_dates(pdf_text(path) if path.suffix == ".pdf" else docx_text(path))
        assert dates, f"{path.name}: no source listed"
        later = [day for day in dates if day > AS_OF]
        assert later == [], f"{path.name} lists sources published after {AS_OF}: {later}"


def test_the_reader_is_told_what_was_left_out(kz_brief):
    _, (run, _) = kz_brief
    assert re.search(rf"brief-{KZ_EVENT}\.ministry\.en\.pdf: as of 2025-11-10: left out \d+ items that cite later", run.stderr)
