"""The build engine: plan the documents, then execute them; `reports build`, `brief`, `run` and the preview use it.

1. **Plan** (`plan.py`): each dossier loaded and checked once per as-of date, each templates folder once; every
   document with its path and its inputs hash, from the files the loader read.
2. **Units** (`make_units`): the indicators computed once per dossier and as-of date; the documents of one
   (audience, language) grouped, so that their briefing model is built once and every format drawn from it.
3. **Execute** (`executors.py`): in this process, a local pool or Dask workers; each returns bytes.
4. **Write**: the caller writes the files atomically and records them in `{out}/manifest.json` (`manifest.py`),
   so a `reports run` after a `reports build` of the same documents rebuilds nothing.

For a program (the live preview): `Planner().plan(BuildRequest(...))` gives the documents with their
`input_files`; `render_documents(documents)` the bytes of each by path, nothing written.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from reports.engine.executors import LocalExecutor
from reports.engine.manifest import Manifest
from reports.engine.plan import BuildRequest, Document, LoadedDossier, Planner
from reports.engine.render import DocumentResult, Unit
from reports.errors import ReportsError
from reports.files import write_atomically
from reports.isolation import render_process
from reports.progress import DocumentProgress
from reports.renderers import warm_up

if TYPE_CHECKING:
    from reports.indicators import Indicators  # pandas: imported only where the units are made

__all__ = ["BuildRequest", "Document", "DocumentResult", "Planner", "build", "brief", "make_units", "render_documents"]


class BuildFailed(RuntimeError):
    """A document failed for a reason other than bad input (a bug): exit 1 with its traceback."""


def make_units(documents: Iterable[Document]) -> list[Unit]:
    """The documents grouped by briefing model, the indicators of each dossier and as-of date computed once."""
    from reports.indicators import compute_indicators

    indicators: dict[int, Indicators] = {}
    groups: dict[tuple, list[Document]] = {}
    for document in documents:
        request = document.request
        key = (
            id(document.loaded), request.templates, request.event_id, request.limits, document.audience, document.lang,
            document.since,
        )  # fmt: skip
        groups.setdefault(key, []).append(document)
    units = []
    for (loaded_id, templates, event_id, limits, audience, lang, since), members in groups.items():
        loaded: LoadedDossier = members[0].loaded
        if loaded_id not in indicators:
            indicators[loaded_id] = compute_indicators(loaded.dossier, loaded.as_of)
        identity = json.dumps([[str(d.path), d.inputs] for d in members]).encode()
        units.append(
            Unit(
                key=hashlib.sha256(identity).hexdigest()[:32],
                dossier=loaded.dossier,
                as_of=loaded.as_of,
                indicators=indicators[loaded_id],
                templates=templates,
                audience=audience,
                lang=lang,
                event_id=event_id,
                since=since,
                limits=limits,
                documents=tuple((d.path, d.format) for d in members),
            )  # fmt: skip
        )
    return units


def render_documents(documents: list[Document]) -> Iterator[DocumentResult]:
    """Each document rendered in this process (each format in its child under the limits), nothing written."""
    return itertools.chain.from_iterable(LocalExecutor(1).run(make_units(documents)))


def build(request: BuildRequest, progress: DocumentProgress | None = None) -> list[Path]:
    """`reports build` and `reports brief`: every document of the request rendered, then all written or none, and
    recorded in the out folder's manifest; bad input anywhere is exit 2 with every problem, a bug exit 1.

    Said on stderr: a line per document that leaves items out because they cite sources published after the
    as-of date, and per audience a pack skipped because its event is not public; `progress` hears of every
    document as it finishes."""
    planner = Planner()
    with render_process(functools.partial(warm_up, request.formats)):  # warms up while the dossier loads
        documents = planner.plan(request)
        if progress is not None:
            progress.total = len(documents)
        results = []
        for result in render_documents(documents):
            results.append(result)
            if progress is not None and result.ok:
                progress.finished(result.path, result.seconds)
    problems = list(dict.fromkeys(problem for result in results for problem in result.problems))
    bugs = [result for result in results if result.error]
    if bugs:
        raise BuildFailed(f"{bugs[0].path}: {bugs[0].error}")
    if problems:
        raise ReportsError(problems)
    contents = {result.path: result.content for result in results if result.content is not None}
    written = write_atomically(contents)
    _record(request.out, documents, results)
    notices = planner.notices + [
        f"{result.path}: as of {request.as_of}: left out {result.left_out} items that cite later sources"
        for result in results
        if result.left_out
    ]
    for notice in notices:
        print(notice, file=sys.stderr)
    return written


def brief(request: BuildRequest, event_id: str, progress: DocumentProgress | None = None) -> list[Path]:
    """The briefing pack for one event: `{out}/{dossier}/brief-{event id}.{audience}.{lang}.{ext}`."""
    from dataclasses import replace

    return build(replace(request, event_id=event_id), progress)


def _record(out: Path, documents: list[Document], results: list[DocumentResult]) -> None:
    """What was written, in the manifest `reports run` reads, under the run's lock. A run holding the lock longer
    than LOCK_SECONDS leaves these documents unrecorded (said in one line): the next run rebuilds them, no harm."""
    from filelock import FileLock, Timeout

    from reports.engine.manifest import LOCK_NAME, LOCK_SECONDS

    by_path = {document.path: document for document in documents}
    now = dt.datetime.now().astimezone().replace(microsecond=0)
    try:
        with FileLock(out / LOCK_NAME, timeout=LOCK_SECONDS):
            manifest = Manifest(out)
            for result in results:
                assert result.content is not None
                document = by_path[result.path]
                seconds, as_of = result.seconds, document.loaded.as_of
                manifest.record_output(result.path, None, document.inputs, now, seconds, result.content, as_of)
            manifest.save()
    except Timeout:
        message = "another 'reports run' holds the lock; written, not recorded (the next run rebuilds them)"
        print(f"{out / LOCK_NAME}: manifest: {message}", file=sys.stderr)
