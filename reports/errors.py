"""The one family of user-facing errors: each problem names a file, a line and a field."""

from __future__ import annotations

import re
from dataclasses import dataclass

# What a terminal (or the mail cron sends) would act on or hide: control characters (an escape sequence can set
# a window title or colours), line and paragraph separators, and invisible ones that reorder or hide text.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_LONG_WORD = re.compile(r"\S{121,}")  # a value echoed in a message: a 5,000-digit number is shown cut


def printable(text: str) -> str:
    """`text` for a terminal: every character of _UNPRINTABLE written as its escape (`\\x1b`, `\\u202e`)."""
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def _shortened(message: str) -> str:
    return _LONG_WORD.sub(lambda match: f"{match.group()[:40]}... ({len(match.group())} characters)", message)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, printed as `path:line: field: message`: on one line, control and invisible
    characters escaped, a value longer than 120 characters cut."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return printable(f"{where}: {self.field}: {_shortened(self.message)}")


class ReportsError(Exception):
    """Bad input of any kind (data, arguments, templates, jobs file): exit status 2, no traceback."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("reports", None, "input", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DossierError(ReportsError):
    """The dossier folder has one or more problems."""


class TemplateError(ReportsError):
    """A template or audience file is broken."""


class JobsError(ReportsError):
    """The jobs file of `reports run` has one or more problems."""


class ProblemCollector:
    """Gathers every problem of one pass so they can be reported together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, line: int | None, field: str, message: str) -> None:
        self.problems.append(Problem(path, line, field, message))

    def raise_if_any(self, error_class: type[ReportsError] = DossierError) -> None:
        if self.problems:
            raise error_class(self.problems)
