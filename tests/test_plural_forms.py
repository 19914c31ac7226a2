"""A house catalog is code and text from outside: its plural rule runs for every count a briefing says ("757
days"), so a rule that fails for some count is refused when it fails for any likely one, and is never the end of a
build for any other; a catalog whose header or plural rule is broken is exit 2 naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import assert_no_traceback, build_args, run_in_process
from support.paths import VALID_DOSSIER

from reports.locale.labels import load_translations

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {forms}\\n"\n\n'
DAYS = 'msgid "{n} day"\nmsgid_plural "{n} days"\nmsgstr[0] "{n} jour"\nmsgstr[1] "{n} jours"\n'


def house_catalog(folder: Path, forms: str) -> Path:
    catalog = folder / "locale" / "en" / "LC_MESSAGES" / "reports.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(HEADER.format(forms=forms) + DAYS, encoding="utf-8")
    return catalog


def test_a_plural_rule_dividing_by_zero_at_757_is_refused_naming_the_header(tmp_path: Path):
    catalog = house_catalog(tmp_path / "house", "nplurals=2; plural=(n/(n-757))%2;")
    out = tmp_path / "out"
    args = ("build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(out), "--format", "html")
    result = run_in_process(*args, "--templates", str(tmp_path / "house"))
    assert result.code == 2, result.describe()
    assert "Traceback" not in result.err
    assert f"{catalog}:4: Plural-Forms: " in result.err and "ZeroDivisionError" in result.err, result.describe()
    assert not out.exists()


def test_a_count_beyond_the_checked_ones_that_breaks_the_rule_gets_the_last_form(tmp_path: Path):
    """The check cannot try every count: at 50,000 the rule divides by zero, and the message takes the last form."""
    house_catalog(tmp_path / "house", "nplurals=2; plural=(n/(n-50000))%2 == 0;")
    words = load_translations("en", [tmp_path / "house"])
    assert words.ngettext("{n} day", "{n} days", 3) == "{n} jour"  # the rule as written: (3/-49997)%2 == 0
    assert words.ngettext("{n} day", "{n} days", 50_000) == "{n} jours"
    assert words.ngettext("{n} day", "{n} days", 50_001) == "{n} jour"


CATALOG_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {forms}\\n"\n\n'


@pytest.mark.parametrize(
    ("forms", "message", "line", "field"),
    [
        ("nplurals=2; plural=(n/0);", "Key figures", 4, "Plural-Forms"),
        ("nplurals=2; plural=(n%0);", "Key figures", 4, "Plural-Forms"),
        ("nplurals=2; plural=((n != 1);", "Key figures", 4, "Plural-Forms"),
        ("nplurals=2; plural=" + "(" * 600 + "n" + ")" * 600 + ";", "Key figures", 4, "Plural-Forms"),
        ("nplurals=99999999999; plural=(n != 1);", "Key figures", 4, "Plural-Forms"),
        ("nplurals=2; plural=(n != 1);", "Key {nosuch}", 6, "msgstr"),
        ("nplurals=2; plural=(n != 1);", "Key {0}", 6, "msgstr"),
        ("nplurals=2; plural=(n != 1);", "Key %(nosuch)s", 6, "msgstr"),
        ("nplurals=2; plural=(n != 1);", "{reporter:>900000000}", 6, "msgstr"),
    ],
)
def test_a_broken_house_catalog_is_named_with_its_line(tmp_path: Path, forms: str, message: str, line: int, field: str):
    catalog = tmp_path / "house" / "locale" / "en" / "LC_MESSAGES" / "reports.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text(CATALOG_HEADER.format(forms=forms) + f'msgid "Key figures"\nmsgstr "{message}"\n', encoding="utf-8")
    result = run_in_process(
        *build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(tmp_path / "house"), "--format", "html"), seconds=30
    )
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{catalog}:{line}: {field}: " in result.err, result.describe()
