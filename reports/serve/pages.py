"""What the browser gets: a briefing as built with the reload script and the problems over it, and the index.

Everything from the dossier or the templates (problems, audience names and descriptions) is HTML-escaped, and
the script runs only with the nonce of its response's Content-Security-Policy (reports/serve/app.py).
"""

from __future__ import annotations

import json
from html import escape

from reports.errors import Problem
from reports.progress import counted

EVENTS_PATH = "/_events"

# Keeps the scroll position across the reload: saved just before it, restored as soon as the page can scroll
# and once more when it has loaded (the browser's own restoring is off: it would undo ours).
_SCRIPT = """
(function () {
  var page = %(page)s, version = %(version)d, key = "reports-serve-scroll:" + page;
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  var saved = sessionStorage.getItem(key);
  function restore() { if (saved) { var at = JSON.parse(saved); window.scrollTo(at[0], at[1]); } }
  restore();
  window.addEventListener("load", function () { restore(); sessionStorage.removeItem(key); });
  var events = new EventSource("%(events)s?page=" + encodeURIComponent(page) + "&version=" + version);
  events.addEventListener("reload", function () {
    events.close();
    sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  });
})();
"""

# `all: initial` first: the briefing's own stylesheet styles `div`, `ul` and `p`, and must not style this.
_OVERLAY_STYLE = (
    "all: initial; position: fixed; top: 0; left: 0; right: 0; z-index: 2147483647; max-height: 50vh; overflow: auto;"
    " background: #fff4f4; border-bottom: 3px solid #b00020; padding: 12px 16px; box-shadow: 0 2px 8px rgba(0,0,0,.3);"
    " font: 14px/1.45 monospace; color: #3a0008; white-space: pre-wrap;"
)


def _script(page: str, version: int, nonce: str) -> str:
    page_literal = json.dumps(page).replace("<", "\\u003c")  # a name can never close the script element
    code = _SCRIPT % {"page": page_literal, "version": version, "events": EVENTS_PATH}
    return f'<script nonce="{escape(nonce)}">{code}</script>'


def overlay(problems: tuple[Problem, ...], state: str) -> str:
    """Every problem as `path:line: field: what is wrong`, fixed over the top of the page; `state` says what the
    page below it is."""
    if not problems:
        return ""
    count = counted(len(problems), "problem")
    lines = "\n".join(escape(str(problem)) for problem in problems)
    return (
        f'<div id="reports-serve-problems" role="alert" style="{_OVERLAY_STYLE}">'
        f"<strong>{count}; {state}. Fix the file and save: this page reloads.</strong>\n{lines}</div>"
    )


def briefing_page(html: bytes | None, name: str, problems: tuple[Problem, ...], page: str, version: int, nonce: str) -> bytes:
    """The built briefing with the overlay and the script before its `</body>`; while there is none yet, a page
    that says so (and reloads when it is built)."""
    state = "this is the last good briefing" if html is not None else "nothing could be built yet"
    addition = overlay(problems, state) + _script(page, version, nonce)
    if html is None:
        waiting = "" if problems else f"<p>Building {escape(name)} …</p>"
        return _page(name, waiting + addition).encode("utf-8")
    end = html.rfind(b"</body>")
    at = end if end >= 0 else len(html)
    return html[:at] + addition.encode("utf-8") + html[at:]


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f'<body style="font: 16px/1.5 sans-serif; margin: 2em auto; max-width: 50em; padding: 0 1em">{body}</body></html>'
    )


def index_page(
    dossier: str,
    rows: list[tuple[str, str, list[tuple[str, str]]]],
    withheld: tuple[str, ...],
    problems: tuple[Problem, ...],
    version: int,
    nonce: str,
) -> bytes:
    """Every audience with its description and, per language, links to its HTML and PDF and its state.

    `rows`: (audience, description, [(lang, state)]), the state "" when its briefing is built and current."""
    items = []
    for audience, description, langs in rows:
        links = []
        for lang, state in langs:
            name = f"{audience}.{lang}"
            note = f" <em>({escape(state)})</em>" if state else ""
            links.append(
                f'<li>{escape(lang)}: <a href="/{escape(name)}.html">{escape(name)}.html</a> · '
                f'<a href="/{escape(name)}.pdf">PDF</a>{note}</li>'
            )
        items.append(f"<h2>{escape(audience)}</h2><p>{escape(description)}</p><ul>{''.join(links)}</ul>")
    if withheld:
        items.append(
            f"<p>Not served on this address, since they include restricted material: {escape(', '.join(withheld))}. "
            "They are served on loopback only (the default <code>--host 127.0.0.1</code>).</p>"
        )
    body = f"<h1>Briefings of {escape(dossier)}</h1>{''.join(items)}"
    body += overlay(problems, "the list is the last one read") + _script("", version, nonce)
    return _page(f"reports serve: {dossier}", body).encode("utf-8")
