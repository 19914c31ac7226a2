"""The schemas of the YAML inputs, declared once with pydantic, and their errors as `path:line: field: message`.

Each mapping a YAML file holds (dossier.yaml and each of its partners, sources and targets, an area's or a brief's
front matter, an audience, a job) is a `Record`: its fields are the keys it may have, each typed with a value type
of `reports/dossier/fields.py`, whose parser gives the message a reader sees. Every field has a default (None
unless the schema says otherwise) and the default is validated too, so a missing key reaches its parser, which
says "is required" where the key is. `title` of a field is the kind of value the reference tables of the docs show
(or its default), `description` its rule (`tools/docs_tables.py` writes those tables from the schemas).

Pydantic names each error by its `loc`, the keys and list positions down to the value; `Place` turns that into
the line of the key (the YAML loader keeps the line of every key and list item) and the field name the messages
use, `partners[1].code`. The audiences and the jobs file, above this stage, use the same records and places.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from reports.dossier.fields import OptionalText
from reports.dossier.readers import YamlDocument
from reports.dossier.vocabulary import LANGUAGES
from reports.errors import ProblemCollector

Loc = tuple[str | int, ...]
RecordT = TypeVar("RecordT", bound="Record")


class Record(BaseModel):
    """One YAML mapping: only its declared keys, each checked by its value type's parser, even when absent."""

    model_config = ConfigDict(extra="forbid", validate_default=True, frozen=True, arbitrary_types_allowed=True)

    # What a value that is not a mapping is told (`{kind}`: the YAML type it is instead).
    not_a_mapping: ClassVar[str] = "must be a mapping of keys, not {kind}"
    # The fields whose `<field>_<lang>` translations the record may carry (`translatable()` adds those keys).
    translated: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def unknown_key(cls) -> str:
        """The message for a key the record does not have."""
        known = ", ".join(cls.model_fields)
        return f"unknown key; known keys: {known}" if known else "unknown key; no key belongs here"

    def translations(self) -> dict[str, dict[str, str]]:
        """The `<field>_<lang>` texts by language, empty ones left out."""
        found: dict[str, dict[str, str]] = {}
        for lang in LANGUAGES:
            texts = {name: text for name in self.translated if (text := getattr(self, f"{name}_{lang}"))}
            if texts:
                found[lang] = texts
        return found


def key(kind: str, rule: str, default: Any = None) -> Any:
    """A field of a Record: the kind of value and the rule the reference tables show."""
    return Field(default, title=kind, description=rule)


def listed(required: bool = False, message: str = "must be a list, not {kind}") -> BeforeValidator:
    """A list (absent: empty, or "is required"); its items are then checked by the list's item type."""

    def parse(value: Any) -> list[Any]:
        if value is None:
            if required:
                raise ValueError("is required")
            return []
        if not isinstance(value, list):
            raise ValueError(message.format(kind=type(value).__name__))
        return value

    return BeforeValidator(parse)


@dataclass(frozen=True)
class Entries:
    """Field metadata: a list whose items are `record`s that the loader validates one by one, so that a wrong item
    leaves the others (a wrong source is reported once; what cites the right ones is still checked)."""

    record: type[Record]


def translatable(model: type[RecordT]) -> type[RecordT]:
    """A class decorator: `model` with an optional `<field>_<lang>` text for each of its `translated` fields and
    each language of LANGUAGES (docs/dossier-format.md, "Text in other languages")."""
    keys: dict[str, Any] = {
        f"{name}_{lang}": (OptionalText, key("text", f"optional: `{name}` in {lang}"))
        for name in model.translated
        for lang in LANGUAGES
    }
    return create_model(model.__name__, __base__=model, __module__=model.__module__, **keys)


def label(loc: Loc) -> str:
    """A field as messages name it: `partners[1].code`, `sections[0]`."""
    text = ""
    for part in loc:
        if not text:
            text = str(part)  # a key, also a number written as a key (`1: ...`)
        else:
            text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


@dataclass(frozen=True)
class Place:
    """Where a record is: its file, its path within the YAML document and the name messages give it."""

    doc: YamlDocument
    display: str
    problems: ProblemCollector
    path: Loc = ()
    whole: str = ""  # the field named when the record itself is wrong (not a mapping)

    def at(self, *parts: str | int) -> Place:
        """The place of a record nested in this one (`place.at("sources", 2)`)."""
        return Place(self.doc, self.display, self.problems, (*self.path, *parts), self.whole)

    def line(self, *loc: str | int) -> int | None:
        return self.doc.line(*self.path, *loc)

    def add(self, loc: Loc, message: str) -> None:
        field = label((*self.path, *loc)) or self.whole
        self.problems.add(self.display, self.line(*loc), field, message)


# Where an error goes: the `loc` of the error within the record and the message.
Report = Callable[[Loc, str], None]


def validated(model: type[RecordT], data: Any, place: Place | Report, context: Any = None) -> RecordT | None:
    """`data` as a `model`, or None after reporting every problem at `place`; `context` is what validators that
    need more than the value find in `info.context` (the folder a jobs file's paths are relative to)."""
    report = place.add if isinstance(place, Place) else place
    if not isinstance(data, dict):
        report((), model.not_a_mapping.format(kind=type(data).__name__))
        return None
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        # Unknown keys first, as a reader fixes them first (a misspelt key also leaves its field missing).
        for details in sorted(error.errors(include_url=False), key=lambda details: details["type"] != "extra_forbidden"):
            report(details["loc"], message(model, details))
        return None


def partly_validated(model: type[RecordT], data: Any, place: Place) -> tuple[RecordT | None, dict[str, Any]]:
    """`data` as a `model` and its fields by name; when a field is wrong, None and the fields that are right on
    their own (the others None), after reporting every problem: a dossier.yaml with a wrong title still has its
    sources, and the checks after it need them."""
    record = validated(model, data, place)
    if record is not None:
        return record, dict(record)
    if not isinstance(data, dict):
        return None, dict.fromkeys(model.model_fields)
    return None, {name: _valid_alone(model, name, data) for name in model.model_fields}


def _valid_alone(model: type[Record], name: str, data: dict[str, Any]) -> Any:
    """The field's value if it is valid on its own, else None."""
    field = model.model_fields[name]
    value = data[name] if name in data else field.get_default(call_default_factory=True)
    try:
        return _field_adapter(model, name).validate_python(value)
    except ValidationError:
        return None


@functools.cache
def _field_adapter(model: type[Record], name: str) -> TypeAdapter[Any]:
    field = model.model_fields[name]
    annotation: Any = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return TypeAdapter(annotation)


def message(model: type[Record], details: ErrorDetails) -> str:
    """The reader's message for one pydantic error: the parser's own words, or what the schema says about the
    key; pydantic's wording only for what no parser catches."""
    kind = details["type"]
    if kind in ("value_error", "assertion_error"):
        return str(details.get("ctx", {}).get("error", details["msg"]))
    inner = record_at(model, details["loc"][:-1])
    if kind == "extra_forbidden":
        return inner.unknown_key()
    if kind in ("model_type", "model_attributes_type"):
        return record_at(model, details["loc"]).not_a_mapping.format(kind=type(details["input"]).__name__)
    return details["msg"]


def record_at(model: type[Record], loc: Loc) -> type[Record]:
    """The record a `loc` leads into (a nested record's keys, list positions skipped)."""
    for part in loc:
        if isinstance(part, int) or part not in model.model_fields:
            continue
        inner = nested_record(model.model_fields[part].annotation)
        if inner is None:
            break
        model = inner
    return model


def nested_record(annotation: Any) -> type[Record] | None:
    """The Record a field's type holds (a record, a list of records, either or None), if any."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    for argument in typing.get_args(annotation):
        if (inner := nested_record(argument)) is not None:
            return inner
    return None


# ---------------------------------------------------------------- the reference tables of the docs


def reference_table(model: type[Record], header: tuple[str, str, str] = ("key", "type", "rule")) -> str:
    """The Markdown table of a record's keys, as docs/dossier-format.md and docs/scheduling.md show it: key, the
    field's title (the kind of value, a list of records as `{key, optional_key?}`; or its default, as `header`
    says), rule; the translations as one row per field."""
    rows = ["|" + "|".join(f" {column} " if column else " " for column in header) + "|", "|---|---|---|"]
    translations = {f"{name}_{lang}" for name in model.translated for lang in LANGUAGES}
    for name, field in model.model_fields.items():
        if name not in translations:
            rows.append(f"| `{name}` | {_kind(field)} | {field.description or ''} |")
    for name in model.translated:
        languages = ", ".join(f"`{lang}`" for lang in LANGUAGES)
        rule = f"optional: `{name}` in another language ({languages}; see [Text in other languages](#text-in-other-languages))"
        rows.append(f"| `{name}_<lang>` | text | {rule} |")
    return "\n".join(rows) + "\n"


def _kind(field: FieldInfo) -> str:
    """A field's kind: its title, followed for a list of records by their keys, `?` after the optional ones."""
    title = field.title or ""
    inner = next((meta.record for meta in field.metadata if isinstance(meta, Entries)), None)
    if inner is None and typing.get_origin(field.annotation) is list:
        inner = nested_record(field.annotation)
    if inner is None:
        return title
    translations = {f"{name}_{lang}" for name in inner.translated for lang in LANGUAGES}
    keys = [
        f"{name}?" if (field.description or "").startswith("optional") else name
        for name, field in inner.model_fields.items()
        if name not in translations
    ]
    keys += [f"{name}_<lang>?" for name in inner.translated]
    return f"{title} `{{{', '.join(keys)}}}`"
