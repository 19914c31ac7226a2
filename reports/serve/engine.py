"""The build as the live preview sees it: which briefings there are, what each is made from, and one of them in memory.

The only module of `reports/serve/` that calls the build. The server asks three things: the audiences and
languages of the templates (`catalogue`), a hash of everything one document is made from (`inputs_hashes`: a
document whose hash has not changed is not rebuilt), and the bytes of one document (`render`), through the same
`render_all` that `reports build` runs, its memory and time limits included. Nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from reports.briefing.audiences import load_audiences
from reports.build import BuildRequest, render_all
from reports.locale.labels import languages
from reports.renderers import renderer_class
from reports.scheduler.inputs import inputs_hash, scan_dossier, scan_templates, sha256_file
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


def inputs_hashes(source: Source, documents: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], str]:
    """For each (audience, lang, format), the hash of everything it is made from, as `reports run` decides what is
    stale, plus the as-of date (it is on the cover) and every file at the top of the dossier that the scan does not
    read: more rebuilds rather than a briefing left stale."""
    scan = scan_dossier(source.dossier)
    templates = scan_templates(source.templates)
    unscanned = sorted(
        f"{path.name}:{sha256_file(path)}"
        for path in (source.dossier.iterdir() if source.dossier.is_dir() else ())
        if path.is_file() and path.name not in scan.files
    )
    common = "\n".join([source.date().isoformat(), *unscanned])
    return {
        (audience, lang, output_format): hashlib.sha256(
            (inputs_hash(scan, templates, audience, lang, output_format, source.date()) + "\n" + common).encode()
        ).hexdigest()
        for audience, lang, output_format in documents
    }


def render(source: Source, audience: str, lang: str, output_format: str) -> bytes:
    """One briefing in one format; raises ReportsError with every problem of the dossier or the templates."""
    request = BuildRequest(
        dossier=source.dossier,
        out=Path("."),  # names the outputs only: nothing is written
        as_of=source.date(),
        audiences=(audience,),
        formats=(output_format,),
        langs=(lang,),
        templates=source.templates,
    )
    (content,) = render_all(request).values()
    return content


def warm_up() -> None:
    """Imports every format's renderer (WeasyPrint takes about a second), so the first PDF asked for does not pay it."""
    for output_format in FORMATS:
        renderer_class(output_format)
