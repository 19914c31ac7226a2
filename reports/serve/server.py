"""`reports serve`: listen, print the address, run the application until Ctrl-C (exit 0).

Safe by default: loopback only unless `--host` names another address, and then the audiences that include
restricted material are not served at all. An address that means every interface (0.0.0.0, ::) is refused:
the `Host` check needs the one name readers use, and a briefing should not be offered on every network the
machine is on by accident.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import uvicorn

from reports.errors import Problem, ReportsError
from reports.serve.app import create_app
from reports.serve.engine import Source, check_briefings_asked_for, start_render_process
from reports.serve.library import Library
from reports.template_folders import BUILTIN_TEMPLATES

GRACE_SECONDS = 3  # after Ctrl-C, how long a response still being sent may take


@dataclass(frozen=True)
class ServeOptions:
    dossier: Path
    templates: Path | None
    as_of: dt.date | None
    audiences: tuple[str, ...]  # none: every one
    langs: tuple[str, ...]  # none: every one
    host: str
    port: int


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    address = _address(host)
    return host.lower() == "localhost" if address is None else address.is_loopback


def url_host(host: str) -> str:
    """The host as it is written in a URL and in a `Host` header: an IPv6 address in brackets."""
    address = _address(host)
    return f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else host.lower()


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The `Host` headers answered: the served host and port, and `localhost` with the port when that is loopback
    (a name no other site can make point here). Port 80 may be left out, as browsers do."""
    names = {url_host(host)} | ({"localhost"} if is_loopback(host) else set())
    return frozenset({f"{name}:{port}" for name in names} | (names if port == 80 else set()))


def _check(options: ServeOptions) -> None:
    problems = []
    if not options.dossier.is_dir():
        problems.append(Problem(str(options.dossier), None, "dossier", "is not a folder"))
    if options.templates is not None and not options.templates.is_dir():
        problems.append(Problem(str(options.templates), None, "templates", "is not a folder"))
    address = _address(options.host)
    if address is not None and address.is_unspecified:
        message = "listens on every address of the machine; name the one address readers will use, e.g. 192.168.1.20"
        problems.append(Problem("reports", None, "--host", f"{options.host} {message}"))
    if problems:
        raise ReportsError(problems)


def _listen(host: str, port: int) -> socket.socket:
    family, kind, protocol, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
    listener = socket.socket(family, kind, protocol)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(address)
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    return listener


class _Server(uvicorn.Server):
    """uvicorn's server, which on Ctrl-C also ends the event streams of the open pages: it waits for every
    response to finish before it stops, and an event stream would never finish by itself."""

    def __init__(self, config: uvicorn.Config, library: Library) -> None:
        super().__init__(config)
        self.library = library
        self.loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().serve(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.library.stop)


def serve(options: ServeOptions) -> int:
    _check(options)
    source = Source(options.dossier, options.templates, options.as_of, options.audiences, options.langs)
    check_briefings_asked_for(source)
    try:
        listener = _listen(options.host, options.port)
    except OSError as error:
        print(f"reports: --port: cannot listen on {options.host}:{options.port}: {error.strerror or error}", file=sys.stderr)
        return 1
    port = listener.getsockname()[1]
    start_render_process()  # warms up while the catalogue is read and the server starts
    library = Library(source, loopback=is_loopback(options.host))
    library.load_catalogue()
    watched = [options.dossier] + ([options.templates] if options.templates else []) + [BUILTIN_TEMPLATES]
    url = f"http://{url_host(options.host)}:{port}/"
    app = create_app(library, url, allowed_hosts(options.host, port), watched)
    config = uvicorn.Config(
        app, http="h11", ws="none", loop="asyncio", lifespan="on", log_level="warning", access_log=False,
        server_header=False, timeout_graceful_shutdown=GRACE_SECONDS,
    )  # fmt: skip
    print(f"reports serve: {url} ({options.dossier}; Ctrl-C to stop)", flush=True)
    try:
        _Server(config, library).run(sockets=[listener])
    except KeyboardInterrupt:  # uvicorn raises the Ctrl-C again once it has stopped: stopping is what was asked
        pass
    return 0
