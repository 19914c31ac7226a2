"""HTML: the Jinja2 page template over the briefing model, one self-contained file (CSS and chart inline)."""

from __future__ import annotations

import base64
import mimetypes
import re
from pathlib import Path

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from reports.briefing.model import Briefing, Chart, cite_text, unknown_block
from reports.dossier.languages import OPEN, pieces, plain
from reports.dossier.readers import read_text
from reports.errors import Problem, ProblemCollector, TemplateError
from reports.isolation import step_time_limit
from reports.locale.formatting import unbreakable
from reports.locale.labels import load_translations
from reports.renderers import Renderer
from reports.renderers.bars import bars_svg
from reports.renderers.chart import chart_svg
from reports.template_folders import BUILTIN_TEMPLATES, find_logo

PAGE_TEMPLATE = "briefing.html.j2"
STYLESHEET = "briefing.css"


def css_string(text: str) -> Markup:
    """A CSS string literal: quotes and backslashes escaped, line breaks and `<` written as code points."""
    escaped = re.sub(r'["\\\n<>]', lambda m: f"\\{ord(m.group()):x} ", str(text))
    return Markup(f'"{escaped}"')


# Where a text's language mark cannot become an element: inside a tag (an attribute), the page's <title>, an SVG.
_NO_SPAN_HERE = re.compile(r"<title>.*?</title>|<svg\b.*?</svg>|<[^>]*>", re.DOTALL)


def language_spans(page: str) -> str:
    """The page with each text that fell back to another language (reports/dossier/languages.py) in a
    `<span lang="ru">`, so a browser, a screen reader and the PDF's hyphenation read it in its own language; the
    marks are dropped where no element can go. The marked texts were escaped like every other text."""
    if OPEN not in page:
        return page
    parts, position = [], 0
    for match in _NO_SPAN_HERE.finditer(page):
        parts += [_spans(page[position : match.start()]), plain(match.group())]
        position = match.end()
    return "".join([*parts, _spans(page[position:])])


def _spans(text: str) -> str:
    return plain("".join(f'<span lang="{lang}">{piece}</span>' if lang else piece for lang, piece in pieces(text)))


def kind_of(block: object) -> str:
    """The model class of a block (`Paragraph`, `Table` ...), for templates that cannot see `__class__`."""
    return type(block).__name__


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in this process by name and source checksum (an edited template is compiled again).
    Compiling the page's templates is about a quarter of a second, as long as drawing a short document; a build
    compiles them once (`HtmlRenderer.compile_templates`) and every document's child process starts from them."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])  # ignored if the checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class _TemplateLoader(jinja2.FileSystemLoader):
    """The template folders' loader; a template that is not UTF-8 is exit 2 naming it, not a traceback."""

    def get_source(self, environment: jinja2.Environment, template: str):
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as error:
            pieces = jinja2.loaders.split_template_path(template)
            path = next((Path(folder, *pieces) for folder in self.searchpath if Path(folder, *pieces).is_file()), template)
            line = error.object[: error.start].count(b"\n") + 1
            message = f"is not UTF-8 (byte {error.object[error.start]:#04x})"
            raise TemplateError(Problem(str(path), line, "encoding", message)) from None


class HtmlRenderer(Renderer):
    name = "html"
    suffix = "html"

    def environment(self, lang: str = "en") -> jinja2.Environment:
        """Sandboxed: an organization's templates may not reach Python internals nor change a list or a mapping of
        the briefing (every format is drawn from the same model), and the loader reads only
        the template folders (`..` in a template name is refused). The words of the templates (`_("Contents")`)
        come from the catalogs of `lang`, the same ones the briefing's words come from (`reports/locale/labels.py`)."""
        environment = jinja2.sandbox.ImmutableSandboxedEnvironment(
            loader=_TemplateLoader([str(d) for d in self.template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.i18n"],
            bytecode_cache=_COMPILED,
        )
        environment.install_gettext_translations(load_translations(lang, self.template_dirs), newstyle=True)  # type: ignore[attr-defined]
        environment.filters["css_string"] = css_string
        environment.filters["cite_text"] = cite_text
        environment.filters["unbreakable"] = unbreakable
        environment.globals.update(
            kind_of=kind_of,
            chart_svg=lambda chart: Markup(self.chart_markup(chart, lang)),
            bars_svg=lambda chart: Markup(bars_svg(chart)),
            logo=self.logo_data_uri(),
            unknown_block=_raise_unknown_block,
        )
        return environment

    @classmethod
    def warm_up(cls) -> None:
        """The built-in templates compiled into the in-memory bytecode cache of a render process, which the children
        it forks inherit (reports/isolation.py)."""
        cls([BUILTIN_TEMPLATES]).compile_templates("en")

    def compile_templates(self, lang: str) -> None:
        """Compile the built-in templates, running none of them. An organization's templates are compiled in the
        render's child, under its limits: Jinja folds constant expressions while compiling, so a template holding
        `"x" * 3000000000` takes its memory already then."""
        environment = self.environment(lang)
        for name in environment.list_templates(extensions=["j2"]):
            pieces = jinja2.loaders.split_template_path(name)
            first = next((folder for folder in self.template_dirs if Path(folder, *pieces).is_file()), None)
            if first is not None and Path(first).resolve() == BUILTIN_TEMPLATES:
                try:
                    environment.get_template(name)
                except Exception:
                    continue

    def chart_markup(self, chart: Chart, lang: str = "en") -> str:
        """Inline SVG, so the chart stays vector in the PDF and the HTML needs no side file; ticks in the text's language."""
        return chart_svg(chart.series, lang)

    def logo_data_uri(self) -> str:
        """The house logo inlined, so the HTML stays one file and the PDF fetches nothing."""
        path = find_logo(self.template_dirs)
        if path is None:
            return ""
        kind = mimetypes.guess_type(path.name)[0]
        return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")

    def stylesheet(self) -> str:
        """Every `briefing.css` on the search path, built-in first, so a house style only adds what differs."""
        sheets = [d / STYLESHEET for d in reversed(self.template_dirs) if (d / STYLESHEET).is_file()]
        problems = ProblemCollector()  # UTF-8, size-capped, a regular file: as every other input
        texts = [read_text(sheet, str(sheet), problems) for sheet in sheets]
        problems.raise_if_any(TemplateError)
        return "\n".join(text for text in texts if text is not None)

    def page(self, briefing: Briefing, with_toc: bool = False) -> str:
        """The page as HTML text; a template problem is exit 2 naming the template file and line."""
        briefing.check_blocks()  # an unknown block fails here as in every format, not silently left out
        try:
            template = self.environment(briefing.lang).get_template(PAGE_TEMPLATE)
            stylesheet = Markup(self.stylesheet())
            with step_time_limit(self.template_seconds, TemplateTimeout):
                page = template.render(briefing=briefing, with_toc=with_toc, stylesheet=stylesheet)
            return language_spans(page)
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(
                Problem(error.filename or error.name or PAGE_TEMPLATE, error.lineno, "template", error.message or str(error))
            ) from None
        except TemplateError:  # already names its file (a template or stylesheet that is not UTF-8)
            raise
        except jinja2.TemplateNotFound as error:
            path, line = _template_location(error)
            message = f"template '{error.name}' not found in the template folders"
            raise TemplateError(Problem(path, line, "template", message)) from None
        except (jinja2.UndefinedError, jinja2.sandbox.SecurityError) as error:
            path, line = _template_location(error)
            raise TemplateError(Problem(path, line, "template", str(error))) from None
        except TemplateTimeout as error:
            path, line = _template_location(error)
            message = f"rendering took longer than {self.template_seconds:g} s (a loop that runs away?)"
            raise TemplateError(Problem(path, line, "template", message)) from None
        except MemoryError:  # the memory limit of the document's render (isolation.py) says so itself
            raise
        except Exception as error:
            path, line = _template_location(error)
            if line is None or Path(path).resolve().is_relative_to(BUILTIN_TEMPLATES):
                raise  # an error in the built-in templates is a bug: exit 1 with its traceback
            raise TemplateError(Problem(path, line, "template", f"{type(error).__name__}: {error}")) from None

    def render(self, briefing: Briefing) -> bytes:
        """The page the PDF prints first: with its contents list (links to the sections) when one is expected."""
        return self.page(briefing, with_toc=briefing.expects_contents()).encode("utf-8")


class TemplateTimeout(Exception):
    """Rendering the page's template took longer than its time limit (`Renderer.template_seconds`)."""


def _raise_unknown_block(block: object) -> None:
    """For the `block` macro of blocks.html.j2: a block type it has no branch for is an error, as in check_blocks."""
    raise unknown_block(block)


def _template_location(error: Exception) -> tuple[str, int | None]:
    """The template file and line of an error raised while rendering, from the traceback Jinja rewrites."""
    path, line = PAGE_TEMPLATE, None
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            path, line = filename, traceback.tb_lineno
        traceback = traceback.tb_next
    return path, line
