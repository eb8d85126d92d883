"""Summaries of many case results, accumulated one case at a time.

Accumulating (rather than keeping every result) lets a million-row run stream its cases
out and keep only counts, the priority list and the ids seen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..files import Spool
from ..schema import Rubric
from ..terms import GRADE_NAMES, OUTCOME_POINTS, Outcome, Status
from ..workbook.cases import Case
from ..workbook.labels import label_key
from .columns import JudgedChunk
from .figures import AgencyFigures, GroupFigures, RuleFigures, SpreadFigures, SummaryFigures
from .grading import LimitReached, binding
from .judge import CaseResult, concern_rules
from .owners import RuleOwners, involved_set

AGE_BANDS = ("unborn", "0-2", "3-4", "5-7", "8+")
JUDGED = ("met", "partly_met", "not_met", "not_evidenced")
UNANSWERED = "unanswered"  # outcomes left out because blank cells could change them
OUT_OF_ORDER = "dates_out_of_order"  # outcomes left out because two dates are swapped
# A meeting reads tens of cases; a caseload run keeps memory flat by listing the first
# thousand incomplete cases and grade differences (their counts stay exact).
LISTED_CASES = 1_000
NO_AREA = "(no area)"
# Past this many, a complete list (json) waits on disk as JSON lines: memory stays flat.
SPILL = 10_000
# Where a streamed report splices the complete lists into the summary (`to_dict(stream=True)`).
SPLICED = {"concerns": "\x00jtai:concerns\x00", "priority_cases": "\x00jtai:priority\x00"}
# The outcome keys a rule's counts hold, numbered for counting a chunk's rows per outcome.
_KEYS = (*(o.value for o in Outcome), UNANSWERED, OUT_OF_ORDER)
_KEY_NUMBER = {key: number for number, key in enumerate(_KEYS)}
# A cell the auditor has answered, for an agency's completeness: anything but blank or unreadable.
ANSWERED_STATES = frozenset({Status.ANSWERED, Status.NOT_RECORDED, Status.NOT_APPLICABLE,
                             Status.BLANK})


def _json(item: dict[str, Any]) -> bytes:
    """One list item as the JSON reports write it (the same separators and escapes)."""
    return json.dumps(item, ensure_ascii=False, default=str).encode("utf-8")


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
class _Tally:
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
class _Group:
    """Cases in one group (area, legal status, age band): count, scores and themes."""

    cases: int = 0
    score_total: float = 0.0
    scored: int = 0
    themes: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))

    @property
    def mean_score(self) -> float | None:
        return one_decimal(self.score_total / self.scored) if self.scored else None


def _place(places: dict[Any, int], groups: list[_Group], group: _Group) -> int:
    """The group's number in this chunk's list of groups of one kind."""
    found = places.get(id(group))
    if found is None:
        found = places[id(group)] = len(groups)
        groups.append(group)
    return found


class Summary:
    """Everything the reports say about a set of cases."""

    def __init__(self, model: Rubric, listed: int | None = None, *, agency: str | None = None,
                 reads: Mapping[str, Iterable[str]] | None = None) -> None:
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
        self._priority_spool = Spool(0)  # the complete lists past SPILL (listed=None only)
        self._concern_spool = Spool(0)
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
        self.themes: dict[str, _Tally] = defaultdict(_Tally)
        self.owners: dict[str, _Tally] = defaultdict(_Tally)
        self.outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        self.areas: dict[str, _Group] = defaultdict(_Group)  # by label_key
        self._spellings: dict[str, Counter[str]] = defaultdict(Counter)
        self._area_keys: dict[str, str] = {}  # area as typed → label_key
        self.legal_status: dict[str, _Group] = defaultdict(_Group)
        self.age_bands: dict[str, _Group] = defaultdict(_Group)
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
                    ) -> tuple[_Group, _Group | None, _Group | None]:
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
        kinds: tuple[list[_Group], list[_Group], list[_Group]] = ([], [], [])
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
                code.append(-1 if group is None else _place(places, kind, group))
        self.cases += rows
        self._count_rules(judged, [(np.array(code), kind)
                                   for code, kind in zip(codes, kinds, strict=True)],
                          self._count_involved(judged))

    def _count_involved(self, judged: JudgedChunk) -> tuple[Any, list[frozenset[str]]]:
        """Each row's agencies involved, as a code into the chunk's distinct sets of them.

        Each agency's cases and answered cells are counted here, as `add` counts them.
        """
        chunk = judged.chunk
        field_name = self.owned.field
        listed = chunk.column(field_name) if field_name and field_name in chunk.tables \
            else [None] * len(judged)
        sets: dict[frozenset[str], int] = {}
        row_codes = []
        lead = self.owned.lead
        for value in listed:
            found = involved_set(value, lead) if field_name else self.owned.involved({})
            code = sets.get(found)
            if code is None:
                code = sets[found] = len(sets)
            row_codes.append(code)
        codes = np.array(row_codes, dtype=np.intp)
        distinct = list(sets)
        per_set = np.bincount(codes, minlength=len(distinct))
        rows_answered: dict[str, Any] = {}  # per column, each row answered (a column once)
        for agency in self.owned.agencies:
            wanted = [i for i, s in enumerate(distinct) if agency in s]
            if not wanted:
                continue
            self.agency_cases[agency] += int(per_set[wanted].sum())
            mask = np.isin(codes, wanted) if len(wanted) < len(distinct) else None
            answered = self.agency_answered[agency]
            for name in self.owned.columns.get(agency, ()):
                flags = rows_answered.get(name)
                if flags is None:
                    table = chunk.tables.get(name)
                    if table is None:
                        continue
                    states = np.array([cell[1] in ANSWERED_STATES for cell in table.cells],
                                      dtype=bool)
                    flags = rows_answered[name] = \
                        states[np.asarray(chunk.codes[name], dtype=np.intp)]
                count = int((flags if mask is None else flags[mask]).sum())
                if count:
                    answered[name] += count
        return codes, distinct

    def _count_rules(self, judged: JudgedChunk, dimensions: list[tuple[Any, list[_Group]]],
                     involvement: tuple[Any, list[frozenset[str]]]) -> None:
        themes: dict[str, list[Any]] = {}
        owners: dict[str, list[Any]] = {}
        inv, sets = involvement
        agencies = self.owned.agencies
        agency_no = self._agency_number
        feeds = {a: np.isin(inv, [i for i, s in enumerate(sets) if a in s])
                 for a in agencies if self._fed.get(a)}
        for distinct, index in zip(judged.distinct, judged.index, strict=True):
            rule = distinct[0].result.rule
            keys = np.array([_KEY_NUMBER[UNANSWERED if i.result.unanswered
                                         else OUT_OF_ORDER if i.result.out_of_order
                                         else i.result.outcome.value] for i in distinct],
                            dtype=np.intp)
            owner_codes = np.array([agency_no[self.owned.owner(rule, s)] for s in sets],
                                   dtype=np.intp)[inv]
            present_owners = np.unique(owner_codes).tolist()
            for code in present_owners:
                mine = owner_codes == code
                self._tally(self.agency_outcomes[agencies[code]][rule], keys, distinct,
                            index[mine])
            for agency, rows in feeds.items():
                if rule in self._fed[agency] and rows.any():
                    self._tally(self.fed_outcomes[agency][rule], keys, distinct, index[rows])
            own = None
            if self.agency is not None:
                own = owner_codes == agency_no.get(self.agency, -1)
                if own.any():
                    self._tally(self.outcomes[rule], keys, distinct, index[own])
            else:
                self._tally(self.outcomes[rule], keys, distinct, index)
            weight = self._rule_info[rule]
            scored = [i.result.judged for i in distinct]
            if not any(scored):
                continue
            got = np.array([weight * OUTCOME_POINTS[i.result.outcome] if ok else 0.0
                            for i, ok in zip(distinct, scored, strict=True)])[index]
            possible = np.array([weight if ok else 0.0 for ok in scored])[index]
            present = np.array(scored, dtype=bool)[index]
            if own is not None:
                got, possible, present = got * own, possible * own, present & own
            parts = [(themes, distinct[0].result.theme, got, possible, present)]
            for code in present_owners:
                mine = owner_codes == code
                parts.append((owners, agencies[code], got * mine, possible * mine,
                              present & mine))
            for store, name, g, p, seen in parts:
                sums = store.get(name)
                if sums is None:
                    store[name] = [g, p, seen]
                else:
                    sums[0] = sums[0] + g
                    sums[1] = sums[1] + p
                    sums[2] = sums[2] | seen
        for owner, (got, possible, present) in sorted(owners.items()):
            if present.any():
                tally = self.owners[owner]
                tally.earned += float(got.sum())
                tally.possible += float(possible.sum())
                tally.count += int(present.sum())
        for theme, (got, possible, present) in themes.items():
            if not present.any():
                continue
            tally = self.themes[theme]
            tally.earned += float(got[present].sum())
            tally.possible += float(possible[present].sum())
            tally.count += int(present.sum())
            for codes, groups in dimensions:
                mask = present & (codes >= 0)
                if not mask.any():
                    continue
                where = codes[mask]
                counts = np.bincount(where, minlength=len(groups))
                earned = np.bincount(where, weights=got[mask], minlength=len(groups))
                possible_sum = np.bincount(where, weights=possible[mask], minlength=len(groups))
                for number, group in enumerate(groups):
                    if counts[number]:
                        group_tally = group.themes[theme]
                        group_tally.earned += float(earned[number])
                        group_tally.possible += float(possible_sum[number])
                        group_tally.count += int(counts[number])

    @staticmethod
    def _tally(counts: Counter[str], keys: Any, distinct: list[Any], index: Any) -> None:
        """Add the outcomes of these rows (`index` into the distinct results) to `counts`.

        `keys` numbers each distinct result's outcome (`_KEYS`), so the rows are counted per
        outcome in one array pass, however many distinct results the rule has.
        """
        if not len(index):
            return
        found = np.bincount(keys[index], minlength=len(_KEYS)).tolist()
        for key, count in zip(_KEYS, found, strict=True):
            if count:
                counts[key] += count

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
                self._concern_spool.append(_json(self._concern_dict(case_id, source, rules)))
        self.priority_count += 1
        entry = (case_id, source, self.area_name(area), grade, rules)
        if len(self._priority) < bound:
            self._priority.append(entry)
        elif self.listed is None:
            self._priority_spool.append(_json(self._priority_dict(*entry)))

    @staticmethod
    def _concern_dict(case_id: str, source: str, rules: tuple[str, ...]) -> dict[str, Any]:
        return {"case_id": case_id, "source": source, "rules": list(rules)}

    def _priority_dict(self, case_id: str, source: str, area: str | None, grade: str | None,
                       rules: tuple[str, ...]) -> dict[str, Any]:
        return {"case_id": case_id, "source": source, "area": area, "grade": grade,
                "rules": list(rules), "why": [self.rules[r].title for r in rules]}

    def spliced(self, key: str) -> Iterator[bytes]:
        """A complete list of `to_dict(stream=True)`, one serialised item at a time."""
        if key == "concerns":
            for entry in self._concerns:
                yield _json(self._concern_dict(*entry))
            yield from self._concern_spool
        else:
            for item in self._priority:
                yield _json(self._priority_dict(*item))
            yield from self._priority_spool

    def _closed_safely(self, case: Case) -> bool:
        """Closed or stepped down with evidenced risk reduction: for the record, not a concern."""
        return bool(self._closed and self._reduced
                    and case.values.get(self._closed) == "Yes"
                    and case.values.get(self._reduced) == "Yes")

    @property
    def concerns(self) -> list[dict[str, Any]]:
        """Cases of immediate concern: a critical rule not met, or silent, on an open case."""
        return [json.loads(item) for item in self.spliced("concerns")]

    def first_concerns(self, count: int) -> list[dict[str, Any]]:
        """The first concerns, without reading a long list back from disk."""
        return [self._concern_dict(*entry) for entry in self._concerns[:count]]

    @property
    def priority(self) -> list[dict[str, Any]]:
        """Cases with a critical rule not met, and why."""
        return [json.loads(item) for item in self.spliced("priority_cases")]

    @property
    def mean_score(self) -> float | None:
        return one_decimal(self.score_total / self.scored) if self.scored else None

    def area_name(self, area: str | None) -> str:
        """An area as reports show it: the spelling used most often for its label."""
        key = label_key(area or NO_AREA)
        spellings = self._spellings.get(key)
        return spellings.most_common(1)[0][0] if spellings else (area or NO_AREA)

    def rule_rate(self, rule_id: str) -> float | None:
        """The rule's rate, unrounded: (met + half partly) per judged case."""
        return rule_rate(self.outcomes.get(rule_id, Counter()))[0]

    def rule_cases(self, rule_id: str) -> int:
        """How many cases the rule was judged on (its rate's denominator)."""
        return rule_rate(self.outcomes.get(rule_id, Counter()))[1]

    def finding(self, rule_id: str) -> str | None:
        """Strength / improvement / priority by the rubric's thresholds; None on too few cases.

        A rule judged on fewer than `min_cases` cases is shown with its figures but never
        called anything: one late strategy discussion is not a "strength".
        """
        return self._finding(self.outcomes.get(rule_id, Counter()))

    def _finding(self, counts: Mapping[str, int]) -> str | None:
        rate, judged = rule_rate(counts)
        thresholds = self.model.grades.findings
        if rate is None or judged < thresholds.min_cases:
            return None
        if rate >= thresholds.strength_from:
            return "strength"
        if rate < thresholds.priority_below:
            return "priority"
        return "improvement"

    def rules_worst_first(self) -> list[str]:
        rated = [(self.rule_rate(r), r) for r in self.rules if r in self.outcomes]
        return [r for rate, r in sorted(rated, key=lambda x: (x[0] is None, x[0] or 0, x[1]))]

    def spreads(self) -> list[SpreadFigures]:
        """For each theme, the best and worst area and the gap between them."""
        found: list[SpreadFigures] = []
        for theme in self.model.themes:
            rated = [(g.themes[theme].percent, self.area_name(a), g.themes[theme].count)
                     for a, g in self.areas.items() if theme in g.themes
                     and g.themes[theme].percent is not None]
            if len(rated) < 2:
                continue
            rated.sort()
            low, high = rated[0], rated[-1]
            found.append(SpreadFigures(theme, self.model.themes[theme].title, high[1],
                                       high[0] or 0.0, high[2], low[1],
                                       low[0] or 0.0, low[2],
                                       round((high[0] or 0) - (low[0] or 0), 1)))
        return found

    def rule_figures(self, rule_id: str, counts: Mapping[str, int] | None = None) -> RuleFigures:
        """A rule's figures: over every case, or over the `counts` given (one agency's)."""
        if counts is None:
            counts = self.outcomes.get(rule_id, Counter())
        rate, judged = rule_rate(counts)
        return RuleFigures(rule_id, {o.value: counts.get(o.value, 0) for o in Outcome},
                           counts.get(UNANSWERED, 0), one_decimal(rate), judged,
                           self._finding(counts))

    def agencies(self) -> list[str]:
        """The agencies with a picture of their own: involved in a case, or returns sent.

        One agency's feedback (`score --agency`) is that agency's picture alone.
        """
        if self.agency is not None:
            return [self.agency]
        returned = self.returned or {}
        return [a for a in self.owned.agencies
                if self.agency_cases.get(a) or returned.get(a)]

    def agency_figures(self, agency: str) -> AgencyFigures:
        """One agency's own picture: owned rules, rules its answers fed, its completeness.

        The rules it owns are counted only in the cases where it owns them, so these are the
        figures `score --agency` gives, to the digit.
        """
        owned = self.agency_outcomes.get(agency, {})
        fed = self.fed_outcomes.get(agency, {})
        cases = self.agency_cases.get(agency, 0)
        answered = self.agency_answered.get(agency, Counter())
        return AgencyFigures(
            agency, cases, None if self.returned is None else self.returned.get(agency, 0),
            {r: self.rule_figures(r, owned[r]) for r in self.rules if r in owned},
            {r: (one_decimal(rule_rate(fed[r])[0]), rule_rate(fed[r])[1])
             for r in self.rules if r in fed},
            {c: round(100 * answered.get(c, 0) / cases, 1) if cases else 0.0
             for c in self.owned.columns.get(agency, ())})

    def _groups(self, items: dict[str, _Group], name: Any = str) -> list[GroupFigures]:
        themes = self.model.themes
        shown = sorted((name(key), g) for key, g in items.items())
        return [GroupFigures(n, g.cases, g.mean_score,
                             {t: g.themes[t].percent for t in themes if t in g.themes},
                             {t: g.themes[t].count for t in themes if t in g.themes})
                for n, g in shown]

    def figures(self) -> SummaryFigures:
        """Everything the reports show, as typed values."""
        themes = self.model.themes
        bands = {g.name: g for g in self._groups(self.age_bands)}
        return SummaryFigures(
            cases=self.cases, complete=self.complete, mean_score=self.mean_score,
            grades={g: self.grades.get(g, 0) for g in GRADE_NAMES},
            themes={t: (self.themes[t].percent, self.themes[t].count) for t in themes
                    if t in self.themes},
            rules={r: self.rule_figures(r) for r in self.rules if r in self.outcomes},
            areas=self._groups(self.areas, self.area_name),
            legal_status=self._groups(self.legal_status),
            age_bands=[bands[b] for b in AGE_BANDS if b in bands],
            spreads=self.spreads(),
            owners=[(o, t.percent, t.count) for o, t in sorted(self.owners.items())],
            priority_cases=self.priority_count, auditor_graded=self.auditor_graded)

    def to_dict(self, stream: bool = False) -> dict[str, Any]:
        """The contract's summary keys, and the breakdowns the meeting asks for.

        `stream=True` leaves a marker (SPLICED) where the complete concern and priority lists
        go, for a writer to splice them in from `spliced` without holding them all.
        """
        figures = self.figures()

        def groups(items: list[GroupFigures]) -> dict[str, Any]:
            return {g.name: {"cases": g.cases, "mean_score": g.mean_score, "themes": g.themes}
                    for g in items}

        def rule_block(r: RuleFigures) -> dict[str, Any]:
            return {**r.counts, UNANSWERED: r.unanswered,
                    OUT_OF_ORDER: self.outcomes[r.rule].get(OUT_OF_ORDER, 0),
                    "rate": r.rate, "cases": r.cases,
                    "finding": r.finding}

        return {
            "cases": figures.cases,
            "complete": figures.complete,
            "incomplete": figures.cases - figures.complete,
            "mean_score": figures.mean_score,
            "grades": figures.grades,
            "themes": {t: percent for t, (percent, _) in figures.themes.items()},
            "theme_cases": {t: cases for t, (_, cases) in figures.themes.items()},
            "rules": {r: rule_block(f) for r, f in figures.rules.items()},
            "findings": {kind: [r for r in self.rules_worst_first() if self.finding(r) == kind]
                         for kind in ("strength", "improvement", "priority")},
            "areas": groups(figures.areas),
            "area_spread": {sp.theme: {"best": {"area": sp.best, "percent": sp.best_percent,
                                                "cases": sp.best_cases},
                                       "worst": {"area": sp.worst, "percent": sp.worst_percent,
                                                 "cases": sp.worst_cases},
                                       "gap": sp.gap} for sp in figures.spreads},
            "owners": {o: {"percent": p, "cases": n} for o, p, n in figures.owners},
            "agencies": {a.agency: {
                "cases": a.cases, "returned": a.returned,
                "rules": {r: {"rate": f.rate, "cases": f.cases, "finding": f.finding}
                          for r, f in a.rules.items()},
                "fed": {r: {"rate": rate, "cases": n} for r, (rate, n) in a.fed.items()},
                "completeness": a.completeness}
                for a in (self.agency_figures(name) for name in self.agencies())},
            "legal_status": groups(figures.legal_status),
            "age_bands": groups(figures.age_bands),
            "recording_gaps": {r: self.outcomes[r].get("not_evidenced", 0)
                               for r in self.rules if self.outcomes[r].get("not_evidenced")},
            "limited": {"cases": self.limited_cases,
                        "by_rule": dict(self.limited_by_rule.most_common())},
            "concerns": SPLICED["concerns"] if stream else self.concerns,
            "duplicates": self.duplicates,
            **({"returns": self.returns} if self.returns is not None else {}),
            "priority_cases": SPLICED["priority_cases"] if stream else self.priority,
            "incomplete_cases": self.incomplete,
            "auditor_grades": {"graded": self.auditor_graded,
                               "differences": self.grade_differences},
        }
