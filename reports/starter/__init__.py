"""Starting points: `reports init DIR` writes a new dossier, `reports templates copy NAME` a built-in template.

The new dossier is the folder `dossier/` beside this file, each file's `${name}` placeholders filled in: the
partners' codes and names (from the Unicode CLDR data Babel ships, English and Russian), and dates in the last
full year, so that a briefing as of today shows every example. It holds one example
row per file and validates and builds as written, so a newcomer's first build works before any data is theirs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from pathlib import Path
from string import Template

from reports.errors import Problem, ReportsError
from reports.files import write_atomically
from reports.template_folders import BUILTIN_TEMPLATES, ORGANIZATION_TEMPLATES

STARTER_DOSSIER = Path(__file__).resolve().parent / "dossier"
DEFAULT_PARTNERS = ("AAA", "BBB")  # codes that no country has: a dossier to fill in
ALPHA3 = re.compile(r"[A-Z]{3}")


def _country_names(code: str) -> tuple[str, str | None]:
    """The country's English and Russian names, or the code itself when the code is not a country's."""
    from babel import Locale
    from babel.core import get_global

    alpha2 = (get_global("territory_aliases").get(code) or [None])[0]
    english = Locale("en").territories.get(alpha2) if alpha2 else None
    return (english, Locale("ru").territories.get(alpha2)) if english else (code, None)


def starter_files(folder: Path, partners: tuple[str, str], reporter: str) -> dict[Path, bytes]:
    """Every file of the new dossier, by path, its placeholders filled in."""
    partner = partners[1] if reporter == partners[0] else partners[0]
    (reporter_name, reporter_ru), (partner_name, partner_ru) = _country_names(reporter), _country_names(partner)
    year = dt.date.today().year - 1  # the last full year: the example row counts in a briefing as of today
    values = {
        "year": str(year),
        "target_year": str(year + 5),
        "folder": str(folder),
        "id": "-".join(code.lower() for code in partners),
        "title": f"{_country_names(partners[0])[0]}–{_country_names(partners[1])[0]} relations",
        "reporter": reporter,
        "partner": partner,
        "reporter_name": reporter_name,
        "partner_name": partner_name,
        "reporter_name_ru": f", name_ru: {reporter_ru}" if reporter_ru else "",
        "partner_name_ru": f", name_ru: {partner_ru}" if partner_ru else "",
    }
    return {
        folder / path.relative_to(STARTER_DOSSIER): Template(path.read_text(encoding="utf-8")).substitute(values).encode()
        for path in sorted(STARTER_DOSSIER.rglob("*"))
        if path.is_file()
    }


def _partner_codes(text: str) -> tuple[str, str]:
    codes = tuple(code.strip().upper() for code in text.split(","))
    if len(codes) != 2 or codes[0] == codes[1] or not all(ALPHA3.fullmatch(code) for code in codes):
        raise argparse.ArgumentTypeError(f"'{text}' is not two different ISO 3166-1 alpha-3 codes, e.g. ARM,GEO")
    return codes[0], codes[1]


def command_init(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "is not a folder" if not folder.is_dir() else "is not empty; init writes only into a new or empty folder"
        raise ReportsError(Problem(str(folder), None, "folder", what))
    reporter = (args.reporter or args.partners[0]).upper()
    if reporter not in args.partners:
        message = f"'{reporter}' is not one of --partners {','.join(args.partners)}"
        raise ReportsError(Problem("reports", None, "reporter", message))
    written = write_atomically(starter_files(folder, args.partners, reporter))
    for path in written:
        print(path)
    program = sys.argv[0] if Path(sys.argv[0]).name == "reports" else "reports"  # as typed: `.venv/bin/reports`
    print(f"next: {program} validate --dossier {folder}, then {program} build --dossier {folder}")
    return 0


def copyable_templates() -> dict[str, Path]:
    """What `templates copy` can copy, by name: each built-in template file, and each audience by its name."""
    files = {path.name: path for path in sorted(BUILTIN_TEMPLATES.glob("*")) if path.is_file()}
    audiences = {path.stem: path for path in sorted((BUILTIN_TEMPLATES / "audiences").glob("*.yaml"))}
    return files | audiences


def command_templates_copy(args: argparse.Namespace) -> int:
    known = copyable_templates()
    if args.name not in known:
        raise ReportsError(Problem("reports", None, "name", f"no built-in template '{args.name}'; known: {', '.join(known)}"))
    source = known[args.name]
    target = args.to / source.relative_to(BUILTIN_TEMPLATES)
    if target.exists():
        raise ReportsError(Problem(str(target), None, "templates", "exists already; edit it, or remove it to copy afresh"))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    print(target)
    return 0


def add_starter_commands(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser("init", help="start a new dossier: every file commented, one example row each")
    init.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    init.add_argument(
        "--partners", type=_partner_codes, default=DEFAULT_PARTNERS, metavar="AAA,BBB",
        help="the two partners' ISO 3166-1 alpha-3 codes (default: AAA,BBB, to fill in)",
    )  # fmt: skip
    init.add_argument("--reporter", metavar="AAA", help="the partner whose statistics trade.csv holds (default: the first)")
    init.set_defaults(run=command_init)

    templates = commands.add_parser("templates", help="copy a built-in template or audience into templates/ to change it")
    actions = templates.add_subparsers(dest="templates_action", metavar="{copy}", required=True, parser_class=type(templates))
    copy = actions.add_parser("copy", help="copy a built-in template (e.g. briefing.css) or audience (e.g. press)")
    copy.add_argument("name", metavar="NAME", help=f"one of: {', '.join(copyable_templates())}")
    copy.add_argument(
        "--to", type=Path, default=ORGANIZATION_TEMPLATES, metavar="DIR", help="the templates folder (default: %(default)s)"
    )
    copy.set_defaults(run=command_templates_copy)
