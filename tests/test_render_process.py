"""Each document renders in a child forked from a render process, not from the building process: the render
process is started once for a build and reused by its documents, and one that died between two documents is
started again rather than failing the next one."""

import os
import signal

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
    first = int(render_limited(Limits(), "first", parent_of_render))
    second = int(render_limited(Limits(), "second", parent_of_render))
    assert os.getpid() not in (first, second) and first != second
