"""Data-quality checks of a case-file workbook: every problem at its `Sheet!A1` cell.

`validate` reads the rows the reader reads (`workbook.rows`: the same blank rows skipped,
the same case ids, the same id checks) but not through `load_case_file`, because the
loader refuses a file whose case_id looks like a name: the auditor fixing that file needs
every other problem too, with the offending cells named (never quoted).
Errors are what would make scoring wrong; warnings are what deserves a second look.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.columns import ColumnJudge
from ..engine.judge import Engine
from ..hints import did_you_mean
from ..merge.returns import agencies_of, agency_fields, agency_key
from ..problems import CellProblem
from ..rubric.compiled import LoadedRubric
from ..rubric.guidance import load_guidance
from ..schema import FieldSpec
from ..workbook.batch import SeenCases
from ..workbook.cases import build_case
from ..workbook.cells import is_blank
from ..workbook.labels import LabelColumn, Place
from ..workbook.limits import column_letter
from ..workbook.rows import CaseRows, IdCheck, IdKind, id_text
from ..workbook.sheets import header_key
from .row_checks import (
    ERROR,
    WARNING,
    FileReport,
    RowChecker,
    check_consistency,
    check_date_order,
    check_dependents,
    check_judgements,
    check_not_applicable,
    check_silence,
    check_unanswered,
    count_answered,
)


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
    source = CaseRows(path, fields, sheet=sheet, display=display)
    data, shown, columns, id_name = source.data, source.display, source.columns, source.id_name
    letters = source.letters
    check = RowChecker(shown, data.name, letters)
    own, agency = _own_fields(rubric, source)
    check.report.columns = [n for n in own if fields[n].type != "id"]
    check.report.agency = agency
    is_return = source.agency_return
    _check_header(check, own, columns, source.unknown, id_name, source.id_hint())
    engine = ColumnJudge(Engine(rubric))
    guidance = load_guidance(rubric)
    kinds = {name: guidance.kind(name, spec) for name, spec in own.items()}
    ids = source.id_check() if id_name in columns else None
    across = batch or BatchChecks()
    labels = [n for n, s in fields.items() if s.type == "label" and n in columns]
    area = next((n for n, s in fields.items() if s.type == "label"), "")
    for name in labels:
        across.labels.setdefault(name, LabelColumn(name))
    # An agency return holds one agency's part of cases that other returns hold too:
    # returns are merged per child elsewhere, so their repeats are not duplicates here.
    file_no = None if is_return or id_name not in columns \
        else across.seen.open_file(shown, data.name, letters[id_name])
    for number, row in source.numbered():
        raw = {name: (row[i] if i < len(row) else None) for name, i in columns.items()}
        if is_return and not is_blank(raw.get(id_name)) and all(
                is_blank(v) for n, v in raw.items() if n != id_name):
            continue  # a pre-filled row nobody answered: not a return (the merge agrees)
        check.row_start = len(check.report.problems)
        if ids is not None and _id_refused(check, ids, number, raw.get(id_name)):
            raw[id_name] = None

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
        count_answered(check.report.answered, case, raw, own)
        check_judgements(check, case, own, raw, number)
        if unanswered:
            check_unanswered(check, case, own, number)
        check_not_applicable(check, case, engine)
        check_consistency(check, case, rubric, number, raw)
        check_silence(check, case, own, kinds, number)
        check_dependents(check, case, rubric, kinds, number)
        check_date_order(check, case, own, number)
    if batch is None:
        check.report.problems.extend(across.label_problems())
    return check.report


def _check_elsewhere(check: RowChecker, batch: BatchChecks, file_no: int, id_name: str,
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


def _check_header(check: RowChecker, fields: Mapping[str, FieldSpec], columns: Mapping[str, int],
                  unknown: list[tuple[str, int]], id_name: str, hint: str) -> None:
    header_row = f"{check.sheet}!1:1"
    if id_name not in columns:
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


def _id_refused(check: RowChecker, ids: IdCheck, number: int, value: Any) -> bool:
    """Missing, duplicate and identifying case ids as errors; True when the id is dropped.

    An identifying id is dropped, never echoed; a duplicate stays (its row is still read).
    """
    problem = ids(id_text(value), number)
    if problem is None:
        return False
    cell = check.cell(ids.name, number)
    if problem.kind is IdKind.MISSING:
        check.add(ERROR, cell, ids.name, f"{problem.message}: the row is not scored")
        return True
    if problem.kind is IdKind.IDENTIFYING:
        check.add(ERROR, cell, ids.name, f"{problem.message} (score refuses this file)")
        return True
    check.add(ERROR, cell, ids.name, problem.message)
    return False


def _own_fields(rubric: LoadedRubric,
                source: CaseRows) -> tuple[Mapping[str, FieldSpec], str | None]:
    """The columns this file should answer (all, or an agency return's own), and its agency."""
    fields = rubric.model.fields
    index = source.agency_index
    if index is None:
        return fields, None
    named = next((str(r[index]) for _, r in source.numbered() if index < len(r) and r[index]),
                 None)
    known = {agency_key(a): a for a in agencies_of(rubric.model)}
    agency = known.get(agency_key(named)) if named else None
    if agency is None:
        return fields, None
    return agency_fields(rubric.model, agency), agency
