"""Rubric format: pydantic models with `extra="forbid"`, so a typo in a key is an error.

The models only describe shape. Cross-references (themes, owners, fields named in
expressions) are checked in `rubric/lint.py` once the whole file is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .terms import Outcome


class DateRange(BaseModel):
    """A closure, from one date to another, both included (`{from: 2025-12-20, to: 2026-01-04}`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              serialize_by_alias=True)

    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")


# A list of date ranges is a parameter for the calendar (`school_closures`), not for conditions.
ParamValue = int | float | str | bool | list[DateRange]
FieldType = Literal["id", "label", "answer", "yes_no", "choice", "list", "date", "integer", "text"]
RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*-[0-9A-Za-z]+$")]
ExampleValue = str | int | float | bool | None
GradeName = Literal["Outstanding", "Good", "Requires improvement", "Inadequate"]
# What a column is for, so code that needs "the audit date" or "the child's age" finds it in
# any rubric, whatever the column is called there.
Role = Literal["audit_date", "age", "unborn", "legal_status", "referral_date",
               "strategy_discussion_date", "seen", "seen_alone", "risk_tool", "risk_level",
               "risk_score", "disagreement", "escalation_raised", "escalation_resolved",
               "voice", "auditor_grade", "incidents", "closed", "risk_reduction"]


class Strict(BaseModel):
    """Unknown keys are errors, so a misspelt key never silently does nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(Strict):
    """A workbook column the rubric reads."""

    type: FieldType
    description: str = Field(min_length=1)
    role: Role | None = Field(
        default=None, description="what the column is for: checks and breakdowns find it by role")
    answered_by: list[str] = Field(
        default_factory=list,
        description="the agencies whose records answer this column, the preferred first: "
                    "merging agency returns takes each cell from the first that holds a value")
    values: list[str] | None = Field(default=None, description="allowed values (choice, list)")
    aliases: list[str] = Field(default_factory=list, description="other header spellings")
    min: int | None = None
    max: int | None = None
    required: bool = Field(default=False, description="a missing column or value is an error")
    optional: bool = Field(default=False, description="a blank cell is not unanswered")
    blank_means: str | None = Field(
        default=None, description="a blank date takes this field's value")
    blank_ok_if: dict[str, str | list[str]] | None = Field(
        default=None,
        description="a blank cell is an answer (not unanswered) when these fields hold these "
                    "values (a list: any of them)"
    )
    words: list[str] = Field(
        default_factory=list,
        description="date fields: a word the cell may hold instead of a date (`Not notified`): "
                    "an answer that no date exists, read as null in conditions, unlike `Not "
                    "recorded`, which is a silent record")
    judgement: bool = Field(
        default=False,
        description="the auditor's own judgement, never answered from silence: `Not recorded` "
                    "here is read as unanswered (and `validate` warns)")
    agencies: bool = Field(
        default=False, description="its values are the agencies that can own rules")
    question: str | None = Field(
        default=None, description="the question as put to auditors (template)")
    na_allowed: bool | str = Field(
        default=False,
        description="`N/A` is a legitimate answer here: true, or a condition on other fields "
                    "(each rule says what an allowed N/A means for it)")
    not_before: str | None = Field(
        default=None,
        description="a date field this date cannot come before (a decision and its referral): "
                    "where it does, the rules comparing them leave the case out "
                    "(dates_out_of_order) and validate warns")
    na_means: str | None = Field(
        default=None, description="when N/A is allowed, what it means (template input message)")


def id_field(fields: Mapping[str, FieldSpec]) -> str:
    """The column that names each case (type `id`).

    `case_id` when a rubric declares none, so a file without one is told which header is
    missing.
    """
    return next((name for name, spec in fields.items() if spec.type == "id"), "case_id")


class Lexicon(Strict):
    """A named list of phrases; the name is the kind reported in evidence."""

    description: str = Field(min_length=1)
    phrases: list[str] = Field(description="each inflection listed in full: no stemmer guesses")
    exclusions: list[str] = Field(
        default_factory=list,
        description="phrases never matched, such as programme names ('Reducing Parental Conflict')")


class Theme(Strict):
    """A group of rules reported together."""

    title: str = Field(min_length=1)
    description: str = ""


class Band(Strict):
    """A grade band: scores from `min` (inclusive) to `max` (exclusive; 100 is in the top band)."""

    grade: GradeName
    min: float
    max: float


class Cap(Strict):
    """With at least `critical_not_met` capping rules not met, the grade is at best `best`."""

    critical_not_met: int = Field(ge=1)
    best: GradeName


class CountLimit(Strict):
    """A limit reached by counting rules: widespread failures limit the grade together.

    `counts: limits` counts the rules whose own limit reached `at_most` or lower;
    `counts: not_met` counts the rules of `severities` that are not met (a silent record on
    a rule of the capping severity included). Counted rules whose deciding fields overlap
    form one group and count once: one written agreement is one failure, not three.
    """

    counts: Literal["limits", "not_met"]
    at_least: int = Field(ge=1)
    at_most: GradeName = Field(
        default="Requires improvement",
        description="with counts: limits, the rules counted are those limiting to this or lower")
    severities: list[str] = Field(
        default_factory=list, description="with counts: not_met, the severities counted")
    best: GradeName
    why: str = Field(min_length=1)


class Findings(Strict):
    """Rates ((met + half partly) per judged case) that sort rules into strengths and priorities.

    A rate from fewer than `min_cases` judged cases is shown but never called anything.
    """

    strength_from: float = 80.0
    priority_below: float = 50.0
    min_cases: int = Field(default=3, ge=1)


class Grades(Strict):
    """Grade bands, severities, caps and finding thresholds."""

    bands: list[Band]
    severities: list[str] = Field(default_factory=lambda: ["critical", "major", "minor"])
    capping_severity: str = "critical"
    caps: list[Cap] = Field(
        default_factory=list,
        description="v2.2 caps: read as the default limit of each capping rule naming none")
    limits: list[CountLimit] = Field(
        default_factory=list, description="count limits: rules counted together limit the grade")
    findings: Findings = Field(default_factory=Findings)


class Source(Strict):
    """Where a rule comes from: a report (2026 by heading, 2017 by paragraph) or guidance."""

    report: str = Field(min_length=1)
    year: int
    section: str | None = None
    paragraph: int | str | None = None
    quote: str | list[str] | None = Field(
        default=None, description="the sentence(s) the rule rests on, word for word")
    note: str | None = Field(
        default=None, description="what the source is and how sure the citation is")


class Example(Strict):
    """A case as field values and the outcome the rule must give for it."""

    name: str | None = None
    case: dict[str, ExampleValue]
    expect: Outcome
    grade_limit: GradeName | None = Field(
        default=None,
        description="the best grade the case reaches through this rule (absent: no limit)")


class Limit(Strict):
    """The best grade a case can have when the rule has this outcome (and `when` holds)."""

    outcome: Literal["not_met", "partly_met", "not_evidenced"]
    best: GradeName
    when: str | None = Field(
        default=None, description="a condition on the case's fields; absent: always")
    why: str = Field(min_length=1, description="the finding behind the limit, with its source")


class Words(Strict):
    """A rule's conditions in words, for practitioners: no expressions, `{param}` shows values."""

    applies: str | None = Field(default=None, description="when the rule applies; absent: always")
    met: str
    partly_met: str | None = None
    not_met: str | None = None
    not_evidenced: str | None = None


class Rule(Strict):
    """One rubric rule: conditions are rule-engine expressions over the declared fields."""

    id: RuleId
    theme: str
    title: str = Field(min_length=1)
    why: str = Field(min_length=1)
    sources: list[Source]
    standard: str | None = Field(
        default=None,
        description="the standard in words; {param} placeholders show effective values"
    )
    applies: str = "true"
    met: str
    partly: str | None = None
    weight: float = 1.0
    severity: str
    owner: str | list[str] = Field(
        description="the agency that owns the rule, or a list: in each case the rule belongs "
                    "to the first listed agency involved in it, else to the lead agency")
    action: str
    limits: list[Limit] = Field(
        default_factory=list,
        description="limiting judgements: the first whose outcome matches (and `when` holds) "
                    "caps the case's grade")
    outcomes: list[Outcome] | None = Field(
        default=None, description="the outcomes this rule can give, when narrower than the default"
    )
    silent_reads: dict[str, str | float] | None = Field(
        default=None,
        description="for this rule, a silent cell of these fields (`Not recorded`, or an `N/A` "
                    "its na_allowed does not allow) reads as this answer, instead of leaving "
                    "the outcome open: the worst reading of a silent record")
    words: Words | None = Field(
        default=None, description="when the rule applies and what each outcome means, in words")
    examples: list[Example] = Field(default_factory=list)

    @property
    def owners(self) -> tuple[str, ...]:
        """The owning agencies in order of preference (one, or the list)."""
        return (self.owner,) if isinstance(self.owner, str) else tuple(self.owner)

    @property
    def owner_text(self) -> str:
        """The owner as reports name it: "Probation, else Adult mental health"."""
        return ", else ".join(self.owners)


class Disable(Strict):
    """A rule switched off in a local variant, with the reason kept in every output."""

    rule: str
    reason: str


class Rubric(Strict):
    """A whole rubric, after `extends` has been applied."""

    id: str = Field(min_length=1)
    version: str
    title: str = ""
    extends: str | None = None
    params: dict[str, ParamValue] = Field(default_factory=dict)
    disable: list[Disable] = Field(default_factory=list)
    fields: dict[str, FieldSpec]
    lexicons: dict[str, Lexicon] = Field(default_factory=dict)
    themes: dict[str, Theme]
    grades: Grades
    rules: list[Rule]

    def field_with(self, role: Role) -> str | None:
        """The column that plays `role` in this rubric (None when no column declares it)."""
        return next((name for name, spec in self.fields.items() if spec.role == role), None)
