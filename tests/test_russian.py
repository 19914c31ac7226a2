"""Briefings in Russian (`--lang ru`): read back from the PDF and the Word file of data/kz-uz as a reader sees them,
checked against the catalog; the catalogs complete and in step with the code; the figures as Russian writes them;
`reports validate --lang ru` listing exactly the texts a dossier lacks."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from support.cli import Result, run_in_process
from support.paths import DOSSIERS, KZ_EVENT, KZ_UZ, REPO_ROOT
from support.read import docx_text, normalize, pdf_headings, pdf_text

from reports.dossier.dates import FuzzyDate
from reports.dossier.text import first_sentence
from reports.dossier.vocabulary import CASES
from reports.locale.cases import Name
from reports.locale.formatting import format_date, format_money, format_percent, format_quantity
from reports.locale.labels import compiled_catalog, load_translations
from reports.template_folders import BUILTIN_TEMPLATES

RUSSIAN = DOSSIERS / "russian"  # tests/dossiers/valid with every translatable text in Russian
LOCALE = BUILTIN_TEMPLATES / "locale"
RU_CATALOG = LOCALE / "ru" / "LC_MESSAGES" / "reports.po"
AS_OF = "2025-11-22"
PLACEHOLDER = re.compile(r"\{(\w*)(?::\w+)?\}")  # `{other}`, or `{other:gent}`: a partner's name in a case
CASE_SPEC = re.compile(r"\{\w+:(\w+)\}")
ALWAYS_AVAILABLE = {"reporter", "other", "currency", "unit", "base_year"}  # Words.values (reports/briefing/words.py)
MONEY_WORDS = {"symbol", "amount", "currency"}  # reports/locale/formatting.py format_money

# What a Russian reader sees (the catalog is the code under test: written out here).
HEADINGS = [
    "Основные показатели",
    "Торговля",
    "Выполнение целей",
    "Сотрудничество",
    "Договорённости и их выполнение",
    "Хронология",
    "Предстоящие события",
    "Источники",
]
TITLE = "Казахстанско-узбекские отношения"  # data/kz-uz dossier.yaml title_ru
LATEST_TURNOVER = "4,27 млрд долл. США"  # 2024, USD 4,270 million
AS_OF_RU = "10 января 2026 г."  # KZ_AS_OF, the date of the shared kz-uz builds
TARGET_SET_ON = "15 марта 2025 г."  # the $10 bn target, set_on 2025-03-15
MONTH_DATE = "сентябрь 2017 г."  # the $5 bn target, set_on 2017-09
PO_HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'  # pybabel compiles no header-less catalog


def pdf_words(path: Path) -> str:
    """The PDF's text (pdftotext), white space collapsed (no-break spaces included), so a wrapped line or a Babel
    group separator still matches."""
    return normalize(pdf_text(path))


def word_text(path: Path) -> str:
    """Every paragraph of the Word file's body, tables, headers and footers, white space collapsed."""
    return normalize(docx_text(path))


def word_headings(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Heading 1"]


def chart_xml_text(path: Path) -> str:
    """The text of a native Word chart (its legend and axis titles live in word/charts/*.xml)."""
    with zipfile.ZipFile(path) as package:
        parts = [
            package.read(name).decode("utf-8") for name in package.namelist() if re.fullmatch(r"word/charts/chart\d+\.xml", name)
        ]
    return normalize(" ".join(re.findall(r"<(?:a|c):(?:t|v)>([^<]*)</(?:a|c):(?:t|v)>", " ".join(parts))))


def ru_messages() -> list:
    with RU_CATALOG.open("rb") as handle:
        return [message for message in read_po(handle) if message.id]


def english_fragments() -> set[str]:
    """The English words of every message whose Russian differs, cut at the placeholders: none may be left in the output.

    Fragments shorter than three letters (`of`, `m`, `by`) are too common in URLs and names to say anything."""
    fragments = set()
    for message in ru_messages():
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if set(ids) <= set(strings):
            continue  # the same in Russian (`{number} %`)
        for msgid in ids:
            for part in PLACEHOLDER.split(msgid)[::2]:
                part = part.strip(" .,:;–()'")
                if len(re.sub(r"[^A-Za-z]", "", part)) >= 3:
                    fragments.add(part)
    return fragments


def dossier_english(folder: Path) -> str:
    """The dossier's own English that a Russian briefing may show as written: the sources' titles, publishers and
    addresses (a bibliography names a source as it was published), and every text of the CSV files and targets
    that has no `<field>_ru`."""
    meta = yaml.safe_load((folder / "dossier.yaml").read_text(encoding="utf-8"))
    texts = [str(s.get(key, "")) for s in meta["sources"] for key in ("title", "publisher", "url")]
    texts += [t["description"] for t in meta.get("targets", []) if not t.get("description_ru")]
    for name, columns in (("commitments.csv", ("text",)), ("events.csv", ("place",)), ("trade.csv", ("note",))):
        if (folder / name).exists():
            with (folder / name).open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    texts += [row.get(column) or "" for column in columns if not row.get(f"{column}_ru")]
                    if name == "commitments.csv" and not row.get("text_ru"):
                        texts.append(first_sentence(row["text"]))
    for brief in sorted((folder / "briefs").glob("*.md")) if (folder / "briefs").is_dir() else []:
        if brief.name.count(".") == 1 and not brief.with_suffix(".ru.md").exists():  # a brief with no Russian text
            texts.append(brief.read_text(encoding="utf-8"))
    return normalize(" | ".join(texts))


def assert_no_english_left(text: str, allowed: str) -> None:
    """No English fragment of the catalog is in the text, unless the dossier's own English holds it too."""
    left = sorted(
        fragment
        for fragment in english_fragments()
        if re.search(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])", text) and fragment not in allowed
    )
    assert not left, f"English template words in the Russian output: {left}"
    assert not re.search(r"\{\w*\}", text), "a {placeholder} was left unfilled"


@pytest.fixture(scope="session")
def kz_ru(kz_russian: tuple[Path, Result]) -> Path:
    """data/kz-uz in Russian (the `kz_russian` fixture of conftest.py, built once per test run)."""
    out, run = kz_russian
    assert run.code == 0, run.describe()
    return out / "kz-uz"


# ---------------------------------------------------------------- the catalogs


def test_catalogs_are_complete() -> None:
    """Every message of every catalog translated (not fuzzy, no plural form empty), keeping its placeholders."""
    catalogs = sorted(LOCALE.glob("*/LC_MESSAGES/reports.po"))
    assert RU_CATALOG in catalogs
    for path in catalogs:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        assert not catalog.obsolete, f"{path}: obsolete messages: {list(catalog.obsolete)}"
        for message in catalog:
            if not message.id:
                continue
            where = f"{path}:{message.lineno}: {message.id!r}"
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(s.strip() for s in strings), f"{where}: not translated"
            assert len(strings) == (catalog.num_plurals if message.pluralizable else 1), where
            assert not message.fuzzy, f"{where}: fuzzy (check the translation, then remove the flag)"
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            allowed = {name for msgid in ids for name in PLACEHOLDER.findall(msgid)} | ALWAYS_AVAILABLE
            allowed |= MONEY_WORDS if message.context == "money" else set()
            for string in strings:
                assert set(PLACEHOLDER.findall(string)) <= allowed, f"{where}: unknown placeholder in {string!r}"
                assert set(CASE_SPEC.findall(string)) <= set(CASES), f"{where}: unknown grammatical case in {string!r}"
                string.format(**{name: Name("x") for name in allowed})  # braces balanced


@pytest.mark.slow
def test_catalogs_hold_every_message_of_the_code() -> None:
    """The catalog is in step with the code and the templates (`make catalogs` after changing a message)."""
    with (REPO_ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    in_code = set()
    for _, _, message, _, context in extract_from_dir(str(REPO_ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS):
        in_code.add((context, message[0] if isinstance(message, tuple) else message))
    in_catalog = {(m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in ru_messages()}
    assert in_code - in_catalog == set(), "messages of the code missing from the catalog: run `make catalogs`"
    assert in_catalog - in_code == set(), "messages of the catalog no longer in the code: run `make catalogs`"
    assert ("page footer: Page 1 of 3", "Page") in in_code and (None, "Contents") in in_code  # the templates' words too
    hidden = messages_in_code() - in_catalog
    assert not hidden, f"messages Babel cannot extract (a call inside an f-string?): {sorted(hidden)}"


def messages_in_code() -> set[tuple[str | None, str]]:
    """Every message the code translates, found with `ast` (so also inside an f-string, where Babel does not look)."""
    found = set()
    for path in sorted((REPO_ROOT / "reports").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
            if name in ("_", "gettext", "N_", "ngettext") and texts:
                found.add((None, texts[0]))
            elif name == "pgettext" and len(texts) >= 2:
                found.add((texts[0], texts[1]))
    return found


def test_a_stale_compiled_catalog_is_not_used(tmp_path) -> None:
    """`make` compiles reports.mo; a .mo older than its .po (edited since) is ignored and the .po compiled instead."""
    folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "reports.po"
    po.write_text(PO_HEADER + 'msgid "Contents"\nmsgstr "Оглавление"\n', encoding="utf-8")
    assert load_translations("ru", [tmp_path]).gettext("Contents") == "Оглавление"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "-q", "compile", "-i", str(po), "-o", str(po.with_suffix(".mo"))],
        check=True,
    )
    assert compiled_catalog(po) == po.with_suffix(".mo").read_bytes()
    po.write_text(PO_HEADER + 'msgid "Contents"\nmsgstr "Содержание документа"\n', encoding="utf-8")
    mo_time = po.with_suffix(".mo").stat().st_mtime_ns
    os.utime(po, ns=(mo_time + 10**9, mo_time + 10**9))
    assert load_translations("ru", [tmp_path]).gettext("Contents") == "Содержание документа"


def test_a_house_catalog_overrides_single_messages(tmp_path) -> None:
    """An organization's catalog is looked up first; what it lacks comes from the built-in one, then English."""
    folder = tmp_path / "locale" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "reports.po").write_text('msgid "Key figures"\nmsgstr "Главное"\n', encoding="utf-8")
    translations = load_translations("ru", [tmp_path, BUILTIN_TEMPLATES])
    assert translations.gettext("Key figures") == "Главное"
    assert translations.gettext("Chronology") == "Хронология"
    assert translations.gettext("no such message") == "no such message"
    assert translations.ngettext("in {days} day", "in {days} days", 22) == "через {days} дня"


# ---------------------------------------------------------------- the figures


def test_russian_figures() -> None:
    """One formatting module for every renderer: money, percentages, dates and counted units as Russian writes them."""
    assert format_money(4270, "million", "USD", "ru") == LATEST_TURNOVER
    assert format_money(735.2, "million", "USD", "ru") == "735,2 млн долл. США"
    assert format_money(-1300, "million", "USD", "ru") == "−1,3 млрд долл. США"
    assert format_money(12.5, "billion", "EUR", "ru") == "12,5 млрд евро"
    assert format_percent(15.2, "ru") == "15,2 %"
    assert format_percent(16.4, "ru", signed=True) == "+16,4 %"
    assert format_date(dt.date(2025, 11, 22), "ru") == "22 ноября 2025 г."
    assert format_date(FuzzyDate.parse("2025-11"), "ru") == "ноябрь 2025 г."
    assert format_date(FuzzyDate.parse("2025"), "ru") == "2025 г."
    assert normalize(format_quantity(1144, "enterprises", "ru")) == "1 144 предприятия"
    assert format_quantity(22, "meetings", "ru") == "22 встречи"
    assert format_quantity(21, "meetings", "ru") == "21 встреча"
    assert format_quantity(152, "km", "ru") == "152 км"
    assert format_quantity(3, "widgets", "ru") == "3 widgets"  # a unit the catalog does not know: as the dossier writes it
    # English is unchanged
    assert format_money(4270, "million", "USD") == "$4.27 bn"
    assert format_percent(15.2) == "15.2 %"
    assert format_date(dt.date(2025, 11, 22)) == "22 November 2025"
    assert format_date(FuzzyDate.parse("2025-11")) == "November 2025"
    assert format_quantity(22, "meetings") == "22 meetings"


# ---------------------------------------------------------------- the Russian briefings of data/kz-uz


@pytest.mark.slow
def test_russian_pdf_reads_russian(kz_ru: Path) -> None:
    pdf = kz_ru / "ministry.ru.pdf"
    assert [heading for heading in pdf_headings(pdf, depth=1) if heading != "Содержание"] == HEADINGS  # the contents page aside
    text = pdf_words(pdf)
    for expected in (TITLE, LATEST_TURNOVER, AS_OF_RU, TARGET_SET_ON, MONTH_DATE, "42,7 %", "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ"):
        assert expected in text, expected
    assert_declined_names(text)
    assert re.search(r"Страница 1 из \d+", text)
    assert_no_english_left(text, dossier_english(KZ_UZ))


def assert_declined_names(text: str) -> None:
    """The partners named in the case each sentence needs (written out here: the catalog's messages say the case)."""
    assert "Экспорт в Казахстан" in text and "Импорт из Казахстана" in text  # the trade table's columns
    assert "Торговля между Узбекистаном и Казахстаном" in text  # its caption
    assert "по статистике Узбекистана" in text and "Статистика Казахстана" in text  # the cover, the mirror table
    assert "Экспорт — вывоз товаров из Узбекистана в Казахстан" in text
    assert not re.search(r"стран[аыуе] (Казахстан|Узбекистан)", text)  # no "страны X" to dodge the case


@pytest.mark.slow
def test_russian_word_file_reads_russian(kz_ru: Path) -> None:
    path = kz_ru / "ministry.ru.docx"
    assert word_headings(path) == HEADINGS
    text = word_text(path)
    for expected in (TITLE, LATEST_TURNOVER, AS_OF_RU, TARGET_SET_ON, MONTH_DATE, "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ"):
        assert expected in text, expected
    assert_declined_names(text)
    assert "Страница" in text and " из " in text  # the footer around the PAGE and NUMPAGES fields
    document = docx.Document(str(path))
    assert document.core_properties.language == "ru"
    assert "двусторонние отношения" in document.core_properties.keywords
    assert_no_english_left(text, dossier_english(KZ_UZ))
    chart = chart_xml_text(path)
    if chart:  # a native chart: its legend and axis titles are the catalog's words too
        assert "Экспорт Узбекистана" in chart and "млн долл. США" in chart
        assert_no_english_left(chart, "")


@pytest.mark.slow
def test_russian_leadership_note(kz_ru: Path) -> None:
    """The two-page note: Russian throughout, and still within its page limit."""
    pdf = kz_ru / "leadership.ru.pdf"
    assert len(pypdf.PdfReader(pdf).pages) <= 2
    text = pdf_words(pdf)
    assert "Справка для руководства" in text and LATEST_TURNOVER in text
    assert_no_english_left(text, dossier_english(KZ_UZ))
    assert_no_english_left(word_text(kz_ru / "leadership.ru.docx"), dossier_english(KZ_UZ))


@pytest.mark.slow
def test_russian_briefing_pack(kz_brief: tuple[Path, list[Result]]) -> None:
    """The pre-summit pack: its headings, the countdown with the Russian plural, the talking points in Russian."""
    out, (run, _) = kz_brief
    assert run.code == 0, run.describe()
    path = out / "kz-uz" / f"brief-{KZ_EVENT}.ministry.ru.docx"
    headings = word_headings(path)
    assert headings[:2] == ["Событие", "Кто есть кто"]
    # the analyst's brief (headings in the pack's language), then what the data gives
    assert headings.index("Цели") < headings.index("Риски") < headings.index("По данным досье")
    assert headings.index("По данным досье") + 1 == headings.index("После предыдущей встречи на этом уровне")
    text = word_text(path)
    assert "через 4 дня" in text  # 14 November − 10 November
    # on 10 November 2025 the data's point is the two quiet areas (no target is known to be behind then)
    assert "Предложить оживить сотрудничество" in text
    assert "Тезисы нашей стороны" in text  # nothing to expect from the data for this visit: no such heading
    assert "Чего ожидать от партнёров" not in text
    assert "Материалы к встрече для министерства" in text
    assert_no_english_left(text, dossier_english(KZ_UZ))


# ---------------------------------------------------------------- missing translations


def test_validate_lists_exactly_the_missing_translations(tmp_path) -> None:
    """A complete dossier says so; with one text of each kind of file removed, exactly those are listed, each with
    its file, line and field (exit 0)."""
    code, out, err = run_in_process("validate", "--dossier", str(RUSSIAN), "--lang", "ru")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"{RUSSIAN}: ru: every text translated"
    folder = tmp_path / "russian"
    shutil.copytree(RUSSIAN, folder)
    for name, old, new in (
        ("events.csv", ",Переговоры по торговле,", ",,"),
        ("events.csv", ",Южград\n", ",\n"),
        ("commitments.csv", ",Построить мост\n", ",\n"),
        ("trade.csv", ",перед этим годом данных нет\n", ",\n"),
        ("dossier.yaml", "    description_ru: Довести товарооборот до 150 млн евро к 2025 г.\n", ""),
        ("dossier.yaml", "name: Southland, name_ru: Южляндия}", "name: Southland}"),
    ):
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text, old
        (folder / name).write_text(text.replace(old, new), encoding="utf-8")
    (folder / "areas" / "culture.ru.md").unlink()
    code, out, err = run_in_process("validate", "--dossier", str(folder), "--lang", "ru")
    assert (code, err) == (0, "")
    yaml_file, events = folder / "dossier.yaml", folder / "events.csv"
    assert out.splitlines() == [
        f"{folder}: valid: 3 years of trade, 3 events, 2 areas, 2 commitments, 3 sources",
        f"{yaml_file}:8: partners[1].name_ru: missing; the English name of partner 'Southland' is used",
        f"{yaml_file}:19: targets[0].description_ru: missing; the target is stated in the catalog's words",
        f"{folder / 'trade.csv'}:4: note_ru: missing; the English note of trade row '2021' is used",
        f"{events}:2: place_ru: missing; the English place of event 'first-visit' is used",
        f"{events}:3: title_ru: missing; the English title of event 'talks' is used",
        f"{folder / 'commitments.csv'}:2: text_ru: missing; the English text of commitment 'bridge' is used",
        f"{folder / 'areas' / 'culture.ru.md'}: file: missing; area 'culture' is shown in English",
        f"{folder}: ru: 7 texts not translated",
    ]
    # without --lang the output is as before; a language the dossier format has no texts in is bad input
    assert run_in_process("validate", "--dossier", str(folder))[1].splitlines() == [out.splitlines()[0]]
    code, _, err = run_in_process("validate", "--dossier", str(folder), "--lang", "fr")
    assert code == 2 and "reports: lang: a dossier has no texts in 'fr'" in err
    # the briefing falls back to English for exactly those texts, and uses every other translation
    code, _, err = run_in_process("build", "--dossier", str(folder), "--lang", "en", "--lang", "ru", "--format", "html",
                                  "--as-of", "2025-06-30", "--out", str(tmp_path / "out"), "--audience", "ministry")  # fmt: skip
    assert code == 0, err
    html = (tmp_path / "out" / "north-south-ru" / "ministry.ru.html").read_text(encoding="utf-8")
    html = html.replace("\xa0", " ")  # a figure and the word after it are joined by a no-break space
    assert '<html lang="ru">' in html and "Торговля и инвестиции" in html and "Культура" not in html
    assert "Culture" in html and "Trade talks" in html and "Государственный визит в Южляндию" in html
    assert "Build a bridge" in html and "Провести фестиваль" in html  # commitments
    assert "gap before this year" in html and "Southtown" in html  # a trade note, a place
    assert "Raise trade" not in html and "Цель — товарооборот: 150 млн евро к 2025 г." in html  # a target: the catalog's words
    assert "Отношения Северляндии и Южляндии" in html and "Southland" in html  # the title; the untranslated partner
    assert "Trade yearbook" in html and "Статистическое управление" in html  # a source: its title as published
    english = (tmp_path / "out" / "north-south-ru" / "ministry.en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "Key figures" in english and "Культура" not in english
    assert "Провести фестиваль" not in english and "Statistics Office" in english


def test_unknown_language_is_bad_input(tmp_path) -> None:
    code, _, err = run_in_process("build", "--dossier", str(RUSSIAN), "--lang", "xx", "--out", str(tmp_path), "--format", "html")
    assert code == 2
    known = "known languages: en, kk, ru, uz"
    assert f"reports: lang: no catalog for language 'xx' (locale/xx/LC_MESSAGES/reports.po); {known}" in err


def test_an_area_translation_without_key_facts_keeps_the_facts_as_written(dossier, tmp_path):
    """A translation may give the title, summary and body only: the key facts are then shown as written, never a
    failed build."""
    dossier.write("areas/culture.ru.md", "---\ntitle: Культура\nsummary: Фестивали и обмены.\n---\nПрошел *фестиваль*.\n")
    code, _, err = run_in_process("build", "--dossier", str(dossier.path), "--lang", "ru", "--audience", "ministry",
                                  "--format", "html", "--out", str(tmp_path / "out"))  # fmt: skip
    assert code == 0, err
    text = (tmp_path / "out" / "north-south" / "ministry.ru.html").read_text(encoding="utf-8")
    assert "Культура" in text and "One festival held" in text
