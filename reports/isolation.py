"""One document rendered in a child process under limits: a hostile template cannot take the machine with it.

The sandbox bounds what a template can reach, not how long it loops or how much memory it takes (two nested
`range(100000)` loops, `lipsum(2000000)`, `"x" * 3000000000`). So every document of a build is rendered (its
template rendered, laid out and written to bytes) in a child process of its own with an address-space limit
(`RLIMIT_AS`) and a wall-clock limit; a breach is exit 2 naming the document and the limit, in seconds, instead
of a machine out of memory or a build that never ends. The defaults are generous for a real briefing (the kz-uz
ministry report peaks at about 400 MiB and takes seconds); `--memory-limit` and `--time-limit` change them, 0
turns a limit off. Where `fork` is not available the document renders in this process, unlimited.

The children are forked from a **render process**: a small process forked early, which imports the renderers'
libraries (WeasyPrint takes half a second) and lays out a first page while this one loads the dossier, and then
forks a child per document. So a one-document build does the two at once on two cores, a worker's documents
start from a warm WeasyPrint (its fonts and caches set up once), and no child copies the pages of a big
process (the dossiers, pandas) it never reads. A render with no render process started for it gets one of its
own, started then and closed after.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing.util
import os
import pickle
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe
from typing import Any, TypeVar

from reports.errors import Problem, ReportsError

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
DEFAULT_MEMORY_MB = 4096
DEFAULT_SECONDS = 300
READY = b"ready"  # what a render process says once it has prepared
PREPARE_SECONDS = 60  # at most, for a render process's warm-up (imports and a first page: about a second)
GRACE_SECONDS = 10  # beyond the time limit, before this process stops waiting for a render process that keeps it


Result = TypeVar("Result")  # what a render returns: the file's bytes, with what else the caller needs


@dataclass(frozen=True)
class Limits:
    memory_mb: int = DEFAULT_MEMORY_MB  # address space of the child, MiB; 0: no limit
    seconds: int = DEFAULT_SECONDS  # wall clock of the child; 0: no limit


def render_limited(limits: Limits, what: str, work: Callable[..., Result], *args: object) -> Result:
    """`work(*args)` in a child process under `limits`: what it returns, or its problems raised here (ReportsError).
    `work` and `args` go to the render process by pickle: a module's function and plain data."""
    if not hasattr(os, "fork") or not (limits.memory_mb or limits.seconds):
        return _in_this_process(work, args)
    process = _take()
    try:
        kind, payload = process.render(limits, work, args)
    finally:
        _give_back(process)
    if kind == "ok":
        return payload
    if kind == "problems":
        raise ReportsError(payload)
    if kind == "time":
        message = f"rendering took longer than {limits.seconds} s (--time-limit to change it)"
        raise ReportsError(Problem(what, None, "time limit", message))
    if kind == "memory":
        message = f"rendering needed more than {limits.memory_mb} MiB of memory (--memory-limit to change it)"
        raise ReportsError(Problem(what, None, "memory limit", message))
    if kind == "died":  # killed from outside: the kernel's out-of-memory killer, most often, or an operator
        raise ReportsError(Problem(what, None, "render", _death(payload)))
    raise RuntimeError(f"rendering {what} failed:\n{payload}")


def _in_this_process(work: Callable[..., Result], args: tuple) -> Result:
    """What is loaded before the render (the libraries, pandas' above all, and the dossier) is frozen out of the
    garbage collector meanwhile: a layout allocates enough to run many full collections, and each would walk
    those hundreds of thousands of objects again (about 0.1 s of the ministry PDF)."""
    gc.freeze()
    try:
        return work(*args)
    finally:
        gc.unfreeze()


# ---------------------------------------------------------------- render processes


class RenderProcess:
    """A process forked from this one that forks a child per render: `prepare()` runs in it first (imports, a
    warm-up), so every child starts from what it did. Jobs go one at a time over a pipe; the child's answer comes
    back as the child pickled it."""

    def __init__(self, prepare: Callable[[], None] | None = None) -> None:
        self.prepare = prepare
        self.connection: Connection | None = None
        self.ready = False  # it said it has prepared
        self.waiting = threading.Lock()  # one thread at a time reads its answer that it is ready
        self.start()

    def start(self) -> None:
        self.owner = os.getpid()  # a process forked from this one (a pool's worker) must not use it
        ours, theirs = Pipe(duplex=True)
        self.pid = os.fork()
        if self.pid == 0:
            ours.close()
            _serve(theirs, self.prepare, self.owner)  # never returns
        theirs.close()
        self.connection = ours
        self.ready = False

    def await_ready(self) -> None:
        """Wait until it has prepared (a render process that died meanwhile is started again at its next render)."""
        with self.waiting:
            if self.connection is not None and not self.ready:
                try:
                    if not self.connection.poll(PREPARE_SECONDS + GRACE_SECONDS):
                        raise TimeoutError  # stuck where its own alarm cannot reach (a call into a library)
                    self.ready = self.connection.recv_bytes() == READY
                except (EOFError, OSError):
                    self.close()

    def render(self, limits: Limits, work: Callable[..., object], args: tuple) -> tuple[str, Any]:
        """(kind, payload): ok, problems, time, memory, died (payload: the exit status) or error (a traceback). The
        render process runs no code of the job, so when it dies (the out-of-memory killer, an operator), it is
        started again and given the job once more."""
        status = None
        for _ in range(2):
            self.await_ready()
            if self.connection is None:
                self.start()  # it died, or was stopped at an earlier render
                self.await_ready()
            if self.connection is None:
                continue
            try:
                self.connection.send((work, args, limits))
                if limits.seconds and not self.connection.poll(limits.seconds + GRACE_SECONDS):
                    self.close()  # the render process stops a child at the limit itself; this is for one that hangs
                    return "time", None
                return pickle.loads(self.connection.recv_bytes())
            except (EOFError, OSError):
                status = self.close()
        return "died", status

    def close(self) -> int | None:
        """Stop it: its exit status (negative: the signal that ended it)."""
        if self.connection is None:
            return None
        self.connection.close()
        self.connection = None
        return _stop(self.pid)


_kept: list[RenderProcess] = []  # this process's render processes, kept for its renders
_free: list[RenderProcess] = []  # those of them not rendering now
_lock = threading.Lock()


@contextlib.contextmanager
def render_process(prepare: Callable[[], None] | None = None) -> Iterator[None]:
    """While the block runs, renders go to a render process started now (`prepare()` runs in it meanwhile), unless
    this process keeps one already."""
    if _mine():
        yield
        return
    process = _keep(prepare)
    try:
        yield
    finally:
        with _lock:
            _kept.remove(process)
            if process in _free:
                _free.remove(process)
        process.close()


def keep_render_process(prepare: Callable[[], None] | None = None) -> None:
    """A render process for this process's renders from now on, unless it keeps one already (a worker's, for as long
    as the worker lives: stopped and reaped as the worker ends, so the worker's own accounts count its time)."""
    if not _mine():
        process = _keep(prepare)
        multiprocessing.util.Finalize(process, process.close, exitpriority=0)  # run as a pool's worker exits too


def _keep(prepare: Callable[[], None] | None) -> RenderProcess:
    process = RenderProcess(prepare)
    with _lock:
        _kept.append(process)
        _free.append(process)
    return process


def await_render_process() -> None:
    """Wait until this process's render processes have warmed up: what a document's render time should not count."""
    with _lock:
        waiting = [process for process in _free if process.owner == os.getpid()]
    for process in waiting:
        process.await_ready()


def _mine() -> bool:
    with _lock:
        return any(process.owner == os.getpid() for process in _kept)


def _take() -> RenderProcess:
    """A kept render process that is free, else one for this render alone (closed after it)."""
    with _lock:
        while _free:
            process = _free.pop()
            if process.owner == os.getpid():
                return process
            _kept.remove(process)  # inherited through a fork: its parent's, not ours
    return RenderProcess()


def _give_back(process: RenderProcess) -> None:
    with _lock:
        if process in _kept:
            _free.append(process)
            return
    process.close()


def _death(exitcode: int | None) -> str:
    """Why a render ended without a result, in words: `killed by SIGKILL (as the out-of-memory killer does)`."""
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else f"signal {-exitcode}"
        cause = " (as the system's out-of-memory killer does: lower --memory-limit or free memory)" if name == "SIGKILL" else ""
        return f"the rendering process was killed by {name}{cause}; nothing written"
    return f"the rendering process ended without a result (exit status {exitcode}); nothing written"


@contextlib.contextmanager
def step_time_limit(seconds: float, expired: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `expired()` from the step (rendering a page template) if it runs longer than `seconds`: one runaway
    step is stopped with its own message, naming where it ran away, long before the document's --time-limit. An alarm set
    outside (a caller's deadline) is put back with its remaining time. Main thread only; elsewhere unlimited."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise expired()

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, expire)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    if 0 < outer < seconds:  # the outer alarm comes first: it keeps its time, and its handler
        signal.setitimer(signal.ITIMER_REAL, outer)
        signal.signal(signal.SIGALRM, previous_handler)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if outer > 0:
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 0.001))


def die_with_parent(parent: int) -> None:
    """On Linux the kernel kills this process when the one that started it dies, even by `kill -9`: a render or
    a worker left behind would run, or wait on its pipe, for good. Elsewhere the parent's end of the pipe is all."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _serve(connection: Connection, prepare: Callable[[], None] | None, parent: int) -> None:
    """The render process: prepared once, then a child per job, each answer sent back as the child pickled it."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent stops us
        die_with_parent(parent)
        if prepare is not None:
            _prepare(prepare)
        connection.send_bytes(READY)
        while True:
            try:
                job = connection.recv_bytes()
            except EOFError:
                break  # the parent closed its end
            connection.send_bytes(_render_in_child(job))
    finally:
        os._exit(0)  # no cleanup of the parent's state inherited by the fork (atexit handlers, buffers)


def _prepare(prepare: Callable[[], None]) -> None:
    """A warm-up that fails or takes longer than PREPARE_SECONDS costs time, not a render: the children import
    what it did not, and each render reports its own problems."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, PREPARE_SECONDS)
    try:
        prepare()
    except Exception:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def _render_in_child(job: bytes) -> bytes:
    """One job in a child forked from here, under its limits: the child's pickled answer, or this process's."""
    try:
        work, args, limits = pickle.loads(job)  # imports `work`'s module here, so the next child has it too
    except Exception:
        return pickle.dumps(("error", traceback.format_exc()))
    gc.freeze()  # what is loaded now is never garbage: no child's collection walks it, nor copies its pages
    receiving, sending = Pipe(duplex=False)
    pid = os.fork()
    if pid == 0:
        receiving.close()
        _child(sending, limits, work, args, os.getppid())
    sending.close()
    answer = pickle.dumps(("time", None))
    try:
        if receiving.poll(limits.seconds or None):
            answer = receiving.recv_bytes()
    except EOFError:
        answer = b""  # it ended without an answer
    finally:
        receiving.close()
        status = _stop(pid)
    return answer or pickle.dumps(("died", status))


def _stop(pid: int) -> int:
    """Kill a process of ours if it still runs, and reap it: its exit status (negative: the signal that ended it)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _child(sending: Connection, limits: Limits, work: Callable[..., object], args: tuple, parent: int) -> None:
    try:
        die_with_parent(parent)
        if limits.memory_mb:
            size = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        try:
            result: tuple = ("ok", work(*args))
        except ReportsError as error:
            result = ("problems", error.problems)
        except MemoryError:
            result = ("memory", None)
        except BaseException:
            result = ("error", traceback.format_exc())
        sending.send(result)
    finally:
        sending.close()
        os._exit(0)
