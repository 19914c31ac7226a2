"""The build: dossier → indicators → one briefing per audience and language → one file per format.

Everything is rendered in memory first, each document in a child process under limits (`isolation.py`), and
written only when all of it succeeded, each file replaced atomically, so a failed build leaves the previous good
files in place and no partial file behind. Each document builds its own briefing, so what one format's template
changes in it stays in that format.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from reports.briefing.audiences import AudienceConfig, select_audiences
from reports.briefing.context import audience_view
from reports.briefing.fit import fitted
from reports.briefing.model import Briefing
from reports.briefing.pack import build_brief
from reports.briefing.report import build_briefing
from reports.dossier.load import load_dossier
from reports.dossier.model import Dossier
from reports.files import write_atomically
from reports.indicators import compute_indicators
from reports.isolation import Limits, render_limited
from reports.locale.labels import DEFAULT_LANGS
from reports.progress import DocumentProgress
from reports.renderers import DEFAULT_FORMATS, Renderer, renderer_class
from reports.template_folders import template_folders


@dataclass(frozen=True)
class BuildRequest:
    dossier: Path
    out: Path
    as_of: dt.date
    audiences: tuple[str, ...] = ()  # empty: every audience on the search path
    formats: tuple[str, ...] = DEFAULT_FORMATS
    langs: tuple[str, ...] = DEFAULT_LANGS
    templates: Path | None = None
    limits: Limits = Limits()  # of each document's render (reports/isolation.py)


def render_all(
    request: BuildRequest,
    event_id: str | None = None,
    notices: list[str] | None = None,
    progress: DocumentProgress | None = None,
) -> dict[Path, bytes]:
    """Every output file of the request, rendered in memory: `{out}/{dossier}/{audience}.{lang}.{ext}`, or with an
    `event_id` the briefing packs for that event, `{out}/{dossier}/brief-{event id}.{audience}.{lang}.{ext}` (an
    unknown event id is exit 2). `notices` receives one line per document that leaves items out because they
    cite sources published after the as-of date, and per audience a pack skipped (below); `progress` hears of
    every document as it finishes.

    A pack on an event that an audience cannot see (not public: the press) is skipped with a notice when the
    audiences were not named; naming that audience is exit 2."""
    classes = [renderer_class(name) for name in dict.fromkeys(request.formats)]
    template_dirs = template_folders(request.templates, [renderer.check_templates for renderer in classes])
    renderers = [renderer(template_dirs) for renderer in classes]
    audiences = select_audiences(list(request.audiences), template_dirs)
    dossier = load_dossier(request.dossier)
    indicators = compute_indicators(dossier, request.as_of)
    make_briefing = functools.partial(build_brief, event_id=event_id) if event_id else build_briefing
    prefix = f"brief-{event_id}." if event_id else ""
    outputs: dict[Path, bytes] = {}
    if event_id and not request.audiences:
        audiences = _audiences_seeing(audiences, dossier, event_id, request, notices)
    if progress is not None:
        progress.total = len(audiences) * len(dict.fromkeys(request.langs)) * len(renderers)
    for audience in audiences:
        for lang in dict.fromkeys(request.langs):
            _, left_out = audience_view(dossier, audience, lang, request.as_of, event_id)
            for renderer in renderers:
                name = f"{prefix}{audience.name}.{lang}.{renderer.suffix}"

                def render(audience=audience, lang=lang, renderer=renderer) -> bytes:
                    """The briefing (its catalog's words) and its file, in the child process of `render_limited`."""
                    briefing = make_briefing(dossier, indicators, audience, lang, template_dirs)
                    return renderer.render(fitted_note(briefing, renderer, template_dirs))

                path = request.out / dossier.id / name
                started = time.perf_counter()
                outputs[path] = render_limited(request.limits, name, render)
                if progress is not None:
                    progress.finished(path, time.perf_counter() - started)
                if left_out and notices is not None:
                    notices.append(f"{path}: as of {request.as_of}: left out {left_out} items that cite later sources")
    return outputs


def fitted_note(briefing: Briefing, renderer: Renderer, template_dirs: list[Path]) -> Briefing:
    """A page-limited note's units chosen by the PDF's layout (the format that counts pages), the same choice in
    every format (reports/briefing/fit.py); the PDF renderer keeps the layout it measured and writes it."""
    if not briefing.max_pages:
        return briefing
    layout = renderer if renderer.name == "pdf" else renderer_class("pdf")(template_dirs)
    return fitted(briefing, layout.pages_filled)  # type: ignore[attr-defined]


def render_brief(request: BuildRequest, event_id: str) -> dict[Path, bytes]:
    """The briefing pack for one event, every audience and language of the request."""
    return render_all(request, event_id)


def _audiences_seeing(
    audiences: list[AudienceConfig], dossier: Dossier, event_id: str, request: BuildRequest, notices: list[str] | None
) -> list[AudienceConfig]:
    """The audiences whose view of the dossier holds the event (an unknown event id is left to the pack: exit 2)."""
    if not any(event.id == event_id for event in dossier.events):
        return audiences
    seeing = []
    for audience in audiences:
        view, _ = audience_view(dossier, audience, (request.langs or DEFAULT_LANGS)[0], request.as_of, event_id)
        if any(event.id == event_id for event in view.events):
            seeing.append(audience)
        elif notices is not None:
            notices.append(f"skipped the '{audience.name}' pack: '{event_id}' is not public, so that audience cannot see it")
    return seeing or audiences  # no audience sees it: the pack says why, exit 2


def build(request: BuildRequest, progress: DocumentProgress | None = None) -> list[Path]:
    notices: list[str] = []
    paths = write_atomically(render_all(request, notices=notices, progress=progress))
    _print_notices(notices)
    return paths


def brief(request: BuildRequest, event_id: str, progress: DocumentProgress | None = None) -> list[Path]:
    notices: list[str] = []
    paths = write_atomically(render_all(request, event_id, notices, progress))
    _print_notices(notices)
    return paths


def _print_notices(notices: list[str]) -> None:
    for notice in notices:
        print(notice, file=sys.stderr)
