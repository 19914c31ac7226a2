"""The wheel a user installs holds the whole package: every module, template, audience and catalog that the
repository has under reports/ (the built-in templates are package data, found beside the code)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from reports import __version__

pytestmark = pytest.mark.slow


def test_the_wheel_holds_every_file_of_the_package(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: setuptools writes build/ beside the sources it builds
    shutil.copytree(REPO_ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv*", "build", "*.egg-info", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("reports-*.whl")
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    metadata = zipfile.ZipFile(wheel).read(f"reports-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata  # the package's version is the wheel's: written once
    tracked = subprocess.run(
        ["git", "ls-files", "reports"], cwd=REPO_ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    assert tracked, "git lists no file under reports/"
    assert sorted(set(tracked) - in_wheel) == []
    for needed in (
        "reports/renderers/__init__.py",
        "reports/templates/briefing.html.j2",
        "reports/templates/briefing.css",
        "reports/templates/audiences/ministry.yaml",
        "reports/templates/locale/ru/LC_MESSAGES/reports.po",
    ):
        assert needed in in_wheel
    assert not [name for name in in_wheel if name.startswith(("tests/", "data/", "benchmarks/"))]
