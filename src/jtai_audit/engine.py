"""The pure engine: cases in, outcomes, scores and grades out. No I/O, no rich, no typer.

A rule's outcome is decided from the fields it reads. When some of them are missing
(blank, `Not recorded`, `N/A`), the engine asks whether any possible answer would change
the outcome: if not, the outcome stands (a two-year-old's unanswered "seen alone" does not
matter); if so, the outcome is `not_evidenced`, a recording gap rather than poor practice.
Outcomes are cached on the values of the fields a rule reads, so repeated patterns are
evaluated once.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import calendar
from .cases import Case
from .expressions import to_engine_value
from .lexicon import find_phrases
from .models import GRADE_NAMES, OUTCOME_POINTS, FieldSpec, Outcome, Rubric
from .rubric import LoadedRubric, RuleProgram
from .vocab import ANSWER_CHOICES, MISSING, SILENT, Status

MAX_COMBINATIONS = 4096
CACHE_LIMIT = 20_000  # per rule: bounded, so memory does not grow with a caseload
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

    @property
    def provisional(self) -> bool:
        return not self.complete


class Engine:
    """Evaluates cases against one loaded rubric; keeps a cache per rule."""

    def __init__(self, rubric: LoadedRubric, use_cache: bool = True) -> None:
        self.rubric = rubric
        self.model: Rubric = rubric.model
        self.fields: Mapping[str, FieldSpec] = rubric.model.fields
        self.use_cache = use_cache
        self._cache: dict[str, dict[tuple[Any, ...], Any]] = {
            p.rule.id: {} for p in rubric.programs}
        self._numbers = {p.rule.id: self._numbers_in(p) for p in rubric.programs}
        self._label = next((n for n, s in self.fields.items() if s.type == "label"), None)
        self._cacheable = {p.rule.id: not any(self.fields[f].type == "text" for f in p.fields)
                           for p in rubric.programs}
        self._order = list(self.fields)
        position = {name: index for index, name in enumerate(self._order)}
        self._keys: dict[str, Any] = {
            p.rule.id: operator.itemgetter(*[position[f] for f in p.fields]) if p.fields
            else (lambda pairs: ()) for p in rubric.programs}
        # Intervals in evidence are counted from the rule's first date in field order.
        self._anchor = {p.rule.id: next((f for f in self.fields if f in p.fields
                                         and self.fields[f].type == "date"), None)
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

    def evaluate(self, case: Case) -> CaseResult:
        values, status = case.values, case.status
        # Each cell once as a (value, status) pair; every rule's cache key is then a C-speed
        # itemgetter over the fields it reads.
        pairs = [(values.get(f), status.get(f)) for f in self._order]
        results = [self.judge(program, case, pairs) for program in self.rubric.programs]
        return self.score(case, results)

    def judge(self, program: RuleProgram, case: Case,
              pairs: list[tuple[Any, Any]] | None = None) -> RuleResult:
        """One rule on one case: outcome, evidence, and whether a silent record decided it."""
        rid = program.rule.id
        key: Any = None
        hit = None
        if self.use_cache and self._cacheable[rid]:
            if pairs is None:
                pairs = [(case.values.get(f), case.status.get(f)) for f in self._order]
            key = self._keys[rid](pairs)
            hit = self._cache[rid].get(key)
        if hit is None:
            outcome, silent = self._decide(program, case)
            na_fields = self._na_fields(program, case, outcome)
            hit = (outcome, silent, na_fields, self._evidence(program, case, outcome))
            if key is not None:
                cache = self._cache[rid]
                if len(cache) >= CACHE_LIMIT:
                    cache.clear()
                cache[key] = hit
        outcome, silent, na_fields, evidence = hit
        na_cells = tuple(case.cells.get(f, f) for f in na_fields)
        return RuleResult(rid, program.rule.theme, outcome, evidence, silent, na_cells)

    def _na_fields(self, program: RuleProgram, case: Case, outcome: Outcome) -> tuple[str, ...]:
        """`N/A` answers that kept a rule that applies from being judged."""
        if outcome is not Outcome.NOT_EVIDENCED:
            return ()
        answered = [f for f in program.fields if case.status.get(f) is Status.NOT_APPLICABLE]
        if not answered:
            return ()
        values = {f: to_engine_value(case.values.get(f)) for f in program.fields}
        for f in program.fields:
            if case.status.get(f, Status.UNANSWERED) in MISSING:
                values[f] = () if self.fields[f].type == "list" else None
        judged = _judged_fields(program)
        return tuple(f for f in answered if f in judged and len(self._possible(
            [f], program, case, values, lambda v: _judgement(program, v)) or ()) != 1)

    def _decide(self, program: RuleProgram, case: Case) -> tuple[Outcome, bool]:
        """Judge with every answer the missing cells could have held; one outcome or a gap."""
        values = {f: to_engine_value(case.values.get(f)) for f in program.fields}
        missing = [f for f in program.fields if case.status.get(f, Status.UNANSWERED) in MISSING]
        for f in missing:
            values[f] = () if self.fields[f].type == "list" else None
        silent = all(case.status.get(f) in SILENT for f in missing)
        if program.applies is not None:
            # A blank date means no such date was recorded: "applies when there is an
            # incident date" takes it at face value rather than guessing one.
            unknown = [f for f in missing if f in program.applies.fields
                       and not (self.fields[f].type == "date"
                                and case.status.get(f) is Status.NOT_RECORDED)]
            applies = self._possible(unknown, program, case, values,
                                     lambda v: program.applies(v) if program.applies else True)
            if applies is None or len(applies) > 1:
                return Outcome.NOT_EVIDENCED, silent
            if applies == {False}:
                return Outcome.NOT_APPLICABLE, False
        judged = [f for f in missing if f in _judged_fields(program)]
        outcomes = self._possible(judged, program, case, values, lambda v: _judgement(program, v))
        if outcomes is None or len(outcomes) > 1:
            return Outcome.NOT_EVIDENCED, silent
        return outcomes.pop(), False

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
            return [a for a in ANSWER_CHOICES if a not in ("Not recorded", "N/A")]
        if spec.type == "yes_no":
            return ["Yes", "No"]
        if spec.type == "choice":
            return list(spec.values or [])
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
                       and case.status.get(f) not in MISSING and case.values.get(f)]
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
        anchor = self._anchor[program.rule.id]
        items: list[tuple[str, Any]] = []
        for name in fields:
            items.append((name, self._shown(name, case, anchor, program)))
        return tuple(items)

    def _shown(self, name: str, case: Case, anchor: str | None, program: RuleProgram) -> Any:
        spec = self.fields[name]
        status = case.status.get(name, Status.UNANSWERED)
        value = case.values.get(name)
        if spec.type == "text":
            if value is None:
                return "blank"
            lexicons = [(k, self.model.lexicons[k].phrases) for k in program.lexicons]
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
            return _interval(name, value, anchor, case, spec)
        if spec.type == "list":
            return tuple(value)  # hashable, so a judged result can be cached and reused
        return value

    def score(self, case: Case, results: list[RuleResult]) -> CaseResult:
        """Weighted mean of the scored rules, the band's grade, and the critical caps."""
        weights = {p.rule.id: p.rule.weight for p in self.rubric.programs}
        severity = {p.rule.id: p.rule.severity for p in self.rubric.programs}
        total = earned = 0.0
        for result in results:
            if result.outcome is Outcome.NOT_APPLICABLE:
                continue
            total += weights[result.rule]
            earned += weights[result.rule] * OUTCOME_POINTS[result.outcome]
        score = round(100 * earned / total, 1) if total else None
        band = band_grade(self.model, score) if score is not None else None
        capping = self.model.grades.capping_severity
        capped_by = [r.rule for r in results if severity[r.rule] == capping and (
            r.outcome is Outcome.NOT_MET or (r.outcome is Outcome.NOT_EVIDENCED and r.silent))]
        grade = apply_caps(self.model, band, len(capped_by)) if band else None
        unanswered = case.unanswered(self.fields)
        warnings = [f"{cell}: N/A on a rule that applies ({r.rule}); counted as not evidenced"
                    for r in results for cell in r.na_cells]
        area = case.label(self._label) if self._label else None
        return CaseResult(case, area, score, grade, band, capped_by, not unanswered, unanswered,
                          results, warnings)

    def evaluate_all(self, cases: Iterable[Case]) -> list[CaseResult]:
        return [self.evaluate(c) for c in cases]


def _judged_fields(program: RuleProgram) -> frozenset[str]:
    fields = program.met.fields
    return fields | program.partly.fields if program.partly is not None else fields


def _judgement(program: RuleProgram, values: Mapping[str, Any]) -> Outcome:
    if program.met(values):
        return Outcome.MET
    if program.partly is not None and program.partly(values):
        return Outcome.PARTLY_MET
    return Outcome.NOT_MET


def _interval(name: str, value: dt.date, anchor: str | None, case: Case, spec: FieldSpec) -> str:
    """A date as an interval from the rule's first date, never as a calendar date."""
    if anchor is None or anchor == name:
        if spec.blank_means and case.status.get(name) is not Status.ANSWERED:
            return f"taken from {spec.blank_means}"
        return "the reference date"
    start = case.values.get(anchor)
    if not isinstance(start, dt.date):
        return "recorded (no reference date to compare)"
    days = calendar.working_days_between(start, value)
    if days == 0:
        return f"same working day as {anchor}" if value != start else f"same day as {anchor}"
    unit = "working day" if abs(days) == 1 else "working days"
    direction = "after" if days > 0 else "before"
    return f"{abs(days)} {unit} {direction} {anchor}"


def band_grade(model: Rubric, score: float) -> str:
    """The grade whose band holds the score (the top band includes 100)."""
    for band in model.grades.bands:
        if band.min <= score < band.max or (score == band.max == 100):
            return band.grade
    return GRADE_NAMES[-1]


def apply_caps(model: Rubric, grade: str, critical_not_met: int) -> str:
    """The worse of the band's grade and the worst cap reached."""
    worst = GRADE_NAMES.index(grade)
    for cap in model.grades.caps:
        if critical_not_met >= cap.critical_not_met:
            worst = max(worst, GRADE_NAMES.index(cap.best))
    return GRADE_NAMES[worst]
