"""The reference tables of the docs are the schemas' (tools/docs_tables.py): a key added to a schema and not to the
docs, or a rule edited in the docs alone, fails here."""

import importlib.util
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("docs_tables", ROOT / "tools" / "docs_tables.py")
docs_tables = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(docs_tables)


def test_the_docs_tables_are_the_schemas():
    assert docs_tables.stale() == [], "run `make docs-tables`"


def test_a_table_edited_by_hand_is_stale(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    page = docs / "dossier-format.md"
    text = page.read_text(encoding="utf-8")
    row = "| `base_year` | year | required: the year growth is measured from |"
    assert row in text
    page.write_text(text.replace(row, "| `base_year` | year | optional |"), encoding="utf-8")
    assert docs_tables.stale(docs) == ["dossier-format.md"]


def test_a_schema_key_missing_from_the_docs_is_stale(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    page = docs / "dossier-format.md"
    text = page.read_text(encoding="utf-8")
    row = "| `public_qa` | `true` or `false` |"
    assert row in text
    page.write_text("\n".join(line for line in text.split("\n") if not line.startswith(row)), encoding="utf-8")
    assert docs_tables.stale(docs) == ["dossier-format.md"]
