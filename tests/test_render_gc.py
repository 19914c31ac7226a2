"""The render runs with what was loaded before it frozen out of the garbage collector, and only while it runs:
a long `reports run` in one process must still collect its garbage between documents."""

import gc

from reports.isolation import Limits, render_limited


def frozen_during_work() -> bytes:
    return str(gc.get_freeze_count()).encode()


def test_in_process_render_sees_the_loaded_objects_frozen_and_they_are_thawed_after():
    assert int(render_limited(Limits(0, 0), "in process", frozen_during_work)) > 0
    assert gc.get_freeze_count() == 0


def test_forked_render_sees_them_frozen_and_the_parent_thaws_them_after():
    assert int(render_limited(Limits(), "forked", frozen_during_work)) > 0
    assert gc.get_freeze_count() == 0
