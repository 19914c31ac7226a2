"""Planning: which documents a request makes, and what each one is made from, before anything is rendered.

A dossier is loaded and checked once per (folder, as-of date) and its templates folder once, however many
documents, jobs or requests need them (`Planner` keeps them). Loading runs under `readers.recording()`, so the
files the loader read — and the optional files it looked for and did not find, and the folders it listed — are
the document's inputs; the templates, catalogs and audience files are added here. A document's **inputs hash**
covers:

- the package version;
- what the document is: report or pack (its event and lead window), audience, language, format;
- every dossier file the loader read, except that an audience without restricted material depends only on the
  *fact* that a restricted area is restricted, not on its text;
- the templates: every file of the search path but the audience files and other languages' catalogs (a `.mo` is
  compiled from its `.po`, so the `.po` stands for it), and the audience's own file and those it extends;
- the dossier as it stood on the as-of date (`point_in_time`, and the sources published by then), short of the
  date itself: a briefing whose content would come out the same keeps the as-of date it was built on.

Planning reads and checks; it imports no renderer library and no pandas, so a run with nothing to do stays
light. A planned document carries the loaded dossier, so whatever renders it renders what was planned: a
dossier edited meanwhile is the next run's business, never half of this one's outputs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from reports import __version__
from reports.briefing.audience_config import AudienceConfig
from reports.briefing.audiences import load_audiences, select_audiences
from reports.dossier.as_of import point_in_time, published_by
from reports.dossier.load import load_dossier
from reports.dossier.model import Dossier
from reports.dossier.readers import TRANSLATIONS_LISTING, recording
from reports.dossier.vocabulary import AREA_FILE, AREA_TRANSLATION_FILE, SOURCE_LANGUAGE
from reports.errors import Problem, ReportsError
from reports.isolation import Limits
from reports.locale.labels import DEFAULT_LANGS
from reports.renderers import DEFAULT_FORMATS, RENDERERS
from reports.template_folders import BUILTIN_TEMPLATES


@dataclass(frozen=True)
class BuildRequest:
    """What `build`, `brief`, a job of `run` or a preview asks of one dossier folder."""

    dossier: Path
    out: Path
    as_of: dt.date
    audiences: tuple[str, ...] = ()  # empty: every audience on the search path
    formats: tuple[str, ...] = DEFAULT_FORMATS
    langs: tuple[str, ...] = DEFAULT_LANGS
    templates: Path | None = None
    limits: Limits = Limits()  # of each document's render (reports/isolation.py)
    event_id: str | None = None  # a briefing pack for this event instead of the regular briefing
    window: int | None = None  # the pack's lead window (30, 7, 1 days ahead): a pack is rebuilt when it changes
    since: dt.date | None = None  # a section "Since <date>": what the dossier learnt after it (not in the hash)


@dataclass(frozen=True)
class LoadedDossier:
    """A dossier folder loaded once for one as-of date, with the files its loader read."""

    folder: Path
    dossier: Dossier
    record: dict[str, str]  # path: sha256, `absent`, `unreadable` or `listing:<sha256 of the names>`
    as_of: dt.date

    def restricted_files(self) -> set[str]:
        """The recorded files of restricted areas (their translations included): what a public document never shows."""
        restricted = {area.id for area in self.dossier.areas if area.restricted}
        found = set()
        for path in self.record:
            name = Path(path).name
            match = AREA_FILE.match(name) or AREA_TRANSLATION_FILE.match(name)
            if match and Path(path).parent.name == "areas" and match[1] in restricted:
                found.add(path)
        return found

    def view_digest(self, public: bool, source_language: bool) -> str:
        """The dossier as it stood on the as-of date, as a public or an internal audience may see it; in the source
        language without the areas' and briefs' translations, which only other languages show."""
        view = point_in_time(self.dossier, self.as_of)
        if public:
            view = dataclasses.replace(view, areas=tuple(area for area in view.areas if not area.restricted))
        if source_language:
            view = dataclasses.replace(
                view,
                areas=tuple(dataclasses.replace(area, translations={}) for area in view.areas),
                briefs=tuple(dataclasses.replace(brief, translations={}) for brief in view.briefs),
            )
        view = dataclasses.replace(view, path=Path("."))
        published = sorted(source for source in self.dossier.sources if published_by(self.dossier, source, self.as_of))
        return hashlib.sha256(repr((view, published)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TemplateSet:
    """A templates folder (or none: the built-in templates) as planning sees it: search path, audiences, file hashes."""

    folder: Path | None
    search_path: tuple[Path, ...]
    audiences: dict[str, AudienceConfig]
    files: dict[str, str]  # path: sha256, every file but the audience files

    def for_document(self, audience: AudienceConfig, lang: str) -> dict[str, str]:
        """The template files a document in `lang` for `audience` is made from (never another language's catalog)."""
        chosen = {path: digest for path, digest in self.files.items() if _for_language(path, self.search_path, lang)}
        return chosen | {str(path): file_digest(path) for path in audience.files}


@dataclass(frozen=True)
class Document:
    """One output file to render, with what it is made from."""

    path: Path
    request: BuildRequest
    audience: str
    lang: str
    format: str
    inputs: str  # the content hash of everything it is made from (module docstring)
    input_files: tuple[str, ...]  # the files it is made from: dossier, templates, catalogs, audiences
    loaded: LoadedDossier = field(repr=False, compare=False)
    since: dt.date | None = None  # the request's, or in a run the as-of date of the document's previous build


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, `absent` or `unreadable`."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return "absent"
    except OSError:
        return "unreadable"


def _for_language(path: str, search_path: tuple[Path, ...], lang: str) -> bool:
    for folder in search_path:
        if Path(path).is_relative_to(folder):
            parts = Path(path).relative_to(folder).parts
            return not (len(parts) > 2 and parts[0] == "locale" and parts[1] != lang)
    return True


def search_path(templates: Path | None) -> tuple[Path, ...]:
    """The template search path, without the checks the renderers make when they render (which import them)."""
    return (templates.resolve(), BUILTIN_TEMPLATES) if templates is not None else (BUILTIN_TEMPLATES,)


class Planner:
    """Plans documents, loading each dossier once per as-of date and each templates folder once."""

    def __init__(self) -> None:
        self._dossiers: dict[tuple[Path, dt.date], LoadedDossier | ReportsError] = {}
        self._templates: dict[Path | None, TemplateSet | ReportsError] = {}
        self.notices: list[str] = []  # one line per pack an audience was left without (`_audiences_seeing`)

    def dossier(self, folder: Path, as_of: dt.date) -> LoadedDossier:
        """The dossier loaded and checked (once), or its ReportsError (exit 2) raised again."""
        key = (folder.resolve(), as_of)
        if key not in self._dossiers:
            try:
                with recording() as record:
                    dossier = load_dossier(folder)
                self._dossiers[key] = LoadedDossier(folder, dossier, dict(record), as_of)
            except ReportsError as error:
                self._dossiers[key] = error
        return _value(self._dossiers[key])

    def templates(self, folder: Path | None) -> TemplateSet:
        if folder not in self._templates:
            try:
                self._templates[folder] = _load_templates(folder)
            except ReportsError as error:
                self._templates[folder] = error
        return _value(self._templates[folder])

    def plan(self, request: BuildRequest) -> list[Document]:
        """Every document of the request: `{out}/{dossier id}/[brief-{event}.]{audience}.{lang}.{format}`."""
        unknown = [name for name in request.formats if name not in RENDERERS]
        if unknown:
            known = ", ".join(RENDERERS)
            raise ReportsError(
                [Problem("reports", None, "format", f"unknown format '{n}'; known formats: {known}") for n in unknown]
            )
        templates = self.templates(request.templates)
        audiences = select_audiences(templates.audiences, request.audiences)
        loaded = self.dossier(request.dossier, request.as_of)
        if request.event_id and not request.audiences:
            audiences = self._audiences_seeing(audiences, loaded, request)
        prefix = f"brief-{request.event_id}." if request.event_id else ""
        views: dict[tuple[bool, bool], str] = {}
        documents = []
        for audience in audiences:
            public = not audience.include_restricted
            restricted = loaded.restricted_files() if public else set()
            dossier_files = {path: ("restricted" if path in restricted else digest) for path, digest in loaded.record.items()}
            for lang in dict.fromkeys(request.langs):
                template_files = templates.for_document(audience, lang)
                language_files = _for_source_language(dossier_files) if lang == SOURCE_LANGUAGE else dossier_files
                view = (public, lang == SOURCE_LANGUAGE)
                if view not in views:
                    views[view] = loaded.view_digest(*view)
                for output_format in dict.fromkeys(request.formats):
                    key = {
                        "version": __version__,
                        "output": {"event": request.event_id, "window": request.window, "audience": audience.name,
                                   "lang": lang, "format": output_format},
                        "dossier": _relative(language_files, (loaded.folder,)),
                        "templates": _relative(template_files, templates.search_path),
                        "as_of": views[view],
                    }  # fmt: skip
                    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
                    path = request.out / loaded.dossier.id / f"{prefix}{audience.name}.{lang}.{output_format}"
                    files = tuple(sorted(language_files)) + tuple(sorted(template_files))
                    documents.append(
                        Document(path, request, audience.name, lang, output_format, digest, files, loaded, request.since)
                    )
        return documents

    def _audiences_seeing(
        self, audiences: list[AudienceConfig], loaded: LoadedDossier, request: BuildRequest
    ) -> list[AudienceConfig]:
        """The audiences whose view of the dossier holds the pack's event; each other is skipped with a notice (the
        press cannot see an event that is not public). Naming that audience is the pack's exit 2, as is an
        unknown event id or an event no audience sees."""
        from reports.briefing.context import audience_view

        event_id = request.event_id
        if not any(event.id == event_id for event in loaded.dossier.events):
            return audiences
        seeing = []
        lang = (request.langs or DEFAULT_LANGS)[0]
        for audience in audiences:
            view, _ = audience_view(loaded.dossier, audience, lang, request.as_of, event_id)
            if any(event.id == event_id for event in view.events):
                seeing.append(audience)
            else:
                self.notices.append(
                    f"skipped the '{audience.name}' pack: '{event_id}' is not public, so that audience cannot see it"
                )
        return seeing or audiences


def _for_source_language(files: dict[str, str]) -> dict[str, str]:
    """The dossier files a document in the source language is made from: not the translations of the areas and
    briefs (`<id>.<lang>.md`), which only other languages show; those may fall back to any of them, so keep all."""
    return {
        path: digest
        for path, digest in files.items()
        if not (
            (AREA_TRANSLATION_FILE.match(Path(path).name) and Path(path).parent.name in ("areas", "briefs"))
            or Path(path).name == TRANSLATIONS_LISTING
        )
    }


def _value(entry):
    if isinstance(entry, ReportsError):
        raise entry
    return entry


def _relative(files: dict[str, str], bases: tuple[Path, ...]) -> dict[str, str]:
    """Paths as the hash sees them: relative to the folder they are in (`0:trade.csv`), so a copy of the dossier or
    another installation of the same version is the same input."""
    result = {}
    for path, digest in files.items():
        base = next((index for index, folder in enumerate(bases) if Path(path).is_relative_to(folder)), None)
        result[path if base is None else f"{base}:{Path(path).relative_to(bases[base]).as_posix()}"] = digest
    return result


def _load_templates(folder: Path | None) -> TemplateSet:
    if folder is not None and not folder.is_dir():
        raise ReportsError(Problem(str(folder), None, "templates", "is not a folder"))
    path = search_path(folder)
    audiences = load_audiences(list(path))
    files = {}
    for root in path:
        for item in sorted(root.rglob("*")):
            relative = item.relative_to(root)
            if not item.is_file() or "__pycache__" in relative.parts or item.suffix == ".mo":
                continue
            if relative.parts[0] == "audiences" and item.suffix == ".yaml" and len(relative.parts) == 2:
                continue  # each audience's own files count for its documents alone
            files[str(item)] = file_digest(item)
    return TemplateSet(folder, path, audiences, files)
