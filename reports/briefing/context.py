"""What every section builder reads: the dossier as one audience sees it in one language, the indicators, the
audience, the words and the citations of one briefing (`BriefingContext`), and the Briefing around the sections
(cover, metadata, layout), which the report and the pack share.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass, replace

from reports import __version__
from reports.briefing.audiences import AudienceConfig
from reports.briefing.citations import Citations
from reports.briefing.model import Briefing, Section, SourceEntry
from reports.briefing.words import Words
from reports.dossier.as_of import as_of_view, published_by
from reports.dossier.model import Dossier, in_language
from reports.indicators import Indicators, TargetProgress
from reports.locale.labels import SOURCE_LANGUAGE


def localized(dossier: Dossier, lang: str) -> Dossier:
    """The dossier in `lang` wherever it gives the text: every record's `<field>_<lang>` texts (`in_language`),
    `areas/<id>.<lang>.md` and `briefs/<event>.<lang>.md`; every other text stays as written (English). An event's
    place written as a partner's name, without a `place_<lang>`, is said as that partner's name in `lang`. The
    records keep their translations, so a renderer can still tell a translated text from an original one."""
    if lang == SOURCE_LANGUAGE:
        return dossier
    partners = tuple(in_language(p, lang) for p in dossier.partners)
    places = {old.name: new.name for old, new in zip(dossier.partners, partners, strict=True)}
    events = tuple(in_language(replace(e, place=places.get(e.place, e.place)), lang) for e in dossier.events)
    areas = []
    for area in dossier.areas:
        text = area.translations.get(lang)
        if text is not None:
            texts = text.key_fact_texts or tuple(fact.text for fact in area.key_facts)  # none translated: as written
            facts = tuple(replace(fact, text=words) for fact, words in zip(area.key_facts, texts, strict=True))
            area = replace(area, title=text.title, summary=text.summary, key_facts=facts, body=text.body)
        areas.append(area)
    return replace(
        in_language(dossier, lang),
        partners=partners,
        events=events,
        areas=tuple(areas),
        sources={key: in_language(source, lang) for key, source in dossier.sources.items()},
        targets=tuple(in_language(t, lang) for t in dossier.targets),
        trade=tuple(in_language(row, lang) for row in dossier.trade),
        trade_mirror=tuple(in_language(row, lang) for row in dossier.trade_mirror),
        trade_ytd=tuple(in_language(row, lang) for row in dossier.trade_ytd),
        commitments=tuple(in_language(c, lang) for c in dossier.commitments),
        people=tuple(in_language(p, lang) for p in dossier.people),
        briefs=tuple(replace(b, sections=b.translations.get(lang) or b.sections) for b in dossier.briefs),
    )


@dataclass(frozen=True)
class BriefingContext:
    """One briefing's inputs; `citations` numbers sources as the sections cite them, so build them in reading order."""

    dossier: Dossier  # localized, as of the as-of date, and without restricted material unless the audience includes it
    indicators: Indicators
    audience: AudienceConfig
    words: Words
    citations: Citations

    @property
    def lang(self) -> str:
        return self.words.lang

    @property
    def as_of(self) -> dt.date:
        return self.indicators.as_of

    @property
    def full(self) -> bool:
        return self.audience.depth == "full"

    @property
    def live_targets(self) -> tuple[TargetProgress, ...]:
        return live_targets(self.indicators.targets, self.as_of)

    @property
    def earlier_targets(self) -> tuple[TargetProgress, ...]:
        """The targets a later one replaced (the ministry report lists them once)."""
        return tuple(p for p in self.indicators.targets if p not in self.live_targets)

    def numbers(self, source_ids: tuple[str, ...]) -> tuple[int, ...]:
        """Numbers the sources in the order given and returns their numbers in ascending order: `[1] [2] [3]`."""
        return tuple(sorted({self.citations.number(s) for s in source_ids}))


def live_targets(targets: tuple[TargetProgress, ...], as_of: dt.date) -> tuple[TargetProgress, ...]:
    """The targets progress is weighed against: all but those a later one replaced. A target is replaced once its
    year is over and a target on the same metric set after it reaches further ($5 bn by 2020, once $10 bn by
    2030 is set); milestones on the way ($150 m by 2026 beside $300 m by 2030) both stay live."""

    def replaced(p: TargetProgress) -> bool:
        if p.target.year is None or p.target.year >= as_of.year:
            return False
        return any(
            o.target.metric == p.target.metric
            and o.target.set_on.first_day > p.target.set_on.first_day
            and (o.target.year is None or o.target.year > p.target.year)
            for o in targets
        )

    return tuple(p for p in targets if not replaced(p))


SOURCES_STALE_AFTER_DAYS = 90  # a dossier whose newest source is older than this may miss news of statuses and plans
STALE_AFTER_DAYS = 456  # about 15 months after the end of the latest full year: newer statistics are likely out


def freshness(context: BriefingContext) -> tuple[str, ...]:
    """The cover's word on how current the figures are: the latest full and partial year used, and a plain warning
    when the latest annual figure is old at the as-of date, so that a stale dossier is visible."""
    w, indicators = context.words, context.indicators
    if indicators.latest_year is None:
        return (w._("No annual trade figure is known on this date."), *sources_freshness(context))
    line = w._("Latest full year of trade figures: {year}.", year=indicators.latest_year)
    if indicators.ytd is not None:
        line += " " + w._("Year in progress: {period}.", period=w.months(indicators.ytd.row.year, indicators.ytd.row.months))
    lines = (line,)
    lines += sources_freshness(context)
    if (context.as_of - dt.date(indicators.latest_year, 12, 31)).days > STALE_AFTER_DAYS:
        lines += (
            w._(
                "Warning: the latest annual trade figure is for {year}, more than 15 months before this date; "
                "newer statistics may have been published.",
                year=indicators.latest_year,
            ),
        )
    return lines


def audience_view(
    dossier: Dossier, audience: AudienceConfig, lang: str, as_of: dt.date, pack_event: str | None = None
) -> tuple[Dossier, int]:
    """The dossier as one audience sees it in one language on the as-of date, and how many items it leaves out for
    citing sources published after that date. Localized first: it pairs area facts by position."""
    dossier = localized(dossier, lang)
    dossier = dossier if audience.include_restricted else dossier.without_restricted()
    dossier = dossier if audience.notes else dossier.without_notes()
    return as_of_view(dossier, as_of, pack_event)


def sources_freshness(context: BriefingContext) -> tuple[str, ...]:
    """"Sources up to <date of the newest source out by the as-of date>", and a warning when that is more than
    SOURCES_STALE_AFTER_DAYS before it: statuses and upcoming events may have moved since."""
    w, dossier = context.words, context.dossier
    out = [s.date for s in dossier.sources.values() if published_by(dossier, s.id, context.as_of)]
    if not out:
        return (w._("No source in the dossier was published by this date."),)
    newest = max(out, key=lambda date: date.last_day)
    lines = (w._("Sources up to {date}.", date=w.date(newest)),)
    if (context.as_of - newest.last_day).days > SOURCES_STALE_AFTER_DAYS:
        lines += (
            w._(
                "No source newer than {date}: statuses and upcoming events may be out of date.",
                date=w.date(newest),
            ),
        )
    return lines


def briefing_context(
    dossier: Dossier,
    indicators: Indicators,
    audience: AudienceConfig,
    lang: str,
    translations: gettext.NullTranslations,
    pack_event: str | None = None,
) -> BriefingContext:
    """`pack_event`: the event of the pack being built, which the view keeps whatever its date."""
    dossier, _ = audience_view(dossier, audience, lang, indicators.as_of, pack_event)
    return BriefingContext(dossier, indicators, audience, Words(dossier, lang, translations), Citations(dossier))


def briefing(
    context: BriefingContext,
    title: str,
    subtitle: str,
    sections: list[Section],
    sources: tuple[SourceEntry, ...],
    keywords: tuple[str, ...],
    cover_lines: tuple[str, ...] = (),
) -> Briefing:
    """The Briefing around a builder's sections: what every kind of briefing shares (cover, metadata, layout)."""
    dossier, audience, w = context.dossier, context.audience, context.words
    partners = dossier.partners
    provenance = w._(  # whose statistics the figures are, in words a reader uses
        "Trade figures are the national statistics of {reporter}, in {currency}, except where marked as {other} statistics."
    )
    return Briefing(
        dossier_id=dossier.id,
        audience=audience.name,
        lang=context.lang,
        title=title,
        subtitle=subtitle,
        marking=w.marking(audience.marking),
        as_of=w._("As of {date}", date=w.date(context.as_of)),
        issued=context.as_of.isoformat(),
        cover_lines=(*cover_lines, *freshness(context), provenance),
        sections=tuple(sections),
        sources=sources,
        labels=w.fixed_labels(),
        author=f"reports {__version__}",
        keywords=(partners[0].name, partners[1].name, *keywords, dossier.id),
        depth="summary" if audience.layout == "note" else "full",  # the renderers' word for the layout
        max_pages=audience.max_pages,
        word_chart=audience.word_chart,
    )
