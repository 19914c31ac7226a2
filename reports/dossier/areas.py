"""The areas of cooperation: `areas/<id>.md` (front matter and body) and its translations `areas/<id>.<lang>.md`.

Kept apart from the other files' loaders because an area is Markdown with YAML front matter, not a table.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from reports.dossier.fields import (
    _boolean,
    _check_keys,
    _check_mapping,
    _Checker,
    _integer,
    _list_of_mappings,
    _optional,
    _slug,
    _text,
    _year,
    bounded,
)
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
from reports.dossier.text import clean_text
from reports.dossier.vocabulary import (
    AREA_FILE,
    AREA_TRANSLATION_FILE,
    LANGUAGES,
)
from reports.errors import ProblemCollector

# ---------------------------------------------------------------- dossier.yaml


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
    if doc is None or not _check_mapping(doc, (), doc.data, display, "front matter", problems):
        return None
    return doc, body, body_line


def _load_area(path: Path, problems: ProblemCollector, prose: Prose) -> tuple[YamlDocument, Area, str] | None:
    display = str(path)
    read = _read_area_file(path, problems, prose)
    if read is None:
        return None
    doc, body, body_line = read
    data = doc.data
    known = ("title", "order", "summary", "restricted", "key_facts", "sources")
    _check_keys(doc, (), data, known, display, "", problems)
    check = _Checker(problems, display)
    title = check.field(data, "title", _text, doc.line("title"))
    order = check.field(data, "order", _integer, doc.line("order"))
    summary = check.field(data, "summary", _text, doc.line("summary"))
    restricted = check.field(data, "restricted", _optional(_boolean), doc.line("restricted")) or False
    sources = data.get("sources") or []
    if not isinstance(sources, list):
        problems.add(display, doc.line("sources"), "sources", "must be a list of source ids")
        sources, check.failed = [], True
    source_ids = tuple(check.field({"s": s}, "s", _slug, doc.line("sources", i), f"sources[{i}]") for i, s in enumerate(sources))
    facts = []
    for index, item in _list_of_mappings(doc, data.get("key_facts"), "key_facts", display, problems, required=False):
        _check_keys(
            doc, ("key_facts", index), item, ("text", "value", "unit", "year", "source"), display, f"key_facts[{index}]", problems
        )
        field = check.fields(item, doc, ("key_facts", index), f"key_facts[{index}]")

        facts.append(
            KeyFact(
                text=field("text", _text),
                source=field("source", _slug),
                value=field("value", _optional(_signed_number)),
                unit=field("unit", _optional(_text)),
                year=field("year", _optional(_year)),
            )
        )
    if check.failed:
        return None
    area_id = path.stem  # the name is <id>.md (AREA_FILE), as _load_areas checked
    area = Area(
        area_id, title, order, summary, restricted, tuple(facts), source_ids, clean_text(body, multiline=True).strip() + "\n", {}
    )
    return doc, area, display


def _signed_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"'{value}' is not a number")
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return bounded(float(value), value)


def _load_area_translation(path: Path, area: Area, problems: ProblemCollector, prose: Prose) -> AreaText | None:
    """A translated area file: the same front matter keys as the area, text only."""
    display = str(path)
    read = _read_area_file(path, problems, prose)
    if read is None:
        return None
    doc, body, body_line = read
    _check_keys(doc, (), doc.data, ("title", "summary", "key_facts"), display, "", problems)
    check = _Checker(problems, display)
    title = check.field(doc.data, "title", _text, doc.line("title"))
    summary = check.field(doc.data, "summary", _text, doc.line("summary"))
    texts = []
    items = _list_of_mappings(doc, doc.data.get("key_facts"), "key_facts", display, problems, required=False)
    if items and len(items) != len(area.key_facts):
        problems.add(
            display, doc.line("key_facts"), "key_facts", f"has {len(items)} facts, the English area has {len(area.key_facts)}"
        )
        check.failed = True
    for index, item in items:
        texts.append(check.field(item, "text", _text, doc.line("key_facts", index, "text"), f"key_facts[{index}].text"))
    if check.failed:
        return None
    return AreaText(title, summary, tuple(texts), clean_text(body, multiline=True).strip() + "\n")


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
