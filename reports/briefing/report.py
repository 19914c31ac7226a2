"""Builds the format-neutral briefing model from a dossier, its indicators and one audience.

This is the only stage that decides what a reader sees: which sections, which facts, which words,
and the number under which each source is cited. Renderers only draw what it returns. The sections are built
by `reports/briefing/sections/`, in the order the audience names them, so that sources are numbered in the
order a reader meets them; the words come from `words.py`, the cover and metadata from `context.py`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reports.briefing.audience_config import AudienceConfig
from reports.briefing.context import BriefingContext, briefing, briefing_context
from reports.briefing.model import Briefing
from reports.briefing.sections import SECTIONS_BY_KEY
from reports.briefing.sections.sources import source_entries, sources_section
from reports.dossier.model import Dossier
from reports.indicators import Indicators
from reports.locale.labels import load_translations


def build_report(ctx: BriefingContext) -> Briefing:
    """The regular briefing: the audience's sections in its order, the sources last."""
    w = ctx.words
    kinds = [SECTIONS_BY_KEY[key] for key in ctx.audience.sections]
    built = [kind.build(ctx) for kind in kinds if kind.builder is not None]
    sections = [section for section in built if section is not None]
    sources = source_entries(ctx)
    if "sources" in ctx.audience.sections:
        sections.append(sources_section(ctx, sources))
    return briefing(
        ctx,
        title=w.title(ctx.dossier),
        subtitle=w._("{audience} briefing", audience=w.audience_word(ctx.audience.name)),
        sections=sections,
        sources=sources,
        keywords=(w.pgettext("document keyword", "bilateral relations"), w.pgettext("document keyword", "trade")),
    )


def build_briefing(
    dossier: Dossier,
    indicators: Indicators,
    audience: AudienceConfig,
    lang: str,
    template_dirs: list[Path],
    since: dt.date | None = None,
) -> Briefing:
    translations = load_translations(lang, template_dirs)
    return build_report(briefing_context(dossier, indicators, audience, lang, translations, since=since))
