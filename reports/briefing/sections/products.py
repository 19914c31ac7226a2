"""What the two countries trade: the top products each way in the latest year with product rows, as a table and
a compact bar chart (the full briefing), and one sentence on the largest of them (the summary)."""

from __future__ import annotations

from reports.briefing.context import BriefingContext
from reports.briefing.model import Bar, BarChart, Block, Column, Inline, Paragraph, Section, Span, Table
from reports.dossier.languages import tagged
from reports.dossier.model import ProductRow
from reports.dossier.vocabulary import SOURCE_LANGUAGE
from reports.indicators import ProductShare

TOP = 5  # products shown each way


def product_name(ctx: BriefingContext, row: ProductRow) -> str:
    """The name in the briefing's language where the dossier has it (products.csv has `name_ru`), else in the first
    language of the fallback chain that has it, else as written; the last two marked with their language."""
    if ctx.lang == SOURCE_LANGUAGE or _name_in(row, ctx.lang):
        return _name_in(row, ctx.lang) or row.name
    given = next((lang for lang in ctx.dossier.languages.chain(ctx.lang) if _name_in(row, lang)), None)
    return tagged(_name_in(row, given), given) if given else tagged(row.name, SOURCE_LANGUAGE)


def _name_in(row: ProductRow, lang: str) -> str:
    """The name products.csv gives in `lang` (a `name_<lang>` column), else ''."""
    name: str = getattr(row, f"name_{lang}", "")
    return name


def products(ctx: BriefingContext) -> Section | None:
    ranking = ctx.indicators.products
    if ranking is None:
        return None
    w = ctx.words
    year = ranking.year
    blocks: list[Block] = [
        Paragraph(
            (
                Span(
                    w._(
                        "The largest products each way in {year}, the latest year with product figures, as {reporter} "
                        "reports them: value, share of that year's exports or imports, and change on {previous_year}.",
                        year=year,
                        previous_year=year - 1,
                    )
                ),
            ),
            "lead",
        )
    ]
    for flow, items in (("exports", ranking.exports), ("imports", ranking.imports)):
        if not items:
            continue
        top = items[:TOP]
        if flow == "exports":
            caption = w._("{reporter}'s main exports to {other}, {year}, {currency} {unit}", year=year)
            share = w._("Share of exports")
        else:
            caption = w._("{reporter}'s main imports from {other}, {year}, {currency} {unit}", year=year)
            share = w._("Share of imports")
        columns = (
            Column(w._("HS code")),
            Column(w._("Product")),
            Column(w._("Value"), True),
            Column(share, True),
            Column(w._("Change on {previous_year}", previous_year=year - 1), True),
            Column(w._("Source")),
        )
        rows = tuple(
            (
                (Span(item.row.code),),
                (Span(product_name(ctx, item.row)),),
                (Span(w.number(item.row.value)),),
                (Span(w.percent(item.share_pct, quality=item.share_quality)),),
                (Span(w.percent(item.change_pct, True)),),
                ctx.citations.marks(*item.sources),
            )
            for item in top
        )
        blocks.append(Table(caption, columns, rows))
        bars = tuple(Bar(product_name(ctx, item.row), item.row.value, w.number(item.row.value)) for item in top)
        alt = w._(
            "Bar chart of the {count} largest products, the first {first} with {value}.",
            count=len(top),
            first=product_name(ctx, top[0].row),
            value=w.money(top[0].row.value),
        )
        blocks.append(BarChart(caption, alt, bars, flow))
        if len(items) > TOP:
            blocks.append(
                Paragraph(
                    (Span(w._("The {shown} largest of {count} products with figures.", shown=TOP, count=len(items))),), "note"
                )
            )
    return Section("products", w._("What is traded"), 1, tuple(blocks))


def products_sentence(ctx: BriefingContext) -> Paragraph | None:
    """The summary's one sentence: the product with the largest share of one direction's trade in the latest year."""
    ranking = ctx.indicators.products
    if ranking is None:
        return None
    firsts = [items[0] for items in (ranking.exports, ranking.imports) if items and items[0].share_pct is not None]
    if not firsts:
        return None
    first: ProductShare = max(firsts, key=lambda item: (item.share_pct, item.row.value))
    w = ctx.words
    share = w.percent(first.share_pct, quality=first.share_quality)
    words = dict(product=product_name(ctx, first.row), share=share, year=ranking.year)
    text = (
        w._("{product} made up {share} of {reporter}'s exports to {other} in {year}.", **words)
        if first.row.flow == "exports"
        else w._("{product} made up {share} of {reporter}'s imports from {other} in {year}.", **words)
    )
    spans: Inline = (Span(text + " "), *ctx.citations.marks(*first.sources))
    return Paragraph(spans)
