"""What one audience sees (`AudienceConfig`), as `audiences.py` reads it from the audience's YAML file: a value the
briefing builders read, below them, while the reading of the files sits above the sections it checks names against."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

KEY_FIGURES = ("turnover", "year_to_date", "growth", "partner_growth", "average_growth", "change", "balance", "targets")


@dataclass(frozen=True)
class AudienceConfig:
    """What one audience sees: which sections, how deep, under which marking, restricted material or not. Each
    field but `name`, `origin` and `files` is a key of its file (`AudienceFile` in audiences.py, where the
    defaults are)."""

    name: str
    origin: Path
    description: str
    marking: str
    include_restricted: bool
    depth: str
    max_pages: int | None
    bullets_per_area: int
    upcoming_limit: int | None
    talking_points: bool
    word_chart: str
    sections: tuple[str, ...]
    verdicts: bool
    notes: bool
    area_body: bool
    all_sources: bool | None
    layout: str
    key_figures: tuple[str, ...]
    chronology_years: int | None
    chronology_limit: int | None
    chronology_kinds: tuple[str, ...]
    files: tuple[Path, ...] = ()  # its file and those it extends: what a document for it is made from
