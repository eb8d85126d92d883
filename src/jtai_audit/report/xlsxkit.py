"""Small openpyxl helpers for the xlsx report: safe cells, headers, widths, stable bytes.

Every string goes in as a string cell: openpyxl would otherwise store a value that starts
with `=` as a formula, and an area name typed as `=HYPERLINK(...)` would become a live link
in the chair's spreadsheet. The saved archive is rewritten with fixed timestamps, so the
same run gives the same bytes (reports are diffed and hashed in audit trails).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True, color="0B2340")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TITLE_FONT = Font(bold=True, size=16)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

# Fills with dark text: the words carry the meaning, the colours only reinforce them.
GRADE_FILLS = {"Outstanding": "C6EFCE", "Good": "DDEBF7", "Requires improvement": "FFE699",
               "Inadequate": "F4B6B6"}
OUTCOME_FILLS = {"Met": "C6EFCE", "Partly met": "FFF2CC", "Not met": "F4B6B6",
                 "Not evidenced": "D9D9D9"}
FINDING_FILLS = {"Strength": "C6EFCE", "Area for improvement": "FFE699",
                 "Area for priority action": "F4B6B6"}


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour, bgColor=colour)


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value; strings always as inert text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    assert isinstance(cell, Cell)  # the report never merges cells
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def put_row(ws: Worksheet, row: int, values: Sequence[Any], column: int = 1) -> list[Cell]:
    return [put(ws, row, column + i, v) for i, v in enumerate(values)]


def header(ws: Worksheet, row: int, names: Sequence[str], column: int = 1) -> None:
    ws.row_dimensions[row].height = 32  # two lines: headers wrap in narrow count columns
    for cell in put_row(ws, row, names, column):
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = WRAP


def table(ws: Worksheet, row: int, names: Sequence[str], rows: Iterable[Sequence[Any]],
          column: int = 1, number_format: str = "0.0") -> int:
    """A header and rows from `row`; floats get `number_format`. Returns the next free row."""
    header(ws, row, names, column)
    for values in rows:
        row += 1
        for cell in put_row(ws, row, values, column):
            cell.border = BOX
            cell.alignment = TOP
            if isinstance(cell.value, float):
                cell.number_format = number_format
    return row + 1


def letter(column: int) -> str:
    return get_column_letter(column)


def text_is(ref: str, text: str, colour: str) -> Any:
    """A conditional format: fill the cell when it holds exactly `text`."""
    return CellIsRule(operator="equal", formula=[f'"{text}"'],  # type: ignore[no-untyped-call]
                      fill=fill(colour))


def widths(ws: Worksheet, sizes: Sequence[float], column: int = 1) -> None:
    for i, size in enumerate(sizes):
        ws.column_dimensions[get_column_letter(column + i)].width = size


def fit_rows(ws: Worksheet, first_row: int, columns: Sequence[int]) -> None:
    """Set row heights for wrapped text, so long actions do not print over each other.

    openpyxl cannot measure text, and LibreOffice does not grow rows when it converts.
    """
    for row in range(first_row, ws.max_row + 1):
        lines = 1
        for column in columns:
            value = ws.cell(row=row, column=column).value
            if isinstance(value, str) and value:
                width = ws.column_dimensions[letter(column)].width or 10
                lines = max(lines, math.ceil(len(value) * 1.1 / max(width - 1, 1)))
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines + 2


