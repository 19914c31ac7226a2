"""What a run says while it works: one line per document, one per job, failures on stderr."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from reports.engine.render import DocumentResult
from reports.progress import counted
from reports.scheduler.jobs import Job


class Progress:
    """One line per document with its time; on a terminal, numbered and coloured. `quiet`: failures only."""

    def __init__(self, quiet: bool, stream: TextIO | None = None, errors: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stdout
        self.errors = errors or sys.stderr
        self.tty = self.stream.isatty()
        self.total = 0
        self.done = 0

    def _colour(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.tty else text

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def warn(self, text: str) -> None:
        print(text, file=self.errors, flush=True)

    def document(self, result: DocumentResult) -> None:
        self.done += 1
        if not result.ok:
            return  # said with the job's failure
        if self.tty:
            width = len(str(self.total))
            self.say(f"[{self.done:>{width}}/{self.total}] {self._colour('✓', '32')} {result.seconds:6.2f} s  {result.path}")
        else:
            self.say(f"rendered {result.path} ({result.seconds:.2f} s)")

    def job_done(self, job: Job, built: int, up_to_date: int) -> None:
        what = f"{built} written, {up_to_date} up to date" if built else f"up to date ({counted(up_to_date, 'document')})"
        self.say(f"{job.name}: {what}")

    def job_failed(self, job: Job, lines: list[str], written: bool = False, dossier: Path | None = None) -> None:
        what = "some files written (below)" if written else "nothing written"
        where = f" ({dossier})" if dossier is not None else ""
        self.warn(f"{self._colour('✗', '31') if self.tty else 'failed:'} job {job.name}{where}: {what}")
        for line in lines:
            self.warn(line.rstrip("\n"))
