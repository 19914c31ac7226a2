"""Any bytes in a dossier's CSV file give a dossier or a dossier error (exit 2, every problem named in that
dossier), never an exception of another kind: a hypothesis fuzz test of the CSV readers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.paths import VALID_DOSSIER as VALID

from reports.dossier.load import load_dossier
from reports.errors import ReportsError

pytestmark = pytest.mark.slow

CSV_FILES = ("trade.csv", "events.csv", "commitments.csv")


CSV_ALPHABET = st.sampled_from(
    [
        ",",
        '"',
        "\n",
        "\r",
        "\r\n",
        ";",
        " ",
        "\x00",
        "\ufeff",
        "é",
        "2019",
        "-1",
        "1e9",
        "nan",
        "official",
        "news",
        "stats",
        "trade",
        "2021-11",
        "2024-02-30",
        "=cmd|' /C calc'!A0",
        "<b>",
        "year",
        "id",
        "date",
        "status",
    ]
)


CSV_TEXT = st.lists(CSV_ALPHABET, max_size=80).map("".join)


@st.composite
def csv_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    """A CSV file name and bytes: arbitrary bytes, or CSV-like text (its real header first, half the time)."""
    name = draw(st.sampled_from(CSV_FILES))
    kind = draw(st.sampled_from(("bytes", "text", "header")))
    if kind == "bytes":
        return name, draw(st.binary(max_size=600))
    body = draw(CSV_TEXT)
    if kind == "header":
        body = (VALID / name).read_text(encoding="utf-8").split("\n", 1)[0] + "\n" + body
    encoding = draw(st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "latin-1")))
    return name, body.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def fuzz_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(VALID, tmp_path_factory.mktemp("fuzz") / "dossier"))


@settings(max_examples=200, deadline=None)
@given(csv_bytes())
def test_any_bytes_in_a_csv_file_give_a_dossier_or_a_dossier_error(fuzz_folder, named_bytes):
    name, data = named_bytes
    path = fuzz_folder / name
    original = (VALID / name).read_bytes()
    path.write_bytes(data)
    try:
        load_dossier(fuzz_folder)
    except ReportsError as error:  # DossierError: exit 2 with every problem named
        assert error.problems and all(problem.path.startswith(str(fuzz_folder)) for problem in error.problems)
    finally:
        path.write_bytes(original)
