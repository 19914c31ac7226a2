"""Dates that may be known only to the month or the year (`2023-10`, `2023`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


@dataclass(frozen=True)
class FuzzyDate:
    """A date with its precision; it sorts and compares as its first day (`2023-10` as 2023-10-01)."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> FuzzyDate:
        """Parse `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; raise ValueError with a readable reason."""
        match = _PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        year_text, month_text, day_text = match.groups()
        year, month, day = int(year_text), int(month_text) if month_text else None, int(day_text) if day_text else None
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError as error:
            raise ValueError(f"'{text}' is not a real date ({error})") from None
        _check_year(text, year)
        return cls(year, month, day)

    @classmethod
    def from_date(cls, value: dt.date) -> FuzzyDate:
        return cls(value.year, value.month, value.day)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The last day the date may mean: `2023-02` is 2023-02-28, `2026` is 2026-12-31."""
        if self.day is not None:
            return self.first_day
        if self.month is None:
            return dt.date(self.year, 12, 31)
        following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def precision(self) -> str:
        """`day`, `month` or `year`: how much of the date is known."""
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def __lt__(self, other: FuzzyDate) -> bool:
        return (self.first_day, str(self)) < (other.first_day, str(other))


# The years a dossier's dates and years, an import's rows and the run's clock may fall in: the one range.
FIRST_YEAR, LAST_YEAR = 1800, 2199


def parse_as_of(text: str) -> dt.date:
    """The `--as-of` argument: a full `YYYY-MM-DD` date and nothing else."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text or ""):
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"'{text}' is not a real date ({error})") from None
    _check_year(text, day.year)
    return day


def _check_year(text: str, year: int) -> None:
    """Relations between two countries lie between FIRST_YEAR and LAST_YEAR; a date outside is a typo, and the
    briefing's arithmetic on it (years before an event, the month after one) would leave the calendar."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"'{text}' is not a plausible date (years {FIRST_YEAR}-{LAST_YEAR})")
