"""A CMYK JPEG logo (as printers' files often are): PDF and HTML take it as it is; Word, which python-docx
could not read it for, gets it converted to an RGB PNG, in the same colour."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from support.cli import run_in_process
from support.paths import VALID_DOSSIER

ORANGE_CMYK = (0, 128, 255, 0)  # cyan, magenta, yellow, black


@pytest.fixture
def house(tmp_path: Path) -> Path:
    folder = tmp_path / "house"
    folder.mkdir()
    Image.new("CMYK", (120, 40), ORANGE_CMYK).save(folder / "logo.jpg", format="JPEG", quality=95)
    return folder


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
