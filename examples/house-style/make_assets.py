"""Regenerates the binary files of this example: `logo.png` and `reference.docx`.

Run from the project root: `.venv/bin/python examples/house-style/make_assets.py`. An organization would
instead save its own logo and a Word file with its own styles (see README.md in this folder).
"""

from pathlib import Path

import docx
from docx.shared import Pt, RGBColor
from matplotlib.figure import Figure
from matplotlib.patches import Circle

HERE = Path(__file__).resolve().parent
GREEN = RGBColor(0x1B, 0x5E, 0x20)


def make_logo() -> None:
    figure = Figure(figsize=(2.4, 0.8), dpi=200)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    axes.add_patch(Circle((0.13, 0.5), 0.1, color="#1b5e20", transform=axes.transAxes))
    axes.text(0.3, 0.5, "ANALYSIS UNIT", va="center", fontsize=13, fontweight="bold", color="#1b5e20", transform=axes.transAxes)
    figure.savefig(HERE / "logo.png", transparent=True, metadata={"Software": None})


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
