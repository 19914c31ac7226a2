"""Number, money, percent and date formatting: the one place every renderer and the CLI use."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal, get_currency_symbol

from reports.dates import FuzzyDate

_UNIT_FACTOR = {"million": 1.0, "billion": 1000.0}


def format_number(value: float | None, lang: str = "en", decimals: int = 1) -> str:
    """A plain number with thousands separators; trailing zeros after the decimal point dropped."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=lang)


def format_money(value: float | None, unit: str, currency: str, lang: str = "en") -> str:
    """Money as a reader writes it: `$4.27 bn`, `$735.2 m`; never more rounded than the data needs."""
    if value is None:
        return "–"
    millions = value * _UNIT_FACTOR[unit]
    symbol = get_currency_symbol(currency, locale=lang)
    sign = "−" if millions < 0 else ""
    millions = abs(millions)
    if millions >= 1000:
        amount, suffix = format_decimal(millions / 1000, format="#,##0.###", locale=lang), "bn"
    else:
        amount, suffix = format_decimal(millions, format="#,##0.#", locale=lang), "m"
    return f"{sign}{symbol}{amount} {suffix}"


def format_percent(value: float | None, lang: str = "en", signed: bool = False) -> str:
    """A percentage with one decimal: `42.7 %`, or `+16.4 %` when the sign matters."""
    if value is None:
        return "–"
    text = format_decimal(abs(value), format="#,##0.0", locale=lang)
    sign = ("+" if value >= 0 else "−") if signed else ("−" if value < 0 else "")
    return f"{sign}{text} %"


def format_quantity(value: float, unit: str | None, lang: str = "en") -> str:
    """A key fact's value in its own unit: `USD million` as money, `%` as a percentage, else `22 meetings`."""
    parts = (unit or "").split()
    if len(parts) == 2 and parts[1] in _UNIT_FACTOR and len(parts[0]) == 3 and parts[0].isupper():
        return format_money(value, parts[1], parts[0], lang)
    if unit == "%":
        return format_percent(value, lang)
    return f"{format_number(value, lang)} {unit}" if unit else format_number(value, lang)


def format_multiple(value: float | None, lang: str = "en") -> str:
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0.00", locale=lang) + "×"


def format_date(value: FuzzyDate | dt.date | None, lang: str = "en") -> str:
    """`22 November 2025`, `November 2025` or `2025`: an imprecise date is shown as imprecise."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        value = FuzzyDate.from_date(value)
    if value.precision == "year":
        return str(value.year)
    if value.precision == "month":
        return babel_format_date(value.first_day, format="LLLL y", locale=lang)
    return babel_format_date(value.first_day, format="d MMMM y", locale=lang)


def format_date_range(start: FuzzyDate, end: FuzzyDate | None, lang: str = "en") -> str:
    """`14–16 November 2025` for a multi-day event, or the single date."""
    if end is None or str(end) == str(start):
        return format_date(start, lang)
    if start.precision == end.precision == "day" and (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, lang)}"
    return f"{format_date(start, lang)} – {format_date(end, lang)}"
