"""The web application: the index, the briefings, and the event stream that tells an open page to reload.

Three kinds of path and nothing else: `/`, `/<audience>.<lang>.html` and `.pdf` (looked up by name among the
briefings built in memory, never as a path on disk, so no file of the dossier or the templates can be
reached), and `/_events` (Server-Sent Events). Before any of them, a request whose `Host` header is not the
served address is refused with 403: a web page elsewhere cannot point a name of its own at this address (DNS
rebinding) and read the briefings.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import watchfiles
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from reports.progress import counted
from reports.serve import pages
from reports.serve.library import Document, Library

DEBOUNCE_MS = 300  # changes within this time of the first are taken together: an editor's save of several files
STEP_MS = 50  # a lone change is taken after this long without another
COMMON_HEADERS = {
    "Cache-Control": "no-store",  # the briefing changes under the same address
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class HostCheck:
    """Refuses (403) every request whose `Host` header is not one of `allowed` (lower case, `host:port`)."""

    def __init__(self, app: ASGIApp, served: str, allowed: frozenset[str]) -> None:
        self.app, self.served, self.allowed = app, served, allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = next((value.decode("latin-1").lower() for key, value in scope["headers"] if key == b"host"), "")
            if host not in self.allowed:
                message = f"refused: this server answers to {self.served} only, not to the Host '{host}'\n"
                await PlainTextResponse(message, 403, headers=COMMON_HEADERS)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _html(content: bytes, nonce: str, status: int = 200) -> Response:
    policy = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
    )
    headers = COMMON_HEADERS | {"Content-Security-Policy": policy}
    return Response(content, status, headers=headers, media_type="text/html; charset=utf-8")


def create_app(library: Library, url: str, allowed_hosts: frozenset[str], watched: list[Path]) -> ASGIApp:
    """The application at `url`; while it runs, `watched` (the dossier and the template folders) is watched for changes."""

    async def index(request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        rows: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}
        for document in library.documents.values():
            html = document.outputs["html"]
            problems = len(library.problems_of(document))
            state = "building" if html.content is None and not problems else ""
            state = counted(problems, "problem") if problems else state
            row = rows.setdefault(document.audience.name, (document.audience.name, document.audience.description, []))
            row[2].append((document.lang, state))
        content = pages.index_page(
            str(library.source.dossier), list(rows.values()), library.withheld, library.problems, library.version, nonce
        )
        return _html(content, nonce)

    async def briefing(request: Request) -> Response:
        name, _, suffix = request.path_params["name"].rpartition(".")
        document = library.documents.get(name)
        if document is None or suffix not in ("html", "pdf"):
            return PlainTextResponse("not found: only the briefings listed on / are served\n", 404, headers=COMMON_HEADERS)
        if suffix == "pdf":
            return await _pdf(document)
        nonce = secrets.token_urlsafe(16)
        html = document.outputs["html"]
        problems = library.problems_of(document)
        page = pages.briefing_page(html.content, f"{name}.html", problems, name, document.version, nonce)
        return _html(page, nonce)

    async def _pdf(document: Document) -> Response:
        pdf = await library.pdf(document)
        problems = library.problems_of(document, "pdf")
        if problems or pdf.content is None:  # a PDF cannot show the problems over itself: a page shows them instead
            nonce = secrets.token_urlsafe(16)
            page = pages.briefing_page(None, f"{document.name}.pdf", problems, document.name, document.version, nonce)
            return _html(page, nonce, 503)
        headers = COMMON_HEADERS | {"Content-Disposition": f'inline; filename="{document.name}.pdf"'}
        return Response(pdf.content, headers=headers, media_type="application/pdf")

    async def events(request: Request) -> Response:
        page = request.query_params.get("page", "")
        try:
            version = int(request.query_params.get("version", ""))
        except ValueError:
            return PlainTextResponse("version: must be a whole number\n", 400, headers=COMMON_HEADERS)
        if library.page_version(page) is None:
            return PlainTextResponse("not found\n", 404, headers=COMMON_HEADERS)
        return StreamingResponse(_stream(page, version), media_type="text/event-stream", headers=COMMON_HEADERS)

    async def _stream(page: str, version: int) -> AsyncIterator[str]:
        """`reload` once the page's version moves on; a comment line while it does not, so a dead tab is noticed."""
        library.watchers[page] = library.watchers.get(page, 0) + 1
        try:
            yield "retry: 1000\n\n"
            while not library.stopped:
                if await library.wait_for_change(page, version):
                    yield "event: reload\ndata: \n\n"
                    return
                yield ": waiting\n\n"
        finally:
            library.watchers[page] -= 1

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        tasks = [asyncio.create_task(library.run()), asyncio.create_task(_watch(watched, library.changed, stop))]
        try:
            yield
        finally:
            stop.set()
            library.stop()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    app = Starlette(
        routes=[Route("/", index), Route(pages.EVENTS_PATH, events), Route("/{name:str}", briefing)],
        lifespan=lifespan,
    )
    return HostCheck(app, url, allowed_hosts)


async def _watch(folders: list[Path], changed: Callable[[], None], stop: asyncio.Event) -> None:
    """Calls `changed()` after every batch of changes under `folders` (editors' swap and backup files ignored)."""
    async for _ in watchfiles.awatch(*folders, debounce=DEBOUNCE_MS, step=STEP_MS, stop_event=stop):
        changed()
