"""Builds the format-neutral briefing model from a dossier, its indicators and one audience.

This is the only stage that decides what a reader sees: which sections, which facts, which words,
and the number under which each source is cited. Renderers only draw what it returns.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from markdown_it import MarkdownIt

from reports import __version__
from reports.briefing.audiences import AudienceConfig
from reports.briefing.citations import Citations
from reports.briefing.model import (
    Block,
    Briefing,
    Chart,
    ChartSeries,
    Column,
    Inline,
    ItemList,
    KeyFigure,
    KeyFigures,
    ListItem,
    Paragraph,
    Section,
    SourceEntry,
    Span,
    Table,
)
from reports.dossier.dates import FuzzyDate
from reports.dossier.model import Area, Dossier, Event, KeyFact, TradeRow
from reports.indicators import Indicators, TargetProgress
from reports.locale.formatting import (
    currency_name,
    format_date,
    format_date_range,
    format_money,
    format_multiple,
    format_number,
    format_percent,
    format_quantity,
    money_unit,
)
from reports.locale.labels import N_, SOURCE_LANGUAGE, load_translations

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
# The built-in audiences' markings (templates/audiences/*.yaml): in the catalog, translated when a briefing is built.
BUILTIN_MARKINGS = (N_("FOR OFFICIAL USE ONLY"), N_("PUBLIC"))


def tidy(text: str) -> str:
    """One full stop where a sentence ends on an abbreviation: `… 2025 г..` → `… 2025 г.` (an ellipsis `...` stays)."""
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)


def localized(dossier: Dossier, lang: str) -> Dossier:
    """The dossier in `lang` where it provides the text (partner `name_<lang>`, event `title_<lang>` and
    `summary_<lang>`, `areas/<id>.<lang>.md`); every other text stays as written (English), except that an event's
    place that is a partner's name is said as that partner's name in `lang`."""
    if lang == SOURCE_LANGUAGE:
        return dossier
    partners = tuple(replace(p, name=getattr(p, f"name_{lang}", None) or p.name) for p in dossier.partners)
    places = {old.name: new.name for old, new in zip(dossier.partners, partners, strict=True)}
    events = tuple(
        replace(
            e,
            title=getattr(e, f"title_{lang}", "") or e.title,
            summary=getattr(e, f"summary_{lang}", "") or e.summary,
            place=places.get(e.place, e.place),
        )
        for e in dossier.events
    )
    areas = []
    for area in dossier.areas:
        text = area.translations.get(lang)
        if text is not None:
            facts = tuple(replace(fact, text=words) for fact, words in zip(area.key_facts, text.key_fact_texts, strict=True))
            area = replace(area, title=text.title, summary=text.summary, key_facts=facts, body=text.body)
        areas.append(area)
    return replace(dossier, partners=partners, events=events, areas=tuple(areas))


class BriefingBuilder:
    """One briefing: a method per section id of `audiences.SECTIONS`."""

    def __init__(
        self,
        dossier: Dossier,
        indicators: Indicators,
        audience: AudienceConfig,
        lang: str,
        translations: gettext.NullTranslations,
    ):
        self.lang = lang
        self.translations = translations
        dossier = localized(dossier, lang)
        self.dossier = dossier if audience.include_restricted else dossier.without_restricted()
        self.indicators = indicators
        self.audience = audience
        self.citations = Citations(self.dossier)
        self.as_of = indicators.as_of
        reporter, other = self.dossier.reporter_partner, self.dossier.other_partner
        self.words = {  # every message may use these
            "reporter": reporter.name,
            "other": other.name,
            "currency": currency_name(self.dossier.currency, lang, translations),
            "unit": money_unit(self.dossier.unit, lang, translations),
            "base_year": self.dossier.base_year,
        }

    # ------------------------------------------------------------ small helpers

    def _(self, message: str, **values: object) -> str:
        """The message in the briefing's language (the catalogs of `reports/labels.py`), its `{placeholders}` filled in."""
        return tidy(self.translations.gettext(message).format(**{**self.words, **values}))

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return tidy(self.translations.ngettext(singular, plural, n).format(**{**self.words, **values}))

    def pgettext(self, context: str, message: str, **values: object) -> str:
        return tidy(self.translations.pgettext(context, message).format(**{**self.words, **values}))

    def money(self, value: float | None) -> str:
        return format_money(value, self.dossier.unit, self.dossier.currency, self.lang, self.translations)

    def percent(self, value: float | None, signed: bool = False) -> str:
        return format_percent(value, self.lang, signed, self.translations)

    def date(self, value: FuzzyDate | dt.date | None) -> str:
        return format_date(value, self.lang, self.translations)

    def date_range(self, start: FuzzyDate, end: FuzzyDate | None) -> str:
        return format_date_range(start, end, self.lang, self.translations)

    # ------------------------------------------------------------ words that stand for a value of the data

    def trade_status_word(self, status: str) -> str:
        return {
            "official": self.pgettext("status of a trade figure", "official"),
            "preliminary": self.pgettext("status of a trade figure", "preliminary"),
            "estimate": self.pgettext("status of a trade figure", "estimate"),
        }[status]

    def target_status_word(self, status: str) -> str:
        return {
            "met": self.pgettext("status of a target", "met"),
            "open": self.pgettext("status of a target", "open (no deadline)"),
            "missed": self.pgettext("status of a target", "missed"),
            "on_track": self.pgettext("status of a target", "on track"),
            "behind": self.pgettext("status of a target", "behind"),
            "unknown": self.pgettext("status of a target", "unknown"),
        }[status]

    def commitment_status_word(self, status: str) -> str:
        return {
            "done": self.pgettext("status of a commitment", "done"),
            "on_track": self.pgettext("status of a commitment", "on track"),
            "in_progress": self.pgettext("status of a commitment", "in progress"),
            "delayed": self.pgettext("status of a commitment", "delayed"),
            "not_started": self.pgettext("status of a commitment", "not started"),
            "unknown": self.pgettext("status of a commitment", "unknown"),
        }[status]

    def kind_word(self, kind: str) -> str:
        return {
            "state_visit": self.pgettext("kind of event", "state visit"),
            "official_visit": self.pgettext("kind of event", "official visit"),
            "working_visit": self.pgettext("kind of event", "working visit"),
            "summit": self.pgettext("kind of event", "summit"),
            "agreement": self.pgettext("kind of event", "agreement"),
            "commission": self.pgettext("kind of event", "commission"),
            "forum": self.pgettext("kind of event", "forum"),
            "parliamentary": self.pgettext("kind of event", "parliamentary"),
            "ministerial": self.pgettext("kind of event", "ministerial"),
            "cultural": self.pgettext("kind of event", "cultural"),
            "other": self.pgettext("kind of event", "other"),
        }[kind]

    def metric_word(self, metric: str) -> str:
        """`turnover`, `exports`, `imports`: the metric of a target, on its own (`товарооборот`)."""
        return {
            "turnover": self.pgettext("metric of a target", "turnover"),
            "exports": self.pgettext("metric of a target", "exports"),
            "imports": self.pgettext("metric of a target", "imports"),
        }[metric]

    def audience_word(self, name: str) -> str:
        """The audience as a subtitle names it (`Leadership`; Russian `для руководства`); another audience by its name."""
        builtin = {
            "leadership": self.pgettext("audience, in a subtitle", "Leadership"),
            "ministry": self.pgettext("audience, in a subtitle", "Ministry"),
            "press": self.pgettext("audience, in a subtitle", "Press"),
        }
        lookup = self.translations.pgettext  # an organization's catalog may name its own audiences
        return builtin.get(name) or lookup("audience, in a subtitle", name.capitalize())

    def marking(self) -> str:
        """The audience's marking in the briefing's language, when the catalog has it (BUILTIN_MARKINGS)."""
        lookup = self.translations.gettext
        return lookup(self.audience.marking)

    def title(self) -> str:
        """The dossier's title; in another language than English, made from the partners' names (the dossier has no
        translated title)."""
        if self.lang == SOURCE_LANGUAGE:
            return self.dossier.title
        first, second = (p.name for p in self.dossier.partners)
        return self._("{first}–{second} relations", first=first, second=second)

    def fixed_labels(self) -> dict[str, str]:
        """The words renderers draw themselves: contents, the page footer, the sources heading, Word captions."""
        return {
            "contents": self._("Contents"),
            "page": self.pgettext("page footer: Page 1 of 3", "Page"),
            "of": self.pgettext("page footer: Page 1 of 3", "of"),
            "sources": self._("Sources"),
            # Translators: a Word caption; {number} is the figure's number, {caption} its text.
            "caption_figure": self.translations.gettext("Figure {number}: {caption}"),
            # Translators: a Word caption; {number} is the table's number, {caption} its text.
            "caption_table": self.translations.gettext("Table {number}: {caption}"),
        }

    @property
    def full(self) -> bool:
        return self.audience.depth == "full"

    # ------------------------------------------------------------ the briefing

    def build(self) -> Briefing:
        builders: dict[str, Callable[[], Section | None]] = {
            "key_figures": self.key_figures,
            "trade": self.trade,
            "targets": self.targets,
            "areas": self.areas,
            "commitments": self.commitments,
            "chronology": self.chronology,
            "upcoming": self.upcoming,
        }
        sections = [builders[name]() for name in self.audience.sections if name != "sources"]
        sections = [s for s in sections if s is not None]
        sources = self.source_entries()
        if "sources" in self.audience.sections:
            sections.append(self.sources_section(sources))
        return self.briefing(
            title=self.title(),
            subtitle=self._("{audience} briefing", audience=self.audience_word(self.audience.name)),
            sections=sections,
            sources=sources,
            keywords=(self.pgettext("document keyword", "bilateral relations"), self.pgettext("document keyword", "trade")),
        )

    def briefing(
        self,
        title: str,
        subtitle: str,
        sections: list[Section],
        sources: tuple[SourceEntry, ...],
        keywords: tuple[str, ...],
        cover_lines: tuple[str, ...] = (),
    ) -> Briefing:
        """The Briefing around a builder's sections: what every kind of briefing shares (cover, metadata, layout)."""
        partners = self.dossier.partners
        provenance = self._(
            "Prepared from the dossier '{dossier}'; trade figures are {reporter} statistics in {currency}.",
            dossier=self.dossier.id,
            reporter=self.dossier.reporter_partner.name,
        )
        return Briefing(
            dossier_id=self.dossier.id,
            audience=self.audience.name,
            lang=self.lang,
            title=title,
            subtitle=subtitle,
            marking=self.marking(),
            as_of=self._("As of {date}", date=self.date(self.as_of)),
            issued=self.as_of.isoformat(),
            cover_lines=(*cover_lines, provenance),
            sections=tuple(sections),
            sources=sources,
            labels=self.fixed_labels(),
            author=f"reports {__version__}",
            keywords=(partners[0].name, partners[1].name, *keywords, self.dossier.id),
            depth=self.audience.depth,
            max_pages=self.audience.max_pages,
            word_chart=self.audience.word_chart,
        )

    def key_figures(self) -> Section:
        figures = self.indicators.figures
        series = {row.year: row for row in self.indicators.series}
        year = self.indicators.latest_year
        base_year = self.dossier.base_year
        items = []
        latest = figures["turnover_latest"]
        if latest.value is not None:
            items.append(
                KeyFigure(
                    self._("Trade turnover, {year}", year=year),
                    self.money(latest.value),
                    self._("{status} figure", status=self.trade_status_word(series[year].status)),
                    self._numbers(latest.sources),
                )
            )
        multiple = figures["growth_multiple"]
        if multiple.value is not None:
            base_row = series[base_year]
            base = self.money(base_row.turnover)
            if base_row.status != "official":
                base += ", " + self.trade_status_word(base_row.status)
            items.append(
                KeyFigure(
                    self._("Growth since {base_year}"),
                    format_multiple(multiple.value, self.lang),
                    self._(
                        "{growth_pct} since {base_year} ({base})",
                        growth_pct=self.percent(figures["growth_pct"].value, True),
                        base=base,
                    ),
                    self._numbers(multiple.sources),
                )
            )
        cagr = figures["cagr_pct"]
        if cagr.value is not None:
            items.append(
                KeyFigure(
                    self._("Average annual growth"),
                    self.percent(cagr.value),
                    self._("{base_year}–{year}, compound", year=year),
                    self._numbers(cagr.sources),
                )
            )
        yoy = figures["yoy_pct"]
        if yoy.value is not None:
            items.append(
                KeyFigure(
                    self._("Change on {previous_year}", previous_year=year - 1),
                    self.percent(yoy.value, True),
                    self._(
                        "{previous} in {previous_year}", previous=self.money(series[year - 1].turnover), previous_year=year - 1
                    ),
                    self._numbers(yoy.sources),
                )
            )
        balance = figures["balance"]
        if balance.value is not None:
            row = series[year]
            items.append(
                KeyFigure(
                    self._("{reporter} trade balance, {year}", year=year),
                    self.money(balance.value),
                    self._(
                        "exports {exports}, imports {imports}", exports=self.money(row.exports), imports=self.money(row.imports)
                    ),
                    self._numbers(balance.sources),
                )
            )
        for progress in self.indicators.targets:
            if progress.target.year is not None and progress.target.year < (year or 0):
                continue  # a target whose year has passed is told in the targets section, not headlined
            target = progress.target
            label = (
                self._("Target: {value} by {year}", value=self.money(target.value), year=target.year)
                if target.year
                else self._("Target: {value}", value=self.money(target.value))
            )
            items.append(
                KeyFigure(
                    label,
                    self.percent(progress.progress_pct),
                    self._(
                        "{progress} reached; {status}",
                        progress=self.money(progress.latest),
                        status=self.target_status_word(progress.status),
                    ),
                    self._numbers(progress.sources),
                )
            )
        return Section("key-figures", self._("Key figures"), 1, (KeyFigures(tuple(items)),))

    def _numbers(self, source_ids: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.citations.number(s) for s in source_ids)

    def trade(self) -> Section | None:
        table = self.indicators.table
        if not table:
            return None
        statuses = sorted({self.trade_status_word(row.row.status) for row in table})
        blocks: list[Block] = [
            Paragraph(
                (
                    Span(
                        self._(
                            "Trade as reported by {reporter} ({status_note}). Exports are {reporter}'s exports to {other}.",
                            status_note=", ".join(statuses),
                        )
                    ),
                ),
                "lead",
            )
        ]
        chart = self.chart()
        if chart is not None:
            blocks.append(chart)
        columns = (
            Column(self._("Year")),
            Column(self._("Exports to {other}"), True),
            Column(self._("Imports from {other}"), True),
            Column(self._("Turnover"), True),
            Column(self._("Change"), True),
            Column(self._("Status")),
            Column(self._("Source")),
        )
        rows = tuple(
            (
                (Span(str(y.row.year)),),
                (Span(format_number(y.row.exports, self.lang)),),
                (Span(format_number(y.row.imports, self.lang)),),
                (Span(format_number(y.row.turnover, self.lang)),),
                (Span(self.percent(y.yoy_pct, True)),),
                (Span(self.trade_status_word(y.row.status)),),
                self.citations.marks(y.row.source),
            )
            for y in table
        )
        blocks.append(
            Table(self._("Trade between {reporter} and {other}, {currency} {unit}, {reporter} statistics"), columns, rows)
        )
        years = [y.row.year for y in table]
        gaps = [str(year) for year in range(years[0], years[-1] + 1) if year not in years]
        if gaps:
            blocks.append(
                Paragraph(
                    (Span(self._("Years without a figure in the sources are left empty: {years}.", years=", ".join(gaps))),),
                    "note",
                )
            )
        if self.full:
            notes = tuple(
                ListItem((Span(f"{y.row.year}: ", bold=True), Span(y.row.note + " "), *self.citations.marks(y.row.source)))
                for y in table
                if y.row.note
            )
            if notes:
                blocks.append(ItemList(notes))
            blocks += self.mirror_blocks()
        return Section("trade", self._("Trade"), 1, tuple(blocks))

    def mirror_blocks(self) -> list[Block]:
        """Both sides' turnover per year, side by side with the gap in %: compared, never blended into one series."""
        mirror = {row.year: row for row in self.dossier.trade_mirror if row.year <= self.as_of.year}
        if not mirror:
            return []
        own = {row.year: row for row in self.dossier.trade if row.year <= self.as_of.year}

        def turnover(row: TradeRow | None) -> str:
            if row is None:
                return "–"
            text = format_number(row.turnover, self.lang)
            return text if row.status == "official" else f"{text} ({self.trade_status_word(row.status)})"

        columns = (
            Column(self._("Year")),
            Column(self._("{side} statistics", side=self.words["reporter"]), True),
            Column(self._("{side} statistics", side=self.words["other"]), True),
            Column(self._("Gap"), True),
            Column(self._("Source")),
        )
        rows = []
        for year in sorted(own.keys() | mirror.keys()):
            reported, mirrored = own.get(year), mirror.get(year)
            gap = (mirrored.turnover / reported.turnover - 1) * 100 if reported and mirrored and reported.turnover else None
            rows.append(
                (
                    (Span(str(year)),),
                    (Span(turnover(reported)),),
                    (Span(turnover(mirrored)),),
                    (Span(self.percent(gap, True)),),
                    self.citations.marks(*(row.source for row in (reported, mirrored) if row is not None)),
                )
            )
        gap_note = self._(
            "Gap: {other}'s figure against {reporter}'s, as a percentage of {reporter}'s. "
            "Figures marked estimate or preliminary are not final."
        )
        why = self._(
            "Why the figures differ: each side values its imports with freight and insurance (CIF) and its exports without "
            "(FOB); one side may count goods by country of origin and the other by country of consignment, so transit and "
            "re-exports through third countries fall differently; shipments crossing the border at the turn of a year are "
            "booked in different years; customs regimes and coverage (energy, electricity, gold) differ; and figures are "
            "revised after first publication. The two series are therefore shown side by side, never mixed, and every "
            "indicator uses {reporter} statistics."
        )
        return [
            Table(self._("Mirror statistics: turnover as each side records it, {currency} {unit}"), columns, tuple(rows)),
            Paragraph((Span(gap_note),), "note"),
            Paragraph((Span(why),), "note"),
        ]

    def chart_target(self) -> TargetProgress | None:
        """The target the chart shows: the latest set of those still ahead on the turnover metric."""
        ahead = [
            p
            for p in self.indicators.targets
            if p.target.metric == "turnover" and p.target.year and p.years_left and p.years_left > 0
        ]
        return max(ahead, key=lambda p: p.target.set_on.first_day, default=None)

    def chart(self) -> Chart | None:
        rows = self.indicators.series
        if not rows:
            return None
        target = self.chart_target()
        path: tuple[tuple[int, float], ...] = ()
        if target is not None and target.required_cagr_pct is not None:
            year = self.indicators.latest_year
            path = tuple(
                (y, target.latest * (1 + target.required_cagr_pct / 100) ** (y - year))
                for y in range(year, target.target.year + 1)
            )
        series = ChartSeries(
            years=tuple(r.year for r in rows),
            exports=tuple(r.exports for r in rows),
            imports=tuple(r.imports for r in rows),
            turnover=tuple(r.turnover for r in rows),
            exports_label=self._("{reporter} exports"),
            imports_label=self._("{reporter} imports"),
            turnover_label=self._("Turnover (no split)"),
            value_axis_label=self._("{currency} {unit}"),
            category_axis_label=self._("Year"),
            target_year=target.target.year if target else None,
            target_value=target.target.value if target else None,
            target_label=self._("Target: {value} by {year}", value=self.money(target.target.value), year=target.target.year)
            if target
            else "",
            required_path=path,
            required_label=self._("Required path"),
        )
        words = {
            "first": rows[0].year,
            "last": rows[-1].year,
            "last_year": rows[-1].year,
            "latest": self.money(rows[-1].turnover),
        }
        alt = (
            self._(
                "Bar chart of trade turnover from {first} to {last}; latest {latest} in {last_year}; {target}.",
                target=series.target_label,
                **words,
            )
            if target
            else self._("Bar chart of trade turnover from {first} to {last}; latest {latest} in {last_year}.", **words)
        )
        return Chart(self._("Turnover by year, {currency} {unit}, with the path required to reach the target"), alt, series)

    def targets(self) -> Section | None:
        if not self.indicators.targets:
            return None
        columns = (
            Column(self._("Target")),
            Column(self._("Set")),
            Column(self._("Latest"), True),
            Column(self._("Progress"), True),
            Column(self._("Needed a year"), True),
            Column(self._("Projected"), True),
            Column(self._("Status")),
        )
        rows = []
        paragraphs: list[Block] = []
        for progress in self.indicators.targets:
            target = progress.target
            name = self.target_label(progress)
            status = self.target_status_word(progress.status)
            rows.append(
                (
                    (Span(name), *self.citations.marks(target.source)),
                    (Span(self.date(target.set_on)),),
                    (Span(self.money(progress.latest)),),
                    (Span(self.percent(progress.progress_pct)),),
                    (Span(self.percent(progress.required_cagr_pct)),),
                    (Span(self.money(progress.projected)),),
                    (Span(status, bold=True),),
                )
            )
            if self.full:
                paragraphs.append(Paragraph(self.target_sentence(progress)))
        blocks = (Table("", columns, tuple(rows), role="targets"), *paragraphs)
        return Section("targets", self._("Where the targets stand"), 1, blocks)

    def target_label(self, progress: TargetProgress) -> str:
        """A target in a table cell: `$10 bn turnover, 2030`."""
        target = progress.target
        value, metric = self.money(target.value), self.metric_word(target.metric)
        if target.year is None:
            return self._("{value} {metric}", value=value, metric=metric)
        return self._("{value} {metric}, {year}", value=value, metric=metric, year=target.year)

    def target_description(self, progress: TargetProgress) -> str:
        """The dossier's description of a target; in another language, a sentence of the catalog (the dossier's
        description is English only)."""
        if self.lang == SOURCE_LANGUAGE:
            return progress.target.description
        return self._("The target: {target}.", target=self.target_label(progress))

    def target_sentence(self, progress: TargetProgress) -> Inline:
        target, year = progress.target, self.indicators.latest_year
        text = self._(
            "{description} Set {set_on}. {latest_year}: {latest} ({progress} of the target).",
            description=self.target_description(progress),
            set_on=self.date(target.set_on),
            latest_year=year,
            latest=self.money(progress.latest),
            progress=self.percent(progress.progress_pct),
        )
        if progress.required_cagr_pct is not None and progress.projected is not None:
            text += " " + self._(
                "Reaching it needs {required} a year from {latest_year}; "
                "the trend since {base_year} ({achieved} a year) would give {projected} in {year}.",
                required=self.percent(progress.required_cagr_pct),
                latest_year=year,
                achieved=self.percent(progress.achieved_cagr_pct),
                projected=self.money(progress.projected),
                year=target.year,
            )
        if progress.trend_reach_year is not None and progress.status in ("behind", "open"):
            text += " " + self._(
                "At that trend the target would be reached in {reach_year}.", reach_year=progress.trend_reach_year
            )
        status = self.target_status_word(progress.status)
        return (Span(status.capitalize() + ": ", bold=True), Span(text + " "), *self.citations.marks(*progress.sources))

    def areas(self) -> Section | None:
        areas = sorted(self.dossier.areas, key=lambda a: (a.order, a.id))
        children = [self.area_section(area) for area in areas]
        children = [c for c in children if c.blocks]
        if not children:
            return None
        return Section("areas", self._("Cooperation"), 1, (), tuple(children))

    def area_section(self, area: Area) -> Section:
        def item(fact: KeyFact) -> ListItem:  # numbers its source: only for the facts shown
            return ListItem((*self.fact_value(fact), Span(fact.text + " "), *self.citations.marks(fact.source)))

        if not self.full:
            lead = [ListItem((Span(area.summary),))] if len(area.key_facts) < 3 else []
            shown = [*lead, *area.key_facts][: self.audience.bullets_per_area]
            items = tuple(entry if isinstance(entry, ListItem) else item(entry) for entry in shown)
            blocks: tuple[Block, ...] = (ItemList(items),) if area.key_facts else ()
            return Section(f"area-{area.id}", area.title, 2, blocks)
        facts = [item(fact) for fact in area.key_facts]
        blocks = (Paragraph((Span(area.summary),), "lead"),)
        if facts:
            blocks += (ItemList(tuple(facts)),)
        blocks += markdown_blocks(area.body)
        if area.sources:
            blocks += (Paragraph((Span(self._("Sources") + ": "), *self.citations.marks(*area.sources)), "note"),)
        return Section(f"area-{area.id}", area.title, 2, blocks)

    def fact_value(self, fact: KeyFact) -> Inline:
        """A key fact's figure, bold in front of its text, so a reader scanning the list sees the numbers."""
        if fact.value is None:
            return ()
        return (Span(format_quantity(fact.value, fact.unit, self.lang, self.translations), bold=True), Span(" – "))

    def commitments(self) -> Section | None:
        commitments = sorted(self.dossier.commitments, key=lambda c: c.agreed_on)
        if not commitments:
            return None
        columns = (
            Column(self._("Commitment")),
            Column(self._("Agreed")),
            Column(self._("Due")),
            Column(self._("Status")),
        )
        rows = []
        for c in commitments:
            status = [Span(self.commitment_status_word(c.status), bold=True)]
            if c.status_as_of:
                status.append(Span(" (" + self._("as of {date}", date=self.date(c.status_as_of)) + ")"))
            rows.append(
                (
                    (Span(c.text + " "), *self.citations.marks(c.source)),
                    (Span(self.date(c.agreed_on)),),
                    (Span(self.date(c.due)),),
                    tuple(status),
                )
            )
        table = Table("", columns, tuple(rows), role="commitments")
        return Section("commitments", self._("Commitments and where they stand"), 1, (table,))

    def event_table(self, events: list[Event], caption: str, role: str) -> Table:
        columns = (Column(self._("Date")), Column(self._("Event")))
        rows = []
        for event in events:
            detail = self.kind_word(event.kind) + (f", {event.place}" if event.place else "")
            cell: list[Span] = [Span(event.title, bold=True), Span(f" ({detail}) ")]
            if event.summary and self.full:
                cell.append(Span(event.summary + " "))
            rows.append(((Span(self.date_range(event.date, event.end_date)),), (*cell, *self.citations.marks(event.source))))
        return Table(caption, columns, tuple(rows), role=role)

    def chronology(self) -> Section | None:
        past = sorted((e for e in self.dossier.events if e.date.first_day <= self.as_of), key=lambda e: e.date)
        if not past:
            return None
        caption = self._(
            "Events from {first} to {last}, oldest first", first=self.date(past[0].date), last=self.date(past[-1].date)
        )
        return Section("chronology", self._("Chronology"), 1, (self.event_table(past, caption, "chronology"),))

    def upcoming(self) -> Section:
        ahead = sorted((e for e in self.dossier.events if e.date.first_day > self.as_of), key=lambda e: e.date)
        if not ahead:
            return Section(
                "upcoming",
                self._("Upcoming events"),
                1,
                (Paragraph((Span(self._("No upcoming events are recorded in the dossier.")),)),),
            )
        limit = self.audience.upcoming_limit
        blocks: tuple[Block, ...] = (self.event_table(ahead[:limit], "", "chronology"),)
        if limit is not None and len(ahead) > limit:
            count = len(ahead) - limit
            more = self.ngettext(
                "… and {count} more event, on {date}.",
                "… and {count} more events, the last on {date}.",
                count,
                count=count,
                date=self.date(ahead[-1].date),
            )
            blocks += (Paragraph((Span(more),), "note"),)
        return Section("upcoming", self._("Upcoming events"), 1, blocks)

    def source_entries(self) -> tuple[SourceEntry, ...]:
        """Cited sources in citation order; a full-depth audience also lists the rest of the dossier's sources."""
        if self.full:
            for source_id in self.dossier.sources:
                self.citations.number(source_id)
        entries = []
        for source_id, number in self.citations.numbers.items():
            source = self.dossier.sources[source_id]
            entries.append(
                SourceEntry(number, source.id, source.title, source.publisher or "", self.date(source.date), source.url)
            )
        return tuple(entries)

    def sources_section(self, sources: tuple[SourceEntry, ...]) -> Section:
        rows = []
        for entry in sources:
            cell = [Span(entry.title, bold=True)]
            cell.append(Span(tidy(". " + ", ".join(part for part in (entry.publisher, entry.date) if part) + ".")))
            if entry.url:
                cell += [Span(" "), Span(entry.url, href=entry.url)]
            rows.append(((Span(f"[{entry.number}]"),), tuple(cell)))
        columns = (Column(self._("No.")), Column(self._("Source")))
        return Section("sources", self._("Sources"), 1, (Table("", columns, tuple(rows), role="sources"),))


def markdown_blocks(text: str) -> tuple[Block, ...]:
    """Area bodies: paragraphs, lists, bold, italic and links; raw HTML stays literal text."""
    tokens = MarkdownIt("commonmark", {"html": False}).parse(text)
    blocks, _ = _blocks(tokens, 0, None)
    return tuple(blocks)


def _blocks(tokens: list, index: int, closing: str | None) -> tuple[list, int]:
    """Blocks from `index` until the `closing` token type; returns them and the index after it."""
    blocks: list = []
    while index < len(tokens):
        token = tokens[index]
        if token.type == closing:
            return blocks, index + 1
        if token.type in ("bullet_list_open", "ordered_list_open"):
            items, index = _list_items(tokens, index + 1, token.type.replace("_open", "_close"))
            blocks.append(ItemList(tuple(items), ordered=token.type == "ordered_list_open"))
            continue
        if token.type == "inline":
            blocks.append(Paragraph(_spans(token.children or [])))
        elif token.type in ("fence", "code_block"):
            blocks.append(Paragraph((Span(token.content.rstrip("\n"), code=True),)))
        index += 1
    return blocks, index


def _list_items(tokens: list, index: int, closing: str) -> tuple[list[ListItem], int]:
    items = []
    while tokens[index].type != closing:
        content, index = _blocks(tokens, index + 1, "list_item_close")
        spans: list[Span] = []
        children = None
        for block in content:
            if isinstance(block, ItemList):
                children = block
            elif isinstance(block, Paragraph):
                spans += ([Span(" ")] if spans else []) + list(block.spans)
        items.append(ListItem(tuple(spans), children))
    return items, index + 1


def _spans(children: list) -> Inline:
    spans: list[Span] = []
    bold = italic = False
    href: str | None = None
    for token in children:
        if token.type in ("strong_open", "strong_close"):
            bold = token.type == "strong_open"
        elif token.type in ("em_open", "em_close"):
            italic = token.type == "em_open"
        elif token.type == "link_open":
            target = str(token.attrs.get("href", ""))
            href = target if target.startswith(SAFE_LINK_SCHEMES) else None
        elif token.type == "link_close":
            href = None
        elif token.type in ("softbreak", "hardbreak"):
            spans.append(Span(" ", bold, italic, href=href))
        elif token.type == "code_inline":
            spans.append(Span(token.content, bold, italic, code=True, href=href))
        elif token.content:
            spans.append(Span(token.content, bold, italic, href=href))
    return tuple(spans)


def build_briefing(
    dossier: Dossier, indicators: Indicators, audience: AudienceConfig, lang: str, template_dirs: list[Path]
) -> Briefing:
    return BriefingBuilder(dossier, indicators, audience, lang, load_translations(lang, template_dirs)).build()
