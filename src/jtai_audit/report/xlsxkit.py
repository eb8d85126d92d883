"""Small openpyxl helpers for the xlsx reports: safe cells, tables, widths, A4 pages.

Every string goes in as a string cell: openpyxl would otherwise store a value that starts
with `=` as a formula, and an area name typed as `=HYPERLINK(...)` would become a live link
in the chair's spreadsheet. The saved archive is rewritten with fixed timestamps, so the
same run gives the same bytes (reports are diffed and hashed in audit trails).

On paper every sheet is A4 landscape, fitted to the page's width. openpyxl cannot measure
text and LibreOffice does not grow rows when it converts, so row heights are worked out
here from the column widths, and `Pager` puts a page break before a block that would not
fit on what is left of a page: a table or chart is never split unless it is longer than a
page, and then its header row repeats.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(name="Calibri", bold=True, color="0B2340")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TITLE_FONT = Font(name="Calibri", bold=True, size=16)
BOLD = Font(name="Calibri", bold=True)
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
    """Header cells, wrapped at whole words, the row as tall as its longest name needs."""
    for cell in put_row(ws, row, names, column):
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = WRAP
    fit_row(ws, row, column, column + len(names) - 1, bold=True)


def table(ws: Worksheet, row: int, names: Sequence[str], rows: Iterable[Sequence[Any]],
          column: int = 1, number_format: str = "0.0") -> int:
    """A header and rows from `row`; floats get `number_format`. Returns the next free row.

    Set the column widths first: text wraps at them and each row is made as tall as its
    longest cell needs, so nothing is cut at a cell's edge.
    """
    header(ws, row, names, column)
    for values in rows:
        row += 1
        for cell in put_row(ws, row, values, column):
            cell.border = BOX
            cell.alignment = WRAP
            if isinstance(cell.value, float):
                cell.number_format = number_format
        fit_row(ws, row, column, column + len(names) - 1)
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


def fitted(rows: Iterable[Sequence[Any]], most: Sequence[float],
           least: float = 6) -> list[float]:
    """Column widths from their content.

    The longest value (a header by its longest word, as headers wrap), at least `least`
    and at most the column's `most`, past which text wraps.
    """
    found = [least] * len(most)
    for index, values in enumerate(rows):
        for i, value in enumerate(values[:len(most)]):
            if value is None:
                continue
            text = f"{value:.1f}" if isinstance(value, float) else str(value)
            size = max(map(len, text.split())) if index == 0 and text.split() else len(text)
            found[i] = max(found[i], size * 1.05 + 2)
    return [round(min(f, m), 1) for f, m in zip(found, most, strict=True)]


# Printing: A4 landscape with narrow margins (inches), fitted to the page's width.
MARGIN = {"left": 0.45, "right": 0.45, "top": 0.55, "bottom": 0.6, "header": 0.25,
          "footer": 0.25}
PRINT_WIDTH = 72 * (11.69 - MARGIN["left"] - MARGIN["right"])  # points
PRINT_HEIGHT = 72 * (8.27 - MARGIN["top"] - MARGIN["bottom"]) * 0.96  # a little to spare
LINE = 15.0  # points: a row of one line of 11 pt text
WRAPPED = 13.8  # points per line of wrapped 11 pt Calibri (Carlito in LibreOffice)
CHARS = 1.25  # characters of 11 pt Calibri per unit of column width, on average


def column_points(ws: Worksheet, column: int) -> float:
    width = ws.column_dimensions[letter(column)].width or 8.43
    return 0.75 * (7 * width + 5)


def scale(ws: Worksheet, last_column: int | None = None) -> float:
    """The scale LibreOffice and Excel print at when the sheet is fitted to the page width."""
    last = last_column or ws.max_column
    total = sum(column_points(ws, c) for c in range(1, last + 1))
    return min(1.0, PRINT_WIDTH / total) if total else 1.0


def text_lines(value: Any, width: float) -> int:
    """Lines a value takes when wrapped at whole words in a column `width` wide."""
    if value is None or value == "":
        return 1
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    per_line = max(int((width - 1) * CHARS), 1)
    return sum(max(len(textwrap.wrap(part, per_line, break_long_words=True)), 1)
               for part in text.split("\n"))


def fit_row(ws: Worksheet, row: int, first: int, last: int, bold: bool = False) -> None:
    """Make `row` as tall as its longest wrapped cell from column `first` to `last`."""
    lines = 1
    for column in range(first, last + 1):
        width = ws.column_dimensions[letter(column)].width or 8.43
        lines = max(lines, text_lines(ws.cell(row=row, column=column).value,
                                      width * (0.9 if bold else 1)))
    ws.row_dimensions[row].height = row_height(lines)


def row_height(lines: int) -> float:
    return LINE if lines < 2 else WRAPPED * lines + 3


def paragraph(ws: Worksheet, row: int, text: str, span: int, font: Font | None = None) -> int:
    """Text as lines in column A, over the empty cells of the first `span` columns.

    Each line is short enough not to pass the printed page. Returns the next free row.
    """
    room = sum(ws.column_dimensions[letter(c)].width or 8.43 for c in range(1, span + 1))
    size = font.sz if font is not None and font.sz else 11
    # CHARS is an average: a line of long words takes more room, so leave some to spare
    # rather than have the print area cut the line's last word.
    per_line = int(room * CHARS * 0.9 * 11 / size * (0.9 if font is not None and font.b else 1))
    for line in textwrap.wrap(text, per_line):
        cell = put(ws, row, 1, line)
        if font is not None:
            cell.font = font
            ws.row_dimensions[row].height = max(LINE, size * 1.4)
        row += 1
    return row


def row_points(ws: Worksheet, row: int) -> float:
    return ws.row_dimensions[row].height or LINE


class Pager:
    """Page breaks for a sheet laid out from the top.

    A block that would not fit on what is left of the page starts the next one. Use it on
    a sheet whose column widths are set.
    """

    def __init__(self, ws: Worksheet, repeated: float = 0.0) -> None:
        self.ws = ws
        self.page = PRINT_HEIGHT / scale(ws) - repeated
        self.used = 0.0

    def block(self, first: int, last: int, extra: float = 0.0) -> None:
        """Rows `first` to `last` (and `extra` points below them, e.g. a chart) together."""
        height = sum(row_points(self.ws, r) for r in range(first, last + 1)) + extra
        if self.used and self.used + height > self.page:
            self.ws.row_breaks.append(Break(id=first - 1))
            self.used = 0.0
        self.used += height
        while self.used > self.page:  # longer than a page: it runs on, header repeated
            self.used -= self.page


# The least a sheet is shrunk to keep a table on one page tall: 11 pt prints at 9 pt and
# the 10 pt footer at 8.
SMALLEST_SCALE = 0.8


def balanced_breaks(ws: Worksheet, first: int, pages_wide: int = 1,
                    repeated_columns: int = 0) -> None:
    """One page tall if the rows fit at a readable size, else rows shared out evenly.

    Left to itself a long table fills its pages and leaves a few rows alone on the last,
    a page nearly empty; shared out evenly, every page of it is at least half full. The
    rows above `first` print on the first page only, or repeat as titles: either way the
    room they take is kept on every page.
    """
    points = [column_points(ws, c) for c in range(1, ws.max_column + 1)]
    total = sum(points) + (pages_wide - 1) * sum(points[:repeated_columns])
    fit = min(1.0, pages_wide * PRINT_WIDTH / total) if total else 1.0
    above = sum(row_points(ws, r) for r in range(1, first))
    rows = range(first, ws.max_row + 1)
    heights = [row_points(ws, r) for r in rows]
    if PRINT_HEIGHT / (above + sum(heights)) >= SMALLEST_SCALE:  # one page tall, shrunk
        ws.page_setup.fitToHeight = 1
        return
    room = PRINT_HEIGHT / fit - above
    pages = math.ceil(sum(heights) / room) if room > 0 else 1
    if pages < 2:
        return
    target, used = sum(heights) / pages, 0.0
    for row, height in zip(rows, heights, strict=True):
        if used and used + height / 2 > target:
            ws.row_breaks.append(Break(id=row - 1))
            used = 0.0
        used += height


def setup_page(ws: Worksheet, title_rows: str | None = "1:1", pages_wide: int = 1) -> None:
    """A4 landscape, fitted to `pages_wide` pages across, header rows repeated, numbered."""
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is not None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    for side, inches in MARGIN.items():
        setattr(ws.page_margins, side, inches)
    if title_rows:
        ws.print_title_rows = title_rows
    footer = ws.oddFooter
    if footer is not None:
        footer.center.text = "&A: page &P of &N"
        footer.center.size = 11  # the page is scaled to fit (77% at least): 8.5 pt or more
    ws.print_area = f"A1:{letter(max(ws.max_column, 1))}{max(ws.max_row, 1)}"


