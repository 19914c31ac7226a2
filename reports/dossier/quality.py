"""How exact a figure is, from the statuses of the trade rows it is computed from (docs/dossier-format.md §2,
"Quality of derived figures").

A row is exact (`official`, `preliminary`), an `estimate`, or a `lower_bound` (the source says "more than X": the
true value is at least X). A figure computed from rows is:
- `exact` when every row it uses is exact;
- `estimate` ("about") when any row is an estimate, or lower bounds push it both ways;
- `at_least` or `at_most` when the only inexact rows are lower bounds and they push it one way: a lower bound in a
  value the figure rises with (the later year of a growth figure, the latest value of a target's progress) makes the
  figure at least what it says; one in a value it falls with (the base year, the previous year, a target's gap)
  makes it at most what it says.
The rules live here, below the indicators that apply them and the briefings that word them, so there is one copy.
"""

from __future__ import annotations

from collections.abc import Iterable


def figure_quality(rising: Iterable[str] = (), falling: Iterable[str] = ()) -> str:
    """The quality of a figure that rises with the rows of `rising` and falls with those of `falling` (their
    statuses). A row the figure does not move with one way only (a balance, a share) is in both."""
    rising, falling = list(rising), list(falling)
    if "estimate" in rising or "estimate" in falling:
        return "estimate"
    up, down = "lower_bound" in rising, "lower_bound" in falling
    if up and down:
        return "estimate"
    if up:
        return "at_least"
    if down:
        return "at_most"
    return "exact"


def value_quality(status: str) -> str:
    """The quality of a row's own values: a lower bound is at least what it says."""
    return figure_quality(rising=(status,))


def rows_quality(statuses: Iterable[str]) -> str:
    """One word for the rows a result uses (a target, a partial year, the mirror growth): `exact`, `estimate` when
    any is an estimate, else `lower_bound` when any is a lower bound."""
    statuses = list(statuses)
    if "estimate" in statuses:
        return "estimate"
    if "lower_bound" in statuses:
        return "lower_bound"
    return "exact"
