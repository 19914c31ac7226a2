"""Numbers a dossier may hold are bounded when it is validated, so a build never meets one it cannot compute or
format: an amount or a key fact's value above 10^12, a whole number of more than 18 digits, a negative amount
(said as such), digits other than 0-9 (a full-width `１０` is not the HS code `10`), and a value thousands of
digits long is echoed cut, not whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.cli import run_in_process
from support.dossier import DossierCopy
from support.paths import DOSSIERS


def refused(folder: Path, expected: str) -> str:
    result = run_in_process("validate", "--dossier", str(folder))
    assert result.code == 2, result.describe()
    assert "Traceback" not in result.err
    assert expected in result.err, result.describe()
    return result.err


def test_money_beyond_any_trade_figure_is_refused_when_validated(dossier: DossierCopy):
    dossier.set_cell("trade.csv", 3, "exports", "1" + "0" * 14)
    dossier.set_cell("trade.csv", 3, "turnover", "")
    refused(dossier.path, f"{dossier.path / 'trade.csv'}:3: exports: 100000000000000 is larger than 10^12")


def test_a_partial_year_of_32_digits_is_refused_when_validated(tmp_path: Path):
    folder = DossierCopy(Path(shutil.copytree(DOSSIERS / "as-of", tmp_path / "dossier")))
    folder.set_cell("trade_ytd.csv", 2, "turnover", "9" * 32)
    folder.set_cell("trade_ytd.csv", 2, "exports", "")
    folder.set_cell("trade_ytd.csv", 2, "imports", "")
    refused(folder.path, f"{folder.path / 'trade_ytd.csv'}:2: turnover: {'9' * 32} is larger than 10^12")


def test_a_key_fact_of_10_to_the_29_is_refused_when_validated(dossier: DossierCopy):
    dossier.replace("areas/trade.md", "value: 121,", "value: 100000000000000000000000000000,")
    err = refused(dossier.path, f"{dossier.path / 'areas' / 'trade.md'}:6: key_facts[0].value: 1{'0' * 29} is larger than 10^12")
    assert "is not an area" not in err  # the area's own problem, said once: no follow-on error where it is named


def test_a_key_fact_as_large_as_allowed_builds_in_every_format(dossier: DossierCopy, tmp_path: Path):
    dossier.replace("areas/trade.md", "value: 121,", "value: 1000000000000,")
    out = tmp_path / "out"
    result = run_in_process(
        "build", "--dossier", str(dossier.path), "--as-of", "2025-06-30", "--out", str(out), "--audience", "ministry",
        "--format", "html", "--format", "docx",
    )  # fmt: skip
    assert result.code == 0, result.describe()
    assert "€1,000,000,000\u00a0bn" in (out / "north-south" / "ministry.en.html").read_text(encoding="utf-8")


def test_a_negative_amount_is_said_to_be_negative(dossier: DossierCopy):
    dossier.set_cell("trade.csv", 3, "exports", "-5")
    err = refused(dossier.path, f"{dossier.path / 'trade.csv'}:3: exports: -5 is below 0; an amount is never negative")
    assert "is not a number" not in err


def test_a_5000_digit_number_is_echoed_cut(dossier: DossierCopy):
    dossier.set_cell("trade.csv", 3, "year", "9" * 5000)
    err = refused(dossier.path, f"{dossier.path / 'trade.csv'}:3: year: '{'9' * 39}... (5002 characters)")
    assert "9" * 200 not in err


@pytest.mark.parametrize(("column", "value"), [("code", "１０"), ("year", "２０２１"), ("value", "２８")])
def test_full_width_digits_are_not_digits(tmp_path: Path, column: str, value: str):
    """`１０` and `10` were both accepted as HS codes and counted twice."""
    folder = DossierCopy(Path(shutil.copytree(DOSSIERS / "products", tmp_path / "dossier")))
    folder.set_cell("products.csv", 8, column, value)
    refused(folder.path, f"{folder.path / 'products.csv'}:8: {column}: '{value}' is not")
