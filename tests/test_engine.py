"""The build engine: what a document is made from (every file the loader reads), work done once, many dossiers.

Runs go through `reports.cli.main` in this process with `--workers 1` and HTML output (the format does not matter
to what is stale, and HTML is the fastest), on copies of tests/dossiers/valid.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from support.paths import REPO_ROOT
from support.workspace import Workspace

import reports.briefing.report
import reports.engine.plan
import reports.indicators
from reports.cli import main
from reports.template_folders import BUILTIN_TEMPLATES

NORTH = {"north-south/ministry.en.html"}
EAST = {"east-west/ministry.en.html"}
TWO_JOBS = """\
jobs:
  - {name: north, dossier: north, audiences: [ministry], formats: [html], out: out, schedule: "@monthly"}
  - {name: east, dossier: east, audiences: [ministry], formats: [html], out: out, schedule: "@monthly"}
"""
MIRROR = "year,exports,imports,turnover,status,source\n2019,50,60,110,official,stats\n"
YTD = "year,months,exports,imports,turnover,status,source\n2025,6,30,25,55,preliminary,stats\n"
PRODUCTS = "year,flow,code,name,value,source\n2019,exports,27,Mineral fuels,20,stats\n"
PEOPLE = "id,name,role,partner,since,until,source\nann,Ann North,President,NLD,2019-01-01,,news\n"
AREA_RU = "---\ntitle: Торговля\nsummary: Торговля растёт.\nkey_facts:\n  - {text: Оборот в 2021 году}\n---\nТорговля.\n"
BRIEF = "---\n---\n## Objectives\n\n- Agree a trade target.\n"


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Workspace:
    return Workspace(tmp_path, capsys)


def _create(name: str, text: str):
    def change(dossier) -> None:
        (dossier.path / name).parent.mkdir(exist_ok=True)
        dossier.write(name, text)

    return change


def _edit(name: str, old: str, new: str):
    return lambda dossier: dossier.replace(name, old, new)


# Every kind of dossier file, created where it is optional, then edited: each is an input of every document.
CHANGES = [
    ("dossier.yaml", _edit("dossier.yaml", "Trade yearbook", "Trade yearbook 2024")),
    ("trade.csv", _edit("trade.csv", "2019,60,50,110", "2019,61,50,111")),
    ("events.csv", _edit("events.csv", "Ministers met.", "The ministers met.")),
    ("commitments.csv", _edit("commitments.csv", "Build a bridge", "Build a road bridge")),
    ("areas/trade.md", lambda dossier: dossier.write("areas/trade.md", dossier.read("areas/trade.md") + "\nMore trade.\n")),
    ("new areas/trade.ru.md", lambda dossier: dossier.write("areas/trade.ru.md", AREA_RU)),
    ("new trade_mirror.csv", _create("trade_mirror.csv", MIRROR)),
    ("trade_mirror.csv", _edit("trade_mirror.csv", "2019,50,60,110", "2019,51,60,111")),
    ("new trade_ytd.csv", _create("trade_ytd.csv", YTD)),
    ("trade_ytd.csv", _edit("trade_ytd.csv", "2025,6,30,25,55", "2025,6,31,25,56")),
    ("new products.csv", _create("products.csv", PRODUCTS)),
    ("products.csv", _edit("products.csv", "Mineral fuels,20", "Mineral fuels,21")),
    ("new people.csv", _create("people.csv", PEOPLE)),
    ("people.csv", _edit("people.csv", "Ann North", "Anne North")),
    ("new briefs/first-visit.md", _create("briefs/first-visit.md", BRIEF)),
    ("briefs/first-visit.md", _edit("briefs/first-visit.md", "a trade target", "a new trade target")),
    ("a file removed", lambda dossier: (dossier.path / "trade_ytd.csv").unlink()),
]


def test_every_kind_of_dossier_file_makes_exactly_that_dossiers_documents_due(workspace: Workspace) -> None:
    """One audience, the ministry's, whose HTML needs no PDF laid out to fit a page limit: what is checked is which
    dossier's documents a change makes due. Every audience of a language is made from the same dossier files (the
    planner's hash differs by audience only for the file of a restricted area, which the press sees as `restricted`, and
    this dossier has none; tests/test_run.py checks that case with every audience), so one audience is enough."""
    north = workspace.dossier("north")
    workspace.dossier("east", dossier_id="east-west")
    workspace.write_jobs(TWO_JOBS)
    assert workspace.run().rendered == NORTH | EAST
    for what, change in CHANGES:
        change(north)
        result = workspace.run()
        assert result.code == 0, f"{what}: {result.err}"
        # an English briefing never shows a Russian text: a new translation makes no English document due
        assert result.rendered == (set() if what.endswith(".ru.md") else NORTH), what
        assert workspace.run().rendered == set(), f"{what}: rebuilt twice"


def test_the_manifest_hashes_what_the_loader_read(workspace: Workspace) -> None:
    """The planned inputs of a document are the files its loader read (and the optional ones it looked for), the
    templates and catalogs of its language and its audience's file: no list kept beside the loader."""
    dossier = workspace.dossier()
    dossier.write("trade_ytd.csv", YTD)
    planner = reports.engine.plan.Planner()
    request = reports.engine.plan.BuildRequest(dossier.path, workspace.out, reports.engine.plan.dt.date(2025, 11, 10))
    documents = planner.plan(request)
    files = set(documents[0].input_files)
    for name in ("dossier.yaml", "trade.csv", "trade_ytd.csv", "events.csv", "commitments.csv", "areas/trade.md", "areas"):
        assert str(dossier.path / name) in files, name
    for absent in ("products.csv", "people.csv", "trade_mirror.csv", "briefs"):
        assert str(dossier.path / absent) in files, absent  # looked for: creating it is a change
    leadership_en = next(d for d in documents if d.audience == "leadership" and d.lang == "en")
    assert str(BUILTIN_TEMPLATES / "audiences" / "leadership.yaml") in leadership_en.input_files
    assert str(BUILTIN_TEMPLATES / "audiences" / "press.yaml") not in leadership_en.input_files
    assert not any("/locale/ru/" in name for name in leadership_en.input_files)


def test_a_dossier_is_loaded_and_each_briefing_model_built_once(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two formats of three audiences in two languages: one load, one computation of the indicators, six models."""
    calls = {"load": 0, "indicators": 0, "model": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(reports.engine.plan, "load_dossier", counted("load", reports.engine.plan.load_dossier))
    monkeypatch.setattr(reports.indicators, "compute_indicators", counted("indicators", reports.indicators.compute_indicators))
    monkeypatch.setattr(reports.briefing.report, "build_briefing", counted("model", reports.briefing.report.build_briefing))
    dossier = workspace.dossier()
    workspace.capsys.readouterr()
    args = ["--dossier", str(dossier.path), "--format", "html", "--format", "docx", "--lang", "en", "--lang", "ru"]
    assert main(["build", *args, "--out", str(workspace.out), "--as-of", "2025-11-10"]) == 0
    assert len(workspace.capsys.readouterr().out.split()) == 12
    assert calls == {"load": 1, "indicators": 1, "model": 6}


def test_reports_build_then_run_rebuilds_nothing(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both in the workspace: a build run in a checkout would use its `templates/` folder, which the job does not.
    The ministry's documents alone (their HTML and Word need no PDF laid out to fit a page limit), in two formats and
    two languages: the audience is named the same way on both sides, as a format and a language are."""
    monkeypatch.chdir(workspace.root)
    dossier = workspace.dossier()
    workspace.write_jobs(
        "jobs:\n  - {name: b, dossier: dossier, audiences: [ministry], formats: [html, docx], langs: [en, ru], out: out,\n"
        '     schedule: "@monthly"}\n'
    )
    workspace.capsys.readouterr()
    args = ["--audience", "ministry", "--format", "html", "--format", "docx", "--lang", "en", "--lang", "ru"]
    args += ["--as-of", "2025-11-10"]
    assert main(["build", "--dossier", str(dossier.path), "--out", str(workspace.out), *args]) == 0
    files = workspace.files()
    result = workspace.run()
    assert result.code == 0, result.err
    assert result.rendered == set() and "b: up to date (4 documents)" in result.out
    assert workspace.files() == files
    dossier.replace("trade.csv", "2019,60,50,110", "2019,61,50,111")
    assert len(workspace.run().rendered) == 4


def test_the_shipped_jobs_file_builds_what_make_briefing_builds() -> None:
    """`make briefing` then `reports run`: the regular briefings are the same documents, so nothing is rebuilt."""
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    line = next(line for line in makefile.splitlines() if "/reports build" in line)
    words = shlex.split(line.split("/reports build", 1)[1])
    assert words[:1] == ["$(foreach"] and "--lang $(lang)" in line  # every language of LANGS
    langs = next(line for line in makefile.splitlines() if line.startswith("LANGS ?=")).split("=", 1)[1].split()
    words = [word for word in words if "$(" not in word and word not in ("--lang", "$(lang))")]
    formats = [words[i + 1] for i, word in enumerate(words) if word == "--format"] or ["pdf", "docx"]
    assert "--dossier" not in words and "--audience" not in words and "--out" not in words  # the defaults
    job = next(job for job in yaml.safe_load((REPO_ROOT / "reports.yaml").read_text("utf-8"))["jobs"] if "schedule" in job)
    assert (job["dossier"], job["out"], job.get("audiences")) == ("data/kz-uz", "build", None)
    assert job["langs"] == langs and job["formats"] == formats


def test_a_glob_of_dossiers_builds_each_and_a_bad_one_fails_only_its_documents(workspace: Workspace) -> None:
    (workspace.root / "data").mkdir()
    for name in ("alpha", "beta", "gamma"):
        workspace.dossier(f"data/{name}", dossier_id=name)
    (workspace.root / "data" / "notes").mkdir()  # no dossier.yaml: not a dossier
    beta = workspace.root / "data" / "beta"
    workspace.write_jobs(
        'jobs:\n  - {name: all, dossier: "data/*", audiences: [press], formats: [html], out: out, schedule: "@daily"}\n'
    )
    first = workspace.run()
    assert first.code == 0, first.err
    assert first.rendered == {"alpha/press.en.html", "beta/press.en.html", "gamma/press.en.html"}
    before = workspace.files()

    (beta / "trade.csv").write_text(
        (beta / "trade.csv").read_text("utf-8").replace("2019,60,50,110", "2019,lots,50,110"), "utf-8"
    )
    shutil.copytree(workspace.root / "data" / "gamma", workspace.root / "data" / "delta")
    (workspace.root / "data" / "delta" / "dossier.yaml").write_text(
        (workspace.root / "data" / "delta" / "dossier.yaml").read_text("utf-8").replace("id: gamma", "id: delta"), "utf-8"
    )
    result = workspace.run()
    assert result.code == 2
    assert result.rendered == {"delta/press.en.html"}
    assert workspace.files()["beta/press.en.html"] == before["beta/press.en.html"]
    assert re.search(r"data/beta/trade\.csv:\d+: exports: ", result.err)
    assert result.err.strip().splitlines()[-1] == f"dossiers that failed to load, their documents not built: {beta}"
    assert "Traceback" not in result.err
