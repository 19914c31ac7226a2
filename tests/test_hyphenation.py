"""Line breaking in the PDF: no word is hyphenated, in English or in Russian, so a name from the dossier (a
person's, a place's) is never broken across lines (briefing.css `hyphens: manual`) and words written with a hyphen
are read as written; a word wider than the page breaks instead of running off it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.briefing import make_briefing
from support.cli import build_args, run_in_process
from support.dossier import DossierCopy
from support.paths import VALID_ID
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


@pytest.mark.slow
def test_a_word_wider_than_the_page_breaks_instead_of_running_off_it(dossier: DossierCopy, tmp_path: Path):
    import pdfplumber

    word = "W" + "x" * 3000 + "END"
    dossier.write("areas/trade.md", dossier.read("areas/trade.md") + f"\n{word}\n")
    out = tmp_path / "out"
    result = run_in_process(*build_args(dossier.path, out, "--audience", "ministry", "--format", "pdf", "--lang", "en"))
    assert result.code == 0, result.describe()
    with pdfplumber.open(out / VALID_ID / "ministry.en.pdf") as pdf:
        outside = [char["text"] for page in pdf.pages for char in page.chars if char["x1"] > page.width + 0.5]
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert not outside, f"{len(outside)} characters run off the page"
    assert "END" in text and text.count("x") >= 3000
