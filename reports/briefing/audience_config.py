"""What one audience sees (`AudienceConfig`), as `audiences.py` reads it from the audience's YAML file: a value the
briefing builders read, below them, while the reading of the files sits above the sections it checks names against."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reports.dossier.vocabulary import EVENT_KINDS

KEY_FIGURES = ("turnover", "year_to_date", "growth", "partner_growth", "average_growth", "change", "balance", "targets")


@dataclass(frozen=True)
class AudienceConfig:
    """What one audience sees: which sections, how deep, under which marking, restricted material or not."""

    name: str
    description: str
    marking: str
    include_restricted: bool
    depth: str
    sections: tuple[str, ...]
    origin: Path
    max_pages: int | None = None
    bullets_per_area: int = 6
    upcoming_limit: int | None = None  # show only the next N upcoming events
    talking_points: bool = True  # a pre-summit pack's points to make and to expect: internal positions
    word_chart: str = "native"  # the Word file's chart: "native" (editable in Word) or "picture" (the PDF's, as PNG)
    verdicts: bool = True  # status words that judge: a target "missed" or "behind", a commitment "delayed"
    notes: bool = True  # the dossier's `note` texts: analysts' working notes on trade rows
    area_body: bool = True  # an area's Markdown body and its sources line (depth `full` only)
    layout: str = "report"  # "note" or "report"; by default "note" at depth `summary`, else "report"
    all_sources: bool | None = None  # list every source published by the date, not only the cited; None: at depth `full`
    key_figures: tuple[str, ...] = KEY_FIGURES  # which key figures, in this order
    chronology_years: int | None = None  # the chronology's last N calendar years only
    chronology_limit: int | None = None  # the chronology's latest N events only
    chronology_kinds: tuple[str, ...] = EVENT_KINDS  # the kinds of event the chronology shows
    files: tuple[Path, ...] = ()  # its file and those it extends: what a document for it is made from
