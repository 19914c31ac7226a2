"""Audiences as data: each is a YAML file in an `audiences/` folder of the template search path, read into an
`AudienceConfig` (audience_config.py); the sections it may name are those of `SECTIONS` (reports/briefing/sections/).

An audience may `extends:` another and change only what differs. A name found in an earlier folder
hides the same name in later ones; a file that extends its own name extends the one it hides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reports.briefing.audience_config import KEY_FIGURES, AudienceConfig
from reports.briefing.sections import SECTION_KEYS
from reports.dossier.readers import YamlDocument, load_yaml, read_text
from reports.dossier.vocabulary import EVENT_KINDS, SLUG
from reports.errors import Problem, ProblemCollector, TemplateError

DEPTHS = ("summary", "full")
LAYOUTS = ("note", "report")  # a note flows on from its heading, in small type; a report has a cover page and contents
WORD_CHARTS = ("native", "picture")
KEYS = (
    "extends", "description", "marking", "include_restricted", "depth", "max_pages", "bullets_per_area",
    "upcoming_limit", "talking_points", "word_chart", "sections", "verdicts", "notes", "area_body", "all_sources", "layout",
    "key_figures",
    "chronology_years", "chronology_limit", "chronology_kinds",
)  # fmt: skip


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
    for key in doc.data:
        if key not in KEYS:
            problems.add(display, doc.line(key), str(key), f"unknown key; known keys: {', '.join(KEYS)}")
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
        for key, value in ancestor.data.items():
            merged[key] = (value, ancestor)
    return merged


def _validate(
    name: str, merged: dict[str, tuple[Any, _AudienceFile]], origin: Path, problems: ProblemCollector
) -> AudienceConfig | None:
    before = len(problems.problems)

    def check(key: str, ok: bool, message: str) -> None:
        if not ok:
            path, line = merged[key][1].where(key) if key in merged else (str(origin), None)
            problems.add(path, line, key, message)

    value: dict[str, Any] = {key: entry[0] for key, entry in merged.items()}
    for key in ("description", "marking"):
        check(key, isinstance(value.get(key), str) and value[key].strip() != "", "is required text")
    for key in ("include_restricted", "talking_points", "verdicts", "notes", "area_body", "all_sources"):
        check(key, isinstance(value.get(key, False), bool), "must be true or false")
    check("depth", value.get("depth", "full") in DEPTHS, f"must be one of: {', '.join(DEPTHS)}")
    layout = value.get("layout", "note" if value.get("depth") == "summary" else "report")
    check("layout", layout in LAYOUTS, f"must be one of: {', '.join(LAYOUTS)}")
    check("word_chart", value.get("word_chart", "native") in WORD_CHARTS, f"must be one of: {', '.join(WORD_CHARTS)}")
    for key in ("max_pages", "bullets_per_area", "upcoming_limit", "chronology_years", "chronology_limit"):
        number = value.get(key)
        check(
            key,
            number is None or (isinstance(number, int) and not isinstance(number, bool) and number > 0),
            "must be a positive whole number",
        )
    for key, known in (("key_figures", KEY_FIGURES), ("chronology_kinds", EVENT_KINDS)):
        _check_names(key, merged, known, problems)
    sections = value.get("sections")
    check("sections", isinstance(sections, list) and bool(sections), "must be a list of section names")
    if isinstance(sections, list):
        source = merged["sections"][1]
        for index, section in enumerate(sections):
            if section not in SECTION_KEYS:
                path, line = source.where("sections", index)
                problems.add(
                    path, line, f"sections[{index}]", f"unknown section '{section}'; known sections: {', '.join(SECTION_KEYS)}"
                )
    if len(problems.problems) > before:
        return None
    return AudienceConfig(
        name=name, description=value["description"].strip(), marking=value["marking"].strip(),
        include_restricted=value.get("include_restricted", False), depth=value.get("depth", "full"),
        sections=tuple(value["sections"]), origin=origin, max_pages=value.get("max_pages"),
        bullets_per_area=value.get("bullets_per_area", 6), upcoming_limit=value.get("upcoming_limit"),
        talking_points=value.get("talking_points", True), word_chart=value.get("word_chart", "native"),
        verdicts=value.get("verdicts", True), notes=value.get("notes", True), area_body=value.get("area_body", True),
        all_sources=value.get("all_sources"), layout=layout, key_figures=tuple(value.get("key_figures", KEY_FIGURES)),
        chronology_years=value.get("chronology_years"),
        chronology_limit=value.get("chronology_limit"), chronology_kinds=tuple(value.get("chronology_kinds", EVENT_KINDS)),
    )  # fmt: skip


def _check_names(
    key: str, merged: dict[str, tuple[Any, _AudienceFile]], known: tuple[str, ...], problems: ProblemCollector
) -> None:
    """A key whose value is a list of names from `known` (key figures, kinds of event)."""
    if key not in merged:
        return
    names, source = merged[key]
    if not isinstance(names, list) or not names:
        path, line = source.where(key)
        problems.add(path, line, key, f"must be a list of names; known names: {', '.join(known)}")
        return
    for index, name in enumerate(names):
        if name not in known:
            path, line = source.where(key, index)
            problems.add(path, line, f"{key}[{index}]", f"unknown name '{name}'; known names: {', '.join(known)}")


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
            chain = tuple(dict.fromkeys(ancestor.path for _, ancestor in merged.values()))  # type: ignore[union-attr]
            found[file.name] = replace(audience, files=(file.path, *(p for p in chain if p != file.path)))
    problems.raise_if_any(TemplateError)
    return found


def select_audiences(names: list[str] | None, template_dirs: list[Path]) -> list[AudienceConfig]:
    """The audiences asked for (all when none), or exit 2 naming the known ones."""
    known = load_audiences(template_dirs)
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
