"""Cross-checks between a dossier's files (ids that refer to one another, sources cited but not listed), run after
each file has been read on its own so that every problem is still reported in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from reports.dossier.markdown import Prose, citations_by_line
from reports.dossier.model import Area, Commitment, Event, Person, Source
from reports.dossier.readers import CsvRow, YamlDocument
from reports.errors import ProblemCollector


class CitingRow(Protocol):
    """A row of figures: each cites one source."""

    @property
    def source(self) -> str: ...


def _check_references(
    folder: Path,
    identity: dict[str, Any],
    trade_files: Mapping[str, Sequence[tuple[CsvRow, CitingRow]]],
    events: list[tuple[CsvRow, Event]],
    commitments: list[tuple[CsvRow, Commitment]],
    areas: list[tuple[YamlDocument, Area, str]],
    people: list[tuple[CsvRow, Person]],
    prose: Prose,
    problems: ProblemCollector,
) -> None:
    """Cross-file rules: every source, area and person id exists (in the prose's citations too); figures for all
    audiences cite no restricted source."""
    sources: dict[str, Source] = identity["sources"]
    doc: YamlDocument = identity["doc"]
    display = identity["display"]
    # An area file or a source with a problem of its own is reported once: citing it is not a second problem.
    # A missing `areas/` folder, or one that links out of the dossier, is reported as such: no area is then named.
    area_folder = folder / "areas"
    areas_readable = area_folder.is_dir() and area_folder.resolve().is_relative_to(folder.resolve())
    area_ids = {area.id for _, area, _ in areas} | {path.stem for path in area_folder.glob("*.md")} if areas_readable else None
    failed_sources = identity["failed_sources"]

    def source_ok(source_id: str, where: str, line: int | None, field: str, public: bool = False) -> None:
        if source_id in failed_sources:
            return
        if source_id not in sources:
            problems.add(where, line, field, f"'{source_id}' is not a source id of dossier.yaml")
        elif public and sources[source_id].restricted:
            problems.add(
                where,
                line,
                field,
                f"'{source_id}' is a restricted source; trade figures and targets reach every audience and may not cite it",
            )

    for index, target in identity["targets"]:
        source_ok(target.source, display, doc.line("targets", index, "source"), f"targets[{index}].source", public=True)
    for name, rows in trade_files.items():
        for row, item in rows:
            source_ok(item.source, str(folder / name), row.line, "source", public=True)
    partner_codes = {partner.code for partner in identity["partners"] or ()}
    person_ids = {person.id for _, person in people}
    for row, person in people:
        source_ok(person.source, str(folder / "people.csv"), row.line, "source")
        if person.partner not in partner_codes:
            problems.add(str(folder / "people.csv"), row.line, "partner", f"'{person.partner}' is not a partner of dossier.yaml")
    for row, event in events:
        source_ok(event.source, str(folder / "events.csv"), row.line, "source")
        for person_id in event.people:
            if person_id not in person_ids:
                problems.add(str(folder / "events.csv"), row.line, "people", f"'{person_id}' is not a person of people.csv")
        for area_id in event.areas:
            if area_ids is not None and area_id not in area_ids:
                problems.add(str(folder / "events.csv"), row.line, "areas", f"'{area_id}' is not an area (no areas/{area_id}.md)")
    for row, commitment in commitments:
        source_ok(commitment.source, str(folder / "commitments.csv"), row.line, "source")
        if commitment.area and area_ids is not None and commitment.area not in area_ids:
            problems.add(
                str(folder / "commitments.csv"),
                row.line,
                "area",
                f"'{commitment.area}' is not an area (no areas/{commitment.area}.md)",
            )
    _check_citations(prose, sources, problems)
    for area_doc, area, area_display in areas:
        for index, fact in enumerate(area.key_facts):
            source_ok(fact.source, area_display, area_doc.line("key_facts", index, "source"), f"key_facts[{index}].source")
        for index, source_id in enumerate(area.sources):
            source_ok(source_id, area_display, area_doc.line("sources", index), f"sources[{index}]")


def _check_citations(prose: Prose, sources: dict[str, Source], problems: ProblemCollector) -> None:
    """Every `[@id]` in the areas' and briefs' Markdown names a source of dossier.yaml."""
    for display, first_line, body in prose:
        for line, source_id in citations_by_line(body):
            if source_id not in sources:
                problems.add(display, first_line + line, "citation", f"'{source_id}' is not a source id")
