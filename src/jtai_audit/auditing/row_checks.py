"""`validate`'s checks on one row: small functions, each one kind of problem at a cell.

Each takes the row's typed case (read by the same reader as `score`) and adds problems
to the file's report through `RowChecker`, which names the cell (`Cases!F14`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..engine.columns import ColumnJudge
from ..problems import CellProblem, Level
from ..rubric.compiled import LoadedRubric
from ..rubric.guidance import Kind
from ..schema import FieldSpec
from ..terms import Status
from ..workbook.cases import Case
from ..workbook.cells import is_blank, parse_cell

ERROR: Level = "error"
WARNING: Level = "warning"


@dataclass
class FileReport:
    """Problems of one workbook, and per column how many cells were answered."""

    problems: list[CellProblem] = field(default_factory=list)
    answered: dict[str, int] = field(default_factory=dict)
    cases: int = 0
    columns: list[str] = field(default_factory=list)  # the columns it answers (a return: its own)
    agency: str | None = None  # an agency return's agency


class RowChecker:
    """One file's problems as they are found, each at its Sheet!A1 cell."""

    def __init__(self, shown: str, sheet: str, letters: Mapping[str, str]) -> None:
        self.shown, self.sheet, self.letters = shown, sheet, letters
        self.report = FileReport()
        self.row_start = 0

    def row_cells(self) -> set[str]:
        """Cells already flagged in the current row, so one cell is not warned about twice."""
        return {p.cell for p in self.report.problems[self.row_start:]}

    def cell(self, name: str, row: int) -> str:
        return f"{self.sheet}!{self.letters[name]}{row}"

    def add(self, level: Level, cell: str, column: str, message: str) -> None:
        self.report.problems.append(
            CellProblem(self.shown, self.sheet, cell, column, message, level))


def is_answered(spec: FieldSpec, raw: Any, status: Status | None) -> bool:
    if status is Status.INVALID:
        return False
    if not is_blank(raw):
        return True
    return (status is Status.BLANK and spec.blank_ok_if is not None) or spec.blank_means is not None


def count_answered(answered: dict[str, int], case: Case, raw: Mapping[str, Any],
                   fields: Mapping[str, FieldSpec]) -> None:
    for name, spec in fields.items():
        if is_answered(spec, raw.get(name), case.status.get(name)):
            answered[name] = answered.get(name, 0) + 1


def check_judgements(check: RowChecker, case: Case, fields: Mapping[str, FieldSpec],
                     raw: Mapping[str, Any], number: int) -> None:
    """`Not recorded` in a judgement column: the auditor's own call, read as unanswered."""
    for name, spec in fields.items():
        if spec.judgement and name in check.letters \
                and case.status.get(name) is Status.UNANSWERED and not is_blank(raw.get(name)) \
                and parse_cell(raw[name], spec).status is Status.NOT_RECORDED:
            check.add(WARNING, check.cell(name, number), name,
                     "Not recorded in a judgement column: read as unanswered (answer it from "
                     "your own reading of what was known at the time, never from silence)")


def check_unanswered(check: RowChecker, case: Case, fields: Mapping[str, FieldSpec],
                     number: int) -> None:
    flagged = check.row_cells()  # a judgement's `Not recorded` is warned about once
    for name in fields:
        if name in check.letters and case.status.get(name) is Status.UNANSWERED \
                and check.cell(name, number) not in flagged:
            check.add(WARNING, check.cell(name, number), name,
                     "unanswered: the case is incomplete (write Not recorded if the record "
                     "is silent)")


def check_consistency(check: RowChecker, case: Case, rubric: LoadedRubric, number: int,
                      raw: Mapping[str, Any]) -> None:
    """Cross-column errors (impossible records) and warnings (a second look)."""
    v, fields = case.values, rubric.model.fields

    def answered(name: str) -> bool:
        return name in check.letters and case.status.get(name) is Status.ANSWERED \
            and not is_blank(raw.get(name))

    role = rubric.model.field_with
    audit_col = role("audit_date")
    audit = v.get(audit_col) if audit_col and answered(audit_col) else None
    for name, spec in fields.items():
        if spec.type == "date" and name != audit_col and audit and answered(name) \
                and isinstance(v[name], dt.date) and v[name] > audit:
            check.add(ERROR, check.cell(name, number), name, f"a date after the {audit_col}")
    meeting, referral = role("strategy_discussion_date"), role("referral_date")
    if meeting and referral and answered(meeting) and answered(referral) \
            and v[meeting] < v[referral]:
        check.add(ERROR, check.cell(meeting, number), meeting,
                  f"strategy discussion before the {referral}")
    disagreement = role("disagreement")
    if disagreement and answered(disagreement) and v[disagreement] == "No":
        for answer in (role("escalation_raised"), role("escalation_resolved")):
            name = answer or ""
            if name and name in check.letters and case.status.get(name) not in (
                    Status.NOT_APPLICABLE, Status.UNANSWERED):
                check.add(ERROR, check.cell(name, number), name,
                          f"an escalation answer when {disagreement} is No (N/A expected)")
    second_look(check, case, rubric, number, answered)


def second_look(check: RowChecker, case: Case, rubric: LoadedRubric, number: int,
                answered: Any) -> None:
    v = case.values
    role = rubric.model.field_with
    flagged = check.row_cells()
    age = rubric.model.params.get("seen_alone_age", 4)
    age_col = role("age")
    if age_col and answered(age_col) and isinstance(age, int | float) and v[age_col] >= age:
        for name in (role("seen"), role("seen_alone")):
            if name and name in check.letters and case.status.get(name) is Status.NOT_APPLICABLE \
                    and check.cell(name, number) not in flagged \
                    and not rubric.na_allows(name, {**case.values, name: "N/A"}):
                check.add(WARNING, check.cell(name, number), name,
                          f"N/A for a child aged {age:g} or more: check")
    score, tool, level = role("risk_score"), role("risk_tool"), role("risk_level")
    if score and tool and answered(score) and tool in check.letters and v.get(tool) != "DASH":
        check.add(WARNING, check.cell(score, number), score,
                  f"a DASH score but {tool} is not DASH: check")
    threshold = rubric.model.params.get("marac_dash_threshold")
    if score and level and answered(score) and answered(level) \
            and isinstance(threshold, int | float) and v[score] >= threshold and v[level] != "High":
        check.add(WARNING, check.cell(level, number), level,
                  f"DASH score at or above {threshold:g} but {level} is not High: check")
    unborn = role("unborn")
    if unborn and age_col and answered(unborn) and v[unborn] == "Yes" \
            and answered(age_col) and v[age_col] >= 2:
        check.add(WARNING, check.cell(age_col, number), age_col,
                  "unborn at referral but aged 2 or more at audit: check both")


def check_not_applicable(check: RowChecker, case: Case, engine: ColumnJudge) -> None:
    """`N/A` on a rule that applies: scored as not evidenced, so the auditor should look."""
    result = engine.case(case)
    flagged = check.row_cells()
    for rule in result.results:
        for cell in rule.na_cells:
            if cell in flagged:
                continue
            flagged.add(cell)
            column = next((n for n, c in case.cells.items() if c == cell), "")
            check.add(WARNING, cell, column,
                      f"N/A where the question applies ({rule.rule}): read as a silent record")


def check_silence(check: RowChecker, case: Case, fields: Mapping[str, FieldSpec],
                  kinds: Mapping[str, Kind], number: int) -> None:
    """`Not recorded` where the v2.3 rule for silence gives another answer."""
    for name, spec in fields.items():
        if spec.type != "yes_no" or name not in check.letters \
                or case.status.get(name) is not Status.NOT_RECORDED:
            continue
        if kinds.get(name) == "fact":
            check.add(WARNING, check.cell(name, number), name,
                      "Not recorded in a yes/no fact: a fact with no sign of it in the record "
                      "is No (v2.3); keep Not recorded only where the record shows the "
                      "question arose and leaves the answer out")
        elif kinds.get(name) == "judgement":
            check.add(WARNING, check.cell(name, number), name,
                      "Not recorded in a judgement: answer from your reading of everything "
                      "known at the time, never from silence (read as unanswered)")


def check_date_order(check: RowChecker, case: Case, fields: Mapping[str, FieldSpec],
                     number: int) -> None:
    """A date before the date it follows (`not_before`): the rules comparing them leave it out."""
    for name, spec in fields.items():
        earlier = spec.not_before
        if earlier is None or name not in check.letters or earlier not in check.letters:
            continue
        first, second = case.values.get(earlier), case.values.get(name)
        if (case.status.get(name) is Status.ANSWERED
                and case.status.get(earlier) is Status.ANSWERED
                and isinstance(first, dt.date) and isinstance(second, dt.date)
                and second < first):
            check.add(WARNING, check.cell(name, number), name,
                     f"dated before {earlier} ({check.cell(earlier, number)} {earlier}): "
                     "dates out of order; the rules that compare them leave this case out "
                     "until the dates are checked")


def check_dependents(check: RowChecker, case: Case, rubric: LoadedRubric,
                     kinds: Mapping[str, Kind], number: int) -> None:
    """A dependent question answered although its parent answer rules it out.

    A dependent is a column whose `na_allowed` is a condition on other answers (its
    parents); when the condition holds on answered parents, the question does not arise and
    `N/A` is expected. Both cells are named: the dependent's, and each parent's.
    """
    flagged = check.row_cells()
    for name, condition in rubric.na_allowed.items():
        if condition is None or kinds.get(name) != "dependent" or name not in check.letters:
            continue
        cell = check.cell(name, number)
        if cell in flagged or case.status.get(name) is not Status.ANSWERED \
                or case.values.get(name) in (None, (), ""):
            continue
        parents = sorted(condition.fields - {name})
        if not parents or any(case.status.get(p) not in (Status.ANSWERED, Status.NOT_APPLICABLE)
                              for p in parents):
            continue  # an unanswered or silent parent rules nothing out yet
        if not rubric.na_allows(name, {**case.values, name: "N/A"}):
            continue
        where = ", ".join(f"{check.cell(p, number)} {p}" if p in check.letters else p
                          for p in parents)
        check.add(WARNING, cell, name,
                  f"answered although its parent rules it out ({where}): N/A expected where "
                  f"{' '.join(condition.text.split())}")
