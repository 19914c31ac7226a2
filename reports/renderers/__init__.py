"""Renderers: one class per output format behind one interface, found by name in a registry."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from reports.errors import Problem, ReportsError

if TYPE_CHECKING:
    from reports.briefing.model import Briefing


# Rendering a page template takes a fraction of a second (the kz-uz ministry report); one still running after this
# long runs away (a house template's loop) and is stopped with its own message naming the template's line, before
# the document's --time-limit: 20 s, or half that limit when it is lower, so the template's message still comes first.
TEMPLATE_SECONDS = 20


def template_seconds(document_seconds: int) -> float:
    """The page template's time limit within a document's `--time-limit` (0: none, so the template's 20 s)."""
    return min(TEMPLATE_SECONDS, document_seconds / 2) if document_seconds else TEMPLATE_SECONDS


class Renderer:
    """Turns a Briefing into the bytes of one file; the build decides where and when to write it."""

    name: str = ""
    suffix: str = ""

    def __init__(self, template_dirs: list[Path], template_seconds: float = TEMPLATE_SECONDS) -> None:
        self.template_dirs = template_dirs  # searched in order: an organization's folder first, then built-in
        self.template_seconds = template_seconds  # how long a page template may render (formats that have one)

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
# The formats whose renderer checks an organization's templates folder (`check_templates`), imported for it only
# then: the others need nothing of the folder, and the PDF's module would bring WeasyPrint into the building
# process, which renders nothing itself (reports/isolation.py). tests/test_architecture.py keeps it complete.
CHECKS_TEMPLATES = ("docx",)


def renderer_class(name: str) -> type[Renderer]:
    """The renderer class of a format, or exit 2 naming the known formats."""
    if name not in RENDERERS:
        known = ", ".join(RENDERERS)
        raise ReportsError(Problem("reports", None, "format", f"unknown format '{name}'; known formats: {known}"))
    module, class_name = RENDERERS[name]
    return getattr(importlib.import_module(module), class_name)


def draw(
    output_format: str, template_dirs: list[Path], lang: str, briefing: Briefing, fitted: bool, document_seconds: int
) -> tuple[bytes, Briefing]:
    """One format of a briefing, as the render's child runs it (reports/isolation.py) within `document_seconds`
    (its --time-limit): the templates compiled, a note fitted unless `fitted` says another format's child did, the
    file's bytes and the briefing drawn."""
    renderer = renderer_class(output_format)(template_dirs, template_seconds(document_seconds))
    if hasattr(renderer, "compile_templates"):
        renderer.compile_templates(lang)
    briefing = briefing if fitted else fitted_note(briefing, renderer, template_dirs)
    return renderer.render(briefing), briefing


def fitted_note(briefing: Briefing, renderer: Renderer, template_dirs: list[Path]) -> Briefing:
    """A page-limited note's units chosen by the PDF's layout (the format that counts pages), the same choice in
    every format (reports/briefing/fit.py). It runs in the child of a briefing's first format, the PDF, under the
    render's limits (a house style's template lays the note out); the PDF renderer keeps the layout it measured
    and writes it, and the other formats draw the briefing it chose."""
    from reports.briefing.fit import fitted

    if not briefing.max_pages:
        return briefing
    layout = renderer if renderer.name == "pdf" else renderer_class("pdf")(template_dirs, renderer.template_seconds)
    return fitted(briefing, layout.pages_filled)  # type: ignore[attr-defined]


def warm_up(formats: Iterable[str]) -> None:
    """Import the renderers of `formats`, the briefing model and the note's fitting, and let each renderer warm up
    (its templates compiled, a first page laid out), so that a render process's children start warm
    (reports/isolation.py): run there while the build process loads the dossier, or once per worker."""
    import reports.briefing.fit  # noqa: F401 - what `draw` needs, imported before the first briefing arrives

    for name in formats:
        renderer = renderer_class(name)
        if hasattr(renderer, "warm_up"):
            renderer.warm_up()
