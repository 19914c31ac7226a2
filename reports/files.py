"""The one way files of ours reach the disk: all of them whole, or none, so a reader never sees half of a build.

Briefings, the run's manifest and an import's rewritten CSV files all go through `write_atomically`; it sits
below every stage so that none of them has to import the build for it.

A set of files cannot be renamed into place in one step, so the renames are made as safe as the file system
allows: before the first one, a journal beside the files (`.reports-replacing.XXXXXXXX.json`) lists every
(temporary file, file) pair; SIGINT, SIGTERM and SIGHUP wait until the last rename is done; the journal goes
after it. A process killed outright (SIGKILL, a power cut) in between leaves the journal, and the next write to
the same folder finishes the renames it lists before anything else, so the set ends up whole, all new. Temporary
files carry their writer's process id (`.NAME.PID.XXXXXXXX.tmp`): those of a process that no longer runs are
removed by the next write, others once they are older than STALE_SECONDS.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)
_CREATE_MODE = 0o666 & ~_UMASK  # what open() would give a new file
STALE_SECONDS = 600  # a temporary file lives for the seconds of a write: one this old is a killed build's
JOURNAL_PREFIX = ".reports-replacing."
_MAX_JOURNAL_BYTES = 1024 * 1024
_HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


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
    journals: list[Path] = []
    try:
        for folder in dict.fromkeys(path.parent for path in outputs):
            with contextlib.suppress(OSError):
                finish_interrupted_writes(folder)
        for path, content in outputs.items():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                remove_stale_temporaries(path)
                handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
                temporaries[path] = temporary
                with os.fdopen(handle, "wb") as file:
                    file.write(content)
                os.chmod(temporary, _CREATE_MODE)  # mkstemp makes it private; a briefing is as readable as any file
            except OSError as error:
                raise WriteError(path, error) from None
        if len(temporaries) > 1:
            journals = _write_journals(temporaries)
        replaced: list[Path] = []
        with _signals_held():
            for path, temporary in temporaries.items():
                try:
                    os.replace(temporary, path)
                except OSError as error:
                    raise WriteError(path, error, replaced) from None
                replaced.append(path)
            for journal in journals:
                journal.unlink(missing_ok=True)
        return replaced
    finally:
        for temporary in temporaries.values():
            Path(temporary).unlink(missing_ok=True)
        for journal in journals:
            journal.unlink(missing_ok=True)


def _write_journals(temporaries: dict[Path, str]) -> list[Path]:
    """The same journal in every folder of the set, so a write to any of them finishes the whole set."""
    folders = list(dict.fromkeys(path.parent for path in temporaries))
    journals = []
    try:
        for folder in folders:
            handle, name = tempfile.mkstemp(dir=folder, prefix=JOURNAL_PREFIX, suffix=".json")
            os.close(handle)
            journals.append(Path(name))
        entry = {
            "pid": os.getpid(),
            "replace": [[temporary, str(path)] for path, temporary in temporaries.items()],
            "journals": [str(journal) for journal in journals],
        }
        content = json.dumps(entry).encode("utf-8")
        for journal in journals:
            with open(journal, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
    except OSError as error:
        for journal in journals:
            journal.unlink(missing_ok=True)
        raise WriteError(folders[0], error) from None
    return journals


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP received meanwhile take effect when the block ends, not in the middle of the
    renames. Only the main thread can set handlers; elsewhere the block runs unprotected."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {number: signal.signal(number, lambda number, frame: received.append(number)) for number in _HELD_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for signal_number in dict.fromkeys(received):
            os.kill(os.getpid(), signal_number)  # now, with the handler it had: Ctrl-C, or the end of the process


def finish_interrupted_writes(folder: Path) -> None:
    """Finish the renames of every journal in `folder` whose writer no longer runs (killed in the middle of them)
    or that is older than STALE_SECONDS: the set it lists ends up whole, all new."""
    for journal in folder.glob(f"{glob.escape(JOURNAL_PREFIX)}*.json"):
        try:
            if journal.is_symlink() or not journal.is_file() or journal.stat().st_size > _MAX_JOURNAL_BYTES:
                continue
            entry = json.loads(journal.read_text(encoding="utf-8"))
            recent = journal.stat().st_mtime > time.time() - STALE_SECONDS
            if recent and _running(int(entry["pid"])):
                continue
            for temporary, path in entry["replace"]:
                temporary, path = Path(temporary), Path(path)
                if _is_temporary_of(temporary, path) and temporary.is_file() and not temporary.is_symlink():
                    os.replace(temporary, path)
            for other in entry["journals"]:
                if Path(other).name.startswith(JOURNAL_PREFIX):
                    Path(other).unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a journal of ours, or gone meanwhile: it does not stop the write


def _is_temporary_of(temporary: Path, path: Path) -> bool:
    return temporary.parent == path.parent and temporary.name.startswith(f".{path.name}.") and temporary.suffix == ".tmp"


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a journal of this process is one it left itself, in an earlier write that failed
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    return True


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of `path` (`.NAME.PID.XXXXXXXX.tmp` beside it) that a killed build or run left
    behind: those of a process no longer running, and any older than STALE_SECONDS; one being written at this
    moment by another build stays."""
    cutoff = time.time() - STALE_SECONDS
    prefix = f".{path.name}."
    for temporary in path.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        writer = temporary.name[len(prefix) :].split(".", 1)[0]
        try:
            if not temporary.is_file() or temporary.is_symlink():
                continue
            if (writer.isdigit() and writer.isascii() and not _running(int(writer))) or temporary.lstat().st_mtime < cutoff:
                temporary.unlink()
        except OSError:
            pass  # gone already, or not ours to remove: it does not stop the write
