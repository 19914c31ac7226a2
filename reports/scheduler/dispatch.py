"""After a run's builds: each job's `deliver:` targets receive what they are owed (reports/delivery/ sends).

What a target is owed, per job, is kept in the manifest (`jobs.<job>.deliveries.<target>.owed`):

1. Every document this run wrote with new bytes (a document rebuilt byte-identical is not new) is owed to each
   target of its job that accepts it: the audiences the target names, and an audience that includes restricted
   material only to a target marked `restricted: true`. The manifest is saved before anything is sent, so a run
   killed while delivering still owes the documents to the next one.
2. Per job, dossier and target, one delivery of everything owed that is still on disk. Delivered: no longer owed.
   Failed: one line on stderr, still owed (tried again on the next run, whether or not the job is due then), and
   the run's exit status is 1. The builds are never undone; the job's last success stands.
"""

from __future__ import annotations

import datetime as dt

from reports.delivery import DeliveryError, Item, Parcel, deliver
from reports.engine.manifest import Manifest
from reports.engine.plan import Document, Planner
from reports.files import WriteError
from reports.progress import counted
from reports.scheduler.jobs import Job
from reports.scheduler.progress import Progress


class Deliveries:
    """The deliveries of one run, over the groups (one job's documents of one dossier) it planned."""

    def __init__(self, planner: Planner, now: dt.datetime, progress: Progress) -> None:
        self.planner, self.now, self.progress = planner, now, progress
        self.failed = False

    def owe(self, job: Job, manifest: Manifest, documents: list[Document]) -> None:
        """Owe the documents just written with new bytes to every target of the job that accepts them."""
        for target in job.deliver:
            owed = manifest.owed(job.name, target.key)
            known = {entry["path"] for entry in owed}
            for document in documents:
                entry = self._entry(job, manifest, document)
                if entry["path"] not in known and target.accepts(document.audience, entry["restricted"]):
                    owed.append(entry)
                    known.add(entry["path"])
            manifest.record_delivery(job.name, target.key, owed, self.now)

    def send(self, job: Job, manifest: Manifest, documents: list[Document]) -> None:
        """Deliver to each target what it is owed of these documents (one job, one dossier)."""
        if not documents:
            return
        dossier = documents[0].loaded.dossier
        mine = {manifest.key(document.path) for document in documents}
        manifest.keep_deliveries(job.name, {target.key for target in job.deliver})
        for target in job.deliver:
            owed = manifest.owed(job.name, target.key)
            others = [entry for entry in owed if entry["path"] not in mine]
            # a file gone is owed no more (its next build is new); nor is what the target no longer accepts
            sendable = [
                entry for entry in owed
                if entry["path"] in mine and target.accepts(entry["audience"], entry["restricted"])
                and (manifest.path.parent / entry["path"]).is_file()
            ]  # fmt: skip
            sendable.sort(key=lambda entry: entry["path"])
            if not sendable:
                manifest.record_delivery(job.name, target.key, others, self.now)
                continue
            items = tuple(
                Item(manifest.path.parent / e["path"], e["audience"], e["lang"], e["format"], e["restricted"]) for e in sendable
            )
            count = counted(len(items), "document")
            try:
                deliver(target, Parcel(job.name, dossier.id, dossier.title, items))
            except DeliveryError as error:
                self.failed = True
                self.progress.warn(
                    f"delivery failed: job {job.name} ({dossier.id}) to {target.key}: {error}; {count} kept for the next run"
                )
                manifest.record_delivery(job.name, target.key, others + sendable, self.now, failure=str(error))
            else:
                self.progress.say(f"{job.name}: delivered {count} of {dossier.id} to {target.key}")
                manifest.record_delivery(job.name, target.key, others, self.now, delivered=len(items))

    def save(self, manifest: Manifest) -> None:
        try:
            manifest.save()
        except WriteError as error:
            self.failed = True
            self.progress.warn(f"{error} (what the delivery targets are owed is not recorded)")

    def _entry(self, job: Job, manifest: Manifest, document: Document) -> dict:
        audience = self.planner.templates(job.templates).audiences[document.audience]
        return {
            "path": manifest.key(document.path), "audience": document.audience, "lang": document.lang,
            "format": document.format, "restricted": audience.include_restricted,
        }  # fmt: skip
