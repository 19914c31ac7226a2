"""Russian that reads as Russian: the Russian files `make briefing` writes are at least MIN_CYRILLIC % Cyrillic
(all text but addresses and source titles, which stay as published), and a partner's name is declined by the
morphology library unless the dossier gives the form (`name_ru_cases`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from support.cli import Result, run_in_process
from support.paths import DOSSIERS, KZ_UZ
from support.read import cyrillic_share, docx_text, pdf_text, read_yaml

MIN_CYRILLIC = 95.0  # percent of the letters; the rest: publishers' names, the dossier's id, "CIF"/"FOB"


def left_out(folder: Path) -> list[str]:
    """What a Russian briefing keeps as published: every source's address and title (and its `title_ru`), and, in
    the leadership note's short form, its site and publisher."""
    sources = read_yaml(folder / "dossier.yaml")["sources"]
    kept = [str(source[key]) for source in sources for key in ("url", "title", "title_ru", "publisher") if source.get(key)]
    return kept + [urlparse(source["url"]).netloc.removeprefix("www.") for source in sources if source.get("url")]


@pytest.mark.slow
def test_every_russian_file_of_make_briefing_is_russian(kz_russian: tuple[Path, Result]) -> None:
    out, run = kz_russian
    assert run.code == 0, run.describe()
    folder = out / "kz-uz"
    files = [path for path in sorted(folder.glob("*.ru.*")) if path.suffix in (".pdf", ".docx") and "brief-" not in path.name]
    assert len(files) == 6  # three audiences, PDF and Word
    shares = {f.name: cyrillic_share(pdf_text(f) if f.suffix == ".pdf" else docx_text(f), left_out(KZ_UZ)) for f in files}
    low = {name: round(share, 1) for name, share in shares.items() if share < MIN_CYRILLIC}
    assert not low, f"less than {MIN_CYRILLIC} % Cyrillic: {low}"


@pytest.mark.slow
def test_the_pack_in_russian_is_russian(kz_brief: tuple[Path, list[Result]]) -> None:
    out, (run, _) = kz_brief
    assert run.code == 0, run.describe()
    (pack,) = (out / "kz-uz").glob("brief-*.ministry.ru.docx")
    assert cyrillic_share(docx_text(pack), left_out(KZ_UZ)) >= MIN_CYRILLIC


def test_the_share_counts_english_text() -> None:
    """The measure itself: English is counted, an address or a title left out is not, wherever a line breaks it."""
    assert cyrillic_share("Торговля trade", []) == pytest.approx(100 * 8 / 13)
    wrapped = "Торговля. Trade year-\nbook. https://exa-\nmple.org/x"
    assert cyrillic_share(wrapped, ["Trade yearbook", "https://example.org/x"]) == 100


def build_russian(folder: Path, out: Path) -> dict[str, str]:
    """The ministry report of a dossier in Russian, as of 2025-06-30: the text of its PDF and of its Word file."""
    code, _, err = run_in_process("build", "--dossier", str(folder), "--lang", "ru", "--audience", "ministry",
                                  "--as-of", "2025-06-30", "--out", str(out))  # fmt: skip
    assert code == 0, err
    files = out / "north-south-ru"
    return {"pdf": plain(pdf_text(files / "ministry.ru.pdf")), "docx": plain(docx_text(files / "ministry.ru.docx"))}


def plain(text: str) -> str:
    """No white space and no hyphen: a table cell of a PDF breaks "Кот-д’Ивуара" at its hyphen, which pdftotext drops."""
    return re.sub(r"[\s-]", "", text)


@pytest.mark.slow
def test_a_dossier_form_wins_over_the_library(tmp_path: Path) -> None:
    """Côte d'Ivoire is not declined in Russian official usage; the library declines it. The dossier's
    `name_ru_cases` wins for the cases it gives; the library declines the rest and the other partner."""
    folder = Path(shutil.copytree(DOSSIERS / "russian", tmp_path / "dossier"))
    yaml_file = folder / "dossier.yaml"
    text = yaml_file.read_text(encoding="utf-8").replace("name_ru: Южляндия}", "name_ru: Кот-д’Ивуар}")
    yaml_file.write_text(text, encoding="utf-8")
    library = build_russian(folder, tmp_path / "library")
    for text in library.values():
        assert plain("Импорт из Кот-д’Ивуара") in text  # the library's genitive
        assert plain("Торговля между Северляндией и Кот-д’Ивуаром") in text  # and instrumental
        assert plain("по статистике Северляндии") in text and plain("Экспорт в Кот-д’Ивуар") in text
    yaml_file.write_text(text_with_cases(yaml_file.read_text(encoding="utf-8")), encoding="utf-8")
    given = build_russian(folder, tmp_path / "given")
    for text in given.values():
        assert plain("Импорт из Кот-д’Ивуар Товарооборот") in text and plain("Кот-д’Ивуара") not in text  # the dossier's
        assert plain("Торговля между Северляндией и Кот-д’Ивуар,") in text
        assert plain("по статистике Северляндии") in text  # the library, for the partner the dossier says nothing of


def text_with_cases(text: str) -> str:
    return text.replace("name_ru: Кот-д’Ивуар}", "name_ru: Кот-д’Ивуар, name_ru_cases: {gent: Кот-д’Ивуар, ablt: Кот-д’Ивуар}}")


def test_a_form_for_an_unknown_case_is_bad_input(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(DOSSIERS / "russian", tmp_path / "dossier"))
    yaml_file = folder / "dossier.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("Южляндия}", "Южляндия, name_ru_cases: {genitive: Южляндии}}"), encoding="utf-8")
    code, _, err = run_in_process("validate", "--dossier", str(folder))
    assert code == 2
    cases = "nomn, gent, datv, accs, ablt, loct"
    assert f"{yaml_file}:8: partners[1].name_ru_cases: 'genitive' is not a grammatical case; known cases: {cases}" in err
