"""Rendering the page template has its own short time limit (20 s), apart from the document's --time-limit
(300 s by default): a runaway loop in a house template is stopped there, naming the
template file and line, instead of running the full 300 s."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import run_in_process
from support.paths import VALID_DOSSIER

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
