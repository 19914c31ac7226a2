"""The jobs file of `reports run` (`reports.yaml`): which briefings to build, where, and when they fall due.

Validated like a dossier (each job is a `JobEntry`, see reports/dossier/schema.py): every problem of the file
is collected and reported together as `path:line: key: what is wrong` (exit 2), before anything is built. Paths in
the file are relative to the folder the file is in, so a scheduler may run `reports run --jobs
/srv/briefings/reports.yaml` from anywhere.

This module stays light (PyYAML, pydantic and the standard library): a run that finds everything up to date must
not pay for the renderers.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainValidator, ValidationInfo

from reports.briefing.audiences import load_audiences
from reports.delivery.targets import Target, read_targets
from reports.dossier.readers import load_yaml, read_text
from reports.dossier.schema import Place, Record, key, validated
from reports.dossier.vocabulary import EVENT_KINDS, LEADERS_MEETING_KINDS
from reports.engine.executors import LOCAL, check_executor
from reports.errors import JobsError, ProblemCollector, ReportsError
from reports.locale.labels import DEFAULT_LANGS
from reports.renderers import DEFAULT_FORMATS, RENDERERS
from reports.template_folders import BUILTIN_TEMPLATES, organization_templates

FORMATS = tuple(RENDERERS)
DEFAULT_OUT = "build"
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


@dataclass(frozen=True)
class JobContext:
    """What checking one job needs besides the job: the folder its paths are relative to, and the audiences and
    languages of its template search path (pydantic hands it to the validators below as `info.context`)."""

    base: Path
    audiences: set[str]
    langs: set[str]

    @classmethod
    def of(cls, info: ValidationInfo) -> JobContext:
        assert isinstance(info.context, JobContext)
        return info.context


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be text")
    return value.strip()


def _required_text(value: Any) -> str:
    if value is None:
        raise ValueError("is required")
    return str(_text(value))


def _name(value: Any) -> str:
    name = _required_text(value)
    if not SLUG.match(name):
        raise ValueError(f"'{name}' must be a short name of a-z, 0-9, - and _")
    return name


def _path(text: str, base: Path) -> Path:
    path = Path(text).expanduser()
    return path if path.is_absolute() else base / path


def _folder(value: Any, info: ValidationInfo) -> Path | None:
    """An existing folder, relative to the jobs file's."""
    text = _text(value)
    if text is None:
        return None
    path = _path(text, JobContext.of(info).base)
    if not path.is_dir():
        raise ValueError(f"'{text}' is not a folder" + (f" (resolved to {path})" if str(path) != text else ""))
    return path


def _dossiers(value: Any, info: ValidationInfo) -> tuple[Path, ...]:
    """The folder `dossier:` names, or every folder a glob matches that holds a dossier.yaml, sorted."""
    text = _required_text(value)
    if not glob.has_magic(text):
        folder = _folder(text, info)
        assert folder is not None
        if not (folder / "dossier.yaml").is_file():
            raise ValueError(f"{folder} has no dossier.yaml")
        return (folder,)
    pattern = _path(text, JobContext.of(info).base)
    found = tuple(sorted(Path(match) for match in glob.glob(str(pattern)) if (Path(match) / "dossier.yaml").is_file()))
    if not found:
        raise ValueError(f"'{text}' matches no folder with a dossier.yaml")
    return found


def _out(value: Any, info: ValidationInfo) -> Path:
    text = _text(value)
    return _path(text or DEFAULT_OUT, JobContext.of(info).base)


def _schedule(value: Any) -> str | None:
    schedule = _text(value)
    if schedule is not None and (problem := cron_problem(schedule)):
        raise ValueError(problem)
    return schedule


def _days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 366:
        raise ValueError(f"must be a whole number of days from 1 to 366, not {value!r}")
    return value


def _listed(what: str, default: tuple[str, ...] = (), required: str | None = None) -> BeforeValidator:
    """A list (one name alone may be written without brackets), absent: `default`; each item then checked."""

    def parse(value: Any) -> Any:
        if value is None:
            if required:
                raise ValueError(required)
            return list(default)
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list) or not value:
            raise ValueError(f"must be a list of {what}")
        return value

    return BeforeValidator(parse)


def _one_of(what: str, known: Callable[[JobContext], set[str]]) -> PlainValidator:
    """A name from the set `known` gives for the job (`what`: "format", "audience" ...)."""

    def parse(value: Any, info: ValidationInfo) -> str:
        names = known(JobContext.of(info))
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"must be the name of a {what}")
        if value not in names:
            raise ValueError(f"unknown {what} '{value}'; known {what}s: {', '.join(sorted(names))}")
        return value

    return PlainValidator(parse)


EventKind = Annotated[str, _one_of("event kind", lambda _: set(EVENT_KINDS))]
Audience = Annotated[str, _one_of("audience", lambda context: context.audiences)]
Format = Annotated[str, _one_of("format", lambda _: set(FORMATS))]
Language = Annotated[str, _one_of("language", lambda context: context.langs)]


class BeforeEventsEntry(Record):
    """`before_events` of a job."""

    not_a_mapping = "must be a mapping with `kinds` and `days`, e.g. {kinds: [summit], days: [30, 7, 1]}"

    kinds: Annotated[list[EventKind], _listed("event kinds", LEADERS_MEETING_KINDS)] = key(
        "the four kinds of leaders' meetings", "the kinds of event a pack is made for"
    )
    days: Annotated[
        list[Annotated[int, PlainValidator(_days)]],
        _listed(
            "whole numbers of days, e.g. [30, 7, 1]",
            required="is required: how many days before each event a pack must exist, e.g. [30, 7, 1]",
        ),
    ] = key("required", "the lead windows: a pack exists from the largest number of days ahead until the day before")


class JobEntry(Record):
    """One job of the jobs file."""

    not_a_mapping = "must be a mapping of keys (name, dossier, out, schedule ...)"

    name: Annotated[str, PlainValidator(_name)] = key(
        "required", "`a-z`, `0-9`, `-`, `_`; unique in the file (`--job NAME` picks it)"
    )
    dossier: Annotated[tuple[Path, ...], PlainValidator(_dossiers)] = key(
        "required", "the dossier folder, or a glob of folders (`data/*`): each with a `dossier.yaml` is built"
    )
    audiences: Annotated[list[Audience], _listed("audiences", ())] = key(
        "every audience", "names on the job's template search path"
    )
    formats: Annotated[list[Format], _listed("formats", DEFAULT_FORMATS)] = key(
        f"`[{', '.join(DEFAULT_FORMATS)}]`", ", ".join(f"`{name}`" for name in FORMATS)
    )
    langs: Annotated[list[Language], _listed("languages", DEFAULT_LANGS)] = key(
        f"`[{', '.join(DEFAULT_LANGS)}]`",
        "`en` and the languages with a catalog `locale/<lang>/LC_MESSAGES/reports.po` on the search path",
    )
    templates: Annotated[Path | None, PlainValidator(_folder)] = key(
        "`templates` beside the jobs file, if there is one",
        "a folder searched before the built-in templates (as `--templates`; see [house styles](house-styles.md))",
    )
    out: Annotated[Path, PlainValidator(_out)] = key(
        f"`{DEFAULT_OUT}`", "the out folder: files go to `{out}/{dossier id}/...`, the manifest to `{out}/manifest.json`"
    )
    schedule: Annotated[str | None, PlainValidator(_schedule)] = key(
        "none",
        'a cron expression of five fields (`minute hour day-of-month month day-of-week`, e.g. `"0 6 1 * *"`) or '
        "`@daily`, `@weekly`, `@monthly` (also `@hourly`, `@yearly`); the job builds the regular briefings, "
        "`{out}/{id}/{audience}.{lang}.{ext}`",
    )
    before_events: BeforeEventsEntry | None = key(
        "none",
        "`{kinds: [...], days: [30, 7, 1]}`: a briefing pack, `{out}/{id}/brief-{event id}.{audience}.{lang}.{ext}`, "
        "for every upcoming event of those kinds (default: the four kinds of leaders' meetings) from the largest "
        "number of days ahead until the day before it",
    )
    deliver: Any = key(
        "none",
        "where the documents a run rebuilt are sent: folders, email, webhooks ([below](#delivering-the-documents-deliver))",
    )


def _job(data: Any, place: Place, base: Path) -> Job | None:
    """One job, or None after reporting its problems."""
    before = len(place.problems.problems)
    templates = organization_templates(None, base)
    if isinstance(data, dict) and isinstance(data.get("templates"), str) and _path(data["templates"], base).is_dir():
        templates = _path(data["templates"], base)  # the search path its audiences and languages are checked on
    template_dirs = [templates.resolve(), BUILTIN_TEMPLATES] if templates is not None else [BUILTIN_TEMPLATES]
    context = JobContext(base, _audience_names(template_dirs), _lang_names(template_dirs))
    entry = validated(JobEntry, data, place, context)
    deliver: tuple[Target, ...] = ()
    if isinstance(data, dict) and "deliver" in data:
        named = tuple(entry.audiences) if entry is not None else ()
        restricted = _includes_restricted(template_dirs, named)
        deliver = read_targets(data["deliver"], base, restricted, lambda where, message: place.add(("deliver", *where), message))
    if isinstance(data, dict) and "schedule" not in data and "before_events" not in data:
        place.add((), "needs `schedule` (a cron expression or @daily, @weekly, @monthly), `before_events`, or both")
    if entry is None or len(place.problems.problems) > before:
        return None
    before_events = None
    if entry.before_events is not None:
        days = tuple(sorted(set(entry.before_events.days), reverse=True))
        before_events = BeforeEvents(tuple(dict.fromkeys(entry.before_events.kinds)), days)
    return Job(
        name=entry.name, dossiers=entry.dossier, out=entry.out, audiences=tuple(dict.fromkeys(entry.audiences)),
        formats=tuple(dict.fromkeys(entry.formats)), langs=tuple(dict.fromkeys(entry.langs)),
        templates=entry.templates or templates, schedule=entry.schedule, before_events=before_events,
        line=place.line(), deliver=deliver,
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
    for name in doc.data:
        if name not in ("jobs", "executor"):
            problems.add(display, doc.line(name), str(name), "unknown key; the file holds `jobs:` and `executor:`")
    executor = doc.data.get("executor", LOCAL)
    if not isinstance(executor, str):
        problems.add(display, doc.line("executor"), "executor", "must be `local` or `dask://HOST:PORT`")
    else:
        try:
            check_executor(executor, display, doc.line("executor"))
        except ReportsError as error:
            problems.problems += error.problems
    place = Place(doc, display, problems)
    jobs = [job for index, data in enumerate(doc.data["jobs"]) if (job := _job(data, place.at("jobs", index), path.parent))]
    seen: dict[str, int] = {}
    for index, data in enumerate(doc.data["jobs"]):
        name = data.get("name") if isinstance(data, dict) else None
        if isinstance(name, str) and name in seen:
            place.add(("jobs", index, "name"), f"'{name}' is also the name of jobs[{seen[name]}]")
        elif isinstance(name, str):
            seen[name] = index
    problems.problems.sort(key=lambda problem: problem.line or 0)
    problems.raise_if_any(JobsError)
    return JobsFile(jobs, executor, doc.line("executor"))
