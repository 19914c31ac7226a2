"""Reading back what `reports` wrote, the way a reader meets it (pdftotext and pypdf, python-docx), and the dossier
files read by hand: every expected value is worked out from the files, never from the code under test."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import subprocess
import zipfile
from pathlib import Path

import pypdf
import yaml
from lxml import etree

# ---------------------------------------------------------------- text


def normalize(text: str) -> str:
    """One space for any run of white space (no-break spaces included), as a reader sees it."""
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """No white space at all: a PDF may break a line anywhere a word allows it, Word may split text across runs."""
    return re.sub(r"\s+", "", text)


def first_day(text: str) -> dt.date:
    """`2025-11-14`, `2025-11` or `2025` as its first day: a month or a year sorts as its first day."""
    parts = [int(part) for part in text.strip().split("-")]
    return dt.date(parts[0], *(parts[1:] + [1, 1])[:2])


def letters(text: str) -> str:
    """The Latin and Cyrillic letters of `text`, nothing else: a line break, a hyphen a PDF dropped at one, a digit or
    a space cannot change what is counted."""
    return "".join(re.findall(r"[A-Za-z\u0400-\u04FF]", text))


def cyrillic_share(text: str, left_out: list[str]) -> float:
    """The percentage of Cyrillic letters among the Latin and Cyrillic letters of `text`, each text of `left_out`
    (addresses, source titles) removed wherever it appears, longest first."""
    kept = letters(text)
    for item in sorted({letters(item) for item in left_out if letters(item)}, key=len, reverse=True):
        kept = kept.replace(item, "")
    cyrillic = len(re.findall(r"[\u0400-\u04FF]", kept))
    return 100 * cyrillic / len(kept) if kept else 100.0


# ---------------------------------------------------------------- the dossier, read by hand


def read_yaml(path: Path) -> dict:
    """`yaml.safe_load` with libyaml's parser (the locked PyYAML wheel has it): the pure-Python one took seconds
    over the suite's reads of data/kz-uz."""
    return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def front_matter(path: Path) -> dict:
    match = re.match(r"---\s*\n(.*?)\n---\s*\n", path.read_text(encoding="utf-8-sig"), re.DOTALL)
    assert match, f"{path} has no front matter"
    return yaml.safe_load(match.group(1))


# ---------------------------------------------------------------- PDF


def _version(path: Path) -> tuple[str, int, int]:
    """A cache key that changes when the file does: a test that rebuilds a file in place reads the new one."""
    status = path.stat()
    return str(path), status.st_mtime_ns, status.st_size


# A word hyphenated at a line end: WeasyPrint (`hyphens: auto`) marks the break with U+2010 HYPHEN, which pdftotext
# keeps; text written with a hyphen (`Kazakh-Uzbek`, `2024-25`) carries U+002D HYPHEN-MINUS and is never joined.
_HYPHENATED_LINE_END = re.compile(r"(?<=\w)\u2010\n(?=\w)")


@functools.cache
def _pdftotext(key: tuple[str, int, int], layout: bool) -> tuple[str, ...]:
    command = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), key[0], "-"]
    text = subprocess.run(command, capture_output=True, check=True, timeout=120).stdout.decode("utf-8")
    if not layout:
        text = _HYPHENATED_LINE_END.sub("", text)
    return tuple(text.split("\f")[:-1])


def pdf_pages(path: Path, layout: bool = False) -> tuple[str, ...]:
    """pdftotext (poppler-utils), one string per page; `layout` keeps the columns where they stand. Without
    `layout`, a word the typesetter hyphenated at a line end is one word again (`Be‐` / `cause` reads `Because`);
    a hyphen that is in the text itself stays, even at a line end. With `layout`, the line after a hyphenated end
    may begin in another column, so the hyphen is left as pdftotext shows it."""
    return _pdftotext(_version(path), layout)


def pdf_text(path: Path) -> str:
    """Every page's text as pdftotext reads it, one page after the other."""
    return "\n".join(pdf_pages(path))


@functools.cache
def _outline(key: tuple[str, int, int]) -> tuple[tuple[int, str, int], ...]:
    reader = pypdf.PdfReader(key[0])
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, normalize(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return tuple(found)


def pdf_outline(path: Path) -> tuple[tuple[int, str, int], ...]:
    """(depth, title, page index) of every bookmark, in order (WeasyPrint makes one per heading, the document
    title at depth 0 and the sections under it at depth 1)."""
    return _outline(_version(path))


def pdf_headings(path: Path, *, depth: int | None = None, leave_out: tuple[str, ...] = ()) -> list[str]:
    """The bookmarks' titles in order: only those at `depth` if given, without the titles in `leave_out`."""
    return [title for level, title, _ in pdf_outline(path) if (depth is None or level == depth) and title not in leave_out]


# ---------------------------------------------------------------- Word

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    """Every paragraph of the body (tables and links included), then of every header and footer, one per line:
    read from the package itself, so nothing is added to a document on the way."""
    with zipfile.ZipFile(path) as package:
        names = ["word/document.xml"] + sorted(
            name for name in package.namelist() if re.fullmatch(r"word/(header|footer)\d*\.xml", name)
        )
        parts = [etree.fromstring(package.read(name)) for name in names]
    return "\n".join(
        "".join(node.text or "" for node in paragraph.iter(f"{W}t")) for part in parts for paragraph in part.iter(f"{W}p")
    )


# ---------------------------------------------------------------- HTML


def html_text(path: Path) -> str:
    """The text a browser shows: every text node outside <style>, <script> and <head>, one per line."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.hidden += tag in ("style", "script", "head")

        def handle_endtag(self, tag: str) -> None:
            self.hidden -= tag in ("style", "script", "head")

        def handle_data(self, data: str) -> None:
            if not self.hidden:
                self.parts.append(data)

    parser = Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)
