"""`reports changes`: what the dossier holds on `--as-of` that it did not hold on `--since`, as sentences in one
language or as JSON (the same list the "Since <date>" section of a briefing shows)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable

from reports.errors import Problem, ReportsError


def check_since(since: dt.date | None, as_of: dt.date) -> None:
    """`--since` must come before the as-of date: a change is what was learnt between the two."""
    if since is not None and since >= as_of:
        raise ReportsError(Problem("reports", None, "--since", f"{since} is not before the as-of date {as_of}"))


def command_changes(args: argparse.Namespace) -> int:
    from reports.briefing.changes import change_lines, changes, to_contract_json
    from reports.briefing.context import localized
    from reports.briefing.words import Words
    from reports.dossier.languages import plain
    from reports.dossier.load import load_dossier
    from reports.indicators import compute_indicators
    from reports.locale.labels import load_translations
    from reports.template_folders import template_folders

    as_of = args.as_of or dt.date.today()
    check_since(args.since, as_of)
    dossier = load_dossier(args.dossier)
    if args.json:
        print(json.dumps(to_contract_json(changes(dossier, args.since, as_of)), ensure_ascii=False, indent=2))
        return 0
    shown = localized(dossier, args.lang)
    w = Words(shown, args.lang, load_translations(args.lang, template_folders(None)))
    found = changes(shown, args.since, as_of)
    print(w._("Since {date}", date=w.date(args.since)) + " – " + w._("As of {date}", date=w.date(as_of)))
    if not found:
        print(w._("Nothing new since {date}.", date=w.date(args.since)))
    names = {p.target.id: w.target_name(p) for p in compute_indicators(dossier, as_of).targets}
    for heading, lines in change_lines(found, w, names).groups(w):
        print(f"\n{heading}")
        for line in lines:
            print(f"- {plain(line)}")  # a text that fell back to another language, without its language marks
    return 0


def add_changes_command(
    commands: argparse._SubParsersAction,
    dossier_option: Callable[[argparse.ArgumentParser], None],
    date_type: Callable[[str], dt.date],
) -> None:
    """The `changes` subcommand, with the `--dossier` option and the date type every command shares."""
    sub = commands.add_parser("changes", help="what the dossier learnt between two dates (docs/user-guide.md)")
    dossier_option(sub)
    sub.add_argument("--since", type=date_type, required=True, help="YYYY-MM-DD: the earlier date")
    sub.add_argument("--as-of", type=date_type, help="YYYY-MM-DD: the later date (default: today)")
    sub.add_argument("--json", action="store_true", help="print the changes as JSON (ids, for scripts)")
    sub.add_argument("--lang", default="en", help="language of the sentences (default: %(default)s)")
    sub.set_defaults(run=command_changes)
