"""The build: dossier → indicators → one briefing per audience and language → one file per format.

Everything is rendered in memory first, each document in a child process under limits (`isolation.py`), and
written only when all of it succeeded, each file replaced atomically, so a failed build leaves the previous good
files in place and no partial file behind. Each document builds its own briefing, so what one format's template
changes in it stays in that format.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reports.briefing.audiences import select_audiences
from reports.briefing.fit import fitted
from reports.briefing.model import Briefing
from reports.briefing.pack import build_brief
from reports.briefing.report import build_briefing
from reports.dossier.load import load_dossier
from reports.files import write_atomically
from reports.indicators import compute_indicators
from reports.isolation import Limits, render_limited
from reports.locale.labels import DEFAULT_LANGS
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
    request: BuildRequest, make_briefing: Callable[..., Briefing] = build_briefing, prefix: str = ""
) -> dict[Path, bytes]:
    """Every output file of the request, rendered in memory: `{out}/{dossier}/{prefix}{audience}.{lang}.{ext}`.

    `make_briefing(dossier, indicators, audience, lang, template_dirs)` builds each briefing: a report
    by default, a briefing pack for `render_brief`."""
    classes = [renderer_class(name) for name in dict.fromkeys(request.formats)]
    template_dirs = template_folders(request.templates, [renderer.check_templates for renderer in classes])
    renderers = [renderer(template_dirs) for renderer in classes]
    audiences = select_audiences(list(request.audiences), template_dirs)
    dossier = load_dossier(request.dossier)
    indicators = compute_indicators(dossier, request.as_of)
    outputs: dict[Path, bytes] = {}
    for audience in audiences:
        for lang in dict.fromkeys(request.langs):
            for renderer in renderers:
                name = f"{prefix}{audience.name}.{lang}.{renderer.suffix}"

                def render(audience=audience, lang=lang, renderer=renderer) -> bytes:
                    """The briefing (its catalog's words) and its file, in the child process of `render_limited`."""
                    briefing = make_briefing(dossier, indicators, audience, lang, template_dirs)
                    return renderer.render(fitted_note(briefing, renderer, template_dirs))

                outputs[request.out / dossier.id / name] = render_limited(request.limits, name, render)
    return outputs


def fitted_note(briefing: Briefing, renderer: Renderer, template_dirs: list[Path]) -> Briefing:
    """A page-limited note's units chosen by the PDF's layout (the format that counts pages), the same choice in
    every format (reports/briefing/fit.py); the PDF renderer keeps the layout it measured and writes it."""
    if not briefing.max_pages:
        return briefing
    layout = renderer if renderer.name == "pdf" else renderer_class("pdf")(template_dirs)
    return fitted(briefing, layout.pages_filled)  # type: ignore[attr-defined]


def render_brief(request: BuildRequest, event_id: str) -> dict[Path, bytes]:
    """The briefing pack for one event, every audience and language of the request:
    `{out}/{dossier}/brief-{event id}.{audience}.{lang}.{ext}`; an unknown event id is exit 2."""
    return render_all(request, functools.partial(build_brief, event_id=event_id), f"brief-{event_id}.")


def build(request: BuildRequest) -> list[Path]:
    return write_atomically(render_all(request))


def brief(request: BuildRequest, event_id: str) -> list[Path]:
    return write_atomically(render_brief(request, event_id))
