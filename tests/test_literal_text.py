"""Odd but valid text comes out literally: one dossier with every text field holding markup, a formula or a URL,
built once (pdf, docx and html of the ministry report, which shows every field). Each must come out as the very
text written, never interpreted, in every format; nothing outside the allowed folders is read or attached."""

from __future__ import annotations

import html.parser
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from support.builds import once
from support.checks import assert_qpdf_ok, assert_sound_package, embedded_files
from support.cli import build_args, run_in_process
from support.dossier import DossierCopy
from support.hostile import CANARY, cell, text
from support.paths import VALID_DOSSIER as VALID
from support.read import docx_text, html_text, pdf_text, squash

pytestmark = pytest.mark.slow

DOSSIER_ID = "north-south"  # the id in tests/dossiers/valid/dossier.yaml


BODY = """Trade has grown.

Click [this link](javascript:alert(1)) or [that one](file://{outside}/secret.txt) or [data](data:text/html,x).

An image: ![passwd](file:///etc/passwd)

<div><img src="file://{outside}/secret.txt"><iframe src="http://127.0.0.1:9/"></iframe></div>

Plain text naming file://{outside}/secret.txt and http://127.0.0.1:9/x.
"""


ODD_FIELDS = {  # case id: (edit, the text each format must show)
    "formula-cmd-in-event-title": (cell("events.csv", 2, "title", "=cmd|' /C calc'!A0"), "=cmd|' /C calc'!A0"),
    "formula-plus-in-commitment": (cell("commitments.csv", 2, "text", "+1+1 Build a bridge"), "+1+1 Build a bridge"),
    "formula-at-sum-in-event-summary": (cell("events.csv", 2, "summary", "@SUM(1) agreed."), "@SUM(1) agreed."),
    "formula-minus-in-event-place": (cell("events.csv", 2, "place", "-2+3 Southtown"), "-2+3 Southtown"),
    "formula-hyperlink-in-trade-note": (
        cell("trade.csv", 4, "note", '=HYPERLINK("http://127.0.0.1:9/x")'),
        '=HYPERLINK("http://127.0.0.1:9/x")',
    ),
    "img-onerror-in-event-summary": (
        cell("events.csv", 3, "summary", "Met <img src=x onerror=alert(1)> today."),
        "Met <img src=x onerror=alert(1)> today.",
    ),
    "iframe-in-commitment": (
        cell("commitments.csv", 3, "text", 'Hold <iframe src="file:///etc/passwd"></iframe>'),
        'Hold <iframe src="file:///etc/passwd"></iframe>',
    ),
    "script-in-dossier-title": (
        text("dossier.yaml", "title: Northland–Southland relations", "title: North <script>alert(1)</script> relations"),
        "North <script>alert(1)</script> relations",
    ),
    "markup-in-partner-name": (
        text("dossier.yaml", "name: Northland,", "name: 'Northland <b onmouseover=alert(1)>',"),
        "Northland <b onmouseover=alert(1)>",
    ),
    "markdown-link-in-target-description": (
        text("dossier.yaml", "Raise trade to €150 m by 2025.", "'Raise trade [now](javascript:alert(1)).'"),
        "Raise trade [now](javascript:alert(1)).",
    ),
    "anchor-in-source-title": (
        text("dossier.yaml", "title: Trade yearbook", "title: 'Yearbook <a href=\"javascript:alert(1)\">click</a>'"),
        'Yearbook <a href="javascript:alert(1)">click</a>',
    ),
    "link-element-in-publisher": (
        text("dossier.yaml", "publisher: Statistics Office", "publisher: '<link rel=attachment href=file:///etc/hostname>'"),
        "<link rel=attachment href=file:///etc/hostname>",
    ),
    "svg-onload-in-area-title": (
        text("areas/trade.md", "title: Trade and investment", "title: 'Trade <svg onload=alert(1)>'"),
        "Trade <svg onload=alert(1)>",
    ),
    "markdown-image-in-area-summary": (
        text("areas/trade.md", "summary: Trade grows.", "summary: 'Grows ![x](file:///etc/passwd)'"),
        "Grows ![x](file:///etc/passwd)",
    ),
    "img-file-url-in-key-fact": (
        text("areas/trade.md", "text: Turnover in 2021", "text: 'Turnover <img src=\"file:///etc/passwd\">'"),
        'Turnover <img src="file:///etc/passwd">',
    ),
    "raw-html-block-in-area-body": (
        None,
        '<div><img src="file://{outside}/secret.txt"><iframe src="http://127.0.0.1:9/"></iframe></div>',
    ),
    # Markdown links to anything but the web are no links: markdown-it leaves them as the text written.
    "javascript-link-in-area-body": (
        None,
        "Click [this link](javascript:alert(1)) or [that one](file://{outside}/secret.txt) or [data](data:text/html,x).",
    ),
    "markdown-image-in-area-body": (None, "An image: ![passwd](file:///etc/passwd)"),
    "file-and-http-urls-as-text-in-area-body": (None, "Plain text naming file://{outside}/secret.txt and http://127.0.0.1:9/x."),
}


@dataclass
class OddBuild:
    out: Path
    outside: Path
    code: int
    err: str

    def file(self, fmt: str) -> Path:
        return self.out / DOSSIER_ID / f"ministry.en.{fmt}"


@pytest.fixture(scope="session")
def odd(tmp_path_factory: pytest.TempPathFactory) -> OddBuild:
    """The valid dossier with every odd text of ODD_FIELDS, built once per test run: pdf, docx and html."""

    def make(base: Path) -> dict:
        outside = base / "outside"
        outside.mkdir()
        (outside / "secret.txt").write_text(f"{CANARY}\n", encoding="utf-8")
        copy = DossierCopy(Path(shutil.copytree(VALID, base / "dossier")))
        for edit, _ in ODD_FIELDS.values():
            if edit is not None:
                edit(copy, outside)
        body = copy.read("areas/trade.md").split("---\n")
        copy.write("areas/trade.md", "---\n".join(body[:2]) + "---\n" + BODY.replace("{outside}", str(outside)))
        formats = ("--format", "pdf", "--format", "docx", "--format", "html")
        done = run_in_process(*build_args(copy.path, base / "out", "--audience", "ministry", *formats))
        return {"code": done.code, "err": done.err}

    base, record = once(tmp_path_factory, "odd-dossier", make)
    return OddBuild(base / "out", base / "outside", record["code"], record["err"])


def test_odd_dossier_builds_cleanly(odd):
    assert (odd.code, odd.err) == (0, ""), odd.err
    assert "Traceback" not in odd.err


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("case_id", ODD_FIELDS)
def test_markup_formulas_and_urls_come_out_literally(case_id, fmt, odd):
    assert odd.code == 0, odd.err
    expected = ODD_FIELDS[case_id][1].replace("{outside}", str(odd.outside))
    assert squash(expected) in squash(full_text(odd.file(fmt), fmt)), f"{expected!r} not shown literally in the {fmt}"


def test_html_has_no_active_content_from_the_data(odd):
    """The text is escaped: no element and no link target comes from the dossier, only the project's own."""
    parser = TagCollector()
    parser.feed(odd.file("html").read_text(encoding="utf-8"))
    assert not {"script", "iframe", "object", "embed", "link", "base", "meta-refresh"} & {tag for tag, _ in parser.tags}
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        if tag == "img":
            assert attrs.get("src", "").startswith("data:"), attrs
        if tag == "a":
            assert re.match(r"^(https?://|mailto:|#)", attrs.get("href", "")), attrs
    assert "javascript:" not in " ".join(attrs.get("href", "") for tag, attrs in parser.tags if tag == "a")


def test_word_file_links_only_to_the_web(odd):
    with zipfile.ZipFile(odd.file("docx")) as package:
        rels = ElementTree.fromstring(package.read("word/_rels/document.xml.rels"))
    targets = [rel.get("Target", "") for rel in rels if rel.get("TargetMode") == "External"]
    assert targets, "the sources' web addresses should be links"
    assert all(re.match(r"^(https?://|mailto:)", target) for target in targets), targets


def test_odd_dossier_leaks_nothing_and_attaches_nothing(odd):
    pdf = odd.file("pdf")
    texts = [pdf_text(pdf), odd.file("html").read_text(encoding="utf-8"), full_text(odd.file("docx"), "docx")]
    for text_ in texts:
        assert CANARY not in text_
    assert embedded_files(pdf) == 0


def test_odd_dossier_pdf_passes_qpdf_check(odd):
    assert_qpdf_ok(odd.file("pdf"))


def test_odd_dossier_word_file_is_a_sound_package(odd):
    assert_sound_package(odd.file("docx"))


class TagCollector(html.parser.HTMLParser):
    """Every start tag of an HTML file with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def full_text(path: Path, fmt: str) -> str:
    return {"pdf": pdf_text, "docx": docx_text, "html": html_text}[fmt](path)
