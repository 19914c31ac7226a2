"""Builds the format-neutral briefing model from a dossier, its indicators and one audience.

This is the only stage that decides what a reader sees: which sections, which facts, which words,
and the number under which each source is cited. Renderers only draw what it returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from reports import __version__
from reports.audiences import AudienceConfig
from reports.dates import FuzzyDate
from reports.dossier import Area, Dossier, Event, KeyFact, TradeRow
from reports.formatting import (
    format_date,
    format_date_range,
    format_money,
    format_multiple,
    format_number,
    format_percent,
    format_quantity,
)
from reports.indicators import Indicators, TargetProgress
from reports.labels import load_labels
from reports.model import (
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

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")


class Citations:
    """Numbers sources in the order a reader first meets them; `[n]` in the text, n in the sources list."""

    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self.numbers: dict[str, int] = {}

    def number(self, source_id: str) -> int:
        return self.numbers.setdefault(source_id, len(self.numbers) + 1)

    def marks(self, *source_ids: str) -> Inline:
        return tuple(Span(f"[{self.number(s)}]", cite=self.number(s)) for s in dict.fromkeys(source_ids))


class BriefingBuilder:
    """One briefing: a method per section id of `audiences.SECTIONS`."""

    def __init__(self, dossier: Dossier, indicators: Indicators, audience: AudienceConfig, labels: dict[str, str]):
        self.dossier = dossier if audience.include_restricted else dossier.without_restricted()
        self.indicators = indicators
        self.audience = audience
        self.labels = labels
        self.lang = labels.get("lang", "en")
        self.citations = Citations(self.dossier)
        self.as_of = indicators.as_of
        reporter, other = self.dossier.reporter_partner, self.dossier.other_partner
        self.words = {
            "reporter": reporter.name,
            "other": other.name,
            "currency": self.dossier.currency,
            "unit": self.dossier.unit,
            "base_year": self.dossier.base_year,
        }

    # ------------------------------------------------------------ small helpers

    def label(self, key: str, **values: object) -> str:
        return self.labels[key].format(**{**self.words, **values})

    def money(self, value: float | None) -> str:
        return format_money(value, self.dossier.unit, self.dossier.currency, self.lang)

    def percent(self, value: float | None, signed: bool = False) -> str:
        return format_percent(value, self.lang, signed)

    def date(self, value: FuzzyDate | dt.date | None) -> str:
        return format_date(value, self.lang)

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
        partners = self.dossier.partners
        return Briefing(
            dossier_id=self.dossier.id,
            audience=self.audience.name,
            lang=self.lang,
            title=self.dossier.title,
            subtitle=self.label("subtitle", audience=self.audience.name.capitalize()),
            marking=self.audience.marking,
            as_of=self.label("as_of", date=self.date(self.as_of)),
            issued=self.as_of.isoformat(),
            cover_lines=(self.label("prepared_from", dossier=self.dossier.id, reporter=self.dossier.reporter_partner.name),),
            sections=tuple(sections),
            sources=sources,
            labels={key: self.labels[key] for key in ("contents", "page", "of", "sources")},
            author=f"reports {__version__}",
            keywords=(partners[0].name, partners[1].name, "bilateral relations", "trade", self.dossier.id),
            depth=self.audience.depth,
            max_pages=self.audience.max_pages,
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
                    self.label("turnover_latest", year=year),
                    self.money(latest.value),
                    self.label("turnover_latest_detail", status=self.labels[f"trade_{series[year].status}"]),
                    self._numbers(latest.sources),
                )
            )
        multiple = figures["growth_multiple"]
        if multiple.value is not None:
            base_row = series[base_year]
            base = self.money(base_row.turnover)
            if base_row.status != "official":
                base += ", " + self.labels[f"trade_{base_row.status}"]
            items.append(
                KeyFigure(
                    self.label("growth_multiple"),
                    format_multiple(multiple.value, self.lang),
                    self.label("growth_multiple_detail", growth_pct=self.percent(figures["growth_pct"].value, True), base=base),
                    self._numbers(multiple.sources),
                )
            )
        cagr = figures["cagr_pct"]
        if cagr.value is not None:
            items.append(
                KeyFigure(
                    self.label("cagr_pct"),
                    self.percent(cagr.value),
                    self.label("cagr_pct_detail", year=year),
                    self._numbers(cagr.sources),
                )
            )
        yoy = figures["yoy_pct"]
        if yoy.value is not None:
            items.append(
                KeyFigure(
                    self.label("yoy_pct", previous_year=year - 1),
                    self.percent(yoy.value, True),
                    self.label("yoy_pct_detail", previous=self.money(series[year - 1].turnover), previous_year=year - 1),
                    self._numbers(yoy.sources),
                )
            )
        balance = figures["balance"]
        if balance.value is not None:
            row = series[year]
            items.append(
                KeyFigure(
                    self.label("balance", year=year),
                    self.money(balance.value),
                    self.label("balance_detail", exports=self.money(row.exports), imports=self.money(row.imports)),
                    self._numbers(balance.sources),
                )
            )
        for progress in self.indicators.targets:
            if progress.target.year is not None and progress.target.year < (year or 0):
                continue  # a target whose year has passed is told in the targets section, not headlined
            target = progress.target
            label = (
                self.label("target_figure", value=self.money(target.value), year=target.year)
                if target.year
                else self.label("target_figure_open", value=self.money(target.value))
            )
            items.append(
                KeyFigure(
                    label,
                    self.percent(progress.progress_pct),
                    self.label(
                        "target_figure_detail",
                        progress=self.money(progress.latest),
                        status=self.labels[f"status_{progress.status}"],
                    ),
                    self._numbers(progress.sources),
                )
            )
        return Section("key-figures", self.labels["key_figures"], 1, (KeyFigures(tuple(items)),))

    def _numbers(self, source_ids: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.citations.number(s) for s in source_ids)

    def trade(self) -> Section | None:
        table = self.indicators.table
        if not table:
            return None
        statuses = sorted({self.labels[f"trade_{row.row.status}"] for row in table})
        blocks: list[Block] = [Paragraph((Span(self.label("trade_lead", status_note=", ".join(statuses))),), "lead")]
        chart = self.chart()
        if chart is not None:
            blocks.append(chart)
        columns = (
            Column(self.labels["column_year"]),
            Column(self.label("column_exports"), True),
            Column(self.label("column_imports"), True),
            Column(self.labels["column_turnover"], True),
            Column(self.labels["column_yoy"], True),
            Column(self.labels["column_status"]),
            Column(self.labels["column_source"]),
        )
        rows = tuple(
            (
                (Span(str(y.row.year)),),
                (Span(format_number(y.row.exports, self.lang)),),
                (Span(format_number(y.row.imports, self.lang)),),
                (Span(format_number(y.row.turnover, self.lang)),),
                (Span(self.percent(y.yoy_pct, True)),),
                (Span(self.labels[f"trade_{y.row.status}"]),),
                self.citations.marks(y.row.source),
            )
            for y in table
        )
        blocks.append(Table(self.label("trade_caption"), columns, rows))
        years = [y.row.year for y in table]
        gaps = [str(year) for year in range(years[0], years[-1] + 1) if year not in years]
        if gaps:
            blocks.append(Paragraph((Span(self.label("gap_note", years=", ".join(gaps))),), "note"))
        if self.full:
            notes = tuple(
                ListItem((Span(f"{y.row.year}: ", bold=True), Span(y.row.note + " "), *self.citations.marks(y.row.source)))
                for y in table
                if y.row.note
            )
            if notes:
                blocks.append(ItemList(notes))
            blocks += self.mirror_blocks()
        return Section("trade", self.labels["trade"], 1, tuple(blocks))

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
            return text if row.status == "official" else f"{text} ({self.labels[f'trade_{row.status}']})"

        columns = (
            Column(self.labels["column_year"]),
            Column(self.label("column_mirror_side", side=self.words["reporter"]), True),
            Column(self.label("column_mirror_side", side=self.words["other"]), True),
            Column(self.labels["column_mirror_gap"], True),
            Column(self.labels["column_source"]),
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
        return [
            Table(self.label("mirror_caption"), columns, tuple(rows)),
            Paragraph((Span(self.label("mirror_gap_note")),), "note"),
            Paragraph((Span(self.label("mirror_note")),), "note"),
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
            exports_label=self.label("legend_exports"),
            imports_label=self.label("legend_imports"),
            turnover_label=self.label("legend_turnover"),
            value_axis_label=self.label("axis_value"),
            target_year=target.target.year if target else None,
            target_value=target.target.value if target else None,
            target_label=self.label("target_figure", value=self.money(target.target.value), year=target.target.year)
            if target
            else "",
            required_path=path,
            required_label=self.labels["legend_required"],
        )
        words = {
            "first": rows[0].year,
            "last": rows[-1].year,
            "last_year": rows[-1].year,
            "latest": self.money(rows[-1].turnover),
        }
        alt = (
            self.label("chart_alt", target=series.target_label, **words) if target else self.label("chart_alt_no_target", **words)
        )
        return Chart(self.label("chart_caption"), alt, series)

    def targets(self) -> Section | None:
        if not self.indicators.targets:
            return None
        columns = (
            Column(self.labels["column_target"]),
            Column(self.labels["column_set_on"]),
            Column(self.labels["column_latest"], True),
            Column(self.labels["column_progress"], True),
            Column(self.labels["column_required"], True),
            Column(self.labels["column_projected"], True),
            Column(self.labels["column_target_status"]),
        )
        rows = []
        paragraphs: list[Block] = []
        for progress in self.indicators.targets:
            target = progress.target
            name = f"{self.money(target.value)} {target.metric}" + (f", {target.year}" if target.year else "")
            status = self.labels[f"status_{progress.status}"]
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
        return Section("targets", self.labels["targets"], 1, blocks)

    def target_sentence(self, progress: TargetProgress) -> Inline:
        target, year = progress.target, self.indicators.latest_year
        text = self.label(
            "target_sentence",
            description=target.description,
            set_on=self.date(target.set_on),
            latest_year=year,
            latest=self.money(progress.latest),
            progress=self.percent(progress.progress_pct),
        )
        if progress.required_cagr_pct is not None and progress.projected is not None:
            text += " " + self.label(
                "target_sentence_growth",
                required=self.percent(progress.required_cagr_pct),
                latest_year=year,
                achieved=self.percent(progress.achieved_cagr_pct),
                projected=self.money(progress.projected),
                year=target.year,
            )
        if progress.trend_reach_year is not None and progress.status in ("behind", "open"):
            text += " " + self.label("target_sentence_reach", reach_year=progress.trend_reach_year)
        status = self.labels[f"status_{progress.status}"]
        return (Span(status.capitalize() + ": ", bold=True), Span(text + " "), *self.citations.marks(*progress.sources))

    def areas(self) -> Section | None:
        areas = sorted(self.dossier.areas, key=lambda a: (a.order, a.id))
        children = [self.area_section(area) for area in areas]
        children = [c for c in children if c.blocks]
        if not children:
            return None
        return Section("areas", self.labels["areas"], 1, (), tuple(children))

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
            blocks += (Paragraph((Span(self.labels["sources"] + ": "), *self.citations.marks(*area.sources)), "note"),)
        return Section(f"area-{area.id}", area.title, 2, blocks)

    def fact_value(self, fact: KeyFact) -> Inline:
        """A key fact's figure, bold in front of its text, so a reader scanning the list sees the numbers."""
        if fact.value is None:
            return ()
        return (Span(format_quantity(fact.value, fact.unit, self.lang), bold=True), Span(" – "))

    def commitments(self) -> Section | None:
        commitments = sorted(self.dossier.commitments, key=lambda c: c.agreed_on)
        if not commitments:
            return None
        columns = (
            Column(self.labels["column_commitment"]),
            Column(self.labels["column_agreed"]),
            Column(self.labels["column_due"]),
            Column(self.labels["column_commitment_status"]),
        )
        rows = []
        for c in commitments:
            status = [Span(self.labels[f"commitment_{c.status}"], bold=True)]
            if c.status_as_of:
                status.append(Span(" (" + self.label("status_as_of", date=self.date(c.status_as_of)) + ")"))
            rows.append(
                (
                    (Span(c.text + " "), *self.citations.marks(c.source)),
                    (Span(self.date(c.agreed_on)),),
                    (Span(self.date(c.due)),),
                    tuple(status),
                )
            )
        table = Table("", columns, tuple(rows), role="commitments")
        return Section("commitments", self.labels["commitments"], 1, (table,))

    def event_table(self, events: list[Event], caption: str, role: str) -> Table:
        columns = (Column(self.labels["column_date"]), Column(self.labels["column_event"]))
        rows = []
        for event in events:
            detail = self.labels[f"kind_{event.kind}"] + (f", {event.place}" if event.place else "")
            cell: list[Span] = [Span(event.title, bold=True), Span(f" ({detail}) ")]
            if event.summary and self.full:
                cell.append(Span(event.summary + " "))
            rows.append(
                ((Span(format_date_range(event.date, event.end_date, self.lang)),), (*cell, *self.citations.marks(event.source)))
            )
        return Table(caption, columns, tuple(rows), role=role)

    def chronology(self) -> Section | None:
        past = sorted((e for e in self.dossier.events if e.date.first_day <= self.as_of), key=lambda e: e.date)
        if not past:
            return None
        caption = self.label("chronology_caption", first=self.date(past[0].date), last=self.date(past[-1].date))
        return Section("chronology", self.labels["chronology"], 1, (self.event_table(past, caption, "chronology"),))

    def upcoming(self) -> Section:
        ahead = sorted((e for e in self.dossier.events if e.date.first_day > self.as_of), key=lambda e: e.date)
        if not ahead:
            return Section("upcoming", self.labels["upcoming"], 1, (Paragraph((Span(self.labels["no_upcoming"]),)),))
        limit = self.audience.upcoming_limit
        blocks: tuple[Block, ...] = (self.event_table(ahead[:limit], "", "chronology"),)
        if limit is not None and len(ahead) > limit:
            more = self.label("more_upcoming", count=len(ahead) - limit, date=self.date(ahead[-1].date))
            blocks += (Paragraph((Span(more),), "note"),)
        return Section("upcoming", self.labels["upcoming"], 1, blocks)

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
            cell.append(Span(". " + ", ".join(part for part in (entry.publisher, entry.date) if part) + "."))
            if entry.url:
                cell += [Span(" "), Span(entry.url, href=entry.url)]
            rows.append(((Span(f"[{entry.number}]"),), tuple(cell)))
        columns = (Column(self.labels["column_number"]), Column(self.labels["column_source"]))
        return Section("sources", self.labels["sources"], 1, (Table("", columns, tuple(rows), role="sources"),))


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
    labels = {"lang": lang, **load_labels(lang, template_dirs)}
    return BriefingBuilder(dossier, indicators, audience, labels).build()
