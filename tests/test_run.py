"""Regular builds: `reports run` with a jobs file, incremental rebuilds, due dates, lock, manifest.

Every scenario works on copies of tests/dossiers/valid in tmp_path, with a jobs file written by the test
and HTML output (the format does not matter to what is due or stale, and HTML is the fastest). Most runs
go through `reports.cli.main` in this process with `--workers 1`; the lock, the process pool and the
imports of a no-op run are checked in subprocesses, as a scheduler would start them.

Which documents a run rebuilt is read from its plain output (`rendered PATH (...)`), and checked against
the files themselves: byte-identical where nothing was to be rebuilt.

The scenarios that start from the two dossiers built once (`built_copy`) start from a copy of one first run shared by
the module: the jobs file names its dossiers and out folder relative to itself and the manifest hashes paths
relative to them, so a copy of the folder is the same build, up to date (which test_a_second_run_rebuilds_nothing
checks on its copy).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import REPO_ROOT
from support.workspace import RESTRICTED_AREA, Workspace, rendered_paths

import reports.engine.plan
from reports.cli import main
from reports.engine.render import DocumentResult
from reports.errors import JobsError
from reports.locale.labels import languages
from reports.scheduler.jobs import BeforeEvents, load_jobs
from reports.scheduler.progress import Progress
from reports.template_folders import BUILTIN_TEMPLATES

HEAVY = ("weasyprint", "cairosvg", "docx", "pptx", "pandas")  # the renderers' libraries and the data layer's
SUMMIT = "summit-1,2025-11-14,,summit,First summit,Southtown,Talks on trade.,trade,news\n"
VISIT = "visit-2,2025-12-05,2025-12-06,state_visit,State visit to Northland,Northtown,A visit.,trade,news\n"
SECRET_SUMMIT = "secret-summit,2025-11-14,,summit,Quiet summit,Southtown,Not public.,trade,cable\n"


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Workspace:
    return Workspace(tmp_path, capsys)


def two_dossier_jobs(workspace: Workspace) -> tuple[DossierCopy, DossierCopy]:
    """Jobs `north` (north-south, with a restricted area) and `east` (east-west), every audience, HTML."""
    north = workspace.dossier("north")
    north.write("areas/security.md", RESTRICTED_AREA)
    east = workspace.dossier("east", dossier_id="east-west")
    workspace.write_jobs(
        """\
        jobs:
          - {name: north, dossier: north, formats: [html], out: out, schedule: "@monthly"}
          - {name: east, dossier: east, formats: [html], out: out, schedule: "@monthly"}
        """
    )
    return north, east


NORTH = {f"north-south/{audience}.en.html" for audience in ("leadership", "ministry", "press")}
EAST = {f"east-west/{audience}.en.html" for audience in ("leadership", "ministry", "press")}


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of `two_dossier_jobs` after its first run (as of 10 November 2025, 06:00): every document of both
    dossiers built. The tests change a copy of it (`built_copy`)."""
    root = tmp_path_factory.mktemp("built-once")
    two_dossier_jobs(Workspace(root, capsys=None))  # writes the files; the run is run_in_process's, not the workspace's
    first = run_in_process("run", "--jobs", str(root / "reports.yaml"), "--workers", "1", "--now", "2025-11-10T06:00")
    assert first.code == 0, first.describe()
    assert rendered_paths(first.out, root / "out") == NORTH | EAST
    return root


@pytest.fixture
def built_copy(built_once: Path, workspace: Workspace) -> tuple[DossierCopy, DossierCopy]:
    """A copy of `built_once` in this test's workspace, for a test to change: its dossiers `north` and `east`."""
    shutil.copytree(built_once, workspace.root, dirs_exist_ok=True)
    return DossierCopy(workspace.root / "north"), DossierCopy(workspace.root / "east")


# ---------------------------------------------------------------- incremental


def test_a_second_run_rebuilds_nothing(workspace: Workspace, built_copy) -> None:
    """The first run built every document (`built_once`); the second, on a copy of its folder, rebuilds none."""
    files, outputs = workspace.files(), workspace.manifest()["outputs"]

    second = workspace.run(now="2025-11-10T07:00")
    assert second.code == 0, second.err
    assert second.rendered == set()
    assert "north: up to date (3 documents)" in second.out
    assert workspace.files() == files
    assert workspace.manifest()["outputs"] == outputs


def test_manifest_records_every_output_and_job(workspace: Workspace, built_copy) -> None:
    manifest = workspace.manifest()
    assert set(manifest["outputs"]) == NORTH | EAST
    for name, entry in manifest["outputs"].items():
        content = (workspace.out / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["size"] == len(content)
        assert entry["built_at"].startswith("2025-11-10T06:00:00")
        assert entry["seconds"] > 0 and re.fullmatch(r"[0-9a-f]{64}", entry["inputs"])
        assert entry["job"] == ("north" if name.startswith("north-south/") else "east")
    assert set(manifest["jobs"]) == {"north", "east"}
    assert manifest["jobs"]["north"]["last_success"].startswith("2025-11-10T06:00:00")
    assert manifest["jobs"]["north"]["last_run"] == {"at": manifest["jobs"]["north"]["last_success"], "built": 3, "up_to_date": 0}
    assert "last_failure" not in manifest["jobs"]["north"]


def test_changing_one_area_file_rebuilds_exactly_the_outputs_that_use_it(workspace: Workspace, built_copy) -> None:
    north, east = built_copy
    before = workspace.files()

    # A restricted area: press does not show it, so only leadership and ministry of that dossier.
    north.replace("areas/security.md", "twice a year", "three times a year")
    result = workspace.run()
    assert result.code == 0, result.err
    assert result.rendered == {"north-south/leadership.en.html", "north-south/ministry.en.html"}
    after = workspace.files()
    assert {name for name in after if after[name] != before[name]} <= result.rendered
    assert after["north-south/press.en.html"] == before["north-south/press.en.html"]

    # A public area of the other dossier: every audience of that dossier, nothing of the first.
    east.replace("areas/culture.md", "A *festival* was held.", "Two festivals were held.")
    result = workspace.run()
    assert result.rendered == EAST

    # The area turns public: now press shows it too.
    north.replace("areas/security.md", "restricted: true", "restricted: false")
    result = workspace.run()
    assert result.rendered == NORTH

    # Bytes, not times: rewriting a file with the same content rebuilds nothing.
    north.write("areas/trade.md", north.read("areas/trade.md"))
    assert workspace.run().rendered == set()


def test_a_new_brief_or_people_file_rebuilds_that_dossier(workspace: Workspace, built_copy) -> None:
    """A pack's brief and who's who are inputs too: adding one rebuilds that dossier's outputs, nothing of the other."""
    _, east = built_copy
    event = east.read("events.csv").splitlines()[1].split(",")[0]
    (east.path / "briefs").mkdir()
    east.write(f"briefs/{event}.md", "---\n---\n## Objectives\n\n- Meet.\n")
    assert workspace.run().rendered == EAST
    east.write("people.csv", "id,name,role,partner,since,until,source\n")
    assert workspace.run().rendered == EAST


def test_changing_an_audience_or_a_template_file_rebuilds_what_uses_it(workspace: Workspace) -> None:
    workspace.dossier()
    style = workspace.root / "style"
    (style / "audiences").mkdir(parents=True)
    desk = "extends: ministry\ndescription: Desk note\nmarking: INTERNAL\nsections: [key_figures, targets, sources]\n"
    (style / "audiences" / "desk.yaml").write_text(desk, encoding="utf-8")
    (style / "briefing.css").write_text(":root { --accent: #1b5e20; }\n", encoding="utf-8")
    workspace.write_jobs(
        """\
        jobs:
          - {name: styled, dossier: dossier, templates: style, audiences: [desk, press], formats: [html], out: out,
             schedule: "@monthly"}
        """
    )
    assert workspace.run().rendered == {"north-south/desk.en.html", "north-south/press.en.html"}
    (style / "audiences" / "desk.yaml").write_text(desk.replace("INTERNAL", "INTERNAL - DESK"), encoding="utf-8")
    assert workspace.run().rendered == {"north-south/desk.en.html"}
    (style / "briefing.css").write_text(":root { --accent: #0d47a1; }\n", encoding="utf-8")
    assert workspace.run().rendered == {"north-south/desk.en.html", "north-south/press.en.html"}
    # Another language's catalog is not read by an English briefing.
    catalog = style / "locale" / "xx" / "LC_MESSAGES" / "reports.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid "Key figures"\nmsgstr "Xx"\n', encoding="utf-8")
    assert workspace.run().rendered == set()


def test_a_new_package_version_rebuilds_everything(workspace: Workspace, built_copy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports.engine.plan, "__version__", "99.0.0")
    assert workspace.run().rendered == NORTH | EAST


def test_an_output_changed_or_deleted_by_hand_is_rebuilt_and_force_rebuilds_all(workspace: Workspace, built_copy) -> None:
    (workspace.out / "north-south" / "press.en.html").write_text("edited", encoding="utf-8")
    (workspace.out / "east-west" / "ministry.en.html").unlink()
    assert workspace.run().rendered == {"north-south/press.en.html", "east-west/ministry.en.html"}
    assert workspace.run("--force", "--job", "east").rendered == EAST


def test_an_unreadable_manifest_rebuilds_everything_with_a_warning(workspace: Workspace, built_copy) -> None:
    (workspace.out / "manifest.json").write_text("{not json", encoding="utf-8")
    result = workspace.run()
    assert result.code == 0
    assert "manifest: unreadable" in result.err
    assert result.rendered == NORTH | EAST


def test_changing_the_as_of_across_an_event_date_rebuilds_the_affected_packs(workspace: Workspace) -> None:
    """The ministry's briefing and packs: the as-of windows are what is checked, the same for every audience, and the
    ministry's HTML needs no PDF laid out to fit a page limit."""
    workspace.dossier(events=SUMMIT + VISIT)
    workspace.write_jobs(
        """\
        jobs:
          - {name: briefings, dossier: dossier, audiences: [ministry], formats: [html], out: out, schedule: "@monthly"}
          - name: packs
            dossier: dossier
            audiences: [ministry]
            formats: [html]
            out: out
            before_events: {days: [30, 7, 1]}
        """
    )
    summit_pack, visit_pack = "north-south/brief-summit-1.ministry.en.html", "north-south/brief-visit-2.ministry.en.html"
    # 10 November: the summit is 4 days ahead (7-day window), the visit 25 (30-day window).
    result = workspace.run(now="2025-11-10T06:00")
    assert result.code == 0, result.err
    assert result.rendered == {"north-south/ministry.en.html", summit_pack, visit_pack}
    # 11 November: the same windows, the same events upcoming: nothing to rebuild.
    assert workspace.run(now="2025-11-11T06:00").rendered == set()
    before = workspace.files()
    # 14 November: the summit is held (no longer upcoming): the briefing and the visit's pack list it
    # differently; the summit's own pack is past its windows and stays as it was.
    result = workspace.run(now="2025-11-14T06:00")
    assert result.rendered == {"north-south/ministry.en.html", visit_pack}
    assert workspace.files()[summit_pack] == before[summit_pack]
    # 28 November: the visit enters its 7-day window: only its pack.
    assert workspace.run(now="2025-11-28T06:00").rendered == {visit_pack}
    # ... and its 1-day window the day before.
    assert workspace.run(now="2025-12-04T06:00").rendered == {visit_pack}
    assert workspace.run(now="2025-12-05T06:00").rendered == {"north-south/ministry.en.html"}


# ---------------------------------------------------------------- due


def test_due_runs_exactly_the_due_jobs_and_catches_up_once(workspace: Workspace) -> None:
    """The weekly job and the packs are the ministry's, whose HTML needs no PDF laid out to fit a page limit: which
    jobs are due is the same for every audience."""
    workspace.dossier(events=SUMMIT + VISIT)
    workspace.write_jobs(
        """\
        jobs:
          - {name: monthly, dossier: dossier, audiences: [press], formats: [html], out: out, schedule: "@monthly"}
          - {name: weekly, dossier: dossier, audiences: [ministry], formats: [html], out: out, schedule: "@weekly"}
          - name: packs
            dossier: dossier
            audiences: [ministry]
            formats: [html]
            out: out
            before_events: {kinds: [summit, state_visit], days: [30, 7, 1]}
        """
    )
    # Wednesday 1 October: never built, so both schedules are due; no event is within 30 days yet.
    result = workspace.run("--due", now="2025-10-01T06:00")
    assert result.code == 0, result.err
    assert result.due == {"monthly", "weekly"}
    assert "packs: not due" in result.out
    assert result.rendered == {"north-south/press.en.html", "north-south/ministry.en.html"}
    assert workspace.run("--due", now="2025-10-01T07:00").due == set()
    # Monday 6 October: the weekly slot of Sunday 5 October has passed.
    assert workspace.run("--due", now="2025-10-06T06:00").due == {"weekly"}
    # The machine was off until 3 December: two monthly slots, eight weekly slots and the summit's and the
    # visit's windows were missed. Each job runs once; the summit is past, the visit 2 days ahead.
    result = workspace.run("--due", now="2025-12-03T06:00")
    assert result.due == {"monthly", "weekly", "packs"}
    assert "north-south/brief-visit-2.ministry.en.html" in result.rendered
    assert not any("summit-1" in name for name in workspace.files())
    jobs = workspace.manifest()["jobs"]
    assert {name: jobs[name]["last_success"][:16] for name in jobs} == dict.fromkeys(
        ("monthly", "weekly", "packs"), "2025-12-03T06:00"
    )
    # Caught up once: an hour later nothing is due.
    assert workspace.run("--due", now="2025-12-03T07:00").due == set()
    # 4 December: the visit's 1-day window opened; the schedules are not due until Sunday and 1 January.
    result = workspace.run("--due", now="2025-12-04T06:00")
    assert result.due == {"packs"}
    assert result.rendered == {"north-south/brief-visit-2.ministry.en.html"}
    assert workspace.run("--due", now="2025-12-07T00:00").due == {"weekly"}


def test_a_failed_job_stays_due(workspace: Workspace) -> None:
    dossier = workspace.dossier()
    workspace.write_jobs(
        """\
        jobs:
          - {name: monthly, dossier: dossier, audiences: [press], formats: [html], out: out, schedule: "0 6 1 * *"}
        """
    )
    assert workspace.run("--due", now="2025-10-01T06:30").due == {"monthly"}
    text = dossier.read("trade.csv")
    dossier.set_cell("trade.csv", 2, "turnover", "lots")
    assert workspace.run("--due", now="2025-11-01T06:30").code == 2
    dossier.write("trade.csv", text)
    assert workspace.run("--due", now="2025-11-02T06:30").due == {"monthly"}
    assert workspace.run("--due", now="2025-11-03T06:30").due == set()


def test_the_clock_comes_from_reports_now(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.dossier()
    workspace.write_jobs(
        """\
        jobs:
          - {name: monthly, dossier: dossier, audiences: [press], formats: [html], out: out, schedule: "@monthly"}
        """
    )
    monkeypatch.setenv("REPORTS_NOW", "2025-11-10T06:00")
    workspace.capsys.readouterr()
    assert main(["run", "--jobs", str(workspace.jobs), "--workers", "1"]) == 0
    assert workspace.manifest()["jobs"]["monthly"]["last_success"].startswith("2025-11-10T06:00:00")
    monkeypatch.setenv("REPORTS_NOW", "10 November")
    assert main(["run", "--jobs", str(workspace.jobs)]) == 2
    assert workspace.capsys.readouterr().err.startswith("reports: REPORTS_NOW: '10 November' is not a date and time")


def test_lead_windows() -> None:
    windows = BeforeEvents(("summit",), (30, 7, 1))
    assert [windows.bucket(days) for days in (45, 31, 30, 8, 7, 2, 1, 0, -3)] == [None, None, 30, 30, 7, 7, 1, None, None]


# ---------------------------------------------------------------- safety


def test_a_failed_job_keeps_its_files_is_recorded_and_the_others_still_build(workspace: Workspace, built_copy) -> None:
    north, east = built_copy  # built on 10 November 2025, 06:00
    before = workspace.files()

    north.set_cell("trade.csv", 2, "turnover", "lots")
    east.replace("areas/culture.md", "A *festival* was held.", "Two festivals were held.")
    result = workspace.run(now="2025-11-11T06:00")

    assert result.code == 2  # the failure is bad input (the dossier)
    assert result.rendered == EAST
    after = workspace.files()
    assert {name: after[name] for name in NORTH} == {name: before[name] for name in NORTH}
    assert all(after[name] != before[name] for name in ("east-west/leadership.en.html", "east-west/press.en.html"))
    assert "failed: job north: nothing written" in result.err
    assert re.search(r"north/trade\.csv:2: turnover: ", result.err)
    assert "Traceback" not in result.err
    jobs = workspace.manifest()["jobs"]
    assert jobs["north"]["last_success"].startswith("2025-11-10T06:00")
    assert jobs["north"]["last_failure"]["at"].startswith("2025-11-11T06:00")
    assert re.search(r"north/trade\.csv:2: turnover: ", jobs["north"]["last_failure"]["reason"])
    assert jobs["east"]["last_success"].startswith("2025-11-11T06:00") and "last_failure" not in jobs["east"]
    assert not list(workspace.out.rglob("*.tmp"))


def test_a_bug_in_one_job_is_exit_1_with_its_traceback(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    import reports.engine.render

    two_dossier_jobs(workspace)
    model = reports.engine.render._model

    def broken(unit):
        if unit.dossier.id == "north-south" and unit.audience == "press":
            raise RuntimeError("boom")
        return model(unit)

    monkeypatch.setattr(reports.engine.render, "_model", broken)
    result = workspace.run()
    assert result.code == 1
    assert result.rendered == EAST | NORTH - {"north-south/press.en.html"}
    assert set(workspace.files()) == EAST
    assert "Traceback (most recent call last)" in result.err and "RuntimeError: boom" in result.err
    reason = workspace.manifest()["jobs"]["north"]["last_failure"]["reason"]
    assert reason == f"{workspace.out}/north-south/press.en.html: RuntimeError: boom"


def test_a_job_with_one_failed_document_writes_none(workspace: Workspace) -> None:
    workspace.dossier(events=SECRET_SUMMIT)
    workspace.write_jobs(
        """\
        jobs:
          - name: packs
            dossier: dossier
            audiences: [leadership, press]
            formats: [html]
            out: out
            before_events: {days: [7]}
        """
    )
    result = workspace.run(now="2025-11-10T06:00")
    assert result.code == 2
    assert result.rendered == {"north-south/brief-secret-summit.leadership.en.html"}  # rendered, then not written
    assert workspace.files() == {}
    assert "is not public" in workspace.manifest()["jobs"]["packs"]["last_failure"]["reason"]


def _reports_run(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "reports", "run", *args],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def test_a_second_run_waits_for_the_lock_then_gives_up_with_a_message(workspace: Workspace) -> None:
    from filelock import FileLock

    two_dossier_jobs(workspace)
    workspace.out.mkdir()
    with FileLock(workspace.out / ".reports-run.lock"):
        process = _reports_run("--jobs", str(workspace.jobs), "--lock-timeout", "0.5", "--now", "2025-11-10T06:00")
        out, err = process.communicate(timeout=120)
    assert process.returncode == 1, err
    assert f"{workspace.out / '.reports-run.lock'}: lock: another 'reports run' is building into {workspace.out}" in err
    assert "Not run: north, east. Try again when it has finished." in err
    assert "Traceback" not in err
    assert workspace.files() == {} and not (workspace.out / "manifest.json").exists()


def test_two_concurrent_runs_never_interleave(workspace: Workspace) -> None:
    """Two jobs of one document each (ministry, whose HTML needs no PDF laid out to fit): the lock and the manifest
    are what is checked here, and two documents in two workers are as many as the run can interleave."""
    workspace.dossier("north")
    workspace.dossier("east", dossier_id="east-west")
    workspace.write_jobs(
        """\
        jobs:
          - {name: north, dossier: north, audiences: [ministry], formats: [html], out: out, schedule: "@monthly"}
          - {name: east, dossier: east, audiences: [ministry], formats: [html], out: out, schedule: "@monthly"}
        """
    )
    both = {"north-south/ministry.en.html", "east-west/ministry.en.html"}
    args = ("--jobs", str(workspace.jobs), "--workers", "2", "--lock-timeout", "120", "--now", "2025-11-10T06:00")
    first, second = _reports_run(*args), _reports_run(*args)
    results = [process.communicate(timeout=300) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    rendered = [rendered_paths(out, workspace.out) for out, _ in results]
    # One run built everything; the other waited for the lock, then found everything up to date.
    assert sorted(map(len, rendered)) == [0, 2] and set.union(*rendered) == both
    manifest = workspace.manifest()
    files = workspace.files()
    assert set(manifest["outputs"]) == set(files) == both
    for name, entry in manifest["outputs"].items():
        assert entry["sha256"] == hashlib.sha256(files[name]).hexdigest()
    assert not list(workspace.out.rglob("*.tmp"))


# ---------------------------------------------------------------- the no-op run


def test_a_no_op_run_imports_no_renderer_library(workspace: Workspace) -> None:
    workspace.dossier(events=SUMMIT)
    workspace.write_jobs(
        """\
        jobs:
          - {name: briefings, dossier: dossier, formats: [html], out: out, schedule: "@monthly"}
          - {name: packs, dossier: dossier, audiences: [ministry], formats: [html], out: out, before_events: {days: [7]}}
        """
    )
    assert workspace.run().code == 0
    probe = textwrap.dedent(
        f"""\
        import json, sys
        from reports.cli import main
        run = ["run", "--jobs", {str(workspace.jobs)!r}, "--now", "2025-11-10T07:00"]
        codes = [main(run + extra) for extra in ([], ["--due"])]
        print(json.dumps({{"codes": codes, "heavy": sorted({{m.split(".")[0] for m in sys.modules}} & {set(HEAVY)!r})}}))
        """
    )
    completed = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.splitlines()[-1])
    assert report == {"codes": [0, 0], "heavy": []}
    assert "briefings: up to date (3 documents)" in completed.stdout
    assert not re.search(r"^rendered ", completed.stdout, re.MULTILINE)


# ---------------------------------------------------------------- options and output


def test_dry_run_says_what_would_be_built_and_writes_nothing(workspace: Workspace) -> None:
    two_dossier_jobs(workspace)
    result = workspace.run("--dry-run", "--job", "east")
    assert result.code == 0
    assert result.out.count("would build ") == 3 and "east: 3 to build, 0 up to date" in result.out
    assert not workspace.out.exists() or workspace.files() == {}


def test_quiet_prints_only_failures(workspace: Workspace, built_copy) -> None:
    """A run that rebuilds two documents of one job and finds the other job up to date prints nothing."""
    north, _ = built_copy
    north.replace("areas/security.md", "twice a year", "three times a year")
    result = workspace.run("--quiet")
    assert (result.code, result.out, result.err) == (0, "", "")
    assert workspace.run().rendered == set()  # the quiet run did rebuild what was due
    north.set_cell("trade.csv", 2, "turnover", "lots")
    result = workspace.run("--quiet")
    assert result.code == 2 and result.out == ""
    assert result.err.splitlines()[0] == "failed: job north: nothing written"


def test_progress_on_a_terminal_numbers_each_document_with_its_time() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = Progress(quiet=False, stream=stream)
    progress.total = 12
    progress.document(DocumentResult(Path("build/x/press.en.pdf"), 2.5, content=b"%PDF"))
    assert stream.getvalue() == "[ 1/12] \033[32m✓\033[0m   2.50 s  build/x/press.en.pdf\n"


def test_unknown_job_and_overlapping_jobs_are_exit_2(workspace: Workspace) -> None:
    two_dossier_jobs(workspace)
    result = workspace.run("--job", "west")
    assert result.code == 2
    assert result.err == f"{workspace.jobs}: job: no job 'west'; jobs: north, east\n"
    workspace.write_jobs(
        """\
        jobs:
          - {name: one, dossier: north, formats: [html], out: out, schedule: "@monthly"}
          - {name: two, dossier: north, audiences: [press], formats: [html, pdf], out: out, schedule: "@weekly"}
        """
    )
    result = workspace.run()
    assert result.code == 2
    assert result.err == (
        f"{workspace.jobs}:3: out: job 'two' writes {workspace.out}/north-south/press.en.html, as job 'one' does; "
        "give one of them another out folder\n"
    )
    assert not workspace.out.exists() or workspace.files() == {}


# ---------------------------------------------------------------- the jobs file


def test_the_jobs_file_reports_every_problem_with_its_line(workspace: Workspace) -> None:
    workspace.dossier()
    workspace.write_jobs(
        """\
        jobs:
          - name: kz-kg
            dossier: data/kz-kg
            formats: [pdf, odt]
            schedule: "0 25 * * *"
          - name: packs
            dossier: dossier
            audiences: [leadership, minister]
            langs: [en, fr]
            before_events: {kinds: [summit, picnic], days: [7, 0]}
            colour: blue
          - name: packs
            dossier: dossier
            schedule: every day
        colour: blue
        """
    )
    result = workspace.run()
    assert result.code == 2
    path = workspace.jobs
    assert result.err.splitlines() == [
        f"{path}:3: jobs[0].dossier: 'data/kz-kg' is not a folder (resolved to {workspace.root}/data/kz-kg)",
        f"{path}:4: jobs[0].formats[1]: unknown format 'odt'; known formats: docx, html, pdf",
        f"{path}:5: jobs[0].schedule: '0 25 * * *' is not a valid cron expression (minute hour day-of-month month day-of-week)",
        f"{path}:8: jobs[1].audiences[1]: unknown audience 'minister'; known audiences: leadership, ministry, press",
        f"{path}:9: jobs[1].langs[1]: unknown language 'fr'; known languages: {', '.join(languages([BUILTIN_TEMPLATES]))}",
        f"{path}:10: jobs[1].before_events.kinds[1]: unknown event kind 'picnic'; known event kinds: agreement, commission, "
        "cultural, forum, ministerial, official_visit, other, parliamentary, state_visit, summit, working_visit",
        f"{path}:10: jobs[1].before_events.days[1]: must be a whole number of days from 1 to 366, not 0",
        f"{path}:11: jobs[1].colour: unknown key; known keys: name, dossier, audiences, formats, langs, templates, out, "
        "schedule, before_events, deliver",
        f"{path}:12: jobs[2].name: 'packs' is also the name of jobs[1]",
        f"{path}:14: jobs[2].schedule: 'every day' is not a cron expression of five fields (minute hour day-of-month month "
        "day-of-week) nor one of @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually",
        f"{path}:15: colour: unknown key; the file holds `jobs:` and `executor:`",
    ]
    assert not workspace.out.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jobs: [\n", ":2: yaml: is not valid YAML"),
        ("jobs: []\n", ":1: jobs: the file must hold `jobs:`, a list of one or more jobs"),
        ("- name: x\n", ":1: jobs: the file must hold `jobs:`, a list of one or more jobs"),
        ("jobs:\n  - name: x\n    dossier: dossier\n", ":2: jobs[0]: needs `schedule`"),
        ("jobs:\n  - dossier: dossier\n    schedule: '@daily'\n", ":2: jobs[0].name: is required"),
        (
            "jobs:\n  - {name: x, dossier: dossier, before_events: {kinds: [summit]}}\n",
            ":2: jobs[0].before_events.days: is required",
        ),
    ],
)
def test_jobs_file_problems(workspace: Workspace, text: str, expected: str) -> None:
    workspace.dossier()
    workspace.jobs.write_text(text, encoding="utf-8")
    with pytest.raises(JobsError) as error:
        load_jobs(workspace.jobs)
    assert str(error.value.problems[0]).startswith(f"{workspace.jobs}{expected}")


def _deeply_nested(dossier: DossierCopy) -> None:
    dossier.write("dossier.yaml", dossier.read("dossier.yaml") + "deep: " + "[" * 100_000 + "]" * 100_000 + "\n")


def _events_fifo(dossier: DossierCopy) -> None:
    (dossier.path / "events.csv").unlink()
    os.mkfifo(dossier.path / "events.csv")


@pytest.mark.parametrize(
    ("spoil", "expected"),
    [(_deeply_nested, "dossier.yaml: yaml: is nested too deeply"), (_events_fifo, "events.csv: file: is not a regular file")],
    ids=["deeply-nested-yaml", "fifo"],
)
def test_a_hostile_dossier_fails_the_run_without_hanging_or_crashing(workspace: Workspace, spoil, expected: str) -> None:
    """The run's light scan reads the dossier before any build: a document nested 100,000 levels deep once crashed
    the process (libyaml's composer), and a FIFO would hang it; both must fail the job, exit 2."""
    spoil(workspace.dossier())
    workspace.write_jobs('jobs:\n  - {name: b, dossier: dossier, formats: [html], out: out, schedule: "@daily"}\n')
    command = [sys.executable, "-m", "reports", "run", "--jobs", str(workspace.jobs), "--now", "2025-11-10T06:00"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=workspace.root)
    assert result.returncode == 2, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert expected in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_a_missing_jobs_file_is_exit_2(workspace: Workspace) -> None:
    result = workspace.run()
    assert result.code == 2
    assert result.err == f"{workspace.jobs}: jobs: no such file (pass --jobs FILE, or create reports.yaml; see the README)\n"


def test_the_shipped_jobs_file() -> None:
    jobs = {job.name: job for job in load_jobs(REPO_ROOT / "reports.yaml").jobs}
    briefings, packs = jobs["kz-uz-briefings"], jobs["kz-uz-summit-packs"]
    kz_uz = (REPO_ROOT / "data" / "kz-uz").resolve()
    assert [d.resolve() for d in briefings.dossiers] == [d.resolve() for d in packs.dossiers] == [kz_uz]
    assert briefings.schedule == "@monthly" and briefings.builds_reports and briefings.before_events is None
    assert packs.schedule is None and not packs.builds_reports
    assert packs.before_events == BeforeEvents(("state_visit", "official_visit", "working_visit", "summit"), (30, 7, 1))


# ---------------------------------------------------------------- the scheduler examples of docs/scheduling.md


def _readme_blocks(language: str) -> list[str]:
    readme = (REPO_ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8")
    section = readme[readme.index("# Regular builds: `reports run`") :]
    return re.findall(rf"^```{language}\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)


def test_readme_crontab_line() -> None:
    from croniter import croniter

    (block,) = _readme_blocks("crontab")
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) == 1
    fields = lines[0].split()
    assert croniter.is_valid(" ".join(fields[:5]))
    assert "reports run --due" in " ".join(fields[5:])


def test_readme_systemd_units(tmp_path: Path) -> None:
    units = {}
    for block in _readme_blocks("ini"):
        name = block.splitlines()[0].removeprefix("# /etc/systemd/system/")
        units[name] = block
    assert set(units) == {"reports-briefings.service", "reports-briefings.timer"}
    assert "Persistent=true" in units["reports-briefings.timer"]
    assert "reports run --due" in units["reports-briefings.service"]
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed: the units were checked for their keys only")
    for name, text in units.items():  # the examples' paths made real, so that verify can check them
        text = text.replace("/srv/briefings/.venv/bin/reports", str(Path(sys.executable).parent / "reports"))
        (tmp_path / name).write_text(text.replace("/srv/briefings", str(REPO_ROOT)), encoding="utf-8")
    completed = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in sorted(units))], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.strip() == "", completed.stderr


def test_readme_ci_schedule() -> None:
    from croniter import croniter

    (block,) = [block for block in _readme_blocks("yaml") if "runs-on" in block]
    workflow = yaml.safe_load(block)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert all(croniter.is_valid(entry["cron"]) for entry in triggers["schedule"])
    (job,) = workflow["jobs"].values()
    assert job["runs-on"]
    steps = job["steps"]
    assert any(step.get("uses", "").startswith("actions/checkout@") for step in steps)
    assert any(step.get("uses", "").startswith("actions/cache@") and step["with"]["path"] == "build" for step in steps)
    assert any("reports run --due" in step.get("run", "") for step in steps)


def test_readme_jobs_file_is_the_shipped_one() -> None:
    (block,) = [block for block in _readme_blocks("yaml") if block.startswith("jobs:")]
    shipped = yaml.safe_load((REPO_ROOT / "reports.yaml").read_text(encoding="utf-8"))
    assert yaml.safe_load(block) == shipped
