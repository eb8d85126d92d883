"""The merged case file: one row per child in the canonical columns, read like any other.

It is a case file, so it is the one output that keeps the `text` columns (the audit
meeting's own record); it is written owner-only. An xlsx also gets a `Sources` sheet
naming the agency, return file and cell behind every merged cell, so a conflict can be
traced back and corrected in the return (the tool never edits a return).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from ..files import neutralise
from ..schema import FieldSpec, Rubric
from ..stamps import xlsx_bytes
from ..terms import Status
from ..workbook.cases import Case
from ..workbook.sheets import AWAITING_COLUMN, awaiting_note
from .combine import Merged

_BOLD = Font(bold=True)


def cell_text(case: Case, name: str, spec: FieldSpec, dates_as_text: bool) -> Any:
    """A merged cell as an auditor would have typed it; unanswered stays blank."""
    state = case.status.get(name)
    value = case.values.get(name)
    if state is Status.NOT_RECORDED:
        return "Not recorded"
    if state is Status.NOT_APPLICABLE:
        return "N/A"
    if state is Status.ANSWERED and value is None and spec.words:
        return spec.words[0]  # a date column's word (`Not notified`), written back as typed
    if state not in (Status.ANSWERED, Status.BLANK) or value in (None, ()):
        return None
    if isinstance(value, tuple | list):
        return "; ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat() if dates_as_text else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def awaited_fields(merged: Merged, case: Case, names: list[str]) -> list[str]:
    """The columns of a merged case left blank because their return has not come in."""
    return [n for n in names if (case.case_id, n) in merged.awaiting]


def merged_csv(merged: Merged, model: Rubric) -> bytes:
    """The merged cases as UTF-8 CSV with a BOM (Excel opens it as UTF-8).

    A last column, `awaiting`, lists the fields of each row still awaited from a return,
    so reading the file back leaves them unanswered (not "not recorded").
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = list(model.fields)
    writer.writerow([*names, AWAITING_COLUMN])
    for case in merged.cases:
        writer.writerow([*(neutralise(cell_text(case, n, model.fields[n], True)) for n in names),
                         "; ".join(awaited_fields(merged, case, names))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def merged_xlsx(merged: Merged, model: Rubric) -> bytes:
    """The merged cases on a `Cases` sheet and their origins on a `Sources` sheet."""
    book = Workbook()
    cases = book.active
    assert cases is not None  # a new workbook always has one sheet
    cases.title = "Cases"
    names = list(model.fields)
    _row(cases, 1, names, bold=True)
    for number, case in enumerate(merged.cases, start=2):
        values = [cell_text(case, n, model.fields[n], False) for n in names]
        for cell in _row(cases, number, values):
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    cases.freeze_panes = "B2"
    sources = book.create_sheet("Sources")
    _row(sources, 1, ["case_id", "column", "agency", "return file", "return cell"], bold=True)
    number = 2
    for case in merged.cases:
        for name in names:
            for source in merged.sources.get((case.case_id, name), ()):
                _row(sources, number, [case.case_id, name, source.agency, source.file,
                                       source.cell])
                number += 1
            awaited = merged.awaiting.get((case.case_id, name))
            if awaited is not None:  # blank on Cases: read back as unanswered, not silent
                _row(sources, number, [case.case_id, name, awaited,
                                       awaiting_note(awaited), None])
                number += 1
    sources.freeze_panes = "A2"
    return xlsx_bytes(book)


def _row(ws: Any, row: int, values: list[Any], bold: bool = False) -> list[Cell]:
    cells = []
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # case text is never a formula
        if bold:
            cell.font = _BOLD
        cells.append(cell)
    return cells
