"""Parsers of single cells and values: each turns one YAML value or CSV cell into a typed value or raises
ValueError with the message the loader reports. The value types below (`Text`, `Slug`, `Year` ...) carry them into
the YAML schemas (`reports/dossier/schema.py`); `CellChecker` applies them to the cells of a CSV row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import PlainValidator

from reports.dossier.dates import FIRST_YEAR, LAST_YEAR, FuzzyDate
from reports.dossier.model import Translations
from reports.dossier.text import clean_text
from reports.dossier.vocabulary import CASES, LANGUAGES, SLUG
from reports.errors import ProblemCollector

# ---------------------------------------------------------------- cell and value parsers
# Each parser takes the raw value and returns the typed value or raises ValueError(reason).

# The largest number a dossier may hold (an amount in its unit, a key fact's value): a trillion millions is more
# than the world's trade in any currency, and every figure computed from it stays within what formatting can show.
MAX_NUMBER = 10**12
MAX_DIGITS = 18  # of a whole number: more is a slip of the keyboard, not a year or a count


def text(value: Any) -> str:
    if value is None or (isinstance(value, str) and not clean_text(value)):
        raise ValueError("is required")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"must be text, not {type(value).__name__}")
    return clean_text(str(value))


def slug(value: Any) -> str:
    written = text(value)
    if not SLUG.match(written):
        raise ValueError(f"'{written}' is not a slug (lower-case letters, digits and '-')")
    return written


def integer(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
        value = value.strip()
        if len(value.lstrip("-")) > MAX_DIGITS:
            raise ValueError(f"'{value}' has more than {MAX_DIGITS} digits; it is not a plausible whole number")
        return int(value)
    raise ValueError(f"'{value}' is not a whole number")


def year(value: Any) -> int:
    number = integer(value)
    if not FIRST_YEAR <= number <= LAST_YEAR:
        raise ValueError(f"{number} is not a plausible year ({FIRST_YEAR}-{LAST_YEAR})")
    return number


def amount(value: Any) -> float:
    """A non-negative number with '.' as decimal separator: no thousands separators, no NaN."""
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value.strip()):
        number = float(value)
    else:
        raise ValueError(f"'{value}' is not a number (digits with '.' as decimal separator)")
    if not math.isfinite(number):
        raise ValueError(f"{value} is not a finite number")
    if number < 0:
        raise ValueError(f"{value} is below 0; an amount is never negative")
    return bounded(number, value)


def bounded(number: float, written: Any) -> float:
    """`number`, unless it is larger (or more negative) than MAX_NUMBER."""
    if abs(number) > MAX_NUMBER:
        raise ValueError(f"{written} is larger than 10^12, more than any figure of a dossier can be")
    return number


def percent(value: Any) -> float:
    """A change in percent as a source publishes it: a number, negative for a fall, '.' as decimal separator."""
    if isinstance(value, bool):
        raise ValueError("must be a number")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"[-+]?\d+(\.\d+)?", value.strip()):
        number = float(value)
    else:
        raise ValueError(f"'{value}' is not a percentage (a number such as 11.4 or -3.2, '.' as decimal separator)")
    if not math.isfinite(number) or number <= -100:
        raise ValueError(f"{value} is not a possible change in percent (it must be above -100)")
    return number


def date(value: Any) -> FuzzyDate:
    if isinstance(value, dt.datetime):
        raise ValueError(f"'{value}' must be a date without a time")
    if isinstance(value, dt.date):
        return FuzzyDate.from_date(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("is required (YYYY-MM-DD, YYYY-MM or YYYY)")
    return FuzzyDate.parse(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"'{value}' must be true or false")
    return value


def choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        written = text(value)
        if written not in options:
            raise ValueError(f"'{written}' is not one of: {', '.join(options)}")
        return written

    return parse


def optional(parser: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return parser(value)

    return parse


def translations(field: Callable[[str, Callable[[Any], Any]], Any], names: tuple[str, ...]) -> Translations:
    """The `<name>_<lang>` texts of one record (`field` reads one of its cells or keys), empty ones left out."""
    found: Translations = {}
    for lang in LANGUAGES:
        texts = {name: found_text for name in names if (found_text := field(f"{name}_{lang}", optional(text)))}
        if texts:
            found[lang] = texts
    return found


def cases(value: Any) -> dict[str, str]:
    """A name's forms by grammatical case, `{gent: Узбекистана, ...}`; the keys are those of CASES."""
    if not isinstance(value, dict):
        raise ValueError(f"must be a mapping of grammatical cases ({', '.join(CASES)}) to the name in that case")
    unknown = [str(case) for case in value if case not in CASES]
    if unknown:
        raise ValueError(f"'{unknown[0]}' is not a grammatical case; known cases: {', '.join(CASES)}")
    return {case: text(form) for case, form in value.items()}


class CellChecker:
    """Applies parsers to the cells of one CSV row, recording a problem, with the row's line, for each failure."""

    def __init__(self, problems: ProblemCollector, display: str, line: int) -> None:
        self.problems = problems
        self.display = display
        self.line = line
        self.failed = False

    def __call__(self, cells: dict[str, str], column: str, parser: Callable[[Any], Any]) -> Any:
        try:
            return parser(cells.get(column))
        except ValueError as error:
            self.problems.add(self.display, self.line, column, str(error))
            self.failed = True
            return None

    def translations(self, cells: dict[str, str], names: tuple[str, ...]) -> Translations:
        """The row's `<name>_<lang>` cells, empty ones left out."""
        return translations(lambda column, parser: self(cells, column, parser), names)


# ---------------------------------------------------------------- value types of the YAML schemas
# A parser as a pydantic validator: it alone decides (no coercion before it), and its ValueError is the message.

Text = Annotated[str, PlainValidator(text)]
OptionalText = Annotated[str | None, PlainValidator(optional(text))]
Slug = Annotated[str, PlainValidator(slug)]
Whole = Annotated[int, PlainValidator(integer)]
Year = Annotated[int, PlainValidator(year)]
OptionalYear = Annotated[int | None, PlainValidator(optional(year))]
Date = Annotated[FuzzyDate, PlainValidator(date)]
OptionalDate = Annotated[FuzzyDate | None, PlainValidator(optional(date))]
Flag = Annotated[bool, PlainValidator(lambda value: optional(boolean)(value) or False)]  # absent: false
