"""Where the units are rendered: in this process, in a pool of processes on this machine, or on Dask workers.

Every executor only renders and hands back bytes; whoever asked writes the files and the manifest, so a unit
rendered twice (a Dask worker lost and its task run again elsewhere) is written once, and the bytes are the same
whichever executor drew them (`render_unit` is the same code everywhere).

`local` (the default) is a pool of `workers` processes on this machine (one process, this one, for one worker).
`dask://HOST:PORT` is a running Dask distributed scheduler (`pip install 'reports[distributed]'`); its workers
need the same version of `reports` and must not be daemon processes, since every render forks a child under the
memory and time limits (docs/scheduling.md: `DASK_DISTRIBUTED__WORKER__DAEMON=False`). A worker of another
version, or a daemon one, is refused before any work is given (`ExecutorError`, one line, exit 1). Started with
`--preload reports.engine.dask_worker`, a worker imports what rendering needs as it starts (`warm_worker`).
"""

from __future__ import annotations

import functools
import os
import pickle
import traceback
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reports.engine.render import DocumentResult, Unit, render_unit
from reports.errors import Problem, ReportsError
from reports.isolation import die_with_parent, keep_render_process, render_process
from reports.renderers import RENDERERS, warm_up

if TYPE_CHECKING:
    from distributed import Client  # the optional extra `reports[distributed]`

LOCAL = "local"
DASK_SCHEME = "dask://"
CONNECT_SECONDS = 10.0  # to reach the scheduler, and for it to have a worker (`reports run --connect-timeout`)
# What rendering a unit imports besides its renderers (`render_unit`): pandas comes with the indicators.
UNIT_MODULES = ("reports.indicators", "reports.briefing.audiences", "reports.briefing.pack", "reports.briefing.report")


class ExecutorError(Exception):
    """The executor cannot be used (unreachable, no worker, a worker refused): one line, exit 1, nothing written."""


def check_executor(url: str, where: str = "reports", line: int | None = None) -> str:
    """The executor's URL as given, or exit 2 saying what one looks like."""
    if url == LOCAL or (url.startswith(DASK_SCHEME) and ":" in url[len(DASK_SCHEME) :]):
        return url
    message = f"'{url}' is not an executor; use `local` or `dask://HOST:PORT` (a Dask scheduler)"
    raise ReportsError(Problem(where, line, "executor", message))


class LocalExecutor:
    """This process for one worker, else a pool of processes that each import the renderers once."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.name = "local"

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass

    def run(self, units: list[Unit]) -> Iterator[list[DocumentResult]]:
        """Each unit's documents as the unit completes."""
        formats = tuple(sorted({output_format for unit in units for _, output_format in unit.documents}))
        if self.workers <= 1 or len(units) <= 1:
            with render_process(functools.partial(warm_up, formats)):
                for unit in units:
                    yield render_unit(unit)
            return
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(min(self.workers, len(units)), initializer=_warm_up, initargs=(formats, os.getpid())) as pool:
            futures = {pool.submit(render_unit, unit): unit for unit in units}
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception:  # the worker died (killed, out of memory): these documents failed, the others go on
                    yield [DocumentResult(path, error=traceback.format_exc()) for path, _ in futures[future].documents]


def _warm_up(formats: tuple[str, ...], parent: int) -> None:
    """A local pool's worker: end with the run (`die_with_parent`), then `warm_worker`."""
    import signal

    # Ctrl-C reaches the whole process group: a worker ends at once and quietly (its render with it), the run says so
    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(130))
    die_with_parent(parent)
    warm_worker(formats)


def warm_worker(formats: tuple[str, ...]) -> None:
    """Make a worker ready to render `formats`, once, before its first document: import what a unit needs (pandas
    for its indicators, the briefing), and start the render process it keeps for its life, which imports the
    renderers' libraries (WeasyPrint alone takes about a second) and warms them up meanwhile. A local pool's
    workers call it as they start; a Dask worker through its preload (`reports.engine.dask_worker`), or with its
    first unit. Never raises: the documents report what fails."""
    import importlib

    keep_render_process(functools.partial(warm_up, formats))
    try:
        for module in UNIT_MODULES:
            importlib.import_module(module)
    except Exception:
        pass


class DaskExecutor:
    """A Dask distributed scheduler's workers render; this process collects the bytes."""

    def __init__(self, url: str, connect_seconds: float | None = None) -> None:
        self.url = url
        self.connect_seconds = CONNECT_SECONDS if connect_seconds is None else connect_seconds
        self.name = url
        self.address = "tcp://" + url[len(DASK_SCHEME) :]
        self.client: Client | None = None

    def start(self) -> None:
        """Connect, and refuse workers that cannot render as this process would."""
        try:
            from distributed import Client
        except ImportError:
            raise ExecutorError(f"{self.url}: executor: Dask is not installed here; pip install 'reports[distributed]'") from None
        try:
            self.client = Client(self.address, timeout=self.connect_seconds, set_as_default=False)
            self.client.wait_for_workers(1, timeout=self.connect_seconds)
            facts = self.client.run(_facts, on_error="return")  # a worker restarting meanwhile is not a failure
        except (OSError, TimeoutError) as error:
            self.close()
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ExecutorError(f"{self.url}: executor: cannot use the Dask scheduler ({reason})") from None
        from reports import __version__

        for worker, fact in sorted(facts.items()):
            if not isinstance(fact, dict):
                continue  # it did not answer (restarting): each unit checks the version again where it runs
            if fact["version"] != __version__:
                self.close()
                raise ExecutorError(
                    f"{self.url}: worker {worker} has reports {fact['version']}, this run has reports {__version__}; "
                    "install the same version on every worker"
                )
            if fact["daemon"]:
                self.close()
                raise ExecutorError(
                    f"{self.url}: worker {worker} is a daemon process and cannot fork the render's child; "
                    "start it with DASK_DISTRIBUTED__WORKER__DAEMON=False (docs/scheduling.md)"
                )

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def run(self, units: list[Unit]) -> Iterator[list[DocumentResult]]:
        from distributed import as_completed

        assert self.client is not None
        futures = {
            self.client.submit(
                _render_pickled, pickle.dumps(unit, pickle.HIGHEST_PROTOCOL), key=task_key(unit), pure=False,
                priority=len(units) - rank,
            ): unit
            for rank, unit in enumerate(units)
        }  # fmt: skip
        done: set[str] = set()
        for future in as_completed(list(futures), loop=self.client.loop):
            unit = futures[future]
            if unit.key in done:
                continue  # one result per unit, however often it ran
            done.add(unit.key)
            try:
                yield future.result()
            except Exception as error:  # KilledWorker: every worker that ran it died; or the connection was lost
                yield [DocumentResult(path, error=f"not rendered: {_reason(error)}") for path, _ in unit.documents]


def _render_pickled(unit: bytes) -> list[DocumentResult]:
    """`render_unit` on a Dask worker (ready for every format, if its preload has not made it so). The unit travels
    pickled by us: Dask's scheduler unpickles every task it is given, and would otherwise import pandas and our
    dossier classes (about a second) to read what only a worker needs; bytes it passes on as they are."""
    warm_worker(tuple(RENDERERS))
    return render_unit(pickle.loads(unit))


def _reason(error: Exception) -> str:
    """One line: Dask's KilledWorker message runs on with advice and a link."""
    if type(error).__name__ == "KilledWorker":
        return "KilledWorker: every Dask worker that started it died (see the workers' logs); not tried again"
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0]}" if text else type(error).__name__


def task_key(unit: Unit) -> str:
    """What the scheduler's dashboard and the workers' logs call the unit: which briefing model, and its hash (the
    same work has the same key, so it is never held twice)."""
    what = f"brief-{unit.event_id}." if unit.event_id else ""
    return f"reports {unit.dossier.id}/{what}{unit.audience}.{unit.lang} {unit.key}"


def _facts() -> dict[str, object]:
    from reports.engine.render import worker_facts

    return worker_facts()


def make_executor(url: str, workers: int, connect_seconds: float | None = None) -> LocalExecutor | DaskExecutor:
    return LocalExecutor(workers) if url == LOCAL else DaskExecutor(url, connect_seconds)
