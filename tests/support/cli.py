"""The `reports` command, run two ways with the same result type.

- `run_in_process(*args)`: `reports.cli.main(args)` in this process, output captured. `python -m reports` runs
  `raise SystemExit(main())`, so an exception escaping `main` is exit 1 with its traceback on stderr, as the
  interpreter would report it, and a warning is printed on stderr as the interpreter's filters let it. Saves a
  new interpreter (about a second) per call: used wherever the process itself is not what a test checks.
- `run_command(*args)`: `python -m reports ARGS` in a new process from the repository root, as a user runs it:
  for what only a real process shows (its exit status as the shell sees it, time zones and hash seeds,
  signals, timeouts, a crash).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import traceback
import unittest.mock
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from support.paths import REPO_ROOT, VALID_AS_OF

SECONDS = 60  # a guard against a hang (a FIFO read, an endless device): it fails the call instead of the run
# a new interpreter's warning filters (no -W, no PYTHONWARNINGS), as the `warnings` module documents them
INTERPRETER_FILTERS = (
    ("default", DeprecationWarning, "__main__"),
    ("ignore", DeprecationWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", ResourceWarning, ""),
)


@dataclass(frozen=True)
class Result:
    """What `reports ARGS` did: exit status, stdout, stderr."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def describe(self) -> str:
        return f"`reports {' '.join(self.args)}` exited {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}"

    def __iter__(self) -> Iterator:
        """`code, out, err = run_in_process(...)`."""
        return iter((self.code, self.out, self.err))

    def __getitem__(self, index: int) -> int | str:
        return (self.code, self.out, self.err)[index]

    # the names of subprocess.CompletedProcess, for tests written against it
    returncode = property(lambda self: self.code)
    stdout = property(lambda self: self.out)
    stderr = property(lambda self: self.err)


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """A hang fails the call (TimeoutError) instead of the run. The template and layout time limits of a render
    in this process put this alarm back when they end (reports/isolation.py, `step_time_limit`). Main thread only."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def interpreter_warnings() -> Iterator[None]:
    """While the block runs, a warning is printed on stderr as a new interpreter prints it, where pytest would record
    it for its summary instead: a user running the command sees it."""

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int, file=None, line=None) -> None:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():
        warnings.resetwarnings()
        for action, category, module in INTERPRETER_FILTERS:
            warnings.filterwarnings(action, category=category, module=module, append=True)
        warnings.showwarning = show
        yield


def run_in_process(*args: str, seconds: float = SECONDS, cwd: Path = REPO_ROOT, program: str = "reports") -> Result:
    """`reports ARGS...` in this process, from `cwd`: by default the repository root, as `run_command` (so the
    defaults, such as `--dossier data/kz-uz`, are the same). `program` is `sys.argv[0]` meanwhile, the command as
    typed (`reports init` names it in its hint)."""
    from reports.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(cwd),
        unittest.mock.patch.object(sys, "argv", [program, *args]),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        interpreter_warnings(),
    ):
        try:
            with deadline(seconds):
                code = main(list(args))
        except SystemExit as stop:  # as the interpreter turns SystemExit into an exit status
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except Exception:  # anything else escaping `main` is a bug, reported as the interpreter reports it
            code = 1
            err.write(traceback.format_exc())
    return Result(tuple(args), code, out.getvalue(), err.getvalue())


def run_command(*args: str, timeout: float = 600, env: Mapping[str, str] | None = None) -> Result:
    """`python -m reports ARGS` from the repository root in a new process; `env` adds to the environment."""
    completed = subprocess.run(
        [sys.executable, "-m", "reports", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return Result(tuple(args), completed.returncode, completed.stdout, completed.stderr)


def build_args(dossier: Path, out: Path, *more: str) -> list[str]:
    """The arguments of `reports build` of `dossier` into `out` as of VALID_AS_OF, then `more`."""
    return ["build", "--dossier", str(dossier), "--as-of", VALID_AS_OF, "--out", str(out), *more]


def assert_no_traceback(result: Result) -> None:
    """A failure the command itself reports (any exit status), not an exception escaping it."""
    assert "Traceback" not in result.out + result.err, result.describe()
