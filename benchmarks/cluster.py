"""A local Dask cluster for the bench, and WeasyPrint's own time on a document's HTML.

`LocalCluster` starts a scheduler and N workers on 127.0.0.1 as docs/scheduling.md says, with the helper the
tests start theirs with (tests/support/dask_cluster.py): workers that may fork the render's child, one document at
a time each, ready to render when they are connected.
`engine_seconds` times WeasyPrint alone on HTML files, in one warm process: the floor of a PDF's time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.dask_cluster import LocalDask  # noqa: E402

PYTHON = sys.executable


class LocalCluster:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.folder = Path(tempfile.mkdtemp(prefix="reports-bench-dask-"))
        self.dask: LocalDask | None = None
        self.pids: list[int] = []  # the scheduler's and the workers' (each under its nanny)

    def __enter__(self) -> str:
        """Started, with every worker connected; the executor URL."""
        self.dask = dask = LocalDask(self.folder)
        try:
            dask.wait_for_workers(dask.start_workers("bench", self.workers))
            self.pids = [dask.client.run_on_scheduler(os.getpid), *dask.client.run(os.getpid).values()]
        except BaseException:
            self.__exit__()
            raise
        return dask.url

    def cpu_seconds(self) -> float:
        """The CPU time the scheduler and the workers have used so far, with their descendants': each worker's render
        process, which lives as long as the worker, and the render children it waited for."""
        ticks = os.sysconf("SC_CLK_TCK")
        total, pending = 0.0, list(self.pids)
        while pending:
            pid = pending.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                pending += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
            except OSError:
                continue  # ended meanwhile
            total += sum(int(value) for value in fields[11:15]) / ticks  # utime, stime, cutime, cstime
        return total

    def __exit__(self, *_) -> None:
        if self.dask is not None:
            self.dask.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


ENGINE_PROBE = """
import json, sys, time
import weasyprint
from reports.template_folders import BUILTIN_TEMPLATES
files = json.loads(sys.argv[1])
weasyprint.HTML(string=open(files[0], encoding="utf-8").read(), base_url=str(BUILTIN_TEMPLATES)).write_pdf()  # warm
seconds = {}
for name in files:
    html = open(name, encoding="utf-8").read()
    started = time.perf_counter()
    weasyprint.HTML(string=html, base_url=str(BUILTIN_TEMPLATES)).write_pdf(pdf_variant="pdf/ua-1")
    seconds[name] = time.perf_counter() - started
print(json.dumps(seconds))
"""


def engine_seconds(html_files: list[Path]) -> dict[Path, float]:
    """WeasyPrint's time to lay out and write each HTML file as a tagged PDF (as the build writes), warm."""
    result = subprocess.run(
        [PYTHON, "-c", ENGINE_PROBE, json.dumps([str(path) for path in html_files])], capture_output=True, text=True, check=True
    )
    return {Path(name): seconds for name, seconds in json.loads(result.stdout.splitlines()[-1]).items()}
