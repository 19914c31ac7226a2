"""English text is hyphenated at line ends in the PDF, and the tests' PDF reader joins those words again while
keeping every hyphen that is in the text itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support.briefing import make_briefing
from support.read import pdf_text, squash

from reports.briefing.model import Paragraph, Section, Span
from reports.renderers.pdf import PdfRenderer
from reports.template_folders import BUILTIN_TEMPLATES

# long words, so that some line ends inside one; compounds written with a hyphen, which must be read back as written
TEXT = ("Intergovernmental commission institutionalisation characteristically Kazakh-Uzbek cross-border " * 12).strip()


def test_english_words_are_hyphenated_and_read_back_whole(tmp_path: Path) -> None:
    section = Section("s", "Cooperation", 1, (Paragraph((Span(TEXT),)),))
    briefing = make_briefing({"subtitle": "", "marking": "", "sources": (), "sections": (section,)})
    path = tmp_path / "note.pdf"
    path.write_bytes(PdfRenderer([BUILTIN_TEMPLATES]).render(briefing))
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()
    assert "\u2010\n" in raw  # the typesetter broke a word with its own hyphen
    assert "\u2010" not in pdf_text(path)
    assert squash(TEXT) in squash(pdf_text(path))  # words whole again, the written hyphens kept
