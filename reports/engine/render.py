"""Rendering: one briefing model per (audience, language), every format of it drawn from that one model.

A `Unit` is what a worker is given: the loaded dossier and its indicators (computed once per dossier and as-of
date by whoever planned), the audience, the language and the documents to draw. It is plain data, so it
crosses a process boundary or the network as it is; the worker reads no dossier file, so what it renders is
what was planned. Each format is drawn in a child process under the memory and time limits
(`reports/isolation.py`), from the same model, which is frozen (`reports/briefing/model.py`): no format's
template can change what the next one draws.

A worker whose `reports` is another version than the planner's renders nothing and says so: the bytes of a
document must not depend on which machine drew it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import socket
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reports import __version__
from reports.dossier.model import Dossier
from reports.errors import Problem, ReportsError
from reports.isolation import Limits, await_render_process

if TYPE_CHECKING:
    from reports.briefing.model import Briefing
    from reports.indicators import Indicators  # pandas: imported only where a unit is made or rendered


@dataclass(frozen=True)
class Unit:
    """One briefing model and the documents drawn from it."""

    key: str  # the hash of its documents' paths and inputs: the same work has the same key
    dossier: Dossier
    as_of: dt.date
    indicators: Indicators
    templates: Path | None
    audience: str
    lang: str
    event_id: str | None
    since: dt.date | None  # a section "Since <date>" (reports/briefing/sections/since.py)
    limits: Limits
    documents: tuple[tuple[Path, str], ...]  # (path, format)
    version: str = __version__  # the planner's: a worker of another version refuses the unit


@dataclass
class DocumentResult:
    """One document rendered, or why not: its bad input (`path:line: field: what`) or anything else."""

    path: Path
    seconds: float = 0.0
    content: bytes | None = None
    problems: list[Problem] = field(default_factory=list)  # bad input: exit 2
    error: str | None = None  # anything else, a traceback or one line: exit 1
    refused: bool = False  # a worker of another version: the run stops, exit 1
    left_out: int = 0  # items its briefing leaves out for citing sources published after the as-of date

    @property
    def ok(self) -> bool:
        return self.content is not None


def worker_facts() -> dict[str, object]:
    """What a run checks of a worker before giving it work: its version, and whether it may fork a child."""
    import multiprocessing

    return {"version": __version__, "daemon": bool(multiprocessing.current_process().daemon), "host": socket.gethostname()}


def render_unit(unit: Unit) -> list[DocumentResult]:
    """Every document of the unit, in memory; problems are returned, never raised."""
    if unit.version != __version__:
        where = f"{socket.gethostname()} (pid {os.getpid()})"
        message = f"worker {where} has reports {__version__}, this run has reports {unit.version}"
        return [DocumentResult(path, error=message, refused=True) for path, _ in unit.documents]
    try:
        started = time.perf_counter()
        model, template_dirs, left_out = _model(unit)  # while the render process may still be warming up
    except ReportsError as error:
        return [DocumentResult(path, problems=list(error.problems)) for path, _ in unit.documents]
    except Exception:
        return [DocumentResult(path, error=traceback.format_exc()) for path, _ in unit.documents]
    share = (time.perf_counter() - started) / len(unit.documents)  # the model's time, shared by its formats
    await_render_process()  # a worker's first document does not count the warm-up of its renderers
    results, fitted = [], False
    for path, output_format in sorted(unit.documents, key=lambda document: document[1] != "pdf"):
        result, model, fitted = _draw(unit, model, fitted, template_dirs, path, output_format, share)
        result.left_out = left_out
        results.append(result)
    return results


def _model(unit: Unit) -> tuple[Briefing, list[Path], int]:
    """The unit's briefing model, its template search path, and how many items the as-of date leaves out. An
    organization's templates folder is checked here, once, by each renderer of the unit that checks one; this
    process imports no other renderer: they are the render process's."""
    from reports.briefing.audiences import load_audiences
    from reports.briefing.pack import build_brief
    from reports.briefing.report import build_briefing
    from reports.renderers import CHECKS_TEMPLATES, renderer_class
    from reports.template_folders import template_folders

    formats = [output_format for _, output_format in unit.documents if output_format in CHECKS_TEMPLATES]
    checks = [renderer_class(output_format).check_templates for output_format in formats] if unit.templates else []
    template_dirs = template_folders(unit.templates, checks)
    audience = load_audiences(template_dirs)[unit.audience]
    make = functools.partial(build_brief, event_id=unit.event_id) if unit.event_id else build_briefing
    make = functools.partial(make, since=unit.since)
    model = make(unit.dossier, unit.indicators, audience, unit.lang, template_dirs)
    return model, template_dirs, model.left_out


def _draw(
    unit: Unit, model: Briefing, fitted: bool, template_dirs: list[Path], path: Path, output_format: str, share: float
) -> tuple[DocumentResult, Briefing, bool]:
    """One document, and the model the next format draws: a note fitted by the first format's child (the PDF's,
    whose layout fits it and is written), so the others draw that choice without laying the note out again."""
    from reports.isolation import render_limited
    from reports.renderers import draw

    try:
        started = time.perf_counter()
        content, model = render_limited(
            unit.limits, path.name, draw, output_format, template_dirs, unit.lang, model, fitted, unit.limits.seconds
        )
        return DocumentResult(path, share + time.perf_counter() - started, content=content), model, True
    except ReportsError as error:
        return DocumentResult(path, problems=list(error.problems)), model, fitted
    except Exception:
        return DocumentResult(path, error=traceback.format_exc()), model, fitted
