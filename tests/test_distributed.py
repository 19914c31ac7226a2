"""`reports run --executor dask://HOST:PORT` against a real Dask scheduler and real workers on 127.0.0.1.

The tests start the scheduler and two workers (`dask scheduler`, `dask worker --nworkers 2 --nthreads 1 --preload
reports.engine.dask_worker`, with `DASK_DISTRIBUTED__WORKER__DAEMON=False` as docs/scheduling.md says) and stop
them at the end. What a failure needs — a worker that dies in the middle of a document, a dossier edited while
the workers render — is asked of the real workers through a preload (tests/support/dask_preload.py); nothing of
`reports` is replaced. The dossier is the small test dossier and the format HTML, to keep the machine's two cores
for the rest of the suite.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.dossier import DossierCopy
from support.paths import TESTS
from support.workspace import Workspace

pytest.importorskip("distributed")

DASK = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
PRELOAD = TESTS / "support" / "dask_preload.py"
DOCUMENTS = {f"north-south/{audience}.{lang}.html" for audience in ("leadership", "press") for lang in ("en", "ru")}
HEAVY = ("docx", "pandas", "weasyprint")  # what a worker imports to render, and the scheduler never needs


def _scheduler_address(scheduler_file: Path) -> str:
    """The address the scheduler writes to its file, once the file is whole (it is written in place, not renamed)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            return json.loads(scheduler_file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Cluster:
    """A Dask scheduler on 127.0.0.1 (a free port) and its workers, each a process of its own, with a nanny."""

    def __init__(self, root: Path, workers: int = 2, warm: bool = True, **environment: str) -> None:
        self.root = root
        self.control = root / "control"
        self.control.mkdir(parents=True)
        scheduler_file = root / "scheduler.json"
        self.env = os.environ | {
            "DASK_DISTRIBUTED__WORKER__DAEMON": "False",  # every render forks its child under the limits
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",  # a task whose workers died twice is given up
            "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0",  # a worker holds only the document it renders
            "REPORTS_TEST_CONTROL": str(self.control),
            **environment,
        }
        log = (root / "cluster.log").open("w")
        common = ["--no-dashboard", "--scheduler-file", str(scheduler_file)]
        self.processes = [
            subprocess.Popen(
                [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", *common], env=self.env, stdout=log, stderr=log
            )
        ]
        try:
            self.address = _scheduler_address(scheduler_file)
            worker = [DASK, "worker", "--host", "127.0.0.1", "--nworkers", str(workers), "--nthreads", "1", *common]
            preloads = ["--preload", str(PRELOAD), *(["--preload", "reports.engine.dask_worker"] if warm else [])]
            self.processes.append(subprocess.Popen([*worker, *preloads], env=self.env, stdout=log, stderr=log))
            from distributed import Client

            with Client(self.address, timeout=60) as client:
                client.wait_for_workers(workers, timeout=120)
        except BaseException:
            self.stop()
            raise

    @property
    def url(self) -> str:
        return "dask://" + self.address.removeprefix("tcp://")

    def control_file(self, name: str, content: dict) -> None:
        for old in self.control.glob("*"):
            old.unlink()
        (self.control / name).write_text(json.dumps(content), encoding="utf-8")

    def kills(self) -> int:
        return len(list(self.control.glob("killed-*")))

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with Cluster(tmp_path_factory.mktemp("dask")) as started:
        yield started


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str], cluster: Cluster) -> Workspace:
    for old in cluster.control.glob("*"):
        old.unlink()
    space = Workspace(tmp_path, capsys)
    space.dossier()
    space.write_jobs(
        f"""\
        executor: {cluster.url}
        jobs:
          - {{name: b, dossier: dossier, audiences: [leadership, press], formats: [html], langs: [en, ru], out: out,
             schedule: "@monthly"}}
        """
    )
    return space


def _rendered_lines(output: str) -> list[str]:
    return re.findall(r"^rendered (\S+) ", output, re.MULTILINE)


def test_dask_builds_the_same_bytes_as_the_local_pool_and_writes_the_manifest(workspace: Workspace, cluster: Cluster) -> None:
    result = workspace.run()
    assert result.code == 0, result.err
    assert result.rendered == DOCUMENTS
    assert f"with {cluster.url}" in result.out
    remote = workspace.files()
    assert set(workspace.manifest()["outputs"]) == DOCUMENTS
    assert workspace.run().rendered == set()  # up to date, whoever built it
    assert workspace.run("--force", "--executor", "local").rendered == DOCUMENTS
    assert workspace.files() == remote


def test_a_worker_killed_in_the_middle_of_a_document_still_builds_it_once(workspace: Workspace, cluster: Cluster) -> None:
    cluster.control_file("kill.json", {"match": "north-south/press.ru", "times": 1, "delay": 0.2})
    result = workspace.run()
    assert result.code == 0, result.err
    assert cluster.kills() == 1
    lines = _rendered_lines(result.out)
    assert sorted(lines) == sorted(set(lines)) and result.rendered == DOCUMENTS  # each rendered and written once
    assert set(workspace.manifest()["outputs"]) == DOCUMENTS


def test_a_document_that_kills_its_worker_every_time_fails_alone(workspace: Workspace, cluster: Cluster) -> None:
    cluster.control_file("kill.json", {"match": "north-south/leadership.en", "times": 0, "delay": 0.0})
    result = workspace.run()
    assert result.code == 1, result.out + result.err
    assert result.rendered == DOCUMENTS - {"north-south/leadership.en.html"}, result.out + result.err
    failure = [line for line in result.err.splitlines() if "leadership.en.html" in line]
    assert len(failure) == 1 and "KilledWorker" in failure[0], result.err
    assert "Traceback" not in result.err
    assert workspace.files() == {}  # the job's documents are written together, or not at all
    cluster.control_file("kill.json", {"match": "nothing", "times": 0, "delay": 0.0})
    assert workspace.run().rendered == DOCUMENTS  # still due, and built once the worker survives it


def test_an_unreachable_scheduler_is_one_line_and_touches_nothing(workspace: Workspace) -> None:
    assert workspace.run("--executor", "local").code == 0
    DossierCopy(workspace.root / "dossier").replace("trade.csv", "2019,60,50,110", "2019,61,50,111")
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in workspace.out.rglob("*") if path.is_file()}
    nowhere = "dask://127.0.0.1:9"  # the discard port: nothing listens there
    result = workspace.run("--executor", nowhere)
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line.startswith(f"{nowhere}: executor: cannot use the Dask scheduler (")
    after = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in workspace.out.rglob("*") if path.is_file()}
    assert after == before
    assert workspace.run("--dry-run").out.count("would build ") == len(DOCUMENTS)  # still due


def test_a_dossier_edited_while_the_workers_render_gives_no_mixed_outputs(workspace: Workspace, cluster: Cluster) -> None:
    dossier = workspace.root / "dossier" / "dossier.yaml"
    cluster.control_file("edit.json", {"path": str(dossier), "old": "title: Northland", "new": "title: Greater Northland"})
    result = workspace.run()
    assert result.code == 0, result.err
    assert (cluster.control / "edit.done").exists()  # the edit happened after the plan, before the write
    assert "Greater Northland" in dossier.read_text("utf-8")
    english = [content.decode() for name, content in workspace.files().items() if ".en." in name]
    assert len(english) == 2 and len(workspace.files()) == len(DOCUMENTS)
    # Every one as planned: the title before the edit, in all of them.
    assert all("Northland–Southland relations" in text and "Greater Northland" not in text for text in english)
    rebuilt = workspace.run()
    assert rebuilt.rendered == DOCUMENTS  # the edit makes every document due
    assert all("Greater Northland" in content.decode() for name, content in workspace.files().items() if ".en." in name)


def test_a_preloaded_worker_is_ready_before_its_first_document_and_the_scheduler_never_loads_pandas(
    tmp_path: Path, workspace: Workspace
) -> None:
    from distributed import Client

    with Cluster(tmp_path / "fresh", workers=1) as fresh:
        with Client(fresh.address, timeout=60) as client:
            before = client.run(
                lambda: (
                    sorted(name for name in HEAVY if name in sys.modules),
                    Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split(),
                )
            )
            result = workspace.run("--executor", fresh.url)
            on_scheduler = client.run_on_scheduler(lambda: sorted(name for name in HEAVY if name in sys.modules))
    # as the worker started, before any work was given: pandas imported, and its render process started (which
    # imports WeasyPrint and python-docx, reports/isolation.py)
    assert [(modules, len(children)) for modules, children in before.values()] == [(["pandas"], 1)]
    assert result.code == 0, result.err
    assert result.rendered == DOCUMENTS
    assert on_scheduler == []  # the units crossed the scheduler as bytes


def test_a_worker_of_another_version_is_refused(tmp_path: Path, workspace: Workspace) -> None:
    # Not warmed: the test's preload makes the worker another version only before reports' modules are imported.
    with Cluster(tmp_path / "other", workers=1, warm=False, REPORTS_TEST_VERSION="0.0.1") as other:
        result = workspace.run("--executor", other.url)
    assert result.code == 1
    from reports import __version__

    [line] = result.err.splitlines()
    assert re.fullmatch(
        rf"{re.escape(other.url)}: worker tcp://127\.0\.0\.1:\d+ has reports 0\.0\.1, this run has reports "
        rf"{re.escape(__version__)}; install the same version on every worker",
        line,
    )
    assert not workspace.out.exists() or workspace.files() == {}


def test_a_daemon_worker_that_cannot_fork_the_render_is_refused(tmp_path: Path, workspace: Workspace) -> None:
    # Not warmed: the refusal comes before any work, and a daemon worker's render process is what it refuses.
    with Cluster(tmp_path / "daemon", workers=1, warm=False, DASK_DISTRIBUTED__WORKER__DAEMON="True") as other:
        result = workspace.run("--executor", other.url)
    assert result.code == 1
    [line] = result.err.splitlines()
    assert "is a daemon process and cannot fork the render's child; start it with DASK_DISTRIBUTED__WORKER__DAEMON=False" in line
