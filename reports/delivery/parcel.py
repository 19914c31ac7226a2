"""What a delivery carries: the documents of one job and dossier, and the one-line failure of a target."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class DeliveryError(Exception):
    """A target could not be reached or refused the parcel: one line, said on stderr; the parcel stays owed."""


@dataclass(frozen=True)
class Item:
    """One built document as a target receives it."""

    path: Path  # the file `reports run` wrote
    audience: str
    lang: str
    format: str
    restricted: bool  # built for an audience that includes restricted material


@dataclass(frozen=True)
class Parcel:
    """What one target receives for one job and dossier in one run."""

    job: str
    dossier_id: str
    dossier_title: str
    items: tuple[Item, ...]
