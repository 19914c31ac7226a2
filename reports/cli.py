"""The `reports` command: parses arguments, runs one command, turns input problems into exit status 2."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import functools
import gc
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import NoReturn

from reports import __version__
from reports.changes_command import add_changes_command, check_since
from reports.dossier.dates import parse_as_of
from reports.errors import Problem, ReportsError, printable
from reports.files import WriteError
from reports.isolation import DEFAULT_MEMORY_MB, DEFAULT_SECONDS, Limits, render_process
from reports.progress import DocumentProgress
from reports.template_folders import organization_templates

DEFAULT_DOSSIER = Path("data/kz-uz")
SERVE_LIBRARIES = ("watchfiles", "starlette", "uvicorn")  # the `serve` extra of pyproject.toml
TABLE_FORMATS = ("csv", "xlsx")  # what `indicators --format` writes (reports/indicators_export.py), known before pandas loads


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports a bad argument as a ReportsError (exit 2, `reports: field: what`), suggesting the
    nearest command or option for a mistyped one."""

    def error(self, message: str) -> NoReturn:
        if (choice := re.match(r"argument \w+: invalid choice: '([^']*)' \(choose from (.*)\)", message)) is not None:
            message = f"unknown command '{choice[1]}'" + _did_you_mean(choice[1], re.findall(r"'?([\w-]+)'?", choice[2]))
        raise ReportsError([Problem(self.prog, None, "arguments", message)])

    def parse_known_args(self, args=None, namespace=None):  # typeshed's three overloads, one body
        """An option this command does not know is an error here, where the command's own options are known."""
        parsed, extras = super().parse_known_args(args, namespace)
        for extra in extras:
            if extra.startswith("-"):
                option = extra.split("=", 1)[0]
                self.error(f"unknown option {option}" + _did_you_mean(option, list(self._option_string_actions)))
        return parsed, extras


class _CommandList(argparse.HelpFormatter):
    """The help of bare `reports`: each command and what it does on one line."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=24, width=110)
        self._action_max_length = 22  # argparse's own measure leaves the longer command names on a line of their own


def _did_you_mean(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def _as_of(text: str) -> dt.date:
    try:
        return parse_as_of(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def command_validate(args: argparse.Namespace) -> int:
    from reports.dossier.load import load_dossier
    from reports.dossier.missing_translations import missing_translations
    from reports.dossier.vocabulary import LANGUAGES
    from reports.locale.labels import SOURCE_LANGUAGE

    langs = [lang for lang in dict.fromkeys(args.lang or ()) if lang != SOURCE_LANGUAGE]
    for lang in langs:
        if lang not in LANGUAGES:
            message = f"a dossier has no texts in '{lang}'; it may be translated into: {', '.join(LANGUAGES)}"
            raise ReportsError(Problem("reports", None, "lang", message))
    dossier = load_dossier(args.dossier)
    print(
        f"{args.dossier}: valid: {len(dossier.trade)} years of trade, {len(dossier.events)} events, "
        f"{len(dossier.areas)} areas, {len(dossier.commitments)} commitments, {len(dossier.sources)} sources"
    )
    for lang in langs:  # a missing translation is not invalid data: listed, and the exit status stays 0
        missing = missing_translations(dossier, lang)
        for problem in missing:
            print(problem)
        print(f"{args.dossier}: {lang}: " + (f"{len(missing)} texts not translated" if missing else "every text translated"))
    return 0


def command_indicators(args: argparse.Namespace) -> int:
    from reports.dossier.load import load_dossier
    from reports.indicators import compute_indicators, to_contract_json
    from reports.indicators_table import indicators_table

    table_format = _indicators_format(args)
    dossier = load_dossier(args.dossier)
    indicators = compute_indicators(dossier, args.as_of or dt.date.today())
    if table_format:
        from reports.indicators_export import export_indicators

        for path in export_indicators(indicators, table_format, args.out):
            print(path)
    elif args.json:
        print(json.dumps(to_contract_json(indicators), ensure_ascii=False, indent=2))
    else:
        print(indicators_table(indicators))
    return 0


def _indicators_format(args: argparse.Namespace) -> str | None:
    """The file format `indicators` writes (`--format`, else the suffix of `--out`), None to print; an option that
    would be ignored is an error."""
    if args.json and (args.format or args.out):
        raise ReportsError(Problem("reports", None, "json", "--json prints to the terminal; it cannot go with --format or --out"))
    if args.out is None:
        if args.format:
            raise ReportsError(Problem("reports", None, "out", f"--format {args.format} needs --out FILE"))
        return None
    if args.format:
        return args.format
    suffix = args.out.suffix.lower().lstrip(".")
    if suffix not in TABLE_FORMATS:
        files = " or ".join(f".{name}" for name in TABLE_FORMATS)
        raise ReportsError(Problem(str(args.out), None, "out", f"name a {files} file, or add --format {'|'.join(TABLE_FORMATS)}"))
    return suffix


def _build_request(args: argparse.Namespace):
    from reports.engine import BuildRequest
    from reports.locale.labels import DEFAULT_LANGS
    from reports.renderers import DEFAULT_FORMATS

    if args.out.exists() and not args.out.is_dir():
        raise ReportsError(Problem(str(args.out), None, "--out", "is not a folder; give a folder to write the briefings in"))
    as_of = args.as_of or dt.date.today()
    check_since(args.since, as_of)
    return BuildRequest(
        dossier=args.dossier,
        out=args.out,
        as_of=as_of,
        since=args.since,
        audiences=tuple(args.audience or ()),
        formats=tuple(args.format or DEFAULT_FORMATS),
        langs=tuple(args.lang or DEFAULT_LANGS),
        templates=organization_templates(args.templates),
        limits=Limits(args.memory_limit, args.time_limit),
    )


def command_build(args: argparse.Namespace) -> int:
    from reports.renderers import DEFAULT_FORMATS, warm_up

    # the renderers' libraries are imported and warmed up in the render process while this one loads the engine,
    # the dossier and pandas: on two cores, at the same time (reports/isolation.py)
    with render_process(functools.partial(warm_up, tuple(args.format or DEFAULT_FORMATS))):
        return _build(args)


def _build(args: argparse.Namespace) -> int:
    from reports.engine import brief, build

    progress = DocumentProgress(show=not args.quiet and (args.verbose or sys.stderr.isatty()))
    started = time.perf_counter()
    request = _build_request(args)
    paths = brief(request, args.event, progress) if args.command == "brief" else build(request, progress)
    if not args.quiet:
        for path in paths:
            print(path)
        if progress.show:
            print(progress.summary(paths, time.perf_counter() - started), file=sys.stderr)
    return 0


def command_audiences(args: argparse.Namespace) -> int:
    from reports.briefing.audiences import load_audiences
    from reports.template_folders import BUILTIN_TEMPLATES, template_folders

    for audience in load_audiences(template_folders(organization_templates(args.templates))).values():
        origin = "built-in" if audience.origin.is_relative_to(BUILTIN_TEMPLATES) else str(audience.origin)
        print(f"{audience.name} ({origin})")
        print(f"  {audience.description}")
        print(
            f"  marking: {audience.marking}; depth: {audience.depth}; restricted material: "
            f"{'yes' if audience.include_restricted else 'no'}"
            + (f"; at most {audience.max_pages} pages" if audience.max_pages else "")
        )
        print(f"  sections: {', '.join(audience.sections)}")
    return 0


def command_import(args: argparse.Namespace) -> int:
    from reports.dossier.imports.apply import apply_import, changes_table, plan_import, product_lines

    plan = plan_import(args.import_format, args.files, args.dossier, args.today or dt.date.today())
    for warning in plan.warnings:
        print(warning, file=sys.stderr)
    if not plan.changes and not plan.product_changes:
        reason = "the dossier already holds these figures" if plan.unchanged else "no year in the files has both flows"
        print(f"{args.dossier}: nothing to change: {reason}")
        return 0
    if args.dry_run:
        if plan.changes:
            print(changes_table(plan))
        for line in product_lines(plan):
            print(line)
        for source in plan.sources:
            print(f"dossier.yaml: source {source.id} would be added ({source.title})")
        print("dry run: nothing written")
        return 0
    for path in apply_import(plan):
        print(path)
    return 0


def command_run(args: argparse.Namespace) -> int:
    from reports.scheduler.due import current_time
    from reports.scheduler.run import RunOptions, run_jobs

    options = RunOptions(
        jobs_file=args.jobs, due=args.due, force=args.force, job_names=tuple(args.job or ()), workers=args.workers,
        now=current_time(args.now), lock_timeout=args.lock_timeout, quiet=args.quiet, dry_run=args.dry_run,
        executor=args.executor, connect_timeout=args.connect_timeout,
    )  # fmt: skip
    return run_jobs(options)


def command_serve(args: argparse.Namespace) -> int:
    try:
        from reports.serve.server import ServeOptions, serve
    except ModuleNotFoundError as error:
        if error.name not in SERVE_LIBRARIES:
            raise
        print(f"reports: serve: needs {error.name}, of the serve extra: pip install 'reports[serve]'", file=sys.stderr)
        return 1
    options = ServeOptions(
        dossier=args.dossier, templates=args.templates, as_of=args.as_of, audiences=tuple(args.audience or ()),
        langs=tuple(args.lang or ()), host=args.host, port=args.port,
    )  # fmt: skip
    return serve(options)


# ---------------------------------------------------------------- option values, checked here and only here

MAX_MEMORY_MB = 1024 * 1024  # --memory-limit: a TiB; more is a typo (and overflows the kernel's limit)
MAX_SECONDS = 86_400  # --time-limit, --lock-timeout, --connect-timeout: a day
MAX_WORKERS = 256  # --workers: processes at once
MAX_NAME_BYTES = 255  # one part of a path: what Linux, macOS and Windows file systems allow
MAX_PATH_BYTES = 4096
PATH_OPTIONS = {"dossier": "--dossier", "out": "--out", "templates": "--templates", "jobs": "--jobs", "files": "FILE"}


def _workers(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 18 or not 1 <= int(text) <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 1 to {MAX_WORKERS}")
    return int(text)


def _whole_number(maximum: int):
    def parse(text: str) -> int:
        if not (text.isascii() and text.isdigit()) or len(text) > 18:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number (0 or more)")
        if int(text) > maximum:
            raise argparse.ArgumentTypeError(f"{text} is more than {maximum}, the most this option takes")
        return int(text)

    return parse


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0 to 65535; 0 picks a free one)")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds from 0 to {MAX_SECONDS}")
    return value


def _check_paths(args: argparse.Namespace) -> None:
    """Every path given is one the system can name: no part over MAX_NAME_BYTES, not over MAX_PATH_BYTES in all
    (else the first look at it ends in an OSError)."""
    problems = []
    for name, option in PATH_OPTIONS.items():
        value = getattr(args, name, None)
        for path in value if isinstance(value, list) else [value] if value is not None else []:
            encoded = [os.fsencode(part) for part in path.parts]
            if any(len(part) > MAX_NAME_BYTES for part in encoded):
                problems.append(Problem(str(path)[:80] + "...", None, option, f"has a part longer than {MAX_NAME_BYTES} bytes"))
            elif len(os.fsencode(path)) > MAX_PATH_BYTES:
                problems.append(Problem(str(path)[:80] + "...", None, option, f"is longer than {MAX_PATH_BYTES} bytes"))
    if problems:
        raise ReportsError(problems)


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog="reports",
        description="Briefings on the relations between two countries.",
        formatter_class=_CommandList,
    )
    parser.add_argument("--version", action="version", version=f"reports {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands", parser_class=ArgumentParser)

    def dossier_option(sub: argparse.ArgumentParser, required: bool = False) -> None:
        if required:
            sub.add_argument("--dossier", type=Path, required=True, help="the dossier folder to write into")
        else:
            sub.add_argument("--dossier", type=Path, default=DEFAULT_DOSSIER, help="dossier folder (default: %(default)s)")

    validate = commands.add_parser("validate", help="check every file of a dossier")
    dossier_option(validate)
    validate.add_argument(
        "--lang", action="append", help="also list every text without a translation into this language, e.g. ru (exit 0)"
    )
    validate.set_defaults(run=command_validate)

    indicators = commands.add_parser("indicators", help="growth since the base year and distance to every target")
    dossier_option(indicators)
    indicators.add_argument("--as-of", type=_as_of, help="YYYY-MM-DD (default: today)")
    indicators.add_argument("--json", action="store_true", help="print the JSON described in docs/dossier-format.md §2")
    indicators.add_argument(
        "--format", choices=TABLE_FORMATS, help="write the series, targets and products as tables to --out (docs/user-guide.md)"
    )
    indicators.add_argument("--out", type=Path, help="the file --format writes")
    indicators.set_defaults(run=command_indicators)

    def briefing_options(sub: argparse.ArgumentParser, every_lang: str) -> None:
        """Which briefings: the audiences and languages, as `build`, `brief` and `serve` take them (checked against
        the templates by the build, reports/engine/plan.py and reports/locale/labels.py)."""
        sub.add_argument("--audience", action="append", help="an audience name; repeat for several (default: all)")
        sub.add_argument("--lang", action="append", help=f"a language, e.g. ru; repeat for several (default: {every_lang})")

    def build_options(sub: argparse.ArgumentParser) -> None:
        dossier_option(sub)
        briefing_options(sub, "en")
        sub.add_argument("--format", action="append", help="pdf, docx or html; repeat for several (default: pdf and docx)")
        sub.add_argument("--as-of", type=_as_of, help="YYYY-MM-DD (default: today)")
        sub.add_argument("--since", type=_as_of, help="YYYY-MM-DD: add a section on what changed since then")
        sub.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: %(default)s)")
        sub.add_argument("--templates", type=Path, help="a folder searched before the built-in templates")
        sub.add_argument(
            "--memory-limit", type=_whole_number(MAX_MEMORY_MB), default=DEFAULT_MEMORY_MB, metavar="MIB",
            help="memory each document's render may use, MiB; 0: no limit (default: %(default)s)",
        )  # fmt: skip
        sub.add_argument(
            "--time-limit", type=_whole_number(MAX_SECONDS), default=DEFAULT_SECONDS, metavar="SECONDS",
            help="time each document's render may take; 0: no limit (default: %(default)s)",
        )  # fmt: skip
        sub.add_argument("--quiet", action="store_true", help="print only problems")
        sub.add_argument("--verbose", action="store_true", help="a line per document as it finishes, also when not on a terminal")

    build = commands.add_parser("build", help="render briefings (default: every audience, pdf and docx, en)")
    build_options(build)
    build.set_defaults(run=command_build)

    brief = commands.add_parser("brief", help="the pre-summit briefing pack for one event (same options as build)")
    brief.add_argument("--event", required=True, help="the event's id in events.csv")
    build_options(brief)
    brief.set_defaults(run=command_build)

    audiences = commands.add_parser("audiences", help="list the audiences with their origin, description and sections")
    audiences.add_argument("--templates", type=Path, help="a folder searched before the built-in templates")
    audiences.set_defaults(run=command_audiences)

    imports = commands.add_parser("import", help="import trade statistics (docs/importing.md)")
    import_formats = imports.add_subparsers(
        dest="import_format", metavar="{comtrade,imf}", required=True, parser_class=ArgumentParser
    )
    for name, what in (("comtrade", "UN Comtrade+ or legacy Comtrade CSV downloads"), ("imf", "IMF DOTS/IMTS time-series CSV")):
        sub = import_formats.add_parser(name, help=f"import {what}")
        sub.add_argument("files", nargs="+", type=Path, metavar="FILE", help="downloaded CSV files")
        dossier_option(sub, required=True)
        sub.add_argument("--dry-run", action="store_true", help="print the changes as a table and write nothing")
        sub.add_argument(
            "--today", type=_as_of, metavar="DATE", help="the import date the added source carries, YYYY-MM-DD (default: today)"
        )
        sub.set_defaults(run=command_import)

    from reports.scheduler import DEFAULT_JOBS_FILE

    run = commands.add_parser("run", help="build the jobs of a jobs file, skipping what is up to date (docs/scheduling.md)")
    run.add_argument("--jobs", type=Path, default=DEFAULT_JOBS_FILE, metavar="FILE", help="the jobs file (default: %(default)s)")
    run.add_argument(
        "--due", action="store_true", help="only the jobs whose schedule or event window fell due since their last success"
    )
    run.add_argument("--force", action="store_true", help="rebuild every document, up to date or not")
    run.add_argument("--job", action="append", metavar="NAME", help="only this job; repeat for several (default: all)")
    run.add_argument(
        "--workers", type=_workers, metavar="N", help="documents built at once, one process each (default: one per core)"
    )
    run.add_argument(
        "--executor", metavar="URL", help="local (default) or dask://HOST:PORT, a Dask scheduler (wins over the jobs file's)"
    )
    run.add_argument("--now", metavar="DATETIME", help="the clock, e.g. 2025-11-10T06:00 (default: $REPORTS_NOW, else now)")
    run.add_argument(
        "--lock-timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for another run (default: %(default)g)",
    )
    run.add_argument(
        "--connect-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="with a Dask executor: how long to wait for the scheduler and for a worker (default: 10)",
    )
    run.add_argument("--quiet", action="store_true", help="print only failures")
    run.add_argument("--dry-run", action="store_true", help="say what is due and stale, build and write nothing")
    run.set_defaults(run=command_run)

    add_changes_command(commands, dossier_option, _as_of)

    serve = commands.add_parser("serve", help="the briefings in a browser, rebuilt and reloaded as you edit (docs/user-guide.md)")
    dossier_option(serve)
    briefing_options(serve, "every language of the templates")
    serve.add_argument("--templates", type=Path, help="a folder searched before the built-in templates")
    serve.add_argument("--as-of", type=_as_of, help="YYYY-MM-DD (default: today)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to serve on (default: %(default)s, this machine only)")
    serve.add_argument("--port", type=_port, default=8000, help="0 picks a free port and prints it (default: %(default)s)")
    serve.set_defaults(run=command_serve)

    from reports.starter import add_starter_commands

    add_starter_commands(commands)
    return parser


def command() -> int:
    """The `reports` process: `main()`, then everything it loaded frozen out of the garbage collector, so that the
    interpreter's exit skips a last full collection over pandas' and WeasyPrint's objects (about 0.1 s), memory
    the operating system takes back at once anyway."""
    try:
        status = main()
    except BrokenPipeError:  # `reports indicators | head`: the reader has what it wanted; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    gc.freeze()
    return status


def main(argv: list[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:  # bare `reports`: what it can do
            parser.print_help()
            return 0
        _check_paths(args)
        return args.run(args)
    except ReportsError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 2
    except WriteError as error:  # a full disk, a read-only folder: the machine, not the input
        print(printable(str(error)), file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C: what a shell expects (128 + SIGINT), and one line instead of a traceback
        print("reports: interrupted", file=sys.stderr)
        return 130
