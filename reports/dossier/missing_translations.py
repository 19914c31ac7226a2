"""What a dossier lacks in a language (`reports validate --lang ru`): each text a briefing in that language shows in
English because the dossier has no translation of it.

The translatable texts are those of docs/dossier-format.md §1: a partner's `name_<lang>`, an event's `title_<lang>` and (where
the event has a summary) `summary_<lang>`, and every area's `areas/<id>.<lang>.md` with its body where the English
area has one. Other texts (commitments, places, notes, source titles) have no translated field and are not listed.
A missing translation is not invalid data: the briefing is built with the English text, so `validate` lists them
and still exits 0.
"""

from __future__ import annotations

from pathlib import Path

from reports.dossier.model import Dossier
from reports.dossier.readers import load_yaml, read_csv, read_text
from reports.dossier.vocabulary import EVENT_COLUMNS, LANGUAGES
from reports.errors import Problem, ProblemCollector


def missing_translations(dossier: Dossier, lang: str) -> list[Problem]:
    """Each missing text as `path:line: field: missing ...`, in the order of the files (dossier.yaml, events.csv, areas)."""
    folder = dossier.path
    problems: list[Problem] = []
    partner_lines = _yaml_lines(folder / "dossier.yaml")
    for index, partner in enumerate(dossier.partners):
        if not getattr(partner, f"name_{lang}", None):
            line = partner_lines(("partners", index))
            field = f"partners[{index}].name_{lang}"
            problems.append(Problem(str(folder / "dossier.yaml"), line, field, f"missing; the English '{partner.name}' is used"))
    event_lines = _event_lines(folder / "events.csv")
    for event in dossier.events:
        line = event_lines.get(event.id)
        if not getattr(event, f"title_{lang}", ""):
            problems.append(_missing(folder / "events.csv", line, f"title_{lang}", event.id, "title"))
        if event.summary and not getattr(event, f"summary_{lang}", ""):
            problems.append(_missing(folder / "events.csv", line, f"summary_{lang}", event.id, "summary"))
    for area in sorted(dossier.areas, key=lambda a: a.id):
        path = folder / "areas" / f"{area.id}.{lang}.md"
        text = area.translations.get(lang)
        if text is None:
            problems.append(Problem(str(path), None, "file", f"missing; area '{area.id}' is shown in English"))
        elif area.body.strip() and not text.body.strip():
            problems.append(Problem(str(path), None, "body", f"missing; the English body of area '{area.id}' is used"))
    return problems


def _missing(path: Path, line: int | None, field: str, event_id: str, what: str) -> Problem:
    return Problem(str(path), line, field, f"missing; the English {what} of event '{event_id}' is used")


def _yaml_lines(path: Path):
    problems = ProblemCollector()
    text = read_text(path, str(path), problems)
    doc = load_yaml(text, str(path), problems) if text is not None else None
    return (lambda key: doc.line(*key)) if doc is not None else (lambda key: None)


def _event_lines(path: Path) -> dict[str, int]:
    """The line of each event by its id, counted as in an editor (the dossier was read and found valid)."""
    problems = ProblemCollector()
    text = read_text(path, str(path), problems)
    optional = [f"{column}_{lang}" for lang in LANGUAGES for column in ("title", "summary")]
    table = read_csv(text, str(path), EVENT_COLUMNS, optional, problems) if text is not None else None
    return {row.cells.get("id", "").strip(): row.line for row in table.rows} if table is not None else {}
