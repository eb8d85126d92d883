"""Every bad file a partnership may send: one clear line, the contract's exit code, no
traceback, no output file left behind, and the input unchanged."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.workbook.limits import column_letter

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "bad_input"
runner = CliRunner()


def _small_workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Cases"
    sheet.append(["case_id", "child_seen"])
    sheet.append(["X-1", "Yes"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_sheet(xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(_small_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, data)
    return out.getvalue()


def _sheet_xml(rows: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxml'
            'formats.org/spreadsheetml/2006/main"><sheetData>' + rows
            + "</sheetData></worksheet>").encode()


def _generated(name: str, tmp: Path) -> Path:
    path = tmp / name
    if name == "zip-bomb.xlsx":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", b"<workbook/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 200_000_000)
    elif name == "big-cell.xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "Cases"
        sheet.append(["case_id", "case_notes"])
        sheet.append(["X-1", "x" * 50_000_000])
        book.save(path)
    elif name == "wide.xlsx":
        cells = "".join(f'<c r="{column_letter(i)}1" t="inlineStr"><is><t>c{i}</t></is></c>'
                        for i in range(20_000))
        path.write_bytes(_replace_sheet(_sheet_xml(f'<row r="1">{cells}</row>')))
    elif name == "formatted-empty-rows.xlsx":
        rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t>case_id</t></is></c>'
                '<c r="B1" t="inlineStr"><is><t>child_seen</t></is></c></row>'
                '<row r="2"><c r="A2" t="inlineStr"><is><t>X-1</t></is></c>'
                '<c r="B2" t="inlineStr"><is><t>Yes</t></is></c></row>'
                + "".join(f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>'
                          for n in range(3, 1_048_577)))
        path.write_bytes(_replace_sheet(_sheet_xml(rows)))
    return path


CASES = [
    ("empty.xlsx", 2, "empty file: no header row"),
    ("text-named.xlsx", 2, "not a readable .xlsx workbook (damaged or not a zip file)"),
    ("truncated.xlsx", 2, "not a readable .xlsx workbook (damaged or not a zip file)"),
    ("encrypted.xlsx", 2, "the workbook is encrypted: remove the password and save it again"),
    ("old.xls", 2, ".xls workbooks are not read: save it as .xlsx or .csv"),
    ("sheet.ods", 2, ".ods workbooks are not read: save it as .xlsx or .csv"),
    ("entity-bomb.xlsx", 2, "xl/sharedStrings.xml declares XML entities: refused"),
    ("undecodable.csv", 2, "not readable text (UTF-8 or Windows-1252 expected)"),
    ("header-only.csv", 2, "no cases below the header row of header-only.csv"),
    ("zip-bomb.xlsx", 2, "compressed more than 120:1: refused (zip bomb?)"),
    ("big-cell.xlsx", 2, "Cases!B2: cell longer than 30,000 characters"),
    ("wide.xlsx", 2, "20,000 columns: more than the 1,000 allowed"),
]


@pytest.mark.parametrize(("name", "code", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_gives_one_line_and_exit_code(name: str, code: int, message: str,
                                               tmp_path: Path) -> None:
    path = BAD / name if (BAD / name).exists() else _generated(name, tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    output = tmp_path / "report.json"
    result = runner.invoke(app, ["score", str(path), "--output", str(output)])
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not output.exists()
    assert not list(tmp_path.glob(".report.json.*"))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_million_formatted_empty_rows_score_the_real_rows(tmp_path: Path) -> None:
    path = _generated("formatted-empty-rows.xlsx", tmp_path)
    result = runner.invoke(app, ["score", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count('"type": "case"') == 1


def test_in_a_batch_a_bad_file_is_reported_and_the_rest_scored(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "broken.xlsx").write_text("not a workbook")
    (folder / "~$lock.xlsx").write_text("lock file")
    (folder / ".hidden.csv").write_text("hidden")
    (folder / "good.xlsx").write_bytes((ROOT / "examples" / "cases.xlsx").read_bytes())
    result = runner.invoke(app, ["score", str(folder), "--format", "json"])
    assert result.exit_code == 1
    assert "broken.xlsx" in result.stderr and "lock" not in result.stderr
    assert '"cases": 36' in result.stdout


def test_output_equal_to_an_input_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes((ROOT / "examples" / "cases.xlsx").read_bytes())
    before = path.read_bytes()
    result = runner.invoke(app, ["score", str(path), "--output", str(path)])
    assert result.exit_code == 2
    assert "is one of the input files" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["alias_bomb.yaml", "deep_expression.yaml"])
def test_hostile_rubric_is_refused_before_reading_cases(name: str) -> None:
    rubric = ROOT / "tests" / "rubrics" / "broken" / name
    result = runner.invoke(app, ["score", str(ROOT / "examples" / "cases.xlsx"),
                                 "--rubric", str(rubric)])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
