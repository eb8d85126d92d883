from __future__ import annotations

import datetime as dt
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.workbook.reader import load_case_file

from ..conftest import good_case

runner = CliRunner()


def fill(template: Path, rows: list[dict[str, Any]], target: Path) -> Path:
    """Fill a template as an auditor would: values typed under the template's headers."""
    book = openpyxl.load_workbook(template)
    sheet = book["Cases"]
    header = [c.value for c in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for name, value in row.items():
            if value is not None:
                sheet.cell(row=number, column=header.index(name) + 1, value=value)
    book.save(target)
    return target


def make_template(tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["template", "--output", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


def test_template_has_headers_dropdowns_guidance_and_hidden_lists(
        tmp_path: Path, rubric: LoadedRubric) -> None:
    path = make_template(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cases", "Guidance", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    cases = book["Cases"]
    fields = rubric.model.fields
    assert [c.value for c in cases[1]] == list(fields)
    assert cases.freeze_panes == "B2"
    by_cell: dict[str, Any] = {}
    for validation in cases.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            by_cell[str(cell_range)] = validation
    letters = {name: cases.cell(row=1, column=i + 1).column_letter
               for i, name in enumerate(fields)}
    for name, spec in fields.items():
        body = by_cell[f"{letters[name]}2:{letters[name]}1000"]
        assert by_cell[f"{letters[name]}1"].prompt  # the header's input message
        if spec.type in ("answer", "yes_no", "choice"):
            assert body.type == "list" and body.formula1.startswith("=Lists!$")
        elif spec.type == "date":
            assert body.type == "date"
        elif spec.type == "integer":
            assert body.type == "whole"
            assert body.formula1 == str(spec.min if spec.min is not None else 0)
        elif spec.type == "list":
            assert "';'" in body.prompt
    guidance = book["Guidance"]
    text = "\n".join(str(c.value) for row in guidance.iter_rows() for c in row if c.value)
    assert "observation and play" in text
    for program in rubric.programs:
        assert f"{program.rule.id} — {program.rule.title}" in text
    assert "(2026)" in text


def test_template_refuses_a_non_xlsx_output(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "--output", str(tmp_path / "t.csv")])
    assert result.exit_code == 2 and ".xlsx" in result.stderr


def test_round_trip_template_filled_validated_and_scored(tmp_path: Path,
                                                          rubric: LoadedRubric) -> None:
    rows = [good_case(rubric, case_id=f"RT-{n:03}") for n in range(1, 4)]
    filled = fill(make_template(tmp_path), rows, tmp_path / "filled.xlsx")
    checked = runner.invoke(app, ["validate", str(filled), "--format", "json"])
    assert checked.exit_code == 0, checked.stdout
    assert '"errors": []' in checked.stdout
    scored = runner.invoke(app, ["score", str(filled), "--format", "json"])
    assert scored.exit_code == 0, scored.stderr
    assert scored.stdout.count('"case_id": "RT-') == 3
    assert "warning" not in scored.stderr


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice not installed")
def test_template_saved_by_libreoffice_loads_without_a_notice(tmp_path: Path,
                                                              rubric: LoadedRubric) -> None:
    rows = [good_case(rubric, case_id="LO-001"),
            good_case(rubric, case_id="LO-002", audit_date=dt.date(2025, 12, 1))]
    filled = fill(make_template(tmp_path), rows, tmp_path / "filled.xlsx")
    out = tmp_path / "out"
    subprocess.run(["libreoffice", "--headless", "--convert-to", "xlsx", "--outdir", str(out),
                    str(filled)], check=True, capture_output=True, timeout=180)
    loaded = load_case_file(out / "filled.xlsx", rubric.model.fields)
    assert loaded.notices == [] and loaded.unknown_columns == [] and loaded.missing_columns == []
    assert [c.case_id for c in loaded.cases] == ["LO-001", "LO-002"]
    assert loaded.cases[1].values["audit_date"] == dt.date(2025, 12, 1)
    result = runner.invoke(app, ["score", str(out / "filled.xlsx"), "--format", "json"])
    assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr
