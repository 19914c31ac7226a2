"""The template search path: an organization's folder first, then the built-in `templates/` (MkDocs `custom_dir`).

The folder is checked when it is loaded, before anything is rendered: a logo in a format that cannot go into
every output, or what a renderer of the build finds missing (its `check_templates` hook, passed in as a
check), is exit 2 here rather than a failure halfway through a build. The checks come from the caller so
that this module, which every stage reads, imports no renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from reports.errors import Problem, ReportsError, TemplateError

BUILTIN_TEMPLATES = Path(__file__).resolve().parent / "templates"
REFERENCE_DOCUMENT = "reference.docx"
LOGO_NAMES = ("logo.png", "logo.jpg", "logo.jpeg")  # bitmaps: Word cannot hold an SVG logo
MAX_LOGO_BYTES = 5 * 1024 * 1024  # as any resource of the PDF
MAX_LOGO_SIDE = 10_000  # pixels: a logo is drawn a few centimetres wide; larger ones only cost memory to decode
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}  # SOFn: the size


ORGANIZATION_TEMPLATES = Path("templates")  # beside data/ and build/: the organization's own, searched first


def organization_templates(explicit: Path | None, base: Path = Path()) -> Path | None:
    """The organization's templates folder of a build: `--templates` when given, else `base/templates` when that
    folder exists (a checkout's own), else None (the built-in templates alone)."""
    if explicit is not None:
        return explicit
    default = base / ORGANIZATION_TEMPLATES
    return default if default.is_dir() else None


def find_file(template_dirs: list[Path], name: str) -> Path | None:
    """The first file of that name along the search path."""
    return next((folder / name for folder in template_dirs if (folder / name).is_file()), None)


def find_logo(template_dirs: list[Path]) -> Path | None:
    return next((path for name in LOGO_NAMES if (path := find_file(template_dirs, name))), None)


def template_folders(user_templates: Path | None, checks: Iterable[Callable[[Path], list[Problem]]] = ()) -> list[Path]:
    """The search path for one build, with the organization's folder checked: its own rules, then each of `checks`
    (a renderer's `check_templates`), every problem reported at once."""
    if user_templates is None:
        return [BUILTIN_TEMPLATES]
    if not user_templates.is_dir():
        raise ReportsError(Problem(str(user_templates), None, "templates", "is not a folder"))
    folder = user_templates.resolve()
    problems = [
        Problem(str(path), None, "templates", "links to a file outside the templates folder; copy the file in instead")
        for path in sorted(folder.rglob("*"))
        if path.is_symlink() and not path.resolve().is_relative_to(folder)
    ]
    for check in checks:
        problems += check(folder)
    logo = find_logo([folder])
    if logo is not None:
        problems += logo_problems(logo)
    for other in ("logo.svg", "logo.gif"):
        if (folder / other).exists():
            problems.append(Problem(str(folder / other), None, "logo", f"use one of {', '.join(LOGO_NAMES)}"))
    if problems:
        raise TemplateError(problems)
    return [folder, BUILTIN_TEMPLATES]


def logo_problems(path: Path) -> list[Problem]:
    """A logo goes into every format, so every format's limit applies to it, here, once: a whole PNG or JPEG file
    (its name says which; not an SVG or a web page renamed, not cut short) of at most MAX_LOGO_SIDE pixels a side."""
    try:
        if path.stat().st_size > MAX_LOGO_BYTES:
            return [Problem(str(path), None, "logo", f"is larger than {MAX_LOGO_BYTES // (1024 * 1024)} MiB")]
        content = path.read_bytes()
    except OSError as error:
        return [Problem(str(path), None, "logo", f"cannot be read ({error.strerror or error})")]
    size = _png_size(content) if path.suffix == ".png" else _jpeg_size(content)
    if size is None:
        kind = "PNG" if path.suffix == ".png" else "JPEG"
        return [Problem(str(path), None, "logo", f"is not a whole {kind} image (another format renamed, or cut short)")]
    if max(size) > MAX_LOGO_SIDE or min(size) < 1:
        width, height = size
        return [Problem(str(path), None, "logo", f"is {width} x {height} pixels; at most {MAX_LOGO_SIDE} a side")]
    return []


def _png_size(content: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG that starts with its header and ends with its IEND chunk; else None."""
    if not content.startswith(_PNG) or content[12:16] != b"IHDR" or not content.endswith(b"IEND\xaeB`\x82"):
        return None
    return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    """(width, height) of a JPEG from its frame header, if it starts and ends as one does; else None."""
    if not content.startswith(b"\xff\xd8") or not content.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return None
    index = 2
    while index + 9 < len(content):
        if content[index] != 0xFF:
            return None
        marker, length = content[index + 1], int.from_bytes(content[index + 2 : index + 4], "big")
        if marker in _JPEG_FRAMES:
            return int.from_bytes(content[index + 7 : index + 9], "big"), int.from_bytes(content[index + 5 : index + 7], "big")
        index += 2 + length
    return None
