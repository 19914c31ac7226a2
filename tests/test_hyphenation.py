"""No word is hyphenated in the PDF, in English or in Russian: a name from the dossier (a person's, a place's) is
never broken across lines (briefing.css `hyphens: manual`), and words written with a hyphen are read as written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.briefing import make_briefing
from support.read import pdf_text, squash

from reports.briefing.model import Paragraph, Section, Span
from reports.renderers.pdf import PdfRenderer
from reports.template_folders import BUILTIN_TEMPLATES

# long names and words, so that lines end next to them; compounds written with a hyphen, which must stay as written
TEXTS = {
    "en": ("Intergovernmental commission Mirziyoyev Kassym-Jomart Tokayev Saryagash Uchkuduk Kazakh-Uzbek cross-border " * 12),
    "ru": ("Межправительственная комиссия Мирзиёев Касым-Жомарт Токаев Сарыагаш Учкудук казахстанско-узбекской " * 12),
}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_no_word_or_name_is_hyphenated_at_a_line_end(tmp_path: Path, lang: str) -> None:
    text = TEXTS[lang].strip()
    section = Section("s", "Cooperation", 1, (Paragraph((Span(text),)),))
    briefing = make_briefing({"subtitle": "", "marking": "", "sources": (), "sections": (section,), "lang": lang})
    path = tmp_path / "note.pdf"
    path.write_bytes(PdfRenderer([BUILTIN_TEMPLATES]).render(briefing))
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert "\u2010" not in raw  # the typesetter broke no word with its own hyphen
    assert raw.count("\n") > 10  # the paragraph did run over many lines
    assert squash(text) in squash(pdf_text(path))  # every name whole, the written hyphens kept
