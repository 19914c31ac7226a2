"""Briefings in Kazakh (`--lang kk`, Cyrillic) and Uzbek (`--lang uz`, Latin with ʻ U+02BB): read back from the HTML,
the PDF and the Word file of data/kz-uz as a reader sees them. The language tags of each document and of each text
that fell back to Russian; the cover's notice exactly when a text fell back; the draft notice; partners' names in
their cases; every letter of both alphabets and ₸ in the fonts; figures and dates as each language writes them; no
English word of the catalogs left; `validate --lang kk` naming the language each missing text is taken from.

Every expected word is written out here (or read from the dossier's files by hand), never produced by the code."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from lxml import etree
from support.cli import Result, run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS, KZ_UZ
from support.read import docx_text, front_matter, normalize, pdf_text, read_csv

from reports.dossier.dates import FuzzyDate
from reports.locale.cases import declined
from reports.locale.formatting import format_date, format_date_range, format_money, format_months, format_percent
from reports.template_folders import BUILTIN_TEMPLATES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LANGS = ("kk", "uz")
AUDIENCES = ("leadership", "press", "ministry")
RUSSIAN = DOSSIERS / "russian"  # tests/dossiers/valid with every text in Russian, none in Kazakh or Uzbek
# What a reader sees (written out: the catalog is the code under test).
FELL_BACK = {"kk": "Кейбір мәтіндер орыс тілінде берілген.", "uz": "Ayrim matnlar rus tilida berilgan."}
DRAFT = {
    "kk": "Досье мәтіндерінің осы тілдегі аудармасы – әлі тексерілмеген жоба.",
    "uz": "Dosye matnlarining ushbu tildagi tarjimasi – hali tekshirilmagan qoralama.",
}
WORD_TAGS = {"kk": "kk-KZ", "uz": "uz-Latn-UZ", "ru": "ru-RU"}
KAZAKH_LETTERS = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
UZBEK_LETTERS = "ABDEFGHIJKLMNOPQRSTUVXYZ" + "Oʻ Gʻ Sh Ch Ng oʻ gʻ sh ch ng maʼno"


def built(folder: Path) -> list[tuple[str, str]]:
    return [(audience, lang) for audience in AUDIENCES for lang in LANGS if (folder / f"{audience}.{lang}.pdf").exists()]


def html_of(folder: Path, audience: str, lang: str) -> str:
    return (folder / f"{audience}.{lang}.html").read_text(encoding="utf-8")


def word_runs(path: Path) -> list[tuple[str | None, str]]:
    """Each run of the Word body: (its own w:lang, or None where it has the document's, its text)."""
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    runs = []
    for run in body.iter(f"{W}r"):
        lang = run.find(f"{W}rPr/{W}lang")
        runs.append((lang.get(f"{W}val") if lang is not None else None, "".join(t.text or "" for t in run.iter(f"{W}t"))))
    return runs


@functools.cache
def pdf_span_languages(path: Path) -> tuple[str, ...]:
    """The /Lang of every /Span element of the PDF's structure tree (PDF/UA: a passage in another language). Read
    once per file: the shared build's files do not change, and walking a full report's tree takes half a CPU-second."""
    found = []

    def walk(node: object) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == "/Span" and "/Lang" in node:
                found.append(str(node["/Lang"]))
            kids = node.get("/K")
            kids = kids.get_object() if kids is not None else pypdf.generic.ArrayObject()
            for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
                walk(kid)

    walk(pypdf.PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return tuple(found)


def word_default_language(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    return styles.find(f".//{W}style[@{W}styleId='Normal']/{W}rPr/{W}lang").get(f"{W}val")


def first_words(markdown_body: str, count: int = 6) -> str:
    """The first words of a Markdown body's first paragraph, without its markup."""
    paragraph = markdown_body.strip().split("\n\n")[0]
    return " ".join(re.sub(r"[*_\[\]]|\(http[^)]*\)", "", paragraph).split()[:count])


# ---------------------------------------------------------------- language tags


@pytest.mark.slow
def test_every_document_carries_its_language(kz_kk_uz: Path) -> None:
    """HTML `lang`, PDF `/Lang`, Word `w:lang` of the document's default style: Kazakh and Uzbek."""
    assert len(built(kz_kk_uz)) == len(AUDIENCES) * len(LANGS)
    for audience, lang in built(kz_kk_uz):
        assert f'<html lang="{lang}">' in html_of(kz_kk_uz, audience, lang)
        assert pypdf.PdfReader(kz_kk_uz / f"{audience}.{lang}.pdf").trailer["/Root"]["/Lang"] == lang
        assert word_default_language(kz_kk_uz / f"{audience}.{lang}.docx") == WORD_TAGS[lang]


@pytest.mark.slow
def test_a_text_that_fell_back_carries_its_own_language(kz_kk_uz: Path) -> None:
    """The area bodies have no Kazakh or Uzbek text: the full report shows the Russian body, tagged as Russian in the
    HTML (and so the PDF) and as a Russian run in Word; the Kazakh title of the same area is not tagged."""
    body = first_words((KZ_UZ / "areas" / "political-dialogue.ru.md").read_text(encoding="utf-8").split("---", 2)[2])
    for lang in LANGS:
        page = html_of(kz_kk_uz, "ministry", lang)
        spans = [normalize(text) for text in re.findall(r'<span lang="ru">(.*?)</span>', page, re.DOTALL)]
        assert any(text.startswith(body) for text in spans), f"{lang}: no Russian span begins {body!r}"
        title = front_matter(KZ_UZ / "areas" / f"political-dialogue.{lang}.md")["title"]
        assert re.search(rf"<h3[^>]*>{re.escape(title)}</h3>", page), f"{lang}: the area's own title is not plain"
        russian_runs = "".join(text for tag, text in word_runs(kz_kk_uz / f"ministry.{lang}.docx") if tag == WORD_TAGS["ru"])
        assert body in normalize(russian_runs)
        assert body in normalize(pdf_text(kz_kk_uz / f"ministry.{lang}.pdf"))
        assert set(pdf_span_languages(kz_kk_uz / f"ministry.{lang}.pdf")) == {"ru"}


@pytest.mark.slow
def test_no_language_mark_reaches_a_reader(kz_kk_uz: Path) -> None:
    """The private-use marks that carry a text's language inside the program never reach a file."""
    for audience, lang in built(kz_kk_uz):
        for text in (html_of(kz_kk_uz, audience, lang), pdf_text(kz_kk_uz / f"{audience}.{lang}.pdf")):
            assert not re.search("[\ue000-\ue002]", text), f"{audience}.{lang}"
        assert not re.search("[\ue000-\ue002]", docx_text(kz_kk_uz / f"{audience}.{lang}.docx"))


# ---------------------------------------------------------------- the cover's notices


@pytest.mark.slow
def test_the_cover_says_once_that_texts_are_in_russian_exactly_when_one_is(kz_kk_uz: Path) -> None:
    """In every document: the notice once on the cover if a text is in Russian, and not at all otherwise; the
    documents of kz-uz include both kinds (the leadership note is all in Kazakh, the full report is not)."""
    seen = set()
    for audience, lang in built(kz_kk_uz):
        page = html_of(kz_kk_uz, audience, lang)
        fell_back = '<span lang="ru">' in page
        seen.add(fell_back)
        assert ("ru" in pdf_span_languages(kz_kk_uz / f"{audience}.{lang}.pdf")) == fell_back
        for text in (normalize(re.sub(r"<[^>]+>", " ", page)), normalize(pdf_text(kz_kk_uz / f"{audience}.{lang}.pdf"))):
            assert text.count(FELL_BACK[lang]) == (1 if fell_back else 0), f"{audience}.{lang}"
        assert normalize(docx_text(kz_kk_uz / f"{audience}.{lang}.docx")).count(FELL_BACK[lang]) == (1 if fell_back else 0)
    assert seen == {True, False}


@pytest.mark.slow
def test_the_cover_says_the_translation_is_a_draft(kz_kk_uz: Path) -> None:
    """kz-uz marks its Kazakh and Uzbek texts as a draft (`draft_languages: [kk, uz]` in dossier.yaml)."""
    for audience, lang in built(kz_kk_uz):
        assert normalize(pdf_text(kz_kk_uz / f"{audience}.{lang}.pdf")).count(DRAFT[lang]) == 1
        assert DRAFT[lang] in normalize(docx_text(kz_kk_uz / f"{audience}.{lang}.docx"))


@pytest.mark.slow
def test_english_falls_back_when_the_chain_is_empty(tmp_path: Path) -> None:
    """`fallback: {kk: []}`: a text without Kazakh is shown as written (English), tagged `en`, and the cover says so;
    no draft notice where the dossier marks none."""
    folder = tmp_path / "dossier"
    shutil.copytree(RUSSIAN, folder)
    files = DossierCopy(folder)
    files.write("dossier.yaml", files.read("dossier.yaml") + "fallback: {kk: []}\n")
    code, _, err = run_in_process(
        "build", "--dossier", str(folder), "--lang", "kk", "--format", "html", "--out", str(tmp_path / "out")
    )
    assert code == 0, err
    page = next((tmp_path / "out").rglob("*.kk.html")).read_text(encoding="utf-8")
    assert '<span lang="en">' in page and '<span lang="ru">' not in page
    assert normalize(re.sub(r"<[^>]+>", " ", page)).count("Кейбір мәтіндер ағылшын тілінде берілген.") == 1
    assert DRAFT["kk"] not in page


def test_a_fallback_naming_an_unknown_language_is_bad_input(tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    shutil.copytree(RUSSIAN, folder)
    files = DossierCopy(folder)
    lines = files.read("dossier.yaml").count("\n")
    files.write("dossier.yaml", files.read("dossier.yaml") + "fallback: {kk: [de]}\n")
    code, _, err = run_in_process("validate", "--dossier", str(folder))
    assert code == 2
    assert f"{folder / 'dossier.yaml'}:{lines + 1}: fallback.kk: 'de' cannot be fallen back to" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------- names in their case

# Each partner's name in each case, as a Kazakh or Uzbek grammar gives it (suffixes by vowel harmony and the last sound).
CASE_FORMS = {
    ("kk", "Қазақстан"): {"gent": "Қазақстанның", "datv": "Қазақстанға", "accs": "Қазақстанды", "loct": "Қазақстанда",
                          "ablv": "Қазақстаннан", "ablt": "Қазақстанмен"},
    ("kk", "Өзбекстан"): {"gent": "Өзбекстанның", "datv": "Өзбекстанға", "accs": "Өзбекстанды", "loct": "Өзбекстанда",
                          "ablv": "Өзбекстаннан", "ablt": "Өзбекстанмен"},
    ("uz", "Qozogʻiston"): {"gent": "Qozogʻistonning", "datv": "Qozogʻistonga", "accs": "Qozogʻistonni",
                            "loct": "Qozogʻistonda", "ablv": "Qozogʻistondan", "ablt": "Qozogʻiston bilan"},
    ("uz", "Oʻzbekiston"): {"gent": "Oʻzbekistonning", "datv": "Oʻzbekistonga", "accs": "Oʻzbekistonni",
                            "loct": "Oʻzbekistonda", "ablv": "Oʻzbekistondan", "ablt": "Oʻzbekiston bilan"},
    # the test dossier's partners, said in Russian in a Kazakh or Uzbek briefing (they have no Kazakh or Uzbek name)
    ("kk", "Северляндия"): {"gent": "Северляндияның", "datv": "Северляндияға", "accs": "Северляндияны",
                            "loct": "Северляндияда", "ablv": "Северляндиядан", "ablt": "Северляндиямен"},
    ("kk", "Ресей"): {"gent": "Ресейдің", "datv": "Ресейге", "accs": "Ресейді", "loct": "Ресейде", "ablv": "Ресейден",
                      "ablt": "Ресеймен"},
    ("kk", "АҚШ"): {"gent": "АҚШ-тың", "datv": "АҚШ-қа", "accs": "АҚШ-ты", "loct": "АҚШ-та", "ablv": "АҚШ-тан",
                    "ablt": "АҚШ-пен"},
    ("uz", "Iroq"): {"datv": "Iroqqa", "gent": "Iroqning", "ablv": "Iroqdan"},
    ("uz", "Northland"): {"gent": "Northlandning", "datv": "Northlandga", "ablv": "Northlanddan", "loct": "Northlandda"},
}  # fmt: skip


@pytest.mark.parametrize(("lang", "name"), sorted(CASE_FORMS))
def test_each_case_of_each_name(lang: str, name: str) -> None:
    forms = declined(name, lang)
    for case, expected in CASE_FORMS[(lang, name)].items():
        assert format(forms, case) == expected, f"{name} {case}"
    assert format(forms, "nomn") == name


@pytest.mark.slow
def test_kz_uz_names_the_partners_in_their_case(kz_kk_uz: Path) -> None:
    """The kz-uz reporter is Uzbekistan: "by Uzbekistan's statistics" (genitive), exports to and imports from
    Kazakhstan (dative, ablative) in the full report's trade table."""
    kk = normalize(pdf_text(kz_kk_uz / "ministry.kk.pdf"))
    assert "Өзбекстанның ұлттық статистикасы" in kk
    assert "Қазақстанға экспорт" in kk and "Қазақстаннан импорт" in kk
    uz = normalize(pdf_text(kz_kk_uz / "ministry.uz.pdf"))
    assert "Oʻzbekistonning milliy statistikasi" in uz
    assert "Qozogʻistonga eksport" in uz and "Qozogʻistondan import" in uz


def test_the_dossiers_forms_win(tmp_path: Path) -> None:
    """`name_kk_cases` gives the forms the rules get wrong (a name ending in a possessive suffix); the reporter is
    Northland, so the full report's trade table names Southland in the dative and the ablative."""
    folder = tmp_path / "dossier"
    shutil.copytree(RUSSIAN, folder)
    files = DossierCopy(folder)
    files.replace(
        "dossier.yaml",
        "{code: SLD, name: Southland, name_ru: Южляндия}",
        "{code: SLD, name: Southland, name_ru: Южляндия, name_kk: Оңтүстік Ел Республикасы,"
        " name_kk_cases: {datv: Оңтүстік Ел Республикасына, ablv: Оңтүстік Ел Республикасынан}}",
    )
    out = tmp_path / "out"
    code, _, err = run_in_process(
        "build", "--dossier", str(folder), "--lang", "kk", "--audience", "ministry", "--format", "html", "--out", str(out)
    )
    assert code == 0, err
    text = normalize(re.sub(r"<[^>]+>", " ", next(out.rglob("ministry.kk.html")).read_text(encoding="utf-8")))
    assert "Оңтүстік Ел Республикасына экспорт" in text and "Оңтүстік Ел Республикасынан импорт" in text
    assert "Республикасыға" not in text  # what the rules alone would say


# ---------------------------------------------------------------- letters and fonts


def test_every_letter_of_both_alphabets_and_the_tenge_sign_has_a_glyph(tmp_path: Path) -> None:
    """The house font (DejaVu Sans, briefing.css) holds every Kazakh and Uzbek letter, ʻ, ʼ and ₸ in its regular and
    bold faces; a PDF with all of them uses no other font (no fallback font, no missing glyph) and gives every letter
    back (pdftotext)."""
    letters = KAZAKH_LETTERS + KAZAKH_LETTERS.lower() + UZBEK_LETTERS + "ʻʼ₸"
    for style in ("", ":bold"):
        path = subprocess.run(["fc-match", "-f", "%{file}", f"DejaVu Sans{style}"], capture_output=True, text=True).stdout
        cmap = TTFont(path).getBestCmap()
        assert not [c for c in letters if not c.isspace() and ord(c) not in cmap], path
    css = (BUILTIN_TEMPLATES / "briefing.css").read_text(encoding="utf-8")
    fonts = css.split("html {")[1].split(";")[0]  # DejaVu Sans sets every letter the house font lacks
    assert '"DejaVu Sans"' in fonts, fonts
    import weasyprint

    html = f'<html lang="kk"><style>{css}</style><body><p>{letters}</p><p><strong>{letters}</strong></p></body></html>'
    pdf = tmp_path / "letters.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    # set in the house font (Carlito) or its fallback (DejaVu Sans), never a stand-in; every letter comes back
    assert fonts and all("+Carlito" in line or "+DejaVu-Sans" in line for line in fonts), fonts
    back = re.sub(r"\s", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert back.count(re.sub(r"\s", "", letters)) == 2


def test_the_font_libreoffice_shows_word_files_in_holds_every_letter() -> None:
    """Word files name Calibri (the theme's body font); LibreOffice shows it as Carlito, where installed."""
    letters = KAZAKH_LETTERS + KAZAKH_LETTERS.lower() + UZBEK_LETTERS + "ʻʼ₸"
    path = subprocess.run(["fc-match", "-f", "%{file}", "Carlito"], capture_output=True, text=True).stdout
    if "Carlito" not in path:
        pytest.skip("Carlito is not installed")
    cmap = TTFont(path).getBestCmap()
    assert not [c for c in letters if not c.isspace() and ord(c) not in cmap], path


@pytest.mark.slow
def test_uzbek_uses_the_modifier_letter_turned_comma(kz_kk_uz: Path) -> None:
    """oʻ and gʻ with U+02BB everywhere: no ASCII apostrophe or U+2018 after o or g in any Uzbek word shown."""
    text = pdf_text(kz_kk_uz / "leadership.uz.pdf") + pdf_text(kz_kk_uz / "press.uz.pdf")
    assert "Oʻzbekiston" in text
    assert not re.search(r"(?<=[a-z])[oOgG]['‘’](?=[a-z])", text)


# ---------------------------------------------------------------- figures and dates


def test_figures_and_dates_as_each_language_writes_them() -> None:
    """CLDR's numbers (decimal comma, no-break space), the ministries' money and dates (the catalog's patterns)."""
    assert format_money(4270, "million", "USD", "kk") == "4,27 млрд АҚШ доллары"
    assert format_money(735.2, "million", "USD", "kk") == "735,2 млн АҚШ доллары"
    assert format_money(4270, "million", "KZT", "kk") == "4,27 млрд теңге"
    assert format_money(4270, "million", "USD", "uz") == "4,27 mlrd AQSH dollari"
    assert format_money(1144, "billion", "UZS", "uz") == "1\u00a0144 mlrd soʻm"
    assert format_percent(15.2, "kk") == "15,2%" and format_percent(-3.5, "uz", signed=True) == "−3,5%"
    day, month, year = FuzzyDate(2025, 11, 22), FuzzyDate(2025, 11), FuzzyDate(2025)
    assert [format_date(d, "kk") for d in (day, month, year)] == ["2025 жылғы 22 қараша", "2025 жылғы қараша", "2025 ж."]
    assert [format_date(d, "uz") for d in (day, month, year)] == ["2025-yil 22-noyabr", "2025-yil noyabr", "2025-yil"]
    assert format_date_range(FuzzyDate(2025, 11, 14), FuzzyDate(2025, 11, 16), "kk") == "2025 жылғы 14–16 қараша"
    assert format_date_range(FuzzyDate(2025, 11, 14), FuzzyDate(2025, 11, 16), "uz") == "2025-yil 14–16-noyabr"
    assert format_months(2026, 9, "kk") == "2026 ж. қаңтар–қыркүйек"
    assert format_months(2026, 9, "uz") == "2026-yil yanvar–sentabr"


@pytest.mark.slow
def test_the_documents_show_those_figures(kz_kk_uz: Path) -> None:
    """The as-of date on the cover; the 2024 turnover of trade.csv (read by hand) as money."""
    turnover = next(float(row["turnover"]) for row in read_csv(KZ_UZ / "trade.csv") if row["year"] == "2024")
    assert turnover == 4270
    kk = normalize(pdf_text(kz_kk_uz / "ministry.kk.pdf"))
    assert "2026 жылғы 10 қаңтар жағдай бойынша" in kk and "4,27 млрд АҚШ доллары" in kk  # KZ_AS_OF
    uz = normalize(pdf_text(kz_kk_uz / "ministry.uz.pdf"))
    assert "2026-yil 10-yanvar holatiga" in uz and "4,27 mlrd AQSH dollari" in uz


# ---------------------------------------------------------------- no English left


def english_words(lang: str) -> set[str]:
    """The English of every message the catalog of `lang` says differently, cut at the placeholders (3 letters or more)."""
    with (BUILTIN_TEMPLATES / "locale" / lang / "LC_MESSAGES" / "reports.po").open("rb") as handle:
        catalog = read_po(handle)
    found = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not message.id or set(ids) <= set(strings) or (message.context or "").startswith("date pattern"):
            continue
        for msgid in ids:
            for part in re.split(r"\{\w*(?::\w+)?\}", msgid):
                part = part.strip(" .,:;–()'")
                if len(re.sub(r"[^A-Za-z]", "", part)) >= 3:
                    found.add(part)
    return found


def dossier_english() -> str:
    """What the documents may show in English as written: the sources (a bibliography names them as published)."""
    import yaml

    meta = yaml.safe_load((KZ_UZ / "dossier.yaml").read_text(encoding="utf-8"))
    return normalize(" | ".join(str(s.get(key, "")) for s in meta["sources"] for key in ("title", "publisher", "url")))


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_english_word_of_the_catalog_is_left(kz_kk_uz: Path, lang: str) -> None:
    allowed = dossier_english()
    for audience in AUDIENCES:
        for text in (
            normalize(pdf_text(kz_kk_uz / f"{audience}.{lang}.pdf")),
            normalize(docx_text(kz_kk_uz / f"{audience}.{lang}.docx")),
        ):
            left = sorted(
                word
                for word in english_words(lang)
                if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) and word not in allowed
            )
            assert not left, f"{audience}.{lang}: English template words: {left}"
            assert not re.search(r"\{\w*\}", text)


SAME_WORD = {"kk": set(), "uz": {"forum"}}  # a kind of event: Uzbek `forum`


def test_every_kk_and_uz_message_differs_from_the_english_where_a_word_is_said() -> None:
    """A translation that copies the English (other than figures, codes and Babel patterns) is not a translation,
    unless the language writes the word the same way (SAME_WORD)."""
    same = []
    for lang in LANGS:
        with (BUILTIN_TEMPLATES / "locale" / lang / "LC_MESSAGES" / "reports.po").open("rb") as handle:
            for message in read_po(handle):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                words = re.sub(r"\{[^}]*\}|'[^']*'|[^A-Za-z]", "", ids[0])
                pattern = (message.context or "").startswith("date pattern")
                if message.id and len(words) > 2 and not pattern and ids[0] in strings and ids[0] not in SAME_WORD[lang]:
                    same.append((lang, ids[0]))
    assert same == [], same


# ---------------------------------------------------------------- validate


def test_validate_names_the_language_each_missing_text_is_taken_from(tmp_path: Path) -> None:
    """The Russian test dossier has no Kazakh text: each missing text is listed with the Russian one that is used
    instead; a partner given `name_kk` is no longer listed."""
    code, out, _ = run_in_process("validate", "--dossier", str(RUSSIAN), "--lang", "kk")
    assert code == 0
    assert f"{RUSSIAN / 'dossier.yaml'}:7: partners[0].name_kk: missing; the Russian name of partner 'Northland' is used" in out
    events = read_csv(RUSSIAN / "events.csv")
    for line, row in enumerate(events, start=2):
        assert f"{RUSSIAN / 'events.csv'}:{line}: title_kk: missing; the Russian title of event '{row['id']}' is used" in out
    folder = tmp_path / "dossier"
    shutil.copytree(RUSSIAN, folder)
    DossierCopy(folder).replace("dossier.yaml", "name_ru: Северляндия}", "name_ru: Северляндия, name_kk: Солтүстік Ел}")
    code, again, _ = run_in_process("validate", "--dossier", str(folder), "--lang", "kk")
    assert code == 0 and "partners[0].name_kk" not in again


def test_validate_in_uzbek_lists_what_kz_uz_lacks() -> None:
    """kz-uz gives the Uzbek texts a leadership note and a press kit show; its event summaries fall back to Russian."""
    result: Result = run_in_process("validate", "--dossier", str(KZ_UZ), "--lang", "uz")
    assert result.code == 0
    assert "title_uz" not in result.out and "place_uz" not in result.out and "role_uz" not in result.out
    assert re.search(r"events\.csv:\d+: summary_uz: missing; the Russian summary of event", result.out)


# ---------------------------------------------------------------- reports run


def test_a_kazakh_output_is_rebuilt_when_the_russian_text_it_falls_back_to_changes(tmp_path: Path) -> None:
    """`reports run` rebuilds what changed: a Kazakh briefing shows the Russian area body where there is no Kazakh
    one, so its inputs include the Russian area file; an English briefing's do not."""
    import datetime as dt

    from reports.engine import BuildRequest, Planner

    folder = tmp_path / "dossier"
    shutil.copytree(RUSSIAN, folder)
    area = next(path for path in sorted((folder / "areas").glob("*.ru.md")))
    request = BuildRequest(folder, tmp_path / "out", dt.date(2025, 11, 22), ("ministry",), ("pdf",), ("en", "kk"))

    def hashes() -> dict[str, str]:
        return {document.lang: document.inputs for document in Planner().plan(request)}

    before = hashes()
    area.write_text(area.read_text(encoding="utf-8") + "\nЕщё один абзац.\n", encoding="utf-8")
    after = hashes()
    assert after["kk"] != before["kk"]
    assert after["en"] == before["en"]
