"""dossier.yaml: the dossier's identity (id, title, partners, reporter, currency, unit, base year, languages), its
targets and its sources, checked with the line of every problem."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import PlainValidator

from reports.dossier import fields
from reports.dossier.fields import Date, Flag, OptionalText, OptionalYear, Slug, Text, Year
from reports.dossier.languages import language_settings
from reports.dossier.model import Partner, Source, Target
from reports.dossier.readers import load_yaml, read_text
from reports.dossier.schema import Entries, Place, Record, key, listed, partly_validated, translatable, validated
from reports.dossier.vocabulary import ALPHA3, LANGUAGES, METRICS, TRANSLATABLE, UNITS
from reports.errors import ProblemCollector


def currency_code(value: Any) -> str:
    """An ISO 4217 code Babel knows (it formats the money)."""
    from babel.numbers import list_currencies

    code = fields.text(value)
    if code not in list_currencies():
        raise ValueError(f"'{code}' is not an ISO 4217 currency code")
    return code


def alpha3(value: Any) -> str:
    code = fields.text(value)
    if not ALPHA3.match(code):
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-3 code (three capital letters)")
    return code


def http_url(value: Any) -> str:
    written = fields.text(value)
    if not re.match(r"^https?://[^\s]+$", written):
        raise ValueError(f"'{written}' is not an http(s) URL")
    return written


def positive(value: Any) -> float:
    number = fields.amount(value)
    if number <= 0:
        raise ValueError(f"{value} must be greater than 0")
    return number


Cases = Annotated[dict[str, str] | None, PlainValidator(fields.optional(fields.cases))]


@translatable
class PartnerEntry(Record):
    code: Annotated[str, PlainValidator(alpha3)] = key("ISO 3166-1 alpha-3", "required: three capital letters; the codes differ")
    name: Text = key("text", "required")
    name_ru_cases: Cases = key("cases", "optional: the name's Russian forms by case")
    name_kk_cases: Cases = key("cases", "optional: the name's Kazakh forms by case")
    name_uz_cases: Cases = key("cases", "optional: the name's Uzbek forms by case")
    translated = TRANSLATABLE["partner"]


@translatable
class SourceEntry(Record):
    id: Slug = key("slug", "required, unique")
    title: Text = key("text", "required")
    publisher: OptionalText = key("text", "optional")
    date: Date = key("date", "required")
    url: Annotated[str | None, PlainValidator(fields.optional(http_url))] = key("http(s) URL", "optional")
    file: OptionalText = key("file name", "optional: the document the analyst worked from; briefings do not show it")
    restricted: Flag = key("true or false", "optional: `true` keeps what cites the source out of public output")
    translated = TRANSLATABLE["source"]


@translatable
class TargetEntry(Record):
    id: Slug = key("slug", "required, unique")
    metric: Annotated[str, PlainValidator(fields.choice(METRICS))] = key(" or ".join(METRICS), "required")
    value: Annotated[float, PlainValidator(positive)] = key("number", "required, greater than 0")
    year: OptionalYear = key("year", "optional: absent for an open-ended target")
    set_on: Date = key("date", "required")
    description: Text = key("text", "required")
    source: Slug = key("source id", "required")
    translated = TRANSLATABLE["target"]


@translatable
class DossierFile(Record):
    """dossier.yaml."""

    id: Slug = key("slug", "required")
    title: Text = key("text", "required")
    partners: Annotated[list[Any], listed(required=True), Entries(PartnerEntry)] = key(
        "list of exactly 2",
        "`code` is ISO 3166-1 alpha-3 (three capital letters); the two codes differ; `name_ru_cases`, "
        "`name_kk_cases`, `name_uz_cases` the forms by case (see [Text in other languages](#text-in-other-languages))",
    )
    reporter: Text = key(
        "one of the partners' codes", "required: whose statistics `trade.csv` reports; exports = reporter → other partner"
    )
    currency: Annotated[str, PlainValidator(currency_code)] = key("ISO 4217 code", "required, e.g. `USD`, `EUR`")
    unit: Annotated[str, PlainValidator(fields.choice(UNITS))] = key(
        " or ".join(f"`{unit}`" for unit in UNITS), "required: unit of every money value in the dossier"
    )
    base_year: Year = key("year", "required: the year growth is measured from")
    targets: Annotated[list[Any], listed(required=False), Entries(TargetEntry)] = key(
        "list of",
        "optional; `id` unique; `metric` is "
        + ", ".join(f"`{metric}`" for metric in METRICS[:-1])
        + f" or `{METRICS[-1]}`; `value` greater than 0; `year` may be absent (an open-ended target); `set_on` a date. "
        "A target set later on the same `metric` replaces an earlier one: briefings weigh progress against the live "
        "targets only",
    )
    sources: Annotated[list[Any], listed(required=True), Entries(SourceEntry)] = key(
        "list of",
        "required; `id` unique; `url` an `http(s)` address; `file` the file name of the document the analyst worked "
        "from (a record for analysts; briefings do not show it); `restricted: true` keeps what cites the source out "
        "of public output",
    )
    fallback: Any = key(
        "mapping of a language to a list of languages",
        "optional: the fallback chains, default `{kk: [ru], uz: [ru]}` (see [Text in other languages](#text-in-other-languages))",
    )
    draft_languages: Any = key("list of languages", "optional: translations the cover calls a draft not yet reviewed")
    translated = TRANSLATABLE["dossier"]


def _load_identity(folder: Path, problems: ProblemCollector) -> dict[str, Any] | None:
    """dossier.yaml as a dict of typed values, or None if it cannot be read at all."""
    display = str(folder / "dossier.yaml")
    text = read_text(folder / "dossier.yaml", display, problems, inside=folder)
    if text is None:
        return None
    doc = load_yaml(text, display, problems)
    if doc is None:
        return None
    place = Place(doc, display, problems, whole="dossier")
    if not isinstance(doc.data, dict):
        place.add((), f"must be a mapping of keys, not {type(doc.data).__name__}")
        return None
    record, identity = partly_validated(DossierFile, doc.data, place)
    identity["translations"] = record.translations() if record else {}
    identity["partners"] = _load_partners(doc.data.get("partners"), place)
    identity["failed_sources"] = set()
    identity["sources"] = _load_sources(doc.data.get("sources"), place, identity["failed_sources"])
    identity["targets"] = _load_targets(doc.data.get("targets"), place)
    identity["languages"] = language_settings(doc, display, problems)
    identity["display"] = display
    identity["doc"] = doc
    codes = [p.code for p in identity["partners"] or []]
    if identity["reporter"] is not None and codes and identity["reporter"] not in codes:
        place.add(("reporter",), f"'{identity['reporter']}' is not one of the partners' codes: {', '.join(codes)}")
    return identity


def _items(value: Any, name: str, place: Place) -> list[tuple[int, Any, Place]]:
    """The items of a list of records with their places (a list that is not one was reported by DossierFile)."""
    return [(index, item, place.at(name, index)) for index, item in enumerate(value)] if isinstance(value, list) else []


def _load_partners(value: Any, place: Place) -> tuple[Partner, ...]:
    if isinstance(value, list) and len(value) != 2:
        place.add(("partners",), f"must list exactly 2 partners, not {len(value)}")
    partners = []
    for _, item, at in _items(value, "partners", place):
        entry = validated(PartnerEntry, item, at)
        if entry is not None:
            forms = {lang: getattr(entry, f"name_{lang}_cases") for lang in LANGUAGES}
            partners.append(Partner(entry.code, entry.name, entry.translations(), {lang: f for lang, f in forms.items() if f}))
    if len(partners) == 2 and partners[0].code == partners[1].code:
        place.add(("partners", 1, "code"), f"'{partners[1].code}' is the same as the first partner's code")
    return tuple(partners)


def _load_sources(value: Any, place: Place, failed: set[str | None]) -> dict[str, Source]:
    """The sources that are whole; the ids of those with a problem go to `failed` (citing them is no new problem)."""
    sources: dict[str, Source] = {}
    for _, item, at in _items(value, "sources", place):
        entry, found = partly_validated(SourceEntry, item, at)
        if entry is None:
            failed.add(found.get("id"))
        elif entry.id in sources:
            at.add(("id",), f"'{entry.id}' is used by another source")
        else:
            names = ("id", "title", "date", "publisher", "url", "file", "restricted")
            sources[entry.id] = Source(**{name: getattr(entry, name) for name in names}, translations=entry.translations())
    return sources


def _load_targets(value: Any, place: Place) -> list[tuple[int, Target]]:
    targets = []
    seen: set[str] = set()
    for index, item, at in _items(value, "targets", place):
        entry = validated(TargetEntry, item, at)
        if entry is None:
            continue
        if entry.id in seen:
            at.add(("id",), f"'{entry.id}' is used by another target")
            continue
        seen.add(entry.id)
        names = ("id", "metric", "value", "year", "set_on", "description", "source")
        targets.append((index, Target(**{name: getattr(entry, name) for name in names}, translations=entry.translations())))
    return targets
