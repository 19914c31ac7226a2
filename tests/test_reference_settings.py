"""A house `reference.docx` lends the briefings its look only: its settings pass through an allow-list (no mail
merge to a share, no document variables, no attached schema, no protection, no fields updated on open), its
picture bullets are left out, and inspecting it costs a bounded amount of memory and time before any render."""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

from support.cli import run_in_process
from support.paths import REPO_ROOT, VALID_DOSSIER

HOUSE_REFERENCE = REPO_ROOT / "examples" / "house-style" / "reference.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HOSTILE_SETTINGS = (
    '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/><w:dataType w:val="native"/>'
    '<w:connectString w:val="Provider=Microsoft.ACE.OLEDB;Data Source=\\\\127.0.0.1@8765\\share\\x.mdb"/>'
    '<w:query w:val="SELECT * FROM `secrets`"/><w:odso><w:udl w:val="Provider=MSDASQL;EVIL-UDL"/></w:odso></w:mailMerge>'
    '<w:documentProtection w:edit="readOnly" w:enforcement="1"/>'
    '<w:updateFields w:val="true"/>'
    '<w:attachedSchema w:val="http://evil.example/schema.xsd"/>'
    '<w:docVars><w:docVar w:name="EVIL-VAR" w:val="payload"/></w:docVars>'
)
PICTURE_BULLET = (
    '<w:numPicBullet w:numPicBulletId="0"><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" id="b" style="width:9pt;height:9pt" o:bullet="t">'
    '<v:imagedata src="http://evil.example/bullet.png" o:href="http://evil.example/href.png" o:title=""/>'
    "</v:shape></w:pict></w:numPicBullet>"
)


def rewritten(target: Path, changes: dict[str, bytes]) -> None:
    """A copy of the example house style's reference.docx with parts replaced or added."""
    with zipfile.ZipFile(HOUSE_REFERENCE) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename not in changes:
                new.writestr(item, old.read(item.filename))
        for name, content in changes.items():
            new.writestr(name, content)


def inserted(xml: bytes, opening: bytes, content: str) -> bytes:
    """`content` inserted right after the first match of `opening` (a root element's start tag)."""
    end = re.search(opening, xml).end()
    return xml[:end] + content.encode() + xml[end:]


def build_docx(house: Path, out: Path):
    return run_in_process(
        "build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(out),
        "--templates", str(house), "--format", "docx", "--audience", "press",
    )  # fmt: skip


def test_hostile_settings_and_picture_bullets_do_not_reach_the_briefing(tmp_path: Path, caplog):
    house = tmp_path / "house"
    house.mkdir()
    with zipfile.ZipFile(HOUSE_REFERENCE) as old:
        settings = inserted(old.read("word/settings.xml"), rb"<w:settings[^>]*>", HOSTILE_SETTINGS)
        numbering = inserted(old.read("word/numbering.xml"), rb"<w:numbering[^>]*>", PICTURE_BULLET)
        numbering = numbering.replace(b"<w:lvl ", b'<w:lvl w:tplc="1" ', 1).replace(
            b"</w:lvl>", b'<w:lvlPicBulletId w:val="0"/></w:lvl>', 1
        )
    rewritten(house / "reference.docx", {"word/settings.xml": settings, "word/numbering.xml": numbering})
    out = tmp_path / "out"
    with caplog.at_level(logging.WARNING, logger="reports.renderers.docx.reference"):
        result = build_docx(house, out)
    assert result.code == 0, result.describe()
    with zipfile.ZipFile(out / "north-south" / "press.en.docx") as package:
        kept = package.read("word/settings.xml") + package.read("word/numbering.xml")
    for planted in (b"mailMerge", b"127.0.0.1", b"EVIL-UDL", b"secrets", b"documentProtection", b"updateFields",
                    b"attachedSchema", b"EVIL-VAR", b"evil.example", b"numPicBullet", b"lvlPicBulletId"):  # fmt: skip
        assert planted not in kept, f"{planted!r} reached the briefing"
    assert b"defaultTabStop" in kept  # what the allow-list keeps
    for said in ("mailMerge", "documentProtection", "updateFields", "attachedSchema", "docVars", "numPicBullet"):
        assert f"word/settings.xml {said}" in caplog.text or f"word/numbering.xml {said}" in caplog.text, caplog.text


def test_many_large_relationship_parts_are_refused_within_the_reading_limit(tmp_path: Path):
    """100 extra relationship parts of 5 MiB each (a 1.6 MB file): refused after at most 32 MiB read."""
    house = tmp_path / "house"
    house.mkdir()
    relationship = '<Relationship Id="rId{0}" Type="t" Target="http://x.example/{0}" TargetMode="External"/>'
    body = "".join(relationship.format(index) for index in range(60_000))[: 5 * 1024 * 1024 - 200]
    part = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{body[: body.rindex("<Relationship ")]}</Relationships>'
    ).encode()
    rewritten(house / "reference.docx", {f"word/_rels/extra{index}.xml.rels": part for index in range(100)})
    result = build_docx(house, tmp_path / "out")
    assert result.code == 2, result.describe()
    assert "Traceback" not in result.err
    assert f"{house / 'reference.docx'}: word/_rels/extra" in result.err, result.describe()
    assert "is larger than 1 MiB unpacked" in result.err, result.describe()


def test_relationship_parts_under_their_own_limit_are_refused_past_the_total(tmp_path: Path):
    house = tmp_path / "house"
    house.mkdir()
    relationship = '<Relationship Id="rId{0}" Type="t" Target="http://x.example/{0}" TargetMode="External"/>'
    body = "".join(relationship.format(index) for index in range(12_000))[: 1000 * 1024]
    part = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{body[: body.rindex("<Relationship ")]}</Relationships>'
    ).encode()
    rewritten(house / "reference.docx", {f"word/_rels/extra{index:03}.xml.rels": part for index in range(100)})
    result = build_docx(house, tmp_path / "out")
    assert result.code == 2, result.describe()
    assert "Traceback" not in result.err
    assert "MiB unpacked in all" in result.err, result.describe()
