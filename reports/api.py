"""The Python API for notebooks: `reports.load_dossier(path)` gives the dossier's tables as pandas DataFrames and
its indicators, as the briefings compute them (docs/user-guide.md, "In a notebook")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from reports.dossier.frames import dossier_frames
from reports.dossier.load import load_dossier as load_validated
from reports.dossier.model import Dossier
from reports.indicators import Indicators, compute_indicators
from reports.indicators_export import indicator_tables


@dataclass(frozen=True)
class DossierData:
    """A validated dossier and its tables: `trade` and `mirror` indexed by year, `ytd` by (year, months),
    `products` by (year, flow, code); missing figures are NaN."""

    dossier: Dossier
    trade: pd.DataFrame
    mirror: pd.DataFrame
    ytd: pd.DataFrame
    products: pd.DataFrame

    def indicators(self, as_of: dt.date | None = None) -> Indicators:
        """Every indicator on the dossier as it stood on `as_of` (default: today)."""
        return compute_indicators(self.dossier, as_of or dt.date.today())

    def tables(self, as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
        """The series, targets and products as `reports indicators --format xlsx` writes them."""
        return indicator_tables(self.indicators(as_of))


def load_dossier(path: Path | str) -> DossierData:
    """Load and validate a dossier folder (a DossierError lists every problem), with its tables as DataFrames."""
    dossier = load_validated(path)
    frames = dossier_frames(dossier)
    return DossierData(dossier, frames.trade, frames.mirror, frames.ytd, frames.products)
