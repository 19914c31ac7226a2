"""The areas of cooperation: `areas/<id>.md` (front matter and body) and its translations `areas/<id>.<lang>.md`.

Kept apart from the other files' loaders because an area is Markdown with YAML front matter, not a table.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

from pydantic import ConfigDict, PlainValidator

from reports.dossier import fields
from reports.dossier.fields import Flag, OptionalText, OptionalYear, Slug, Text, Whole
from reports.dossier.markdown import Prose, check_nesting
from reports.dossier.model import Area, AreaText, KeyFact
from reports.dossier.readers import (
    MAX_MARKDOWN_BYTES,
    YamlDocument,
    links_outside,
    list_folder,
    load_yaml,
    optional_file,
    read_text,
    split_front_matter,
)
from reports.dossier.schema import Place, Record, key, listed, validated
from reports.dossier.text import clean_text
from reports.dossier.vocabulary import (
    AREA_FILE,
    AREA_TRANSLATION_FILE,
    LANGUAGES,
)
from reports.errors import ProblemCollector


def signed_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"'{value}' is not a number")
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return fields.bounded(float(value), value)


class KeyFactEntry(Record):
    """One of an area's `key_facts`."""

    text: Text = key("text", "required")
    value: Annotated[float | None, PlainValidator(fields.optional(signed_number))] = key(
        "number", "optional; may be negative, at most 10^12 either way"
    )
    unit: OptionalText = key("text", "optional: the value's unit")
    year: OptionalYear = key("year", "optional: the year the fact is of")
    source: Slug = key("source id", "required")


class AreaFront(Record):
    """The front matter of `areas/<id>.md`."""

    title: Text = key("text", "required")
    order: Whole = key("whole number", "required, unique among the areas: the order of the sections")
    summary: Text = key("text", "required: one sentence (the short briefing shows it)")
    restricted: Flag = key("`true` or `false`", "optional, `false` by default: a restricted area is left out of public output")
    key_facts: Annotated[list[KeyFactEntry], listed()] = key(
        "list of",
        "optional: `value` a number (may be negative); a `unit` such as `USD million` (the dossier's currency and unit) "
        "is shown as money, `%` as a percentage, a unit the language catalog knows (`km`, `ha`, `meetings` ...) in "
        "the briefing's language, any other as written",
    )
    sources: Annotated[list[Slug], listed(message="must be a list of source ids")] = key("list of source ids", "optional")


class KeyFactText(Record):
    """One of a translated area's `key_facts`: its text only (the other keys of the area's fact may be copied along
    and are not read)."""

    model_config = ConfigDict(extra="ignore")

    text: Text = key("text", "required")


class AreaTranslationFront(Record):
    """The front matter of `areas/<id>.<lang>.md`: the same keys as the area, text only."""

    title: Text = key("text", "required")
    summary: Text = key("text", "required")
    key_facts: Annotated[list[KeyFactText], listed()] = key("list of `{text}`", "optional: as many as the area has, in its order")


def _split_front_matter(text: str, display: str, problems: ProblemCollector) -> tuple[str, str, int] | None:
    try:
        return split_front_matter(text)
    except ValueError as error:
        problems.add(display, 1, "front matter", str(error))
        return None


def _read_area_file(path: Path, problems: ProblemCollector, prose: Prose) -> tuple[YamlDocument, str, int] | None:
    """An area file's front matter as a YAML mapping, its body and the body's first line; None if unusable. The
    body goes to `prose`, whose citations are checked once the sources are known."""
    display = str(path)
    text = read_text(path, display, problems, inside=path.parent.parent, limit=MAX_MARKDOWN_BYTES)  # inside the dossier
    parts = _split_front_matter(text, display, problems) if text is not None else None
    if parts is None:
        return None
    front, body, body_line = parts
    check_nesting(body, body_line, display, problems)
    prose.append((display, body_line, body))
    doc = load_yaml(front, display, problems, offset=1)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.add(display, doc.line(), "front matter", f"must be a mapping of keys, not {type(doc.data).__name__}")
        return None
    return doc, body, body_line


def _load_area(path: Path, problems: ProblemCollector, prose: Prose) -> tuple[YamlDocument, Area, str] | None:
    display = str(path)
    read = _read_area_file(path, problems, prose)
    if read is None:
        return None
    doc, body, body_line = read
    front = validated(AreaFront, doc.data, Place(doc, display, problems))
    if front is None:
        return None
    named = AREA_FILE.match(path.name)
    assert named is not None  # _load_areas reads only the files this pattern names
    area_id = named.group(1)
    facts = tuple(KeyFact(fact.text, fact.source, fact.value, fact.unit, fact.year) for fact in front.key_facts)
    body_text = clean_text(body, multiline=True).strip() + "\n"
    area = Area(area_id, front.title, front.order, front.summary, front.restricted, facts, tuple(front.sources), body_text, {})
    return doc, area, display


def _load_area_translation(path: Path, area: Area, problems: ProblemCollector, prose: Prose) -> AreaText | None:
    """A translated area file: the same front matter keys as the area, text only."""
    display = str(path)
    read = _read_area_file(path, problems, prose)
    if read is None:
        return None
    doc, body, body_line = read
    place = Place(doc, display, problems)
    front = validated(AreaTranslationFront, doc.data, place)
    facts = doc.data.get("key_facts")
    if isinstance(facts, list) and facts and len(facts) != len(area.key_facts):
        place.add(("key_facts",), f"has {len(facts)} facts, the English area has {len(area.key_facts)}")
        return None
    if front is None:
        return None
    texts = tuple(fact.text for fact in front.key_facts)
    return AreaText(front.title, front.summary, texts, clean_text(body, multiline=True).strip() + "\n")


def _load_areas(folder: Path, problems: ProblemCollector, prose: Prose) -> list[tuple[YamlDocument, Area, str]]:
    area_folder = folder / "areas"
    if links_outside(area_folder, folder, problems):
        return []
    if not optional_file(area_folder) or not area_folder.is_dir():
        problems.add(str(area_folder), None, "folder", "is missing")
        return []
    loaded = []
    translations = []
    for path in list_folder(area_folder):
        if AREA_FILE.match(path.name):
            result = _load_area(path, problems, prose)
            if result:
                loaded.append(result)
        elif (match := AREA_TRANSLATION_FILE.match(path.name)) and match.group(2) in LANGUAGES:
            translations.append((path, match.group(1), match.group(2)))
        else:
            problems.add(
                str(path),
                None,
                "file",
                "is not an area file (expected <id>.md or <id>.<lang>.md with lang one of: " + ", ".join(LANGUAGES) + ")",
            )
    by_id = {area.id: area for _, area, _ in loaded}
    for path, area_id, lang in translations:
        if area_id not in by_id:
            problems.add(str(path), None, "file", f"translates an area '{area_id}' that does not exist")
            continue
        text = _load_area_translation(path, by_id[area_id], problems, prose)
        if text is not None:
            by_id[area_id].translations[lang] = text
    orders: dict[int, str] = {}
    for doc, area, display in loaded:
        if area.order in orders:
            problems.add(display, doc.line("order"), "order", f"{area.order} is also the order of area '{orders[area.order]}'")
        orders.setdefault(area.order, area.id)
    return loaded
