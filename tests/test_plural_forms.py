"""A house catalog's plural rule is code run for every count a briefing says ("757 days"): a rule that fails for
some count is refused when it fails for any likely one, and is never the end of a build for any other."""

from __future__ import annotations

from pathlib import Path

from support.cli import run_in_process
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
