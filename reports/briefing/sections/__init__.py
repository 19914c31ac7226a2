"""The sections of a briefing, one module per subject; each builder is a function of a `BriefingContext`.

`BUILDERS` maps every section id of `audiences.SECTIONS` (but `sources`, which comes last and needs the list of
cited sources) to its builder; a builder returns a `Section` of model blocks, or None when it has nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable

from reports.briefing.context import BriefingContext
from reports.briefing.model import Section
from reports.briefing.sections import areas, bottom_line, events, figures, products, relationship, since, trade

BUILDERS: dict[str, Callable[[BriefingContext], Section | None]] = {
    "bottom_line": bottom_line.bottom_line,
    "relationship": relationship.relationship,
    "key_figures": figures.key_figures,
    "since": since.since,
    "trade": trade.trade,
    "products": products.products,
    "targets": figures.targets,
    "areas": areas.areas,
    "commitments": events.commitments,
    "chronology": events.chronology,
    "upcoming": events.upcoming,
}
