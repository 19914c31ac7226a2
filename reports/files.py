"""The one way a file of ours reaches the disk: whole or not at all, so a reader never sees half of it.

Briefings, the run's manifest and an import's rewritten CSV files all go through `write_atomically`; it sits
below every stage so that none of them has to import the build for it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)
_CREATE_MODE = 0o666 & ~_UMASK  # what open() would give a new file


def write_atomically(outputs: dict[Path, bytes]) -> list[Path]:
    """Each file goes to a temporary name beside it, then replaces the old one in a single rename."""
    written = []
    for path, content in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.chmod(temporary, _CREATE_MODE)  # mkstemp makes it private; a briefing is as readable as any file
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(path)
    return written
