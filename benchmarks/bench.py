"""Benchmarks, one function per measurement: `make bench` prints a table and writes build/bench.json.

Every figure is the median of several runs of a whole process (`python -m reports ...` or the `weasyprint`
command), started fresh each time; a process's peak memory is its `ru_maxrss` (from `os.wait4`, so the largest
of the process and the children it waited for). Each row says its target and whether it is met.

- `python_startup`: `python -c pass`, the floor of any command.
- `noop_run`: `reports run` on a copy of data/kz-uz whose briefings and packs are all up to date (built once
  beforehand, as HTML to keep the set-up short: the no-op run reads and hashes the same inputs and outputs
  whatever the format). It must decide without the renderers' libraries; the measurement fails if any of them
  was imported (pandas, the data layer's, included). Target: at most 0.35 s.
- `overhead`: `reports build --audience ministry --format pdf` for data/kz-uz against the `weasyprint` command
  rendering the very HTML that `reports build --audience ministry --format html` wrote, the floor no report
  generator can beat with this engine; runs alternate between the two. Target: a ratio of at most 1.25 (the
  build imports pandas, the data layer, which `weasyprint` does not). Also,
  for information, the same command with `--pdf-variant pdf/ua-1`, the tagged PDF the build writes.
- `notes`: each note (leadership and press, English and Russian) as `reports build --audience A --lang L --format
  pdf` against the `weasyprint` command (`--pdf-variant pdf/ua-1`, as the build writes) on the HTML of the same
  note, which holds the same fitted content (the fit chooses once for every format); runs alternate. Target for
  the leadership notes: a ratio of at most 1.25, as for the ministry report; the press notes for information.
- `full_build`: every built-in audience, PDF and Word, English and Russian (English alone if `reports build
  --lang ru` fails), as `reports build` (one process) and as `reports run --force` on a jobs file of that one
  job with `--workers 1` and with `--workers N` (N = cores). Target: N workers at least 1.6× faster than one.
  Its peak memory: the one-process build's, and for the parallel run both the largest process and the whole
  process tree (the sum of the processes' proportional set sizes, sampled every 0.1 s).
- `scale`: the ministry PDF of data/kz-uz copied 1×, 10× and 100× by benchmarks/make_dossier.py (events,
  commitments and areas): time, time ratio against 1× and peak memory per page of the PDF. Targets: for 100×
  a time ratio of at most 110 (no worse than linear); at 10× and 100× at most 2 MB of peak memory per page added
  since 1× ((peak − peak at 1×) / (pages − pages at 1×): WeasyPrint holds a document's layout until it writes it,
  so memory grows with the pages, and must grow no faster; the interpreter's and libraries' fixed cost, most of
  the 1× peak, is not per page). 100× runs fewer times (BENCH_HUGE_RUNS, default 1).
- `serve_reload`: `reports serve` on a copy of data/kz-uz with the ministry briefing open in Debian's headless
  Chromium (driven by Playwright, as tests/test_serve_browser.py): a sentence added to the end of an area file
  (`areas/trade-investment.md`), then the time from that save to the page's own reload (its `load` event) showing
  the sentence, each save made once the server says it is done with the one before. Target: under 2 s. Beside
  it, for comparison, a cold `reports build --audience ministry --format html` of the same briefing (a new
  process, as before the preview existed). Each run adds a new sentence.
- `hs_import`: `reports import comtrade` of a made-up 100,000-row Comtrade+ download by HS level
  (benchmarks/make_comtrade.py) into a fresh copy of tests/dossiers/import each run. Target: at most 3 s.

Before measuring, the package's bytecode is compiled (`compileall`, as pip does when it installs a package):
where PYTHONDONTWRITEBYTECODE is set, every command would otherwise compile `reports` from source again, a cost
the `weasyprint` command, installed with its bytecode, does not pay.

Run counts: BENCH_FAST_RUNS (python and the no-op run; default 9), BENCH_RUNS (overhead; default 5),
BENCH_SLOW_RUNS (full builds, scale 1× and 10×; default 3), BENCH_HUGE_RUNS (scale 100×; default 1). Arguments
select measurements by name: `.venv/bin/python benchmarks/bench.py noop_run overhead`. The machine is shared with whatever
else runs: the load average before and after is printed and recorded; wall times on a busy machine are longer.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster import LocalCluster, engine_seconds  # noqa: E402
from make_comtrade import write_comtrade  # noqa: E402
from make_dossier import make_dossier  # noqa: E402
from make_portfolio import make_portfolio  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REPORTS = [PYTHON, "-m", "reports"]
WEASYPRINT = shutil.which("weasyprint", path=str(Path(PYTHON).parent)) or shutil.which("weasyprint") or "weasyprint"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
FAST_RUNS = int(os.environ.get("BENCH_FAST_RUNS", "9"))  # python -c pass and the no-op run: a fraction of a second
SLOW_RUNS = int(os.environ.get("BENCH_SLOW_RUNS", "3"))
HUGE_RUNS = int(os.environ.get("BENCH_HUGE_RUNS", "1"))
HEAVY = ("weasyprint", "cairosvg", "docx", "pptx", "pandas")  # the renderers' libraries and the data layer's
NOW = "2025-11-10T06:00"  # four days before the Tashkent state visit: the packs job has packs to keep
AS_OF = NOW[:10]
MB = 1024 * 1024
SCALES = (1, 10, 100)

# The targets (docs/performance.md).
OVERHEAD_MAX = 1.25  # pandas' import is part of every build since the data layer is pandas
NOOP_MAX_S = 0.35
SCALE_RATIO_MAX = 110.0
PAGE_MEMORY_MAX = 2 * MB  # peak memory each added page of the ministry PDF costs, from 1× to 10× and 100×
PARALLEL_MIN = 1.6
HS_IMPORT_ROWS = 100_000
HS_IMPORT_MAX_S = 3.0
SERVE_RELOAD_MAX_S = 2.0
SERVE_AREA = "areas/trade-investment.md"
CHROMIUM = "/usr/bin/chromium"  # Debian's package: `make` installs it
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--no-proxy-server",
]  # fmt: skip
PAIRS = int(os.environ.get("BENCH_PAIRS", "6"))  # dossiers of the generated portfolio
PORTFOLIO_RUNS = int(os.environ.get("BENCH_PORTFOLIO_RUNS", "1"))
LOCAL_SPEEDUP_MIN = 1.6  # two local workers against one
DASK_RATIO_MIN = 0.9  # Dask with two workers against the local pool with two
DOCUMENT_OVERHEAD_MAX = 1.15  # a PDF's time in a run against WeasyPrint alone on that document's HTML


class BenchError(Exception):
    """A command failed: the row says so instead of a figure."""


@dataclass
class Sample:
    seconds: float  # wall clock
    cpu_seconds: float  # user + system, of the process and the children it waited for
    peak_rss: int  # bytes: the largest resident set of the process or any child it waited for
    peak_tree: int | None = None  # bytes: the largest sum of proportional set sizes over the process tree


@dataclass
class Row:
    name: str
    value: float | None  # None: the measurement failed
    unit: str  # "s", "x" (a ratio) or "B"
    target: str = ""  # e.g. "≤ 1.15"; empty: for information
    met: bool | None = None
    runs: int = 0
    note: str = ""
    samples: list[float] | None = None


# ---------------------------------------------------------------- running commands


def _tree_pss(root: int) -> int:
    """The summed proportional set size of a process and all its descendants, in bytes (0 if it is gone)."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) * 1024
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                    pending += [int(child) for child in children.read().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


class _TreeSampler:
    """Samples the process tree's memory every `interval` seconds on a thread, keeping the largest."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _tree_pss(self.pid))
            self.stop.wait(self.interval)

    def finish(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.peak


def run_once(command: list[str], cwd: Path, tree: bool = False) -> Sample:
    """Run a command to its end as a fresh process; its wall time, CPU time and peak memory."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
        sampler = _TreeSampler(process.pid) if tree else None
        try:
            _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage, not every child's so far
        finally:
            peak_tree = sampler.finish() if sampler else None
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            lines = [line for line in errors.read().decode("utf-8", "replace").splitlines() if "WARNING" not in line]
            raise BenchError(f"`{' '.join(map(str, command))}` exited {process.returncode}: " + " / ".join(lines[-3:]))
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, peak_tree)


def run_many(commands: dict[str, list[str]], cwd: Path, runs: int, tree: bool = False) -> dict[str, list[Sample]]:
    """Each command `runs` times, taking turns, so a change in the machine's load falls on all of them alike."""
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(run_once(command, cwd, tree))
    return samples


def median_seconds(samples: list[Sample]) -> float:
    return statistics.median(sample.seconds for sample in samples)


def peak_memory(samples: list[Sample]) -> int:
    return max(sample.peak_rss for sample in samples)


def time_row(name: str, samples: list[Sample], target: str = "", met: bool | None = None, note: str = "") -> Row:
    seconds = median_seconds(samples)
    cpu = statistics.median(sample.cpu_seconds for sample in samples)
    memory = f"peak {peak_memory(samples) / MB:.0f} MB; " if peak_memory(samples) else ""
    return Row(
        name,
        seconds,
        "s",
        target,
        met,
        len(samples),
        f"{memory}CPU {cpu:.2f} s{'; ' + note if note else ''}",
        [round(sample.seconds, 3) for sample in samples],
    )


def failed_row(name: str, error: Exception, target: str = "") -> Row:
    return Row(name, None, "", target, False if target else None, 0, f"failed: {error}")


def build_command(dossier: Path, out: Path, *options: str) -> list[str]:
    return [*REPORTS, "build", "--dossier", str(dossier), "--out", str(out), "--as-of", AS_OF, *options]


# ---------------------------------------------------------------- the measurements


def python_startup(workspace: Path) -> list[Row]:
    samples = run_many({"python": [PYTHON, "-c", "pass"]}, workspace, FAST_RUNS)["python"]
    return [time_row("python -c pass (the floor of any command)", samples)]


def noop_run(workspace: Path) -> list[Row]:
    run = [*REPORTS, "run", "--jobs", str(workspace / "reports.yaml"), "--now", NOW, "--quiet"]
    subprocess.run(run, cwd=workspace, check=True, capture_output=True)  # the first run builds everything
    probe = (
        "import sys, runpy; sys.argv = sys.argv[1:]\n"
        "try:\n    runpy.run_module('reports', run_name='__main__')\nexcept SystemExit as end:\n    code = end.code\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})\n"
        "print(code, ','.join(heavy))\n"
    )
    check = subprocess.run([PYTHON, "-c", probe, *run[2:]], cwd=workspace, check=True, capture_output=True, text=True)
    code, heavy = (check.stdout.split() + [""])[:2]
    if code != "0" or heavy:
        raise BenchError(f"the no-op run exited {code} and imported: {heavy or 'nothing heavy'}")
    samples = run_many({"run": run}, workspace, FAST_RUNS)["run"]
    outputs = json.loads((workspace / "build" / "manifest.json").read_text(encoding="utf-8"))["outputs"]
    seconds = median_seconds(samples)
    return [
        time_row(
            f"reports run, no-op ({len(outputs)} documents up to date)",
            samples,
            f"≤ {NOOP_MAX_S} s",
            seconds <= NOOP_MAX_S,
            "imports none of " + ", ".join(HEAVY),
        )
    ]


def overhead(workspace: Path) -> list[Row]:
    dossier, out = workspace / "data" / "kz-uz", workspace / "overhead"
    subprocess.run(
        build_command(dossier, out, "--audience", "ministry", "--format", "html"), cwd=workspace, check=True, capture_output=True
    )
    html = out / "kz-uz" / "ministry.en.html"
    samples = run_many(
        {
            "reports": build_command(dossier, out, "--audience", "ministry", "--format", "pdf"),
            "weasyprint": [WEASYPRINT, str(html), str(out / "weasyprint.pdf")],
            "weasyprint-ua": [WEASYPRINT, "--pdf-variant", "pdf/ua-1", str(html), str(out / "weasyprint-ua.pdf")],
        },
        workspace,
        RUNS,
    )
    ours, floor, tagged = (median_seconds(samples[name]) for name in ("reports", "weasyprint", "weasyprint-ua"))
    return [
        time_row("overhead: reports build --audience ministry --format pdf", samples["reports"]),
        time_row("overhead: weasyprint ministry.en.html (the floor)", samples["weasyprint"]),
        Row("overhead ratio: reports / weasyprint", ours / floor, "x", f"≤ {OVERHEAD_MAX}", ours / floor <= OVERHEAD_MAX, RUNS),
        time_row("overhead: weasyprint --pdf-variant pdf/ua-1 (as the build)", samples["weasyprint-ua"]),
        Row("overhead ratio: reports / weasyprint pdf/ua-1", ours / tagged, "x", "", None, RUNS, "for information"),
    ]


def notes(workspace: Path) -> list[Row]:
    """Each note (leadership and press, English and Russian) as `reports build --format pdf` against `weasyprint` on
    the note's own HTML (the same fitted content), runs alternating; the leadership notes' ratio has a target."""
    dossier, out, rows = workspace / "data" / "kz-uz", workspace / "notes", []
    for audience, lang in (("leadership", "en"), ("leadership", "ru"), ("press", "en"), ("press", "ru")):
        options = ("--audience", audience, "--lang", lang)
        subprocess.run(build_command(dossier, out, *options, "--format", "html"), cwd=workspace, check=True, capture_output=True)
        html = out / "kz-uz" / f"{audience}.{lang}.html"
        samples = run_many(
            {
                "reports": build_command(dossier, out, *options, "--format", "pdf"),
                "weasyprint": [WEASYPRINT, "--pdf-variant", "pdf/ua-1", str(html), str(out / "weasyprint.pdf")],
            },
            workspace,
            RUNS,
        )
        ours, floor = median_seconds(samples["reports"]), median_seconds(samples["weasyprint"])
        target = f"≤ {OVERHEAD_MAX}" if audience == "leadership" else ""
        met = ours / floor <= OVERHEAD_MAX if target else None
        rows += [
            time_row(f"note {audience}.{lang}: reports build --format pdf", samples["reports"]),
            time_row(f"note {audience}.{lang}: weasyprint --pdf-variant pdf/ua-1 on its HTML", samples["weasyprint"]),
            Row(f"note {audience}.{lang} ratio: reports / weasyprint", ours / floor, "x", target, met, RUNS),
        ]
    return rows


def russian_works(workspace: Path) -> bool:
    """Whether `reports build --lang ru` builds (then the full build is English and Russian)."""
    command = build_command(workspace / "data" / "kz-uz", workspace / "ru-check", "--lang", "ru", "--format", "html")
    return subprocess.run(command, cwd=workspace, capture_output=True).returncode == 0


def full_build(workspace: Path) -> list[Row]:
    langs = ["en", "ru"] if russian_works(workspace) else ["en"]
    workers = os.cpu_count() or 1
    jobs = workspace / "full-build.yaml"
    jobs.write_text(
        "jobs:\n  - name: full-build\n    dossier: data/kz-uz\n    formats: [pdf, docx]\n"
        f"    langs: [{', '.join(langs)}]\n    out: full-run\n    schedule: '@monthly'\n",
        encoding="utf-8",
    )
    lang_options = [option for lang in langs for option in ("--lang", lang)]
    run = [*REPORTS, "run", "--jobs", str(jobs), "--force", "--now", NOW, "--quiet"]
    commands = {
        "build": build_command(
            workspace / "data" / "kz-uz", workspace / "full-build", "--format", "pdf", "--format", "docx", *lang_options
        ),
        "one": [*run, "--workers", "1"],
        "many": [*run, "--workers", str(workers)],
    }
    samples = run_many(commands, workspace, SLOW_RUNS, tree=True)
    documents = len(list((workspace / "full-run").glob("*/*.*")))
    what = f"{documents} documents: 3 audiences × PDF, Word × {', '.join(langs)}"
    one, many = median_seconds(samples["one"]), median_seconds(samples["many"])
    rows = [
        time_row("full build: reports build (one process)", samples["build"], note=what),
        time_row("full build: reports run --force --workers 1", samples["one"]),
        time_row(f"full build: reports run --force --workers {workers}", samples["many"]),
    ]
    if workers < 2:
        rows.append(Row("full build: parallel speed-up", None, "x", f"≥ {PARALLEL_MIN}", None, 0, "one core: nothing to show"))
    else:
        rows.append(
            Row(
                f"full build: speed-up, {workers} workers vs 1",
                one / many,
                "x",
                f"≥ {PARALLEL_MIN}",
                one / many >= PARALLEL_MIN,
                SLOW_RUNS,
            )
        )
    tree = max(sample.peak_tree or 0 for sample in samples["many"])
    rows += [
        Row("full build peak memory: reports build", peak_memory(samples["build"]), "B", "", None, SLOW_RUNS, "one process"),
        Row(
            f"full build peak memory: {workers} workers",
            tree,
            "B",
            "",
            None,
            SLOW_RUNS,
            f"all processes together (PSS); largest single process {peak_memory(samples['many']) / MB:.0f} MB",
        ),
    ]
    return rows


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def scale(workspace: Path) -> list[Row]:
    rows: list[Row] = []
    base: float | None = None
    for factor in SCALES:
        dossier = make_dossier(workspace / "data" / "kz-uz", workspace / "scale" / f"kz-uz-x{factor}", factor)
        name = f"scale {factor}×: ministry PDF"
        huge = factor == max(SCALES)
        runs = HUGE_RUNS if huge else SLOW_RUNS
        per_page = f"scale {factor}×: peak memory per page"
        try:
            command = build_command(dossier, workspace / "scale-out", "--audience", "ministry", "--format", "pdf")
            samples = run_many({"pdf": command}, workspace, runs)["pdf"]
        except BenchError as error:
            rows.append(failed_row(name, error, f"≤ {SCALE_RATIO_MAX:g}× the 1× time" if huge else ""))
            rows.append(Row(per_page, None, "B", f"≤ {PAGE_MEMORY_MAX // MB} MB", False, 0, "failed: see above"))
            continue
        seconds, memory = median_seconds(samples), peak_memory(samples)
        pages = _pages(workspace / "scale-out" / dossier.name / "ministry.en.pdf")
        note = f"{runs} run{'s' if runs != 1 else ''} only: it is slow" if huge and runs < SLOW_RUNS else ""
        rows.append(time_row(name, samples, note=note))
        if base is None:  # 1×: most of its peak is the interpreter and the libraries, the same at any size
            rows.append(Row(per_page, memory / pages, "B", "", None, runs, f"{pages} pages, peak {memory / MB:.0f} MB"))
            base, base_memory, base_pages = seconds, memory, pages
            continue
        growth = (memory - base_memory) / (pages - base_pages)  # what each page adds, the fixed cost left out
        rows.append(
            Row(f"scale {factor}×: peak memory per added page", growth, "B", f"≤ {PAGE_MEMORY_MAX // MB} MB",
                growth <= PAGE_MEMORY_MAX, runs, f"{pages} pages, peak {memory / MB:.0f} MB; against 1×")
        )  # fmt: skip
        ratio = seconds / base
        if huge:
            rows.append(
                Row(f"scale {factor}×: time ratio to 1×", ratio, "x", f"≤ {SCALE_RATIO_MAX:g}", ratio <= SCALE_RATIO_MAX, runs)
            )
        else:
            rows.append(Row(f"scale {factor}×: time ratio to 1×", ratio, "x", "", None, runs, f"linear would be {factor}"))
    return rows


def hs_import(workspace: Path) -> list[Row]:
    """`reports import comtrade` of a 100,000-row download by HS level, each run into a fresh copy of the
    import test dossier (so every run writes trade.csv, trade_mirror.csv and products.csv)."""
    download = write_comtrade(workspace / "comtrade-hs.csv", HS_IMPORT_ROWS)
    samples = []
    for run in range(RUNS):
        dossier = Path(shutil.copytree(ROOT / "tests" / "dossiers" / "import", workspace / "hs-import" / str(run)))
        samples.append(run_once([*REPORTS, "import", "comtrade", str(download), "--dossier", str(dossier)], workspace))
    seconds = median_seconds(samples)
    return [
        time_row(
            f"import comtrade: {HS_IMPORT_ROWS:,} rows by HS level",
            samples,
            f"≤ {HS_IMPORT_MAX_S:g} s",
            seconds <= HS_IMPORT_MAX_S,
            "totals and products.csv, validated and written",
        )
    ]


class _Idle:
    """Counts the lines in which `reports serve` says it has built everything a change touched."""

    def __init__(self, stream) -> None:
        self.count, self.changed = 0, threading.Condition()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            if line.startswith("up to date"):
                with self.changed:
                    self.count += 1
                    self.changed.notify_all()

    def wait_beyond(self, count: int) -> None:
        with self.changed:
            if not self.changed.wait_for(lambda: self.count > count, timeout=120):
                raise BenchError("`reports serve` did not finish building")


def _started_server(dossier: Path, workspace: Path) -> tuple[subprocess.Popen, str, _Idle]:
    """`reports serve --port 0`, the address it prints, and its idle lines."""
    command = [*REPORTS, "serve", "--dossier", str(dossier), "--as-of", AS_OF, "--port", "0"]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(command, cwd=workspace, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment)
    line = server.stdout.readline() if server.stdout else ""
    if not line.startswith("reports serve: http://"):
        server.kill()
        raise BenchError(f"`reports serve` printed {line!r}, not its address")
    return server, line.split()[2], _Idle(server.stderr)


def serve_reload(workspace: Path) -> list[Row]:
    from playwright.sync_api import sync_playwright

    dossier = Path(shutil.copytree(workspace / "data" / "kz-uz", workspace / "serve" / "kz-uz"))
    area = dossier / SERVE_AREA
    cold = run_many(
        {"build": build_command(dossier, workspace / "serve-out", "--audience", "ministry", "--format", "html")}, workspace, RUNS
    )["build"]
    server, url, idle = _started_server(dossier, workspace)
    seconds: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(120_000)
            page.goto(url + "ministry.en.html")
            for run in range(RUNS):
                idle.wait_beyond(run)  # every save from a server done with the one before, as a writer's are
                marker = f"Edited for the benchmark, run {run}."
                with page.expect_event("load"):
                    started = time.perf_counter()
                    area.write_text(area.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
                while marker not in page.content():  # a reload of an earlier change: wait for the next
                    page.wait_for_event("load")
                seconds.append(time.perf_counter() - started)
            browser.close()
    finally:
        server.send_signal(signal.SIGINT)
        if server.wait(30) != 0:
            raise BenchError(f"`reports serve` exited {server.returncode} on Ctrl-C")
    median = statistics.median(seconds)
    return [
        Row(
            "serve: save to reloaded page, area edit (ministry.en, kz-uz)",
            median,
            "s",
            f"< {SERVE_RELOAD_MAX_S:g} s",
            median < SERVE_RELOAD_MAX_S,
            RUNS,
            "headless Chromium, the page's load event with the new sentence",
            [round(value, 3) for value in seconds],
        ),
        time_row("serve: beside it, cold reports build --audience ministry --format html", cold),
    ]


def portfolio(workspace: Path) -> list[Row]:
    """A generated portfolio of PAIRS dossiers (benchmarks/make_portfolio.py), every audience, PDF and HTML, as one job
    `dossier: "data/*"` of `reports run --force`: documents per minute with one local worker, two, and Dask with two
    workers. A local run starts its pool (the workers' imports included), so that is timed; the Dask scheduler and
    workers are long-lived services, started on 127.0.0.1 before each run, preloaded (`reports.engine.dask_worker`)
    and not timed. CPU: the run's process and the children it waited for; for Dask, the scheduler's and the
    workers' (their render children included) during the run too. Then each PDF's time in the one-worker run (its
    share of the model, its layout and writing, in the render's child) against WeasyPrint alone on the HTML of the
    same document, warm."""
    folder = workspace / "portfolio"
    make_portfolio(folder / "data", PAIRS)
    jobs = folder / "reports.yaml"
    jobs.write_text('jobs:\n  - {name: portfolio, dossier: "data/*", formats: [pdf, html], out: out, schedule: "@monthly"}\n')
    run = [*REPORTS, "run", "--jobs", str(jobs), "--now", NOW, "--force", "--quiet"]
    samples: dict[str, list[Sample]] = {"local, 1 worker": [], "local, 2 workers": [], "Dask, 2 workers": []}
    seconds: dict[str, list[float]] = {}  # each PDF's time in each one-worker run
    for _ in range(PORTFOLIO_RUNS):
        samples["local, 1 worker"].append(run_once([*run, "--workers", "1"], folder))
        outputs = json.loads((folder / "out" / "manifest.json").read_text(encoding="utf-8"))["outputs"]
        for name, entry in outputs.items():
            if name.endswith(".pdf"):
                seconds.setdefault(name, []).append(entry["seconds"])
        samples["local, 2 workers"].append(run_once([*run, "--workers", "2"], folder))
        cluster = LocalCluster(2)
        with cluster as url:
            used = cluster.cpu_seconds()
            sample = run_once([*run, "--executor", url], folder)
            sample.cpu_seconds += cluster.cpu_seconds() - used  # the scheduler's and the workers' share of the run
            samples["Dask, 2 workers"].append(sample)
    documents = len(outputs)
    rates = {name: documents * 60 / median_seconds(runs) for name, runs in samples.items()}
    rows = [
        Row(f"portfolio ({PAIRS} pairs, {documents} documents): {name}", rate, "/min", "", None, PORTFOLIO_RUNS,
            f"{median_seconds(samples[name]):.1f} s; CPU {statistics.median(s.cpu_seconds for s in samples[name]):.1f} s",
            [round(s.seconds, 2) for s in samples[name]])
        for name, rate in rates.items()
    ]  # fmt: skip
    local = rates["local, 2 workers"] / rates["local, 1 worker"]
    dask = rates["Dask, 2 workers"] / rates["local, 2 workers"]
    rows.append(
        Row("portfolio: 2 local workers / 1", local, "x", f"≥ {LOCAL_SPEEDUP_MIN}", local >= LOCAL_SPEEDUP_MIN, PORTFOLIO_RUNS)
    )
    rows.append(
        Row("portfolio: Dask 2 workers / local 2", dask, "x", f"≥ {DASK_RATIO_MIN}", dask >= DASK_RATIO_MIN, PORTFOLIO_RUNS)
    )
    html = {name: folder / "out" / (name.removesuffix("pdf") + "html") for name in seconds}
    probes = [engine_seconds(list(html.values())) for _ in range(PORTFOLIO_RUNS)]  # as many samples as the runs
    by_audience: dict[str, list[float]] = {}
    for name, values in seconds.items():
        audience = name.split("/")[-1].split(".")[0]
        floor = statistics.median(probe[html[name]] for probe in probes)
        by_audience.setdefault(audience, []).append(statistics.median(values) / floor)
    for audience, ratios in sorted(by_audience.items()):
        worst = max(ratios)
        rows.append(
            Row(f"portfolio: {audience} PDF time / WeasyPrint on its HTML, worst", worst, "x", f"≤ {DOCUMENT_OVERHEAD_MAX}",
                worst <= DOCUMENT_OVERHEAD_MAX, len(ratios), f"median {statistics.median(ratios):.2f}×")
        )  # fmt: skip
    return rows


MEASUREMENTS: list[Callable[[Path], list[Row]]] = [
    python_startup, noop_run, overhead, notes, full_build, scale, hs_import, serve_reload, portfolio,
]  # fmt: skip


# ---------------------------------------------------------------- the table


def make_workspace(folder: Path) -> Path:
    """data/kz-uz and the shipped reports.yaml, with HTML output, in a throw-away folder."""
    shutil.copytree(ROOT / "data" / "kz-uz", folder / "data" / "kz-uz")
    jobs = (ROOT / "reports.yaml").read_text(encoding="utf-8").replace("formats: [pdf, docx]", "formats: [html]")
    (folder / "reports.yaml").write_text(jobs, encoding="utf-8")
    return folder


def _value(row: Row) -> str:
    if row.value is None:
        return "failed"
    if row.unit == "s":
        return f"{row.value:.3f} s"
    if row.unit == "x":
        return f"{row.value:.2f}×"
    if row.unit == "/min":
        return f"{row.value:.1f}/min"
    return f"{row.value / MB:.0f} MB"


def _met(row: Row) -> str:
    return "" if row.met is None else ("yes" if row.met else "NO")


def table(rows: list[Row]) -> str:
    header = ("measurement", "median", "target", "met", "runs", "notes")
    cells = [header] + [(row.name, _value(row), row.target or "-", _met(row), str(row.runs or "-"), row.note) for row in rows]
    widths = [max(len(line[column]) for line in cells) for column in range(len(header) - 1)]
    aligned = []
    for line in cells:
        name, value, target, met, runs, note = line
        left = f"{name:<{widths[0]}}  {value:>{widths[1]}}  {target:<{widths[2]}}  {met:<{widths[3]}}  {runs:>{widths[4]}}"
        aligned.append(f"{left}  {note}".rstrip())
    return "\n".join(aligned)


def machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
        "harfbuzz_subset": ctypes.util.find_library("harfbuzz-subset") is not None,
    }


def main(argv: list[str] | None = None) -> int:
    names = argv if argv is not None else sys.argv[1:]
    known = {measurement.__name__: measurement for measurement in MEASUREMENTS}
    unknown = [name for name in names if name not in known]
    if unknown:
        print(f"bench: unknown measurement {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    selected = [known[name] for name in names] or MEASUREMENTS
    before = machine()
    print(
        f"{before['cores']} cores, load average {before['load_average'][0]:.2f}, libharfbuzz-subset "
        f"{'present' if before['harfbuzz_subset'] else 'MISSING (PDF rendering is slower; see docs/performance.md)'}",
        flush=True,
    )
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "reports")], check=True)
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reports-bench-") as temporary:
        workspace = make_workspace(Path(temporary))
        for measurement in selected:
            print(f"... {measurement.__name__}", file=sys.stderr, flush=True)
            try:
                new = measurement(workspace)
            except (BenchError, subprocess.CalledProcessError) as error:
                new = [failed_row(measurement.__name__, error)]
            for row in new:
                print(f"    {row.name}: {_value(row)} {row.target} {_met(row)}", file=sys.stderr, flush=True)
            rows += new
    after = machine()
    print(table(rows))
    missed = [row for row in rows if row.met is False]
    print(
        f"{sum(row.met is True for row in rows)} targets met, {len(missed)} not met; "
        f"{time.perf_counter() - started:.0f} s; load average {before['load_average'][0]:.2f} before, "
        f"{after['load_average'][0]:.2f} after"
    )
    out = ROOT / "build" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "python": sys.version.split()[0],
        "machine": {"before": before, "after": after},
        "runs": {"runs": RUNS, "fast_runs": FAST_RUNS, "slow_runs": SLOW_RUNS, "huge_runs": HUGE_RUNS},
        "results": [asdict(row) for row in rows],
    }
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
