"""Renderers: one class per output format behind one interface, found by name in a registry."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from reports.errors import Problem, ReportsError

if TYPE_CHECKING:
    from reports.briefing.model import Briefing


class Renderer:
    """Turns a Briefing into the bytes of one file; the build decides where and when to write it."""

    name: str = ""
    suffix: str = ""

    def __init__(self, template_dirs: list[Path]) -> None:
        self.template_dirs = template_dirs  # searched in order: an organization's folder first, then built-in

    def render(self, briefing: Briefing) -> bytes:
        raise NotImplementedError

    @classmethod
    def check_templates(cls, folder: Path) -> list[Problem]:
        """What this format needs from an organization's templates folder and does not find there. Called when
        the folder is loaded, before anything is rendered, so a build fails early and names every problem."""
        return []


# Every known format: its module and class, imported only when asked for (WeasyPrint alone takes seconds).
# A new format is one module and one line here.
RENDERERS = {
    "pdf": ("reports.renderers.pdf", "PdfRenderer"),
    "docx": ("reports.renderers.docx.writer", "DocxRenderer"),
    "html": ("reports.renderers.html", "HtmlRenderer"),
}
DEFAULT_FORMATS = ("pdf", "docx")  # what a build makes when no format is asked for


def renderer_class(name: str) -> type[Renderer]:
    """The renderer class of a format, or exit 2 naming the known formats."""
    if name not in RENDERERS:
        known = ", ".join(RENDERERS)
        raise ReportsError(Problem("reports", None, "format", f"unknown format '{name}'; known formats: {known}"))
    module, class_name = RENDERERS[name]
    return getattr(importlib.import_module(module), class_name)


def warm_up(formats: Iterable[str]) -> None:
    """Import the renderers of `formats` and let each warm up (a first page laid out), so that a render process's
    children start warm (reports/isolation.py): run there while this process loads the dossier, or once per worker."""
    for name in formats:
        renderer = renderer_class(name)
        if hasattr(renderer, "warm_up"):
            renderer.warm_up()
