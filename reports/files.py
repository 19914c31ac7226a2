"""The one way files of ours reach the disk: all of them whole, or none, so a reader never sees half of a build.

Briefings, the run's manifest and an import's rewritten CSV files all go through `write_atomically`; it sits
below every stage so that none of them has to import the build for it.
"""

from __future__ import annotations

import glob
import os
import tempfile
import time
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)
_CREATE_MODE = 0o666 & ~_UMASK  # what open() would give a new file
STALE_SECONDS = 600  # a temporary file lives for the seconds of a write: one this old is a killed build's


class WriteError(Exception):
    """A file could not be written (a full disk, a read-only folder): the machine is at fault, not the input.

    Printed as one line, `path: write: OS error`; `replaced` lists the files already renamed into place (only a
    rename failing after the first one leaves any), so no message claims "nothing written" when something was.
    """

    def __init__(self, path: Path, error: OSError, replaced: list[Path] | None = None) -> None:
        self.path = Path(error.filename) if error.filename else path
        self.replaced = replaced or []
        done = f"; already replaced: {', '.join(map(str, self.replaced))}" if self.replaced else ""
        super().__init__(f"{self.path}: write: {error.strerror or error}{done}")


def write_atomically(outputs: dict[Path, bytes]) -> list[Path]:
    """Every file goes to a temporary name beside it first; only when all were written is each renamed over its
    old one. A failure to write removes every temporary file and raises WriteError, the old files untouched."""
    temporaries: dict[Path, str] = {}
    try:
        for path, content in outputs.items():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                remove_stale_temporaries(path)
                handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
                temporaries[path] = temporary
                with os.fdopen(handle, "wb") as file:
                    file.write(content)
                os.chmod(temporary, _CREATE_MODE)  # mkstemp makes it private; a briefing is as readable as any file
            except OSError as error:
                raise WriteError(path, error) from None
        replaced: list[Path] = []
        for path, temporary in temporaries.items():
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise WriteError(path, error, replaced) from None
            replaced.append(path)
        return replaced
    finally:
        for temporary in temporaries.values():
            Path(temporary).unlink(missing_ok=True)


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of `path` (`.NAME.XXXXXXXX.tmp` beside it) that a killed build or run left
    behind: older than STALE_SECONDS, so one being written at this moment by another build stays."""
    cutoff = time.time() - STALE_SECONDS
    for temporary in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        try:
            if temporary.lstat().st_mtime < cutoff and temporary.is_file() and not temporary.is_symlink():
                temporary.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: it does not stop the write
