"""What several test files share: where the repository is, and the `reports` command run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO_ROOT = TESTS.parent


def run_reports(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """`python -m reports ARGS` from the repository root in a new process, output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "reports", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
