"""Audiences as data: each is a YAML file in an `audiences/` folder of the template search path.

An audience may `extends:` another and change only what differs. A name found in an earlier folder
hides the same name in later ones; a file that extends its own name extends the one it hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainValidator

from reports.briefing.audience_config import KEY_FIGURES, AudienceConfig
from reports.briefing.sections import SECTION_KEYS
from reports.dossier.readers import YamlDocument, load_yaml, read_text
from reports.dossier.schema import Loc, Record, key, label, validated
from reports.dossier.vocabulary import EVENT_KINDS, SLUG
from reports.errors import Problem, ProblemCollector, TemplateError

DEPTHS = ("summary", "full")
LAYOUTS = ("note", "report")  # a note flows on from its heading, in small type; a report has a cover page and contents
WORD_CHARTS = ("native", "picture")


def _required_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("is required text")
    return value.strip()


def _true_or_false(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _one_of(options: tuple[str, ...]) -> PlainValidator:
    def parse(value: Any) -> str:
        if value not in options:
            raise ValueError(f"must be one of: {', '.join(options)}")
        return str(value)

    return PlainValidator(parse)


def _positive(value: Any) -> int | None:
    """A positive whole number, or None (null: no limit, also over a limit the audience extends)."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0):
        return value
    raise ValueError("must be a positive whole number")


def _names(known: tuple[str, ...], message: str) -> BeforeValidator:
    """A non-empty list whose items are then each checked against `known`."""

    def parse(value: Any) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise ValueError(message.format(known=", ".join(known)))
        return value

    return BeforeValidator(parse)


def _known(what: str, known: tuple[str, ...], noun: str = "names") -> PlainValidator:
    def parse(value: Any) -> str:
        if value not in known:
            raise ValueError(f"unknown {what} '{value}'; known {noun}: {', '.join(known)}")
        return str(value)

    return PlainValidator(parse)


TrueOrFalse = Annotated[bool, PlainValidator(_true_or_false)]
Limit = Annotated[int | None, PlainValidator(_positive)]
KeyFigure = Annotated[str, _known("name", KEY_FIGURES)]
EventKind = Annotated[str, _known("name", EVENT_KINDS)]
SectionName = Annotated[str, _known("section", SECTION_KEYS, "sections")]
NAMES = "must be a list of names; known names: {known}"


class AudienceFile(Record):
    """An audience file's keys, merged with those of the audiences it extends. The defaults of every key are here."""

    extends: Any = key("audience name", "optional: the audience this one changes (resolved before the keys are checked)")
    description: Annotated[str, PlainValidator(_required_text)] = key("text", "required: what `reports audiences` lists")
    marking: Annotated[str, PlainValidator(_required_text)] = key("text", "required: the marking on every page")
    include_restricted: TrueOrFalse = key("true or false", "restricted sources and areas shown", False)
    depth: Annotated[str, _one_of(DEPTHS)] = key(" or ".join(DEPTHS), "how much of each area", "full")
    max_pages: Limit = key("whole number", "the pages a note is fitted to (none: no limit)")
    bullets_per_area: Annotated[int, PlainValidator(_positive)] = key("whole number", "points per area", 6)
    upcoming_limit: Limit = key("whole number", "show only the next N upcoming events")
    talking_points: TrueOrFalse = key("true or false", "a pack's points to make and to expect (internal positions)", True)
    word_chart: Annotated[str, _one_of(WORD_CHARTS)] = key(
        " or ".join(WORD_CHARTS), "the Word file's chart: editable in Word, or the PDF's as a picture", "native"
    )
    sections: Annotated[list[SectionName], _names(SECTION_KEYS, "must be a list of section names")] = key(
        "list of section names", "required: the sections, in order"
    )
    verdicts: TrueOrFalse = key("true or false", "status words that judge: a target `missed`, a commitment `delayed`", True)
    notes: TrueOrFalse = key("true or false", "the dossier's `note` texts (analysts' working notes on trade rows)", True)
    area_body: TrueOrFalse = key("true or false", "an area's Markdown body and its sources line (depth `full` only)", True)
    all_sources: Annotated[bool | None, PlainValidator(_true_or_false)] = Field(
        None,
        validate_default=False,
        title="true or false",
        description="every source published by the date, not only those cited (none: at depth `full`)",
    )
    layout: Annotated[str | None, _one_of(LAYOUTS)] = Field(
        None, validate_default=False, title=" or ".join(LAYOUTS), description="none: `note` at depth `summary`, else `report`"
    )
    key_figures: Annotated[list[KeyFigure], _names(KEY_FIGURES, NAMES)] = key(
        "list of names", "which key figures, in this order", list(KEY_FIGURES)
    )
    chronology_years: Limit = key("whole number", "the chronology's last N calendar years only")
    chronology_limit: Limit = key("whole number", "the chronology's latest N events only")
    chronology_kinds: Annotated[list[EventKind], _names(EVENT_KINDS, NAMES)] = key(
        "list of event kinds", "the kinds of event the chronology shows", list(EVENT_KINDS)
    )


@dataclass(frozen=True)
class _AudienceFile:
    """One audience file as written: its own keys, and where each one is."""

    name: str
    path: Path
    folder_index: int
    data: dict[str, Any]
    doc: YamlDocument

    def where(self, key: str, *more: Any) -> tuple[str, int | None]:
        return str(self.path), self.doc.line(key, *more)


def _read(path: Path, folder_index: int, problems: ProblemCollector) -> _AudienceFile | None:
    display = str(path)
    text = read_text(path, display, problems)
    doc = load_yaml(text, display, problems) if text is not None else None
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.add(display, 1, "audience", "must be a mapping of keys")
        return None
    for name in doc.data:
        if name not in AudienceFile.model_fields:
            problems.add(display, doc.line(name), str(name), AudienceFile.unknown_key())
    return _AudienceFile(path.stem, path, folder_index, doc.data, doc)


def _parent(file: _AudienceFile, files: list[_AudienceFile]) -> _AudienceFile | None:
    """The file `extends:` names: the first of that name, or for its own name the next one along the path."""
    name = file.data["extends"]
    if name == file.name:
        return next((f for f in files if f.name == name and f.folder_index > file.folder_index), None)
    return next((f for f in files if f.name == name), None)


def _resolve(
    file: _AudienceFile, files: list[_AudienceFile], problems: ProblemCollector
) -> dict[str, tuple[Any, _AudienceFile]] | None:
    """The merged keys of an audience and its ancestors, each with the file that set it."""
    chain = [file]
    while "extends" in chain[-1].data:
        current = chain[-1]
        parent_name = current.data["extends"]
        path, line = current.where("extends")
        if not isinstance(parent_name, str):
            problems.add(path, line, "extends", "must be the name of another audience")
            return None
        parent = _parent(current, files)
        if parent is None and parent_name == current.name:
            problems.add(path, line, "extends", f"no later templates folder defines an audience '{parent_name}' to extend")
            return None
        if parent is None:
            known = sorted({f.name for f in files})
            problems.add(path, line, "extends", f"unknown audience '{parent_name}'; known audiences: {', '.join(known)}")
            return None
        if parent in chain:
            cycle = " → ".join([f.name for f in chain[chain.index(parent) :]] + [parent.name])
            problems.add(path, line, "extends", f"audiences extend each other in a cycle: {cycle}")
            return None
        chain.append(parent)
    merged: dict[str, tuple[Any, _AudienceFile]] = {}
    for ancestor in reversed(chain):
        for setting, value in ancestor.data.items():
            merged[setting] = (value, ancestor)
    return merged


def _validate(
    name: str, merged: dict[str, tuple[Any, _AudienceFile]], origin: Path, problems: ProblemCollector
) -> AudienceConfig | None:
    """The merged keys as an AudienceConfig, or None after reporting each wrong key where it was set (a key
    left out: the audience's own file, without a line)."""

    def report(loc: Loc, message: str) -> None:
        path, line = merged[str(loc[0])][1].where(str(loc[0]), *loc[1:]) if loc and loc[0] in merged else (str(origin), None)
        problems.add(path, line, label(loc), message)

    keys = {key: value for key, (value, _) in merged.items() if key in AudienceFile.model_fields}  # others: reported by _read
    audience = validated(AudienceFile, keys, report)
    if audience is None:
        return None
    settings = audience.model_dump(exclude={"extends"})
    settings["layout"] = audience.layout or ("note" if audience.depth == "summary" else "report")
    for listed in ("sections", "key_figures", "chronology_kinds"):
        settings[listed] = tuple(settings[listed])
    return AudienceConfig(name=name, origin=origin, **settings)


def load_audiences(template_dirs: list[Path]) -> dict[str, AudienceConfig]:
    """Every audience on the search path, every problem of every file reported together."""
    problems = ProblemCollector()
    files = []
    for index, folder in enumerate(template_dirs):
        for path in sorted((folder / "audiences").glob("*.yaml")):
            if not SLUG.match(path.stem):  # the name is part of the file names written: `..yaml` would write `...en.pdf`
                message = f"'{path.stem}' is not an audience name (lower-case letters, digits and '-')"
                problems.add(str(path), None, "audience", message)
                continue
            file = _read(path, index, problems)
            if file is not None:
                files.append(file)
    found: dict[str, AudienceConfig] = {}
    for file in files:
        if file.name in found or any(f.name == file.name and f.folder_index < file.folder_index for f in files):
            continue  # hidden by the same name in an earlier folder
        merged = _resolve(file, files, problems)
        audience = _validate(file.name, merged, file.path, problems) if merged is not None else None
        if audience is not None:
            assert merged is not None
            chain = tuple(dict.fromkeys(ancestor.path for _, ancestor in merged.values()))
            found[file.name] = replace(audience, files=(file.path, *(p for p in chain if p != file.path)))
    problems.raise_if_any(TemplateError)
    return found


def select_audiences(known: dict[str, AudienceConfig], names: Sequence[str]) -> list[AudienceConfig]:
    """The audiences asked for (all when none), or exit 2 naming the known ones."""
    if not names:
        return list(known.values())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise TemplateError(
            [
                Problem("reports", None, "audience", f"unknown audience '{name}'; known audiences: {', '.join(known)}")
                for name in unknown
            ]
        )
    return [known[name] for name in dict.fromkeys(names)]
