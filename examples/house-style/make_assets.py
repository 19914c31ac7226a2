"""Regenerates the binary files of this example: `logo.png` and `reference.docx`.

Run from the project root: `.venv/bin/python examples/house-style/make_assets.py`. An organization would
instead save its own logo and a Word file with its own styles (see README.md in this folder).
"""

from pathlib import Path

import cairosvg
import docx
from docx.shared import Pt, RGBColor

HERE = Path(__file__).resolve().parent
GREEN = RGBColor(0x1B, 0x5E, 0x20)
LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="172.8pt" height="57.6pt" viewBox="0 0 172.8 57.6">
<circle cx="22.5" cy="28.8" r="17.3" fill="#1b5e20"/>
<text x="51.8" y="33.5" font-family="DejaVu Sans" font-weight="bold" font-size="13" fill="#1b5e20">ANALYSIS UNIT</text>
</svg>"""


def make_logo() -> None:
    """A 2.4 × 0.8 inch logo at 200 dpi, transparent around the mark."""
    cairosvg.svg2png(bytestring=LOGO_SVG.encode(), write_to=str(HERE / "logo.png"), dpi=200, output_width=480)


def make_reference() -> None:
    document = docx.Document()
    styles = document.styles
    styles["Normal"].font.name = "DejaVu Serif"
    styles["Normal"].font.size = Pt(10.5)
    for name, size in (("Title", 26), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        styles[name].font.name = "DejaVu Serif"
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = GREEN
    document.core_properties.author = "Analysis Unit"
    document.save(HERE / "reference.docx")


if __name__ == "__main__":
    make_logo()
    make_reference()
