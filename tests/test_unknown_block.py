"""A block of a type the briefing model does not define fails every format the same way: UnknownBlockError naming
the type and its section, before anything is drawn (the HTML template used to drop it, the Word writer to raise)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from support.briefing import make_briefing

from reports.briefing.model import BLOCK_TYPES, Briefing, Paragraph, Section, Span, UnknownBlockError
from reports.renderers import RENDERERS, renderer_class
from reports.template_folders import BUILTIN_TEMPLATES


@dataclass(frozen=True)
class Sidebar:
    """A block some builder might invent without teaching the renderers."""

    text: str


def briefing_with(block: object) -> Briefing:
    inner = Section("inner", "Inner", 2, (Paragraph((Span("Text."),)), block))  # type: ignore[arg-type]
    outer = Section("outer", "Outer", 1, (Paragraph((Span("Lead."),), "lead"),), (inner,))
    return make_briefing({"subtitle": "Subtitle", "marking": "PUBLIC", "sections": (outer,), "sources": ()})


@pytest.mark.parametrize("format_name", sorted(RENDERERS))
def test_an_unknown_block_fails_every_format_naming_its_type_and_section(format_name: str) -> None:
    renderer = renderer_class(format_name)([BUILTIN_TEMPLATES])
    with pytest.raises(UnknownBlockError, match=r"no block type Sidebar in section 'inner'"):
        renderer.render(briefing_with(Sidebar("aside")))


def test_the_check_names_every_known_type_and_passes_them() -> None:
    with pytest.raises(UnknownBlockError) as error:
        briefing_with(Sidebar("aside")).check_blocks()
    assert all(kind.__name__ in str(error.value) for kind in BLOCK_TYPES)
    assert isinstance(error.value, TypeError)  # a bug in a builder: exit 1 with its traceback, as before in Word
    briefing_with(Paragraph((Span("Known."),))).check_blocks()


def test_the_html_template_refuses_a_block_it_has_no_branch_for() -> None:
    """Behind the check, blocks.html.j2 too raises rather than leaving the block out."""
    from reports.renderers.html import HtmlRenderer

    template = (
        HtmlRenderer([BUILTIN_TEMPLATES])
        .environment()
        .from_string("{% import 'blocks.html.j2' as blocks %}{{ blocks.block(item) }}")
    )
    with pytest.raises(UnknownBlockError, match="no block type Sidebar"):
        template.render(item=Sidebar("aside"))
