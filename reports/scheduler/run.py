"""`reports run`: the jobs of a jobs file, built when due and only where stale, safely, on this machine or on Dask.

For each out folder of the selected jobs, in order:

1. **Lock** `{out}/.reports-run.lock` (filelock): a second run waits up to `--lock-timeout` seconds, then
   gives up on that folder's jobs with a message saying which run holds it (exit 1); other folders go on.
2. **Plan** (the build engine, `reports/engine/`): every dossier of every job (`dossier:` may be a glob) loaded
   and checked once; a dossier that fails fails only its own documents, named at the end (exit 2).
3. **Due** (`--due` only): a job with a `schedule` is due when a slot of its cron schedule lies after its
   last success and at or before now (so slots missed while the machine was off are caught up once);
   one with `before_events` is due when a lead window (N days before an upcoming event of its kinds) opened
   after its last success. A job never built successfully is due at once. Without `--due` every selected job runs.
4. **Stale**: a document is rebuilt only when its inputs hash (what its loader read, the templates, the dossier
   as of the date: `reports/engine/plan.py`) differs from the one in `{out}/manifest.json`, or the file is missing
   or was changed since. `--force` rebuilds them all.
5. **Render** the stale documents with the executor (`--executor`, else `executor:` of the jobs file, else
   `local`: `--workers` processes, default one per core; or `dask://HOST:PORT`), the slowest first; each briefing
   model is built once and every format drawn from it. An executor that cannot be used is one line, exit 1,
   before anything is written.
6. **Write** each job's documents of one dossier only when all of them rendered, each replaced atomically, by
   this process (never by a worker): a failed dossier leaves every earlier file of it byte-identical.
7. **Record** in the manifest, written atomically: per output its inputs hash, when it was built, how long it
   took, its size and sha256; per job its last success and last failure with the reason, and what each of its
   `deliver:` targets is owed (the documents just written with new bytes).
8. **Deliver** (`dispatch.py`, `reports/delivery/`): each target receives what it is owed, one parcel per job and
   dossier, whether the job was due or not; a failure is one line and stays owed for the next run.

The clock is `--now` or the environment variable `REPORTS_NOW`, else the system clock; the as-of date of every
briefing is its date. Exit status: 0 when every job succeeded (or was not due); 2 for a bad jobs file or
arguments (nothing is built) or when every failure was bad input (dossier, templates); 1 otherwise (a lock held
by another run, an executor that cannot be used, a delivery that failed, a bug).

A run that finds everything up to date imports no renderer library nor pandas: planning reads and checks only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from reports.dossier.as_of import event_status
from reports.engine import make_units
from reports.engine.executors import ExecutorError, check_executor, make_executor
from reports.engine.manifest import LOCK_NAME, LOCK_SECONDS, Manifest
from reports.engine.plan import BuildRequest, Document, Planner
from reports.engine.render import DocumentResult
from reports.errors import JobsError, Problem, ReportsError
from reports.files import WriteError, write_atomically
from reports.progress import counted
from reports.scheduler.dispatch import Deliveries
from reports.scheduler.due import current_time, due_reason
from reports.scheduler.jobs import Job, load_jobs
from reports.scheduler.progress import Progress

DEFAULT_LOCK_TIMEOUT = LOCK_SECONDS
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
# What a document costs when the manifest has no time for it yet: PDF layout dominates, Word and HTML are quick.
GUESS_SECONDS = {"pdf": 3.0, "docx": 1.0, "html": 0.3}


@dataclass(frozen=True)
class RunOptions:
    jobs_file: Path
    due: bool = False
    force: bool = False
    job_names: tuple[str, ...] = ()
    workers: int | None = None  # None: one per core
    now: dt.datetime | None = None
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    connect_timeout: float | None = None  # with a Dask executor; None: its default
    quiet: bool = False
    dry_run: bool = False
    executor: str | None = None  # wins over the jobs file's `executor:`


@dataclass
class _Group:
    """One job's documents of one dossier: written together, or not at all."""

    job: Job
    folder: Path
    manifest: Manifest
    documents: list[Document] = field(default_factory=list)  # every output
    stale: list[Document] = field(default_factory=list)
    results: list[DocumentResult] = field(default_factory=list)
    failure: list[str] = field(default_factory=list)  # why its dossier could not be planned
    fresh: list[Document] = field(default_factory=list)  # written with new bytes: what its delivery targets are owed


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
    jobs_file = load_jobs(options.jobs_file)
    executor_url = check_executor(options.executor, "reports", None) if options.executor else jobs_file.executor
    jobs = _select(jobs_file.jobs, options.job_names, options.jobs_file)
    now = options.now or current_time(None)
    by_out: dict[Path, list[Job]] = {}
    for job in jobs:
        by_out.setdefault(job.out.resolve(), []).append(job)

    exit_status = EXIT_OK
    locks = []
    groups: list[_Group] = []
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
            groups += [_Group(job, folder, manifest) for job in by_out[out] for folder in job.dossiers]
        runner = _Runner(groups, options, now, progress)
        failures = runner.run(executor_url)
        if not options.dry_run:
            runner.deliver(groups)
    except ExecutorError as error:
        progress.warn(str(error))
        return EXIT_FAILED
    finally:
        for lock in reversed(locks):
            if lock is not None:
                lock.release()
    if groups and not options.dry_run:
        built = sum(1 for group in groups for result in group.results if result.ok)
        jobs_run = len({group.job.name for group in groups})
        progress.say(
            f"{counted(jobs_run, 'job')}: {counted(built, 'document')} rendered, "
            f"{len(failures)} failed ({time.perf_counter() - started:.1f} s)"
        )
    bad_dossiers = sorted({str(group.folder) for group in groups if group.failure})
    if bad_dossiers:
        progress.warn(f"dossiers that failed to load, their documents not built: {', '.join(bad_dossiers)}")
    if EXIT_FAILED in failures.values() or runner.deliveries.failed:
        return EXIT_FAILED
    return exit_status or (EXIT_BAD_INPUT if failures else EXIT_OK)


class _Runner:
    """One run over the locked out folders: plan, decide, render, write, record."""

    def __init__(self, groups: list[_Group], options: RunOptions, now: dt.datetime, progress: Progress) -> None:
        self.groups, self.options, self.now, self.progress = groups, options, now, progress
        self.as_of = now.date()
        self.planner = Planner()
        self.failures: dict[str, int] = {}  # job name → exit status of its failure
        self.pending: dict[str, int] = {}  # job name → its groups not finished yet
        self.deliveries = Deliveries(self.planner, now, progress)

    def run(self, executor_url: str) -> dict[str, int]:
        active = self._plan()
        if self.options.dry_run:
            for group in active:
                for document in group.stale:
                    self.progress.say(f"would build {document.path}")
                self.progress.say(
                    f"{group.job.name}: {len(group.stale)} to build, {len(group.documents) - len(group.stale)} up to date"
                )
            for group in self.groups:
                if group.failure:
                    self.progress.job_failed(group.job, group.failure)
            return self.failures
        stale = [document for group in active for document in group.stale]
        executor = None
        if stale:  # connect before anything is written: an executor that cannot be used leaves every file as it was
            workers = self.options.workers or os.cpu_count() or 1
            executor = make_executor(executor_url, workers, self.options.connect_timeout)
            executor.start()
        try:
            for group in self.groups:
                self.pending[group.job.name] = self.pending.get(group.job.name, 0) + 1
            for group in self.groups:
                if group.failure:
                    self._finish(group)
            for group in active:
                if not group.stale:
                    self._finish(group)
            if executor is not None:
                self._render(stale, active, executor)
        finally:
            if executor is not None:
                executor.close()
        return self.failures

    def deliver(self, groups: list[_Group]) -> None:
        """Every planned group's delivery targets receive what they are owed, due this run or not (dispatch.py)."""
        manifests = {}
        for group in groups:
            if group.documents:  # a job without targets (any more) has what it was owed forgotten
                self.deliveries.send(group.job, group.manifest, group.documents)
                manifests[id(group.manifest)] = group.manifest
        for manifest in manifests.values():
            self.deliveries.save(manifest)

    def _plan(self) -> list[_Group]:
        """Plan every group's documents; the groups that have a job to do now (due, and their dossier loaded)."""
        planned: dict[Path, str] = {}
        due: dict[str, bool] = {}
        active = []
        for group in self.groups:
            job = group.job
            try:
                loaded = self.planner.dossier(group.folder, self.as_of)
            except ReportsError as error:
                group.failure = [str(problem) for problem in error.problems]
                self.failures[job.name] = EXIT_BAD_INPUT
                continue
            if self.options.due:
                reason = due_reason(job, loaded.dossier, group.manifest.last_success(job.name), self.now)
                if reason is not None and not due.get(job.name):
                    self.progress.say(f"{job.name}: due: {reason}" + (f" ({group.folder})" if len(job.dossiers) > 1 else ""))
                due[job.name] = due.get(job.name, False) or reason is not None
            try:
                group.documents = [
                    doc for request in self._requests(job, group.folder, loaded.dossier) for doc in self.planner.plan(request)
                ]
            except ReportsError as error:
                group.failure = [str(problem) for problem in error.problems]
                self.failures[job.name] = EXIT_BAD_INPUT
                continue
            for document in group.documents:
                other = planned.setdefault(document.path.resolve(), job.name)
                if other != job.name:
                    message = (
                        f"job '{job.name}' writes {document.path}, as job '{other}' does; give one of them another out folder"
                    )
                    raise JobsError(Problem(str(self.options.jobs_file), job.line, "out", message))
            active.append(group)
        if self.options.due:
            for name in dict.fromkeys(group.job.name for group in self.groups):
                if not due.get(name) and name not in self.failures:
                    self.progress.say(f"{name}: not due")
            active = [group for group in active if due.get(group.job.name)]
            self.groups = [group for group in self.groups if due.get(group.job.name) or group.failure]
        for group in active:
            group.stale = [
                self._since_last_build(document, group.manifest) for document in group.documents
                if self.options.force or not group.manifest.is_current(document.path, document.inputs)
            ]  # fmt: skip
        return active

    def _since_last_build(self, document: Document, manifest: Manifest) -> Document:
        """The document with a section "Since <date>", the as-of date of its previous build (none on a first build,
        or when that date is not before this run's)."""
        previous = manifest.previous_as_of(document.path)
        if previous is None or previous >= self.as_of:
            return document
        return dataclasses.replace(document, since=previous)

    def _requests(self, job: Job, folder: Path, dossier) -> list[BuildRequest]:
        """The regular briefings (a job with a schedule) and a pack per upcoming event in one of its lead windows."""
        base = BuildRequest(
            dossier=folder, out=job.out, as_of=self.as_of, audiences=job.audiences, formats=job.formats, langs=job.langs,
            templates=job.templates,
        )  # fmt: skip
        requests = [base] if job.builds_reports else []
        if job.before_events is not None:
            upcoming = [e for e in dossier.events if e.date.first_day > self.as_of and event_status(e, self.as_of) != "cancelled"]
            for event in sorted(upcoming, key=lambda e: (e.date.first_day, e.id)):
                window = job.before_events.bucket((event.date.first_day - self.as_of).days)
                if event.kind in job.before_events.kinds and window is not None:
                    requests.append(BuildRequest(**{**base.__dict__, "event_id": event.id, "window": window}))
        return requests

    def _render(self, stale: list[Document], active: list[_Group], executor) -> None:
        by_path = {document.path: group for group in active for document in group.stale}
        remaining = {id(group): len(group.stale) for group in active}
        units = make_units(stale)
        manifests = {id(group): group.manifest for group in active}

        def expected(unit) -> float:
            seconds = 0.0
            for path, output_format in unit.documents:
                entry = manifests[id(by_path[path])].outputs.get(by_path[path].manifest.key(path), {})
                value = entry.get("seconds")
                seconds += float(value) if isinstance(value, int | float) else GUESS_SECONDS.get(output_format, 1.0)
            return seconds

        units.sort(key=lambda unit: -expected(unit))
        total = len(stale)
        self.progress.total = total
        self.progress.say(f"building {counted(total, 'document')} ({counted(len(units), 'briefing model')}) with {executor.name}")
        refused = None
        for results in executor.run(units):
            for result in results:
                refused = refused or (result.error if result.refused else None)
                group = by_path[result.path]
                group.results.append(result)
                self.progress.document(result)
                remaining[id(group)] -= 1
                if remaining[id(group)] == 0:
                    self._finish(group)
        if refused:
            raise ExecutorError(refused)

    def _finish(self, group: _Group) -> None:
        """All of a group's documents are rendered: write them all, or none if one failed; record the job when its
        last group is done."""
        job = group.job
        if group.failure:
            self._fail(group, group.failure)
        else:
            failed = [result for result in group.results if not result.ok]
            if failed:
                problems = list(dict.fromkeys(str(problem) for result in failed for problem in result.problems))
                bugs = [result for result in failed if result.error]
                lines = problems + [f"{result.path}: {result.error}" for result in bugs]
                reasons = problems + [
                    f"{result.path}: {result.error.strip().splitlines()[-1]}" for result in bugs if result.error
                ]
                if bugs:
                    self.failures[job.name] = EXIT_FAILED
                else:
                    self.failures.setdefault(job.name, EXIT_BAD_INPUT)
                self._fail(group, lines, reasons)
            elif group.results:
                contents = {result.path: result.content for result in group.results if result.content is not None}
                try:
                    write_atomically(contents)
                except WriteError as error:
                    self.failures[job.name] = EXIT_FAILED
                    self._fail(group, [str(error)], written=bool(error.replaced))
                else:
                    stale = {document.path: document for document in group.stale}
                    for result in group.results:
                        assert result.content is not None
                        key = group.manifest.key(result.path)
                        before = group.manifest.outputs.get(key, {}).get("sha256")
                        group.manifest.record_output(
                            result.path, job.name, stale[result.path].inputs, self.now, result.seconds, result.content, self.as_of
                        )
                        if group.manifest.outputs[key]["sha256"] != before:
                            group.fresh.append(stale[result.path])
                    self.deliveries.owe(job, group.manifest, group.fresh)
        self.pending[job.name] -= 1
        if self.pending[job.name] == 0:
            self._record_job(job, group.manifest)

    def _fail(self, group: _Group, lines: list[str], reasons: list[str] | None = None, written: bool = False) -> None:
        """Say why (every line on stderr) and keep the reason for the job's record (the first five)."""
        self.progress.job_failed(group.job, lines, written, group.folder if len(group.job.dossiers) > 1 else None)
        reasons = reasons or lines
        reason = "; ".join(reasons[:5]) + (f"; and {len(reasons) - 5} more" if len(reasons) > 5 else "")
        group.manifest.record_failure(group.job.name, self.now, reason)

    def _record_job(self, job: Job, manifest: Manifest) -> None:
        groups = [group for group in self.groups if group.job is job]
        built = sum(len(group.results) for group in groups)
        up_to_date = sum(len(group.documents) - len(group.stale) for group in groups)
        if job.name not in self.failures:
            manifest.record_success(job.name, self.now, built, up_to_date)
            self.progress.job_done(job, built, up_to_date)
        try:
            manifest.save()
        except WriteError as error:
            self.progress.warn(f"{error} (the run's record: the next run rebuilds what it cannot tell is current)")
            self.failures[job.name] = EXIT_FAILED
