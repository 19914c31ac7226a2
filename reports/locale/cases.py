"""Partners' names in the grammatical case a message needs: "статистика Узбекистана", "экспорт в Казахстан".

A catalog message names the case after the placeholder, as a format spec: `{other:gent}` (genitive), `{other:accs}`
(accusative); `{other}` is the name as written (nominative). The cases are the OpenCorpora grammemes of CASES
(`nomn`, `gent`, `datv`, `accs`, `ablt`, `loct`) and `ablv`, the Turkic ablative. In Russian the forms come from the
morphology library pymorphy3 (its dictionary is a package of its own, so nothing is fetched at run time); in Kazakh
and Uzbek from the suffix rules of `suffixes.py`. Forms the dossier gives for a partner (`name_ru_cases`,
`name_kk_cases`, `name_uz_cases`, docs/dossier-format.md) take precedence, for names the rules get wrong. A language
without either says the name as written in every case.
"""

from __future__ import annotations

import functools

from reports.dossier.languages import pieces, tagged
from reports.dossier.vocabulary import CASES
from reports.locale.suffixes import SUFFIX_RULES

MORPHOLOGY_LANGUAGES = ("ru",)  # the languages pymorphy3 has a dictionary of, installed with it
MORPHOLOGY_CASES = CASES[:6]  # the OpenCorpora grammemes; Russian says the ablative `ablv` with the genitive
DECLINED = ("NOUN", "ADJF", "PRTF")  # the parts of speech of a name that take the case: adjectives up to the noun
# A country is inanimate: an adjective of a plural or masculine name takes the inanimate accusative ("в Объединённые").
_INANIMATE = {(pos, number, gender): {"inan"} for pos in DECLINED[1:] for number, gender in (("plur", None), ("sing", "masc"))}


class Name(str):
    """A name that a message may ask for in a case: `format(name, "gent")`; the nominative otherwise."""

    forms: dict[str, str]

    def __new__(cls, name: str, forms: dict[str, str] | None = None) -> Name:
        self = super().__new__(cls, name)
        self.forms = forms or {}
        return self

    def __format__(self, spec: str) -> str:
        if spec in CASES:
            return self.forms.get(spec, str(self))
        return format(str(self), spec)


def declined(name: str, lang: str, given: dict[str, str] | None = None) -> Name:
    """The name with its form in every case of CASES: the dossier's forms (`given`) first, then the library's or the
    rules'. A name that fell back to another language (reports/dossier/languages.py) is declined by the rules of the
    briefing's language, the suffix inside its language mark's text: the sentence around it is in that language."""
    (text_lang, text), *rest = pieces(name) or [(None, name)]
    if rest or text_lang is None:
        return Name(name, {case: inflect(name, case, lang) for case in CASES} | (given or {}))
    return Name(name, {case: tagged(inflect(text, case, lang), text_lang) for case in CASES})


@functools.cache
def _analyzer(lang: str):
    import pymorphy3  # loaded only when a briefing in a language with a morphology is written

    return pymorphy3.MorphAnalyzer(lang=lang)


@functools.cache
def inflect(name: str, case: str, lang: str) -> str:
    """`name` in `case`: each adjective before the first noun, and that noun, declined; the words after it kept
    ("Республика Корея" → "Республики Корея"). A word the library does not know as a nominative stops it there."""
    if case == "nomn":
        return name
    if lang in SUFFIX_RULES:
        return SUFFIX_RULES[lang](name, case)
    if lang not in MORPHOLOGY_LANGUAGES or case not in MORPHOLOGY_CASES:
        return name
    analyzer = _analyzer(lang)
    words = name.split(" ")
    for index, word in enumerate(words):
        parses = [p for p in analyzer.parse(word) if p.tag.case == "nomn" and p.tag.POS in DECLINED]
        if not parses:
            break
        parse = next((p for p in parses if "Geox" in p.tag), parses[0])  # a country before a person's name
        inanimate = _INANIMATE.get((parse.tag.POS, parse.tag.number, parse.tag.gender), set()) if case == "accs" else set()
        form = parse.inflect({case} | inanimate)
        if form is not None:
            words[index] = _same_capitals(word, form.word)
        if parse.tag.POS == "NOUN":
            break
    return " ".join(words)


def _same_capitals(original: str, form: str) -> str:
    """The library's lower-case form with the capitals of the original where the letters line up ("Кот-д’Ивуара")."""
    return "".join(c.upper() if i < len(original) and original[i].isupper() else c for i, c in enumerate(form))
