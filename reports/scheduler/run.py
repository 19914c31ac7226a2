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
   (`reports/scheduler/inputs.py`) differs from the one in `{out}/manifest.json`, or the file is missing or was changed
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
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from reports.errors import JobsError, Problem, ReportsError
from reports.files import WriteError, write_atomically
from reports.scheduler.documents import DocumentResult, DocumentTask, expected_seconds, plan_documents, render_in_parallel
from reports.scheduler.due import current_time, due_reason
from reports.scheduler.inputs import DossierScan, TemplateScan, scan_dossier, scan_templates
from reports.scheduler.jobs import Job, load_jobs
from reports.scheduler.manifest import Manifest
from reports.scheduler.progress import Progress

LOCK_NAME = ".reports-run.lock"
DEFAULT_LOCK_TIMEOUT = 10.0
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


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
    from reports.dossier.load import load_dossier

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


def _fail(
    run: _JobRun, now: dt.datetime, lines: list[str], progress: Progress, reasons: list[str] | None = None, written: bool = False
) -> None:
    """Say why the job failed (every line on stderr) and record the reason in the manifest (the first five)."""
    progress.job_failed(run.job, lines, written)
    reasons = reasons or lines
    reason = "; ".join(reasons[:5]) + (f"; and {len(reasons) - 5} more" if len(reasons) > 5 else "")
    run.manifest.record_failure(run.job.name, now, reason)
    _save_manifest(run, progress)


def _save_manifest(run: _JobRun, progress: Progress) -> bool:
    """Save the manifest; on a full disk say so in one line and go on with the other jobs (False)."""
    try:
        run.manifest.save()
    except WriteError as error:
        progress.warn(f"{error} (the run's record: the next run rebuilds what it cannot tell is current)")
        return False
    return True


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
        try:
            write_atomically({result.task.path: result.content for result in run.results})
        except WriteError as error:
            failures[run.job.name] = EXIT_FAILED
            _fail(run, now, [str(error)], progress, written=bool(error.replaced))
            return
        for result in run.results:
            assert result.content is not None
            run.manifest.record_output(result.task.path, run.job.name, result.task.inputs, now, result.seconds, result.content)
    run.manifest.record_success(run.job.name, now, len(run.results), len(run.tasks) - len(run.results))
    if not _save_manifest(run, progress):
        failures[run.job.name] = EXIT_FAILED
    progress.job_done(run.job, len(run.results), len(run.tasks) - len(run.results))
