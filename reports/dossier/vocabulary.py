"""The words a dossier may use: event kinds, statuses, units, languages, file names and columns.

One definition each, importable without loading anything else, so the scheduler's no-op path and the loader
agree by construction instead of by a test comparing copies.
"""

from __future__ import annotations

import re

SLUG = re.compile(r"^[a-z0-9-]+$")
ALPHA3 = re.compile(r"^[A-Z]{3}$")
UNITS = ("million", "billion")  # the keys of UNIT_FACTORS
METRICS = ("turnover", "exports", "imports")
TRADE_STATUSES = ("official", "preliminary", "estimate", "lower_bound")  # lower_bound: the source says "more than"
EVENT_KINDS = (
    "state_visit",
    "official_visit",
    "working_visit",
    "summit",
    "agreement",
    "commission",
    "forum",
    "parliamentary",
    "ministerial",
    "cultural",
    "other",
)
LEADERS_MEETING_KINDS = EVENT_KINDS[:4]
BILATERAL_MEETING_KINDS = EVENT_KINDS[:3]  # leaders' meetings of the two alone; a summit is multilateral
COMMITMENT_STATUSES = ("done", "on_track", "in_progress", "delayed", "not_started", "superseded", "unknown")
EVENT_STATUSES = ("held", "planned", "postponed", "cancelled")  # empty: held once its first day has come, else planned
TURNOVER_TOLERANCE = 0.01  # sources round: exports + imports may differ from turnover by 1 %
SOURCE_LANGUAGE = "en"  # the language a dossier is written in and the messages' msgids are
LANGUAGES = ("ru", "kk", "uz")  # languages that dossier text may be translated into (Kazakh in Cyrillic, Uzbek in Latin)
# The free-text fields of each kind of record: each may have a `<field>_<lang>` column or key for every language of
# LANGUAGES (docs/dossier-format.md, "Text in other languages"). Areas are translated by a file of their own.
TRANSLATABLE = {
    "dossier": ("title",),
    "partner": ("name",),
    "source": ("title", "publisher"),
    "target": ("description",),
    "trade": ("note",),
    "event": ("title", "place", "summary"),
    "person": ("name", "role"),
    "commitment": ("text",),
}
# The grammatical cases a partner's name may be given in (`name_<lang>_cases`) and a catalog message may ask for
# (`{other:gent}`): the names of the OpenCorpora grammemes that the Russian morphology library uses, and `ablv`, the
# ablative of Kazakh and Uzbek ("from": Қазақстаннан, Qozogʻistondan), which Russian says with the genitive.
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "ablv")


def translation_keys(fields: tuple[str, ...]) -> list[str]:
    """The `<field>_<lang>` columns or keys that translate `fields`."""
    return [f"{field}_{lang}" for field in fields for lang in LANGUAGES]


TRADE_COLUMNS = ["year", "exports", "imports", "turnover", "status", "source"]
PARTIAL_YEAR_COLUMNS = ["year", "months", "exports", "imports", "turnover", "status", "source"]
EVENT_COLUMNS = ["id", "date", "end_date", "kind", "title", "place", "summary", "areas", "source"]
PEOPLE_COLUMNS = ["id", "name", "role", "partner", "since", "source"]
PRODUCT_COLUMNS = ["year", "flow", "code", "name", "value", "source"]
PRODUCT_FLOWS = ("exports", "imports")
COMMITMENT_COLUMNS = ["id", "agreed_on", "text", "area", "due", "status", "status_as_of", "source"]
UNIT_FACTORS = {"million": 1.0, "billion": 1000.0}  # each unit of UNITS in millions
AREA_FILE = re.compile(r"^([a-z0-9-]+)\.md$")
AREA_TRANSLATION_FILE = re.compile(r"^([a-z0-9-]+)\.([a-z]{2})\.md$")
# the sections of a pack's brief (briefs/<event id>.md), in the order a pack shows them
BRIEF_HEADINGS = ("Objectives", "Lines to take", "Their likely asks", "Press line", "Questions and answers", "Risks")
PUBLIC_BRIEF_HEADINGS = ("Press line",)  # and "Questions and answers" when the brief says public_qa: true
