"""The rows of the meeting's tables: what each line of a table, a letter or a section holds.

Plain frozen values, built by `views.Meeting` and read by the markdown, HTML and xlsx
writers, so each writer only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rubric.wording import CAP_NOTE
from .cells import FINDING_LABELS, TOO_FEW


@dataclass(frozen=True)
class RuleRow:
    """One rule across all cases: outcome counts, its rate, and what it means.

    `finding` is None when too few cases were judged to call the rule anything.
    """

    rule: str
    title: str
    theme: str
    theme_title: str
    severity: str
    owner: str
    action: str
    counts: dict[str, int]
    judged: int
    rate: float | None
    finding: str | None

    @property
    def finding_label(self) -> str:
        """The finding in words; a rate from too few cases is shown but called nothing."""
        if self.finding:
            return FINDING_LABELS[self.finding]
        return TOO_FEW if self.rate is not None else "-"


@dataclass(frozen=True)
class PlanRow:
    """A row of the new action plan: a rule to act on, with last round's owner carried over."""

    rule: str
    title: str
    finding: str
    rate: float | None
    judged: int | None
    owner_agency: str
    action: str
    owner: str | None = None
    due: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class AgencySection:
    """One agency's feedback: its rules and findings, and its part of the returns.

    Its rules are counted only in the cases where it owns them (owners per case), so the
    figures are those of `score --agency`; `fed` and `completeness` give an agency that
    owns no rule something to act on too.
    """

    agency: str
    rules: list[RuleRow]
    letter: list[tuple[str, list[str]]]
    missing: list[str]  # case ids whose return from this agency is awaited
    conflicts: list[str]  # "case column" where its record disagrees with another agency's
    cases: int = 0  # children it is involved with
    returned: int | None = None  # its returns in (None: not a round of returns)
    fed: list[tuple[str, str, float | None, int]] = field(default_factory=list)
    completeness: list[tuple[str, float]] = field(default_factory=list)  # column, percent

    def involvement(self) -> str:
        """Which children it worked with, and its returns in."""
        children = "1 child" if self.cases == 1 else f"{self.cases} children"
        line = f"Involved with {children} in this audit"
        if self.returned is not None:
            line += f"; {self.returned} of its returns in"
            if self.missing:
                line += f", {len(self.missing)} awaited"
        return line + "."

    def completeness_line(self) -> str:
        """Its own columns' completeness in one sentence: all answered, or those below 100%."""
        if not self.completeness:
            return "It answers no column of the case file."
        short = [(c, p) for c, p in self.completeness if p < 100]
        children = "1 child" if self.cases == 1 else f"{self.cases} children"
        if not short:
            return (f"Its answers were complete: all {len(self.completeness)} of its columns "
                    f"answered for the {children} it is involved with.")
        listed = ", ".join(f"{c} {min(p, 99.9):.1f}%" for c, p in short)
        return (f"{len(self.completeness) - len(short)} of its {len(self.completeness)} "
                f"columns answered for all {children} it is involved with; below 100%: "
                f"{listed}.")


@dataclass(frozen=True)
class RuleGuide:
    """A rule in words for the meeting: when it applies and what each outcome means."""

    rule: str
    title: str
    applies: str
    outcomes: list[tuple[str, str]]
    capping: bool

    def meanings(self) -> str:
        """The outcomes on one line: "Met: ... Not met: ..." (and the cap, when critical)."""
        text = " ".join(f"{label}: {meaning}" for label, meaning in self.outcomes)
        return f"{text} {CAP_NOTE}" if self.capping else text


@dataclass(frozen=True)
class FlaggedRule:
    """A rule that put a case on the priority list, with the outcome and its evidence."""

    rule: str
    title: str
    outcome: str
    evidence: str


@dataclass(frozen=True)
class CaseRow:
    """A case named only by case_id, area and source: never by anything the notes say."""

    case_id: str
    area: str
    source: str
    grade: str
    score: float | None
    rules: list[FlaggedRule] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    auditor_grade: str | None = None
    limited_by: str = ""  # "limited by NAP-2 not met": the limit that set the grade

    @property
    def grade_text(self) -> str:
        """The grade with the limit that set it: "Inadequate — limited by VOICE-1 not met"."""
        return f"{self.grade} — {self.limited_by}" if self.limited_by else self.grade
