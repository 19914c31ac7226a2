"""Each document renders in a child forked from a render process, not from the building process: the render
process is started once for a build and reused by its documents, and one that died between two documents is
started again rather than failing the next one."""

import os
import signal
import subprocess
import sys

from support.paths import VALID_DOSSIER
from support.render_process import own_render_processes

from reports.isolation import Limits, render_limited, render_process


def parent_of_render() -> bytes:
    return str(os.getppid()).encode()


def test_renders_are_forked_from_one_render_process_kept_for_the_block():
    with render_process():
        first = int(render_limited(Limits(), "first", parent_of_render))
        second = int(render_limited(Limits(), "second", parent_of_render))
    assert first == second != os.getpid()


def test_a_render_process_killed_between_two_documents_is_started_again():
    with render_process():
        killed = int(render_limited(Limits(), "first", parent_of_render))
        os.kill(killed, signal.SIGKILL)
        again = int(render_limited(Limits(), "second", parent_of_render))
    assert again not in (killed, os.getpid())


def test_without_a_kept_render_process_each_render_has_one_of_its_own():
    with own_render_processes():  # the test process's kept one set aside
        first = int(render_limited(Limits(), "first", parent_of_render))
        second = int(render_limited(Limits(), "second", parent_of_render))
    assert os.getpid() not in (first, second) and first != second


def test_every_renderer_that_checks_a_templates_folder_is_listed_as_one():
    from reports.renderers import CHECKS_TEMPLATES, RENDERERS, Renderer, renderer_class

    checking = {
        name for name in RENDERERS if renderer_class(name).check_templates.__func__ is not Renderer.check_templates.__func__
    }
    assert checking == set(CHECKS_TEMPLATES)


def test_a_pdf_build_with_a_house_folder_leaves_weasyprint_to_the_render_process(tmp_path):
    """The building process loads the dossier and builds the model; the renderers' libraries are the render
    process's, which imports them meanwhile (an organization's templates folder is checked without them)."""
    house = tmp_path / "house"
    house.mkdir()
    (house / "briefing.css").write_text("h1 { color: #123456 }\n", encoding="utf-8")
    probe = "import sys\nfrom reports.cli import main\ncode = main(sys.argv[1:])\nprint(code, 'weasyprint' in sys.modules)\n"
    args = ["build", "--dossier", str(VALID_DOSSIER), "--as-of", "2025-06-30", "--out", str(tmp_path / "out")]
    args += ["--templates", str(house), "--audience", "press", "--format", "pdf", "--quiet"]
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "False"], done.stderr
    assert (tmp_path / "out" / "north-south" / "press.en.pdf").read_bytes().startswith(b"%PDF")
