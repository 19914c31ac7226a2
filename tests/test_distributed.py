"""`reports run --executor dask://HOST:PORT` against a real Dask scheduler and real workers on 127.0.0.1.

The module starts one scheduler and two workers (`dask scheduler`, `dask worker --nworkers 2 --nthreads 1 --preload
reports.engine.dask_worker`, with `DASK_DISTRIBUTED__WORKER__DAEMON=False` as docs/scheduling.md says,
tests/support/dask_cluster.py) and ends them at the end. A test that needs a worker of another kind (another
version, a daemon) starts it against the same scheduler and ends it. What a failure needs — a worker that dies in
the middle of a document, a dossier edited while the workers render — is asked of the real workers through a
preload (tests/support/dask_preload.py); nothing of `reports` is replaced. The dossier is the small test dossier
and the format HTML, to keep the machine's two cores for the rest of the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.dask_cluster import READY, LocalDask
from support.dossier import DossierCopy
from support.paths import TESTS
from support.workspace import Workspace

pytest.importorskip("distributed")

PRELOAD = str(TESTS / "support" / "dask_preload.py")
DOCUMENTS = {f"north-south/{audience}.{lang}.html" for audience in ("leadership", "press") for lang in ("en", "ru")}
HEAVY = ("docx", "pandas", "weasyprint")  # what a worker imports to render, and the scheduler never needs


class Cluster(LocalDask):
    """The module's scheduler and its two workers `main-0`, `main-1` (warmed by the preload, and the test's), and
    the control folder the test's preload reads."""

    def __init__(self, root: Path) -> None:
        self.control = root / "control"
        self.control.mkdir()
        environment = {
            "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",  # a task whose workers died twice is given up
            "REPORTS_TEST_CONTROL": str(self.control),
        }
        super().__init__(root, **environment)
        try:
            self.main = self.start_workers("main", 2, (PRELOAD, READY))  # with the scheduler, not after it
            self.wait_for_workers(self.main)
            # as each worker started, before any work was given: the modules it imported, its child processes
            self.at_start = self.client.run(
                lambda: (
                    sorted(name for name in HEAVY if name in sys.modules),
                    Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text().split(),
                )
            )
        except BaseException:
            self.stop()
            raise

    def control_file(self, name: str, content: dict) -> None:
        for old in self.control.glob("*"):
            old.unlink()
        (self.control / name).write_text(json.dumps(content), encoding="utf-8")

    def kills(self) -> int:
        return len(list(self.control.glob("killed-*")))

    @contextlib.contextmanager
    def another_worker(self, name: str, nanny: bool = True, **environment: str) -> Iterator[None]:
        """A worker of another kind beside the two, not warmed (only the test's preload), while the block runs."""
        self.wait_for_workers(self.main)  # the two are back, if a test before killed one
        self.start_workers(name, 1, (PRELOAD,), nanny, **environment)
        try:
            self.wait_for_workers(self.main | {name})
            yield
        finally:
            self.end_workers(name)
            self.wait_for_workers(self.main)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with Cluster(tmp_path_factory.mktemp("dask")) as started:
        yield started


def _workspace(root: Path, capsys: pytest.CaptureFixture[str], executor: str) -> Workspace:
    space = Workspace(root, capsys)
    space.dossier()
    space.write_jobs(
        f"""\
        executor: {executor}
        jobs:
          - {{name: b, dossier: dossier, audiences: [leadership, press], formats: [html], langs: [en, ru], out: out,
             schedule: "@monthly"}}
        """
    )
    return space


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str], cluster: Cluster) -> Workspace:
    for old in cluster.control.glob("*"):
        old.unlink()
    return _workspace(tmp_path, capsys, cluster.url)


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


def test_an_unreachable_scheduler_is_one_line_and_touches_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nowhere = "dask://127.0.0.1:9"  # the discard port: nothing listens there
    workspace = _workspace(tmp_path, capsys, nowhere)
    assert workspace.run("--executor", "local").code == 0
    DossierCopy(workspace.root / "dossier").replace("trade.csv", "2019,60,50,110", "2019,61,50,111")
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in workspace.out.rglob("*") if path.is_file()}
    result = workspace.run("--connect-timeout", "0.5")  # the jobs file's executor, given half a second
    assert result.code == 1
    [line] = result.err.splitlines()
    assert line.startswith(f"{nowhere}: executor: cannot use the Dask scheduler (") and "after 0.5 s" in line, line
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
    workspace: Workspace, cluster: Cluster
) -> None:
    result = workspace.run()
    on_scheduler = cluster.client.run_on_scheduler(lambda: sorted(name for name in HEAVY if name in sys.modules))
    # as each worker started, before any work was given: pandas imported, and its render process started (which
    # imports WeasyPrint and python-docx, reports/isolation.py)
    assert [(modules, len(children)) for modules, children in cluster.at_start.values()] == [(["pandas"], 1)] * 2
    assert result.code == 0, result.err
    assert result.rendered == DOCUMENTS
    assert on_scheduler == []  # the units crossed the scheduler as bytes


def test_a_worker_of_another_version_is_refused(workspace: Workspace, cluster: Cluster) -> None:
    # Not warmed: the test's preload makes the worker another version only before reports' modules are imported.
    # No nanny: the version is the worker's own, whoever started it.
    with cluster.another_worker("other-version", nanny=False, REPORTS_TEST_VERSION="0.0.1"):
        result = workspace.run()
    assert result.code == 1
    from reports import __version__

    [line] = result.err.splitlines()
    assert re.fullmatch(
        rf"{re.escape(cluster.url)}: worker tcp://127\.0\.0\.1:\d+ has reports 0\.0\.1, this run has reports "
        rf"{re.escape(__version__)}; install the same version on every worker",
        line,
    )
    assert not workspace.out.exists() or workspace.files() == {}


def test_a_daemon_worker_that_cannot_fork_the_render_is_refused(workspace: Workspace, cluster: Cluster) -> None:
    # Not warmed: the refusal comes before any work, and a daemon worker's render process is what it refuses.
    with cluster.another_worker("daemon", DASK_DISTRIBUTED__WORKER__DAEMON="True"):
        result = workspace.run()
    assert result.code == 1
    [line] = result.err.splitlines()
    assert "is a daemon process and cannot fork the render's child; start it with DASK_DISTRIBUTED__WORKER__DAEMON=False" in line
    assert not workspace.out.exists() or workspace.files() == {}
