"""A rubric ready to judge with: its model, compiled conditions and what each rule reads.

Kept apart from the loader so the engine depends on this and not on YAML, pydantic
validation or `extends`: judging needs the compiled rubric, never the file it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..conditions.expressions import Compiled, Environment
from ..schema import Disable, Rubric, Rule
from ..terms import Outcome

if TYPE_CHECKING:  # only named in annotations: judging never reads the YAML
    from ..problems import LineProblem
    from .yamlfile import YamlDocument


@dataclass(frozen=True)
class LimitProgram:
    """A rule's limit ready to apply: the outcome it follows, the best grade, its condition."""

    outcome: Outcome
    best: str
    when: Compiled | None
    why: str


@dataclass(frozen=True)
class RuleProgram:
    """A rule ready to evaluate: its compiled conditions and the fields they read.

    `fields` includes what the limits' `when` conditions read, so a rule's result, limit
    included, is decided by (and can be remembered on) the values of its own fields.
    """

    rule: Rule
    applies: Compiled | None
    met: Compiled
    partly: Compiled | None
    fields: tuple[str, ...]
    lexicons: tuple[str, ...]
    outcomes: frozenset[Outcome]
    limits: tuple[LimitProgram, ...] = ()

    @property
    def deciding(self) -> frozenset[str]:
        """The fields its met and partly conditions read: what two failures may share."""
        fields = self.met.fields
        if self.partly is not None:
            fields = fields | self.partly.fields
        if self.applies is not None:
            fields = fields - self.applies.fields
        return fields


@dataclass
class LoadedRubric:
    """An effective rubric (after `extends`) and what loading it found."""

    model: Rubric
    programs: list[RuleProgram]
    env: Environment
    sha256: str
    source: str
    chain: list[YamlDocument] = field(default_factory=list)
    warnings: list[LineProblem] = field(default_factory=list)
    # Fields where `N/A` can be a legitimate answer: None when always, else the condition.
    na_allowed: dict[str, Compiled | None] = field(default_factory=dict)
    agency: str | None = None  # one agency's feedback (`for_agency`): what the summary counts

    @property
    def reads(self) -> dict[str, tuple[str, ...]]:
        """The fields each rule reads (its conditions and limits)."""
        return {p.rule.id: p.fields for p in self.programs}

    def na_allows(self, name: str, values: dict[str, Any]) -> bool:
        """Whether an `N/A` in this field is a legitimate answer, given the case's values."""
        if name not in self.na_allowed:
            return False
        condition = self.na_allowed[name]
        return condition is None or condition(values)

    @property
    def disabled(self) -> list[Disable]:
        return list(self.model.disable)

    def program(self, rule_id: str) -> RuleProgram | None:
        for program in self.programs:
            if program.rule.id == rule_id:
                return program
        return None


def possible_outcomes(rule: Rule) -> frozenset[Outcome]:
    """The outcomes a rule can give, which its examples must cover."""
    if rule.outcomes is not None:
        return frozenset(rule.outcomes)
    outcomes = {Outcome.MET, Outcome.NOT_MET, Outcome.NOT_EVIDENCED}
    if rule.partly is not None:
        outcomes.add(Outcome.PARTLY_MET)
    if rule.applies.strip() != "true":
        outcomes.add(Outcome.NOT_APPLICABLE)
    return frozenset(outcomes)


def for_agency(rubric: LoadedRubric, agency: str) -> LoadedRubric:
    """The rubric as one agency's feedback sees it (`score --agency`).

    Every rule is still judged, so a case keeps its whole score, grade and limits (never
    re-graded on one agency's rules); `agency` tells the summary to count each rule only in
    the cases where this agency owns it (owners per case). The hash stays the whole
    rubric's: the view changes what is reported, not what the cases were judged against.
    """
    return replace(rubric, agency=agency)
