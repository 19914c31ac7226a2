"""The words of one briefing: its language's messages, the vocabulary words that stand for a value of the data,
and the formatted figures and dates. The report, the pack and the points rules all phrase through one `Words`,
so the same thing is said the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re

from reports.dossier.dates import FuzzyDate
from reports.dossier.model import Dossier, Event, Partner
from reports.dossier.text import NBSP
from reports.indicators import TargetProgress
from reports.locale.cases import Name, declined
from reports.locale.formatting import (
    currency_name,
    format_date,
    format_date_range,
    format_money,
    format_months,
    format_multiple,
    format_number,
    format_percent,
    format_quantity,
    money_unit,
)
from reports.locale.labels import N_, SOURCE_LANGUAGE

# The built-in audiences' markings (templates/audiences/*.yaml): in the catalog, translated when a briefing is built.
BUILTIN_MARKINGS = (N_("FOR OFFICIAL USE ONLY"), N_("PUBLIC"))


def tidy(text: str) -> str:
    """One full stop where a sentence ends on an abbreviation: `… 2025 г..` → `… 2025 г.` (an ellipsis `...` stays)."""
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)


class Words:
    """The messages and formatting of one language, for the dossier as the audience sees it."""

    def __init__(self, dossier: Dossier, lang: str, translations: gettext.NullTranslations) -> None:
        self.lang = lang
        self.translations = translations
        self.unit = dossier.unit
        self.currency = dossier.currency
        self.values = {  # every message may use these
            "reporter": self.name(dossier.reporter_partner),
            "other": self.name(dossier.other_partner),
            "currency": currency_name(dossier.currency, lang, translations),
            "unit": money_unit(dossier.unit, lang, translations),
            "base_year": dossier.base_year,
        }

    def name(self, partner: Partner) -> Name:
        """A partner's name (as the briefing's dossier has it) that a message can ask for in a case: `{other:gent}`."""
        return declined(partner.name, self.lang, partner.cases.get(self.lang))

    # ------------------------------------------------------------ messages

    def _(self, message: str, **values: object) -> str:
        """The message in the briefing's language (the catalogs of `reports/locale/labels.py`), its `{placeholders}` filled in."""
        return tidy(self.translations.gettext(message).format(**{**self.values, **values}))

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return tidy(self.translations.ngettext(singular, plural, n).format(**{**self.values, **values}))

    def pgettext(self, context: str, message: str, **values: object) -> str:
        return tidy(self.translations.pgettext(context, message).format(**{**self.values, **values}))

    # ------------------------------------------------------------ figures and dates

    # Each figure may be given its quality (reports/dossier/quality.py): one that is not exact is never shown bare.

    def money(self, value: float | None, quality: str | None = None) -> str:
        return self.qualified(format_money(value, self.unit, self.currency, self.lang, self.translations), quality)

    def percent(self, value: float | None, signed: bool = False, quality: str | None = None) -> str:
        return self.qualified(format_percent(value, self.lang, signed, self.translations), quality)

    def number(self, value: float | None, quality: str | None = None) -> str:
        return self.qualified(format_number(value, self.lang), quality)

    def multiple(self, value: float, quality: str | None = None) -> str:
        return self.qualified(format_multiple(value, self.lang), quality)

    def qualified(self, figure: str, quality: str | None) -> str:
        """A formatted figure as exact as its data: `about $2.135 bn`, `at least $4.27 bn`, `at most 15.0 %`;
        no figure (`–`) stays bare."""
        words = self.qualifier(quality) if figure != "–" else ""
        return f"{words} {figure}" if words else figure

    def qualifier(self, quality: str | None) -> str:
        """The words a figure of this quality (reports/dossier/quality.py) carries before it, nothing for an exact one:
        the one place where the quality of a figure becomes words."""
        if quality in (None, "exact"):
            return ""
        words = {
            "estimate": self.pgettext("before a figure that is an estimate", "about"),
            "at_least": self.pgettext("before a figure that is a lower bound", "at least"),
            "at_most": self.pgettext("before a figure that is an upper bound", "at most"),
        }[quality]
        return words.replace(" ", NBSP)  # `at least` is never split by a line's end

    def quantity(self, value: float, unit: str | None) -> str:
        return format_quantity(value, unit, self.lang, self.translations)

    def date(self, value: FuzzyDate | dt.date | None) -> str:
        return format_date(value, self.lang, self.translations)

    def months(self, year: int, months: int) -> str:
        return format_months(year, months, self.lang, self.translations)

    def date_range(self, start: FuzzyDate, end: FuzzyDate | None) -> str:
        return format_date_range(start, end, self.lang, self.translations)

    def when(self, event: Event) -> str:
        return self.date_range(event.date, event.end_date)

    def when_planned(self, event: Event) -> str:
        """An upcoming event's date; one known only to the month or year says that its day is still to be set."""
        if event.date.precision == "day" or event.end_date is not None:
            return self.when(event)
        return self._("{date}, date to be set", date=self.when(event))

    # ------------------------------------------------------------ words that stand for a value of the data

    def trade_status_word(self, status: str) -> str:
        return {
            "official": self.pgettext("status of a trade figure", "official"),
            "preliminary": self.pgettext("status of a trade figure", "preliminary"),
            "estimate": self.pgettext("status of a trade figure", "estimate"),
            "lower_bound": self.pgettext("status of a trade figure", "lower bound"),
        }[status]

    def trade_figure_word(self, status: str) -> str:
        """`official figure`, `lower bound`: what a trade figure is, under it on a key figure."""
        if status == "lower_bound":
            return self.pgettext("a trade figure that is a lower bound", "lower bound figure")
        return self._("{status} figure", status=self.trade_status_word(status))

    def target_status_word(self, status: str, quality: str | None = None) -> str:
        """A target's status; one decided on figures that are not exact says so (`behind on estimated figures`)."""
        word = {
            "met": self.pgettext("status of a target", "met"),
            "open": self.pgettext("status of a target", "open (no deadline)"),
            "missed": self.pgettext("status of a target", "missed"),
            "on_track": self.pgettext("status of a target", "on track"),
            "behind": self.pgettext("status of a target", "behind"),
            "unknown": self.pgettext("status of a target", "unknown"),
        }[status]
        if quality in (None, "exact"):
            return word
        return self.pgettext(
            "status of a target decided on figures that are not exact", "{status} on estimated figures", status=word
        )

    def commitment_status_word(self, status: str) -> str:
        return {
            "done": self.pgettext("status of a commitment", "done"),
            "on_track": self.pgettext("status of a commitment", "on track"),
            "in_progress": self.pgettext("status of a commitment", "in progress"),
            "delayed": self.pgettext("status of a commitment", "delayed"),
            "not_started": self.pgettext("status of a commitment", "not started"),
            "superseded": self.pgettext("status of a commitment", "superseded"),
            "unknown": self.pgettext("status of a commitment", "unknown"),
        }[status]

    def event_status_word(self, event: Event, as_of: dt.date) -> str:
        """What the chronology says of an event that did not take place as planned, or of a planned one whose last
        day has passed with nothing recorded of it; nothing for the others."""
        if event.status == "planned":
            return self.pgettext("status of an event", "no outcome recorded") if event.last_day < as_of else ""
        return {
            "postponed": self.pgettext("status of an event", "postponed"),
            "cancelled": self.pgettext("status of an event", "cancelled"),
        }.get(event.status, "")

    def kind_word(self, kind: str) -> str:
        """The kind of an event as a reader says it; nothing for `other`, which says nothing to a reader."""
        return {
            "state_visit": self.pgettext("kind of event", "state visit"),
            "official_visit": self.pgettext("kind of event", "official visit"),
            "working_visit": self.pgettext("kind of event", "working visit"),
            "summit": self.pgettext("kind of event", "summit"),
            "agreement": self.pgettext("kind of event", "agreement"),
            "commission": self.pgettext("kind of event", "commission"),
            "forum": self.pgettext("kind of event", "forum"),
            "parliamentary": self.pgettext("kind of event", "parliamentary"),
            "ministerial": self.pgettext("kind of event", "ministerial"),
            "cultural": self.pgettext("kind of event", "cultural"),
            "other": "",
        }[kind]

    def event_detail(self, event: Event) -> str:
        """`state visit, Tashkent`: an event's kind and place as far as they say something; may be empty."""
        return ", ".join(part for part in (self.kind_word(event.kind), event.place) if part)

    def metric_word(self, metric: str) -> str:
        """`turnover`, `exports`, `imports`: the metric of a target, on its own (`товарооборот`)."""
        return {
            "turnover": self.pgettext("metric of a target", "turnover"),
            "exports": self.pgettext("metric of a target", "exports"),
            "imports": self.pgettext("metric of a target", "imports"),
        }[metric]

    def audience_word(self, name: str) -> str:
        """The audience as a subtitle names it (`Leadership`; Russian `для руководства`); another audience by its name."""
        builtin = {
            "leadership": self.pgettext("audience, in a subtitle", "Leadership"),
            "ministry": self.pgettext("audience, in a subtitle", "Ministry"),
            "press": self.pgettext("audience, in a subtitle", "Press"),
        }
        lookup = self.translations.pgettext  # an organization's catalog may name its own audiences
        return builtin.get(name) or lookup("audience, in a subtitle", name.capitalize())

    def marking(self, marking: str) -> str:
        """An audience's marking in the briefing's language, when the catalog has it (BUILTIN_MARKINGS)."""
        lookup = self.translations.gettext
        return lookup(marking)

    # ------------------------------------------------------------ names of targets

    def target_label(self, progress: TargetProgress) -> str:
        """A target in a table cell: `$10 bn turnover, 2030`."""
        target = progress.target
        value, metric = self.money(target.value), self.metric_word(target.metric)
        if target.year is None:
            return self._("{value} {metric}", value=value, metric=metric)
        return self._("{value} {metric}, {year}", value=value, metric=metric, year=target.year)

    def target_name(self, progress: TargetProgress) -> str:
        """`$10 bn by 2030`; another metric than turnover is named: `$5 bn of exports by 2030`."""
        target = progress.target
        value = self.money(target.value)
        if target.metric == "turnover":
            if target.year is None:
                return self._("{value}, no deadline", value=value)
            return self._("{value} by {year}", value=value, year=target.year)
        metric = self.metric_word(target.metric)
        if target.year is None:
            return self._("{value} of {metric}, no deadline", value=value, metric=metric)
        return self._("{value} of {metric} by {year}", value=value, metric=metric, year=target.year)

    # ------------------------------------------------------------ the document's own words

    def title(self, dossier: Dossier) -> str:
        """The dossier's title; in another language than English where the dossier has no `title_<lang>`, made from
        the partners' names."""
        if self.lang == SOURCE_LANGUAGE or "title" in dossier.translations.get(self.lang, {}):
            return dossier.title
        first, second = (self.name(p) for p in dossier.partners)
        return self._("{first}–{second} relations", first=first, second=second)

    def fixed_labels(self) -> dict[str, str]:
        """The words renderers draw themselves: contents, the page footer, the sources heading, Word captions."""
        return {
            "contents": self._("Contents"),
            "page": self.pgettext("page footer: Page 1 of 3", "Page"),
            "of": self.pgettext("page footer: Page 1 of 3", "of"),
            "sources": self._("Sources"),
            # Translators: the logo's alternative text; a house catalog may give the organization's name here.
            "logo": self.pgettext("alternative text of the house logo", "Organization logo"),
            # Translators: one line of a page-limited note that had to leave some of the dossier out.
            "left_out": self._("Chosen for these pages by relevance: the ministry report has everything this note leaves out."),
            # Translators: a Word caption; {number} is the figure's number, {caption} its text.
            "caption_figure": self.translations.gettext("Figure {number}: {caption}"),
            # Translators: a Word caption; {number} is the table's number, {caption} its text.
            "caption_table": self.translations.gettext("Table {number}: {caption}"),
        }
