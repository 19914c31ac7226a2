"""The one family of user-facing errors: each problem names a file, a line and a field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, printed as `path:line: field: message`."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.field}: {self.message}"


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
