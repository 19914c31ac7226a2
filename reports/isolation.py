"""One document rendered in a child process under limits: a hostile template cannot take the machine with it.

The sandbox bounds what a template can reach, not how long it loops or how much memory it takes (two nested
`range(100000)` loops, `lipsum(2000000)`, `"x" * 3000000000`). So every document of a build is rendered (its
briefing built, its template rendered, laid out and written to bytes) in a forked child process with an
address-space limit (`RLIMIT_AS`) and a wall-clock limit; a breach is exit 2 naming the document and the limit,
in seconds, instead of a machine out of memory or a build that never ends. The defaults are generous for a real
briefing (the kz-uz ministry report peaks at about 400 MiB and takes seconds); `--memory-limit` and
`--time-limit` change them, 0 turns a limit off. Where `fork` is not available the document renders in this
process, unlimited.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from reports.errors import Problem, ReportsError

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
DEFAULT_MEMORY_MB = 4096
DEFAULT_SECONDS = 300


@dataclass(frozen=True)
class Limits:
    memory_mb: int = DEFAULT_MEMORY_MB  # address space of the child, MiB; 0: no limit
    seconds: int = DEFAULT_SECONDS  # wall clock of the child; 0: no limit


def render_limited(limits: Limits, what: str, work: Callable[[], bytes]) -> bytes:
    """`work()` in a forked child under `limits`: its bytes, or its problems raised here (ReportsError).

    What is loaded before the render (the libraries, pandas' above all, and the dossier) is frozen out of the
    garbage collector meanwhile: a layout allocates enough to run many full collections, and each would walk
    those hundreds of thousands of objects again (about 0.1 s of the ministry PDF), and in the child touch, so
    copy, their pages."""
    gc.freeze()
    try:
        return _render_limited(limits, what, work)
    finally:
        gc.unfreeze()


def _render_limited(limits: Limits, what: str, work: Callable[[], bytes]) -> bytes:
    if "fork" not in multiprocessing.get_all_start_methods() or not (limits.memory_mb or limits.seconds):
        return work()
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sending, limits, work, os.getpid()), daemon=True)
    child.start()
    sending.close()
    try:
        if not receiving.poll(limits.seconds or None):
            message = f"rendering took longer than {limits.seconds} s (--time-limit to change it)"
            raise ReportsError(Problem(what, None, "time limit", message))
        try:
            kind, payload = receiving.recv()
        except EOFError:
            kind, payload = "died", None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiving.close()
    if kind == "ok":
        return payload
    if kind == "problems":
        raise ReportsError(payload)
    if kind == "memory":
        message = f"rendering needed more than {limits.memory_mb} MiB of memory (--memory-limit to change it)"
        raise ReportsError(Problem(what, None, "memory limit", message))
    if kind == "died":  # killed from outside: the kernel's out-of-memory killer, most often, or an operator
        raise ReportsError(Problem(what, None, "render", _death(child.exitcode)))
    raise RuntimeError(f"rendering {what} failed:\n{payload}")


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


def _child(sending, limits: Limits, work: Callable[[], bytes], parent: int) -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent stops us
        die_with_parent(parent)
        if limits.memory_mb:
            size = limits.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size, size))
        try:
            result: tuple = ("ok", work())
        except ReportsError as error:
            result = ("problems", error.problems)
        except MemoryError:
            result = ("memory", None)
        except BaseException:
            result = ("error", traceback.format_exc())
        sending.send(result)
    finally:
        sending.close()
        os._exit(0)  # no cleanup of the parent's state inherited by the fork (atexit handlers, buffers)
