"""The organization's logo (a templates folder's logo.png or logo.jpg): the built-in cover gives it its alternative
text in every format; a CMYK JPEG (as printers' files often are) goes into PDF and HTML as it is and into Word,
which python-docx could not read it for, converted to an RGB PNG in the same colour; a file that is not a whole,
small PNG or JPEG is refused in every format."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image
from support.cli import assert_no_traceback, build_args, run_in_process
from support.paths import VALID_DOSSIER, VALID_ID
from support.read import pdf_text

ORANGE_CMYK = (0, 128, 255, 0)  # cyan, magenta, yellow, black


@pytest.fixture
def house(tmp_path: Path) -> Path:
    folder = tmp_path / "house"
    folder.mkdir()
    Image.new("CMYK", (120, 40), ORANGE_CMYK).save(folder / "logo.jpg", format="JPEG", quality=95)
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["docx", "pdf", "html"])
def test_a_cmyk_jpeg_logo_builds_in_every_format(house: Path, tmp_path: Path, output_format: str):
    out = tmp_path / "out"
    result = run_in_process(
        "build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(out), "--templates", str(house),
        "--format", output_format, "--audience", "press",
    )  # fmt: skip
    assert result.code == 0, result.describe()
    assert "Traceback" not in result.err
    assert (out / "north-south" / f"press.en.{output_format}").stat().st_size > 0


@pytest.mark.slow
def test_the_word_logo_is_an_rgb_png_of_the_same_colour(house: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = run_in_process(
        "build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(out), "--templates", str(house),
        "--format", "docx", "--audience", "press",
    )  # fmt: skip
    assert result.code == 0, result.describe()
    with zipfile.ZipFile(out / "north-south" / "press.en.docx") as package:
        pictures = [package.read(name) for name in package.namelist() if name.startswith("word/media/")]
    logos = [Image.open(io.BytesIO(picture)) for picture in pictures]
    logos = [logo for logo in logos if logo.size == (120, 40)]
    assert len(logos) == 1, [logo.size for logo in logos]
    (logo,) = logos
    assert (logo.format, logo.mode) == ("PNG", "RGB")
    red, green, blue = logo.getpixel((60, 20))
    assert red > 200 and 90 < green < 170 and blue < 60, (red, green, blue)  # orange, not its inverse


# A 1 x 1 transparent PNG: a valid logo the size of nothing.
TINY_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


@pytest.fixture
def logo_only(tmp_path: Path) -> Path:
    """A templates folder holding only a logo: the built-in cover draws it."""
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "logo.png").write_bytes(TINY_PNG)
    return folder


LOGO_TEXT = "Organization logo"  # the documented default (docs/house-styles.md); a house catalog may name itself


@pytest.mark.slow
@pytest.mark.parametrize("output_format", ["pdf", "docx", "html"])
def test_the_built_in_cover_gives_the_logo_an_alternative_text(logo_only: Path, tmp_path: Path, output_format: str):
    out = tmp_path / "out"
    result = run_in_process(
        *build_args(VALID_DOSSIER, out, "--templates", str(logo_only), "--format", output_format, "--audience", "press")
    )
    assert result.code == 0, result.describe()
    path = out / VALID_ID / f"press.en.{output_format}"
    if output_format == "html":
        match = re.search(r'<img class="logo"[^>]*\balt="([^"]*)"', path.read_text(encoding="utf-8"))
        assert match and match.group(1) == LOGO_TEXT, "the logo has no alternative text"
    elif output_format == "docx":
        header = docx.Document(str(path)).sections[0].header
        descriptions = [element.get("descr") for element in header._element.iter() if element.tag.endswith("}docPr")]
        assert descriptions == [LOGO_TEXT], descriptions  # not python-docx's default, the file's name
    else:  # the tagged-PDF check refuses an image without alternative text: the file exists at all
        assert "Northland" in pdf_text(path)


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        b"<!doctype html><html><body>not a picture</body></html>",
        TINY_PNG[:40],  # cut short
        TINY_PNG[:16] + (30_000).to_bytes(4, "big") * 2 + TINY_PNG[24:],  # 30,000 x 30,000 pixels
    ],
    ids=["svg", "html", "truncated", "huge"],
)
@pytest.mark.parametrize("output_format", ["docx", "html"])
def test_a_logo_that_is_not_a_whole_small_png_is_refused_in_every_format(tmp_path: Path, content: bytes, output_format: str):
    house = tmp_path / "house"
    house.mkdir()
    (house / "logo.png").write_bytes(content)
    result = run_in_process(*build_args(VALID_DOSSIER, tmp_path / "out", "--templates", str(house), "--format", output_format))
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert f"{house / 'logo.png'}: logo: " in result.err, result.describe()
