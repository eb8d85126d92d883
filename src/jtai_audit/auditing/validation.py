"""Data-quality checks of a case-file workbook: every problem at its `Sheet!A1` cell.

`validate` reads the workbook cell by cell itself rather than through `load_case_file`,
because the loader refuses a file whose case_id looks like a name: the auditor fixing
that file needs every other problem too, with the offending cells named (never quoted).
Errors are what would make scoring wrong; warnings are what deserves a second look.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.columns import ColumnJudge
from ..engine.judge import Engine
from ..hints import did_you_mean
from ..merge.returns import agencies_of, agency_fields, agency_key
from ..problems import CellProblem, Level
from ..rubric.compiled import LoadedRubric
from ..rubric.guidance import Kind, load_guidance
from ..schema import FieldSpec
from ..terms import Status
from ..workbook.batch import SeenCases
from ..workbook.cases import Case, build_case
from ..workbook.cells import is_blank, parse_cell
from ..workbook.labels import LabelColumn, Place
from ..workbook.limits import column_letter
from ..workbook.pseudonyms import pseudonym_problem
from ..workbook.reader import has_agency_column, match_columns
from ..workbook.sheets import header_key, id_header_hint, read_sheet

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


@dataclass
class BatchChecks:
    """What `validate` compares across every file it is given: labels, and (area, case_id).

    Only label spellings and one place per case are kept, never whole cases.
    """

    labels: dict[str, LabelColumn] = field(default_factory=dict)
    seen: SeenCases = field(default_factory=SeenCases)

    def label_problems(self) -> list[CellProblem]:
        """Spellings read as one label, and labels one letter apart: warnings at a cell."""
        found: list[CellProblem] = []
        for column in self.labels.values():
            merged = column.merged()
            for item in [*([merged] if merged else []), *column.near_duplicates()]:
                place = item.place or Place("", "", "")
                found.append(CellProblem(place.file, place.sheet, place.cell, item.column,
                                         item.message, WARNING))
        return found


class _Checker:
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


def check_file(path: Path, rubric: LoadedRubric, *, sheet: str | None = None,
               display: str | None = None, batch: BatchChecks | None = None,
               unanswered: bool = True) -> FileReport:
    """Every data-quality problem of one workbook; WorkbookError when it cannot be read.

    Given the `batch` of a run of several files, labels and case ids are compared across
    them all (the caller reports `batch.label_problems()` once at the end). An agency
    return is checked on its own columns; a row of it holding nothing but the child's id
    (a pre-filled row of a child the agency did not work with) is not a return and is
    left alone. `unanswered=False` leaves unanswered cells to the caller (a round of
    returns reports them once per child, from the merged cases).
    """
    fields = rubric.model.fields
    data = read_sheet(path, sheet)
    shown = display or str(path)
    header = data.rows[0] if data.rows else []
    columns, unknown = match_columns(header, fields)
    # A return's own column, and a merged file's cells still awaited: not unknown columns.
    unknown = [(t, i) for t, i in unknown if header_key(t) not in ("agency", "awaiting")]
    letters = {name: column_letter(i) for name, i in columns.items()}
    check = _Checker(shown, data.name, letters)
    id_name = next((n for n, s in fields.items() if s.type == "id"), "case_id")
    own, agency = _own_fields(rubric, data.rows, header)
    check.report.columns = [n for n in own if fields[n].type != "id"]
    check.report.agency = agency
    is_return = has_agency_column(header)
    _check_header(check, own, columns, unknown, id_name)
    engine = ColumnJudge(Engine(rubric))
    guidance = load_guidance(rubric)
    kinds = {name: guidance.kind(name, spec) for name, spec in own.items()}
    seen: dict[str, str] = {}
    across = batch or BatchChecks()
    labels = [n for n, s in fields.items() if s.type == "label" and n in columns]
    area = next((n for n, s in fields.items() if s.type == "label"), "")
    for name in labels:
        across.labels.setdefault(name, LabelColumn(name))
    # An agency return holds one agency's part of cases that other returns hold too:
    # returns are merged per child elsewhere, so their repeats are not duplicates here.
    file_no = None if has_agency_column(header) or id_name not in columns \
        else across.seen.open_file(shown, data.name, letters[id_name])
    for number, row in enumerate(data.rows[1:], start=2):
        if not any(c is not None and str(c).strip() for c in row):
            continue
        raw = {name: (row[i] if i < len(row) else None) for name, i in columns.items()}
        if is_return and not is_blank(raw.get(id_name)) and all(
                is_blank(v) for n, v in raw.items() if n != id_name):
            continue  # a pre-filled row nobody answered: not a return (the merge agrees)
        check.row_start = len(check.report.problems)
        if id_name in columns:
            raw[id_name] = _check_id(check, id_name, number, raw.get(id_name), seen)

        def problem(name: str, message: str, number: int = number) -> None:
            check.add(ERROR, check.cell(name, number), name, message)

        case = build_case(raw, fields, source=shown, row=number,
                          cells={n: check.cell(n, number) for n in columns},
                          date1904=data.date1904, on_problem=problem)
        check.report.cases += 1
        keys = {n: across.labels[n].add(raw.get(n), Place(shown, data.name, check.cell(n, number)))
                for n in labels}
        if file_no is not None and case.case_id:
            _check_elsewhere(check, across, file_no, id_name, case.case_id, number,
                             keys.get(area, ""), area, raw.get(area))
        _count_answered(check.report.answered, case, raw, own)
        _check_judgements(check, case, own, raw, number)
        if unanswered:
            _check_unanswered(check, case, own, number)
        _check_not_applicable(check, case, engine)
        _check_consistency(check, case, rubric, number, raw)
        _check_silence(check, case, own, kinds, number)
        _check_dependents(check, case, rubric, kinds, number)
        _check_date_order(check, case, own, number)
    if batch is None:
        check.report.problems.extend(across.label_problems())
    return check.report


def _check_elsewhere(check: _Checker, batch: BatchChecks, file_no: int, id_name: str,
                     case_id: str, number: int, area_key: str, area: str, typed: Any) -> None:
    """The same (area, case_id) in an earlier file: one child's case counted twice."""
    first = batch.seen.see(file_no, area_key, case_id, number)
    if first is None:
        return
    shown = batch.labels[area].shown(area_key, typed) if area in batch.labels else ""
    where = f"in {area} '{shown}'" if shown else f"with no {area or 'area'}"
    check.add(ERROR, check.cell(id_name, number), id_name,
              f"{id_name} {where} is also in {first.file} at {first.cell}: the same case "
              "in two files (score would count it twice)")


def _check_header(check: _Checker, fields: Mapping[str, FieldSpec], columns: Mapping[str, int],
                  unknown: list[tuple[str, int]], id_name: str) -> None:
    header_row = f"{check.sheet}!1:1"
    if id_name not in columns:
        hint = id_header_hint([text for text, _ in unknown], id_name)
        check.add(ERROR, header_row, id_name, f"no {id_name} column in the header row: "
                  f"cases cannot be told apart{hint}")
    for name, spec in fields.items():
        if name not in columns and name != id_name and not spec.optional:
            check.add(WARNING, header_row, name,
                      f"no '{name}' column: every case is unanswered on it")
    known = {header_key(n): n for n in fields if n not in columns}
    for text, index in unknown:
        hint = did_you_mean(text, known.values(), key=header_key)
        check.add(WARNING, f"{check.sheet}!{column_letter(index)}1", "",
                  f"unknown column: ignored{hint}")


def _check_id(check: _Checker, name: str, number: int, value: Any, seen: dict[str, str]) -> Any:
    """Missing, duplicate and identifying case ids; an identifying one is dropped, not echoed."""
    cell = check.cell(name, number)
    if is_blank(value):
        check.add(ERROR, cell, name, f"no {name}: the row is not scored")
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    text = text.strip()
    problem = pseudonym_problem(text, name)
    if problem is not None:
        check.add(ERROR, cell, name, f"{problem} (score refuses this file)")
        return None
    if text in seen:
        check.add(ERROR, cell, name, f"duplicate {name} (first at {seen[text]})")
    else:
        seen[text] = cell
    return value


def _answered(spec: FieldSpec, raw: Any, status: Status | None) -> bool:
    if status is Status.INVALID:
        return False
    if not is_blank(raw):
        return True
    return (status is Status.BLANK and spec.blank_ok_if is not None) or spec.blank_means is not None


def _count_answered(answered: dict[str, int], case: Case, raw: Mapping[str, Any],
                    fields: Mapping[str, FieldSpec]) -> None:
    for name, spec in fields.items():
        if _answered(spec, raw.get(name), case.status.get(name)):
            answered[name] = answered.get(name, 0) + 1


def _check_judgements(check: _Checker, case: Case, fields: Mapping[str, FieldSpec],
                      raw: Mapping[str, Any], number: int) -> None:
    """`Not recorded` in a judgement column: the auditor's own call, read as unanswered."""
    for name, spec in fields.items():
        if spec.judgement and name in check.letters \
                and case.status.get(name) is Status.UNANSWERED and not is_blank(raw.get(name)) \
                and parse_cell(raw[name], spec).status is Status.NOT_RECORDED:
            check.add(WARNING, check.cell(name, number), name,
                      "Not recorded in a judgement column: read as unanswered (answer it from "
                      "your own reading of what was known at the time, never from silence)")


def _check_unanswered(check: _Checker, case: Case, fields: Mapping[str, FieldSpec],
                      number: int) -> None:
    flagged = check.row_cells()  # a judgement's `Not recorded` is warned about once
    for name in fields:
        if name in check.letters and case.status.get(name) is Status.UNANSWERED \
                and check.cell(name, number) not in flagged:
            check.add(WARNING, check.cell(name, number), name,
                      "unanswered: the case is incomplete (write Not recorded if the record "
                      "is silent)")


def _own_fields(rubric: LoadedRubric, rows: list[list[Any]],
                header: list[Any]) -> tuple[Mapping[str, FieldSpec], str | None]:
    """The columns this file should answer (all, or an agency return's own), and its agency."""
    fields = rubric.model.fields
    if not has_agency_column(header):
        return fields, None
    index = next(i for i, c in enumerate(header) if c is not None
                 and header_key(str(c)) == "agency")
    named = next((str(r[index]) for r in rows[1:] if index < len(r) and r[index]), None)
    known = {agency_key(a): a for a in agencies_of(rubric.model)}
    agency = known.get(agency_key(named)) if named else None
    if agency is None:
        return fields, None
    return agency_fields(rubric.model, agency), agency


def _check_consistency(check: _Checker, case: Case, rubric: LoadedRubric, number: int,
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
    _second_look(check, case, rubric, number, answered)


def _second_look(check: _Checker, case: Case, rubric: LoadedRubric, number: int,
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


def _check_not_applicable(check: _Checker, case: Case, engine: ColumnJudge) -> None:
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


def _check_silence(check: _Checker, case: Case, fields: Mapping[str, FieldSpec],
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


def _check_date_order(check: _Checker, case: Case, fields: Mapping[str, FieldSpec],
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


def _check_dependents(check: _Checker, case: Case, rubric: LoadedRubric,
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
