"""HTML: the Jinja2 page template over the briefing model, one self-contained file (CSS and chart inline)."""

from __future__ import annotations

import re

import jinja2
from markupsafe import Markup

from reports.chart import chart_svg
from reports.errors import Problem, TemplateError
from reports.model import Briefing, Chart
from reports.renderers import Renderer

PAGE_TEMPLATE = "briefing.html.j2"
STYLESHEET = "briefing.css"


def css_string(text: str) -> Markup:
    """A CSS string literal: quotes and backslashes escaped, line breaks and `<` written as code points."""
    escaped = re.sub(r'["\\\n<>]', lambda m: f"\\{ord(m.group()):x} ", str(text))
    return Markup(f'"{escaped}"')


def kind_of(block: object) -> str:
    """The model class of a block (`Paragraph`, `Table` ...), for templates that cannot see `__class__`."""
    return type(block).__name__


class HtmlRenderer(Renderer):
    name = "html"
    suffix = "html"

    def environment(self) -> jinja2.Environment:
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.template_dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        environment.filters["css_string"] = css_string
        environment.globals.update(kind_of=kind_of, chart_svg=lambda chart: Markup(self.chart_markup(chart)))
        return environment

    def chart_markup(self, chart: Chart) -> str:
        """Inline SVG, so the chart stays vector in the PDF and the HTML needs no side file."""
        return chart_svg(chart.series)

    def stylesheet(self) -> str:
        """Every `briefing.css` on the search path, built-in first, so a house style only adds what differs."""
        sheets = [d / STYLESHEET for d in reversed(self.template_dirs) if (d / STYLESHEET).is_file()]
        return "\n".join(sheet.read_text(encoding="utf-8") for sheet in sheets)

    def page(self, briefing: Briefing, with_toc: bool = False) -> str:
        """The page as HTML text; a template problem is exit 2 naming the template file and line."""
        try:
            template = self.environment().get_template(PAGE_TEMPLATE)
            return template.render(briefing=briefing, with_toc=with_toc, stylesheet=Markup(self.stylesheet()))
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(
                Problem(error.filename or error.name or PAGE_TEMPLATE, error.lineno, "template", error.message)
            ) from None
        except jinja2.UndefinedError as error:
            raise TemplateError(Problem(PAGE_TEMPLATE, _template_line(error), "template", str(error))) from None

    def render(self, briefing: Briefing) -> bytes:
        return self.page(briefing).encode("utf-8")


def _template_line(error: Exception) -> int | None:
    """The template line of an error raised while rendering, from the traceback Jinja rewrites."""
    line = None
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename.endswith(".j2"):
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line
