"""Every example a user can run in README.md and docs/ is run here, so a stale example fails the suite.

A runnable example is a fenced block marked `console`: lines starting with `$ ` are commands (a line ending in
`\\` continues on the next, and a here-document through its end word), the lines after a command, up to the
next one, are what it prints (stdout and stderr together, blank lines left out). A shown line `...` stands for
any number of lines, and `...` inside a line for any text (a time, a date); `[exit N]` after the output says
the command fails with status N. A command with no output shown only has to succeed. Each page's examples run
in order, in one scratch copy of the repository's data (data/, examples/, tests/dossiers/, tests/imports/,
templates/, reports.yaml), with `.venv` the checkout's; `/tmp/` in a command is a folder of that scratch copy,
so pages run side by side. Other blocks (`sh`: setup such as `make test`, cron lines) are not run.

A command that is `.venv/bin/reports ARGS` and nothing else a shell would read (no pipe, redirection, variable,
quote or pattern) runs as `reports.cli.main(ARGS)` in this process, from the scratch copy, its output captured as
the shell's: a new interpreter costs a second or more of imports and a render process of its own, and the pages
hold dozens of such lines. Every other line runs in bash, `.venv/bin/reports` lines among them (an environment
variable before it, `2>&1`, `&&`), so the installed command is run as a user types it too: the front door's
build with `2>&1` shows all a real process prints, its render process's too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from support.cli import run_in_process
from support.paths import REPO_ROOT

pytestmark = pytest.mark.slow

PAGES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
COPIED = ("data", "examples", "tests/dossiers", "tests/imports", "templates", "reports.yaml")
FENCE = re.compile(r"^(`{3,})(\S*)[^\n]*\n(.*?)^\1\s*$", re.M | re.S)
EXIT = re.compile(r"^\[exit (\d+)\]$")
HEREDOC = re.compile(r"<<-?'?(\w+)'?\s*$")


@dataclass
class Example:
    page: Path
    line: int
    command: str
    shown: list[str] = field(default_factory=list)
    status: int = 0


def examples(page: Path) -> list[Example]:
    """The commands of the page's `console` blocks, each with the output the page shows for it."""
    text = page.read_text(encoding="utf-8")
    found: list[Example] = []
    for block in FENCE.finditer(text):
        if block[2] != "console":
            continue
        first = text.count("\n", 0, block.start(3)) + 1
        lines = block[3].split("\n")
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.startswith("$ "):
                command, start = line[2:], index
                while command.endswith("\\") and index + 1 < len(lines):
                    index += 1
                    command = command[:-1] + " " + lines[index].strip()
                if heredoc := HEREDOC.search(command):  # the document's lines, through its end word, belong to it
                    while index + 1 < len(lines) and lines[index] != heredoc[1]:
                        index += 1
                        command += "\n" + lines[index]
                found.append(Example(page, first + start, command))
            elif line.strip() and found and (status := EXIT.match(line.strip())):
                found[-1].status = int(status[1])
            elif line.strip() and found:
                found[-1].shown.append(line.rstrip())
            index += 1
    return found


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the printed lines are the shown ones, `...` lines standing for any lines and `...` in a line for any text."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() == "..." else ".*?".join(map(re.escape, line.split("..."))) + r"\n" for line in shown
    )
    return re.fullmatch(pattern, "".join(line.rstrip() + "\n" for line in printed), re.S) is not None


def scratch_copy(folder: Path) -> Path:
    for name in COPIED:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, symlinks=True)
        elif source.is_file():
            shutil.copy(source, folder / name)
    (folder / ".venv").symlink_to(REPO_ROOT / ".venv")
    (folder / "tmp").mkdir()
    return folder


REPORTS = ".venv/bin/reports"
LITERAL = re.compile(r"[\w@%+,./:=-]+")  # a word with nothing in it that bash would expand or treat as syntax


def reports_args(command: str) -> list[str] | None:
    """The arguments of a command that is `.venv/bin/reports ARGS` alone, as bash splits it (a ` # comment` after
    it left out); None for a command that needs a shell."""
    words = re.sub(r"\s#.*", "", command).split()
    if "\n" in command or words[:1] != [REPORTS] or not all(LITERAL.fullmatch(word) for word in words):
        return None
    return words[1:]


def run_example(example: Example, root: Path) -> str | None:
    """None when the example does what its page says; else what went wrong."""
    command = example.command.replace("/tmp/", f"{root}/tmp/")
    if (args := reports_args(command)) is not None:
        code, out, err = run_in_process(*args, cwd=root, program=REPORTS, seconds=600)
    else:
        done = subprocess.run(
            ["bash", "-c", command], cwd=root, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL
        )
        code, out, err = done.returncode, done.stdout, done.stderr
    output = (out + err).replace(f"{root}/tmp/", "/tmp/").replace(f"{root}/", "")
    printed = [line for line in output.splitlines() if line.strip()]  # the page leaves blank lines out
    where = f"{example.page.relative_to(REPO_ROOT)}:{example.line}: $ {example.command}"
    if code != example.status:
        return f"{where}\nexit status {code}, the page says {example.status}:\n" + "\n".join(printed)
    if example.shown and not matches(example.shown, printed):
        return f"{where}\nprinted:\n" + "\n".join(printed) + "\nthe page shows:\n" + "\n".join(example.shown)
    return None


RUNNABLE = [page for page in PAGES if examples(page)]


@pytest.mark.parametrize("page", RUNNABLE, ids=[page.name for page in RUNNABLE])
def test_every_example_of_the_page_does_what_it_shows(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "120")  # help and tables as wide as the pages show them, in bash and in this process
    root = scratch_copy(tmp_path)
    failures = [problem for example in examples(page) if (problem := run_example(example, root))]
    assert not failures, "\n\n".join(failures)


def test_only_a_line_that_is_the_command_alone_runs_in_this_process() -> None:
    """Whatever a shell would read in a line (a redirection, a variable, a quote, a pattern) keeps it in bash."""
    plain = ".venv/bin/reports build --as-of 2025-11-10 --out /tmp/x,y    # a comment, with $ and |"
    assert reports_args(plain) == ["build", "--as-of", "2025-11-10", "--out", "/tmp/x,y"]
    for command in (
        ".venv/bin/reports build --verbose 2>&1",
        "REPORTS_NOW=2025-11-10T06:00 .venv/bin/reports run --due",
        ".venv/bin/reports build && soffice build/kz-uz/ministry.en.docx",
        ".venv/bin/reports indicators | head",
        ".venv/bin/reports validate --dossier $HOME/kz-uz",
        ".venv/bin/reports validate --dossier ~/kz-uz",
        ".venv/bin/reports build --out 'my build'",
        ".venv/bin/reports build --out build\\ 2",
        "grep -c x build/kz-uz/*.html",
        "reports validate",
    ):
        assert reports_args(command) is None, command


def test_the_docs_have_runnable_examples() -> None:
    """The count the docs promise a newcomer; a page that loses its `console` marks would silently test nothing."""
    count = sum(len(examples(page)) for page in PAGES)
    assert count >= 40, count


SHELL_BLOCKS = ("sh", "console", "bash", "shell")
# a command word (at the start, after `&&`, `;`, `|` or `VAR=value`) that is a bare reports, python or pip
BARE = re.compile(r"(^|[;&|(]\s*)(\w+=\S*\s+)*(reports|python3?|pip)(\s|$)")


def test_every_example_invokes_the_tool_one_way() -> None:
    """`.venv/bin/reports` and `.venv/bin/python` throughout (README says so once): a bare `reports` is "command not
    found" outside an activated venv, and the system `python` lacks the dependencies."""
    wrong = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in FENCE.finditer(text):
            if block[2] not in SHELL_BLOCKS:
                continue
            for offset, line in enumerate(block[3].split("\n")):
                if block[2] == "console" and not line.startswith("$ "):
                    continue  # output
                command = line.removeprefix("$ ").split(" #")[0]
                if BARE.search(command):
                    where = text.count("\n", 0, block.start(3)) + 1 + offset
                    wrong.append(f"{page.relative_to(REPO_ROOT)}:{where}: {line}")
    assert not wrong, "\n".join(wrong)


def test_the_readme_states_the_leadership_notes_points_per_area_as_configured() -> None:
    """A claim that went stale once ("three points per area" after the audience moved to 2)."""
    audience = yaml.safe_load((REPO_ROOT / "reports/templates/audiences/leadership.yaml").read_text(encoding="utf-8"))
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    claimed = re.findall(r"(\w+) points per area", (REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    assert claimed == [words[audience["bullets_per_area"]]]


def test_no_page_promises_markers_it_does_not_use() -> None:
    """The docs once described *(Not yet built: …)* markers that no page carried."""
    texts = {page: page.read_text(encoding="utf-8") for page in PAGES}
    described = [page.name for page, text in texts.items() if "Not yet built" in text]
    used = any("*(Not yet built:" in text.replace("*(Not yet built: …)*", "") for text in texts.values())
    assert used or not described, described
