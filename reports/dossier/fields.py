"""Parsers of single cells and values: each turns one YAML value or CSV cell into a typed value or raises
ValueError with the message the loader reports; `_Checker` collects those messages per field, and the `_check_*`
helpers report the shape of a YAML mapping or list (unknown keys, a list where a mapping belongs).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from reports.dossier.dates import FuzzyDate
from reports.dossier.model import Translations
from reports.dossier.readers import YamlDocument, YamlPath
from reports.dossier.text import clean_text
from reports.dossier.vocabulary import CASES, LANGUAGES, SLUG
from reports.errors import ProblemCollector

# ---------------------------------------------------------------- cell and value parsers
# Each parser takes the raw value and returns the typed value or raises ValueError(reason).

# The largest number a dossier may hold (an amount in its unit, a key fact's value): a trillion millions is more
# than the world's trade in any currency, and every figure computed from it stays within what formatting can show.
MAX_NUMBER = 10**12
MAX_DIGITS = 18  # of a whole number: more is a slip of the keyboard, not a year or a count


def _text(value: Any) -> str:
    if value is None or (isinstance(value, str) and not clean_text(value)):
        raise ValueError("is required")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"must be text, not {type(value).__name__}")
    return clean_text(str(value))


def _slug(value: Any) -> str:
    text = _text(value)
    if not SLUG.match(text):
        raise ValueError(f"'{text}' is not a slug (lower-case letters, digits and '-')")
    return text


def _integer(value: Any) -> int:
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


def _year(value: Any) -> int:
    year = _integer(value)
    if not 1900 <= year <= 2200:
        raise ValueError(f"{year} is not a plausible year (1900-2200)")
    return year


def _amount(value: Any) -> float:
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


def _percent(value: Any) -> float:
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


def _date(value: Any) -> FuzzyDate:
    if isinstance(value, dt.datetime):
        raise ValueError(f"'{value}' must be a date without a time")
    if isinstance(value, dt.date):
        return FuzzyDate.from_date(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("is required (YYYY-MM-DD, YYYY-MM or YYYY)")
    return FuzzyDate.parse(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"'{value}' must be true or false")
    return value


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value)
        if text not in options:
            raise ValueError(f"'{text}' is not one of: {', '.join(options)}")
        return text

    return parse


def _optional(parser: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return parser(value)

    return parse


def _translations(field: Callable[[str, Callable[[Any], Any]], Any], names: tuple[str, ...]) -> Translations:
    """The `<name>_<lang>` texts of one record (`field` reads one of its cells or keys), empty ones left out."""
    found: Translations = {}
    for lang in LANGUAGES:
        texts = {name: text for name in names if (text := field(f"{name}_{lang}", _optional(_text)))}
        if texts:
            found[lang] = texts
    return found


def _cases(value: Any) -> dict[str, str]:
    """A name's forms by grammatical case, `{gent: Узбекистана, ...}`; the keys are those of CASES."""
    if not isinstance(value, dict):
        raise ValueError(f"must be a mapping of grammatical cases ({', '.join(CASES)}) to the name in that case")
    unknown = [str(case) for case in value if case not in CASES]
    if unknown:
        raise ValueError(f"'{unknown[0]}' is not a grammatical case; known cases: {', '.join(CASES)}")
    return {case: _text(form) for case, form in value.items()}


class _Checker:
    """Applies parsers to the fields of one record, recording a problem for each failure."""

    def __init__(self, problems: ProblemCollector, display: str) -> None:
        self.problems = problems
        self.display = display
        self.failed = False

    def field(
        self, record: dict[Any, Any], key: str, parser: Callable[[Any], Any], line: int | None, label: str | None = None
    ) -> Any:
        try:
            return parser(record.get(key))
        except ValueError as error:
            self.problems.add(self.display, line, label or key, str(error))
            self.failed = True
            return None

    def cells(self, cells: dict[str, str], line: int) -> Callable[[str, Callable[[Any], Any]], Any]:
        """`field(key, parser)` for one CSV row, naming its line."""
        return lambda key, parser: self.field(cells, key, parser, line)

    def fields(
        self, record: dict[Any, Any], doc: YamlDocument, path: YamlPath, label: str
    ) -> Callable[[str, Callable[[Any], Any]], Any]:
        """`field(key, parser)` for one YAML list item, naming its line and `label.key`."""
        return lambda key, parser: self.field(record, key, parser, doc.line(*path, key), f"{label}.{key}")


def _check_mapping(doc: YamlDocument, path: YamlPath, value: Any, display: str, label: str, problems: ProblemCollector) -> bool:
    if not isinstance(value, dict):
        problems.add(display, doc.line(*path), label, f"must be a mapping of keys, not {type(value).__name__}")
        return False
    return True


def _check_keys(
    doc: YamlDocument,
    path: YamlPath,
    record: dict[Any, Any],
    known: tuple[str, ...],
    display: str,
    label: str,
    problems: ProblemCollector,
) -> None:
    for key in record:
        if key not in known:
            problems.add(
                display,
                doc.line(*path, key),
                f"{label}.{key}" if label else str(key),
                f"unknown key; known keys: {', '.join(known)}" if known else "unknown key; no key belongs here",
            )


def _list_of_mappings(
    doc: YamlDocument, value: Any, key: str, display: str, problems: ProblemCollector, required: bool = True
) -> list[tuple[int, dict[Any, Any]]]:
    if value is None:
        if required:
            problems.add(display, doc.line(key), key, "is required")
        return []
    if not isinstance(value, list):
        problems.add(display, doc.line(key), key, f"must be a list, not {type(value).__name__}")
        return []
    items = []
    for index, item in enumerate(value):
        if _check_mapping(doc, (key, index), item, display, f"{key}[{index}]", problems):
            items.append((index, item))
    return items
