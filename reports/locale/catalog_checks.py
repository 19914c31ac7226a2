"""What a catalog may declare and say, checked before it is used: a house catalog is input like any other.

A catalog's header and messages run as code at render time: the `Plural-Forms` expression is evaluated for every
count, and each translation is formatted with the message's values. So a catalog is refused (exit 2, naming the
file, the line and what is wrong) when its `Plural-Forms` declares more forms than any language has or an
expression that fails (`n/0`, unbalanced brackets, an endless one), or when a translation uses a placeholder its
message does not give (`{nosuch}`, `{0}`, `%(nosuch)s`) or a format specification (`{reporter:>900000000}`).
"""

from __future__ import annotations

import gettext
import re
import string
from collections.abc import Callable

from reports.dossier.vocabulary import CASES
from reports.errors import Problem

MAX_PLURAL_FORMS = 6  # CLDR's most (Arabic); a larger nplurals is a mistake or an attack
MAX_PLURAL_EXPRESSION = 300  # characters: real ones are under 200
MAX_CATALOG_BYTES = 5 * 1024 * 1024
# The values every message of the briefing may use without naming them in its msgid (`Words.values`).
SHARED_VALUES = ("reporter", "other", "currency", "unit", "base_year")
_PLURAL_FORMS = re.compile(r'^"Plural-Forms:\s*(.*?)(?:\\n)?"\s*$', re.MULTILINE | re.IGNORECASE)
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_PLURAL = re.compile(r"plural\s*=\s*(.*?);?\s*$")
_PERCENT_NAME = re.compile(r"%\((\w+)\)")
# Every count a briefing is likely to ask a plural rule about (days to an event, years, items) and large ones; a
# count beyond them for which the rule still fails gets the last form (`safe_plural`).
_COUNTS = (*range(0, 10_000), 10**5, 10**6, 10**9 + 1)


def plural_forms_problems(text: str, display: str) -> list[Problem]:
    """The `Plural-Forms` header, checked before the catalog is read (a huge nplurals makes the reader allocate it)."""
    match = _PLURAL_FORMS.search(text[:65536])
    if match is None:
        return []
    line = text.count("\n", 0, match.start()) + 1
    header = match.group(1)

    def problem(message: str) -> list[Problem]:
        return [Problem(display, line, "Plural-Forms", message)]

    count = _NPLURALS.search(header)
    expression = _PLURAL.search(header[count.end() :] if count else header)
    if count is None or expression is None:
        return problem("must be 'nplurals=N; plural=EXPRESSION;'")
    if not 1 <= int(count.group(1)) <= MAX_PLURAL_FORMS:
        return problem(f"nplurals={count.group(1)}: a language has 1 to {MAX_PLURAL_FORMS} plural forms")
    if len(expression.group(1)) > MAX_PLURAL_EXPRESSION:
        return problem(f"the plural expression is longer than {MAX_PLURAL_EXPRESSION} characters")
    try:
        rule = gettext.c2py(expression.group(1))
        forms = {rule(n) for n in _COUNTS}
    except (ValueError, ArithmeticError, RecursionError, SyntaxError) as error:
        return problem(f"the plural expression {expression.group(1)!r} fails ({type(error).__name__}: {error})")
    if not forms <= set(range(int(count.group(1)))):
        return problem(f"the plural expression gives forms {sorted(forms)}, nplurals is {count.group(1)}")
    return []


def safe_plural(rule: Callable[[int], int], forms: int) -> Callable[[int], int]:
    """`rule`, but a count it fails on (`n/(n-757)` at 757) or sends outside the forms gets the last form, the one
    languages use for large counts, instead of ending the build."""

    def plural(n: int) -> int:
        try:
            form = rule(n)
        except (ArithmeticError, ValueError, RecursionError, TypeError):
            return forms - 1
        return form if isinstance(form, int) and 0 <= form < forms else forms - 1

    return plural


def declared_forms(header: str) -> int:
    """nplurals of a catalog's `Plural-Forms` value (2, the English count, where it declares none)."""
    count = _NPLURALS.search(header)
    return int(count.group(1)) if count else 2


def message_problems(msgid: str, msgstr: str, display: str, line: int | None) -> list[Problem]:
    """A translation may use only its message's placeholders (and the shared values), each plainly: `{name}`."""
    try:
        given = {field for _, field, _, _ in string.Formatter().parse(msgid) if field is not None}
        used = [(field, spec, conversion) for _, field, spec, conversion in string.Formatter().parse(msgstr) if field is not None]
    except ValueError as error:  # an unbalanced brace in the msgid too: the message is not brace-formatted at all
        if "{" in msgid or "}" in msgid:
            return []
        return [Problem(display, line, "msgstr", f"{msgstr!r}: {error}")]
    problems = []
    for field, spec, conversion in used:
        if field not in given and field not in SHARED_VALUES:
            known = ", ".join(f"{{{name}}}" for name in sorted(given | set(SHARED_VALUES)))
            problems.append(Problem(display, line, "msgstr", f"{msgstr!r} uses {{{field}}}; it may use {known}"))
        elif (spec or conversion) and _field(field, spec, conversion) not in msgid and not _a_case(spec, conversion):
            problems.append(Problem(display, line, "msgstr", f"{msgstr!r}: {{{field}}} takes no format specification here"))
    names = set(_PERCENT_NAME.findall(msgid))
    for name in _PERCENT_NAME.findall(msgstr):
        if name not in names:
            problems.append(Problem(display, line, "msgstr", f"{msgstr!r} uses %({name})s, which its message does not give"))
    return problems


def _a_case(spec: str | None, conversion: str | None) -> bool:
    """`{other:gent}`: a grammatical case of a name (reports/locale/cases.py), the one specification a translation
    may add; it names a form, so it cannot make the text longer than the name's longest form."""
    return not conversion and spec in CASES


def _field(name: str, spec: str | None, conversion: str | None) -> str:
    """`{name!r:>5}` as written."""
    return "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
