"""Dask on 127.0.0.1 for tests/test_distributed.py and the bench (benchmarks/cluster.py): a scheduler, and groups of
workers started and ended against it while it runs, each started as docs/scheduling.md says.

Everything is started at once and waited for by what the scheduler reports, never by sleeping: a worker waits for
the scheduler's file itself, so a group of workers may be started with the scheduler. Workers are ended before
their scheduler (ended together, a worker may wait out its nanny's 8 s before it is killed), each group by the
signal an operator's service manager sends, so that every process is waited for by its parent and its CPU time
counted where the tests' measures look for it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from distributed import Client

DASK = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
READY = "reports.engine.dask_worker"  # the preload that imports what rendering needs as a worker starts
# docs/scheduling.md: workers that may fork the render's child, each holding only the document it renders
SETTINGS = {"DASK_DISTRIBUTED__WORKER__DAEMON": "False", "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0"}
START_SECONDS = 120  # the guard against a hang: starting a worker takes a few seconds, more on a busy machine


class LocalDask:
    """A scheduler on a free port of 127.0.0.1, writing its address to `folder/scheduler.json`, and its log with
    every worker's to `folder/cluster.log`. `environment` is added to every process's (and to `SETTINGS`)."""

    def __init__(self, folder: Path, **environment: str) -> None:
        self.folder = folder
        self.env = os.environ | SETTINGS | environment
        self.scheduler_file = folder / "scheduler.json"
        self.log = (folder / "cluster.log").open("w")
        self.groups: dict[str, subprocess.Popen] = {}  # by the name its workers were given
        self.scheduler = self._start(["scheduler", "--host", "127.0.0.1", "--port", "0"], self.env)
        self._address: str | None = None
        self._client: Client | None = None

    def _start(self, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        common = ["--no-dashboard", "--scheduler-file", str(self.scheduler_file)]
        return subprocess.Popen([DASK, *command, *common], env=env, stdout=self.log, stderr=self.log)

    def start_workers(
        self, name: str, count: int = 1, preloads: tuple[str, ...] = (READY,), nanny: bool = True, **environment: str
    ) -> set[str]:
        """Start `count` workers of one thread each, named `name` (one) or `name-0`, `name-1`...; not waited for
        (`wait_for_workers`). Their names."""
        command = ["worker", "--host", "127.0.0.1", "--name", name, "--nworkers", str(count), "--nthreads", "1"]
        command += ["--local-directory", str(self.folder / name), *(["--no-nanny"] if not nanny else [])]
        command += [argument for preload in preloads for argument in ("--preload", preload)]
        self.groups[name] = self._start(command, self.env | environment)
        return {name} if count == 1 else {f"{name}-{number}" for number in range(count)}

    def end_workers(self, name: str) -> None:
        """The group `name` stopped (the test waits for the scheduler to see it gone, `wait_for_workers`)."""
        _stop([self.groups.pop(name)])

    @property
    def address(self) -> str:
        """tcp://127.0.0.1:PORT, once the scheduler has written its file whole (it writes in place, not renamed)."""
        deadline = time.monotonic() + START_SECONDS
        while self._address is None:
            try:
                self._address = json.loads(self.scheduler_file.read_text())["address"]
            except (OSError, ValueError, KeyError):
                if time.monotonic() > deadline or self.scheduler.poll() is not None:
                    raise RuntimeError(f"the scheduler did not start: {self.folder / 'cluster.log'}") from None
                time.sleep(0.05)
        return self._address

    @property
    def url(self) -> str:
        """What `reports run --executor` takes."""
        return "dask://" + self.address.removeprefix("tcp://")

    @property
    def client(self) -> Client:
        if self._client is None:
            from distributed import Client

            self._client = Client(self.address, timeout=START_SECONDS, set_as_default=False)
        return self._client

    def worker_names(self) -> set[str]:
        return {str(worker["name"]) for worker in self.client.scheduler_info(n_workers=-1)["workers"].values()}

    def wait_for_workers(self, names: set[str]) -> None:
        """Until the workers the scheduler has are exactly `names` (a worker's nanny restarts it under its name)."""
        deadline = time.monotonic() + START_SECONDS
        while (connected := self.worker_names()) != names:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the scheduler has workers {sorted(connected)}, not {sorted(names)}")
            time.sleep(0.05)

    def stop(self) -> None:
        """The workers, then the scheduler."""
        if self._client is not None:
            self._client.close()
        _stop(list(self.groups.values()))
        self.groups.clear()
        _stop([self.scheduler])
        self.log.close()

    def __enter__(self) -> LocalDask:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _stop(processes: list[subprocess.Popen]) -> None:
    """SIGTERM, as a service manager stops them, and the wait; killed if one hangs."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
