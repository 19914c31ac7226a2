"""The limits of one render (docs/security.md): rendering the page template has its own short time limit (20 s, or
half the document's --time-limit when that is lower), apart from the layout's and the document's --time-limit (300 s
by default), so a runaway loop in a house template is stopped there, naming the template file and line, instead of
running the full limit; a template that takes too long or too much memory in the layout is stopped by the document's
limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import assert_no_traceback, build_args, run_in_process
from support.paths import VALID_DOSSIER

from reports import renderers

pytestmark = pytest.mark.slow

RUNAWAY = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


@pytest.mark.parametrize("output_format", ["html", "pdf"])
def test_a_runaway_template_is_stopped_by_the_template_limit(tmp_path: Path, output_format: str):
    """With --time-limit 6 the template has 3 s: its own message, naming its line, not the document's limit."""
    house = tmp_path / "house"
    house.mkdir()
    template = house / "briefing.html.j2"
    template.write_text('{% extends "base.html.j2" %}\n{% block cover %}\n' + RUNAWAY + "\n{% endblock %}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_in_process(
        "build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(out), "--templates", str(house),
        "--format", output_format, "--audience", "press", "--time-limit", "6", seconds=120,
    )  # fmt: skip
    assert result.code == 2, result.describe()
    assert "Traceback" not in result.err
    assert f"{template}:3: template: rendering took longer than 3 s" in result.err, result.err
    assert "time limit" not in result.err  # not the document's 6 s
    assert not out.exists() or not list(out.rglob("*.*"))


# A cover that runs away while the template renders, and one that asks for more memory than the document may have.
# (A layout that runs away: tests/test_hostile_templates.py.) The stop each meets, as the error line starts.
HOSTILE_COVERS = {
    "lipsum(2000000)": ("{{ lipsum(2000000) }}", "{house}:1: template: rendering took longer than 2.5 s"),
    "a string of 3 GB": ('{% set s = "x" * 3000000000 %}{{ s | length }}', "press.en.{format}: memory limit: "),
}


@pytest.mark.parametrize("cover", HOSTILE_COVERS.values(), ids=HOSTILE_COVERS.keys())
@pytest.mark.parametrize("output_format", ["html", "pdf"])
def test_a_template_that_takes_too_long_or_too_much_memory_is_stopped(tmp_path: Path, cover: tuple[str, str], output_format: str):
    """Within --time-limit 5 (the template has 2.5 s) and --memory-limit 1536: one line, nothing written."""
    house = tmp_path / "house"
    house.mkdir()
    template, stop = cover
    (house / "briefing.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover %}' + template + "{% endblock %}", encoding="utf-8"
    )
    out = tmp_path / "out"
    limits = ("--time-limit", "5", "--memory-limit", "1536")  # 5 s: a normal render of this dossier takes under 2
    args = build_args(VALID_DOSSIER, out, "--templates", str(house), "--format", output_format, "--audience", "press", *limits)
    result = run_in_process(*args, seconds=50)
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    expected = stop.format(house=house / "briefing.html.j2", format=output_format)
    assert [line for line in result.err.splitlines() if line.startswith(expected)], result.describe()
    assert not out.exists() or not list(out.rglob("*.*")), "a file was written"


@pytest.mark.parametrize(("document_seconds", "template_seconds"), [(300, 20), (40, 20), (6, 3), (1, 0.5), (0, 20)])
def test_the_template_has_20_s_or_half_the_document_limit(document_seconds: int, template_seconds: float):
    """0: no document limit, so the template keeps its own 20 s."""
    assert renderers.template_seconds(document_seconds) == template_seconds
