"""What a summary counts with: weighted tallies, groups of cases, a rule's rate.

The contract's arithmetic in one place (DESIGN "Outcomes, scores and grades"): a rule's
rate is (met + half of partly met) over the cases judged, shown to one decimal place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..terms import OUTCOME_POINTS, Outcome

AGE_BANDS = ("unborn", "0-2", "3-4", "5-7", "8+")
JUDGED = ("met", "partly_met", "not_met", "not_evidenced")
NO_AREA = "(no area)"


def age_band(age: Any, unborn: Any) -> str | None:
    """The contract's age bands: unborn, 0-2, 3-4, 5-7, 8+."""
    if age is None:
        return "unborn" if unborn == "Yes" else None
    if age <= 2:
        return "0-2"
    if age <= 4:
        return "3-4"
    if age <= 7:
        return "5-7"
    return "8+"


def rule_rate(counts: Mapping[str, int]) -> tuple[float | None, int]:
    """The contract's one rate for a rule, unrounded, and the number of cases judged.

    (met + half of partly met) over the cases judged, where not_evidenced counts silent
    records only: outcomes left open by blank cells are counted apart, as `unanswered`.
    """
    judged = sum(counts.get(o, 0) for o in JUDGED)
    if not judged:
        return None, 0
    return 100 * (counts.get("met", 0) + 0.5 * counts.get("partly_met", 0)) / judged, judged


def one_decimal(value: float | None) -> float | None:
    """How every rate, score and mean is shown: computed unrounded, shown to one place."""
    return None if value is None else round(value, 1)


@dataclass
class Tally:
    """Weighted points earned and possible, and how many cases are behind them.

    Cases arrive one at a time, so remembering the last case counted is enough to count
    each case once without keeping a set of every case id.
    """

    earned: float = 0.0
    possible: float = 0.0
    count: int = 0
    last: int = -1

    def add(self, weight: float, outcome: Outcome, case_number: int) -> None:
        self.earned += weight * OUTCOME_POINTS[outcome]
        self.possible += weight
        if case_number != self.last:
            self.last = case_number
            self.count += 1

    @property
    def percent(self) -> float | None:
        return one_decimal(100 * self.earned / self.possible) if self.possible else None


@dataclass
class Group:
    """Cases in one group (area, legal status, age band): count, scores and themes."""

    cases: int = 0
    score_total: float = 0.0
    scored: int = 0
    themes: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))

    @property
    def mean_score(self) -> float | None:
        return one_decimal(self.score_total / self.scored) if self.scored else None


def place(places: dict[Any, int], groups: list[Group], group: Group) -> int:
    """The group's number in this chunk's list of groups of one kind."""
    found = places.get(id(group))
    if found is None:
        found = places[id(group)] = len(groups)
        groups.append(group)
    return found
