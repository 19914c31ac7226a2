"""What a dossier lacks in a language (`reports validate --lang ru`): each text a briefing in that language shows in
English because the dossier has no translation of it.

The translatable texts are those of docs/dossier-format.md §1 ("Text in other languages"): every free-text field of
TRANSLATABLE that is not empty, whose `<field>_<lang>` is missing or empty, listed with its file, line and field;
every area without its `areas/<id>.<lang>.md` (or with an empty body where the English has one); every pack note
`briefs/<event id>.md` without its `briefs/<event id>.<lang>.md`. A source's title and publisher are not listed:
a bibliography names a source as it was published (a `title_<lang>` is used where given). A missing translation is
not invalid data: the briefing is built with the text of the language's fallback chain (Kazakh and Uzbek: Russian,
reports/dossier/languages.py) or the English text, and each line says which; `validate` lists them and exits 0.
"""

from __future__ import annotations

from pathlib import Path

from reports.dossier.model import Dossier
from reports.dossier.readers import load_yaml, read_csv, read_text
from reports.dossier.vocabulary import (
    AREA_FILE,
    COMMITMENT_COLUMNS,
    EVENT_COLUMNS,
    PARTIAL_YEAR_COLUMNS,
    PEOPLE_COLUMNS,
    TRADE_COLUMNS,
    TRANSLATABLE,
)
from reports.errors import Problem, ProblemCollector

# Each CSV file: its required columns, the kind of its records (TRANSLATABLE), what a record is called, and the
# columns that name it in a message.
CSV_FILES = (
    ("trade.csv", TRADE_COLUMNS, "trade", "trade row", ("year",)),
    ("trade_mirror.csv", TRADE_COLUMNS, "trade", "mirror trade row", ("year",)),
    ("trade_ytd.csv", PARTIAL_YEAR_COLUMNS, "trade", "partial-year row", ("year", "months")),
    ("events.csv", EVENT_COLUMNS, "event", "event", ("id",)),
    ("people.csv", PEOPLE_COLUMNS, "person", "person", ("id",)),
    ("commitments.csv", COMMITMENT_COLUMNS, "commitment", "commitment", ("id",)),
)
# Lists of dossier.yaml: the kind of its items and the key that names one (sources keep their original language).
YAML_LISTS = (("partners", "partner", "name"), ("targets", "target", "id"))


def missing_translations(dossier: Dossier, lang: str) -> list[Problem]:
    """Each missing text as `path:line: field: missing ...`, in the order of the files (dossier.yaml, the CSV files,
    areas, briefs) and of the lines in each."""
    folder = dossier.path
    chain = dossier.languages.chain(lang)
    problems = _missing_in_yaml(folder / "dossier.yaml", lang, chain)
    for name, columns, kind, what, naming in CSV_FILES:
        problems += _missing_in_csv(folder / name, columns, kind, what, naming, lang, chain)
    for area in sorted(dossier.areas, key=lambda a: a.id):
        path = folder / "areas" / f"{area.id}.{lang}.md"
        text = area.translations.get(lang)
        used = language_name(next((other for other in chain if other in area.translations), None))
        if text is None:
            problems.append(Problem(str(path), None, "file", f"missing; area '{area.id}' is shown in {used}"))
        elif area.body.strip() and not text.body.strip():
            body = next((other for other in chain if other in area.translations and area.translations[other].body.strip()), None)
            said = f"missing; the {language_name(body)} body of area '{area.id}' is used"
            problems.append(Problem(str(path), None, "body", said))
    briefs = folder / "briefs"
    for path in sorted(briefs.iterdir()) if briefs.is_dir() else ():
        if (match := AREA_FILE.match(path.name)) and not (briefs / f"{match.group(1)}.{lang}.md").exists():
            translation = briefs / f"{match.group(1)}.{lang}.md"
            given = next((other for other in chain if (briefs / f"{match.group(1)}.{other}.md").exists()), None)
            problems.append(Problem(str(translation), None, "file", f"missing; the {language_name(given)} brief is used"))
    return problems


def language_name(lang: str | None) -> str:
    """`Russian` for `ru`; English (the original) for None."""
    from babel import Locale

    return (Locale.parse(lang).english_name or lang) if lang else "English"


def _missing(
    display: str, line: int | None, field: str, lang: str, what: str, instead: str = "", used: str | None = None
) -> Problem:
    """`instead`: what the briefing shows in place of the text, where it is not the text of `used` (a language of the
    fallback chain that has it, None: the English original)."""
    name = field.rsplit(".", 1)[-1]
    said = instead or f"the {language_name(used)} {name} of {what} is used"
    return Problem(display, line, f"{field}_{lang}", "missing; " + said)


def _missing_in_yaml(path: Path, lang: str, chain: tuple[str, ...]) -> list[Problem]:
    """dossier.yaml: its title, the partners' names, the targets' descriptions."""
    display, collector = str(path), ProblemCollector()
    text = read_text(path, display, collector)
    doc = load_yaml(text, display, collector) if text is not None else None
    if doc is None or not isinstance(doc.data, dict):
        return []
    found = []
    if doc.data.get("title") and not doc.data.get(f"title_{lang}"):
        made = "the briefing's title is made from the partners' names"
        found.append(_missing(display, doc.line("title"), "title", lang, "the dossier", made))
    for key, kind, naming in YAML_LISTS:
        for index, item in enumerate(doc.data.get(key) or []):
            for field in TRANSLATABLE[kind]:
                if item.get(field) and not item.get(f"{field}_{lang}"):
                    what = f"{kind} '{item.get(naming)}'"
                    instead = "the target is stated in the catalog's words" if kind == "target" else ""
                    label = f"{key}[{index}].{field}"
                    used = next((other for other in chain if item.get(f"{field}_{other}")), None)
                    found.append(_missing(display, doc.line(key, index, field), label, lang, what, instead, used))
    return found


def _missing_in_csv(
    path: Path, columns: list[str], kind: str, what: str, naming: tuple[str, ...], lang: str, chain: tuple[str, ...]
) -> list[Problem]:
    """One CSV file: each row's non-empty free-text cell without its `<field>_<lang>`, on the row's line."""
    if not path.exists():
        return []
    display, collector = str(path), ProblemCollector()
    text = read_text(path, display, collector)
    table = read_csv(text, display, columns, [], collector) if text is not None else None  # valid: read, so no problem
    found = []
    for row in table.rows if table is not None else ():
        name = ", months ".join(row.cells.get(column, "").strip() for column in naming)
        for field in TRANSLATABLE[kind]:
            if row.cells.get(field, "").strip() and not row.cells.get(f"{field}_{lang}", "").strip():
                used = next((other for other in chain if row.cells.get(f"{field}_{other}", "").strip()), None)
                found.append(_missing(display, row.line, field, lang, f"{what} '{name}'", used=used))
    return found
