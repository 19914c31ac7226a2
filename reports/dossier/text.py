"""Text taken from data: control characters removed (nothing else changes), and shortened where a summary needs it."""

from __future__ import annotations

import re

# C0 and C1 control characters, DEL, code points XML cannot hold, and the three private-use code points that mark a
# text's language in a briefing (reports/dossier/languages.py). Tabs and newlines are kept only where the field may
# span lines (Markdown bodies).
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ue000-\ue002\ufffe\uffff\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\ue002\ufffe\uffff\ud800-\udfff]")


def clean_text(value: str, multiline: bool = False) -> str:
    """Remove control characters so that every output format can hold the text as written."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        return _CONTROL_MULTILINE.sub("", value)
    return _CONTROL_ONE_LINE.sub("", value.replace("\n", " ").replace("\t", " ")).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def first_sentence(text: str) -> str:
    """The first sentence (up to a `.`, `!` or `?` followed by a capital), for a short note: the rest is detail."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
