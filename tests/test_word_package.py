"""The Word file's package says what made it: docProps/app.xml names this application and its version and claims
no page or word counts (python-docx's template said "Microsoft Macintosh Word", 1 page, 0 words), and carries no
blank preview thumbnail."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree
from support.builds import Build

from reports import __version__

pytestmark = pytest.mark.slow

EXTENDED = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def test_app_properties_name_this_application_and_count_nothing(kz_build: Build) -> None:
    with zipfile.ZipFile(kz_build.path("leadership", "docx")) as package:
        names = package.namelist()
        app = etree.fromstring(package.read("docProps/app.xml"))
    assert app.findtext(f"{EXTENDED}Application") == f"reports {__version__}"
    assert app.findtext(f"{EXTENDED}AppVersion") == "{:02d}.{:04d}".format(*map(int, __version__.split(".")[:2]))
    assert {child.tag.removeprefix(EXTENDED) for child in app} & {"Pages", "Words", "Characters", "Lines", "Paragraphs"} == set()
    assert not [name for name in names if "thumbnail" in name]
