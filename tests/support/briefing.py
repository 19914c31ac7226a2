"""A Briefing (the model every renderer takes) made by hand, for the renderer tests."""

from __future__ import annotations

from collections.abc import Mapping

from reports.briefing.fit import units
from reports.briefing.model import Briefing, Unit

# The metadata of the kz-uz ministry report; a test file gives its own sections, sources and labels.
METADATA = dict(
    dossier_id="kz-uz",
    audience="ministry",
    lang="en",
    title="Kazakhstan – Uzbekistan",
    as_of="As of 22 November 2025",
    issued="2025-11-22",
    cover_lines=(),
)


def make_briefing(sample: Mapping[str, object], /, **changes: object) -> Briefing:
    """A Briefing of METADATA, then a test file's `sample` fields, then a test's `changes`."""
    return Briefing(**{**METADATA, **sample, **changes})


def shown_units(briefing: Briefing) -> list[Unit]:
    """The units a reader sees: what the tests compare across formats."""
    return [unit for _, unit in units(briefing)]
