"""The build as the live preview sees it: which briefings there are, what each is made from, and one of them in memory.

The only module of `reports/serve/` that calls the build. The server asks three things: the audiences and
languages to serve (`catalogue`: those asked for, checked as `reports build` checks them, else every one of the
templates), a hash of everything one document is made from (`Snapshot.inputs_hashes`: a document whose hash has
not changed is not rebuilt), and the bytes of one document (`Snapshot.render`), through the same engine that
`reports build` runs, its memory and time limits included. Nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reports import renderers
from reports.briefing.audiences import load_audiences, select_audiences
from reports.engine import BuildRequest, Document, Planner, render_documents
from reports.errors import Problem, ReportsError, TemplateError
from reports.isolation import keep_render_process
from reports.locale.labels import select_languages
from reports.template_folders import template_folders

FORMATS = ("html", "pdf")  # what the preview serves; Word has no place in a browser


@dataclass(frozen=True)
class Source:
    """What the preview builds from."""

    dossier: Path
    templates: Path | None = None
    as_of: dt.date | None = None  # None: today, read again at every build (the server may run past midnight)
    audiences: tuple[str, ...] = ()  # the audiences asked for; none: every one
    langs: tuple[str, ...] = ()  # the languages asked for; none: every one

    def date(self) -> dt.date:
        return self.as_of or dt.date.today()


@dataclass(frozen=True)
class Audience:
    name: str
    description: str
    restricted: bool  # includes restricted material: served on loopback only


@dataclass(frozen=True)
class Catalogue:
    """The audiences and languages served: one briefing for each pair."""

    audiences: tuple[Audience, ...]
    langs: tuple[str, ...]


def catalogue(source: Source) -> Catalogue:
    """Raises ReportsError (a TemplateError) for a broken templates folder or audience file, and for an audience or
    language asked for that the templates do not have."""
    template_dirs = template_folders(source.templates)
    langs = select_languages(source.langs, template_dirs)
    audiences = select_audiences(load_audiences(template_dirs), source.audiences)
    return Catalogue(
        tuple(Audience(audience.name, audience.description, audience.include_restricted) for audience in audiences),
        tuple(langs),
    )


def check_briefings_asked_for(source: Source) -> None:
    """Exit 2 for an audience or language asked for that the templates do not have, as `reports build`, before the
    server starts. Templates that cannot be read are no reason not to start: the pages show their problems, to be
    fixed while it runs (and the names are checked again at every pass)."""
    template_dirs = template_folders(source.templates)
    try:
        known = load_audiences(template_dirs)
    except TemplateError:
        known = None  # a broken audience file: its problems are the pages' to show
    problems = _problems(select_audiences, known, source.audiences) if known is not None else []
    problems += _problems(select_languages, source.langs, template_dirs)
    if problems:
        raise TemplateError(problems)


def _problems(check: Callable[..., object], *args: object) -> list[Problem]:
    try:
        check(*args)
    except TemplateError as error:
        return error.problems
    return []


class Snapshot:
    """The dossier and the templates as one pass of the server reads them: loaded once (one Planner) for every
    hash and page of the pass, so a page is built from the files its hash was made from, and a pass of twelve
    pages does not read the dossier twelve times."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.planner = Planner()

    def _plan(self, documents: list[tuple[str, str, str]]) -> list[Document]:
        request = BuildRequest(
            dossier=self.source.dossier,
            out=Path("."),  # names the outputs only: nothing is written
            as_of=self.source.date(),
            audiences=tuple(dict.fromkeys(audience for audience, _, _ in documents)),
            formats=tuple(dict.fromkeys(output_format for _, _, output_format in documents)),
            langs=tuple(dict.fromkeys(lang for _, lang, _ in documents)),
            templates=self.source.templates,
        )
        return self.planner.plan(request)

    def inputs_hashes(self, documents: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], str]:
        """For each (audience, lang, format), the hash of everything it is made from, as `reports run` decides what
        is stale (the files the loader read), plus the as-of date, which is on the cover. A dossier or templates
        folder with problems gives every document the hash of those problems: a changed problem is shown again."""
        date = self.source.date().isoformat()
        try:
            planned = self._plan(documents)
        except ReportsError as error:
            digest = hashlib.sha256(repr((date, error.problems)).encode()).hexdigest()
            return dict.fromkeys(documents, digest)
        keys = {(document.audience, document.lang, document.format): document.inputs for document in planned}
        return {wanted: hashlib.sha256(f"{keys.get(wanted)}\n{date}".encode()).hexdigest() for wanted in documents}

    def render(self, audience: str, lang: str, output_format: str) -> bytes:
        """One briefing in one format, under the build's limits; raises ReportsError with every problem of the
        dossier or the templates."""
        (result,) = render_documents(self._plan([(audience, lang, output_format)]))
        if result.problems:
            raise ReportsError(result.problems)
        if result.content is None:
            raise RuntimeError(result.error or "no content")
        return result.content


def start_render_process() -> None:
    """Start the render process the server keeps for its life, before it reads anything: it imports and warms up
    every format's renderer (WeasyPrint, about a second) on the other core meanwhile, so no page pays it (the HTML
    of a page-limited note is fitted by the PDF's layout, reports/renderers/__init__.py)."""
    keep_render_process(functools.partial(renderers.warm_up, FORMATS))
