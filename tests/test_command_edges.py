"""The `reports` command at the edges of its options and of the machine: every case is one line and an exit
status, never a traceback. A path part longer than a file name may be, limits past what the kernel takes, a run
clock outside the calendar, Ctrl-C, a render process killed from outside (as the out-of-memory killer does),
a FIFO given as the jobs file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.paths import REPO_ROOT, VALID_DOSSIER

LONG = "x" * 300
RUNAWAY = (
    '{% extends "base.html.j2" %}{% block cover %}'
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{% endblock %}"
)


def one_line(result, code: int = 2) -> str:
    assert result.code == code, result.describe()
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    return result.err


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["build", "--dossier", f"/tmp/{LONG}"], "--dossier"),
        (["build", "--out", f"/tmp/{LONG}/out"], "--out"),
        (["build", "--templates", LONG], "--templates"),
        (["audiences", "--templates", LONG], "--templates"),
        (["run", "--jobs", f"/tmp/{LONG}.yaml"], "--jobs"),
        (["validate", "--dossier", "/tmp/" + "/".join(["y" * 200] * 25)], "--dossier"),
        (["import", "imf", f"/tmp/{LONG}.csv", "--dossier", "data/kz-uz", "--dry-run"], "FILE"),
    ],
    ids=["dossier", "out", "templates", "audiences", "jobs", "a path of 5,000 bytes", "import file"],
)
def test_a_path_too_long_to_name_a_file_is_one_line(args: list[str], option: str):
    assert f": {option}: " in one_line(run_in_process(*args))


@pytest.mark.parametrize(
    ("option", "value"),
    [("--memory-limit", "8796093022208"), ("--time-limit", "99999999999999"), ("--memory-limit", "１０")],
)
def test_a_limit_past_what_the_kernel_takes_is_one_line(tmp_path: Path, option: str, value: str):
    err = one_line(run_in_process("build", "--dossier", str(VALID_DOSSIER), "--out", str(tmp_path / "out"), option, value))
    assert f"argument {option}: " in err


@pytest.mark.parametrize("value", ["99999999999999999999", "0", "100000"])
def test_workers_outside_1_to_256_is_one_line(value: str):
    assert "argument --workers: " in one_line(run_in_process("run", "--workers", value))


def test_a_lock_timeout_past_a_day_is_one_line():
    assert "argument --lock-timeout: " in one_line(run_in_process("run", "--lock-timeout", "1e300"))


@pytest.mark.parametrize("now", ["0001-01-01", "9999-12-31"])
def test_a_run_clock_outside_the_calendar_is_one_line(now: str):
    err = one_line(run_in_process("run", "--now", now, "--dry-run"))
    assert f"reports: --now: '{now}' is not a plausible date" in err


def test_a_fifo_as_the_jobs_file_says_what_it_is(tmp_path: Path):
    os.mkfifo(tmp_path / "reports.yaml")
    err = one_line(run_in_process("run", "--jobs", str(tmp_path / "reports.yaml")))
    assert f"{tmp_path / 'reports.yaml'}: file: is not a regular file" in err


def runaway_build(tmp_path: Path) -> subprocess.Popen:
    """`reports build` in a new process (and process group) whose HTML template loops for 20 s."""
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.html.j2").write_text(RUNAWAY, encoding="utf-8")
    args = ["build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(tmp_path / "out")]
    args += ["--templates", str(house), "--format", "html", "--audience", "press"]
    return subprocess.Popen(
        [sys.executable, "-m", "reports", *args], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True, preexec_fn=interruptible,
    )  # fmt: skip


def interruptible() -> None:
    """In the command's process before it starts: Ctrl-C as a terminal's shell leaves it, whatever the test's own
    process was started with (a background job of a non-interactive shell ignores SIGINT, and so would its child)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def render_child(process: subprocess.Popen) -> int:
    """The pid of the process rendering the build's document, once there is one: a child of the build's render
    process (reports/isolation.py), which the build forks first thing."""
    for _ in range(600):
        for render_process in children(process.pid):
            if documents := children(render_process):
                return min(documents)
        time.sleep(0.05)
    raise AssertionError("the build started no render")


def children(pid: int) -> list[int]:
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in listing.read_text().split()]
    except OSError:
        return []


def test_ctrl_c_is_exit_130_and_one_line(tmp_path: Path):
    build = runaway_build(tmp_path)
    render_child(build)
    time.sleep(0.5)  # into the template's loop
    os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130, err
    assert err == "reports: interrupted\n"
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.*"))


def test_ctrl_c_during_a_run_with_workers_is_exit_130_and_one_line(tmp_path: Path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.html.j2").write_text(RUNAWAY, encoding="utf-8")
    jobs = tmp_path / "reports.yaml"
    job = f"{{name: north, dossier: {VALID_DOSSIER}, formats: [html], out: out, templates: house, schedule: '@monthly'}}"
    jobs.write_text(f"jobs:\n  - {job}\n", encoding="utf-8")
    run = subprocess.Popen(
        [sys.executable, "-m", "reports", "run", "--jobs", str(jobs), "--workers", "2"], cwd=REPO_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, preexec_fn=interruptible,
    )  # fmt: skip
    render_child(run)  # a worker has started
    time.sleep(2)  # into the template's loop
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert err == "reports: interrupted\n"


def test_a_render_process_killed_from_outside_is_one_line(tmp_path: Path):
    build = runaway_build(tmp_path)
    os.kill(render_child(build), signal.SIGKILL)  # as the kernel's out-of-memory killer does
    _, err = build.communicate(timeout=60)
    assert build.returncode == 2, err
    assert err.startswith("press.en.html: render: the rendering process was killed by SIGKILL"), err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
