"""PDF: the HTML page printed by WeasyPrint, fetching nothing outside the template folders."""

from __future__ import annotations

import logging
from pathlib import Path

import weasyprint
from weasyprint.urls import URLFetcher

from reports.errors import Problem, ReportsError
from reports.model import Briefing
from reports.renderers.html import HtmlRenderer

TOC_MIN_PAGES = 4  # documents over 3 pages get a table of contents
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with language and title, read by screen readers
FIT_STEPS = 3  # how many times a briefing with a page limit may be set tighter (CSS classes fit-1 ... fit-3)


class TemplateFolderFetcher(URLFetcher):
    """Allows `data:` URLs and files inside the template folders; refuses the network and the rest of the disk."""

    def __init__(self, folders: list[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.folders = [folder.resolve() for folder in folders]

    def fetch(self, url: str, headers: dict | None = None):
        if url.startswith("file:"):
            from urllib.parse import unquote, urlparse

            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(folder) for folder in self.folders):
                raise ValueError(f"refused to read {path}: outside the template folders")
        return super().fetch(url, headers)


class _ErrorLog(logging.Handler):
    """Collects WeasyPrint's errors so a broken render fails the build instead of giving a degraded file."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _toc_pages(document: weasyprint.document.Document) -> int:
    """How many pages the table of contents fills (it ends with a page break)."""
    return sum(1 for page in document.pages if "contents" in page.anchors)


class PdfRenderer(HtmlRenderer):
    name = "pdf"
    suffix = "pdf"

    def document(self, briefing: Briefing, with_toc: bool, fit: int = 0) -> weasyprint.document.Document:
        html = weasyprint.HTML(
            string=self.page(briefing, with_toc, fit),
            base_url=str(self.template_dirs[0]),
            url_fetcher=TemplateFolderFetcher(self.template_dirs),
        )
        log = logging.getLogger("weasyprint")
        errors = _ErrorLog()
        log.addHandler(errors)
        try:
            document = html.render()
        finally:
            log.removeHandler(errors)
        if errors.messages:
            raise ReportsError([Problem("weasyprint", None, "pdf", message) for message in errors.messages])
        return document

    def render(self, briefing: Briefing) -> bytes:
        """A table of contents only for documents over 3 pages, and a briefing with a page limit set a step
        tighter (up to FIT_STEPS times) until it fits; each is one more layout, only when needed."""
        expect_long = briefing.max_pages is None or briefing.max_pages >= TOC_MIN_PAGES
        document = self.document(briefing, with_toc=expect_long)
        if expect_long and len(document.pages) - _toc_pages(document) < TOC_MIN_PAGES:
            document = self.document(briefing, with_toc=False)
        elif not expect_long and len(document.pages) >= TOC_MIN_PAGES:
            document = self.document(briefing, with_toc=True)
        fit = 0
        while briefing.max_pages and len(document.pages) > briefing.max_pages and fit < FIT_STEPS:
            fit += 1
            document = self.document(briefing, with_toc=False, fit=fit)
        if briefing.max_pages and len(document.pages) > briefing.max_pages:
            raise ReportsError(Problem(
                f"audience {briefing.audience}", None, "max_pages",
                f"the briefing runs to {len(document.pages)} pages even set tighter; this audience allows at most "
                f"{briefing.max_pages} (shorten the dossier's key facts or raise max_pages)",
            ))  # fmt: skip
        return document.write_pdf(pdf_variant=PDF_VARIANT)
