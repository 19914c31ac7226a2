"""Expensive outputs built once per test run and read by every test that checks them (tests/conftest.py makes
them session fixtures).

Under pytest-xdist each worker is a process with its own session, so a session fixture alone would build once
per worker; `once` makes the first worker that needs an output build it into a folder every worker sees, under
a file lock, and the others read the same files (waiting for the lock if it is still being built).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from support.cli import Result, run_command, run_in_process
from support.read import read_yaml

FORMATS = ("pdf", "docx", "html")
# The guard against a hang of a shared build, which may build dozens of documents on a machine busy with other work.
SHARED_SECONDS = 900
FORMAT_ARGS = tuple(arg for fmt in FORMATS for arg in ("--format", fmt))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], dict]) -> tuple[Path, dict]:
    """`make(folder)` run once per test run (not once per xdist worker): (folder, what it returned, as JSON).

    A failed `make` leaves no record, so every worker that needs it tries again and reports its own failure."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above every worker's own
    folder = base / f"once-{name}"
    record = base / f"once-{name}.json"
    with _locked(base / f"once-{name}.lock"):
        if record.exists():
            return folder, json.loads(record.read_text(encoding="utf-8"))
        shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
        folder.mkdir()
        result = make(folder)
        record.write_text(json.dumps(result), encoding="utf-8")
        return folder, result


# ---------------------------------------------------------------- `reports build` of every audience


@dataclass
class Build:
    """One `reports build` of every audience; when it fails, each audience is built on its own as well, so one
    broken audience fails its own tests (and the build test) instead of every test that reads the build."""

    dossier: Path
    dossier_id: str
    out: Path
    as_of: str
    run: Result
    separate: dict[str, Result] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.out / self.dossier_id

    def path(self, audience: str, fmt: str, lang: str = "en") -> Path:
        path = self.folder / f"{audience}.{lang}.{fmt}"
        if not path.is_file():
            why = self.separate.get(audience, self.run)
            pytest.fail(f"{path.name} was not built.\n{why.describe()}")
        return path


def build_every_audience(
    dossier: Path, out: Path, as_of: str, audiences: tuple[str, ...], runner: Callable[..., Result] | None = None
) -> Build:
    """`reports build` of `dossier` in pdf, docx and html into `out`."""
    args = ("build", "--dossier", str(dossier), *FORMAT_ARGS, "--as-of", as_of, "--out", str(out))
    runner = runner or (lambda *args: run_in_process(*args, seconds=SHARED_SECONDS))
    result = Build(dossier, read_yaml(dossier / "dossier.yaml")["id"], out, as_of, runner(*args))
    if result.run.code != 0:
        for audience in audiences:
            result.separate[audience] = runner(*args, "--audience", audience)
    return result


def shared_build(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    dossier: Path,
    as_of: str,
    audiences: tuple[str, ...],
    runner: Callable[..., Result] | None = None,
) -> Build:
    """`build_every_audience`, once per test run."""

    def make(folder: Path) -> dict:
        built = build_every_audience(dossier, folder / "out", as_of, audiences, runner)
        return {"run": asdict(built.run), "separate": {key: asdict(value) for key, value in built.separate.items()}}

    folder, record = once(tmp_path_factory, name, make)

    def result(data: dict) -> Result:
        return Result(tuple(data["args"]), data["code"], data["out"], data["err"])

    separate = {key: result(value) for key, value in record["separate"].items()}
    return Build(dossier, read_yaml(dossier / "dossier.yaml")["id"], folder / "out", as_of, result(record["run"]), separate)


def in_a_new_process(env: dict[str, str]) -> Callable[..., Result]:
    """A runner: `python -m reports` in a new process with `env` added to the environment."""
    return lambda *args: run_command(*args, env=env)


# ---------------------------------------------------------------- other shared outputs


def shared_run(tmp_path_factory: pytest.TempPathFactory, name: str, *commands: tuple[str, ...]) -> tuple[Path, list[Result]]:
    """Each of `commands` (the arguments of one `reports` command, `{out}` standing for the output folder) run in
    this process, in order, once per test run: (the output folder, their results)."""

    def make(folder: Path) -> dict:
        out = str(folder / "out")
        runs = [run_in_process(*(arg.replace("{out}", out) for arg in args), seconds=SHARED_SECONDS) for args in commands]
        return {"runs": [asdict(run) for run in runs]}

    folder, record = once(tmp_path_factory, name, make)
    runs = [Result(tuple(run["args"]), run["code"], run["out"], run["err"]) for run in record["runs"]]
    return folder / "out", runs
