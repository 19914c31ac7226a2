"""A Dask worker preload for tests/test_distributed.py (`dask worker --preload`): what a test asks of real workers.

The test writes a control file into `$REPORTS_TEST_CONTROL` before its run:
- `kill.json` `{"match": TEXT, "times": N, "delay": SECONDS}`: a worker that starts a task whose key holds TEXT
  (the key names the dossier, audience and language) dies — `os._exit`, as a machine lost — SECONDS later, in the
  middle of that document; for the first N such starts, or every time when N is 0.
- `edit.json` `{"path": FILE, "old": TEXT, "new": TEXT}`: when the first task starts, after the run planned and
  before it writes, a dossier file is edited, once.

`$REPORTS_TEST_VERSION` makes the worker report that version of `reports`: a worker with another version.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin


class TestControl(WorkerPlugin):
    name = "reports-test-control"

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish != "executing":
            return
        control = Path(os.environ["REPORTS_TEST_CONTROL"])
        try:
            os.rename(control / "edit.json", control / "edit.done")  # one worker claims the edit
        except FileNotFoundError:
            pass
        else:
            edit = json.loads((control / "edit.done").read_text("utf-8"))
            path = Path(edit["path"])
            path.write_text(path.read_text("utf-8").replace(edit["old"], edit["new"]), "utf-8")
        if not (control / "kill.json").exists():
            return
        kill = json.loads((control / "kill.json").read_text("utf-8"))
        if kill["match"] not in str(key):
            return
        for number in range(kill["times"] or 1):
            try:
                os.close(os.open(control / f"killed-{number}", os.O_CREAT | os.O_EXCL))  # one kill per number
            except FileExistsError:
                if kill["times"]:
                    continue
            threading.Timer(kill["delay"], os._exit, (1,)).start()
            return


async def dask_setup(worker) -> None:
    if os.environ.get("REPORTS_TEST_VERSION"):
        import reports

        reports.__version__ = os.environ["REPORTS_TEST_VERSION"]
    await worker.plugin_add(TestControl())
