"""dossier.yaml: the dossier's identity (id, title, partners, reporter, currency, unit, base year, languages), its
targets and its sources, checked with the line of every problem."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reports.dossier.fields import (
    _amount,
    _boolean,
    _cases,
    _check_keys,
    _check_mapping,
    _Checker,
    _choice,
    _date,
    _list_of_mappings,
    _optional,
    _slug,
    _text,
    _translations,
    _year,
)
from reports.dossier.languages import LANGUAGE_KEYS, language_settings
from reports.dossier.model import Partner, Source, Target
from reports.dossier.readers import YamlDocument, load_yaml, read_text
from reports.dossier.vocabulary import (
    ALPHA3,
    LANGUAGES,
    METRICS,
    TRANSLATABLE,
    UNITS,
    translation_keys,
)
from reports.errors import ProblemCollector


def _load_identity(folder: Path, problems: ProblemCollector) -> dict[str, Any] | None:
    """dossier.yaml as a dict of typed values, or None if it cannot be read at all."""
    display = str(folder / "dossier.yaml")
    text = read_text(folder / "dossier.yaml", display, problems, inside=folder)
    if text is None:
        return None
    doc = load_yaml(text, display, problems)
    if doc is None:
        return None
    if not _check_mapping(doc, (), doc.data, display, "dossier", problems):
        return None
    data = doc.data
    known = ("id", "title", "partners", "reporter", "currency", "unit", "base_year", "targets", "sources", *LANGUAGE_KEYS)
    _check_keys(doc, (), data, (*known, *translation_keys(TRANSLATABLE["dossier"])), display, "", problems)
    check = _Checker(problems, display)
    identity: dict[str, Any] = {
        "id": check.field(data, "id", _slug, doc.line("id")),
        "title": check.field(data, "title", _text, doc.line("title")),
        "reporter": check.field(data, "reporter", _text, doc.line("reporter")),
        "unit": check.field(data, "unit", _choice(UNITS), doc.line("unit")),
        "base_year": check.field(data, "base_year", _year, doc.line("base_year")),
        "currency": check.field(data, "currency", _currency, doc.line("currency")),
    }
    identity["translations"] = _translations(lambda key, parse: check.field(data, key, parse, doc.line(key)), ("title",))
    identity["partners"] = _load_partners(doc, data.get("partners"), display, problems)
    identity["failed_sources"] = set()
    identity["sources"] = _load_sources(doc, data.get("sources"), display, problems, identity["failed_sources"])
    identity["targets"] = _load_targets(doc, data.get("targets"), display, problems)
    identity["languages"] = language_settings(doc, display, problems)
    identity["display"] = display
    identity["doc"] = doc
    codes = [p.code for p in identity["partners"] or []]
    if identity["reporter"] is not None and codes and identity["reporter"] not in codes:
        problems.add(
            display,
            doc.line("reporter"),
            "reporter",
            f"'{identity['reporter']}' is not one of the partners' codes: {', '.join(codes)}",
        )
    return identity


def _currency(value: Any) -> str:
    from babel.numbers import list_currencies

    code = _text(value)
    if code not in list_currencies():
        raise ValueError(f"'{code}' is not an ISO 4217 currency code")
    return code


def _load_partners(doc: YamlDocument, value: Any, display: str, problems: ProblemCollector) -> tuple[Partner, ...] | None:
    items = _list_of_mappings(doc, value, "partners", display, problems)
    if isinstance(value, list) and len(value) != 2:
        problems.add(display, doc.line("partners"), "partners", f"must list exactly 2 partners, not {len(value)}")
    partners = []
    for index, item in items:
        cases = [f"name_{lang}_cases" for lang in LANGUAGES]  # forms a language's morphology would get wrong
        known = ("code", "name", *translation_keys(TRANSLATABLE["partner"]), *cases)
        _check_keys(doc, ("partners", index), item, known, display, f"partners[{index}]", problems)
        check = _Checker(problems, display)
        field = check.fields(item, doc, ("partners", index), f"partners[{index}]")
        code, name = field("code", _alpha3), field("name", _text)
        translations = _translations(field, TRANSLATABLE["partner"])
        forms = {lang: field(key, _optional(_cases)) for lang, key in zip(LANGUAGES, cases, strict=True)}
        if not check.failed:
            partners.append(Partner(code, name, translations, {lang: f for lang, f in forms.items() if f}))
    if len(partners) == 2 and partners[0].code == partners[1].code:
        problems.add(
            display,
            doc.line("partners", 1, "code"),
            "partners[1].code",
            f"'{partners[1].code}' is the same as the first partner's code",
        )
    return tuple(partners)


def _alpha3(value: Any) -> str:
    code = _text(value)
    if not ALPHA3.match(code):
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-3 code (three capital letters)")
    return code


def _load_sources(doc: YamlDocument, value: Any, display: str, problems: ProblemCollector, failed: set[str]) -> dict[str, Source]:
    """The sources that are whole; the ids of those with a problem go to `failed` (citing them is no new problem)."""
    sources: dict[str, Source] = {}
    known = ("id", "title", "publisher", "date", "url", "file", "restricted", *translation_keys(TRANSLATABLE["source"]))
    for index, item in _list_of_mappings(doc, value, "sources", display, problems):
        _check_keys(doc, ("sources", index), item, known, display, f"sources[{index}]", problems)
        check = _Checker(problems, display)
        field = check.fields(item, doc, ("sources", index), f"sources[{index}]")

        source = dict(
            id=field("id", _slug),
            title=field("title", _text),
            date=field("date", _date),
            publisher=field("publisher", _optional(_text)),
            url=field("url", _optional(_url)),
            file=field("file", _optional(_text)),
            restricted=field("restricted", _optional(_boolean)) or False,
            translations=_translations(field, TRANSLATABLE["source"]),
        )
        if check.failed:
            failed.add(source["id"])
            continue
        if source["id"] in sources:
            problems.add(
                display, doc.line("sources", index, "id"), f"sources[{index}].id", f"'{source['id']}' is used by another source"
            )
            continue
        sources[source["id"]] = Source(**source)
    return sources


def _url(value: Any) -> str:
    text = _text(value)
    if not re.match(r"^https?://[^\s]+$", text):
        raise ValueError(f"'{text}' is not an http(s) URL")
    return text


def _load_targets(doc: YamlDocument, value: Any, display: str, problems: ProblemCollector) -> list[tuple[int, Target]]:
    targets = []
    seen: set[str] = set()
    known = ("id", "metric", "value", "year", "set_on", "description", "source", *translation_keys(TRANSLATABLE["target"]))
    for index, item in _list_of_mappings(doc, value, "targets", display, problems, required=False):
        _check_keys(doc, ("targets", index), item, known, display, f"targets[{index}]", problems)
        check = _Checker(problems, display)
        field = check.fields(item, doc, ("targets", index), f"targets[{index}]")

        target = Target(
            id=field("id", _slug),
            metric=field("metric", _choice(METRICS)),
            value=field("value", _positive),
            year=field("year", _optional(_year)),
            set_on=field("set_on", _date),
            description=field("description", _text),
            source=field("source", _slug),
            translations=_translations(field, TRANSLATABLE["target"]),
        )
        if check.failed:
            continue
        if target.id in seen:
            problems.add(
                display, doc.line("targets", index, "id"), f"targets[{index}].id", f"'{target.id}' is used by another target"
            )
            continue
        seen.add(target.id)
        targets.append((index, target))
    return targets


def _positive(value: Any) -> float:
    number = _amount(value)
    if number <= 0:
        raise ValueError(f"{value} must be greater than 0")
    return number
