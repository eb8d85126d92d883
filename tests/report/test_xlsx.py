from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.report import formatter

from ..conftest import EXAMPLE
from ..golden.fixture import NOTES, meeting_data
from ..golden.helpers import private_texts

runner = CliRunner()
SHEETS = ["Summary", "Cases", "Rules", "Priority cases", "Action plan", "Rules in words"]


def _book(payload: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(payload))


def _all_cells(book: openpyxl.Workbook) -> list[object]:
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row]


def test_sheets_charts_formats_and_validation() -> None:
    book = _book(formatter("xlsx")(meeting_data()))
    assert book.sheetnames == SHEETS
    assert len(book["Summary"]._charts) == 2
    assert book["Cases"].conditional_formatting
    assert book["Rules"].conditional_formatting
    for name in ("Cases", "Rules", "Priority cases", "Action plan"):
        assert book[name].freeze_panes is not None
    plan = book["Action plan"]
    headers = [c.value for c in plan[1]]
    assert headers[-4:] == ["Owner", "Due date", "Status", "Notes"]
    lists = [dv for dv in plan.data_validations.dataValidation if dv.type == "list"]
    assert lists and lists[0].formula1 == '"Not started,In progress,Done,Dropped"'
    assert "J2" in str(lists[0].sqref)
    assert [c.value for c in book["Rules"]["A"][1:]] == ["V-2", "P-1", "V-1"]


def test_formula_in_area_is_inert_text_everywhere() -> None:
    book = _book(formatter("xlsx")(meeting_data()))
    cells = _all_cells(book)
    assert not [c for c in cells if getattr(c, "data_type", None) == "f"]
    hostile = [c for c in cells if isinstance(getattr(c, "value", None), str)
               and c.value.startswith("=HYPERLINK")]  # type: ignore[attr-defined]
    assert hostile and all(c.data_type == "s" for c in hostile)  # type: ignore[attr-defined]
    cases = book["Cases"]
    assert [c.value for c in cases[3]][:3] == ["Source", "Case", "Area"]


def test_no_text_fields_and_provenance_present() -> None:
    data = meeting_data()
    book = _book(formatter("xlsx")(data))
    values = [str(getattr(c, "value", "")) for c in _all_cells(book)]
    assert not [v for v in values if "SECRET-NOTE" in v or NOTES in v]
    assert data.rubric.sha256 in values and "ab" * 32 in values
    assert "2026-01-15T10:30:00+00:00" in values


def test_output_is_deterministic() -> None:
    first = formatter("xlsx")(meeting_data())
    second = formatter("xlsx")(meeting_data())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 15, 10, 30, 0)}
    props = _book(first).properties
    assert props.created is not None and props.created.year == 2026
    assert props.modified == props.created


def test_cli_writes_xlsx_for_the_example(tmp_path: Path) -> None:
    out = tmp_path / "meeting.xlsx"
    result = runner.invoke(app, ["score", str(EXAMPLE.parent), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    cases = book["Cases"]
    assert cases.max_row == 3 + 36
    values = {str(c.value) for c in _all_cells(book)}
    assert not [v for v in values for s in private_texts(EXAMPLE) if s in v]


def test_every_sheet_prints_on_a4_fitted_to_width_at_a_readable_size() -> None:
    from jtai_audit.report.xlsxkit import scale

    book = _book(formatter("xlsx")(meeting_data()))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # Long sheets run on; a sheet is one page tall only if its rows fit at 9 pt or more.
        assert setup.fitToHeight in (0, 1), sheet.title
        assert sheet.print_area, sheet.title
        if sheet.title != "Cases":  # the Cases sheet spreads over pages across, by design
            assert setup.fitToWidth == 1
            assert 11 * scale(sheet) >= 8.5, f"{sheet.title} prints at {11 * scale(sheet):.1f} pt"
    assert book["Cases"].page_setup.fitToHeight == 1  # the example's 36 rows fit at 9 pt
    assert book["Summary"].page_setup.fitToHeight == 0  # laid out by hand, page by page
    for name in ("Rules", "Priority cases", "Action plan", "Rules in words"):
        assert book[name].print_title_rows == "$1:$1"
    assert book["Cases"].print_title_rows == "$3:$3"


def test_a_long_cases_sheet_shares_its_rows_evenly_between_pages() -> None:
    """No page of a strip left with a few rows alone: rows are shared out evenly."""
    from openpyxl import Workbook

    from jtai_audit.report.xlsxkit import LINE, PRINT_HEIGHT, balanced_breaks

    sheet = Workbook().active
    for row in range(1, 104):
        sheet.cell(row=row, column=1, value=row)
    balanced_breaks(sheet, 4)
    assert sheet.page_setup.fitToHeight != 1  # too long to shrink onto one page
    breaks = [b.id for b in sheet.row_breaks.brk]
    per_page = PRINT_HEIGHT // LINE - 3
    assert len(breaks) == -(-100 // per_page) - 1
    sizes = [b - a for a, b in zip([3, *breaks], [*breaks, 103], strict=True)]
    assert max(sizes) - min(sizes) <= 1


def test_long_text_wraps_and_rows_grow_so_nothing_is_cut() -> None:
    book = _book(formatter("xlsx")(meeting_data()))
    plan = book["Action plan"]
    for row in plan.iter_rows(min_row=2, max_row=plan.max_row):
        action = row[6]
        if isinstance(action.value, str) and len(action.value) > 60:
            assert action.alignment.wrap_text
            assert plan.row_dimensions[action.row].height > 15
    cases = book["Cases"]
    key = [c for c in cases[1] if c.value in ("Requires improvement", "Inadequate")]
    for cell in key:  # the colour key's words fit their columns
        assert cases.column_dimensions[cell.column_letter].width >= len(str(cell.value))


def test_summary_numbers_are_numbers_and_provenance_comes_last() -> None:
    book = _book(formatter("xlsx")(meeting_data()))
    summary = book["Summary"]
    values = {row[0].value: row[1].value for row in summary.iter_rows(max_col=2)}
    assert isinstance(values["Cases audited"], int)
    labels = [row[0].value for row in summary.iter_rows(max_col=1) if row[0].value]
    assert labels.index("Provenance") > labels.index("Measure")
    assert labels.index("Input file") > labels.index("Theme")
