"""Audiences as data: each is a YAML file in an `audiences/` folder of the template search path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reports.errors import Problem, ProblemCollector, TemplateError
from reports.readers import load_yaml, read_text

SECTIONS = ("key_figures", "trade", "targets", "areas", "commitments", "chronology", "upcoming", "sources")
DEPTHS = ("summary", "full")
KEYS = ("description", "marking", "include_restricted", "depth", "max_pages", "bullets_per_area", "sections")


@dataclass(frozen=True)
class AudienceConfig:
    """What one audience sees: which sections, how deep, under which marking, restricted material or not."""

    name: str
    description: str
    marking: str
    include_restricted: bool
    depth: str
    sections: tuple[str, ...]
    origin: Path
    max_pages: int | None = None
    bullets_per_area: int = 6


def _check(problems: ProblemCollector, display: str, line: int | None, key: str, ok: bool, message: str) -> bool:
    if not ok:
        problems.add(display, line, key, message)
    return ok


def load_audience(path: Path) -> AudienceConfig:
    """One audience file, every problem reported with its line."""
    problems = ProblemCollector()
    display = str(path)
    text = read_text(path, display, problems)
    doc = load_yaml(text, display, problems) if text is not None else None
    problems.raise_if_any(TemplateError)
    data: Any = doc.data
    if not isinstance(data, dict):
        raise TemplateError(Problem(display, 1, "audience", "must be a mapping of keys"))
    for key in data:
        _check(problems, display, doc.line(key), str(key), key in KEYS, f"unknown key; known keys: {', '.join(KEYS)}")
    for key in ("description", "marking"):
        _check(
            problems, display, doc.line(key), key, isinstance(data.get(key), str) and data[key].strip() != "", "is required text"
        )
    _check(
        problems,
        display,
        doc.line("include_restricted"),
        "include_restricted",
        isinstance(data.get("include_restricted", False), bool),
        "must be true or false",
    )
    _check(
        problems, display, doc.line("depth"), "depth", data.get("depth", "full") in DEPTHS, f"must be one of: {', '.join(DEPTHS)}"
    )
    for key in ("max_pages", "bullets_per_area"):
        value = data.get(key)
        _check(
            problems,
            display,
            doc.line(key),
            key,
            value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0),
            "must be a positive whole number",
        )
    sections = data.get("sections")
    if _check(
        problems,
        display,
        doc.line("sections"),
        "sections",
        isinstance(sections, list) and bool(sections),
        "must be a list of section names",
    ):
        for index, name in enumerate(sections):
            _check(
                problems,
                display,
                doc.line("sections", index),
                f"sections[{index}]",
                name in SECTIONS,
                f"unknown section '{name}'; known sections: {', '.join(SECTIONS)}",
            )
    problems.raise_if_any(TemplateError)
    return AudienceConfig(
        name=path.stem,
        description=data["description"].strip(),
        marking=data["marking"].strip(),
        include_restricted=data.get("include_restricted", False),
        depth=data.get("depth", "full"),
        sections=tuple(sections),
        origin=path,
        max_pages=data.get("max_pages"),
        bullets_per_area=data.get("bullets_per_area", 6),
    )


def load_audiences(template_dirs: list[Path]) -> dict[str, AudienceConfig]:
    """Every audience on the search path; a name found in an earlier folder hides the later ones."""
    found: dict[str, AudienceConfig] = {}
    for folder in template_dirs:
        for path in sorted((folder / "audiences").glob("*.yaml")):
            if path.stem not in found:
                found[path.stem] = load_audience(path)
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
