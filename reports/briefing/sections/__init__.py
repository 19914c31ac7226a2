"""The sections of a briefing, one module per subject; each builder is a function of a `BriefingContext` returning a
`Section` of model blocks, or None when it has nothing to say.

`SECTIONS` is the one list of the sections an audience may name (`sections:` in an audience file): each with its key,
its builder and where it may appear. The report builds an audience's sections in the audience's order, the sources
last (`report.py`); a full-depth briefing pack repeats the `annex` ones, in this order, after its own (`pack.py`);
an audience file naming a key not listed here is refused (`audiences.py`). A builder is named, not imported, and
imported when first called: reading an audience file (which every `reports run` does, even with nothing to build)
checks the keys without loading the section modules, and with them pandas.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.briefing.context import BriefingContext
    from reports.briefing.model import Section


@dataclass(frozen=True)
class SectionKind:
    """A section an audience may name."""

    key: str  # its name in an audience's `sections:`
    builder: str | None  # "module:function" of this package; None: the sources, built last from what the others cite
    annex: bool = False  # a full-depth briefing pack repeats it after its own sections, titled `Annex: ...`

    def build(self, ctx: BriefingContext) -> Section | None:
        assert self.builder is not None, "the sources are built by the report and the pack themselves"
        module, function = self.builder.split(":")
        built: Section | None = getattr(importlib.import_module(f"{__name__}.{module}"), function)(ctx)
        return built


SECTIONS = (
    SectionKind("bottom_line", "bottom_line:bottom_line"),
    SectionKind("relationship", "relationship:relationship"),
    SectionKind("key_figures", "figures:key_figures"),
    SectionKind("since", "since:since"),  # a pack places it itself, after the event
    SectionKind("trade", "trade:trade", annex=True),
    SectionKind("products", "products:products", annex=True),
    SectionKind("targets", "figures:targets"),
    SectionKind("areas", "areas:areas"),
    SectionKind("commitments", "events:commitments"),  # not an annex: a pack's ledger shows every commitment
    SectionKind("chronology", "events:chronology", annex=True),
    SectionKind("upcoming", "events:upcoming", annex=True),
    SectionKind("sources", None),
)
SECTION_KEYS = tuple(kind.key for kind in SECTIONS)
SECTIONS_BY_KEY = {kind.key: kind for kind in SECTIONS}
