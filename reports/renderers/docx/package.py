"""The package parts around the document that python-docx leaves as its template had them: `docProps/app.xml`
(python-docx's says "Microsoft Macintosh Word", 1 page, 0 words) and the template's blank preview thumbnail."""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from reports import __version__

APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>{application}</Application><AppVersion>{version}</AppVersion><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"""  # noqa: E501


def app_version(version: str = __version__) -> str:
    """The package version as the format's `XX.YYYY` (0.1.0 -> `00.0001`): major and minor only."""
    major, minor = (version.split(".") + ["0", "0"])[:2]
    return f"{int(major):02d}.{int(minor):04d}"


def set_application(document: Document) -> None:
    """`docProps/app.xml` names this application and its version and nothing else: no page, word or line counts,
    which only a word processor knows after laying the document out (LibreOffice and Word count them when they
    save). The preview thumbnail goes too: the template's is a blank page, not this document."""
    package = document.part.package
    blob = APP_XML.format(application=escape(f"reports {__version__}"), version=app_version()).encode("utf-8")
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype in (RELATIONSHIP_TYPE.THUMBNAIL, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES):
            package.rels.pop(rel_id)  # a part no relationship reaches is not saved
    part = Part(PackURI("/docProps/app.xml"), CONTENT_TYPE.OFC_EXTENDED_PROPERTIES, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES)
