"""Moderation: how far two auditors agree on the same cases, and where they differ.

Agreement and Cohen's kappa are computed per column over the cases both auditors
answered (`Not recorded` and `N/A` are answers; blank is not). Kappa is undefined when
chance agreement is total — both auditors used one and the same answer for every case —
and is then reported as None rather than 1.0: there was no variation to agree beyond
chance on, and the percent agreement already says they matched. Values shown are the
vocabulary words; a date is never shown, only how far apart the two dates are (the
privacy rule gives dates as intervals), and free-text columns are never compared.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..schema import FieldSpec
from ..terms import Status
from ..workbook.cases import Case

COMPARED_TYPES = ("answer", "yes_no", "choice", "list", "integer", "date")
UNANSWERED = "unanswered"
# Below this kappa two auditors read a question differently (Landis and Koch's "moderate"
# agreement ends at 0.6): the question's guidance needs another look.
KAPPA_THRESHOLD = 0.6
READ_DIFFERENTLY = "auditors read this question differently: see its guidance"


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """κ = (pₒ − pₑ) / (1 − pₑ) over paired categorical ratings; None when undefined."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def category(case: Case, name: str, spec: FieldSpec) -> str:
    """The cell as a category: the canonical word, or 'unanswered'; dates as ISO (compared only)."""
    status = case.status.get(name, Status.UNANSWERED)
    if status in (Status.UNANSWERED, Status.INVALID):
        return UNANSWERED
    if status is Status.NOT_RECORDED:
        return "Not recorded"
    if status is Status.NOT_APPLICABLE:
        return "N/A"
    value = case.values.get(name)
    if value is None and spec.words and status is Status.ANSWERED:
        return spec.words[0]  # a date column's word (`Not notified`): an answer, not a blank
    if value is None or value == ():
        return "blank"
    if spec.type == "list":
        return "; ".join(sorted(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def shown_pair(first: str, second: str, spec: FieldSpec) -> tuple[str, str]:
    """What a disagreement prints: words as they are; two dates as an interval, never dates."""
    if spec.type != "date":
        return first, second
    def word(value: str) -> str:
        return "a date" if _is_iso(value) else value
    if _is_iso(first) and _is_iso(second):
        days = (dt.date.fromisoformat(second) - dt.date.fromisoformat(first)).days
        later = "later" if days > 0 else "earlier"
        return "a date", f"{abs(days)} day(s) {later}"
    return word(first), word(second)


def _is_iso(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass
class ColumnAgreement:
    """Paired answers of one column: both-answered pairs feed agreement and kappa."""

    pairs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def agreement(self) -> float | None:
        if not self.pairs:
            return None
        return round(100 * sum(1 for a, b in self.pairs if a == b) / len(self.pairs), 1)

    @property
    def kappa(self) -> float | None:
        value = cohen_kappa(self.pairs)
        return None if value is None else round(value, 3)


@dataclass
class Moderation:
    """Everything two auditors' workbooks disagree on, ready to serialise."""

    answers: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    grades: list[dict[str, Any]] = field(default_factory=list)
    columns: dict[str, ColumnAgreement] = field(default_factory=dict)
    compared: int = 0

    @property
    def overall(self) -> float | None:
        pairs = [p for c in self.columns.values() for p in c.pairs]
        if not pairs:
            return None
        return round(100 * sum(1 for a, b in pairs if a == b) / len(pairs), 1)

    def worst_first(self) -> list[tuple[str, ColumnAgreement]]:
        """Questions by kappa, lowest first; an undefined kappa (no variation) last."""
        order = {name: index for index, name in enumerate(self.columns)}
        return sorted(self.columns.items(), key=lambda item: (
            item[1].kappa is None, item[1].kappa if item[1].kappa is not None else 0.0,
            item[1].agreement if item[1].agreement is not None else 100.0, order[item[0]]))

    @property
    def read_differently(self) -> list[str]:
        """Questions whose kappa falls below KAPPA_THRESHOLD, worst first."""
        return [name for name, c in self.worst_first()
                if c.kappa is not None and c.kappa < KAPPA_THRESHOLD]

    def as_dict(self) -> dict[str, Any]:
        return {
            "answers": self.answers, "outcomes": self.outcomes, "grades": self.grades,
            "agreement": {n: c.agreement for n, c in self.columns.items()},
            "kappa": {n: c.kappa for n, c in self.worst_first()},
            "kappa_below": {"threshold": KAPPA_THRESHOLD, "questions": self.read_differently},
            "overall_agreement": self.overall, "cases_compared": self.compared,
        }


def compare_answers(pairs: Sequence[tuple[Case, Case]], fields: Mapping[str, FieldSpec],
                    present: tuple[set[str], set[str]]) -> Moderation:
    """Per column agreement and every answer disagreement, with both cells named."""
    result = Moderation(compared=len(pairs))
    names = [n for n, s in fields.items() if s.type in COMPARED_TYPES
             and n in present[0] and n in present[1]]
    result.columns = {name: ColumnAgreement() for name in names}
    for first, second in pairs:
        for name in names:
            spec = fields[name]
            a, b = category(first, name, spec), category(second, name, spec)
            if UNANSWERED not in (a, b):
                result.columns[name].pairs.append((a, b))
            if a != b:
                shown_a, shown_b = shown_pair(a, b, spec)
                result.answers.append({
                    "case_id": first.case_id, "column": name,
                    "first_cell": first.cells.get(name, ""),
                    "second_cell": second.cells.get(name, ""),
                    "first": shown_a, "second": shown_b})
    return result
