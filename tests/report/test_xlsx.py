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
SHEETS = ["Summary", "Cases", "Rules", "Priority cases", "Action plan"]


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
