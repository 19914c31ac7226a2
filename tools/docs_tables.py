"""The reference tables of the docs, written from the schemas of the YAML inputs so that docs and code cannot drift.

Each table sits in a docs page between `<!-- table: NAME -->` and `<!-- /table -->`; TABLES says which record
each NAME shows. `python tools/docs_tables.py` (`make docs-tables`) rewrites them; `--check` only says which
are stale (exit 1), as tests/test_docs_tables.py does.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from reports.dossier.areas import AreaFront
from reports.dossier.briefs import BriefFront
from reports.dossier.identity import DossierFile
from reports.dossier.schema import Record, reference_table
from reports.scheduler.jobs import JobEntry

DOCS = Path(__file__).resolve().parent.parent / "docs"
KINDS = ("key", "type", "rule")
DEFAULTS = ("key", "default", "")  # a job's keys: the title of each is its default
TABLES: dict[str, tuple[str, type[Record], tuple[str, str, str]]] = {
    "dossier.yaml": ("dossier-format.md", DossierFile, KINDS),
    "area": ("dossier-format.md", AreaFront, KINDS),
    "brief": ("dossier-format.md", BriefFront, KINDS),
    "job": ("scheduling.md", JobEntry, DEFAULTS),
}
_TABLE = re.compile(r"(<!-- table: (?P<name>[^>]+?) -->\n)(?P<table>.*?)(<!-- /table -->)", re.DOTALL)


def written(page: str, text: str) -> str:
    """`text` (a docs page) with each of its tables as the schema says."""

    def table(match: re.Match[str]) -> str:
        name = match.group("name")
        found = TABLES.get(name)
        if found is None or found[0] != page:
            raise SystemExit(f"docs/{page}: no table '{name}' in tools/docs_tables.py")
        return match.group(1) + reference_table(found[1], found[2]) + match.group(4)

    return _TABLE.sub(table, text)


def stale(docs: Path = DOCS) -> list[str]:
    """The pages whose tables differ from the schemas'; every table of TABLES must be in its page."""
    texts = {page: (docs / page).read_text(encoding="utf-8") for page in sorted({page for page, _, _ in TABLES.values()})}
    found = {match.group("name") for text in texts.values() for match in _TABLE.finditer(text)}
    if missing := sorted(set(TABLES) - found):
        raise SystemExit(f"tables missing from the docs: {', '.join(missing)}")
    return [page for page, text in texts.items() if written(page, text) != text]


def main(arguments: list[str]) -> int:
    pages = stale()
    if "--check" in arguments:
        for page in pages:
            print(f"docs/{page}: a reference table differs from the schema; run `make docs-tables`", file=sys.stderr)
        return 1 if pages else 0
    for page in pages:
        path = DOCS / page
        path.write_text(written(page, path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"docs/{page}: tables rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
