"""What each output of `reports run` depends on, as one content hash, read without building anything.

A light scan (PyYAML, csv and hashlib only: no dossier validation, no renderer) reads the files a briefing
is made from and hashes their bytes; modification times are never used. The hash of one output covers:

- the package version (`reports.__version__`);
- what the output is: report or pack (and its event), audience, language, format;
- the dossier: `dossier.yaml`, `trade.csv`, `trade_mirror.csv`, `events.csv`, `commitments.csv`, `people.csv`,
  every file of `briefs/`, and each
  `areas/<id>.md` (with every `areas/<id>.<lang>.md` for an output in another language than English: a text
  missing in its language falls back to another's, by the chain `dossier.yaml` sets), except that an audience without
  restricted material depends only on the *fact* that a restricted area is restricted, not on its text;
- the templates: every file of the search path (the job's folder, then the built-in one) except other
  languages' catalogs (`locale/<lang>/...`) and the audience files, of which only the audience's own file
  and those it `extends:` count;
- what depends on the as-of date: which events are upcoming (dated after it), which years of trade count
  (up to its year), and for a pack the lead window its event is in (30, 7, 1 days ahead ...).

The as-of date itself is not part of the hash: a briefing whose content would come out the same keeps
the as-of date it was built on. Anything the scan cannot read (a broken file) is hashed as bytes all the
same (a FIFO, a device or a file over 64 MiB as `unreadable`, never read), and a date it cannot parse makes the
hash depend on the as-of date: the build then reports the problem properly.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reports import __version__
from reports.dossier.dates import FuzzyDate
from reports.dossier.readers import SafeLoader, read_regular_file, split_front_matter
from reports.dossier.vocabulary import AREA_FILE, AREA_TRANSLATION_FILE, SOURCE_LANGUAGE
from reports.template_folders import BUILTIN_TEMPLATES

DOSSIER_FILES = ("dossier.yaml", "trade.csv", "trade_mirror.csv", "events.csv", "commitments.csv", "people.csv")
ABSENT = "absent"
UNREADABLE = "unreadable"  # not a regular file, or too large: the build says so and writes nothing
MAX_HASHED_BYTES = 64 * 1024 * 1024  # far above any input the build accepts (a dossier file: 5 MiB)


def _read(path: Path) -> bytes | None:
    """The bytes of a regular file, None if it is too large; a FIFO or a device is NotARegularFile (an
    OSError), never a hang."""
    raw, _ = read_regular_file(path, MAX_HASHED_BYTES)
    return raw if len(raw) <= MAX_HASHED_BYTES else None


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, `absent`, or `unreadable`."""
    try:
        raw = _read(path)
    except (FileNotFoundError, NotADirectoryError):
        return ABSENT
    except OSError:
        return UNREADABLE
    return hashlib.sha256(raw).hexdigest() if raw is not None else UNREADABLE


def _text(path: Path) -> str | None:
    try:
        raw = _read(path)
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n") if raw is not None else None
    except (OSError, UnicodeDecodeError):
        return None


def _yaml(text: str | None) -> Any:
    """The build's own YAML loader: libyaml's speed, and a deeply nested file is None, not a crashed process."""
    if text is None:
        return None
    try:
        return yaml.load(text, Loader=SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def _csv_rows(text: str | None) -> list[dict[str, str]] | None:
    if text is None:
        return None
    try:
        return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]
    except csv.Error:
        return None


@dataclass(frozen=True)
class EventDate:
    id: str
    kind: str
    first_day: dt.date | None  # None: the date cannot be read (the build will say why)


@dataclass(frozen=True)
class AreaFiles:
    sha256: str
    restricted: bool  # as the front matter says; an unreadable front matter counts as not restricted
    translations: dict[str, str]  # lang → sha256 of areas/<id>.<lang>.md


@dataclass
class DossierScan:
    """The dossier's files as bytes hashes plus the few facts the plan needs: id, events, trade years."""

    folder: Path
    id: str | None
    files: dict[str, str]
    areas: dict[str, AreaFiles]
    other_area_files: dict[str, str]  # files in areas/ that are no area: the build rejects them
    events: list[EventDate]
    trade_years: list[int] | None  # every year of trade.csv and trade_mirror.csv; None if one cannot be read

    def upcoming(self, as_of: dt.date) -> list[EventDate]:
        return [event for event in self.events if event.first_day is not None and event.first_day > as_of]

    def as_of_key(self, as_of: dt.date) -> dict[str, Any]:
        """What in a briefing depends on the as-of date, short of the date itself."""
        if self.trade_years is None or any(event.first_day is None for event in self.events):
            return {"as_of": as_of.isoformat()}  # cannot tell: depend on the date itself
        return {
            "upcoming": sorted(event.id for event in self.upcoming(as_of)),
            "trade_years": sorted({year for year in self.trade_years if year <= as_of.year}),
        }


def _front_matter(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        front, _, _ = split_front_matter(text)
    except ValueError:
        return None
    data = _yaml(front)
    return data if isinstance(data, dict) else None


def scan_dossier(folder: Path) -> DossierScan:
    identity = _yaml(_text(folder / "dossier.yaml"))
    dossier_id = identity.get("id") if isinstance(identity, dict) else None
    files = {name: sha256_file(folder / name) for name in DOSSIER_FILES}
    brief_folder = folder / "briefs"  # packs' notes: any change rebuilds (a report does not show them, but cheaply so)
    for path in sorted(brief_folder.iterdir()) if brief_folder.is_dir() else []:
        files[f"briefs/{path.name}"] = sha256_file(path) if path.is_file() else "folder"
    areas: dict[str, AreaFiles] = {}
    translations: dict[str, dict[str, str]] = {}
    others: dict[str, str] = {}
    area_folder = folder / "areas"
    for path in sorted(area_folder.iterdir()) if area_folder.is_dir() else []:
        if match := AREA_FILE.match(path.name):
            front = _front_matter(_text(path))
            areas[match[1]] = AreaFiles(sha256_file(path), bool(front) and front.get("restricted") is True, {})
        elif match := AREA_TRANSLATION_FILE.match(path.name):
            translations.setdefault(match[1], {})[match[2]] = sha256_file(path)
        else:
            others[path.name] = sha256_file(path) if path.is_file() else "folder"
    for area_id, by_lang in translations.items():
        if area_id in areas:
            areas[area_id].translations.update(by_lang)
        else:
            others.update({f"{area_id}.{lang}.md": sha for lang, sha in by_lang.items()})
    events = []
    for row in _csv_rows(_text(folder / "events.csv")) or []:
        try:
            first_day: dt.date | None = FuzzyDate.parse(row.get("date", "")).first_day
        except ValueError:
            first_day = None
        events.append(EventDate(row.get("id", ""), row.get("kind", ""), first_day))
    years: list[int] | None = []
    for name in ("trade.csv", "trade_mirror.csv"):
        rows = _csv_rows(_text(folder / name)) if files[name] != ABSENT else []
        try:
            years = None if rows is None or years is None else years + [int(row.get("year", "")) for row in rows]
        except ValueError:
            years = None
    return DossierScan(folder, dossier_id if isinstance(dossier_id, str) else None, files, areas, others, events, years)


# ---------------------------------------------------------------- templates and audiences


@dataclass
class AudienceScan:
    name: str
    include_restricted: bool
    files: list[tuple[int, str, str]]  # (folder index, path in the folder, sha256): its file and those it extends


@dataclass
class TemplateScan:
    """The search path's files as hashes, and each audience's own chain of files."""

    folders: list[Path]
    common: list[tuple[int, str, str]]  # every file but the audience files
    audiences: dict[str, AudienceScan] = field(default_factory=dict)


def template_search_path(user_templates: Path | None) -> list[Path]:
    """As `template_folders()`, without its checks (which open reference.docx with python-docx)."""
    return [user_templates.resolve(), BUILTIN_TEMPLATES] if user_templates is not None else [BUILTIN_TEMPLATES]


def scan_templates(user_templates: Path | None) -> TemplateScan:
    folders = template_search_path(user_templates)
    common: list[tuple[int, str, str]] = []
    audience_files: list[tuple[int, str, Path]] = []  # (folder index, name, path), in search order
    for index, folder in enumerate(folders):
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if path.parent == folder / "audiences" and path.suffix == ".yaml":
                audience_files.append((index, path.stem, path))
            else:
                common.append((index, relative, sha256_file(path)))
    scan = TemplateScan(folders, common)
    data = {(index, name): _yaml(_text(path)) for index, name, path in audience_files}
    every_file = [(index, f"audiences/{path.name}", sha256_file(path)) for index, _, path in audience_files]
    for index, name, _ in audience_files:
        if name in scan.audiences:
            continue  # hidden by the same name in an earlier folder
        chain = _audience_chain((index, name), data)
        if chain is None:  # unreadable, or a broken `extends:`: depend on every audience file, show everything
            scan.audiences[name] = AudienceScan(name, True, every_file)
            continue
        restricted = next((data[key]["include_restricted"] for key in chain if "include_restricted" in data[key]), False)
        files = [(i, f"audiences/{n}.yaml", sha256_file(folders[i] / "audiences" / f"{n}.yaml")) for i, n in chain]
        scan.audiences[name] = AudienceScan(name, restricted is True, files)
    return scan


def _audience_chain(start: tuple[int, str], data: dict[tuple[int, str], Any]) -> list[tuple[int, str]] | None:
    """The audience file and the files it extends, as `reports.briefing.audiences` resolves them; None if broken."""
    chain = [start]
    while True:
        content = data[chain[-1]]
        if not isinstance(content, dict):
            return None
        if "extends" not in content:
            return chain
        parent_name = content["extends"]
        index, name = chain[-1]
        candidates = sorted(key for key in data if key[1] == parent_name and (parent_name != name or key[0] > index))
        if not candidates or candidates[0] in chain:
            return None
        chain.append(candidates[0])


# ---------------------------------------------------------------- one output's hash


def _for_language(relative: str, lang: str) -> bool:
    """Whether a template file can matter to an output in `lang`: not another language's catalog."""
    parts = relative.split("/")
    return not (len(parts) > 2 and parts[0] == "locale" and parts[1] != lang)


def inputs_hash(
    scan: DossierScan,
    templates: TemplateScan,
    audience: str,
    lang: str,
    output_format: str,
    as_of: dt.date,
    event_id: str | None = None,
    window: int | None = None,
) -> str:
    """The content hash of everything one output is made from (module docstring)."""
    audience_scan = templates.audiences.get(audience)
    public = audience_scan is not None and not audience_scan.include_restricted
    def area_key(area: AreaFiles) -> list:
        if lang == SOURCE_LANGUAGE:
            return [area.sha256, ABSENT]
        return [area.sha256, dict(sorted(area.translations.items()))]  # its language and those it may fall back to

    areas = {area_id: "restricted" if public and area.restricted else area_key(area) for area_id, area in scan.areas.items()}
    key = {
        "version": __version__,
        "output": {"event": event_id, "audience": audience, "lang": lang, "format": output_format},
        "templates": [entry for entry in templates.common if _for_language(entry[1], lang)],
        "audience": audience_scan.files if audience_scan else None,
        "dossier": scan.files,
        "areas": areas,
        "other_area_files": scan.other_area_files,
        "as_of": scan.as_of_key(as_of) | ({"window": window} if event_id is not None else {}),
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()
