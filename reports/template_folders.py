"""The template search path: an organization's folder first, then the built-in `templates/` (MkDocs `custom_dir`).

The folder is checked when it is loaded, before anything is rendered: a logo in a format that cannot go into
every output, or what a renderer of the build finds missing (its `check_templates` hook, passed in as a
check), is exit 2 here rather than a failure halfway through a build. The checks come from the caller so
that this module, which every stage reads, imports no renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from reports.errors import Problem, ReportsError, TemplateError

BUILTIN_TEMPLATES = Path(__file__).resolve().parent / "templates"
REFERENCE_DOCUMENT = "reference.docx"
LOGO_NAMES = ("logo.png", "logo.jpg", "logo.jpeg")  # bitmaps: Word cannot hold an SVG logo


def find_file(template_dirs: list[Path], name: str) -> Path | None:
    """The first file of that name along the search path."""
    return next((folder / name for folder in template_dirs if (folder / name).is_file()), None)


def find_logo(template_dirs: list[Path]) -> Path | None:
    return next((path for name in LOGO_NAMES if (path := find_file(template_dirs, name))), None)


def template_folders(user_templates: Path | None, checks: Iterable[Callable[[Path], list[Problem]]] = ()) -> list[Path]:
    """The search path for one build, with the organization's folder checked: its own rules, then each of `checks`
    (a renderer's `check_templates`), every problem reported at once."""
    if user_templates is None:
        return [BUILTIN_TEMPLATES]
    if not user_templates.is_dir():
        raise ReportsError(Problem(str(user_templates), None, "templates", "is not a folder"))
    folder = user_templates.resolve()
    problems = [
        Problem(str(path), None, "templates", "links to a file outside the templates folder; copy the file in instead")
        for path in sorted(folder.rglob("*"))
        if path.is_symlink() and not path.resolve().is_relative_to(folder)
    ]
    for check in checks:
        problems += check(folder)
    for other in ("logo.svg", "logo.gif"):
        if (folder / other).exists():
            problems.append(Problem(str(folder / other), None, "logo", f"use one of {', '.join(LOGO_NAMES)}"))
    if problems:
        raise TemplateError(problems)
    return [folder, BUILTIN_TEMPLATES]
