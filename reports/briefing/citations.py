"""Source numbering shared by every section of one briefing, so `[n]` means the same source throughout."""

from __future__ import annotations

from reports.briefing.model import Inline, Span, cite_text
from reports.dossier.model import Dossier


class Citations:
    """Numbers sources in the order a reader first meets them; `[n]` in the text, n in the sources list."""

    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self.numbers: dict[str, int] = {}

    def number(self, source_id: str) -> int:
        return self.numbers.setdefault(source_id, len(self.numbers) + 1)

    def marks(self, *source_ids: str) -> Inline:
        """One mark for the sources given, merged and sorted (`[2, 3]`), never `[3][2]`; an empty id (a source not
        yet published on the as-of date) has none, and no source at all gives no mark."""
        numbers = tuple(sorted({self.number(s) for s in dict.fromkeys(source_ids) if s}))
        return (Span(cite_text(numbers), cites=numbers),) if numbers else ()
