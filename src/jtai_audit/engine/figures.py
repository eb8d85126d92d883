"""The summary as typed values: what formatters read instead of looking up string keys."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleFigures:
    """One rule across the cases: outcome counts, blanks counted apart, its rate and finding."""

    rule: str
    counts: dict[str, int]
    unanswered: int
    rate: float | None  # shown to one decimal place
    cases: int  # judged: the rate's denominator
    finding: str | None  # None also when too few cases were judged


@dataclass(frozen=True)
class GroupFigures:
    """An area, legal status or age band: cases, mean score, theme percents and their cases."""

    name: str
    cases: int
    mean_score: float | None
    themes: dict[str, float | None]
    theme_cases: dict[str, int]


@dataclass(frozen=True)
class SpreadFigures:
    """One theme's best and worst area, the cases behind each, and the gap in points."""

    theme: str
    title: str
    best: str
    best_percent: float
    best_cases: int
    worst: str
    worst_percent: float
    worst_cases: int
    gap: float


@dataclass(frozen=True)
class SummaryFigures:
    """The summary as typed values, for formatters: no figure is looked up by a string key."""

    cases: int
    complete: int
    mean_score: float | None
    grades: dict[str, int]
    themes: dict[str, tuple[float | None, int]]  # theme → (percent, cases)
    rules: dict[str, RuleFigures]
    areas: list[GroupFigures]
    legal_status: list[GroupFigures]
    age_bands: list[GroupFigures]
    spreads: list[SpreadFigures]
    owners: list[tuple[str, float | None, int]]  # owner agency, percent, cases
    priority_cases: int
    auditor_graded: int


@dataclass(frozen=True)
class AgencyFigures:
    """One agency's own picture: its rules, the rules its answers fed, its completeness.

    The rules it owns are counted in the cases it owns them; the rules its answers fed over
    the children it is involved with.
    """

    agency: str
    cases: int  # children it is involved with
    returned: int | None  # its returns that came in (None: not a round of returns)
    rules: dict[str, RuleFigures]
    fed: dict[str, tuple[float | None, int]]  # rule → (rate, cases judged)
    completeness: dict[str, float]  # its own column → percent answered
