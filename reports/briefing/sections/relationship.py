"""The relationship in a short paragraph, said from the dossier's own records: how often the leaders have met on
bilateral visits since the base year, the latest of them, and the areas the two countries cooperate in."""

from __future__ import annotations

from reports.briefing.context import BriefingContext
from reports.briefing.model import Paragraph, Section, Span
from reports.dossier.as_of import chronology_events
from reports.dossier.vocabulary import LEADERS_MEETING_KINDS

BILATERAL_VISITS = LEADERS_MEETING_KINDS[:3]  # state, official and working visits: a summit is many countries'


def relationship(ctx: BriefingContext) -> Section | None:
    w, dossier = ctx.words, ctx.dossier
    first, second = (w.name(p) for p in dossier.partners)  # a catalog may decline them: {first:gent}
    sentences = []
    visits = [
        e
        for e in chronology_events(dossier, ctx.as_of)
        if e.kind in BILATERAL_VISITS and e.status in ("", "held") and e.date.first_day.year >= dossier.base_year
    ]
    if visits:
        latest = visits[-1]
        sentences.append(
            w.ngettext(
                "Since {base_year} the leaders of {first} and {second} have met on {count} bilateral visit; "
                "the latest: {title}, {date}.",
                "Since {base_year} the leaders of {first} and {second} have met on {count} bilateral visits; "
                "the latest: {title}, {date}.",
                len(visits),
                count=len(visits),
                first=first,
                second=second,
                title=latest.title,
                date=w.when(latest),
            )
        )
    areas = sorted(dossier.areas, key=lambda a: (a.order, a.id))
    if areas:
        sentences.append(
            w.ngettext(
                "Their cooperation covers {count} area: {areas}.",
                "Their cooperation covers {count} areas: {areas}.",
                len(areas),
                count=len(areas),
                areas="; ".join(a.title for a in areas),
            )
        )
    if not sentences:
        return None
    return Section("relationship", w._("The relationship"), 1, (Paragraph((Span(" ".join(sentences)),), "lead"),))
