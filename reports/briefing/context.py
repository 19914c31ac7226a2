"""What every section builder reads: the dossier as one audience sees it in one language, the indicators, the
audience, the words and the citations of one briefing (`BriefingContext`), and the Briefing around the sections
(cover, metadata, layout), which the report and the pack share.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass, replace

from reports import __version__
from reports.briefing.audience_config import AudienceConfig
from reports.briefing.citations import Citations
from reports.briefing.model import Briefing, Section, SourceEntry
from reports.briefing.words import Words
from reports.dossier.as_of import as_of_view, published_by
from reports.dossier.languages import languages_in, tagged, texts_in
from reports.dossier.model import Area, Brief, Dossier, Record, in_language
from reports.dossier.vocabulary import SOURCE_LANGUAGE, TRANSLATABLE
from reports.indicators import Indicators, TargetProgress


def localized(dossier: Dossier, lang: str) -> Dossier:
    """The dossier in `lang`: every free text (TRANSLATABLE) from its `<field>_<lang>`, else from the first language of
    the fallback chain that gives it, else as written, the last two marked with their language (`in_language`,
    reports/dossier/languages.py); areas and pack notes likewise by file (`areas/<id>.<lang>.md`). An event's place
    written as a partner's name, without a `place_<lang>`, is said as that partner's name in `lang`. A source's title
    and publisher are taken in `lang` where given and otherwise kept as published, unmarked. The records keep their
    translations, so a renderer can still tell a translated text from an original one."""
    if lang == SOURCE_LANGUAGE:
        return dossier
    chain = dossier.languages.chain(lang)

    def shown(record: Record, kind: str) -> Record:
        return shown_in(record, kind, lang, chain)

    partners = (shown(dossier.partners[0], "partner"), shown(dossier.partners[1], "partner"))
    places = {old.name: new.name for old, new in zip(dossier.partners, partners, strict=True)}
    events = tuple(
        replace(shown(e, "event"), place=places[e.place])
        if e.place in places and not e.translations.get(lang, {}).get("place")
        else shown(e, "event")
        for e in dossier.events
    )  # a place that is a partner's name is that partner's name in `lang` (or as it fell back), before any chain's
    return replace(
        in_language(dossier, lang),  # its title: the briefing makes one in `lang` where the dossier has none (Words.title)
        partners=partners,
        events=events,
        areas=tuple(_area_in(area, lang, chain) for area in dossier.areas),
        sources={key: in_language(source, lang) for key, source in dossier.sources.items()},
        targets=tuple(in_language(t, lang) for t in dossier.targets),  # else stated in the catalog's words (figures.py)
        trade=tuple(shown(row, "trade") for row in dossier.trade),
        trade_mirror=tuple(shown(row, "trade") for row in dossier.trade_mirror),
        trade_ytd=tuple(shown(row, "trade") for row in dossier.trade_ytd),
        commitments=tuple(shown(c, "commitment") for c in dossier.commitments),
        people=tuple(shown(p, "person") for p in dossier.people),
        briefs=tuple(_brief_in(b, lang, chain) for b in dossier.briefs),
    )


def shown_in(record: Record, kind: str, lang: str, chain: tuple[str, ...]) -> Record:
    """A record of `kind` (TRANSLATABLE) with its texts in `lang`, else from `chain`, else as written and marked."""
    if lang == SOURCE_LANGUAGE:
        return record
    return in_language(record, lang, chain, TRANSLATABLE[kind])


def _area_in(area: Area, lang: str, chain: tuple[str, ...]) -> Area:
    """The area's title, summary and key facts from `areas/<id>.<lang>.md`, else from the chain's first language
    that has the file, else as written, marked with their language when it is not `lang`. The body likewise, from the
    first of them whose body is not empty (a translation may give the short texts only); `text_lang` is its language
    when it is not `lang`, for the body's blocks to carry (`marked_blocks`)."""
    given = next((other for other in (lang, *chain) if other in area.translations), None)
    text = area.translations[given] if given else None
    title, summary = (text.title, text.summary) if text else (area.title, area.summary)
    facts = text.key_fact_texts if text and text.key_fact_texts else tuple(fact.text for fact in area.key_facts)
    mark = "" if given == lang else given or SOURCE_LANGUAGE
    bodies = {other: text.body for other, text in area.translations.items() if text.body.strip()}
    body_from = next((other for other in (lang, *chain) if other in bodies), None)
    body = bodies[body_from] if body_from else area.body

    def marked(words: str) -> str:
        return tagged(words, mark) if mark else words

    return replace(
        area,
        title=marked(title),
        summary=marked(summary),
        key_facts=tuple(replace(fact, text=marked(words)) for fact, words in zip(area.key_facts, facts, strict=True)),
        body=body,
        text_lang="" if body_from == lang else body_from or SOURCE_LANGUAGE,
    )


def _brief_in(brief: Brief, lang: str, chain: tuple[str, ...]) -> Brief:
    """A pack's notes from `briefs/<event>.<lang>.md`, else from the chain, else as written (`text_lang` says which)."""
    given = next((other for other in (lang, *chain) if brief.translations.get(other)), None)
    sections = brief.translations[given] if given else brief.sections
    return replace(brief, sections=sections, text_lang="" if given == lang else given or SOURCE_LANGUAGE)


@dataclass(frozen=True)
class BriefingContext:
    """One briefing's inputs; `citations` numbers sources as the sections cite them, so build them in reading order."""

    dossier: Dossier  # localized, as of the as-of date, and without restricted material unless the audience includes it
    indicators: Indicators
    audience: AudienceConfig
    words: Words
    citations: Citations
    since: dt.date | None = None  # `--since`: the document says what changed after this date (sections/since.py)
    left_out: int = 0  # items the view leaves out for citing sources published after the as-of date

    @property
    def lang(self) -> str:
        return self.words.lang

    def shown(self, record: Record, kind: str) -> Record:
        """A record as the indicators hold it (as written), with its texts in the briefing's language (`localized`)."""
        return shown_in(record, kind, self.lang, self.dossier.languages.chain(self.lang))

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
    lines: tuple[str, ...] = (line, *sources_freshness(context))
    if (context.as_of - dt.date(indicators.latest_year, 12, 31)).days > STALE_AFTER_DAYS:
        lines += (
            w._(
                "Warning: the latest annual trade figure is for {year}, more than 15 months before this date; "
                "newer statistics may have been published.",
                year=indicators.latest_year,
            ),
        )
    return lines


def language_notes(context: BriefingContext, shown: object) -> tuple[str, ...]:
    """The cover's word on the language of the texts: once for each other language some text `shown` (the sections)
    fell back to, and once if the dossier marks its translation into this language as a draft."""
    w = context.words
    said = {
        "ru": lambda: w._("Some texts are given in Russian."),
        "en": lambda: w._("Some texts are given in English."),
        "kk": lambda: w._("Some texts are given in Kazakh."),
        "uz": lambda: w._("Some texts are given in Uzbek."),
    }
    found = sorted({lang for text in texts_in(shown) for lang in languages_in(text)} - {context.lang})
    lines = tuple(
        said[lang]() if lang in said else w._("Some texts are given in another language ({language}).", language=lang)
        for lang in found
    )
    if context.lang in context.dossier.languages.drafts:
        lines += (w._("The dossier's texts in this language are a draft translation that has not yet been reviewed."),)
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
    """ "Sources up to <date of the newest source out by the as-of date>", and a warning when that is more than
    SOURCES_STALE_AFTER_DAYS before it: statuses and upcoming events may have moved since."""
    w, dossier = context.words, context.dossier
    out = [s.date for s in dossier.sources.values() if published_by(dossier, s.id, context.as_of)]
    if not out:
        return (w._("No source in the dossier was published by this date."),)
    newest = max(out, key=lambda date: date.last_day)
    lines: tuple[str, ...] = (w._("Sources up to {date}.", date=w.date(newest)),)
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
    since: dt.date | None = None,
) -> BriefingContext:
    """`pack_event`: the event of the pack being built, which the view keeps whatever its date."""
    dossier, left_out = audience_view(dossier, audience, lang, indicators.as_of, pack_event)
    words = Words(dossier, lang, translations)
    return BriefingContext(dossier, indicators, audience, words, Citations(dossier), since, left_out)


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
        cover_lines=(*cover_lines, *freshness(context), provenance, *language_notes(context, (title, cover_lines, sections))),
        sections=tuple(sections),
        sources=sources,
        left_out=context.left_out,
        labels=w.fixed_labels(),
        author=f"reports {__version__}",
        keywords=(partners[0].name, partners[1].name, *keywords, dossier.id),
        layout=audience.layout,
        max_pages=audience.max_pages,
        word_chart=audience.word_chart,
    )
