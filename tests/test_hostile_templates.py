"""Hostile and broken templates: an organization's templates folder (`--templates`) that tries to read files, reach
the network or attach files to the PDF, or is merely broken. The PDF renderer's fetcher refuses each, and the build
fails with exit 2 naming it, never a traceback, a leaked file or a changed output file; an odd template that fetches
nothing builds and leaks nothing (docs/security.md)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from support.checks import embedded_files
from support.cli import assert_no_traceback, build_args, run_in_process
from support.hostile import alias_bomb, assert_no_leak, assert_problem, assert_untouched, seed
from support.paths import VALID_DOSSIER as VALID
from support.paths import VALID_ID
from support.read import pdf_text
from support.render_process import own_render_processes

COVER = '{% extends "base.html.j2" %}\n{% block cover %}\n<p>cover</p>\nHTML\n{% endblock %}\n'


def cover(markup: str) -> dict[str, str]:
    return {"briefing.html.j2": COVER.replace("HTML", markup)}


def make_templates(root: Path, files: dict[str, str | bytes], outside: Path) -> Path:
    root.mkdir()
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content.replace("{outside}", str(outside)), encoding="utf-8")
    return root.resolve()


def template(case_id: str, files: dict, file: str, line: int | None, field: str, *words: str, fmt: str = "pdf"):
    return pytest.param(files, file, line, field, words, fmt, id=case_id)


SVG_DOT = "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%221%22 height=%221%22/%3E"


BOMB_AUDIENCE = alias_bomb() + "description: d\nmarking: M\nmax_pages: *lol8\nsections: [sources]\n"


TEMPLATE_CASES = [
    # local files, the network
    template(
        "svg-image-file-outside",  # loaded only while the PDF is written, after the layout
        cover('<svg width="10" height="10"><image href="file://{outside}/secret.txt" width="10" height="10"/></svg>'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "img-file-etc-passwd",
        cover('<img src="file:///etc/passwd" alt="x">'),
        ".",
        None,
        "resource",
        "refused to read /etc/passwd",
    ),
    template(
        "img-cloud-metadata-endpoint",
        cover('<img src="http://169.254.169.254/latest/meta-data/" alt="x">'),
        ".",
        None,
        "resource",
        "refused to fetch http://169.254.169.254",
    ),
    template(
        "object-file-outside",
        cover('<object data="file://{outside}/secret.txt" type="text/plain"></object>'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "embed-file-outside",
        cover('<embed src="file://{outside}/secret.txt">'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "base-href-outside",
        cover('<base href="file://{outside}/"><img src="secret.txt" alt="x">'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "style-attribute-url",
        cover('<p style="background: url(file://{outside}/secret.txt)">x</p>'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "link-stylesheet-outside",
        cover('<link rel="stylesheet" href="file://{outside}/secret.txt">'),
        ".",
        None,
        "resource",
        "outside the template folders",
    ),
    template(
        "font-face-http-loopback",
        {"briefing.css": "@font-face { font-family: X; src: url(http://127.0.0.1:9/x) }\nbody { font-family: X, serif }\n"},
        ".",
        None,
        "resource",
        "refused to fetch http://127.0.0.1:9/x",
    ),
    template(
        "css-url-https",
        {"briefing.css": ".cover { background: url(https://example.org/x.png) }\n"},
        ".",
        None,
        "resource",
        "refused to fetch https://example.org/x.png",
    ),
    # attachments: none at all, from anywhere
    template(
        "link-attachment-etc-hostname",
        cover('<link rel="attachment" href="file:///etc/hostname">'),
        ".",
        None,
        "resource",
        "refused to attach file:///etc/hostname",
    ),
    template(
        "a-attachment-outside",
        cover('<a rel="attachment" href="file://{outside}/secret.txt">x</a>'),
        ".",
        None,
        "resource",
        "refused to attach",
    ),
    template(
        "link-attachment-inside-the-folder",
        {**cover('<link rel="attachment" href="inside.txt">'), "inside.txt": "inside\n"},
        ".",
        None,
        "resource",
        "briefings carry no attachments",
    ),
    template(
        "link-attachment-data-url",
        cover('<link rel="attachment" href="data:text/plain,hello">'),
        ".",
        None,
        "resource",
        "refused to attach data:",
    ),
    # degraded output: a PDF/UA error while the PDF is written
    template(
        "img-without-alternative-text",
        cover(f'<img src="{SVG_DOT}">'),
        "weasyprint",
        None,
        "pdf",
        "no required alt description",
    ),
    # template names and audience names cannot leave their folders
    template(
        "include-through-audiences-dot-dot",
        cover('{% include "audiences/../../secret.txt" %}'),
        "briefing.html.j2",
        4,
        "template",
        "not found",
        fmt="html",
    ),
    template(
        "audience-extends-traversal",
        {"audiences/evil.yaml": "extends: ../../etc/passwd\ndescription: d\nmarking: M\n"},
        "audiences/evil.yaml",
        1,
        "extends",
        "unknown audience '../../etc/passwd'",
        fmt="html",
    ),
    # bounded, UTF-8 template files
    template(
        "template-not-utf-8",
        {"briefing.html.j2": COVER.replace("HTML", "caf\xe9").encode("latin-1")},
        "briefing.html.j2",
        4,
        "encoding",
        "not UTF-8",
        "0xe9",
        fmt="html",
    ),
    template(
        "stylesheet-not-utf-8",
        {"briefing.css": "/* caf\xe9 */\nbody {}\n".encode("latin-1")},
        "briefing.css",
        1,
        "encoding",
        "not UTF-8",
    ),
    template(
        "stylesheet-over-the-size-limit",
        {"briefing.css": b"/*" + b" " * (5 * 1024 * 1024) + b"*/\n"},
        "briefing.css",
        None,
        "file",
        "more than the limit",
        fmt="html",
    ),
    template(
        "audience-not-utf-8",
        {"audiences/evil.yaml": "description: caf\xe9\nmarking: M\nsections: [sources]\n".encode("latin-1")},
        "audiences/evil.yaml",
        1,
        "encoding",
        "not UTF-8",
        fmt="html",
    ),
    template(
        "audience-billion-laughs",
        {"audiences/evil.yaml": BOMB_AUDIENCE},
        "audiences/evil.yaml",
        None,
        "yaml",
        "more than 100000 values",
        fmt="html",
    ),
    template(
        "audience-deep-nesting",
        {"audiences/evil.yaml": "description: " + "[" * 3000 + "]" * 3000 + "\n"},
        "audiences/evil.yaml",
        None,
        "yaml",
        "nested too deeply",
        fmt="html",
    ),
    template(
        "template-range-too-big",
        cover("{{ range(10**7) | list | length }}"),
        "briefing.html.j2",
        4,
        "template",
        "Range too big",
        fmt="html",
    ),
]


@pytest.mark.parametrize(("files", "file", "line", "field", "words", "fmt"), TEMPLATE_CASES)
def test_broken_or_hostile_templates_are_exit_2_naming_the_resource(files, file, line, field, words, fmt, canary, tmp_path):
    root = make_templates(tmp_path / "house", files, canary)
    out = tmp_path / "out"
    before = seed(out, (f"press.en.{fmt}",))
    result = run_in_process(*build_args(VALID, out, "--templates", str(root), "--audience", "press", "--format", fmt))
    path = root if file == "." else file if file == "weasyprint" else root / file
    assert_problem(result, path, line, field, *words)
    assert_no_leak(result)
    assert_untouched(out, before)


def test_audience_file_that_is_a_fifo(canary, tmp_path):
    root = make_templates(tmp_path / "house", {}, canary)
    (root / "audiences").mkdir()
    os.mkfifo(root / "audiences" / "evil.yaml")
    result = run_in_process(*build_args(VALID, tmp_path / "out", "--templates", str(root), "--format", "html"))
    assert_problem(result, root / "audiences" / "evil.yaml", None, "file", "not a regular file")


@pytest.mark.slow
def test_a_layout_that_runs_away_is_stopped_by_the_time_limit(canary, tmp_path, monkeypatch):
    """A hostile stylesheet (dot leaders across a page 100,000 inches wide: a box per dot) can lay out for many
    minutes; the render's one time limit, the document's --time-limit, stops it in one line. How long a real runaway
    layout takes depends on WeasyPrint's speed, so the layout here is one that never ends by itself: WeasyPrint's
    own, replaced by a wait for the pages of this house style, in the render's child process (forked from the
    render process, which the build forks after the replacement: it has it too, tests/support/render_process.py)."""
    import weasyprint

    started = tmp_path / "layout-started"
    layout = weasyprint.HTML.render

    def endless_layout(html, *args, **kwargs):
        if str(tmp_path) not in str(html.base_url):
            return layout(html, *args, **kwargs)  # the render process's warm-up page
        started.touch()
        while True:  # until the render's child is killed (or the guard of run_in_process, failing the case)
            time.sleep(0.05)

    monkeypatch.setattr(weasyprint.HTML, "render", endless_layout)
    hostile = "@page { size: 100000in 100000in }\np::after { content: leader('.') }\n"
    root = make_templates(tmp_path / "house", {"briefing.css": hostile}, canary)
    out = tmp_path / "out"
    before = seed(out, ("press.en.pdf",))
    args = build_args(VALID, out, "--templates", str(root), "--audience", "press", "--format", "pdf", "--time-limit", "1")
    with own_render_processes():  # forked now, with the endless layout
        result = run_in_process(*args, seconds=30)
    assert started.exists(), "the layout was never started"
    line = assert_problem(result, "press.en.pdf", None, "time limit", "rendering took longer than 1 s")
    assert result.err.strip() == line, result.err  # one line: the layout's own message is gone with its own limit
    assert_untouched(out, before)


# Odd templates that fetch nothing: the build succeeds, and nothing outside the folders is in the PDF.
ODD_TEMPLATES = {
    "iframe-file-outside": cover('<iframe src="file://{outside}/secret.txt"></iframe>'),
    "svg-image-inside-the-folder": {
        **cover('<svg width="10" height="10"><image href="dot.svg" width="10" height="10"/></svg>'),
        "dot.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n',
    },
    "script-element": cover('<script>document.write("{outside}")</script>'),
    "meta-refresh-to-a-file": cover('<meta http-equiv="refresh" content="0;url=file://{outside}/secret.txt">'),
    "import-after-rules-is-ignored": {"briefing.css": "@import url(http://127.0.0.1:9/x.css);\n"},
    "data-url-image-with-alt": cover(f'<img alt="a dot" src="{SVG_DOT}">'),
}


@pytest.mark.slow
@pytest.mark.parametrize("case_id", ODD_TEMPLATES)
def test_odd_templates_build_and_leak_nothing(case_id, canary, tmp_path):
    root = make_templates(tmp_path / "house", ODD_TEMPLATES[case_id], canary)
    result = run_in_process(
        *build_args(VALID, tmp_path / "out", "--templates", str(root), "--audience", "press", "--format", "pdf")
    )
    assert (result.code, result.err) == (0, ""), result.err
    pdf = tmp_path / "out" / VALID_ID / "press.en.pdf"
    assert_no_leak(result, pdf_text(pdf), pdf.read_bytes().decode("latin-1"))
    assert embedded_files(pdf) == 0
    assert not [path for path in (tmp_path / "out").rglob("*") if path.name.endswith(".tmp")]


@pytest.mark.slow
def test_elements_nested_thousands_deep_in_a_template_are_exit_2(tmp_path: Path):
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover %}' + "<div>" * 3000 + "deep" + "</div>" * 3000 + "{% endblock %}",
        encoding="utf-8",
    )
    result = run_in_process(
        *build_args(VALID, tmp_path / "out", "--templates", str(house), "--format", "pdf", "--audience", "press")
    )
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{house}: pdf: " in result.err and "nested too deeply" in result.err, result.describe()
