"""The dossier's tables as pandas DataFrames, built from the validated rows: the data layer the indicators compute
from and a notebook reads (`reports.load_dossier`).

The loader validates row by row (every problem named by file, line and field); the frames come after, so a frame
never holds a value that failed validation. A missing value is NaN, a gap in the years an absent row. Frames stay
in the data layer: the briefing model and the renderers receive plain values.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pandas as pd

from reports.dossier.model import Dossier, PartialYearRow, ProductRow, TradeRow

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

NUMBERS = ("exports", "imports", "turnover", "value", "yoy_pct")  # floats, NaN where missing


def _frame(rows: tuple[object, ...], row_type: type[DataclassInstance], index: list[str]) -> pd.DataFrame:
    """One column per field of the row type, numbers as floats (NaN where missing), indexed by `index`."""
    columns = [f.name for f in fields(row_type)]
    frame = pd.DataFrame([[getattr(row, c) for c in columns] for row in rows], columns=columns)
    for column in columns:
        if column in NUMBERS:
            frame[column] = frame[column].astype(float)
        elif column in ("year", "months"):
            frame[column] = frame[column].astype(int)
    return frame.set_index(index)


def trade_frame(rows: tuple[TradeRow, ...]) -> pd.DataFrame:
    """Annual trade (trade.csv or trade_mirror.csv) indexed by year: exports, imports, turnover, status, source, note.
    Each year appears once (the loader refuses a second row), so `frame.loc[year, "turnover"]` is one number."""
    return _frame(rows, TradeRow, ["year"])


def partial_year_frame(rows: tuple[PartialYearRow, ...]) -> pd.DataFrame:
    """Partial-year trade indexed by (year, months)."""
    return _frame(rows, PartialYearRow, ["year", "months"])


def products_frame(rows: tuple[ProductRow, ...]) -> pd.DataFrame:
    """Products indexed by (year, flow, code): name, name_ru, value, source."""
    return _frame(rows, ProductRow, ["year", "flow", "code"])


@dataclass(frozen=True)
class DossierFrames:
    """The dossier's four tables of figures."""

    trade: pd.DataFrame
    mirror: pd.DataFrame
    ytd: pd.DataFrame
    products: pd.DataFrame


def dossier_frames(dossier: Dossier) -> DossierFrames:
    return DossierFrames(
        trade_frame(dossier.trade),
        trade_frame(dossier.trade_mirror),
        partial_year_frame(dossier.trade_ytd),
        products_frame(dossier.products),
    )
