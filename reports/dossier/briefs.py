"""The analyst's own notes for one event's pack: `briefs/<event id>.md` and its translations `briefs/<event id>.<lang>.md`.

A brief is judgment no rule can derive (objectives, lines to take, their likely asks, the press line, questions
and answers, risks), so the loader only checks its shape: front matter, level-2 sections with the headings of
BRIEF_HEADINGS and nothing else, and an event that exists. The pack puts the sections first, in that order.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from reports.dossier.fields import Flag
from reports.dossier.markdown import Prose, check_nesting, markdown_parser
from reports.dossier.model import Brief
from reports.dossier.readers import (
    MAX_MARKDOWN_BYTES,
    links_outside,
    list_folder,
    load_yaml,
    optional_file,
    read_text,
    split_front_matter,
)
from reports.dossier.schema import Place, Record, key, validated
from reports.dossier.text import clean_text
from reports.dossier.vocabulary import AREA_FILE, AREA_TRANSLATION_FILE, BRIEF_HEADINGS, LANGUAGES
from reports.errors import ProblemCollector


class BriefFront(Record):
    """The front matter of `briefs/<event id>.md`."""

    public_qa: Flag = key(
        "`true` or `false`", "optional, `false` by default: `true` lets the press kit show the Questions and answers"
    )


class BriefTranslationFront(Record):
    """The front matter of `briefs/<event id>.<lang>.md`: none (the brief's own front matter says it for every language)."""


FrontMatter = TypeVar("FrontMatter", bound=Record)


def _sections(body: str, first_line: int, display: str, problems: ProblemCollector) -> tuple[tuple[str, str], ...] | None:
    """(heading, Markdown) of each section in BRIEF_HEADINGS order; a problem with its line for anything else."""
    if not check_nesting(body, first_line, display, problems):
        return None
    lines = body.split("\n")
    tokens = markdown_parser().parse(body)
    starts: list[tuple[int, str]] = []  # (body line index of the heading, heading)
    first_heading = len(lines)
    failed = False
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or token.map is None:  # a heading always has its lines
            continue
        first_heading = min(first_heading, token.map[0])
        heading = tokens[index + 1].content.strip()
        line = first_line + token.map[0]
        if token.tag != "h2" or heading not in BRIEF_HEADINGS:
            problems.add(
                display,
                line,
                "heading",
                f"'{'#' * int(token.tag[1])} {heading}' is not one of: " + ", ".join(f"'## {h}'" for h in BRIEF_HEADINGS),
            )
            failed = True
        elif heading in (h for _, h in starts):
            problems.add(display, line, "heading", f"'## {heading}' appears twice")
            failed = True
        else:
            starts.append((token.map[0], heading))
    before = "\n".join(lines[:first_heading]).strip()
    if before:
        line = first_line + next(i for i, text in enumerate(lines) if text.strip())
        problems.add(display, line, "body", "text before the first section; every line belongs under a '## ' heading")
        failed = True
    if failed:
        return None
    found = {}
    for number, (start, heading) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        text = clean_text("\n".join(lines[start + 1 : end]), multiline=True).strip()
        if text:
            found[heading] = text + "\n"
    return tuple((heading, found[heading]) for heading in BRIEF_HEADINGS if heading in found)


def _load_brief_file(
    path: Path, folder: Path, schema: type[FrontMatter], problems: ProblemCollector, prose: Prose
) -> tuple[FrontMatter, tuple[tuple[str, str], ...]] | None:
    """(front matter, sections) of one brief file, or None after recording its problems; its body goes to `prose`."""
    display = str(path)
    text = read_text(path, display, problems, inside=folder, limit=MAX_MARKDOWN_BYTES)
    if text is None:
        return None
    try:
        front, body, first_line = split_front_matter(text)
    except ValueError as error:
        problems.add(display, 1, "front matter", str(error))
        return None
    prose.append((display, first_line, body))
    doc = load_yaml(front, display, problems, offset=1)
    if doc is None:
        return None
    place = Place(doc, display, problems, whole="front matter")
    front_matter = validated(schema, doc.data if doc.data is not None else {}, place)
    sections = _sections(body, first_line, display, problems)
    if front_matter is None or sections is None:
        return None
    return front_matter, sections


def _load_briefs(folder: Path, event_ids: set[str], problems: ProblemCollector, prose: Prose) -> list[Brief]:
    """Every brief of `briefs/` with its translations; a brief for an event that does not exist is an error."""
    brief_folder = folder / "briefs"
    if links_outside(brief_folder, folder, problems) or not optional_file(brief_folder) or not brief_folder.is_dir():
        return []
    briefs: dict[str, Brief] = {}
    translations = []
    for path in list_folder(brief_folder):
        if match := AREA_FILE.match(path.name):
            event_id = match.group(1)
            if event_id not in event_ids:
                problems.add(str(path), 1, "event", f"'{event_id}' is not an event of events.csv (the file name names the event)")
                continue
            loaded = _load_brief_file(path, folder, BriefFront, problems, prose)
            if loaded is not None:
                front_matter, sections = loaded
                briefs[event_id] = Brief(event_id, front_matter.public_qa, sections, {})
        elif (match := AREA_TRANSLATION_FILE.match(path.name)) and match.group(2) in LANGUAGES:
            translations.append((path, match.group(1), match.group(2)))
        else:
            languages = ", ".join(LANGUAGES)
            message = f"is not a brief (expected <event id>.md or <event id>.<lang>.md with lang one of: {languages})"
            problems.add(str(path), None, "file", message)
    for path, event_id, lang in translations:
        if event_id not in briefs:
            if event_id in event_ids and not (brief_folder / f"{event_id}.md").exists():
                problems.add(str(path), 1, "file", f"translates a brief briefs/{event_id}.md that does not exist")
            elif event_id not in event_ids:
                problems.add(str(path), 1, "event", f"'{event_id}' is not an event of events.csv (the file name names the event)")
            continue
        translated = _load_brief_file(path, folder, BriefTranslationFront, problems, prose)
        if translated is not None:
            briefs[event_id].translations[lang] = translated[1]
    return list(briefs.values())
