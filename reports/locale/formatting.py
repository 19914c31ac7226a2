"""Number, money, percent and date formatting: the one place every renderer and the CLI use.

Babel formats the numbers and names the months for the language (`4,27`, `1 144`, `ноября`); the shape of
each figure is a message of the language's catalog (`reports/locale/labels.py`), so one catalog is all a new
language needs: money `{symbol}{amount} bn` → `{amount} млрд {currency}`, a date `d MMMM y` →
`d MMMM y 'г'.` (a Babel date pattern). English: `$4.27 bn`, `15.2 %`, `22 November 2025`, `November 2025`,
`2025`; Russian: `4,27 млрд долл. США`, `15,2 %`, `22 ноября 2025 г.`, `ноябрь 2025 г.`, `2025 г.`.

Every function takes the language and, optionally, the translations to use (a briefing passes its own,
which an organization's catalog may override); without them, the built-in catalog of the language.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gettext
import re

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import format_scientific, get_currency_symbol

from reports.dossier.dates import FuzzyDate
from reports.dossier.text import NBSP
from reports.dossier.vocabulary import UNIT_FACTORS


def _words(lang: str, translations: gettext.NullTranslations | None) -> gettext.NullTranslations:
    if translations is not None:
        return translations
    from reports.locale.labels import builtin_translations

    return builtin_translations(lang)


def currency_name(currency: str, lang: str = "en", translations: gettext.NullTranslations | None = None) -> str:
    """The currency as the text names it after an amount: `USD` in English, `долл. США` in Russian."""
    t = _words(lang, translations)
    known = {  # in the catalog; any other code is looked up by itself and otherwise shown as it is
        "USD": t.pgettext("currency after an amount", "USD"),
        "EUR": t.pgettext("currency after an amount", "EUR"),
        "RUB": t.pgettext("currency after an amount", "RUB"),
        "KZT": t.pgettext("currency after an amount", "KZT"),
        "UZS": t.pgettext("currency after an amount", "UZS"),
        "CNY": t.pgettext("currency after an amount", "CNY"),
    }
    lookup = t.pgettext
    return known.get(currency) or lookup("currency after an amount", currency)


def money_unit(unit: str, lang: str = "en", translations: gettext.NullTranslations | None = None) -> str:
    """The dossier's unit of money as a word: `million`, `млн`."""
    t = _words(lang, translations)
    return {"million": t.pgettext("unit of money", "million"), "billion": t.pgettext("unit of money", "billion")}[unit]


_AFTER_A_NUMBER = re.compile(r"(?<=\d) (?=\S)")


def unbreakable(text: str) -> str:
    """A figure kept with the word after it by a no-break space, so a line never ends inside it: `4,27 млрд`,
    `15,0 %`, `22 ноября`, `2025 г.`, `$4.27 bn`; later words may still wrap (`млрд долл. США`). The
    renderers apply it to the text they set (the `unbreakable` filter of the HTML templates, the Word writer's
    `add_run`); the model's text keeps plain spaces, which the terminal shows as they are."""
    return _AFTER_A_NUMBER.sub(NBSP, text)


def format_decimal(value: float, format: str, locale: str) -> str:
    """Babel's `format_decimal`, but a number beyond its precision (about 10^26: a growth rate from a figure near
    zero, as the inputs themselves are bounded) in scientific notation, `1.2E30`, instead of an error."""
    try:
        return babel_format_decimal(value, format=format, locale=locale)
    except decimal.InvalidOperation:
        return format_scientific(value, format="0.0##E0", locale=locale)


def format_number(value: float | None, lang: str = "en", decimals: int = 1) -> str:
    """A plain number with thousands separators; trailing zeros after the decimal point dropped."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=lang)


def format_money(
    value: float | None, unit: str, currency: str, lang: str = "en", translations: gettext.NullTranslations | None = None
) -> str:
    """Money as a reader writes it: `$4.27 bn`, `$735.2 m`, `4,27 млрд долл. США`; never more rounded than the data needs."""
    if value is None:
        return "–"
    t = _words(lang, translations)
    millions = value * UNIT_FACTORS[unit]
    sign = "−" if millions < 0 else ""
    millions = abs(millions)
    if millions >= 1000:
        amount = format_decimal(millions / 1000, format="#,##0.###", locale=lang)
        # Translators: {amount} billion; {symbol} is the currency's sign ($), {currency} its name after an amount.
        pattern = t.pgettext("money", "{symbol}{amount} bn")
    else:
        amount = format_decimal(millions, format="#,##0.#", locale=lang)
        # Translators: {amount} million; {symbol} is the currency's sign ($), {currency} its name after an amount.
        pattern = t.pgettext("money", "{symbol}{amount} m")
    words = {"symbol": get_currency_symbol(currency, locale=lang), "amount": amount, "currency": currency_name(currency, lang, t)}
    return sign + pattern.format(**words)


def format_percent(
    value: float | None, lang: str = "en", signed: bool = False, translations: gettext.NullTranslations | None = None
) -> str:
    """A percentage with one decimal: `42.7 %`, or `+16.4 %` when the sign matters."""
    if value is None:
        return "–"
    text = format_decimal(abs(value), format="#,##0.0", locale=lang)
    sign = ("+" if value >= 0 else "−") if signed else ("−" if value < 0 else "")
    return sign + _words(lang, translations).pgettext("percent", "{number} %").format(number=text)


def format_quantity(
    value: float, unit: str | None, lang: str = "en", translations: gettext.NullTranslations | None = None
) -> str:
    """A key fact's value in its own unit: `USD million` as money, `%` as a percentage, else `22 meetings`.

    A unit the catalog knows (UNITS below) is said in the briefing's language, with the plural its number
    needs (`22 заседания`); any other unit is shown as the dossier writes it."""
    parts = (unit or "").split()
    if len(parts) == 2 and parts[1] in UNIT_FACTORS and len(parts[0]) == 3 and parts[0].isupper():
        return format_money(value, parts[1], parts[0], lang, translations)
    if unit == "%":
        return format_percent(value, lang, translations=translations)
    number = format_number(value, lang)
    if not unit:
        return number
    counted = _counted_unit(unit, value, _words(lang, translations))
    return counted.format(number=number) if counted else f"{number} {unit}"


def _counted_unit(unit: str, value: float, t: gettext.NullTranslations) -> str | None:
    """`{number} meetings` in the catalog's language for the units dossiers use; None for another unit."""
    n = int(value) if float(value).is_integer() else 2  # a fraction takes the plural of "2" in the languages we know
    units = {
        "km": lambda: t.pgettext("unit", "{number} km"),
        "ha": lambda: t.pgettext("unit", "{number} ha"),
        "t": lambda: t.pgettext("unit", "{number} t"),
        "MW": lambda: t.pgettext("unit", "{number} MW"),
        "meetings": lambda: t.ngettext("{number} meeting", "{number} meetings", n),
        "events": lambda: t.ngettext("{number} event", "{number} events", n),
        "enterprises": lambda: t.ngettext("{number} enterprise", "{number} enterprises", n),
        "ventures": lambda: t.ngettext("{number} venture", "{number} ventures", n),
        "projects": lambda: t.ngettext("{number} project", "{number} projects", n),
        "agreements": lambda: t.ngettext("{number} agreement", "{number} agreements", n),
        "companies": lambda: t.ngettext("{number} company", "{number} companies", n),
        "students": lambda: t.ngettext("{number} student", "{number} students", n),
    }
    word = units.get(unit)
    return word() if word else None


def format_multiple(value: float | None, lang: str = "en") -> str:
    if value is None:
        return "–"
    return format_decimal(value, format="#,##0.00", locale=lang) + "×"


def format_date(value: FuzzyDate | dt.date | None, lang: str = "en", translations: gettext.NullTranslations | None = None) -> str:
    """`22 November 2025`, `November 2025` or `2025` (`22 ноября 2025 г.`, `ноябрь 2025 г.`, `2025 г.`): an
    imprecise date is shown as imprecise."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        value = FuzzyDate.from_date(value)
    t = _words(lang, translations)
    if value.precision == "year":
        # Translators: a Babel date pattern (CLDR): y year, LLLL month standing alone, MMMM month in a date, 'text'.
        pattern = t.pgettext("date pattern: a year", "y")
    elif value.precision == "month":
        pattern = t.pgettext("date pattern: a month", "LLLL y")
    else:
        pattern = t.pgettext("date pattern: a day", "d MMMM y")
    return babel_format_date(value.first_day, format=pattern, locale=lang)


def format_months(year: int, months: int, lang: str = "en", translations: gettext.NullTranslations | None = None) -> str:
    """A partial year: `January–September 2026` (`январь–сентябрь 2026 г.`); one month alone as that month."""
    t = _words(lang, translations)
    if months == 1:
        return format_date(FuzzyDate(year, 1), lang, translations)
    # Translators: a Babel pattern for a month's name in a range of months: LLLL standing alone (январь), MMMM as in a
    # date; a language whose standing-alone month CLDR capitalizes (Kazakh, Uzbek) takes MMMM (қаңтар, yanvar).
    name = t.pgettext("date pattern: a month in a range of months", "LLLL")
    first, last = (babel_format_date(dt.date(year, month, 1), format=name, locale=lang) for month in (1, months))
    return t.gettext("{first}–{last} {year}").format(
        first=first, last=last, year=format_date(FuzzyDate(year), lang, translations)
    )


def format_date_range(
    start: FuzzyDate, end: FuzzyDate | None, lang: str = "en", translations: gettext.NullTranslations | None = None
) -> str:
    """`14–16 November 2025` for a multi-day event, or the single date."""
    if end is None or str(end) == str(start):
        return format_date(start, lang, translations)
    if start.precision == end.precision == "day" and (start.year, start.month) == (end.year, end.month):
        # Translators: a Babel date pattern for days of one month; the quoted '{first}–' (the first day) stands before
        # the last day's d, wherever the language puts the day: `y 'жылғы' '{first}–'d MMMM` gives 2025 жылғы 14–16 қараша.
        pattern = _words(lang, translations).pgettext("date pattern: days of one month", "'{first}–'d MMMM y")
        return babel_format_date(end.first_day, format=pattern.replace("{first}", str(start.day)), locale=lang)
    return f"{format_date(start, lang, translations)} – {format_date(end, lang, translations)}"
