"""PDF: the HTML page printed by WeasyPrint, fetching nothing outside the template folders."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.formatting_structure.boxes import LineBox, MarginBox, PageBox, ReplacedBox
from weasyprint.urls import URLFetcher

from reports.briefing.model import CONTENTS_MIN_PAGES, Briefing
from reports.errors import Problem, ReportsError
from reports.renderers import TEMPLATE_SECONDS
from reports.renderers.html import HtmlRenderer

PDF_VARIANT = "pdf/ua-1"  # tagged PDF with language and title, read by screen readers
# briefing.css sets a note's areas as unbreakable pieces, each kept whole in a column; an area taller than a page
# would run past its foot, so a note where text does is laid out again with its areas free to break between items.
AREAS_FLOWING = ".section-areas .subsection > section { display: block !important; }"
MAX_RESOURCE_BYTES = 5 * 1024 * 1024  # a logo, a font or a stylesheet; nothing legitimate is larger


class TemplateFolderFetcher(URLFetcher):
    """Allows `data:` URLs and regular files inside the template folders, each at most MAX_RESOURCE_BYTES;
    refuses the network, redirects, devices and the rest of the disk. Every refusal is remembered, so the
    build fails naming the resource instead of writing a PDF without it."""

    def __init__(self, folders: list[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, timeout=5)
        self.folders = [folder.resolve() for folder in folders]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None):
        try:
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path.is_relative_to(folder) for folder in self.folders):
                    raise ValueError(f"refused to read {path}: outside the template folders")
                if not path.is_file():
                    raise ValueError(f"refused to read {path}: not a regular file")
                if path.stat().st_size > MAX_RESOURCE_BYTES:
                    raise ValueError(f"refused to read {path}: larger than {MAX_RESOURCE_BYTES} bytes")
            elif not url.startswith("data:"):
                raise ValueError(f"refused to fetch {url}: only files in the template folders and data: URLs")
            elif len(url) > MAX_RESOURCE_BYTES * 4 // 3 + 100:
                raise ValueError(f"refused a data: URL larger than {MAX_RESOURCE_BYTES} bytes")
            return super().fetch(url, headers)
        except Exception as error:
            self.refused.append(str(error) if isinstance(error, ValueError) else f"could not load {url} ({error})")
            raise


class _ErrorLog(logging.Handler):
    """Collects WeasyPrint's errors so a broken render fails the build instead of giving a degraded file."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _weasyprint_errors() -> Iterator[_ErrorLog]:
    """WeasyPrint's ERROR records while the block runs: during layout (a missing image) and while writing
    (PDF/UA: an image without alternative text, a document without a language)."""
    log = logging.getLogger("weasyprint")
    errors = _ErrorLog()
    log.addHandler(errors)
    try:
        yield errors
    finally:
        log.removeHandler(errors)


def _attachments(html: weasyprint.HTML) -> list[str]:
    """What `<link rel="attachment">` and `<a rel="attachment">` would embed in the PDF (T2): briefings carry none."""
    return [
        element.get("href") or "(no href)"
        for element in html.etree_element.iter()
        if element.tag in ("a", "link") and "attachment" in (element.get("rel") or "").lower().split()
    ]


def _check(fetcher: TemplateFolderFetcher, errors: _ErrorLog, folder: Path) -> None:
    """Exit 2 naming every refused resource, else every WeasyPrint error: never a degraded file."""
    problems = [Problem(str(folder), None, "resource", message) for message in fetcher.refused]
    problems += [Problem("weasyprint", None, "pdf", message) for message in errors.messages if not fetcher.refused]
    if problems:
        raise ReportsError(problems)


@contextlib.contextmanager
def _span_languages() -> Iterator[None]:
    """A text in another language than the document's (a text that fell back: `<span lang="ru">`) carries its
    language in the PDF too, as PDF/UA asks: WeasyPrint tags a span as /Span but drops its `lang`, so while the PDF is
    written its tag builder (`weasyprint.pdf.tags._build_box_tree`, pinned with WeasyPrint in requirements.lock) is
    wrapped to add the span's /Lang."""
    import pydyf
    from weasyprint.pdf import tags

    original = tags._build_box_tree

    def with_language(box, parent, pdf, *args):  # noqa: ANN001, ANN202 - WeasyPrint's own signature
        lang = box.element.get("lang") if box.element is not None and box.element_tag == "span" else None
        for element in original(box, parent, pdf, *args):
            if lang and element.get("S") == "/Span":
                element["Lang"] = pydyf.String(lang)
            yield element

    tags._build_box_tree = with_language  # the builder calls itself through the module: nested spans are seen too
    try:
        yield
    finally:
        tags._build_box_tree = original


def _toc_pages(document: weasyprint.document.Document) -> int:
    """How many pages the table of contents fills (it ends with a page break)."""
    return sum(1 for page in document.pages if "contents" in page.anchors)


class PdfRenderer(HtmlRenderer):
    name = "pdf"
    suffix = "pdf"

    def __init__(self, template_dirs: list[Path], template_seconds: float = TEMPLATE_SECONDS) -> None:
        super().__init__(template_dirs, template_seconds)
        self._measured: dict[int, tuple[Briefing, weasyprint.document.Document]] = {}  # the layouts pages_filled made

    @classmethod
    def warm_up(cls) -> None:
        """As HTML's, and a small page laid out and written as a briefing is: the layout's and the PDF writer's own
        imports and caches made once in a render process, before the children it forks (reports/isolation.py)."""
        super().warm_up()
        page = '<html lang="en"><head><title>-</title></head><body><h1>Briefing</h1><p>Key figures.</p></body></html>'
        weasyprint.HTML(string=page).write_pdf(pdf_variant=PDF_VARIANT)

    def document(self, briefing: Briefing, with_toc: bool) -> weasyprint.document.Document:
        try:
            return self._document(briefing, with_toc)
        except RecursionError:  # a template's elements nested thousands deep: the layout recurses once per level
            message = "the page's elements are nested too deeply to lay out (simplify the templates)"
            raise ReportsError(Problem(str(self.template_dirs[0]), None, "pdf", message)) from None

    def _document(self, briefing: Briefing, with_toc: bool) -> weasyprint.document.Document:
        fetcher = TemplateFolderFetcher(self.template_dirs)
        html = weasyprint.HTML(string=self.page(briefing, with_toc), base_url=str(self.template_dirs[0]), url_fetcher=fetcher)
        refused = [f"refused to attach {href[:200]} to the PDF: briefings carry no attachments" for href in _attachments(html)]
        if refused:
            raise ReportsError([Problem(str(self.template_dirs[0]), None, "resource", message) for message in refused])
        with _weasyprint_errors() as errors:  # a layout that runs away meets the document's --time-limit (isolation.py)
            document = html.render()
            if briefing.layout == "note" and _runs_past_a_foot(document):
                document = html.render(stylesheets=[weasyprint.CSS(string=AREAS_FLOWING)])
        _check(fetcher, errors, self.template_dirs[0])
        return document

    def laid_out(self, briefing: Briefing) -> weasyprint.document.Document:
        """The briefing's pages, with a table of contents only for documents over 3 pages; the layout of a briefing
        measured by `pages_filled` is kept, so the fitted note is laid out once."""
        if id(briefing) in self._measured and self._measured[id(briefing)][0] is briefing:
            return self._measured[id(briefing)][1]
        expect_long = briefing.expects_contents()
        document = self.document(briefing, with_toc=expect_long)
        if expect_long and len(document.pages) - _toc_pages(document) < CONTENTS_MIN_PAGES:
            document = self.document(briefing, with_toc=False)
        elif not expect_long and briefing.layout == "report" and len(document.pages) >= CONTENTS_MIN_PAGES:  # a note: none
            document = self.document(briefing, with_toc=True)
        return document

    def pages_filled(self, briefing: Briefing) -> float:
        """How many pages the briefing fills: the full pages and the share of the last one its content reaches
        (what `reports/briefing/fit.py` fits a note with)."""
        document = self.laid_out(briefing)
        self._measured[id(briefing)] = (briefing, document)
        return len(document.pages) - 1 + _share_used(document.pages[-1])

    def render(self, briefing: Briefing) -> bytes:
        """The briefing as laid out (a page-limited note comes fitted by its content, never by type size: the build
        chose its units with `pages_filled`); a note still over its page limit is refused."""
        document = self.laid_out(briefing)
        self._measured.clear()
        if briefing.max_pages and len(document.pages) > briefing.max_pages:
            raise ReportsError(Problem(
                f"audience {briefing.audience}", None, "max_pages",
                f"the briefing runs to {len(document.pages)} pages with only what must stay; this audience allows at most "
                f"{briefing.max_pages} (shorten the dossier's texts or raise max_pages)",
            ))  # fmt: skip
        with _weasyprint_errors() as errors, _span_languages():  # SVG images load now
            pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
        _check(document.url_fetcher, errors, self.template_dirs[0])
        return pdf


def _runs_past_a_foot(document: weasyprint.document.Document) -> bool:
    """Whether some line or image reaches below its page's content area: a piece too tall to break."""
    for page in document.pages:
        page_box = page._page_box
        foot = page_box.content_box_y() + page_box.height
        if any(bottom > foot + 1 for bottom in _content_bottoms(page_box)):
            return True
    return False


def _share_used(page: weasyprint.document.Page) -> float:
    """How far down its content area the page's content reaches, 0 to 1 (the running heads aside)."""
    page_box = page._page_box
    top, height = page_box.content_box_y(), page_box.height
    bottom = max(_content_bottoms(page_box), default=top)
    return min(max((bottom - top) / height, 0.0), 1.0) if height else 1.0


def _content_bottoms(page_box: PageBox) -> Iterator[float]:
    """Where each line and image of the page's content ends, top to bottom of the sheet (the running heads aside)."""
    for child in page_box.children:
        if not isinstance(child, MarginBox):
            for box in child.descendants():
                if isinstance(box, LineBox | ReplacedBox):
                    yield box.position_y + box.margin_height()
