"""`reports serve` as a real process, over plain HTTP: its address, its Host check, the paths it serves, what a bad
edit shows, what an edit rebuilds, and Ctrl-C. The page in a real browser: tests/test_serve_browser.py."""

from __future__ import annotations

import html
import http.client
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import AUDIENCES, REPO_ROOT, VALID_DOSSIER
from support.serve import Served, get, pdf_bytes_text

AS_OF = "2025-01-15"
LANGS = ("en", "ru")
BUILTIN_LANGS = ("en", "kk", "ru", "uz")  # English and the built-in catalogs
AREA_TEXT = "Trade has grown steadily"  # areas/trade.md of the valid dossier
RUSSIAN_TRADE_AREA = (  # one key fact, as the English file has
    "---\ntitle: Торговля\nsummary: Торговля растёт.\nkey_facts:\n- text: Оборот в 2021 году\n---\nТорговля стабильно росла.\n"
)
OVERLAY = re.compile(r'<div id="reports-serve-problems"[^>]*>(.*?)</div>', re.S)


def visible(page: str) -> str:
    """The text of a page without its tags, as the briefing's words read (`Trade has <strong>grown</strong>`)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def overlay_text(page: str) -> str | None:
    """The problems over the page as a reader sees them (tags dropped, entities read), None if there is no overlay."""
    match = OVERLAY.search(page)
    return html.unescape(re.sub(r"<[^>]+>", "", match[1])) if match else None


def serve_copy(folder: Path, *more: str) -> Served:
    return Served(("--dossier", str(folder), "--as-of", AS_OF, *more))


def built(server: Served, *pages: str) -> Served:
    """Waits for the first build of each page (served at version 0 until it is built)."""
    for page in pages:
        server.wait_for_reload(page, 0)
    return server


def page_once(server: Served, page: str, shows: Callable[[str], bool]) -> str:
    """The page's HTML once it `shows` what the test waits for: read again after each reload the server sends
    (an edit of two files may be taken in one pass or in two)."""
    while True:
        version = server.version(page)
        text = server.get(f"/{page}.html").text
        if shows(text):
            return text
        server.wait_for_reload(page, version)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """One server on a copy of the valid dossier, for the tests that only read: the one briefing they read."""
    folder = shutil.copytree(VALID_DOSSIER, tmp_path_factory.mktemp("serve") / "dossier")
    with serve_copy(folder, "--audience", "ministry", "--lang", "en") as server:
        yield built(server, "ministry.en")


# ---------------------------------------------------------------- the address


@pytest.mark.slow
def test_port_0_picks_a_free_port_and_prints_it(served: Served) -> None:
    assert served.host == "127.0.0.1"
    assert served.port > 0
    assert served.url == f"http://127.0.0.1:{served.port}/"
    index = served.get("/")
    assert index.status == 200
    assert re.findall(r'href="/([^"]+)"', index.text) == ["ministry.en.html", "ministry.en.pdf"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "host",
    ["evil.example:{port}", "127.0.0.1:{other}", "127.0.0.1", "127.0.0.1.evil.example:{port}", "[::1]:{port}"],
)
@pytest.mark.parametrize("path", ["/", "/ministry.en.html", "/ministry.en.pdf", "/_events?page=&version=0"])
def test_a_request_for_another_host_is_refused(served: Served, host: str | None, path: str) -> None:
    header = host.format(port=served.port, other=served.port + 1) if host else None
    response = served.get(path, host=header)
    assert response.status == 403, response.text
    assert AREA_TEXT not in visible(response.text) and "Northland" not in response.text


@pytest.mark.slow
def test_a_request_without_a_host_is_refused(served: Served) -> None:
    """HTTP/1.0 may leave Host out (HTTP/1.1 must not: uvicorn answers that with 400 before the application)."""
    with socket.create_connection((served.host, served.port), timeout=30) as connection:
        connection.sendall(b"GET /ministry.en.html HTTP/1.0\r\n\r\n")
        answer = b"".join(iter(lambda: connection.recv(65536), b""))
    assert answer.startswith(b"HTTP/1.1 403 "), answer[:200]
    assert AREA_TEXT not in visible(answer.decode()) and "Northland" not in answer.decode()
    assert served.get("/ministry.en.html", host=None).status == 400


@pytest.mark.slow
def test_localhost_is_the_same_loopback_address(served: Served) -> None:
    response = served.get("/ministry.en.html", host=f"localhost:{served.port}")
    assert response.status == 200
    assert AREA_TEXT in visible(response.text)


# ---------------------------------------------------------------- what is served


@pytest.mark.slow
def test_the_briefings_are_served_as_html_and_pdf(served: Served, tmp_path: Path) -> None:
    page = served.get("/ministry.en.html")
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "Northland–Southland" in page.text
    assert AREA_TEXT in visible(page.text)
    nonce = re.search(r"script-src 'nonce-([^']+)'", page.headers["content-security-policy"])[1]
    assert f'<script nonce="{nonce}">' in page.text  # the reload script runs; no other script could
    pdf = served.get("/ministry.en.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert AREA_TEXT in " ".join(pdf_bytes_text(pdf.body, tmp_path).split())


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    [
        "/dossier.yaml",
        "/areas/trade.md",
        "/../dossier.yaml",
        "/%2e%2e/dossier.yaml",
        "/..%2fdossier.yaml",
        "//etc/passwd",
        "/north-south/ministry.en.html",
        "/ministry.en.docx",
        "/ministry.xx.html",
        "/ministry.ru.html",  # briefings there are, but not asked for (--audience ministry --lang en)
        "/press.en.html",
        "/press.en.pdf",
        "/ministry.html",
        "/briefing.css",
        "/briefing.html.j2",
        "/_events/../dossier.yaml",
    ],
)
def test_nothing_but_the_briefings_is_served(served: Served, path: str) -> None:
    response = served.get(path)
    assert response.status == 404, response.text
    assert "base_year" not in response.text  # dossier.yaml
    assert "Trade has **grown**" not in response.text  # the area's Markdown


@pytest.mark.slow
def test_audiences_with_restricted_material_are_served_on_loopback_only(tmp_path: Path) -> None:
    address = _an_address_not_loopback()
    folder = shutil.copytree(VALID_DOSSIER, tmp_path / "dossier")
    with serve_copy(folder, "--host", address, "--lang", "en") as server:
        built(server, "press.en")
        assert server.url == f"http://{address}:{server.port}/"
        index = server.get("/")
        assert 'href="/press.en.html"' in index.text
        assert "ministry.en.html" not in index.text and "leadership.en.html" not in index.text
        assert "restricted material: leadership, ministry" in index.text
        for audience in ("ministry", "leadership"):
            for suffix in ("html", "pdf"):
                assert server.get(f"/{audience}.en.{suffix}").status == 404
        assert server.get("/press.en.html").status == 200
        assert server.get("/press.en.html", host=f"localhost:{server.port}").status == 403  # not loopback here


def _an_address_not_loopback() -> str:
    """This machine's address on its default route (a UDP socket's connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never answered, only routed
        except OSError:
            pytest.skip("this machine has no network address but loopback")
        address = probe.getsockname()[0]
    if address.startswith("127."):
        pytest.skip("this machine has no network address but loopback")
    return address


def test_a_wildcard_host_is_refused() -> None:
    code, out, err = run_in_process("serve", "--dossier", str(VALID_DOSSIER), "--host", "0.0.0.0")
    assert code == 2
    assert err.startswith("reports: --host: 0.0.0.0 listens on every address")


def test_a_missing_dossier_folder_is_exit_2(tmp_path: Path) -> None:
    code, out, err = run_in_process("serve", "--dossier", str(tmp_path / "nowhere"), "--port", "0")
    assert code == 2
    assert err == f"{tmp_path / 'nowhere'}: dossier: is not a folder\n"


# ---------------------------------------------------------------- which briefings


@pytest.mark.slow
def test_without_audience_or_lang_every_briefing_is_listed(tmp_path: Path) -> None:
    folder = shutil.copytree(VALID_DOSSIER, tmp_path / "dossier")
    with serve_copy(folder) as server:
        index = server.get("/").text  # listed from the start, each built in its turn
        assert server.stop() == 0  # Ctrl-C while the briefings are built
    every = [f"{audience}.{lang}" for audience in AUDIENCES for lang in BUILTIN_LANGS]
    assert re.findall(r'href="/([^"]+)\.html"', index) == every
    assert "Traceback" not in server.stderr()


@pytest.mark.slow
def test_only_the_briefings_asked_for_are_listed_built_and_served(tmp_path: Path) -> None:
    """The ministry's (whose HTML needs no PDF laid out to fit a page limit), asked for twice, in two languages."""
    folder = shutil.copytree(VALID_DOSSIER, tmp_path / "dossier")
    with serve_copy(folder, "--audience", "ministry", "--lang", "ru", "--lang", "en", "--audience", "ministry") as server:
        said = server.said(0, lambda text: "up to date; waiting for changes" in text)
        assert sorted(re.findall(r"^(\S+): built in", said, re.M)) == ["ministry.en.html", "ministry.ru.html"]
        index = server.get("/").text
        assert re.findall(r'href="/([^"]+)"', index) == [
            "ministry.ru.html", "ministry.ru.pdf", "ministry.en.html", "ministry.en.pdf",
        ]  # fmt: skip
        assert '<html lang="ru"' in server.get("/ministry.ru.html").text
        unknown = server.get("/nobody.en.html")
        assert unknown.status == 404
        for path in ("/press.en.html", "/leadership.ru.pdf", "/ministry.kk.html", "/ministry.uz.pdf"):
            response = server.get(path)
            assert (response.status, response.text) == (404, unknown.text), path


def test_an_audience_or_language_the_templates_do_not_have_is_exit_2_as_in_build() -> None:
    options = ("--audience", "nobody", "--lang", "fr", "--lang", "EN", "--lang", "ru")
    code, out, err = run_in_process("serve", "--dossier", str(VALID_DOSSIER), "--port", "0", *options)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [
        "reports: audience: unknown audience 'nobody'; known audiences: leadership, ministry, press",
        "reports: lang: no catalog for language 'fr' (locale/fr/LC_MESSAGES/reports.po); known languages: en, kk, ru, uz",
        "reports: lang: 'EN' is not a language code such as en or ru",
    ]


def test_without_the_serve_extra_it_says_how_to_install_it() -> None:
    """As where uvicorn is not installed: a module set to None in sys.modules cannot be imported."""
    script = "import sys; sys.modules['uvicorn'] = None; from reports.cli import main; sys.exit(main(['serve']))"
    finished = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 1
    assert finished.stderr == "reports: serve: needs uvicorn, of the serve extra: pip install 'reports[serve]'\n"


# ---------------------------------------------------------------- edits


@pytest.mark.slow
def test_a_bad_edit_keeps_the_last_good_briefing_and_shows_every_problem(dossier: DossierCopy) -> None:
    with serve_copy(dossier.path, "--audience", "ministry", "--lang", "en") as server:
        built(server, "ministry.en")
        dossier.replace("dossier.yaml", "base_year: 2018", "base_year: soon")
        dossier.replace("events.csv", "state_visit,State visit", "<img src=x onerror=alert(1)>,State visit")
        page = page_once(server, "ministry.en", lambda text: (overlay_text(text) or "").count("\n") == 2)
        assert AREA_TEXT in visible(page)  # the last good briefing, under the problems
        problems = overlay_text(page)
        assert problems is not None, "no problems over the page"
        assert f"{dossier.path / 'dossier.yaml'}:10: base_year: 'soon' is not a whole number" in problems
        assert f"{dossier.path / 'events.csv'}:2: kind: '<img src=x onerror=alert(1)>' is not one of:" in problems
        assert "<img" not in page  # escaped: shown as text, never as markup
        pdf = server.get("/ministry.en.pdf")  # a PDF cannot show problems over itself: a page lists them
        assert pdf.status == 503 and "base_year: &#x27;soon&#x27; is not a whole number" in pdf.text
        assert "2 problems" in server.get("/").text

        dossier.replace("dossier.yaml", "base_year: soon", "base_year: 2018")
        dossier.replace("events.csv", "<img src=x onerror=alert(1)>,State visit", "state_visit,State visit")
        page = page_once(server, "ministry.en", lambda text: overlay_text(text) is None)
        assert AREA_TEXT in visible(page)
        assert server.get("/ministry.en.pdf").status == 200


@pytest.mark.slow
def test_a_template_error_is_shown_and_its_fix_removes_it(dossier: DossierCopy, tmp_path: Path) -> None:
    templates = tmp_path / "house"
    templates.mkdir()
    page_template = templates / "briefing.html.j2"
    page_template.write_text('{% extends "base.html.j2" %}\n', encoding="utf-8")
    with serve_copy(dossier.path, "--templates", str(templates), "--audience", "ministry", "--lang", "en") as server:
        built(server, "ministry.en")
        good = server.get("/ministry.en.html").text
        assert overlay_text(good) is None
        version = server.version("ministry.en")
        page_template.write_text('{% extends "base.html.j2" %}\n{% block nowhere %}{% if %}{% endblock %}\n', encoding="utf-8")
        server.wait_for_reload("ministry.en", version)
        problems = overlay_text(server.get("/ministry.en.html").text)
        assert problems is not None and f"{page_template}:2: template: " in problems

        version = server.version("ministry.en")
        page_template.write_text('{% extends "base.html.j2" %}\n', encoding="utf-8")
        server.wait_for_reload("ministry.en", version)
        assert overlay_text(server.get("/ministry.en.html").text) is None


@pytest.mark.slow
def test_an_edit_rebuilds_only_the_briefings_it_touches(dossier: DossierCopy) -> None:
    """A Russian text of an area: the Russian briefing is rebuilt, the English one is not. The ministry's alone
    (its HTML needs no PDF laid out to fit a page limit): what an edit touches is a matter of language here, and the
    server plans by the same hashes as `reports run`, whose tests check every audience (tests/test_run.py)."""
    pages = [f"ministry.{lang}" for lang in LANGS]
    with serve_copy(dossier.path, "--audience", "ministry", *(option for lang in LANGS for option in ("--lang", lang))) as server:
        built(server, *pages)
        before = {page: server.version(page) for page in pages}
        said = len(server.stderr())
        dossier.write("areas/trade.ru.md", RUSSIAN_TRADE_AREA)
        server.wait_for_reload("ministry.ru", before["ministry.ru"])
        lines = server.said(
            said,
            lambda text: "ministry.ru.html: built in" in text and text.rstrip().endswith("up to date; waiting for changes"),
        )
        rebuilt = re.findall(r"^(\S+): built in", lines, re.M)
        assert rebuilt == ["ministry.ru.html"]
        assert {page: server.version(page) for page in pages if page.endswith(".en")} == {
            page: version for page, version in before.items() if page.endswith(".en")
        }
        assert "Торговля стабильно росла." in server.get("/ministry.ru.html").text


# ---------------------------------------------------------------- stopping


@pytest.mark.slow
def test_ctrl_c_stops_it_with_exit_0_even_with_a_page_open(tmp_path: Path) -> None:
    folder = shutil.copytree(VALID_DOSSIER, tmp_path / "dossier")
    with serve_copy(folder, "--audience", "ministry", "--lang", "en") as server:
        built(server, "ministry.en")
        watching = http.client.HTTPConnection(server.host, server.port, timeout=30)
        version = server.version("ministry.en")
        watching.request("GET", f"/_events?page=ministry.en&version={version}", headers={"Host": f"{server.host}:{server.port}"})
        assert watching.getresponse().status == 200  # the page's event stream, open while Ctrl-C comes
        assert server.stop() == 0
        watching.close()
    assert "Traceback" not in server.stderr()
    with pytest.raises(OSError):
        get(server.host, server.port, "/", f"{server.host}:{server.port}")
