"""The briefings the preview serves, kept in memory, and the rebuild after a change.

Every briefing keeps its last good bytes: a build that fails leaves them as they were and records its problems,
which the page shows over them until a build succeeds. Each change of the dossier or the templates starts one
pass: the audiences and languages read again, then every HTML page whose inputs hash changed is rebuilt, the
pages open in a browser first, then every PDF already asked for. A newer change ends the pass early and starts
the next one. The builds run one at a time on a worker thread, so the server keeps answering meanwhile; the
state itself is changed only on the event loop, so it needs no lock.

Each page has a version, raised whenever what it shows changes; an open page waits on `wait_for_change` and
reloads itself when its version moves on (reports/serve/app.py).
"""

from __future__ import annotations

import asyncio
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from reports.errors import Problem, ReportsError
from reports.progress import counted
from reports.serve import engine

IDLE = "up to date; waiting for changes"  # said after each pass: what the terminal, and the bench, wait for
HEARTBEAT_SECONDS = 15.0  # how long a waiting page may hear nothing: a comment line keeps proxies from closing it


@dataclass
class Output:
    """One format of one briefing: its last good bytes and what its last build said."""

    content: bytes | None = None
    key: str | None = None  # inputs hash of the last build, good or not
    problems: tuple[Problem, ...] = ()


@dataclass
class Document:
    """One audience in one language."""

    audience: engine.Audience
    lang: str
    outputs: dict[str, Output] = field(default_factory=lambda: {name: Output() for name in engine.FORMATS})
    version: int = 0

    @property
    def name(self) -> str:
        return f"{self.audience.name}.{self.lang}"


class Library:
    def __init__(self, source: engine.Source, loopback: bool, say: Callable[[str], None] | None = None) -> None:
        self.source = source
        self.loopback = loopback  # restricted audiences are served on loopback only
        self.say = say or (lambda line: print(line, file=sys.stderr, flush=True))
        self.documents: dict[str, Document] = {}
        self.withheld: tuple[str, ...] = ()  # restricted audiences not served on this address
        self.problems: tuple[Problem, ...] = ()  # of the templates folder or the audiences: every page shows them
        self.version = 0  # the index page's
        self.watchers: dict[str, int] = {}  # page → open browser tabs waiting on it
        self.stopped = False
        self._said: tuple[Problem, ...] = ()  # the problems last printed: a broken dossier is said once, not per page
        self._tick = asyncio.Event()  # set, and replaced, at every change
        self._pending = asyncio.Event()  # a change not yet taken into a pass
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reports-serve-build")
        self._pdf_lock = asyncio.Lock()

    # ------------------------------------------------------------ what the pages read

    def page_version(self, page: str) -> int | None:
        """The version of a document's page, or of the index for ""; None for a page there is not."""
        if page == "":
            return self.version
        document = self.documents.get(page)
        return document.version if document else None

    def problems_of(self, document: Document, output_format: str = "html") -> tuple[Problem, ...]:
        return self.problems + document.outputs[output_format].problems

    async def wait_for_change(self, page: str, version: int) -> bool:
        """True once the page's version is not `version` (or the page is gone); False after HEARTBEAT_SECONDS
        without, or when the server stops."""
        tick = self._tick
        if self.page_version(page) != version:
            return True
        try:
            await asyncio.wait_for(tick.wait(), HEARTBEAT_SECONDS)
        except TimeoutError:
            return False
        return not self.stopped and self.page_version(page) != version

    # ------------------------------------------------------------ changes

    def changed(self) -> None:
        """The dossier or the templates changed: a pass follows."""
        self._pending.set()

    def stop(self) -> None:
        self.stopped = True
        self._notify()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _notify(self) -> None:
        tick, self._tick = self._tick, asyncio.Event()
        tick.set()

    async def run(self) -> None:
        """Passes, one after another, for as long as the server runs (its first pass builds everything)."""
        self._pending.set()
        while not self.stopped:
            await self._pending.wait()
            self._pending.clear()
            try:
                await self._pass()
            except Exception:  # a bug, or the machine (a folder that cannot be read): said, and the next change tries again
                self.say(f"the rebuild failed:\n{traceback.format_exc()}")
            if not self._pending.is_set():
                self.say(IDLE)

    async def _in_thread(self, function: Callable, *args: object):
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    # ------------------------------------------------------------ one pass

    def load_catalogue(self) -> None:
        """The documents there are, read before the server answers (so each page exists from the first request)
        and again at every pass."""
        try:
            self._set_catalogue(engine.catalogue(self.source))
        except ReportsError as error:
            self._set_problems(tuple(error.problems))

    async def _pass(self) -> None:
        try:
            catalogue = await self._in_thread(engine.catalogue, self.source)
        except ReportsError as error:
            self._set_problems(tuple(error.problems))
            return
        self._set_catalogue(catalogue)
        snapshot = engine.Snapshot(self.source)
        wanted = [(d.audience.name, d.lang, name) for d in self.documents.values() for name in engine.FORMATS]
        keys = await self._in_thread(snapshot.inputs_hashes, wanted)
        stale = [d for d in self.documents.values() if d.outputs["html"].key != keys[d.audience.name, d.lang, "html"]]
        stale.sort(key=lambda document: -self.watchers.get(document.name, 0))  # open pages first
        for document in stale:
            if self._pending.is_set() or self.stopped:
                return
            await self._build(snapshot, document, "html", keys[document.audience.name, document.lang, "html"])
        for document in list(self.documents.values()):  # then the PDFs someone has looked at
            pdf = document.outputs["pdf"]
            key = keys[document.audience.name, document.lang, "pdf"]
            if pdf.content is not None and pdf.key != key:
                if self._pending.is_set() or self.stopped:
                    return
                await self._build(snapshot, document, "pdf", key)

    def _set_problems(self, problems: tuple[Problem, ...]) -> None:
        if problems == self.problems:
            return
        self.problems = problems
        for line in problems:
            self.say(str(line))
        for document in self.documents.values():
            document.version += 1
        self.version += 1
        self._notify()

    def _set_catalogue(self, catalogue: engine.Catalogue) -> None:
        self._set_problems(())
        served = [audience for audience in catalogue.audiences if self.loopback or not audience.restricted]
        self.withheld = tuple(audience.name for audience in catalogue.audiences if audience not in served)
        documents = {}
        for audience in served:
            for lang in catalogue.langs:
                document = self.documents.get(f"{audience.name}.{lang}") or Document(audience, lang)
                document.audience = audience
                documents[document.name] = document
        if documents.keys() != self.documents.keys():
            self.version += 1
            self._notify()
        self.documents = documents

    async def _build(self, snapshot: engine.Snapshot, document: Document, output_format: str, key: str) -> None:
        """One output built, its result recorded; the page's version raised when what it shows changed."""
        output = document.outputs[output_format]
        name = f"{document.name}.{output_format}"
        started = time.perf_counter()
        try:
            content = await self._in_thread(snapshot.render, document.audience.name, document.lang, output_format)
        except ReportsError as error:
            problems = tuple(error.problems)
            if problems != self._said:
                self.say(f"{name}: {counted(len(problems), 'problem')}; the last good briefing stays")
                for problem in problems:
                    self.say(f"  {problem}")
                self._said = problems
            shown = output.problems != problems
            output.key, output.problems = key, problems
        except Exception as error:  # a bug, not the input: said on the page and in the terminal, the server goes on
            self.say(f"{name}: the build failed:\n{traceback.format_exc()}")
            problems = (Problem(name, None, "build", f"failed ({type(error).__name__}: {error}); see the terminal"),)
            shown = output.problems != problems
            output.key, output.problems = key, problems
        else:
            self.say(f"{name}: built in {time.perf_counter() - started:.2f} s")
            self._said = ()
            shown = content != output.content or bool(output.problems)
            output.content, output.key, output.problems = content, key, ()
        if shown and output_format == "html":
            document.version += 1
            self.version += 1
            self._notify()

    async def pdf(self, document: Document) -> Output:
        """The PDF, built now if it is missing or stale (one at a time: two tabs asking wait for one build)."""
        async with self._pdf_lock:
            snapshot = engine.Snapshot(self.source)
            wanted = (document.audience.name, document.lang, "pdf")
            key = (await self._in_thread(snapshot.inputs_hashes, [wanted]))[wanted]
            if document.outputs["pdf"].key != key:
                await self._build(snapshot, document, "pdf", key)
            return document.outputs["pdf"]
