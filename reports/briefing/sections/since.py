"""The section "Since <date>": what the dossier holds on the as-of date that it did not hold on `--since` (see
`reports/briefing/changes.py`); the few most important lines in a short document, every change in a full one."""

from __future__ import annotations

from dataclasses import replace

from reports.briefing.changes import change_lines, changes
from reports.briefing.context import BriefingContext
from reports.briefing.model import Block, ItemList, ListItem, Paragraph, Section, Span


def since(ctx: BriefingContext) -> Section | None:
    """None without a `--since` date."""
    if ctx.since is None:
        return None
    w = ctx.words
    found = changes(ctx.dossier, ctx.since, ctx.as_of)
    if not ctx.audience.verdicts:  # an audience without verdicts shows no commitments (press.yaml)
        found = replace(found, commitments=())
    title = w._("Since {date}", date=w.date(ctx.since))
    if not found:
        return Section("since", title, 1, (Paragraph((Span(w._("Nothing new since {date}.", date=w.date(ctx.since))),)),))
    names = {p.target.id: w.target_name(p) for p in ctx.indicators.targets}
    lines = change_lines(found, w, names)
    if not ctx.full:
        return Section("since", title, 1, (_items(lines.short()),))
    blocks: list[Block] = []
    for heading, group in lines.groups(w):
        blocks += [Paragraph((Span(heading, bold=True),)), _items(group)]
    return Section("since", title, 1, tuple(blocks))


def _items(lines: tuple[str, ...]) -> ItemList:
    return ItemList(tuple(ListItem((Span(line),)) for line in lines))
