"""What a job builds (one task per output document) and rendering the tasks across a process pool.

A task carries everything a worker needs, so it crosses the process boundary as plain data; renderer libraries
are imported only in the workers, so a run with nothing stale never loads them.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reports.errors import ReportsError
from reports.isolation import die_with_parent
from reports.scheduler.inputs import DossierScan, TemplateScan, inputs_hash
from reports.scheduler.jobs import Job
from reports.scheduler.manifest import Manifest


@dataclass(frozen=True)
class DocumentTask:
    """One output file to render: everything a worker process needs, picklable."""

    job: str
    path: Path
    inputs: str
    dossier: Path
    out: Path
    templates: Path | None
    as_of: dt.date
    audience: str
    lang: str
    output_format: str
    event_id: str | None = None


@dataclass
class DocumentResult:
    task: DocumentTask
    seconds: float
    content: bytes | None = None
    problems: list[str] = field(default_factory=list)  # bad input: `path:line: field: message`
    error: str | None = None  # anything else: the traceback

    @property
    def ok(self) -> bool:
        return self.content is not None


def plan_documents(job: Job, scan: DossierScan, templates: TemplateScan, as_of: dt.date) -> list[DocumentTask]:
    """Every output the job makes as of that date, each with its inputs hash."""
    assert scan.id is not None
    audiences = job.audiences or tuple(templates.audiences)
    folder = job.out / scan.id
    items: list[tuple[str | None, int | None]] = [(None, None)] if job.builds_reports else []
    if job.before_events is not None:
        for event in sorted(scan.upcoming(as_of), key=lambda e: (e.first_day, e.id)):
            window = job.before_events.bucket((event.first_day - as_of).days)
            if event.kind in job.before_events.kinds and window is not None:
                items.append((event.id, window))
    tasks = []
    for event_id, window in items:
        prefix = f"brief-{event_id}." if event_id else ""
        for audience in audiences:
            for lang in job.langs:
                for output_format in job.formats:
                    tasks.append(
                        DocumentTask(
                            job=job.name,
                            path=folder / f"{prefix}{audience}.{lang}.{output_format}",
                            inputs=inputs_hash(scan, templates, audience, lang, output_format, as_of, event_id, window),
                            dossier=job.dossier,
                            out=job.out,
                            templates=job.templates,
                            as_of=as_of,
                            audience=audience,
                            lang=lang,
                            output_format=output_format,
                            event_id=event_id,
                        )  # fmt: skip
                    )
    return tasks


def render_document(task: DocumentTask) -> DocumentResult:
    """Render one output in memory (in a worker process); problems are returned, never raised."""
    started = time.perf_counter()
    try:
        from reports.build import BuildRequest, render_all, render_brief

        request = BuildRequest(
            dossier=task.dossier, out=task.out, as_of=task.as_of, audiences=(task.audience,),
            formats=(task.output_format,), langs=(task.lang,), templates=task.templates,
        )  # fmt: skip
        outputs = render_brief(request, task.event_id) if task.event_id else render_all(request)
        if list(outputs) != [task.path]:
            raise RuntimeError(f"expected to render {task.path}, rendered {', '.join(map(str, outputs))}")
        return DocumentResult(task, time.perf_counter() - started, content=outputs[task.path])
    except ReportsError as error:
        return DocumentResult(task, time.perf_counter() - started, problems=[str(p) for p in error.problems])
    except Exception:
        return DocumentResult(task, time.perf_counter() - started, error=traceback.format_exc())


def _warm_up(formats: tuple[str, ...], parent: int) -> None:
    """End with the run (`die_with_parent`), then import the renderers' libraries once per worker, before its
    first document is timed.

    Never raises: an exception here would break the whole pool; the documents report it themselves."""
    import importlib
    import signal

    # Ctrl-C reaches the whole process group: a worker ends at once and quietly (its render with it), the run says so
    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(130))
    die_with_parent(parent)
    try:
        import reports.build  # noqa: F401
        from reports.renderers import RENDERERS

        for name in formats:
            importlib.import_module(RENDERERS[name][0])
    except Exception:
        pass


# What a document costs when the manifest has no time for it yet: PDF layout dominates, Word and HTML are quick.
GUESS_SECONDS = {"pdf": 3.0, "docx": 1.0, "html": 0.3}


def expected_seconds(task: DocumentTask, manifest: Manifest) -> float:
    """How long the document took last time (the manifest), else a guess by format: the order to start them in."""
    seconds = manifest.outputs.get(manifest.key(task.path), {}).get("seconds")
    return float(seconds) if isinstance(seconds, int | float) else GUESS_SECONDS.get(task.output_format, 1.0)


def render_in_parallel(tasks: list[DocumentTask], workers: int) -> Iterator[DocumentResult]:
    """Results as they complete: in this process for one worker or one task, else across processes."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield render_document(task)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    formats = tuple(sorted({task.output_format for task in tasks}))
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), initializer=_warm_up, initargs=(formats, os.getpid())) as pool:
        futures = {pool.submit(render_document, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception:  # a worker died (killed, out of memory): that document failed, the others go on
                yield DocumentResult(futures[future], 0.0, error=traceback.format_exc())


