"""Which language a text of the dossier is shown in: the fallback chains, the draft translations, and the marks that
carry the language of a text that fell back from the dossier to the renderers.

A briefing in language L shows each text in L where the dossier gives it (`<field>_L`, `areas/<id>.L.md`), else in
the first language of L's fallback chain that has it, else as written (the original, English). Such a text is not
in the document's language, so it carries its own: `tagged()` wraps it in two private-use marks, the language code
between them; every renderer turns the marks into its language tag (HTML `<span lang="ru">`, a Word run's `w:lang`,
the PDF's `/Lang` of the span) or removes them (`plain()`) where a format has no tag (metadata, chart labels). The
loader removes these code points from the dossier's own text (`reports/dossier/text.py`), so only a fallback makes
them. The chains default to FALLBACK; `dossier.yaml` may set its own (`fallback: {kk: [ru], uz: [ru]}`) and mark
languages whose texts are an unreviewed draft (`draft_languages: [kk, uz]`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from reports.dossier.readers import YamlDocument
from reports.dossier.vocabulary import LANGUAGES, SOURCE_LANGUAGE
from reports.errors import ProblemCollector

# The languages a briefing in each language borrows a missing text from, in order, before the original.
FALLBACK: dict[str, tuple[str, ...]] = {"kk": ("ru",), "uz": ("ru",), "ru": ()}
OPEN, SHUT, CLOSE = "\ue000", "\ue001", "\ue002"  # OPEN lang SHUT text CLOSE
MARKS = re.compile(f"[{OPEN}{SHUT}{CLOSE}]")
_PIECE = re.compile(f"{OPEN}([a-z]{{2,3}}){SHUT}(.*?){CLOSE}", re.DOTALL)
_MARK_CODES = re.compile(f"{OPEN}[a-z]{{0,3}}{SHUT}?|[{SHUT}{CLOSE}]")
_LANG_CODE = re.compile(r"[a-z]{2,3}")
if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Record = TypeVar("Record", bound="DataclassInstance")


@dataclass(frozen=True)
class LanguageSettings:
    """`fallback:` and `draft_languages:` of dossier.yaml: each chain the dossier sets, and its draft languages."""

    fallback: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    drafts: tuple[str, ...] = ()

    def chain(self, lang: str) -> tuple[str, ...]:
        """The languages a text missing in `lang` is taken from, in order (the original comes after them)."""
        return self.fallback.get(lang, FALLBACK.get(lang, ()))


def tagged(text: str, lang: str) -> str:
    """`text` marked as written in `lang`; an empty text stays empty (nothing is shown, so nothing fell back)."""
    return f"{OPEN}{lang}{SHUT}{text}{CLOSE}" if text else text


def pieces(text: str) -> list[tuple[str | None, str]]:
    """The text cut where its language changes: (language, text) with None for the document's own language."""
    found: list[tuple[str | None, str]] = []
    position = 0
    for match in _PIECE.finditer(text):
        if match.start() > position:
            found.append((None, text[position : match.start()]))
        found.append((match.group(1), match.group(2)))
        position = match.end()
    if position < len(text):
        found.append((None, text[position:]))
    return [(lang, MARKS.sub("", piece)) for lang, piece in found if piece]


def plain(text: str) -> str:
    """The text without its language marks: for a place that holds no language tag (metadata, an SVG label); a
    mark cut off by a shortened label goes too."""
    return _MARK_CODES.sub("", text) if OPEN in text or CLOSE in text else text


def languages_in(text: str) -> set[str]:
    """The languages of the marked texts within `text`."""
    return {match.group(1) for match in _PIECE.finditer(text)} if OPEN in text else set()


def untagged(record: Record) -> Record:
    """A dataclass with every text field plain (a chart's labels, which no format can tag)."""
    changes = {f.name: plain(value) for f in dataclasses.fields(record) if isinstance(value := getattr(record, f.name), str)}
    return dataclasses.replace(record, **changes)


def texts_in(value: Any) -> list[str]:
    """Every string inside a tree of dataclasses, tuples, lists and dicts: what a document shows, to find its marks."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [text for f in dataclasses.fields(value) for text in texts_in(getattr(value, f.name))]
    if isinstance(value, (tuple, list)):
        return [text for item in value for text in texts_in(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_in(item)]
    return []


def language_settings(doc: YamlDocument, display: str, problems: ProblemCollector) -> LanguageSettings:
    """`fallback:` and `draft_languages:` of dossier.yaml; each problem recorded with its line."""
    settings, found = parse_settings(doc.data.get("fallback"), doc.data.get("draft_languages"))
    for key, message in found:
        problems.add(display, doc.line(key.split(".")[0]), key, message)
    return settings


def parse_settings(fallback: Any, drafts: Any) -> tuple[LanguageSettings, list[tuple[str, str]]]:
    """`fallback:` and `draft_languages:` as written, and each problem as (key, message)."""
    known = (SOURCE_LANGUAGE, *LANGUAGES)
    problems: list[tuple[str, str]] = []
    chains: dict[str, tuple[str, ...]] = {}
    if fallback is not None and not isinstance(fallback, dict):
        problems.append(("fallback", "must be a mapping of a language to the languages it falls back to: {kk: [ru]}"))
    for lang, chain in (fallback or {}).items() if isinstance(fallback, dict) else ():
        if not isinstance(lang, str) or not _LANG_CODE.fullmatch(lang):
            problems.append(("fallback", f"'{lang}' is not a language code such as kk or uz"))
        elif not isinstance(chain, list) or not all(isinstance(other, str) for other in chain):
            problems.append((f"fallback.{lang}", "must be a list of language codes: [ru]"))
        elif unknown := [other for other in chain if other not in known or other == lang]:
            message = f"'{unknown[0]}' cannot be fallen back to; the languages are {', '.join(known)}"
            problems.append((f"fallback.{lang}", message))
        else:
            chains[lang] = tuple(chain)
    if drafts is not None and not (isinstance(drafts, list) and all(isinstance(lang, str) for lang in drafts)):
        problems.append(("draft_languages", "must be a list of language codes: [kk, uz]"))
        drafts = []
    elif unknown := [lang for lang in drafts or [] if lang not in LANGUAGES]:
        problems.append(("draft_languages", f"'{unknown[0]}' is not a language of the dossier's texts ({', '.join(LANGUAGES)})"))
    return LanguageSettings(chains, tuple(drafts or ())), problems
