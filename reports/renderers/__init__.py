"""Renderers: one class per output format behind one interface, found by name in a registry."""

from __future__ import annotations

from pathlib import Path

from reports.errors import Problem, ReportsError
from reports.model import Briefing


class Renderer:
    """Turns a Briefing into the bytes of one file; the build decides where and when to write it."""

    name: str = ""
    suffix: str = ""

    def __init__(self, template_dirs: list[Path]) -> None:
        self.template_dirs = template_dirs  # searched in order: an organization's folder first, then built-in

    def render(self, briefing: Briefing) -> bytes:
        raise NotImplementedError


def renderer_classes() -> dict[str, type[Renderer]]:
    """Every known format by name; a new format is one module and one line here."""
    from reports.renderers.docx import DocxRenderer
    from reports.renderers.html import HtmlRenderer
    from reports.renderers.pdf import PdfRenderer

    return {cls.name: cls for cls in (PdfRenderer, DocxRenderer, HtmlRenderer)}


def get_renderer(name: str, template_dirs: list[Path]) -> Renderer:
    classes = renderer_classes()
    if name not in classes:
        known = ", ".join(classes)
        raise ReportsError(Problem("reports", None, "format", f"unknown format '{name}'; known formats: {known}"))
    return classes[name](template_dirs)
