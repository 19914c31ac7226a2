"""Characters a reader cannot see: an escape sequence in a bad cell reaches the terminal (and the mail cron sends)
written out, never acted on; bidirectional controls and invisible characters (U+202E, U+2066, U+200B, U+FEFF) are
removed from every text of a dossier, so a briefing reads as its words do (docs/security.md)."""

from __future__ import annotations

from pathlib import Path

from support.cli import run_in_process
from support.dossier import DossierCopy

ESCAPES = "\x1b]0;PWNED\x07\x1b[31m"
INVISIBLE = ("\u202e", "\u2066", "\u2069", "\u200b", "\ufeff")


def test_an_escape_sequence_in_a_bad_cell_is_shown_escaped(dossier: DossierCopy):
    dossier.set_cell("trade.csv", 3, "exports", ESCAPES + "60")
    result = run_in_process("validate", "--dossier", str(dossier.path))
    assert result.code == 2, result.describe()
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert f"{dossier.path / 'trade.csv'}:3: exports: '\\x1b]0;PWNED\\x07\\x1b[31m60' is not a number" in result.err, result.err


def test_bidirectional_and_invisible_characters_in_a_message_are_shown_escaped(dossier: DossierCopy):
    dossier.set_cell("trade.csv", 3, "exports", "6\u202e0\u200b")
    result = run_in_process("validate", "--dossier", str(dossier.path))
    assert result.code == 2, result.describe()
    assert "'6\\u202e0\\u200b' is not a number" in result.err, result.err
    assert not any(character in result.err for character in INVISIBLE)


def test_bidirectional_and_invisible_characters_are_removed_from_the_briefing(dossier: DossierCopy, tmp_path: Path):
    dossier.replace("areas/trade.md", "summary: Trade grows.", "summary: Trade \u202egrows\u202c \u2066fast\u2069.")
    dossier.replace("areas/trade.md", "- exports rose", "- exports\u200b rose\ufeff")
    dossier.replace("dossier.yaml", "name: Southland}", "name: \u202eSouthland}")
    out = tmp_path / "out"
    result = run_in_process(
        "build", "--dossier", str(dossier.path), "--as-of", "2025-06-30", "--out", str(out), "--format", "html",
        "--audience", "ministry",
    )  # fmt: skip
    assert result.code == 0, result.describe()
    html = (out / "north-south" / "ministry.en.html").read_text(encoding="utf-8")
    assert not any(character in html for character in INVISIBLE + ("\u202c",))
    assert "Trade grows fast." in html and "exports rose" in html and "Southland" in html
