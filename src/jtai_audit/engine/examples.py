"""Run each rule's examples through the same engine as `score` (for `rubric test` and pytest)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..rubric.compiled import LoadedRubric
from ..schema import Example
from ..terms import Outcome
from ..workbook.cases import build_case
from .columns import ColumnJudge
from .judge import Engine, RuleResult


@dataclass(frozen=True)
class ExampleRun:
    """One example's expected and actual outcome."""

    rule: str
    index: int
    name: str
    expected: Outcome
    result: RuleResult
    grade_limit: str | None = None  # the best grade the example must reach through the rule

    @property
    def reached(self) -> str | None:
        """The best grade this rule's outcome allows the example case (None: no limit)."""
        return self.result.limit.best if self.result.limit is not None else None

    @property
    def passed(self) -> bool:
        if self.result.outcome != self.expected:
            return False
        return self.grade_limit is None or self.reached == self.grade_limit

    @property
    def test_id(self) -> str:
        return f"{self.rule}[{self.index}] {self.name}"

    def diff(self) -> str:
        if self.result.outcome == self.expected:
            lines = [f"{self.test_id}: expected the grade limited to {self.grade_limit}, "
                     f"got {self.reached or 'no limit'}",
                     f"  - {self.grade_limit}", f"  + {self.reached or 'no limit'}"]
        else:
            lines = [f"{self.test_id}: expected {self.expected}, got {self.result.outcome}",
                     f"  - {self.expected}", f"  + {self.result.outcome}"]
        for name, value in self.result.evidence:
            lines.append(f"    {name}: {value}")
        return "\n".join(lines)


def example_case_name(example: Example, index: int) -> str:
    return example.name or f"example {index + 1}"


def run_examples(rubric: LoadedRubric, rule_id: str | None = None) -> Iterator[ExampleRun]:
    """Every example of every enabled rule (or of one rule), as `score` judges a case.

    Each example is a batch of one through the same column judge as a caseload, for its
    rule alone (the other rules' figures would be noise).
    """
    engine = Engine(rubric)
    for program in rubric.programs:
        if rule_id is not None and program.rule.id != rule_id:
            continue
        judge = ColumnJudge(engine, only=program.rule.id)
        for index, example in enumerate(program.rule.examples):
            case = build_case(example.case, rubric.model.fields, source="example", row=index + 1)
            result = judge.case(case).results[0]
            yield ExampleRun(program.rule.id, index, example_case_name(example, index),
                             example.expect, result, example.grade_limit)
