"""`reports run`: which jobs are due, which of their documents are stale, and building them with the engine."""

from pathlib import Path

DEFAULT_JOBS_FILE = Path("reports.yaml")  # here, not in jobs.py: every command's parser names it, and jobs.py is heavy
