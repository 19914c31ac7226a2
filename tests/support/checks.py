"""Checks of a built file by the tools its readers trust: qpdf, pdfinfo and pdfdetach (poppler-utils) for a PDF,
the zip package itself (OPC, ECMA-376 part 2) for a Word file."""

from __future__ import annotations

import os
import re
import subprocess
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree


def pdf_info(path: Path) -> dict[str, str]:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True, timeout=60)
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in done.stdout.splitlines())}


def embedded_files(path: Path) -> int:
    """How many files `pdfdetach -list` finds in the PDF (embedded files and file attachment annotations)."""
    done = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True, timeout=60)
    match = re.match(r"(\d+) embedded files", done.stdout)
    assert match, done.stdout
    return int(match.group(1))


def assert_qpdf_ok(path: Path) -> None:
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout, done.stdout


XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


RELATIONSHIPS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


WORD_DOCUMENT = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}document"


def assert_sound_package(path: Path) -> None:
    """A schema-level sanity check of a Word file (OPC, ECMA-376 part 2): every part has a content type in
    [Content_Types].xml, every internal relationship points at a part that exists, every XML part is
    well-formed and free of characters XML 1.0 forbids, and the main part is a w:document."""
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None, "a damaged zip entry"
        names = [name for name in package.namelist() if not name.endswith("/")]
        assert len(names) == len(set(names)), "a part appears twice in the zip"
        types = ElementTree.fromstring(package.read("[Content_Types].xml"))
        defaults = {item.get("Extension").lower() for item in types.iter(f"{CONTENT_TYPES_NS}Default")}
        overrides = {item.get("PartName") for item in types.iter(f"{CONTENT_TYPES_NS}Override")}
        for name in names:
            if name == "[Content_Types].xml":
                continue
            extension = name.rsplit("/", 1)[-1].rpartition(".")[2].lower()  # `_rels/.rels` → rels
            assert f"/{name}" in overrides or extension in defaults, f"{name} has no content type"
        assert all(part.lstrip("/") in names for part in overrides), "[Content_Types].xml names a part that is missing"
        for name in names:
            data = package.read(name)
            if not name.endswith((".xml", ".rels")):
                continue
            decoded = data.decode("utf-8")
            assert not XML_ILLEGAL.search(decoded), f"{name} holds a character XML 1.0 forbids"
            root = ElementTree.fromstring(data)  # well-formed, or this raises
            if name.endswith(".rels"):
                source_folder = PurePosixPath(name).parent.parent  # word/_rels/document.xml.rels → word
                for relation in root.iter(f"{RELATIONSHIPS_NS}Relationship"):
                    if relation.get("TargetMode") == "External":
                        continue
                    target = relation.get("Target")
                    resolved = target.lstrip("/") if target.startswith("/") else os.path.normpath(source_folder / target)
                    assert resolved in names, f"{name}: relationship {relation.get('Id')} points at missing {target}"
        document = ElementTree.fromstring(package.read("word/document.xml"))
        assert document.tag == WORD_DOCUMENT, document.tag
        stamps = {info.date_time for info in package.infolist()}
        assert len(stamps) == 1, f"zip entries carry different timestamps: {stamps}"
