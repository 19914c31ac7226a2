"""`{out}/manifest.json`: what `reports build` and `reports run` built from which inputs, and how each job last went.

It is what lets a run skip a document whose inputs did not change (a `reports build` records its documents too,
with no job): kept apart from the run so that its
format has one reader and one writer. A manifest of another version, or one that cannot be read, is
ignored with a warning and every output counts as stale, so an old file never makes a run skip work.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from reports.dossier.readers import read_regular_file
from reports.engine.plan import file_digest
from reports.files import write_atomically

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
LOCK_NAME = ".reports-run.lock"  # held while the out folder's files and manifest are written
LOCK_SECONDS = 10.0  # how long a build or run waits for another one by default


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # a manifest holds a few hundred bytes per output


def read_manifest_file(path: Path) -> Any:
    """The manifest's JSON, read safely: only a regular file (a FIFO would hang the run holding its lock, a link to
    /dev/zero never end), at most MAX_MANIFEST_BYTES; OSError or ValueError otherwise (RecursionError for JSON
    nested thousands deep), which the caller turns into one warning."""
    raw, size = read_regular_file(path, MAX_MANIFEST_BYTES)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ValueError(f"{size} bytes, more than {MAX_MANIFEST_BYTES}")
    return json.loads(raw.decode("utf-8"))


class Manifest:
    """`{out}/manifest.json`: what was built from what, and how each job last went."""

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST_NAME
        self.outputs: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, dict[str, Any]] = {}
        self.warning: str | None = None
        try:
            data = read_manifest_file(self.path)
            if data["version"] != MANIFEST_VERSION:
                raise ValueError(f"version {data['version']!r}, this reports writes version {MANIFEST_VERSION}")
            self.outputs = dict(data["outputs"])
            self.jobs = dict(data["jobs"])
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as error:
            self.warning = f"{self.path}: manifest: unreadable ({error}); every output counts as stale"

    def key(self, path: Path) -> str:
        return path.resolve().relative_to(self.path.parent.resolve()).as_posix()

    def is_current(self, path: Path, inputs: str) -> bool:
        """Built from these inputs, and the file is still the one that was built."""
        entry = self.outputs.get(self.key(path))
        if entry is None or entry.get("inputs") != inputs:
            return False
        try:
            if path.stat().st_size != entry.get("size"):
                return False
        except OSError:
            return False
        return file_digest(path) == entry.get("sha256")

    def last_success(self, job: str) -> dt.datetime | None:
        text = self.jobs.get(job, {}).get("last_success")
        try:
            return dt.datetime.fromisoformat(text) if text else None
        except (TypeError, ValueError):
            return None

    def record_output(
        self,
        path: Path,
        job: str | None,
        inputs: str,
        built_at: dt.datetime,
        seconds: float,
        content: bytes,
        as_of: dt.date,
    ) -> None:
        import hashlib

        self.outputs[self.key(path)] = {
            "job": job, "inputs": inputs, "built_at": stamp(built_at), "as_of": as_of.isoformat(),
            "seconds": round(seconds, 3), "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
        }  # fmt: skip

    def previous_as_of(self, path: Path) -> dt.date | None:
        """The as-of date of the output's last successful build, None if it was never built (or the entry has none)."""
        value = self.outputs.get(self.key(path), {}).get("as_of")
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def record_success(self, job: str, now: dt.datetime, built: int, up_to_date: int) -> None:
        entry = self.jobs.setdefault(job, {})
        entry["last_success"] = stamp(now)
        entry["last_run"] = {"at": stamp(now), "built": built, "up_to_date": up_to_date}

    def record_failure(self, job: str, now: dt.datetime, reason: str) -> None:
        self.jobs.setdefault(job, {})["last_failure"] = {"at": stamp(now), "reason": reason}

    def owed(self, job: str, target: str) -> list[dict[str, Any]]:
        """The documents a delivery target of the job has not received yet: `{"path", "audience", "lang", "format",
        "restricted"}`, `path` as in `outputs`."""
        return list(self.jobs.get(job, {}).get("deliveries", {}).get(target, {}).get("owed", []))

    def record_delivery(
        self, job: str, target: str, owed: list[dict[str, Any]], now: dt.datetime, delivered: int = 0, failure: str | None = None
    ) -> None:
        """What the target is still owed, and how this run's attempt went: `delivered` documents, or its failure."""
        entry = self.jobs.setdefault(job, {}).setdefault("deliveries", {}).setdefault(target, {})
        entry["owed"] = owed
        if delivered:
            entry["last_delivered"] = {"at": stamp(now), "documents": delivered}
        if failure is not None:
            entry["last_failure"] = {"at": stamp(now), "reason": failure}

    def keep_deliveries(self, job: str, targets: set[str]) -> None:
        """Forget the targets the job no longer names (what they were owed goes with them)."""
        entry = self.jobs.get(job, {})
        deliveries = entry.get("deliveries", {})
        for target in [target for target in deliveries if target not in targets]:
            del deliveries[target]
        if "deliveries" in entry and not deliveries:
            del entry["deliveries"]

    def save(self) -> None:
        """Atomically, like every output (outputs whose file is gone are dropped)."""
        out = self.path.parent
        outputs = {key: entry for key, entry in sorted(self.outputs.items()) if (out / key).is_file()}
        text = json.dumps({"version": MANIFEST_VERSION, "outputs": outputs, "jobs": self.jobs}, indent=2, ensure_ascii=False)
        write_atomically({self.path: (text + "\n").encode("utf-8")})
