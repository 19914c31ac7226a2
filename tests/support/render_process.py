"""The test process's render process (reports/isolation.py): one kept for every build a test runs in this process,
and a way around it for the tests that change what a render runs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import partial

from reports import isolation
from reports.renderers import RENDERERS, warm_up


def keep_a_warm_render_process() -> None:
    """One render process for this test process's builds, as a pool's worker keeps one: WeasyPrint imported and a
    first page laid out once, not once per build (about 0.7 CPU-seconds each, and the suite runs hundreds)."""
    isolation.keep_render_process(partial(warm_up, RENDERERS))


@contextlib.contextmanager
def own_render_processes() -> Iterator[None]:
    """While the block runs, the kept render process is set aside: each build starts its own, forked from this
    process as it is now (with what the test replaced, a library's function say), as a build in a new process does."""
    with isolation._lock:
        kept, free = isolation._kept[:], isolation._free[:]
        isolation._kept.clear()
        isolation._free.clear()
    try:
        yield
    finally:
        with isolation._lock:
            isolation._kept[:], isolation._free[:] = kept, free
