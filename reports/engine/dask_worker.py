"""A Dask worker preload: `dask worker --preload reports.engine.dask_worker ...` (docs/scheduling.md).

A worker is a long-lived service, started once and given work by many runs: what it imports to render (pandas,
the briefing, WeasyPrint, python-docx; 1 to 2 s) belongs to its start, not to the first document of the first
run that reaches it. Without the preload the worker still renders, and its first unit pays those imports.
"""

from __future__ import annotations


def dask_setup(worker: object) -> None:
    """Called by Dask once, as the worker starts (after the preloads named before this one): ready it for every
    format, since any run may ask for any."""
    from reports.engine.executors import warm_worker
    from reports.renderers import RENDERERS

    warm_worker(tuple(RENDERERS))
