"""The build as the live preview sees it: which briefings there are, what each is made from, and one of them in memory.

The only module of `reports/serve/` that calls the build. The server asks three things: the audiences and
languages of the templates (`catalogue`), a hash of everything one document is made from (`inputs_hashes`: a
document whose hash has not changed is not rebuilt), and the bytes of one document (`render`), through the same
engine that `reports build` runs, its memory and time limits included. Nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from reports import renderers
from reports.briefing.audiences import load_audiences
from reports.engine import BuildRequest, Planner, render_documents
from reports.errors import ReportsError
from reports.isolation import await_render_process, keep_render_process
from reports.locale.labels import languages
from reports.template_folders import template_folders

FORMATS = ("html", "pdf")  # what the preview serves; Word has no place in a browser


@dataclass(frozen=True)
class Source:
    """What the preview builds from."""

    dossier: Path
    templates: Path | None = None
    as_of: dt.date | None = None  # None: today, read again at every build (the server may run past midnight)

    def date(self) -> dt.date:
        return self.as_of or dt.date.today()


@dataclass(frozen=True)
class Audience:
    name: str
    description: str
    restricted: bool  # includes restricted material: served on loopback only


@dataclass(frozen=True)
class Catalogue:
    """The audiences and languages of the template search path: one briefing for each pair."""

    audiences: tuple[Audience, ...]
    langs: tuple[str, ...]


def catalogue(source: Source) -> Catalogue:
    """Raises ReportsError (a TemplateError) for a broken templates folder or audience file."""
    template_dirs = template_folders(source.templates)
    audiences = load_audiences(template_dirs).values()
    return Catalogue(
        tuple(Audience(audience.name, audience.description, audience.include_restricted) for audience in audiences),
        tuple(languages(template_dirs)),
    )


def _request(source: Source, documents: list[tuple[str, str, str]]) -> BuildRequest:
    return BuildRequest(
        dossier=source.dossier,
        out=Path("."),  # names the outputs only: nothing is written
        as_of=source.date(),
        audiences=tuple(dict.fromkeys(audience for audience, _, _ in documents)),
        formats=tuple(dict.fromkeys(output_format for _, _, output_format in documents)),
        langs=tuple(dict.fromkeys(lang for _, lang, _ in documents)),
        templates=source.templates,
    )


def inputs_hashes(source: Source, documents: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], str]:
    """For each (audience, lang, format), the hash of everything it is made from, as `reports run` decides what is
    stale (the files the loader read), plus the as-of date, which is on the cover. A dossier or templates folder
    with problems gives every document the hash of those problems: a changed problem is shown again."""
    date = source.date().isoformat()
    try:
        planned = Planner().plan(_request(source, documents))
    except ReportsError as error:
        digest = hashlib.sha256(repr((date, error.problems)).encode()).hexdigest()
        return dict.fromkeys(documents, digest)
    keys = {(document.audience, document.lang, document.format): document.inputs for document in planned}
    return {wanted: hashlib.sha256(f"{keys.get(wanted)}\n{date}".encode()).hexdigest() for wanted in documents}


def render(source: Source, audience: str, lang: str, output_format: str) -> bytes:
    """One briefing in one format, under the build's limits; raises ReportsError with every problem of the dossier
    or the templates."""
    (result,) = render_documents(Planner().plan(_request(source, [(audience, lang, output_format)])))
    if result.problems:
        raise ReportsError(result.problems)
    if result.content is None:
        raise RuntimeError(result.error or "no content")
    return result.content


def warm_up() -> None:
    """Start the render process the server keeps for its life, and wait until it has imported and warmed up every
    format's renderer (WeasyPrint takes about a second), so the first PDF asked for does not pay it."""
    keep_render_process(functools.partial(renderers.warm_up, FORMATS))
    await_render_process()
