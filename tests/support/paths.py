"""Where things are: the repository and its test data. No test names a path outside the repository."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
REPO_ROOT = TESTS.parent
DOSSIERS = TESTS / "dossiers"
VALID_DOSSIER = DOSSIERS / "valid"  # the minimal valid dossier
VALID_ID = "north-south"  # its id (dossier.yaml), the folder of its outputs
VALID_AS_OF = "2025-06-30"  # every source of the valid dossier is out, its last trade year over
KZ_UZ = REPO_ROOT / "data" / "kz-uz"
KZ_AS_OF = "2026-01-10"  # the as-of date of the kz-uz builds the tests share: 2024 is known (its source is out), 2025 not yet
AUDIENCES = ("leadership", "ministry", "press")  # the built-in audiences
KZ_EVENT = "2025-11-state-visit-tashkent"  # "Tokayev's state visit to Uzbekistan", 14-16 November 2025, in events.csv
