"""The jobs file of `reports run` (`reports.yaml`): which briefings to build, where, and when they fall due.

Validated like a dossier: every problem of the file is collected and reported together as
`path:line: key: what is wrong` (exit 2), before anything is built. Paths in the file are relative to the
folder the file is in, so a scheduler may run `reports run --jobs /srv/briefings/reports.yaml` from anywhere.

This module stays light (PyYAML and the standard library): a run that finds everything up to date must not
pay for the renderers.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reports.briefing.audiences import load_audiences
from reports.delivery.targets import Target, read_targets
from reports.dossier.readers import YamlDocument, load_yaml, read_text
from reports.dossier.vocabulary import EVENT_KINDS, LEADERS_MEETING_KINDS
from reports.engine.executors import LOCAL, check_executor
from reports.errors import JobsError, ProblemCollector, ReportsError
from reports.locale.labels import DEFAULT_LANGS
from reports.renderers import DEFAULT_FORMATS, RENDERERS
from reports.template_folders import BUILTIN_TEMPLATES, organization_templates

DEFAULT_JOBS_FILE = Path("reports.yaml")
FORMATS = tuple(RENDERERS)
DEFAULT_OUT = "build"
JOB_KEYS = ("name", "dossier", "audiences", "formats", "langs", "templates", "out", "schedule", "before_events", "deliver")
BEFORE_EVENTS_KEYS = ("kinds", "days")
# The usual cron shorthands, as crontab(5) defines them.
SCHEDULE_MACROS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
}
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class BeforeEvents:
    """Briefing packs that must exist `days` before each upcoming event of one of `kinds`."""

    kinds: tuple[str, ...]
    days: tuple[int, ...]  # largest first: the lead windows, e.g. (30, 7, 1)

    def bucket(self, days_remaining: int) -> int | None:
        """The lead window an event `days_remaining` ahead is in (the smallest N ≥ days remaining), or None.

        A pack is rebuilt when its event moves into a nearer window, not every day ("in 29 days")."""
        if days_remaining < 1:
            return None
        return min((days for days in self.days if days >= days_remaining), default=None)


@dataclass(frozen=True)
class Job:
    """One entry of the jobs file; paths resolved against the jobs file's folder."""

    name: str
    dossiers: tuple[Path, ...]  # `dossier:` is a folder or a glob (`data/*`): every matching folder with a dossier.yaml
    out: Path
    audiences: tuple[str, ...]  # empty: every audience on the search path
    formats: tuple[str, ...]
    langs: tuple[str, ...]
    templates: Path | None
    schedule: str | None  # as written: a cron expression or a shorthand such as @monthly
    before_events: BeforeEvents | None
    line: int | None  # where the job starts in the jobs file
    deliver: tuple[Target, ...] = ()  # where the documents it rebuilt are sent (reports/delivery/)

    @property
    def cron(self) -> str | None:
        """The schedule as a five-field cron expression."""
        if self.schedule is None:
            return None
        return SCHEDULE_MACROS.get(self.schedule, self.schedule)

    @property
    def builds_reports(self) -> bool:
        """A job with a schedule builds the regular briefings; one with only `before_events` builds only packs."""
        return self.schedule is not None


def cron_problem(expression: str) -> str | None:
    """Why a schedule is not usable, or None: five cron fields (minute hour day month weekday) or a shorthand."""
    if expression in SCHEDULE_MACROS:
        return None
    if len(expression.split()) != 5:
        return (
            f"'{expression}' is not a cron expression of five fields (minute hour day-of-month month day-of-week) "
            f"nor one of {', '.join(SCHEDULE_MACROS)}"
        )
    from croniter import croniter  # only when a schedule is written out: the shorthands need no check

    if not croniter.is_valid(expression):
        return f"'{expression}' is not a valid cron expression (minute hour day-of-month month day-of-week)"
    return None


def _audience_names(template_dirs: list[Path]) -> set[str]:
    return {path.stem for folder in template_dirs for path in (folder / "audiences").glob("*.yaml")}


def _includes_restricted(template_dirs: list[Path], names: tuple[str, ...]) -> dict[str, bool]:
    """Whether each of the job's audiences includes restricted material. Broken audience files fail the job when it
    plans; until then they count as public here, and the run still checks every document before sending it."""
    try:
        audiences = load_audiences(template_dirs)
    except ReportsError:
        return dict.fromkeys(names or _audience_names(template_dirs), False)
    return {name: audience.include_restricted for name, audience in audiences.items() if not names or name in names}


def _lang_names(template_dirs: list[Path]) -> set[str]:
    from reports.locale.labels import languages  # English and every language with a catalog on the search path

    return set(languages(template_dirs))


class _JobReader:
    """Checks one job entry, collecting every problem with its line."""

    def __init__(self, doc: YamlDocument, index: int, display: str, base: Path, problems: ProblemCollector) -> None:
        self.doc, self.index, self.display, self.base, self.problems = doc, index, display, base, problems

    def add(self, path: tuple, message: str) -> None:
        key = f"jobs[{self.index}]" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
        self.problems.add(self.display, self.doc.line("jobs", self.index, *path), key, message)

    def text(self, data: dict, key: str, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add((key,), "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add((key,), "must be text")
            return None
        return value.strip()

    def dossiers(self, data: dict) -> tuple[Path, ...]:
        """The folder `dossier:` names, or every folder a glob matches that holds a dossier.yaml, sorted."""
        text = self.text(data, "dossier", required=True)
        if text is None:
            return ()
        if not glob.has_magic(text):
            folder = self.folder(data, "dossier")
            if folder is not None and not (folder / "dossier.yaml").is_file():
                self.add(("dossier",), f"{folder} has no dossier.yaml")
                return ()
            return (folder,) if folder is not None else ()
        pattern = Path(text).expanduser()
        pattern = pattern if pattern.is_absolute() else self.base / pattern
        found = tuple(sorted(Path(match) for match in glob.glob(str(pattern)) if (Path(match) / "dossier.yaml").is_file()))
        if not found:
            self.add(("dossier",), f"'{text}' matches no folder with a dossier.yaml")
        return found

    def folder(self, data: dict, key: str, required: bool = False, must_exist: bool = True) -> Path | None:
        text = self.text(data, key, required)
        if text is None:
            return None
        path = Path(text).expanduser()
        path = path if path.is_absolute() else self.base / path
        if must_exist and not path.is_dir():
            self.add((key,), f"'{text}' is not a folder" + (f" (resolved to {path})" if str(path) != text else ""))
            return None
        return path

    def names(
        self, data: dict, key: str, default: tuple[str, ...], known: set[str], what: str, within: tuple = ()
    ) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.add((*within, key), f"must be a list of {what}s")
            return default
        names = []
        for position, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add((*within, key, position), f"must be the name of a {what}")
            elif item not in known:
                self.add((*within, key, position), f"unknown {what} '{item}'; known {what}s: {', '.join(sorted(known))}")
            else:
                names.append(item)
        return tuple(dict.fromkeys(names))

    def before_events(self, data: dict) -> BeforeEvents | None:
        value = data.get("before_events")
        if value is None:
            return None
        if not isinstance(value, dict):
            self.add(("before_events",), "must be a mapping with `kinds` and `days`, e.g. {kinds: [summit], days: [30, 7, 1]}")
            return None
        for key in value:
            if key not in BEFORE_EVENTS_KEYS:
                self.add(("before_events", key), f"unknown key; known keys: {', '.join(BEFORE_EVENTS_KEYS)}")
        kinds = self.names(value, "kinds", LEADERS_MEETING_KINDS, set(EVENT_KINDS), "event kind", ("before_events",))
        days = value.get("days")
        checked: list[int] = []
        if days is None:
            self.add(("before_events", "days"), "is required: how many days before each event a pack must exist, e.g. [30, 7, 1]")
        elif not isinstance(days, list) or not days:
            self.add(("before_events", "days"), "must be a list of whole numbers of days, e.g. [30, 7, 1]")
        else:
            for position, number in enumerate(days):
                if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 366:
                    self.add(("before_events", "days", position), f"must be a whole number of days from 1 to 366, not {number!r}")
                else:
                    checked.append(number)
        if not checked or not kinds:
            return None
        return BeforeEvents(tuple(kinds), tuple(sorted(set(checked), reverse=True)))

    def job(self, data: Any) -> Job | None:
        if not isinstance(data, dict):
            self.add((), "must be a mapping of keys (name, dossier, out, schedule ...)")
            return None
        before = len(self.problems.problems)
        for key in data:
            if key not in JOB_KEYS:
                self.add((key,), f"unknown key; known keys: {', '.join(JOB_KEYS)}")
        name = self.text(data, "name", required=True)
        if name is not None and not SLUG.match(name):
            self.add(("name",), f"'{name}' must be a short name of a-z, 0-9, - and _")
        dossiers = self.dossiers(data)
        templates = self.folder(data, "templates") or organization_templates(None, self.base)
        template_dirs = [templates.resolve(), BUILTIN_TEMPLATES] if templates is not None else [BUILTIN_TEMPLATES]
        audiences = self.names(data, "audiences", (), _audience_names(template_dirs), "audience")
        formats = self.names(data, "formats", DEFAULT_FORMATS, set(FORMATS), "format")
        langs = self.names(data, "langs", DEFAULT_LANGS, _lang_names(template_dirs), "language")
        out = self.folder(data, "out", must_exist=False) or self.base / DEFAULT_OUT
        schedule = self.text(data, "schedule")
        if schedule is not None and (problem := cron_problem(schedule)):
            self.add(("schedule",), problem)
        before_events = self.before_events(data)
        restricted = _includes_restricted(template_dirs, audiences) if "deliver" in data else {}
        deliver = read_targets(
            data.get("deliver"), self.base, restricted,
            lambda where, message: self.add(("deliver", *where), message),
        )  # fmt: skip
        if "schedule" not in data and "before_events" not in data:
            self.add((), "needs `schedule` (a cron expression or @daily, @weekly, @monthly), `before_events`, or both")
        if len(self.problems.problems) > before or name is None or not dossiers:
            return None
        return Job(
            name=name, dossiers=dossiers, out=out, audiences=audiences, formats=formats, langs=langs, templates=templates,
            schedule=schedule, before_events=before_events, line=self.doc.line("jobs", self.index), deliver=deliver,
        )  # fmt: skip


@dataclass(frozen=True)
class JobsFile:
    jobs: list[Job]
    executor: str  # where the documents are rendered: `local` or `dask://HOST:PORT`
    executor_line: int | None


def load_jobs(path: Path) -> JobsFile:
    """Every job of the jobs file and its executor, or a JobsError naming every problem (exit 2)."""
    display = str(path)
    problems = ProblemCollector()
    if not path.exists():  # a FIFO or a folder is there, and read_text says what it is
        problems.add(display, None, "jobs", "no such file (pass --jobs FILE, or create reports.yaml; see the README)")
        problems.raise_if_any(JobsError)
    text = read_text(path, display, problems)
    doc = load_yaml(text, display, problems) if text is not None else None
    problems.raise_if_any(JobsError)
    assert doc is not None
    if not isinstance(doc.data, dict) or not isinstance(doc.data.get("jobs"), list) or not doc.data["jobs"]:
        problems.add(display, doc.line("jobs") or 1, "jobs", "the file must hold `jobs:`, a list of one or more jobs")
        problems.raise_if_any(JobsError)
    for key in doc.data:
        if key not in ("jobs", "executor"):
            problems.add(display, doc.line(key), str(key), "unknown key; the file holds `jobs:` and `executor:`")
    executor = doc.data.get("executor", LOCAL)
    if not isinstance(executor, str):
        problems.add(display, doc.line("executor"), "executor", "must be `local` or `dask://HOST:PORT`")
    else:
        try:
            check_executor(executor, display, doc.line("executor"))
        except ReportsError as error:
            problems.problems += error.problems
    base = path.parent
    jobs = []
    for index, data in enumerate(doc.data["jobs"]):
        job = _JobReader(doc, index, display, base, problems).job(data)
        if job is not None:
            jobs.append(job)
    seen: dict[str, int] = {}
    for index, data in enumerate(doc.data["jobs"]):
        name = data.get("name") if isinstance(data, dict) else None
        if isinstance(name, str) and name in seen:
            problems.add(
                display,
                doc.line("jobs", index, "name"),
                f"jobs[{index}].name",
                f"'{name}' is also the name of jobs[{seen[name]}]",
            )
        elif isinstance(name, str):
            seen[name] = index
    problems.problems.sort(key=lambda problem: problem.line or 0)
    problems.raise_if_any(JobsError)
    return JobsFile(jobs, executor, doc.line("executor"))
