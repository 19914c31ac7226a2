"""Text taken from data: control characters removed, and invisible characters that change how text around them
reads (nothing else changes), and shortened where a summary needs it."""

from __future__ import annotations

import re

NBSP = "\u00a0"  # the no-break space: a figure kept with its unit, `at least` kept on one line, merged citation marks
# Invisible characters that reorder or hide text: the bidirectional embeddings, overrides, isolates and marks
# (U+202E shows "gpj.exe" as "exe.jpg"), the zero-width space, the word joiner and invisible operators, a byte
# order mark inside the text. Removed from every text of a dossier. Kept: the zero-width (non-)joiners, which
# shape letters in some scripts, and the soft hyphen, a hyphenation hint. Also removed: the three private-use code
# points that mark a text's language in a briefing (reports/dossier/languages.py).
INVISIBLE = "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ue000-\ue002"
# C0 and C1 control characters, DEL, code points XML cannot hold, and the invisible ones. Tabs and newlines are
# kept only where the field may span lines (Markdown bodies).
_CONTROL_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff{INVISIBLE}]")
_CONTROL_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff{INVISIBLE}]")


def clean_text(value: str, multiline: bool = False) -> str:
    """Remove control and invisible characters so that every output format can hold the text as written, and
    shows it as it reads."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        return _CONTROL_MULTILINE.sub("", value)
    return _CONTROL_ONE_LINE.sub("", value.replace("\n", " ").replace("\t", " ")).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def first_sentence(text: str) -> str:
    """The first sentence (up to a `.`, `!` or `?` followed by a capital), for a short note: the rest is detail."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
