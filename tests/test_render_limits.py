"""The limits of one render (docs/security.md): rendering the page template has its own short time limit (20 s),
apart from the PDF layout's and the document's --time-limit (300 s by default), so a runaway loop in a house
template is stopped there, naming the template file and line, instead of running the full 300 s; a template that
takes too long or too much memory in the layout is stopped by the document's limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.cli import assert_no_traceback, build_args, run_in_process
from support.paths import VALID_DOSSIER

pytestmark = pytest.mark.slow

RUNAWAY = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"


@pytest.mark.parametrize("output_format", ["html", "pdf"])
def test_a_runaway_template_is_stopped_by_the_template_limit(tmp_path: Path, output_format: str):
    house = tmp_path / "house"
    house.mkdir()
    template = house / "briefing.html.j2"
    template.write_text('{% extends "base.html.j2" %}\n{% block cover %}\n' + RUNAWAY + "\n{% endblock %}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_in_process(
        "build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(out), "--templates", str(house),
        "--format", output_format, "--audience", "press", seconds=120,
    )  # fmt: skip
    assert result.code == 2, result.describe()
    assert "Traceback" not in result.err
    assert f"{template}:3: template: rendering took longer than 20 s" in result.err, result.err
    assert "time limit" not in result.err  # not the document's 300 s
    assert not out.exists() or not list(out.rglob("*.*"))


HOSTILE_COVERS = {
    "two nested range(100000) loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "lipsum(2000000)": "{{ lipsum(2000000) }}",
    "a string of 3 GB": '{% set s = "x" * 3000000000 %}{{ s | length }}',
}


@pytest.mark.parametrize("cover", HOSTILE_COVERS.values(), ids=HOSTILE_COVERS.keys())
@pytest.mark.parametrize("output_format", ["html", "pdf"])
def test_a_template_that_takes_too_long_or_too_much_memory_is_stopped(tmp_path: Path, cover: str, output_format: str):
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block cover %}' + cover + "{% endblock %}", encoding="utf-8"
    )
    out = tmp_path / "out"
    limits = ("--time-limit", "5", "--memory-limit", "1536")  # 5 s: a normal render of this dossier takes under 2
    args = build_args(VALID_DOSSIER, out, "--templates", str(house), "--format", output_format, "--audience", "press", *limits)
    result = run_in_process(*args, seconds=50)
    assert result.code == 2, result.describe()
    assert_no_traceback(result)
    assert re.search(rf"^press\.en\.{output_format}: (time|memory) limit: ", result.err, re.MULTILINE), result.describe()
    assert not out.exists() or not list(out.rglob("*.*")), "a file was written"
