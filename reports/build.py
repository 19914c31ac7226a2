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
from dataclasses import dataclass
from pathlib import Path

from reports.briefing.audiences import select_audiences
from reports.briefing.context import audience_view
from reports.briefing.pack import build_brief
from reports.briefing.report import build_briefing
from reports.dossier.load import load_dossier
from reports.files import write_atomically
from reports.indicators import compute_indicators
from reports.isolation import Limits, render_limited
from reports.locale.labels import DEFAULT_LANGS
from reports.renderers import DEFAULT_FORMATS, renderer_class
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
    since: dt.date | None = None  # each document says what changed after this date (before `as_of`)


def render_all(request: BuildRequest, event_id: str | None = None, notices: list[str] | None = None) -> dict[Path, bytes]:
    """Every output file of the request, rendered in memory: `{out}/{dossier}/{audience}.{lang}.{ext}`, or with an
    `event_id` the briefing packs for that event, `{out}/{dossier}/brief-{event id}.{audience}.{lang}.{ext}` (an
    unknown event id is exit 2). `notices` receives one line per document that leaves items out because they
    cite sources published after the as-of date."""
    classes = [renderer_class(name) for name in dict.fromkeys(request.formats)]
    template_dirs = template_folders(request.templates, [renderer.check_templates for renderer in classes])
    renderers = [renderer(template_dirs) for renderer in classes]
    audiences = select_audiences(list(request.audiences), template_dirs)
    dossier = load_dossier(request.dossier)
    indicators = compute_indicators(dossier, request.as_of)
    make_briefing = functools.partial(build_brief, event_id=event_id) if event_id else build_briefing
    prefix = f"brief-{event_id}." if event_id else ""
    outputs: dict[Path, bytes] = {}
    for audience in audiences:
        for lang in dict.fromkeys(request.langs):
            _, left_out = audience_view(dossier, audience, lang, request.as_of, event_id)
            for renderer in renderers:
                name = f"{prefix}{audience.name}.{lang}.{renderer.suffix}"

                def render(audience=audience, lang=lang, renderer=renderer) -> bytes:
                    """The briefing (its catalog's words) and its file, in the child process of `render_limited`."""
                    return renderer.render(make_briefing(dossier, indicators, audience, lang, template_dirs, since=request.since))

                path = request.out / dossier.id / name
                outputs[path] = render_limited(request.limits, name, render)
                if left_out and notices is not None:
                    notices.append(f"{path}: as of {request.as_of}: left out {left_out} items that cite later sources")
    return outputs


def render_brief(request: BuildRequest, event_id: str) -> dict[Path, bytes]:
    """The briefing pack for one event, every audience and language of the request."""
    return render_all(request, event_id)


def build(request: BuildRequest) -> list[Path]:
    notices: list[str] = []
    paths = write_atomically(render_all(request, notices=notices))
    _print_notices(notices)
    return paths


def brief(request: BuildRequest, event_id: str) -> list[Path]:
    notices: list[str] = []
    paths = write_atomically(render_all(request, event_id, notices))
    _print_notices(notices)
    return paths


def _print_notices(notices: list[str]) -> None:
    for notice in notices:
        print(notice, file=sys.stderr)
