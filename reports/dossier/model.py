"""What a loaded dossier is: frozen dataclasses every later stage reads and none changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from reports.dossier.dates import FuzzyDate
from reports.dossier.languages import LanguageSettings, tagged
from reports.dossier.markdown import without_passages
from reports.dossier.vocabulary import BILATERAL_MEETING_KINDS, LEADERS_MEETING_KINDS, SOURCE_LANGUAGE

Translations = dict[str, dict[str, str]]  # language → field → text: the `<field>_<lang>` texts a record gives
if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    class TranslatedRecord(DataclassInstance, Protocol):
        """A record that gives its texts in other languages."""

        @property
        def translations(self) -> Translations: ...


Record = TypeVar("Record", bound="TranslatedRecord")


def _translations() -> Translations:
    """A record's translations: compared, never hashed (a dict cannot be)."""
    return field(default_factory=dict, hash=False)


def in_language(record: Record, lang: str, chain: tuple[str, ...] = (), fields: tuple[str, ...] = ()) -> Record:
    """The record with each text it has in `lang` in place of the original. Each field of `fields` that `lang` lacks
    is taken from the first language of `chain` that has it, else kept as written, and is then marked with the
    language it is in (`tagged`, reports/dossier/languages.py); the other fields keep the original unmarked."""
    translations = record.translations
    texts = dict(translations.get(lang) or {})
    for name in fields:
        if texts.get(name) or not getattr(record, name):
            continue
        given = next((other for other in chain if (translations.get(other) or {}).get(name)), None)
        texts[name] = tagged(translations[given][name], given) if given else tagged(getattr(record, name), SOURCE_LANGUAGE)
    texts = {name: text for name, text in texts.items() if text}
    return replace(record, **texts) if texts else record


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    translations: Translations = _translations()
    cases: Translations = _translations()  # language → case (CASES) → the name in that case, as the dossier gives it


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    date: FuzzyDate
    publisher: str | None = None
    url: str | None = None
    file: str | None = None
    restricted: bool = False
    translations: Translations = _translations()


@dataclass(frozen=True)
class Target:
    id: str
    metric: str
    value: float
    year: int | None
    set_on: FuzzyDate
    description: str
    source: str
    translations: Translations = _translations()


@dataclass(frozen=True)
class TradeRow:
    """One year of trade from one side's statistics; turnover is filled in when only the split is given."""

    year: int
    exports: float | None
    imports: float | None
    turnover: float
    status: str
    source: str
    note: str = ""
    translations: Translations = _translations()
    yoy_pct: float | None = None  # the change on the previous year (or its same months) as the source publishes it


@dataclass(frozen=True)
class PartialYearRow:
    """Trade from January through month `months` of `year`, cumulative: the news of a year not yet over."""

    year: int
    months: int
    exports: float | None
    imports: float | None
    turnover: float
    status: str
    source: str
    note: str = ""
    translations: Translations = _translations()
    yoy_pct: float | None = None  # the change on the previous year (or its same months) as the source publishes it


@dataclass(frozen=True)
class ProductRow:
    """What the reporter exported to or imported from the partner of one product in one year."""

    year: int
    flow: str  # "exports" or "imports", the reporter's
    code: str  # an HS chapter ("10") or heading ("1001")
    name: str
    value: float
    source: str
    name_ru: str = ""


@dataclass(frozen=True)
class Person:
    """A principal: who holds which role for which partner, and since (and until) when."""

    id: str
    name: str
    role: str
    partner: str
    since: FuzzyDate
    until: FuzzyDate | None
    source: str
    translations: Translations = _translations()


@dataclass(frozen=True)
class Event:
    id: str
    date: FuzzyDate
    end_date: FuzzyDate | None
    kind: str
    title: str
    place: str
    summary: str
    areas: tuple[str, ...]
    source: str
    status: str = ""  # as written: one of EVENT_STATUSES, or empty for "decided by the date" (see dossier/as_of.py)
    people: tuple[str, ...] = ()  # ids of people.csv: who took part
    translations: Translations = _translations()

    @property
    def is_leaders_meeting(self) -> bool:
        return self.kind in LEADERS_MEETING_KINDS

    @property
    def is_bilateral_meeting(self) -> bool:
        return self.kind in BILATERAL_MEETING_KINDS

    @property
    def last_day(self) -> dt.date:
        """The event's last day: of its end date if it has one, else of its date (`2026` runs to 31 December)."""
        return (self.end_date or self.date).last_day


@dataclass(frozen=True)
class Commitment:
    id: str
    agreed_on: FuzzyDate
    text: str
    area: str | None
    due: FuzzyDate | None
    status: str
    status_as_of: FuzzyDate | None
    source: str
    translations: Translations = _translations()


@dataclass(frozen=True)
class KeyFact:
    text: str
    source: str
    value: float | None = None
    unit: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class AreaText:
    """The translatable part of an area: title, summary, key-fact texts and Markdown body."""

    title: str
    summary: str
    key_fact_texts: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    order: int
    summary: str
    restricted: bool
    key_facts: tuple[KeyFact, ...]
    sources: tuple[str, ...]
    body: str
    translations: dict[str, AreaText]
    text_lang: str = ""  # in a briefing: the language its body fell back to (reports/dossier/languages.py), else ""


@dataclass(frozen=True)
class Brief:
    """The analyst's notes for one event's pack: (heading, Markdown) per section, in BRIEF_HEADINGS order."""

    event: str
    public_qa: bool  # whether "Questions and answers" may appear in public output
    sections: tuple[tuple[str, str], ...]
    translations: dict[str, tuple[tuple[str, str], ...]]  # lang -> sections of briefs/<event>.<lang>.md
    text_lang: str = ""  # in a briefing: the language its sections fell back to, else ""

    def section(self, heading: str) -> str | None:
        return dict(self.sections).get(heading)


@dataclass(frozen=True)
class Dossier:
    path: Path
    id: str
    title: str
    partners: tuple[Partner, Partner]
    reporter: str
    currency: str
    unit: str
    base_year: int
    targets: tuple[Target, ...]
    sources: dict[str, Source]
    trade: tuple[TradeRow, ...]
    trade_mirror: tuple[TradeRow, ...]
    events: tuple[Event, ...]
    commitments: tuple[Commitment, ...]
    areas: tuple[Area, ...]
    trade_ytd: tuple[PartialYearRow, ...] = ()
    people: tuple[Person, ...] = ()
    products: tuple[ProductRow, ...] = ()
    translations: Translations = _translations()
    briefs: tuple[Brief, ...] = ()
    languages: LanguageSettings = field(default_factory=LanguageSettings, hash=False)  # fallback chains, drafts

    @property
    def reporter_partner(self) -> Partner:
        return next(p for p in self.partners if p.code == self.reporter)

    @property
    def other_partner(self) -> Partner:
        return next(p for p in self.partners if p.code != self.reporter)

    @property
    def source_by_url(self) -> dict[str, str]:
        """url → source id: a link in prose to a source's url cites that source."""
        return {source.url: source.id for source in self.sources.values() if source.url}

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def brief(self, event_id: str) -> Brief | None:
        return next((b for b in self.briefs if b.event == event_id), None)

    def without_restricted(self) -> Dossier:
        """The public view (docs/dossier-format.md): no restricted area or source, nothing that cites or belongs only to
        them, and no working note."""
        public_sources = {sid: s for sid, s in self.sources.items() if not s.restricted}
        public_areas = {a.id for a in self.areas if not a.restricted}

        def visible(source: str, areas: tuple[str, ...]) -> bool:
            cited = not source or source in public_sources  # no source: one not yet published on the as-of date
            return cited and (not areas or any(a in public_areas for a in areas))

        urls = self.source_by_url

        def public_prose(body: str) -> str:  # less each passage that cites a restricted source
            return without_passages(body, lambda cited: all(s in public_sources for s in cited), urls)[0]

        areas = tuple(
            replace(
                area,
                key_facts=tuple(f for f in area.key_facts if f.source in public_sources),
                sources=tuple(s for s in area.sources if s in public_sources),
                body=public_prose(area.body),
            )
            for area in self.areas
            if area.id in public_areas
        )
        briefs = tuple(replace(b, sections=tuple((h, public_prose(text)) for h, text in b.sections)) for b in self.briefs)
        events = tuple(
            replace(e, areas=tuple(a for a in e.areas if a in public_areas)) for e in self.events if visible(e.source, e.areas)
        )
        commitments = tuple(c for c in self.commitments if visible(c.source, (c.area,) if c.area else ()))
        public = replace(self, sources=public_sources, areas=areas, events=events, commitments=commitments, briefs=briefs)
        return public.without_notes()

    def without_notes(self) -> Dossier:
        """The dossier without its `note` texts: analysts' working notes on trade rows, never for the public."""
        return replace(
            self,
            trade=tuple(replace(row, note="") for row in self.trade),
            trade_mirror=tuple(replace(row, note="") for row in self.trade_mirror),
            trade_ytd=tuple(replace(row, note="") for row in self.trade_ytd),
        )
