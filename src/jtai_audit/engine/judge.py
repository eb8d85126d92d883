"""The pure engine: cases in, outcomes, scores and grades out. No I/O, no rich, no typer.

A rule's outcome is decided from the fields it reads. When some of them are missing
(blank, `Not recorded`, `N/A`), the engine asks whether any possible answer would change
the outcome: if not, the outcome stands (a two-year-old's unanswered "seen alone" does not
matter); if so, the outcome is `not_evidenced`, a recording gap rather than poor practice.
The batch judge (`columns.py`) asks once per distinct combination of the cells a rule
reads, so repeated patterns are decided once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..conditions import calendar
from ..conditions.expressions import to_engine_value
from ..conditions.phrases import find_phrases
from ..rubric.compiled import LoadedRubric, RuleProgram
from ..schema import FieldSpec, Rubric
from ..terms import GRADE_NAMES, SILENT, UNKNOWN, Outcome, Status
from ..workbook.cases import Case
from ..workbook.cells import ANSWER_CHOICES
from .grading import Grader, LimitReached, binding, deciding_limit

MAX_COMBINATIONS = 4096
_DATED = frozenset({Status.ANSWERED, Status.BLANK})
_NUMBER = re.compile(r"(?<![\w$])\d+(?:\.\d+)?")
Evidence = tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's judgement of one case, with the fields and values that decided it."""

    rule: str
    theme: str
    outcome: Outcome
    evidence: Evidence
    silent: bool = False  # not evidenced because the record is silent (counts for caps)
    na_cells: tuple[str, ...] = ()  # `N/A` answers on a rule that applies
    unanswered: tuple[str, ...] = ()  # blank cells that left the outcome unknown
    limit: LimitReached | None = None  # the rule's own limit this outcome reached
    out_of_order: tuple[str, ...] = ()  # (earlier, later) dates the wrong way round: left out

    @property
    def judged(self) -> bool:
        """Counted in the score and rates: applicable, not open on a blank, dates in order."""
        return (self.outcome is not Outcome.NOT_APPLICABLE and not self.unanswered
                and not self.out_of_order)

    @property
    def caps(self) -> bool:
        """Counts towards a grade cap when the rule is critical: not met, or a silent record."""
        return self.outcome is Outcome.NOT_MET or (self.outcome is Outcome.NOT_EVIDENCED
                                                   and self.silent)

    def evidence_dict(self) -> dict[str, Any]:
        """Field → value, as the JSON report gives it."""
        return dict(self.evidence)


@dataclass(slots=True)
class CaseResult:
    """A case's results, score and indicative grade."""

    case: Case
    area: str | None
    score: float | None
    grade: str | None
    band_grade: str | None
    capped_by: list[str]
    complete: bool
    unanswered: list[str]
    results: list[RuleResult]
    warnings: list[str] = field(default_factory=list)
    auditor_grade: str | None = None  # the auditor's own moderated grade, when recorded
    limits: list[LimitReached] = field(default_factory=list)  # every limit reached, worst first

    @property
    def limited_by(self) -> list[LimitReached]:
        """The limits below the score's band, worst first: empty when the band decides."""
        return binding(self.limits, self.band_grade)

    @property
    def deciding_limit(self) -> LimitReached | None:
        """The limit that set the grade below its band, shown beside the grade."""
        return deciding_limit(self.grade, self.band_grade, self.limits)

    @property
    def concern_rules(self) -> list[str]:
        """Why the case is of immediate concern: critical rules failed, limits to Inadequate.

        Every limit to Inadequate counts, whatever the score: a child left at risk is a
        concern even when the score is already low.
        """
        return concern_rules(self.capped_by, self.limits)

    @property
    def provisional(self) -> bool:
        return not self.complete

    @property
    def shown_score(self) -> float | None:
        """The score as every output shows it: one decimal place (computed unrounded)."""
        return None if self.score is None else round(self.score, 1)


class Engine:
    """The per-rule decision for one loaded rubric: a rule's outcome on the cells it reads.

    Cases are judged in batches by `columns.ColumnJudge` (a single case is a batch of one);
    this class decides one rule on one set of cells, which the batch judge calls once per
    distinct combination, and turns that outcome into a rule result with its evidence.
    """

    def __init__(self, rubric: LoadedRubric) -> None:
        self.rubric = rubric
        self.model: Rubric = rubric.model
        self.fields: Mapping[str, FieldSpec] = rubric.model.fields
        self._numbers = {p.rule.id: self._numbers_in(p) for p in rubric.programs}
        self.grader = Grader(rubric)
        # Dates a rule compares that must come in order: (earlier, later) pairs it reads.
        self.ordered_dates = {p.rule.id: tuple((spec.not_before, name) for name in p.fields
                                          if (spec := self.fields[name]).not_before
                                          and spec.not_before in p.fields)
                         for p in rubric.programs}
        # Intervals in evidence are counted between the rule's dates, in field order.
        self.date_fields = {p.rule.id: tuple(f for f in self.fields if f in p.fields
                                        and self.fields[f].type == "date")
                       for p in rubric.programs}

    def _numbers_in(self, program: RuleProgram) -> list[float]:
        texts = [c.text for c in (program.applies, program.met, program.partly) if c is not None]
        found = {float(n) for t in texts for n in _NUMBER.findall(t)}
        for text in texts:
            for name in re.findall(r"\$(\w+)", text):
                value = self.model.params.get(name)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    found.add(float(value))
        return sorted(found)

    def conclude(self, program: RuleProgram, case: Case, outcome: Outcome,
                 silent: bool = False, unanswered: tuple[str, ...] = (),
                 na_fields: tuple[str, ...] = ()) -> tuple[RuleResult, tuple[str, ...]]:
        """A decided outcome as the rule's result, and the `N/A` fields it is to name.

        Dates the wrong way round set the outcome aside (not judged, like an unanswered
        cell, for its own reason); then the evidence and the limit the outcome reaches.
        """
        swapped = self.out_of_order(program, case.values, case.status) \
            if outcome is not Outcome.NOT_APPLICABLE else ()
        if swapped:
            outcome, silent, unanswered, na_fields = Outcome.NOT_EVIDENCED, False, (), ()
        limit = self.grader.rule_limit(program, outcome, silent, case.values, case.status)
        return RuleResult(program.rule.id, program.rule.theme, outcome,
                          self._evidence(program, case, outcome), silent, (), unanswered,
                          limit, swapped), na_fields

    def out_of_order(self, program: RuleProgram, values: Mapping[str, Any],
                     status: Mapping[str, Status]) -> tuple[str, ...]:
        """The first pair of dates this rule compares that is the wrong way round, if any.

        A decision dated before its referral is a typing slip, not a decision taken at once:
        judging the interval would call it met.
        """
        for earlier, later in self.ordered_dates[program.rule.id]:
            first, second = values.get(earlier), values.get(later)
            if (status.get(earlier) in _DATED and status.get(later) in _DATED
                    and isinstance(first, dt.date) and isinstance(second, dt.date)
                    and second < first):
                return earlier, later
        return ()

    def decide(self, program: RuleProgram, case: Case
                ) -> tuple[Outcome, bool, tuple[str, ...], tuple[str, ...]]:
        """The outcome, whether a silent record decided it, and which cells kept it unknown.

        Unanswered cells (blank, unreadable, or the column is missing) are unknown: the rule
        is tried with every answer they could hold, and when that could change the outcome
        it is left out (`not_evidenced`, not scored). Silent cells (`Not recorded`, an `N/A`
        the field does not allow) are the auditor's statement that the record is silent: in
        `applies` they are blank, so a condition that needs them is not shown to hold; in the
        judgement, an outcome they could change is `not_evidenced` and counts for caps.
        """
        status = case.status
        base = {f: to_engine_value(case.values.get(f)) for f in program.fields}
        unknown: list[str] = []
        silent: list[str] = []
        for f in program.fields:
            state = status.get(f, Status.UNANSWERED)
            if state in UNKNOWN:
                unknown.append(f)
            elif state in SILENT:
                silent.append(f)
            else:
                continue
            base[f] = () if self.fields[f].type == "list" else None
        judged = _judged_fields(program)

        def judged_or_not(values: Mapping[str, Any]) -> Outcome:
            # A silent cell the rule's `applies` also reads may make it not apply: an
            # unrecorded "perpetrator identified" leaves PERP-1 open, not "not met".
            if program.applies is not None and not program.applies(values):
                return Outcome.NOT_APPLICABLE
            return judgement(program, values)

        def given(values: dict[str, Any]) -> Outcome:
            trial, gaps = self._resolve_silent(silent, status, values)
            if program.applies is not None and not program.applies(trial):
                return Outcome.NOT_APPLICABLE
            outcomes = self._possible([f for f in gaps if f in judged], program, case, trial,
                                      judged_or_not)
            if outcomes is None or len(outcomes) > 1:
                return Outcome.NOT_EVIDENCED
            return outcomes.pop()  # type: ignore[no-any-return]

        if not unknown:
            outcome = given(base)
        else:
            possible = self._possible(unknown, program, case, base, given)
            if possible is None or len(possible) > 1:
                return Outcome.NOT_EVIDENCED, False, tuple(unknown), ()
            outcome = possible.pop()
        if outcome is not Outcome.NOT_EVIDENCED:
            return outcome, False, (), ()
        return outcome, True, (), self._na_fields(program, case, silent, base, judged)

    def _resolve_silent(self, silent: list[str], status: Mapping[str, Status],
                        values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Allowed `N/A` answers become the word 'N/A'; the other silent cells stay gaps."""
        nas = [f for f in silent if status.get(f) is Status.NOT_APPLICABLE
               and f in self.rubric.na_allowed]
        if not nas:
            return values, silent
        # Every condition sees the other N/A answers as 'N/A', so "breach_challenged: N/A
        # when safety_plan_breached is not Yes" holds when both are N/A.
        probe = dict(values)
        probe.update((f, "N/A") for f in nas)
        allowed = {f for f in nas if self.rubric.na_allows(f, probe)}
        trial = dict(values)
        trial.update((f, "N/A") for f in allowed)
        return trial, [f for f in silent if f not in allowed]

    def _na_fields(self, program: RuleProgram, case: Case, silent: list[str],
                   base: dict[str, Any], judged: frozenset[str]) -> tuple[str, ...]:
        """`N/A` answers the field does not allow, on a rule that applies, that left it open."""
        trial, gaps = self._resolve_silent(silent, case.status, base)
        return tuple(f for f in gaps if case.status.get(f) is Status.NOT_APPLICABLE
                     and f in judged and len(self._possible(
                         [f], program, case, trial, lambda v: judgement(program, v)) or ()) != 1)

    def _possible(self, unknown: list[str], program: RuleProgram, case: Case,
                  values: dict[str, Any], judge: Any) -> set[Any] | None:
        """Every result `judge` gives over the possible answers of the unknown fields."""
        if not unknown:
            return {judge(values)}
        domains = [self._domain(f, program, case) for f in unknown]
        size = 1
        for domain in domains:
            size *= len(domain)
        if size > MAX_COMBINATIONS:
            return None
        trial = dict(values)
        seen: set[Any] = set()
        for combination in itertools.product(*domains):
            trial.update(zip(unknown, combination, strict=True))
            seen.add(judge(trial))
            if len(seen) > 1:
                break
        return seen

    def _domain(self, name: str, program: RuleProgram, case: Case) -> list[Any]:
        """Every answer that could have been given, as far as this rule can tell them apart."""
        spec = self.fields[name]
        if spec.type == "answer":
            answers = [a for a in ANSWER_CHOICES if a not in ("Not recorded", "N/A")]
            return [*answers, "N/A"] if spec.na_allowed else answers
        if spec.type == "yes_no":
            return ["Yes", "No", "N/A"] if spec.na_allowed else ["Yes", "No"]
        if spec.type == "choice":
            return [*(spec.values or []), "N/A"] if spec.na_allowed else list(spec.values or [])
        if spec.type == "list":
            options = list(spec.values or [])
            return [(), *((o,) for o in options), tuple(options)]
        if spec.type == "integer":
            low = spec.min if spec.min is not None else 0
            high = spec.max if spec.max is not None else 999
            points = {low, high}
            for n in self._numbers[program.rule.id]:
                points.update({int(n) - 1, int(n), int(n) + 1})
            return [float(p) for p in sorted(points) if low <= p <= high]
        if spec.type == "date":
            anchors = [case.values[f] for f in program.fields
                       if self.fields[f].type == "date" and f != name
                       and case.status.get(f) is Status.ANSWERED and case.values.get(f)]
            if not anchors:
                anchors = [dt.date(2000, 1, 3)]
            offsets = (-1, 0, 1, 2, 3, 5, 10, 30, 400)
            dates = [to_engine_value(a + dt.timedelta(days=k)) for a in anchors for k in offsets]
            return [None, *dates]  # a blank date may also mean it never happened
        return [None]

    def _evidence(self, program: RuleProgram, case: Case, outcome: Outcome) -> Evidence:
        fields = program.fields
        if outcome is Outcome.NOT_APPLICABLE and program.applies is not None:
            fields = tuple(sorted(program.applies.fields))
        dates = self.date_fields[program.rule.id]
        return tuple((name, self.shown(name, case, dates, program)) for name in fields)

    def shown(self, name: str, case: Case, dates: tuple[str, ...], program: RuleProgram) -> Any:
        """A cell as a rule's evidence shows it.

        Public: the batch judge's atoms build evidence once per distinct cell, not per row.
        """
        spec = self.fields[name]
        status = case.status.get(name, Status.UNANSWERED)
        value = case.values.get(name)
        if spec.type == "text":
            if value is None:
                return "blank"
            lexicons = [(k, self.model.lexicons[k].phrases, self.model.lexicons[k].exclusions)
                        for k in program.lexicons]
            found = find_phrases(str(value), lexicons)
            if not found:
                return "no listed phrase"
            return "; ".join(f"'{m.phrase}' ({m.kind})" for m in found)
        if status in (Status.UNANSWERED, Status.INVALID):
            return "unanswered"
        if status is Status.NOT_RECORDED:
            return "Not recorded"
        if status is Status.NOT_APPLICABLE:
            return "N/A"
        if value is None:
            return "blank"
        if spec.type == "date":
            return _interval(name, value, dates, case)
        if spec.type == "list":
            return tuple(value)  # hashable, so a judged result can be cached and reused
        return value

def _judged_fields(program: RuleProgram) -> frozenset[str]:
    fields = program.met.fields
    return fields | program.partly.fields if program.partly is not None else fields


def judgement(program: RuleProgram, values: Mapping[str, Any]) -> Outcome:
    """Met, partly met or not met, for values that answer every cell the rule reads."""
    if program.met(values):
        return Outcome.MET
    if program.partly is not None and program.partly(values):
        return Outcome.PARTLY_MET
    return Outcome.NOT_MET


def _interval(name: str, value: dt.date, dates: tuple[str, ...], case: Case) -> str:
    """A date as the interval to the rule's other date, never as a calendar date.

    Each date is named against the rule's first other recorded date, so the evidence of a
    rule that compares two dates reads from both ends ("1 working day before
    referral_decision_date", "1 working day after referral_date").
    """
    other = next((d for d in dates if d != name and isinstance(case.values.get(d), dt.date)
                  and case.status.get(d) is not Status.NOT_RECORDED), None)
    if other is None:
        return "recorded"
    start = case.values[other]
    days = calendar.working_days_between(start, value)
    if days == 0:
        return f"same working day as {other}" if value != start else f"same day as {other}"
    unit = "working day" if abs(days) == 1 else "working days"
    direction = "after" if days > 0 else "before"
    return f"{abs(days)} {unit} {direction} {other}"


def band_grade(model: Rubric, score: float) -> str:
    """The grade whose band holds the score (the top band includes 100)."""
    for band in model.grades.bands:
        if band.min <= score < band.max or (score == band.max == 100):
            return band.grade
    return GRADE_NAMES[-1]


def concern_rules(capped_by: list[str], limits: list[LimitReached]) -> list[str]:
    """Critical rules not met or silent, then the rules of every limit to Inadequate."""
    rules = list(capped_by)
    for limit in limits:
        if limit.best != GRADE_NAMES[-1]:
            continue
        for rule in limit.rules or (limit.rule,):
            if rule not in rules:
                rules.append(rule)
    return rules
