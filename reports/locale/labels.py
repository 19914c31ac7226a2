"""The fixed words of a briefing in its language: gettext catalogs on the template search path.

English is the source language: the words are English msgids in the code (`reports/*.py`) and the templates
(`templates/*.j2`), and a language is one catalog, `locale/<lang>/LC_MESSAGES/reports.po`, in a templates
folder (the built-in ones in `templates/locale/`). `make` compiles each `.po` into the `reports.mo` beside it
(`pybabel compile`); a catalog without a `.mo`, or with a `.mo` older than its `.po`, is compiled in memory
when it is loaded, so a fresh checkout and an organization's own catalog work without a build step.

An organization's templates folder may hold a catalog of the same language: its messages are looked up
first, the built-in catalog's after (a house style that only renames "Key figures" holds one message),
and English is what is left. `.mo` files are build products: never committed, always rebuilt from the `.po`.
"""

from __future__ import annotations

import functools
import gettext
import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from reports.dossier.vocabulary import SOURCE_LANGUAGE
from reports.errors import Problem, TemplateError
from reports.locale.catalog_checks import (
    MAX_CATALOG_BYTES,
    declared_forms,
    message_problems,
    plural_forms_problems,
    safe_plural,
)
from reports.template_folders import BUILTIN_TEMPLATES

DEFAULT_LANGS = (SOURCE_LANGUAGE,)  # a build, or a job, without --lang / langs
DOMAIN = "reports"
LANG_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")


def N_(message: str) -> str:
    """Marks a message for extraction where it is not translated on the spot (translated later by its text)."""
    return message


def catalog_file(folder: Path, lang: str) -> Path:
    return folder / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(template_dirs: list[Path]) -> list[str]:
    """English and every language with a catalog on the search path, sorted."""
    found = {path.parents[1].name for folder in template_dirs for path in (folder / "locale").glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return sorted(found | {SOURCE_LANGUAGE})


class _Catalog(gettext.GNUTranslations):
    """A compiled catalog, with the plural rule gettext reads from its header (`plural`, which typeshed omits)."""

    plural: Callable[[int], int]


def select_languages(langs: Sequence[str], template_dirs: list[Path]) -> list[str]:
    """The languages asked for (every one of the search path when none), each checked as a build checks it: exit 2
    with a line for every unknown one."""
    if not langs:
        return languages(template_dirs)
    problems = []
    for lang in dict.fromkeys(langs):
        try:
            _catalog_files(lang, template_dirs)
        except TemplateError as error:
            problems.extend(error.problems)
    if problems:
        raise TemplateError(problems)
    return list(dict.fromkeys(langs))


def _catalog_files(lang: str, template_dirs: list[Path]) -> list[Path]:
    """The catalogs of `lang` along the search path; exit 2 for a code that is not one, or a language without any."""
    if not LANG_CODE.fullmatch(lang):  # the code is part of a file name to read and of the names written
        raise TemplateError(Problem("reports", None, "lang", f"'{lang}' is not a language code such as en or ru"))
    files = [path for folder in template_dirs if (path := catalog_file(folder, lang)).is_file()]
    if not files and lang != SOURCE_LANGUAGE:
        known = ", ".join(languages(template_dirs))
        message = f"no catalog for language '{lang}' (locale/{lang}/LC_MESSAGES/{DOMAIN}.po); known languages: {known}"
        raise TemplateError(Problem("reports", None, "lang", message))
    return files


def load_translations(lang: str, template_dirs: list[Path]) -> gettext.NullTranslations:
    """The catalogs of `lang` along the search path, the first folder's looked up first; exit 2 for an unknown language.

    Built anew for every call (a chain is made with `add_fallback`, which changes the objects it links)."""
    files = _catalog_files(lang, template_dirs)
    chain: gettext.NullTranslations = gettext.NullTranslations()
    for path in reversed(files):  # the built-in catalog last: each earlier folder's falls back to the one after it
        translations = _Catalog(io.BytesIO(compiled_catalog(path)))
        translations.plural = safe_plural(translations.plural, declared_forms(translations.info().get("plural-forms", "")))
        translations.add_fallback(chain)
        chain = translations
    return chain


@functools.cache
def builtin_translations(lang: str) -> gettext.NullTranslations:
    """The built-in catalog of `lang` alone (English for a language without one): for formatting outside a briefing."""
    try:
        return load_translations(lang, [BUILTIN_TEMPLATES])
    except TemplateError:
        return gettext.NullTranslations()


def compiled_catalog(po_file: Path) -> bytes:
    """The `.mo` bytes of a catalog: the built-in one's compiled `reports.mo` when that is up to date, else compiled
    from the `.po` and checked (`catalog_checks.py`)."""
    mo_file = po_file.with_suffix(".mo")
    po_stat = po_file.stat()
    trusted = po_file.is_relative_to(BUILTIN_TEMPLATES)  # a house's .mo could say anything its .po does not
    if trusted and mo_file.is_file() and mo_file.stat().st_mtime_ns >= po_stat.st_mtime_ns:
        return mo_file.read_bytes()
    return _compile(po_file, po_stat.st_mtime_ns, po_stat.st_size)


@functools.lru_cache(maxsize=16)
def _compile(po_file: Path, mtime_ns: int, size: int) -> bytes:
    """Compiled in memory, as `pybabel compile` does (fuzzy messages left out); cached while the file is unchanged."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    display = str(po_file)
    if size > MAX_CATALOG_BYTES:
        raise TemplateError(Problem(display, None, "catalog", f"is larger than {MAX_CATALOG_BYTES // (1024 * 1024)} MiB"))
    content = po_file.read_bytes()
    problems = plural_forms_problems(content.decode("utf-8", errors="replace"), display)
    if problems:
        raise TemplateError(problems)
    try:
        catalog = read_po(io.BytesIO(content), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        raise TemplateError(Problem(display, getattr(error, "lineno", None), "catalog", str(error))) from None
    for message in catalog:
        if message.id and message.string:
            ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
            strings = (message.string,) if isinstance(message.string, str) else tuple(message.string)
            for text in (text for text in strings if text):
                problems += message_problems(" ".join(ids), text, display, message.lineno)
    if problems:
        raise TemplateError(problems)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()
