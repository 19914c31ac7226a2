"""Kazakh and Uzbek names in a case: the case suffix chosen by rule, as a grammar book gives it.

Kazakh suffixes follow vowel harmony (a back last vowel а о ұ ы takes -ға, a front one ә е ө ү і takes -ге) and the
last sound (after a vowel, a sonorant, a voiced or a voiceless consonant): Қазақстанға, Қазақстанның, Қазақстаннан,
Ресейге, Түркияға. Uzbek has one suffix per case, with the dative assimilated after k and q: Qozogʻistonga,
Oʻzbekistonning, Qozogʻistondan; its instrumental is the word `bilan` after the name. The suffix goes on the last
word (`Біріккен Араб Әмірліктері` would take it there too). A name these rules get wrong (an abbreviation read
letter by letter, a name ending in a possessive suffix: Корея Республикасына) is given in the dossier
(`name_kk_cases`, `name_uz_cases`), which wins case by case.
"""

from __future__ import annotations

KAZAKH_BACK = set("аоұыяёуюАОҰЫЯЁУЮ")
KAZAKH_FRONT = set("әеөүіэиӘЕӨҮІЭИ")
KAZAKH_VOWELS = KAZAKH_BACK | KAZAKH_FRONT
# The sounds a Kazakh suffix's first consonant depends on, by the last letter of the name.
NASALS = set("мнң")
SONORANTS = set("лрйужз")  # л р й у and the voiced ж з
# Each case: (after a vowel, after м н ң, after л р й у ж з, after a voiceless consonant), back and front forms.
KAZAKH_SUFFIXES = {
    "gent": (("ның", "нің"), ("ның", "нің"), ("дың", "дің"), ("тың", "тің")),
    "datv": (("ға", "ге"), ("ға", "ге"), ("ға", "ге"), ("қа", "ке")),
    "accs": (("ны", "ні"), ("ды", "ді"), ("ды", "ді"), ("ты", "ті")),
    "loct": (("да", "де"), ("да", "де"), ("да", "де"), ("та", "те")),
    "ablv": (("дан", "ден"), ("нан", "нен"), ("дан", "ден"), ("тан", "тен")),
    "ablt": (("мен", "мен"), ("мен", "мен"), ("мен", "мен"), ("пен", "пен")),
}
UZBEK_SUFFIXES = {"gent": "ning", "datv": "ga", "accs": "ni", "loct": "da", "ablv": "dan"}


def kazakh(name: str, case: str) -> str:
    """The Kazakh name in `case` (nominative, or a case Kazakh has no suffix for: as written)."""
    suffixes = KAZAKH_SUFFIXES.get(case)
    word = name.rstrip()
    if suffixes is None or not word:
        return name
    last = word[-1].lower()
    vowels = [letter for letter in word.lower() if letter in KAZAKH_VOWELS]
    front = 1 if vowels and vowels[-1] in KAZAKH_FRONT else 0
    if last in "жз" and case == "ablt":
        return word + "бен"
    if last == "у" and len(word) > 1 and word[-2].lower() in KAZAKH_VOWELS:  # тау: у after a vowel is a consonant
        sound = 2
    elif last in KAZAKH_VOWELS:
        sound = 0
    elif last in NASALS:
        sound = 1
    elif last in SONORANTS:
        sound = 2
    else:  # voiceless: к қ п с т ф х ц ч ш щ һ, and б в г д, devoiced at the end of a word
        sound = 3
    suffix = suffixes[sound][front]
    return word + ("-" + suffix if word.isupper() and len(word) > 1 else suffix)  # АҚШ-қа: an abbreviation


def uzbek(name: str, case: str) -> str:
    """The Uzbek name in `case`: Qozogʻistonga, Oʻzbekistonning; the instrumental as `… bilan`."""
    word = name.rstrip()
    if case == "ablt":
        return f"{word} bilan"
    suffix = UZBEK_SUFFIXES.get(case)
    if suffix is None or not word:
        return name
    if case == "datv" and word[-1].lower() in "kq":
        suffix = word[-1].lower() + "a"  # Buxoroga, but Iroqqa, Bishkekka
    return word + suffix


SUFFIX_RULES = {"kk": kazakh, "uz": uzbek}  # the languages whose names take their case by these rules
