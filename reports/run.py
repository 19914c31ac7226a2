"""`reports run`: the jobs of a jobs file, built when due and only where stale, safely and in parallel.

For each out folder of the selected jobs, in order:

1. **Lock** `{out}/.reports-run.lock` (filelock): a second run waits up to `--lock-timeout` seconds, then
   gives up on that folder's jobs with a message saying which run holds it (exit 1); other folders go on.
2. **Due** (`--due` only): a job with a `schedule` is due when a slot of its cron schedule lies after its
   last success and at or before now (so slots missed while the machine was off are caught up once);
   one with `before_events` is due when a lead window (N days before an upcoming event of its kinds) opened
   after its last success. A job never built successfully is due at once (a packs-only job: once an event
   is in a window). Without `--due` every selected job runs.
3. **Stale**: every output the job makes now (the regular briefings if it has a `schedule`, and a pack for
   every upcoming event of its kinds at most max(days) ahead) is rebuilt only when its inputs hash
   (`reports/inputs.py`) differs from the one in `{out}/manifest.json`, or the file is missing or was changed
   since. `--force` rebuilds them all.
4. **Build** the stale documents across processes (`--workers`, default one per core; the slowest first, by
   the time the manifest recorded, so no worker is left with a long PDF at the end), then write each
   job's files only when all of them rendered, each replaced atomically: a failed job leaves every earlier
   file of it byte-identical. One job failing does not stop the others.
5. **Record** in the manifest, written atomically after each job: per output its inputs hash, when it was
   built, how long it took, its size and sha256; per job its last success and last failure with the reason.

The clock is `--now` or the environment variable `REPORTS_NOW` (e.g. `2025-11-10T06:00`), else the system
clock; the as-of date of every briefing is its date. Exit status: 0 when every job succeeded (or was not
due); 2 for a bad jobs file or arguments (nothing is built) or when every failed job failed on bad input
(dossier, templates); 1 when any job failed otherwise (a lock held by another run, a bug).

A run that finds everything up to date imports no renderer library (WeasyPrint, python-docx, CairoSVG): those are imported
inside the functions that build.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from reports.errors import JobsError, Problem, ReportsError
from reports.inputs import DossierScan, TemplateScan, inputs_hash, scan_dossier, scan_templates, sha256_file
from reports.jobs import Job, load_jobs

ENV_NOW = "REPORTS_NOW"
MANIFEST_NAME = "manifest.json"
LOCK_NAME = ".reports-run.lock"
DEFAULT_LOCK_TIMEOUT = 10.0
MANIFEST_VERSION = 1
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def parse_now(text: str, what: str = "--now") -> dt.datetime:
    """`YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]`, with or without an offset; a naive time is local time."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReportsError(
            Problem("reports", None, what, f"'{text}' is not a date and time such as 2025-11-10T06:00 or 2025-11-10")
        ) from None
    return moment.astimezone() if moment.tzinfo is None else moment


def current_time(option: str | None) -> dt.datetime:
    """The run's clock: `--now`, else $REPORTS_NOW, else the system clock (local time, to the second)."""
    if option:
        return parse_now(option)
    if os.environ.get(ENV_NOW):
        return parse_now(os.environ[ENV_NOW], ENV_NOW)
    return dt.datetime.now().astimezone().replace(microsecond=0)


def _stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


# ---------------------------------------------------------------- the manifest


class Manifest:
    """`{out}/manifest.json`: what was built from what, and how each job last went."""

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST_NAME
        self.outputs: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.warning: str | None = None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.outputs = dict(data["outputs"])
            self.jobs = dict(data["jobs"])
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError) as error:
            self.warning = f"{self.path}: manifest: unreadable ({error}); every output counts as stale"

    def key(self, path: Path) -> str:
        return path.resolve().relative_to(self.path.parent).as_posix()

    def is_current(self, path: Path, inputs: str) -> bool:
        """Built from these inputs, and the file is still the one that was built."""
        entry = self.outputs.get(self.key(path))
        if entry is None or entry.get("inputs") != inputs:
            return False
        try:
            if path.stat().st_size != entry.get("size"):
                return False
        except OSError:
            return False
        return sha256_file(path) == entry.get("sha256")

    def last_success(self, job: str) -> dt.datetime | None:
        text = self.jobs.get(job, {}).get("last_success")
        try:
            return dt.datetime.fromisoformat(text) if text else None
        except (TypeError, ValueError):
            return None

    def record_output(self, path: Path, job: str, inputs: str, built_at: dt.datetime, seconds: float, content: bytes) -> None:
        import hashlib

        self.outputs[self.key(path)] = {
            "job": job, "inputs": inputs, "built_at": _stamp(built_at), "seconds": round(seconds, 3),
            "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
        }  # fmt: skip

    def record_success(self, job: str, now: dt.datetime, built: int, up_to_date: int) -> None:
        entry = self.jobs.setdefault(job, {})
        entry["last_success"] = _stamp(now)
        entry["last_run"] = {"at": _stamp(now), "built": built, "up_to_date": up_to_date}

    def record_failure(self, job: str, now: dt.datetime, reason: str) -> None:
        self.jobs.setdefault(job, {})["last_failure"] = {"at": _stamp(now), "reason": reason}

    def save(self) -> None:
        """Atomically, like every output: a temporary file beside it, then one rename."""
        out = self.path.parent
        outputs = {key: entry for key, entry in sorted(self.outputs.items()) if (out / key).is_file()}
        text = json.dumps({"version": MANIFEST_VERSION, "outputs": outputs, "jobs": self.jobs}, indent=2, ensure_ascii=False)
        out.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=out, prefix=f".{MANIFEST_NAME}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            os.chmod(temporary, 0o644)
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


# ---------------------------------------------------------------- what is due


def due_reason(job: Job, scan: DossierScan, last_success: dt.datetime | None, now: dt.datetime) -> str | None:
    """Why the job is due now, or None (module docstring, step 2)."""
    if job.cron is not None:
        if last_success is None:
            return "never built"
        from croniter import croniter

        slot = croniter(job.cron, last_success).get_next(dt.datetime)
        if slot <= now:
            return f"schedule {job.schedule}: due since {_stamp(slot)}"
    if job.before_events is not None:
        today, last = now.date(), last_success.date() if last_success else None
        for event in scan.upcoming(today):
            if event.kind not in job.before_events.kinds:
                continue
            for days in job.before_events.days:
                opens = event.first_day - dt.timedelta(days=days)
                if opens <= today and (last is None or last < opens):
                    return f"{event.id} is {(event.first_day - today).days} days ahead (the {days}-day window opened {opens})"
    return None


# ---------------------------------------------------------------- what to build


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


def _warm_up(formats: tuple[str, ...]) -> None:
    """Import the renderers' libraries once per worker, before its first document is timed.

    Never raises: an exception here would break the whole pool; the documents report it themselves."""
    import importlib

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
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), initializer=_warm_up, initargs=(formats,)) as pool:
        futures = {pool.submit(render_document, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception:  # a worker died (killed, out of memory): that document failed, the others go on
                yield DocumentResult(futures[future], 0.0, error=traceback.format_exc())


# ---------------------------------------------------------------- progress


class Progress:
    """One line per document with its time; on a terminal, numbered and coloured. `quiet`: failures only."""

    def __init__(self, quiet: bool, stream: TextIO | None = None, errors: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stdout
        self.errors = errors or sys.stderr
        self.tty = self.stream.isatty()
        self.total = 0
        self.done = 0

    def _colour(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.tty else text

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def warn(self, text: str) -> None:
        print(text, file=self.errors, flush=True)

    def document(self, result: DocumentResult) -> None:
        self.done += 1
        if not result.ok:
            return  # said with the job's failure
        if self.tty:
            width = len(str(self.total))
            self.say(f"[{self.done:>{width}}/{self.total}] {self._colour('✓', '32')} {result.seconds:6.2f} s  {result.task.path}")
        else:
            self.say(f"rendered {result.task.path} ({result.seconds:.2f} s)")

    def job_done(self, job: Job, built: int, up_to_date: int) -> None:
        what = f"{built} written, {up_to_date} up to date" if built else f"up to date ({up_to_date} documents)"
        self.say(f"{job.name}: {what}")

    def job_failed(self, job: Job, lines: list[str]) -> None:
        self.warn(f"{self._colour('✗', '31') if self.tty else 'failed:'} job {job.name}: nothing written")
        for line in lines:
            self.warn(line.rstrip("\n"))


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class RunOptions:
    jobs_file: Path
    due: bool = False
    force: bool = False
    job_names: tuple[str, ...] = ()
    workers: int | None = None  # None: one per core
    now: dt.datetime | None = None
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    quiet: bool = False
    dry_run: bool = False


@dataclass
class _JobRun:
    job: Job
    manifest: Manifest
    tasks: list[DocumentTask] = field(default_factory=list)  # every output
    stale: list[DocumentTask] = field(default_factory=list)
    results: list[DocumentResult] = field(default_factory=list)


def _select(jobs: list[Job], names: tuple[str, ...], jobs_file: Path) -> list[Job]:
    if not names:
        return jobs
    known = [job.name for job in jobs]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ReportsError(
            [Problem(str(jobs_file), None, "job", f"no job '{name}'; jobs: {', '.join(known)}") for name in unknown]
        )
    return [job for job in jobs if job.name in names]


def _dossier_problems(folder: Path) -> list[str]:
    """Why a dossier whose id the light scan could not read cannot be built (exit 2 lines)."""
    from reports.dossier import load_dossier

    try:
        load_dossier(folder)
    except ReportsError as error:
        return [str(p) for p in error.problems]
    return [f"{folder / 'dossier.yaml'}: id: cannot be read"]


def _lock(out: Path, timeout: float, jobs: list[Job], progress: Progress):  # -> filelock.FileLock | None
    """The out folder's lock, or None after saying why not (another run holds it, or it cannot be made)."""
    from filelock import FileLock, Timeout

    names = ", ".join(job.name for job in jobs)
    try:
        out.mkdir(parents=True, exist_ok=True)
        lock = FileLock(out / LOCK_NAME, timeout=timeout)
        lock.acquire()
    except Timeout:
        progress.warn(
            f"{out / LOCK_NAME}: lock: another 'reports run' is building into {out}; waited {timeout:g} s. "
            f"Not run: {names}. Try again when it has finished."
        )
        return None
    except OSError as error:
        progress.warn(f"{out / LOCK_NAME}: lock: cannot be created ({error.strerror or error}). Not run: {names}.")
        return None
    return lock


def run_jobs(options: RunOptions) -> int:
    """Run the jobs; the exit status (module docstring)."""
    started = time.perf_counter()
    progress = Progress(options.quiet)
    jobs = _select(load_jobs(options.jobs_file), options.job_names, options.jobs_file)
    now = options.now or current_time(None)
    as_of = now.date()
    by_out: dict[Path, list[Job]] = {}
    for job in jobs:
        by_out.setdefault(job.out.resolve(), []).append(job)

    exit_status = EXIT_OK
    locks = []
    runs: list[_JobRun] = []
    try:
        for out in sorted(by_out):
            lock = None if options.dry_run else _lock(out, options.lock_timeout, by_out[out], progress)
            if lock is None and not options.dry_run:
                exit_status = EXIT_FAILED
                continue
            locks.append(lock)
            manifest = Manifest(out)
            if manifest.warning:
                progress.warn(manifest.warning)
            runs += [_JobRun(job, manifest) for job in by_out[out]]
        failures = _run(runs, options, now, as_of, progress)
    finally:
        for lock in reversed(locks):
            if lock is not None:
                lock.release()
    if runs and not options.dry_run:
        built = sum(1 for run in runs for result in run.results if result.ok)
        progress.say(
            f"{len(runs)} job{'s' if len(runs) != 1 else ''}: {built} document{'s' if built != 1 else ''} rendered, "
            f"{len(failures)} failed ({time.perf_counter() - started:.1f} s)"
        )
    if EXIT_FAILED in failures.values():
        return EXIT_FAILED
    return exit_status or (EXIT_BAD_INPUT if failures else EXIT_OK)


def _run(runs: list[_JobRun], options: RunOptions, now: dt.datetime, as_of: dt.date, progress: Progress) -> dict[str, int]:
    """Decide, build and record; the failed jobs, each with its exit status."""
    scans: dict[Path, DossierScan] = {}
    template_scans: dict[Path | None, TemplateScan] = {}
    failures: dict[str, int] = {}  # job name → exit status of its failure
    planned: dict[Path, str] = {}
    active: list[_JobRun] = []
    for run in runs:
        job = run.job
        scan = scans.get(job.dossier) or scans.setdefault(job.dossier, scan_dossier(job.dossier))
        if options.due:
            reason = due_reason(job, scan, run.manifest.last_success(job.name), now)
            if reason is None:
                progress.say(f"{job.name}: not due")
                continue
            progress.say(f"{job.name}: due: {reason}")
        if scan.id is None:
            lines = _dossier_problems(job.dossier)
            if options.dry_run:
                progress.job_failed(job, lines)
            else:
                _fail(run, now, lines, progress)
            failures[job.name] = EXIT_BAD_INPUT
            continue
        if job.templates not in template_scans:
            template_scans[job.templates] = scan_templates(job.templates)
        run.tasks = plan_documents(job, scan, template_scans[job.templates], as_of)
        for task in run.tasks:
            other = planned.setdefault(task.path.resolve(), job.name)
            if other != job.name:
                message = f"job '{job.name}' writes {task.path}, as job '{other}' does; give one of them another out folder"
                raise JobsError(Problem(str(options.jobs_file), job.line, "out", message))
        run.stale = [task for task in run.tasks if options.force or not run.manifest.is_current(task.path, task.inputs)]
        active.append(run)

    if options.dry_run:
        for run in active:
            for task in run.stale:
                progress.say(f"would build {task.path}")
            progress.say(f"{run.job.name}: {len(run.stale)} to build, {len(run.tasks) - len(run.stale)} up to date")
        return failures

    tasks = [task for run in active for task in run.stale]
    progress.total = len(tasks)
    by_job = {run.job.name: run for run in active}
    remaining = {run.job.name: len(run.stale) for run in active}
    for run in active:
        if not run.stale:
            _finish(run, now, progress, failures)
    if tasks:
        workers = options.workers or os.cpu_count() or 1
        if workers > 1:
            tasks.sort(key=lambda task: -expected_seconds(task, by_job[task.job].manifest))
        progress.say(f"building {len(tasks)} document{'s' if len(tasks) != 1 else ''} with {min(workers, len(tasks))} worker(s)")
        for result in render_in_parallel(tasks, workers):
            run = by_job[result.task.job]
            run.results.append(result)
            progress.document(result)
            remaining[run.job.name] -= 1
            if remaining[run.job.name] == 0:
                _finish(run, now, progress, failures)
    return failures


def _fail(run: _JobRun, now: dt.datetime, lines: list[str], progress: Progress, reasons: list[str] | None = None) -> None:
    """Say why the job failed (every line on stderr) and record the reason in the manifest (the first five)."""
    progress.job_failed(run.job, lines)
    reasons = reasons or lines
    reason = "; ".join(reasons[:5]) + (f"; and {len(reasons) - 5} more" if len(reasons) > 5 else "")
    run.manifest.record_failure(run.job.name, now, reason)
    run.manifest.save()


def _finish(run: _JobRun, now: dt.datetime, progress: Progress, failures: dict[str, int]) -> None:
    """All of a job's documents are rendered: write them all, or none if one failed; record it."""
    failed = [result for result in run.results if not result.ok]
    if failed:
        problems = list(dict.fromkeys(line for result in failed for line in result.problems))
        bugs = [result for result in failed if result.error]
        lines = problems + [f"{result.task.path}: {result.error}" for result in bugs]
        reasons = problems + [f"{result.task.path}: {result.error.strip().splitlines()[-1]}" for result in bugs if result.error]
        failures[run.job.name] = EXIT_FAILED if bugs else EXIT_BAD_INPUT
        _fail(run, now, lines, progress, reasons)
        return
    if run.results:
        from reports.build import write_atomically

        try:
            write_atomically({result.task.path: result.content for result in run.results})
        except OSError as error:
            failures[run.job.name] = EXIT_FAILED
            _fail(run, now, [f"{error.filename or run.job.out}: write: {error.strerror or error}"], progress)
            return
        for result in run.results:
            assert result.content is not None
            run.manifest.record_output(result.task.path, run.job.name, result.task.inputs, now, result.seconds, result.content)
    run.manifest.record_success(run.job.name, now, len(run.results), len(run.tasks) - len(run.results))
    run.manifest.save()
    progress.job_done(run.job, len(run.results), len(run.tasks) - len(run.results))
