"""The row-at-a-time engine, kept as the oracle the batch judge is tested against.

`score` judges every case in batches (`engine/columns.py`); this is the plain reading of
the same rules, one case and one rule at a time with no arrays, no caches and no tables:
a second, independent sum of the weights, the bands and the limits. Tests compare the
two case by case, so the batch judge's speed-ups can never change a result.
"""

from __future__ import annotations

from dataclasses import replace

from jtai_audit.engine.judge import CaseResult, Engine, RuleResult, band_grade
from jtai_audit.rubric.compiled import LoadedRubric, RuleProgram
from jtai_audit.terms import OUTCOME_POINTS
from jtai_audit.workbook.cases import Case


class RowEngine(Engine):
    """Judges one case at a time, every rule decided afresh."""

    def __init__(self, rubric: LoadedRubric) -> None:
        super().__init__(rubric)
        self._order = list(self.fields)
        self._label = next((n for n, s in self.fields.items() if s.type == "label"), None)
        self._auditor_grade = rubric.model.field_with("auditor_grade")
        self._weights = {p.rule.id: p.rule.weight for p in rubric.programs}
        self._severity = {p.rule.id: p.rule.severity for p in rubric.programs}

    def evaluate(self, case: Case) -> CaseResult:
        return self.score(case, [self.judge(program, case) for program in self.rubric.programs])

    def judge(self, program: RuleProgram, case: Case) -> RuleResult:
        """One rule on one case: outcome, evidence, and whether a silent record decided it."""
        result, na_fields = self.conclude(program, case, *self.decide(program, case))
        if not na_fields:
            return result
        return replace(result, na_cells=tuple(case.cells.get(f, f) for f in na_fields))

    def score(self, case: Case, results: list[RuleResult]) -> CaseResult:
        """Weighted mean of the judged rules, the band's grade, and the limits it reaches."""
        total = earned = 0.0
        open_fields: set[str] = set()
        for result in results:
            if result.unanswered:
                open_fields.update(result.unanswered)
            if not result.judged:
                continue
            total += self._weights[result.rule]
            earned += self._weights[result.rule] * OUTCOME_POINTS[result.outcome]
        score = 100 * earned / total if total else None
        band = band_grade(self.model, score) if score is not None else None
        capping = self.model.grades.capping_severity
        capped_by = [r.rule for r in results if self._severity[r.rule] == capping and r.caps]
        grade, limits = self.grader.grade(band, results)
        unanswered = [f for f in self._order if f in open_fields]
        flagged = [r for r in results if r.na_cells]
        columns = {case.cells.get(f, f): f for f in self._order} if flagged else {}
        warnings = [f"{cell} ({columns.get(cell, '?')}): N/A where the question applies "
                    f"({r.rule}); read as a silent record (not evidenced)"
                    for r in flagged for cell in r.na_cells]
        area = case.label(self._label) if self._label else None
        auditor = case.values.get(self._auditor_grade) if self._auditor_grade else None
        return CaseResult(case, area, score, grade, band, capped_by, not unanswered, unanswered,
                          results, warnings, None if auditor is None else str(auditor),
                          limits)
