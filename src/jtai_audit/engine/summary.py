"""Summaries of many case results, accumulated one case at a time.

Accumulating (rather than keeping every result) lets a million-row run stream its cases
out and keep only counts and the first cases of each list; the complete lists of concerns
and priority cases go to a list the report gives (`overflow`), which waits on disk. The
figures are read from the counts by `reading.Reading`; `chunk_counts` counts a chunk.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

import numpy as np

from ..schema import Rubric
from ..terms import OUTCOME_POINTS, Outcome
from ..workbook.cases import Case
from ..workbook.labels import label_key
from .chunk_counts import (
    ANSWERED_STATES,
    OUT_OF_ORDER,
    UNANSWERED,
    count_involved,
    count_rules,
)
from .columns import JudgedChunk
from .grading import LimitReached, binding
from .judge import CaseResult, concern_rules
from .owners import RuleOwners
from .reading import Reading
from .tallies import NO_AREA, Group, Tally, age_band, place

# A meeting reads tens of cases; a caseload run keeps memory flat by listing the first
# thousand incomplete cases and grade differences (their counts stay exact).
LISTED_CASES = 1_000
# Past this many, a complete list (json) waits on disk as JSON lines: memory stays flat.
SPILL = 10_000


class CaseList(Protocol):
    """Where a complete list's items past SPILL go, each as its report item.

    A list, or one that waits on disk (which a report may write out as it stored it).
    """

    def append(self, item: dict[str, Any], /) -> None: ...

    def __iter__(self) -> Iterator[dict[str, Any]]: ...


class Summary(Reading):
    """Everything the reports say about a set of cases."""

    def __init__(self, model: Rubric, listed: int | None = None, *, agency: str | None = None,
                 reads: Mapping[str, Iterable[str]] | None = None,
                 overflow: Callable[[], CaseList] | None = None) -> None:
        """A summary of every case, or of one agency's part.

        `agency`: one agency's feedback (`score --agency`): every figure but the cases'
        own scores and grades counts a rule only in the cases where that agency owns it.
        `reads`: the fields each rule reads, for the rules each agency's answers fed.
        """
        self.model = model
        self.agency = agency
        self.owned = RuleOwners(model)
        reading = {r: tuple(f) for r, f in (reads or {}).items()}
        self._fed = {a: frozenset(self.owned.fed(a, reading)) for a in self.owned.agencies}
        self._agency_number = {a: i for i, a in enumerate(self.owned.agencies)}
        # Per agency: the cases it is involved in, the outcomes of the rules it owns in them,
        # of the rules its answers fed, and how many of its own cells were answered.
        self.agency_cases: Counter[str] = Counter()
        self.agency_outcomes: dict[str, dict[str, Counter[str]]] = defaultdict(
            lambda: defaultdict(Counter))
        self.fed_outcomes: dict[str, dict[str, Counter[str]]] = defaultdict(
            lambda: defaultdict(Counter))
        self.agency_answered: dict[str, Counter[str]] = defaultdict(Counter)
        # Each agency's returns that came in, when the cases are merged returns.
        self.returned: dict[str, int] | None = None
        # The reports people read list the first `listed` priority cases and concerns (their
        # counts stay exact); json, jsonl and csv keep every one (listed=None).
        self.listed = listed
        self.priority_count = 0
        self.concern_count = 0
        # The complete lists past SPILL (listed=None only): in memory unless the report
        # gives a list that waits on disk (`overflow`), so memory stays flat.
        self._priority_over: CaseList = overflow() if overflow else []
        self._concern_over: CaseList = overflow() if overflow else []
        self.rules = {r.id: r for r in model.rules}
        self._rule_info = {r.id: r.weight for r in model.rules}
        # Whole and half weights give sums that are exact in any order, so a chunk's points
        # can be added by numpy; other weights are added case by case, as `add` adds them.
        self._half_weights = all(float(r.weight * 2).is_integer() for r in model.rules)
        self.cases = 0
        self.complete = 0
        self.score_total = 0.0
        self.scored = 0
        self.grades: Counter[str] = Counter()
        self.themes: dict[str, Tally] = defaultdict(Tally)
        self.owners: dict[str, Tally] = defaultdict(Tally)
        self.outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        self.areas: dict[str, Group] = defaultdict(Group)  # by label_key
        self._spellings: dict[str, Counter[str]] = defaultdict(Counter)
        self._area_keys: dict[str, str] = {}  # area as typed → label_key
        self.legal_status: dict[str, Group] = defaultdict(Group)
        self.age_bands: dict[str, Group] = defaultdict(Group)
        # Kept as tuples: on a caseload this is the one list that grows with the cases.
        self._priority: list[tuple[str, str, str | None, str | None, tuple[str, ...]]] = []
        self.incomplete: list[dict[str, Any]] = []
        self.grade_differences: list[dict[str, Any]] = []
        self.auditor_graded = 0
        self.limited_cases = 0  # cases with a limit below their score's band
        self.limited_by_rule: Counter[str] = Counter()
        self.grades_differing = 0  # every case, though the list above stops at LISTED_CASES
        # Breakdowns find their columns by role, so a rubric that renames them keeps them.
        self._legal_status = model.field_with("legal_status")
        self._closed = model.field_with("closed")
        self._audit_date = model.field_with("audit_date")
        self.latest_audit: dt.date | None = None  # "overdue" is judged against this, not today
        self._reduced = model.field_with("risk_reduction")
        # Kept as tuples, like the priority list: complete in json, bounded elsewhere.
        self._concerns: list[tuple[str, str, tuple[str, ...]]] = []
        self._age = model.field_with("age")
        self._unborn = model.field_with("unborn")
        # (area, case_id) seen in more than one input that are not agency returns; filled
        # by the command that reads the inputs, since a summary sees one case at a time.
        self.duplicates: list[dict[str, Any]] = []
        # Agency returns merged into these cases: missing, conflicts, cases not scored.
        self.returns: dict[str, Any] | None = None

    def add(self, result: CaseResult) -> None:
        """Count one case in every breakdown."""
        case = result.case
        number = self.cases
        self.cases += 1
        values = case.values

        def value(field: str | None) -> Any:
            return values.get(field) if field else None

        groups = [g for g in self._count_case(
            case.case_id, case.source, case.row, result.area, value(self._legal_status),
            age_band(value(self._age), value(self._unborn)), value(self._audit_date),
            result.score, result.grade, result.unanswered, result.concern_rules,
            bool(result.concern_rules) and self._closed_safely(case), result.auditor_grade,
            result.limited_by)
            if g is not None]
        involved = self.owned.involved(values)
        for agency in involved:
            self.agency_cases[agency] += 1
            answered = self.agency_answered[agency]
            for name in self.owned.columns.get(agency, ()):
                if case.status.get(name) in ANSWERED_STATES:
                    answered[name] += 1
        feeding = [(self._fed[a], self.fed_outcomes[a]) for a in involved if a in self._fed]
        # Sum this case's points per theme first, then add them to each group once.
        earned: dict[str, list[float]] = {}
        outcomes = self.outcomes
        for item in result.results:
            outcome = item.outcome
            key = UNANSWERED if item.unanswered else OUT_OF_ORDER if item.out_of_order \
                else outcome.value
            owner = self.owned.owner(item.rule, involved)
            self.agency_outcomes[owner][item.rule][key] += 1
            for rules, counts in feeding:
                if item.rule in rules:
                    counts[item.rule][key] += 1
            if self.agency is not None and owner != self.agency:
                continue  # one agency's feedback: another agency owns the rule in this case
            outcomes[item.rule][key] += 1
            if item.unanswered or item.out_of_order or outcome is Outcome.NOT_APPLICABLE:
                continue
            weight = self._rule_info[item.rule]
            self.owners[owner].add(weight, outcome, number)
            points = earned.get(item.theme)
            if points is None:
                points = earned[item.theme] = [0.0, 0.0]
            points[0] += weight * OUTCOME_POINTS[outcome]
            points[1] += weight
        for theme, (got, possible) in earned.items():
            for tally in (self.themes[theme], *(g.themes[theme] for g in groups)):
                tally.earned += got
                tally.possible += possible
                tally.count += 1

    def _count_case(self, case_id: str, source: str, row: int, area: str | None,
                    legal_status: Any, band: str | None, audited: Any, score: float | None,
                    grade: str | None, unanswered: list[str], capped: list[str],
                    closed_safely: bool, auditor: str | None,
                    limited_by: list[LimitReached]
                    ) -> tuple[Group, Group | None, Group | None]:
        """Everything a case counts for but its rules' outcomes, case by case in order.

        Returns its area, legal status and age band groups (None where not known), whose
        theme points the caller adds.
        """
        area = area or NO_AREA
        key = self._area_keys.get(area)
        if key is None:
            key = label_key(area)
            if len(self._area_keys) < LISTED_CASES:  # a few areas, each spelt a few ways
                self._area_keys[area] = key
        self._spellings[key][area] += 1
        found = (self.areas[key],
                 self.legal_status[str(legal_status)] if legal_status else None,
                 self.age_bands[band] if band else None)
        for group in found:
            if group is None:
                continue
            group.cases += 1
            if score is not None:
                group.score_total += score
                group.scored += 1
        if not unanswered:
            self.complete += 1
        elif len(self.incomplete) < LISTED_CASES:
            self.incomplete.append({"case_id": case_id, "source": source, "row": row,
                                    "unanswered": list(unanswered)})
        if score is not None:
            self.score_total += score
            self.scored += 1
        if grade:
            self.grades[grade] += 1
        if isinstance(audited, dt.date) and (self.latest_audit is None
                                             or audited > self.latest_audit):
            self.latest_audit = audited
        if capped:
            self._capped(case_id, source, area, grade, capped, not closed_safely)
        if limited_by:
            self.limited_cases += 1
            for rule in dict.fromkeys(limit.rule for limit in limited_by):
                self.limited_by_rule[rule] += 1
        if auditor:
            self.auditor_graded += 1
            if grade and auditor != grade:
                self.grades_differing += 1
                if len(self.grade_differences) < LISTED_CASES:
                    self.grade_differences.append({"case_id": case_id, "source": source,
                                                   "auditor": auditor, "indicative": grade})
        return found

    def add_chunk(self, judged: JudgedChunk) -> None:
        """Count a chunk of cases at once: `add` for each row, as array sums where it can.

        Per-case scores are summed row by row, in order, exactly as `add` sums them; the
        theme and owner points (weight × 1, ½ or 0) are summed by numpy, which gives the
        same figures whenever the weights are whole or half numbers, as the default
        rubric's are (with other weights every case goes through `add`).
        """
        rows = len(judged)
        if not rows:
            return
        if not self._half_weights:  # sums in another order could differ in the last bit
            for row in range(rows):
                self.add(judged.case_result(row, cells=True))
            return
        chunk = judged.chunk
        column = chunk.column
        legal = column(self._legal_status) if self._legal_status else [None] * rows
        ages = column(self._age) if self._age else [None] * rows
        unborn = column(self._unborn) if self._unborn else [None] * rows
        audited = column(self._audit_date) if self._audit_date else [None] * rows
        closed = column(self._closed) if self._closed and self._reduced else None
        reduced = column(self._reduced) if self._closed and self._reduced else None
        codes: tuple[list[int], list[int], list[int]] = ([], [], [])
        kinds: tuple[list[Group], list[Group], list[Group]] = ([], [], [])
        places: dict[int, int] = {}
        ids, source, numbers = judged.case_ids, judged.source, chunk.rows
        for row in range(rows):
            limits = judged.limits[row]
            capped = concern_rules(judged.capped_by[row], limits) if limits \
                else judged.capped_by[row]
            grade, band = judged.grades[row], judged.bands[row]
            safe = bool(capped) and closed is not None and reduced is not None \
                and closed[row] == "Yes" and reduced[row] == "Yes"
            found = self._count_case(
                ids[row], source, numbers[row], judged.areas[row], legal[row],
                age_band(ages[row], unborn[row]), audited[row], judged.scores[row],
                grade, judged.unanswered[row], capped, safe,
                judged.auditor[row], binding(limits, band) if limits else [])
            for group, kind, code in zip(found, kinds, codes, strict=True):
                code.append(-1 if group is None else place(places, kind, group))
        self.cases += rows
        count_rules(self, judged, [(np.array(code), kind)
                                   for code, kind in zip(codes, kinds, strict=True)],
                          count_involved(self, judged))

    def _capped(self, case_id: str, source: str, area: str, grade: str | None,
                capped: list[str], concern: bool) -> None:
        """A case with a critical rule not met: a priority case, and a concern while open."""
        rules = tuple(capped)
        bound = SPILL if self.listed is None else self.listed
        if concern:
            self.concern_count += 1
            if len(self._concerns) < bound:
                self._concerns.append((case_id, source, rules))
            elif self.listed is None:
                self._concern_over.append(self._concern_dict(case_id, source, rules))
        self.priority_count += 1
        entry = (case_id, source, self.area_name(area), grade, rules)
        if len(self._priority) < bound:
            self._priority.append(entry)
        elif self.listed is None:
            self._priority_over.append(self._priority_dict(*entry))

    @staticmethod
    def _concern_dict(case_id: str, source: str, rules: tuple[str, ...]) -> dict[str, Any]:
        return {"case_id": case_id, "source": source, "rules": list(rules)}

    def _priority_dict(self, case_id: str, source: str, area: str | None, grade: str | None,
                       rules: tuple[str, ...]) -> dict[str, Any]:
        return {"case_id": case_id, "source": source, "area": area, "grade": grade,
                "rules": list(rules), "why": [self.rules[r].title for r in rules]}

    def entries(self, key: str) -> Iterator[dict[str, Any]]:
        """A complete list ("concerns" or "priority_cases"), one item at a time."""
        yield from self.kept(key)
        yield from self.overflow(key)

    def kept(self, key: str) -> Iterator[dict[str, Any]]:
        """A complete list's first items, those held in memory."""
        if key == "concerns":
            for entry in self._concerns:
                yield self._concern_dict(*entry)
        else:
            for item in self._priority:
                yield self._priority_dict(*item)

    def overflow(self, key: str) -> CaseList:
        """A complete list's items past the first SPILL, as they were handed over."""
        return self._concern_over if key == "concerns" else self._priority_over

    def _closed_safely(self, case: Case) -> bool:
        """Closed or stepped down with evidenced risk reduction: for the record, not a concern."""
        return bool(self._closed and self._reduced
                    and case.values.get(self._closed) == "Yes"
                    and case.values.get(self._reduced) == "Yes")

    @property
    def concerns(self) -> list[dict[str, Any]]:
        """Cases of immediate concern: a critical rule not met, or silent, on an open case."""
        return list(self.entries("concerns"))

    def first_concerns(self, count: int) -> list[dict[str, Any]]:
        """The first concerns, without reading a long list back from disk."""
        return [self._concern_dict(*entry) for entry in self._concerns[:count]]

    @property
    def priority(self) -> list[dict[str, Any]]:
        """Cases with a critical rule not met, and why."""
        return list(self.entries("priority_cases"))
