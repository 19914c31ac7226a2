"""A house style's `reference.docx`, reduced to what it lends a briefing: styles and page setup.

A Word file can carry far more than its look: an attached template Word fetches when the file is opened
(`w:attachedTemplate` to `http://…/evil.dotm`), external links (`file:///etc/passwd`, `\\\\host\\share`), macros,
embedded objects, fonts and pictures. None of it may reach the briefings, so the reference is rebuilt from a
closed list of parts, each read with a size limit and parsed without DTDs or entities:

- kept: the styles (`styles.xml`, `stylesWithEffects.xml`), the list definitions (`numbering.xml`), the theme
  (fonts and colours the styles name), the font table, the settings and the page setup (the body's last
  `w:sectPr`: page size, margins, columns);
- left out: every other part (headers and footers, which the renderer draws itself, pictures, embedded objects
  and fonts, macros, custom XML, comments, properties) and every relationship (so no external target); inside
  the kept parts, every element that points at a relationship (an attached template, a mail merge source, a
  picture bullet, an embedded font) and the body's sample content. One warning names what could act: macros,
  embedded objects and controls, external targets and the elements removed from the kept parts.

A reference that is not a Word package, or whose parts are larger than MAX_PART_BYTES once unpacked (a
relationships part MAX_RELATIONSHIPS_BYTES), is refused (exit 2, naming the file and the part); so is one whose
parts read (the kept ones and the relationships inspected for the warning) unpack to more than MAX_READ_BYTES in
all, counted as they are read, so inspecting a hostile package costs at most that much before any render. The
settings keep only the elements of SETTINGS_KEPT (page, hyphenation, compatibility, language and number
settings): a mail merge and its connection string, document variables, an attached schema, protection and
"update fields on open" are left out and said in the warning; so are picture bullets (`w:numPicBullet`), whose
VML may name an image to fetch.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

from lxml import etree

from reports.template_folders import REFERENCE_DOCUMENT

logger = logging.getLogger(__name__)

MAX_PART_BYTES = 5 * 1024 * 1024  # unpacked: the styles of a real house style are a few hundred KB
MAX_RELATIONSHIPS_BYTES = 1024 * 1024  # one `.rels` part unpacked: Word's are a few KB
MAX_READ_BYTES = 32 * 1024 * 1024  # everything read of one reference, unpacked: its kept parts and relationships
MAX_ENTRIES = 1000  # parts in the package: a Word file saved by Word has a few dozen

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml"
MAIN = "word/document.xml"
# The parts a briefing takes from a reference: name → (content type, relationship type from the document)
KEPT_PARTS = {
    "word/styles.xml": (f"{_WORD}.styles+xml", f"{_R}/styles"),
    "word/stylesWithEffects.xml": ("application/vnd.ms-word.stylesWithEffects+xml", "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"),
    "word/numbering.xml": (f"{_WORD}.numbering+xml", f"{_R}/numbering"),
    "word/theme/theme1.xml": ("application/vnd.openxmlformats-officedocument.theme+xml", f"{_R}/theme"),
    "word/fontTable.xml": (f"{_WORD}.fontTable+xml", f"{_R}/fontTable"),
    "word/settings.xml": (f"{_WORD}.settings+xml", f"{_R}/settings"),
}  # fmt: skip
# The elements of `word/settings.xml` a briefing keeps, by local name: how pages, hyphenation, numbers and layout
# compatibility work. Everything else (mail merge, document variables, protection, attached schemas, update-fields
# on open, revision ids, shape defaults) is left out.
SETTINGS_KEPT = frozenset((
    "zoom", "proofState", "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
    "doNotHyphenateCaps", "evenAndOddHeaders", "mirrorMargins", "gutterAtTop", "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter", "characterSpacingControl", "noPunctuationKerning", "compat", "mathPr",
    "themeFontLang", "clrSchemeMapping", "decimalSymbol", "listSeparator", "defaultTableStyle",
))  # fmt: skip
# Settings left out without a word: bookkeeping of the program that saved the file.
_QUIET_SETTINGS = frozenset((
    "rsids", "docId", "savePreviewPicture", "doNotAutoCompressPictures", "defaultImageDpi", "shapeDefaults", "view",
    "footnotePr", "endnotePr", "chartTrackingRefBased", "doNotTrackMoves", "conflictMode",
))  # fmt: skip
# Parts that act (macros, embedded objects and controls): said in the warning when left out, as is every external
# target; the other parts left out (headers, pictures, properties, custom XML) go without a word.
_ACTIVE_PARTS = ("word/vba", "word/embeddings/", "word/activeX/", "word/oleObject", "word/glossary/")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)


class ReferenceRefused(ValueError):
    """The reference cannot be used at all: `part` names what is wrong with it."""

    def __init__(self, part: str, message: str) -> None:
        self.part = part
        super().__init__(message)


def sanitized_reference(path: Path) -> tuple[bytes, list[str]]:
    """The reference rebuilt from its kept parts, and what was left out (names and external targets)."""
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
            if len(entries) > MAX_ENTRIES:
                raise ReferenceRefused(REFERENCE_DOCUMENT, f"has {len(entries)} parts, at most {MAX_ENTRIES}")
            names = {entry.filename for entry in entries}
            if MAIN not in names:
                raise ReferenceRefused(MAIN, "is missing: this is not a Word document")
            reader = _BoundedReader(package)
            kept = {name: reader.xml(name) for name in (MAIN, *KEPT_PARTS) if name in names}
            left_out = sorted(name for name in names - set(kept) if name.startswith(_ACTIVE_PARTS))
            left_out += _external_targets(reader, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as error:
        raise ReferenceRefused(REFERENCE_DOCUMENT, f"is not a readable Word document ({error})") from None
    for name, root in kept.items():
        left_out += _remove_related_elements(root, name)
    if "word/settings.xml" in kept:
        left_out += _keep_allowed_settings(kept["word/settings.xml"])
    if "word/numbering.xml" in kept:
        left_out += _remove_picture_bullets(kept["word/numbering.xml"])
    _keep_only_page_setup(kept[MAIN])
    return _package(kept), left_out


def warn_about_left_out(path: Path, left_out: list[str]) -> None:
    if left_out:
        logger.warning(
            "%s: reference.docx: only its styles, lists, theme, fonts, settings and page setup are used; left out: %s",
            path, ", ".join(left_out),
        )  # fmt: skip


class _BoundedReader:
    """Reads parts of one package as XML, each within its limit and all of them within MAX_READ_BYTES."""

    def __init__(self, package: zipfile.ZipFile) -> None:
        self.package = package
        self.left = MAX_READ_BYTES

    def xml(self, name: str, limit: int = MAX_PART_BYTES) -> etree._Element:
        try:
            return etree.fromstring(self.read(name, limit), _PARSER)
        except etree.XMLSyntaxError as error:
            raise ReferenceRefused(name, f"is not well-formed XML ({error})") from None

    def read(self, name: str, limit: int) -> bytes:
        with self.package.open(name) as part:
            content = part.read(min(limit, self.left) + 1)  # never more, whatever the zip's header claims
        if len(content) > self.left:
            raise ReferenceRefused(name, f"takes the parts read past {MAX_READ_BYTES // (1024 * 1024)} MiB unpacked in all")
        if len(content) > limit:
            raise ReferenceRefused(name, f"is larger than {_size(limit)} unpacked")
        self.left -= len(content)
        return content


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB"


def _external_targets(reader: _BoundedReader, names: set[str]) -> list[str]:
    """Every external target the reference pointed at (an attached template, a link), said in the warning."""
    targets = []
    for name in sorted(name for name in names if name.endswith(".rels")):
        try:
            root = etree.fromstring(reader.read(name, MAX_RELATIONSHIPS_BYTES), _PARSER)
        except etree.XMLSyntaxError:
            continue  # its part is left out anyway; nothing of it is used
        for relationship in root.iter(f"{{{_PACKAGE_RELATIONSHIPS}}}Relationship"):
            if relationship.get("TargetMode") == "External":
                targets.append(f"the external {relationship.get('Type', '').rsplit('/', 1)[-1]} {relationship.get('Target')!r}")
    return targets


def _keep_allowed_settings(settings: etree._Element) -> list[str]:
    """Remove every setting not in SETTINGS_KEPT; the ones that could act, for the warning."""
    said = []
    for element in list(settings):
        name = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if name not in SETTINGS_KEPT:
            settings.remove(element)
            if name and name not in _QUIET_SETTINGS:
                said.append(f"word/settings.xml {name}")
    return said


def _remove_picture_bullets(numbering: etree._Element) -> list[str]:
    """Picture bullets and the list levels' references to them: their VML may point at an image to fetch."""
    removed = []
    for tag in ("numPicBullet", "lvlPicBulletId"):
        for element in list(numbering.iter(f"{{{_W}}}{tag}")):
            element.getparent().remove(element)
            if tag == "numPicBullet":
                removed.append("word/numbering.xml numPicBullet")
    return sorted(set(removed))


def _remove_related_elements(root: etree._Element, name: str) -> list[str]:
    """Remove every element that points at a relationship (none survive the rebuild); what they were."""
    removed = []
    for element in list(root.iter()):
        if any(key.startswith(f"{{{_R}}}") for key in element.attrib) and element.getparent() is not None:
            if name != MAIN:  # the body's are sample content or page setup's header references, not worth saying
                removed.append(f"{name} {etree.QName(element).localname}")
            element.getparent().remove(element)
    return removed


def _keep_only_page_setup(document: etree._Element) -> None:
    """The body keeps only its last `w:sectPr` (page size, margins), without header or footer references."""
    body = document.find(f"{{{_W}}}body")
    if body is None:
        raise ReferenceRefused(MAIN, "has no body: this is not a Word document")
    sections = body.findall(f"{{{_W}}}sectPr")
    for child in list(body):
        body.remove(child)
    if sections:
        body.append(sections[-1])


def _package(kept: dict[str, etree._Element]) -> bytes:
    """A new package of the kept parts, with its own content types and relationships."""
    overrides = [(MAIN, f"{_WORD}.document.main+xml")] + [(name, KEPT_PARTS[name][0]) for name in kept if name != MAIN]
    types = "".join(f'<Override PartName="/{name}" ContentType="{content_type}"/>' for name, content_type in overrides)
    document_relationships = "".join(
        f'<Relationship Id="rId{index}" Type="{KEPT_PARTS[name][1]}" Target="{name.removeprefix("word/")}"/>'
        for index, name in enumerate((name for name in kept if name != MAIN), start=1)
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>',
        )
        package.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="{MAIN}"/></Relationships>',
        )
        package.writestr(
            "word/_rels/document.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
            f"{document_relationships}</Relationships>",
        )
        for name, root in kept.items():
            package.writestr(name, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    return output.getvalue()
