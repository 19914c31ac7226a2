"""The template search path: an organization's folder first, then the built-in `templates/` (MkDocs `custom_dir`).

The folder is checked when it is loaded, before anything is rendered: a `reference.docx` missing a style
the Word renderer needs, or a logo in a format that cannot go into every output, is exit 2 here rather
than a failure halfway through a build.
"""

from __future__ import annotations

import zipfile
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


def template_folders(user_templates: Path | None) -> list[Path]:
    """The search path for one build, with the organization's folder checked."""
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
    reference = folder / REFERENCE_DOCUMENT
    if reference.is_file():
        problems += check_reference_document(reference)
    for other in ("logo.svg", "logo.gif"):
        if (folder / other).exists():
            problems.append(Problem(str(folder / other), None, "logo", f"use one of {', '.join(LOGO_NAMES)}"))
    if problems:
        raise TemplateError(problems)
    return [folder, BUILTIN_TEMPLATES]


def check_reference_document(path: Path) -> list[Problem]:
    """Every style the Word renderer looks up must exist in the reference document."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from reports.renderers.docx import REQUIRED_STYLES

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        return [Problem(str(path), None, REFERENCE_DOCUMENT, f"is not a readable Word document ({error})")]
    names = {style.name for style in document.styles}
    return [
        Problem(str(path), None, f"style '{name}'", "is missing; the Word renderer needs it (add it to the document's styles)")
        for name in REQUIRED_STYLES
        if name not in names
    ]
