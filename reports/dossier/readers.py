"""Reading dossier files as text: UTF-8 (BOM accepted), CSV cells as strings, YAML with line numbers."""

from __future__ import annotations

import contextlib
import contextvars
import csv
import hashlib
import io
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

try:
    from yaml._yaml import CParser  # PyYAML built with libyaml, as its wheels are

    LIBYAML = True
except ImportError:
    LIBYAML = False

from reports.dossier.text import clean_text
from reports.dossier.vocabulary import AREA_TRANSLATION_FILE
from reports.errors import ProblemCollector

MAX_FILE_BYTES = 5 * 1024 * 1024  # a dossier file larger than this is a mistake, not data
# An area's or a brief's Markdown file: some 30 pages of text (a real one is a few KB). Markdown is parsed at
# load and again for every document, about a second per 100 KB at worst (a body of `[`), so it is bounded tighter.
MAX_MARKDOWN_BYTES = 200_000
MAX_ROWS = 20_000  # rows of one CSV file: decades of years, thousands of events
MAX_CELL_CHARS = 10_000  # one CSV cell: a long summary is a few hundred characters
MAX_YAML_VALUES = 100_000  # values of one YAML file, an alias counted each time it is used (billion laughs)
MAX_YAML_DEPTH = 100  # levels of nesting of one YAML file: a dossier needs fewer than ten
ARCHIVE_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b")  # zip (also .xlsx, .docx), empty zip, gzip


class NotARegularFile(OSError):
    """A FIFO, a device or a folder where a file was expected."""


ABSENT = "absent"
UNREADABLE = "unreadable"
_RECORD: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("reports_read_record", default=None)


@contextlib.contextmanager
def recording() -> Iterator[dict[str, str]]:
    """Every file read meanwhile (its path: the sha256 of the bytes read), every optional file looked for and
    not found (`absent`) and every folder listed (`listing:` and the sha256 of its names).

    What a build made a document from is what its loader read, not a list kept beside the loader: the record is
    what `reports run` hashes to tell whether a document is up to date, so a file the loader learns to read is an
    input the day it does."""
    record: dict[str, str] = {}
    token = _RECORD.set(record)
    try:
        yield record
    finally:
        _RECORD.reset(token)


def _note(path: Path, digest: str) -> None:
    record = _RECORD.get()
    if record is not None:
        record[str(path)] = digest


def optional_file(path: Path) -> bool:
    """Whether an optional file is there; its absence is recorded, so creating it makes the build out of date."""
    if path.exists():
        return True
    _note(path, ABSENT)
    return False


TRANSLATIONS_LISTING = "*.LANG.md"  # recorded beside a folder: the names of its translations (`<id>.<lang>.md`)


def list_folder(folder: Path) -> list[Path]:
    """The entries of a folder, sorted; the names are recorded, so a new or removed entry is a change. The names of
    translations (`<id>.<lang>.md`) are recorded apart, as `{folder}/*.LANG.md`: a new Russian text is no change to
    an English briefing."""
    entries = sorted(folder.iterdir())
    translations = [entry for entry in entries if AREA_TRANSLATION_FILE.match(entry.name)]
    for key, chosen in ((folder, [entry for entry in entries if entry not in translations]),
                        (folder / TRANSLATIONS_LISTING, translations)):  # fmt: skip
        names = "\n".join(entry.name + ("/" if entry.is_dir() else "") for entry in chosen)
        _note(key, "listing:" + hashlib.sha256(names.encode("utf-8", "surrogateescape")).hexdigest())
    return entries


def read_regular_file(path: Path, limit: int) -> tuple[bytes, int]:
    """At most `limit` + 1 bytes of a regular file (more than `limit`: too large, the caller says so) and its
    size. Anything but a regular file is NotARegularFile: a FIFO or a device such as /dev/zero would hang or
    never end. Inside `recording()` the bytes read are recorded (a file that cannot be read as `unreadable`)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a FIFO must not wait for a writer
        with os.fdopen(handle, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode):
                raise NotARegularFile(f"{path} is not a regular file")
            raw = file.read(limit + 1)  # the size read, not stated: a file may grow meanwhile
    except FileNotFoundError:
        _note(path, ABSENT)
        raise
    except OSError:
        _note(path, UNREADABLE)
        raise
    _note(path, hashlib.sha256(raw).hexdigest())
    return raw, max(status.st_size, len(raw))


def links_outside(folder: Path, dossier: Path, problems: ProblemCollector) -> bool:
    """True, after recording the problem, when a folder of the dossier (`areas/`, `briefs/`) is a link out of it:
    its files are not the dossier's, and listing them would name every file of `/etc`."""
    try:
        outside = not folder.resolve().is_relative_to(dossier.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        outside = True
    if outside:
        problems.add(str(folder), None, "folder", "links outside the dossier folder")
    return outside


def read_text(
    path: Path, display: str, problems: ProblemCollector, inside: Path | None = None, limit: int = MAX_FILE_BYTES
) -> str | None:
    """The file's text with a BOM removed and line endings as LF, or None after recording why not.

    Only a regular file is read (a FIFO or a device such as /dev/zero would hang or never end), at most
    `limit` bytes of it (MAX_FILE_BYTES for dossier files); with `inside`, only a file whose real path lies in
    that folder (no symlink out)."""
    if inside is not None:
        try:
            outside = not path.resolve().is_relative_to(inside.resolve())
        except (OSError, RuntimeError):  # a symlink loop
            problems.add(display, None, "file", "cannot be read (a symbolic link that points to itself)")
            return None
        if outside:
            problems.add(display, None, "file", "links outside the dossier folder")
            return None
    try:
        raw, size = read_regular_file(path, limit)
    except NotARegularFile:
        problems.add(display, None, "file", "is not a regular file")
        return None
    except OSError as error:
        problems.add(display, None, "file", f"cannot be read ({error.strerror})")
        return None
    if len(raw) > limit:
        problems.add(display, None, "file", f"is {size} bytes, more than the limit of {limit}")
        return None
    if raw.startswith(ARCHIVE_SIGNATURES):
        message = "is a compressed archive (a zip, an Excel workbook or a gzip file), not text: unpack it, or save it as CSV"
        problems.add(display, None, "file", message)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(display, line, "encoding", f"is not UTF-8 (byte {raw[error.start]:#04x})")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class CsvRow:
    """One record: its cells by column name and the line it starts on (header = line 1)."""

    line: int
    cells: dict[str, str]


@dataclass
class CsvTable:
    columns: list[str]
    rows: list[CsvRow] = field(default_factory=list)


def read_csv(
    text: str,
    display: str,
    required: list[str],
    optional: list[str],
    problems: ProblemCollector,
    max_rows: int = MAX_ROWS,
) -> CsvTable | None:
    """Parse CSV text into rows of strings, checking the header; None if the header is unusable. More than
    `max_rows` rows is a problem (a file that size is not what the reader expects)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        problems.add(display, 1, "header", f"is not valid CSV ({error})")
        return None
    if header is None:
        problems.add(display, None, "header", "the file is empty; it needs a header row")
        return None
    columns = [name.strip() for name in header]
    known = required + optional
    usable = True
    for name in columns:
        if name not in known:
            problems.add(display, 1, name or "(empty)", f"unknown column; known columns: {', '.join(known)}")
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            problems.add(display, 1, name, "column appears twice")
            usable = False
        seen.add(name)
    for name in required:
        if name not in columns:
            problems.add(display, 1, name, "required column is missing")
            usable = False
    if not usable:
        return None
    table = CsvTable(columns)
    line = 2
    try:
        for record in reader:
            start = line
            line = reader.line_num + 1
            if not record or all(not cell.strip() for cell in record):
                continue
            if len(table.rows) >= max_rows:
                problems.add(display, start, "row", f"the file has more than {max_rows} rows, the limit")
                break
            long_cells = []
            if max(map(len, record)) > MAX_CELL_CHARS:  # rare: only then find which cells
                long_cells = [name for name, cell in zip(columns, record, strict=False) if len(cell) > MAX_CELL_CHARS]
            if long_cells:
                for name in long_cells:
                    problems.add(display, start, name, f"cell has more than {MAX_CELL_CHARS} characters, the limit")
                continue
            if len(record) != len(columns):
                problems.add(display, start, "row", f"has {len(record)} cells, the header has {len(columns)}")
                continue
            table.rows.append(CsvRow(start, {name: cell.strip() for name, cell in zip(columns, record, strict=False)}))
    except csv.Error as error:
        problems.add(display, line, "row", f"is not valid CSV ({error})")
    return table


YamlPath = tuple[object, ...]  # the keys and list indices from the document's root


@dataclass
class YamlDocument:
    """Parsed YAML data and the line of every key and list item, by their path."""

    data: Any
    lines: dict[YamlPath, int]
    offset: int = 0

    def line(self, *path: object) -> int | None:
        """The line of the deepest known part of `path` (falls back to the parent)."""
        while path:
            if path in self.lines:
                return self.lines[path] + self.offset
            path = path[:-1]
        return None if not self.lines else 1 + self.offset


if LIBYAML:

    class _EventLoader(yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml's parser (eight times faster than PyYAML's pure-Python one: most of a dossier's load time)
        under PyYAML's Python composer, which stops a deeply nested document with a RecursionError; libyaml's own
        composer (CSafeLoader) crashes the whole process on one."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

else:  # a class of its own where libyaml is there, PyYAML's own loader where not: a choice mypy cannot type
    _EventLoader = yaml.SafeLoader  # type: ignore[misc,assignment]


class YamlTooDeep(yaml.YAMLError):
    """More than MAX_YAML_DEPTH levels of nesting, told apart from every other YAML error."""


if TYPE_CHECKING:  # the mixin extends a safe loader: mypy reads its calls to super() against one
    _Loader = yaml.SafeLoader
else:
    _Loader = object


class _SafeConstruction(_Loader):
    """What both loaders add to PyYAML's safe loader: a depth limit of our own, checked as the composer
    descends (before Python's recursion limit can), and value errors as YAML problems with a line."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth = getattr(self, "_depth", 0) + 1
        if self._depth > MAX_YAML_DEPTH:
            raise YamlTooDeep()
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # an impossible date such as 2024-02-30 stays text, for the field's own check
            return self.construct_scalar(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError) as error:  # e.g. `!!int twenty`
            tag = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(None, None, f"{error} (as !!{tag})", node.start_mark) from None


class SafeLoader(_SafeConstruction, _EventLoader):
    """The build's loader: libyaml's parser where PyYAML has it."""


class _PythonLoader(_SafeConstruction, yaml.SafeLoader):
    """PyYAML's pure-Python parser, which has no limits of its own: a file that libyaml refuses is read again
    with it, so that an error (nesting above all, which libyaml may notice first) reads the same whatever
    PyYAML and libyaml release is installed."""


for _loader in (SafeLoader, _PythonLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _loader.construct_yaml_timestamp)


def load_yaml(text: str, display: str, problems: ProblemCollector, offset: int = 0) -> YamlDocument | None:
    """`yaml.safe_load` plus a map of line numbers; duplicate keys are problems, not silent overwrites.

    Control characters, which YAML does not allow, are removed first (odd but valid input)."""
    text = clean_text(text, multiline=True)
    try:
        try:
            return _load_document(SafeLoader, text, display, problems, offset)
        except yaml.YAMLError as error:
            if isinstance(error, YamlTooDeep) or not LIBYAML:
                raise
            return _load_document(_PythonLoader, text, display, problems, offset)
    except (YamlTooDeep, RecursionError):  # the constructor too recurses once per level of nesting
        problems.add(display, None, "yaml", "is nested too deeply")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 + offset if mark else None
        reason = getattr(error, "problem", None) or str(error)
        problems.add(display, line, "yaml", f"is not valid YAML ({reason})")
    return None


def _load_document(
    loader_class: type[_SafeConstruction], text: str, display: str, problems: ProblemCollector, offset: int
) -> YamlDocument | None:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()  # parsed once: the nodes give the lines, then the data
        if node is not None and _expanded_size(node) > MAX_YAML_VALUES:
            problems.add(display, None, "yaml", f"has more than {MAX_YAML_VALUES} values (an alias counts each time it is used)")
            return None
        data = loader.construct_document(node) if node is not None else None
        lines: dict[YamlPath, int] = {}
        if node is not None:
            _record_lines(node, (), lines, display, problems, offset, set())
    finally:
        loader.dispose()
    return YamlDocument(data, lines, offset)


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once every alias is expanded, counted up to MAX_YAML_VALUES + 1
    without expanding anything (each node once; a recursive alias counts once)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else node.value
        children = children if isinstance(node, yaml.CollectionNode) else []
        if children_done:
            total = 1 + sum(sizes.get(id(child), 1) for child in children)
            sizes[id(node)] = min(total, MAX_YAML_VALUES + 1)
        elif id(node) not in sizes:
            sizes[id(node)] = 1  # while its children are counted: a recursive alias to it counts once
            stack.append((node, True))
            stack += [(child, False) for child in children if id(child) not in sizes]
    return sizes[id(root)]


def _record_lines(
    node: yaml.Node,
    path: YamlPath,
    lines: dict[YamlPath, int],
    display: str,
    problems: ProblemCollector,
    offset: int,
    visited: set[int],
) -> None:
    if id(node) in visited:  # an alias: its lines are those of the anchor (and an alias may be recursive)
        return
    visited.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[object] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                problems.add(
                    display, key_node.start_mark.line + 1 + offset, ".".join(map(str, path + (key,))), "key appears twice"
                )
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _record_lines(value_node, path + (key,), lines, display, problems, offset, visited)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = item.start_mark.line + 1
            _record_lines(item, path + (index,), lines, display, problems, offset, visited)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, line of the body's first line) of a Markdown file with `---` front matter; ValueError
    saying what is wrong otherwise. The loader and the scheduler's input scan both use it, so they agree on
    which files have front matter."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError("the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise ValueError("has no closing '---' line")


def copy_as_loaded(folder: Path, copy: Path) -> None:
    """The dossier as the loader sees it, cheaply: a link is copied as a link (never followed: a link to /usr or
    /dev/zero would fill the disk), a file only up to the loader's size limit (more is refused by the loader all
    the same), and anything else (a FIFO, a device) as a FIFO, which the loader refuses as "not a regular file"."""
    copy.mkdir()
    for entry in os.scandir(folder):
        target = copy / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir(follow_symlinks=False):
            copy_as_loaded(Path(entry.path), target)
        elif entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as source, open(target, "wb") as written:
                written.write(source.read(MAX_FILE_BYTES + 1))
        else:
            os.mkfifo(target)
