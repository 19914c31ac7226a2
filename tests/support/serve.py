"""A real `reports serve` process for the tests, and plain HTTP to it (http.client: every header as the test says).

`Served` starts `python -m reports serve --port 0 ...` from the repository root, reads the address it prints,
and on leaving stops it with SIGINT, as Ctrl-C does. `wait_for_reload` listens on the page's own event stream, as
the page's script does, so a test waits for the rebuild itself rather than for a guessed time.
"""

from __future__ import annotations

import http.client
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from support.paths import REPO_ROOT

STARTUP_SECONDS = 60
REBUILD_SECONDS = 60  # a guard against a hang, never a measure: a busy machine may take long
URL_LINE = re.compile(r"^reports serve: (http://(\S+):(\d+)/) ")
VERSION = re.compile(r'var page = ("[^"]*"), version = (\d+)')


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Served:
    """`reports serve ARGS --port 0` while the `with` block runs, from `cwd`; `.url`, `.port`, `.stderr()`."""

    args: tuple[str, ...]
    cwd: Path = REPO_ROOT
    process: subprocess.Popen | None = None
    url: str = ""
    host: str = ""
    port: int = 0
    exit_code: int | None = None
    _stderr: list[str] = field(default_factory=list)
    _reader: threading.Thread | None = None

    def __enter__(self) -> Served:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reports", "serve", "--port", "0", *self.args],
            cwd=self.cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        line = self._line(self.process.stdout, STARTUP_SECONDS)
        match = URL_LINE.match(line or "")
        if not match:
            self.stop()
            self._stderr.append(self.process.stderr.read())
            raise AssertionError(f"`reports serve` printed {line!r}, not its address; stderr:\n{self.stderr()}")
        self.url, self.host, self.port = match[1], match[2], int(match[3])
        self._reader = threading.Thread(target=self._collect, args=(self.process.stderr,), daemon=True)
        self._reader.start()
        return self

    def _collect(self, stream) -> None:
        for line in stream:
            self._stderr.append(line)

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @staticmethod
    def _line(stream, seconds: float) -> str | None:
        ready, _, _ = select.select([stream], [], [], seconds)
        return stream.readline() if ready else None

    def stderr(self) -> str:
        """Everything the server said on stderr so far (its build lines and problems)."""
        return "".join(self._stderr)

    def said(self, since: int, shows: Callable[[str], bool]) -> str:
        """What stderr says after its first `since` characters, once `shows(text)` (the lines arrive on a thread)."""
        deadline = time.monotonic() + REBUILD_SECONDS
        while not shows(self.stderr()[since:]):
            assert time.monotonic() < deadline, f"stderr never showed it:\n{self.stderr()}"
            time.sleep(0.05)
        return self.stderr()[since:]

    def stop(self) -> int:
        """SIGINT, as Ctrl-C, and the exit status."""
        if self.process is not None and self.exit_code is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.exit_code = self.process.wait(STARTUP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.exit_code = self.process.wait()
            if self._reader is not None:
                self._reader.join(STARTUP_SECONDS)
            self.process.stdout.close()
        return self.exit_code  # type: ignore[return-value]

    def get(self, path: str, host: str | None = "") -> Response:
        """GET `path` exactly as written (no normalising); `host` "" sends the served host:port, None no Host."""
        return get(self.host, self.port, path, f"{self.host}:{self.port}" if host == "" else host)

    def version(self, page: str) -> int:
        """The version the page's script carries, as served now ("" is the index)."""
        match = VERSION.search(self.get(f"/{page}.html" if page else "/").text)
        assert match, f"no reload script in /{page}"
        return int(match[2])

    def wait_for_reload(self, page: str, version: int) -> None:
        """Returns when the server tells a page served at `version` to reload (at once if it already moved on)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=REBUILD_SECONDS)
        connection.request("GET", f"/_events?page={page}&version={version}", headers={"Host": f"{self.host}:{self.port}"})
        response = connection.getresponse()
        assert response.status == 200, response.read()
        deadline = time.monotonic() + REBUILD_SECONDS
        try:
            while time.monotonic() < deadline:
                line = response.fp.readline()
                if line.startswith(b"event: reload"):
                    return
                if not line:
                    break
            raise AssertionError(f"no reload of {page!r} from version {version}; stderr:\n{self.stderr()}")
        finally:
            connection.close()


def get(address: str, port: int, path: str, host: str | None) -> Response:
    connection = http.client.HTTPConnection(address, port, timeout=REBUILD_SECONDS)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        connection.close()


def pdf_bytes_text(content: bytes, folder: Path) -> str:
    """The text of a PDF served as bytes, as pdftotext reads it."""
    path = folder / "served.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
