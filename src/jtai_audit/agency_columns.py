"""One agency's return: which columns it holds, its `agency` column, and what is locked.

Each agency audits its own records, so its template holds the case id, an `agency` column
naming it, and only the columns it answers (`answered_by`, read as the merge reads it: a
column no agency claims is the lead agency's). An agency named on the command line is
matched like the vocabulary: trimmed, case-insensitively, curly apostrophes as straight.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.cell.cell import Cell
from openpyxl.styles import PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .schema import FieldSpec
from .workbook.limits import column_letter

AGENCY_COLUMN = "agency"
OPEN = Protection(locked=False)
_KEY_FILL = PatternFill("solid", fgColor="EDEDED")


def return_columns(fields: dict[str, FieldSpec], agency: str | None) -> list[str]:
    """The header row: the fields in order, with a return's `agency` column after the id."""
    columns = list(fields)
    if agency is not None:
        after_id = next((i + 1 for i, s in enumerate(fields.values()) if s.type == "id"), 0)
        columns.insert(after_id, AGENCY_COLUMN)
    return columns


def agency_prompt(agency: str) -> str:
    """The input message of the agency column."""
    return (f"Whose return this is: {agency}. Keep it on every row you fill in; the returns "
            "are merged per child by case_id and agency.")


def agency_validation(agency: str, list_range: str) -> DataValidation:
    """The agency column offers this agency's name and nothing else."""
    return DataValidation(type="list", formula1=f"={list_range}", allow_blank=True,
                          showErrorMessage=True, errorStyle="stop", errorTitle="Another agency",
                          error=f"This is the {agency} return: {agency} only.")


def lock_or_open(cell: Cell, name: str, spec: FieldSpec | None) -> None:
    """A pre-filled cell of a return: the keys it is merged by locked, the rest open.

    The keys (case id and agency) are shaded grey, which also gives them a style of their
    own: LibreOffice reads a cell in the default style as taking its column's, here open.
    """
    if name == AGENCY_COLUMN or (spec is not None and spec.type == "id"):
        cell.fill = _KEY_FILL
        cell.protection = Protection(locked=True)
    else:
        cell.protection = OPEN


def protect(sheet: Worksheet, columns: Sequence[str]) -> None:
    """Protect the sheet with every cell open except those locked one by one.

    A column's own style opens its empty cells; a written cell carries its own protection
    (the headers keep the default, locked). No password: the lock guards against slips,
    not against the auditor, and column widths and row heights stay adjustable.
    """
    for index in range(len(columns)):
        sheet.column_dimensions[column_letter(index)].protection = OPEN
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
