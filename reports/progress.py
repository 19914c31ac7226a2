"""What `build` and `brief` say while they work: a line per finished document, then a summary.

A terminal gets a line per document as it finishes (`[2/6]  3.10 s  build/kz-uz/ministry.en.pdf`), so a build
that takes a minute is seen to move, and a summary line at the end (both on stderr); a pipe or a log gets only
the paths written (stdout), as scripts read them, unless `--verbose` asks for the lines and the summary too.
`--quiet` says nothing but problems.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


def counted(count: int, noun: str) -> str:
    """A count as the command's English lines say it: "1 document", "3 documents" (nouns with a plain -s plural)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass
class DocumentProgress:
    """Counts finished documents and, when `show` is set, prints one line for each on `stream` (stderr)."""

    show: bool
    stream: TextIO = field(default_factory=lambda: sys.stderr)
    total: int = 0  # set by the build once it knows how many documents it renders
    done: int = 0

    def finished(self, path: Path, seconds: float) -> None:
        """One document rendered (in memory: every file is written at the end, all or none)."""
        self.done += 1
        if self.show:
            width = len(str(self.total or self.done))
            print(f"[{self.done:>{width}}/{self.total or '?'}] {seconds:6.2f} s  {path}", file=self.stream, flush=True)

    def summary(self, written: list[Path], seconds: float) -> str:
        folders = sorted({str(path.parent) for path in written})
        return f"{counted(len(written), 'file')} written to {', '.join(folders) or 'nothing'} in {seconds:.1f} s"
