from __future__ import annotations

import datetime as dt
import json
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
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
    # A profile of its own, so a LibreOffice already open elsewhere cannot swallow the job.
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(["libreoffice", profile, "--headless", "--convert-to", "xlsx", "--outdir",
                    str(out), str(filled)], check=True, capture_output=True, timeout=180)
    loaded = load_case_file(out / "filled.xlsx", rubric.model.fields)
    assert loaded.notices == [] and loaded.unknown_columns == [] and loaded.missing_columns == []
    assert [c.case_id for c in loaded.cases] == ["LO-001", "LO-002"]
    assert loaded.cases[1].values["audit_date"] == dt.date(2025, 12, 1)
    result = runner.invoke(app, ["score", str(out / "filled.xlsx"), "--format", "json"])
    assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr


def police_columns(rubric: LoadedRubric) -> list[str]:
    fields = rubric.model.fields
    return [n for n, s in fields.items() if "Police" in s.answered_by and s.type != "id"]


def ids_file(tmp_path: Path, lines: list[str], name: str = "ids.txt") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def agency_template(tmp_path: Path, *args: str, name: str = "police.xlsx") -> Path:
    path = tmp_path / name
    result = runner.invoke(app, ["template", *args, "--output", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


def validations(sheet: Any) -> dict[str, Any]:
    return {str(r): v for v in sheet.data_validations.dataValidation for r in v.sqref.ranges}


def test_agency_template_holds_only_its_columns_with_the_keys_locked(
        tmp_path: Path, rubric: LoadedRubric) -> None:
    ids = ids_file(tmp_path, ["case_id", "NM-001", "", "NM-002", "NM-003"])
    path = agency_template(tmp_path, "--agency", "Police", "--cases", str(ids))
    book = openpyxl.load_workbook(path)
    cases = book["Cases"]
    header = [c.value for c in cases[1]]
    assert header == ["case_id", "agency", *police_columns(rubric)]
    rows = [[c.value for c in row] for row in cases.iter_rows(min_row=2)]
    assert [r[:2] for r in rows] == [["NM-001", "Police"], ["NM-002", "Police"],
                                     ["NM-003", "Police"]]
    assert all(v is None for r in rows for v in r[2:])
    # Protected without a password: the keys locked, every other cell open to fill in.
    assert cases.protection.sheet and not cases.protection.password
    for row in range(2, 5):
        assert cases.cell(row=row, column=1).protection.locked
        assert cases.cell(row=row, column=2).protection.locked
    letters = {name: cases.cell(row=1, column=i + 1).column_letter
               for i, name in enumerate(header)}
    for name in police_columns(rubric):
        assert cases.column_dimensions[letters[name]].protection.locked is False
    by_cell = validations(cases)
    for name in police_columns(rubric):
        body = by_cell[f"{letters[name]}2:{letters[name]}1000"]
        if rubric.model.fields[name].type in ("answer", "yes_no", "choice"):
            assert body.type == "list" and body.formula1.startswith("=Lists!$")
    agency_list = by_cell[f"{letters['agency']}2:{letters['agency']}1000"]
    assert agency_list.type == "list" and agency_list.errorStyle == "stop"
    letter = agency_list.formula1.split("$")[1]  # =Lists!$F$2:$F$2
    assert [c.value for c in book["Lists"][letter] if c.value] == ["agency", "Police"]


def test_agency_guidance_lists_only_its_questions(tmp_path: Path, rubric: LoadedRubric) -> None:
    path = agency_template(tmp_path, "--agency", "police")
    guidance = openpyxl.load_workbook(path)["Guidance"]
    first = [c.value for c in guidance["A"] if c.value]
    top = first.index("Column")
    assert first[top + 1:] == ["case_id", *police_columns(rubric)]
    text = "\n".join(str(c.value) for row in guidance.iter_rows() for c in row if c.value)
    assert "Police return" in text
    assert "voice_recorded" not in text  # the voice note is about CSC's columns
    assert "VOICE-3 — " in text and "ENQ-1 — " not in text  # Police's rules, not Health's


def test_agency_matched_like_the_vocabulary(tmp_path: Path, rubric: LoadedRubric) -> None:
    ids = ids_file(tmp_path, ["NM-001"])
    path = agency_template(tmp_path, "--agency", "  children\u2019s SOCIAL care ", "--cases",
                           str(ids), name="csc.xlsx")
    cases = openpyxl.load_workbook(path)["Cases"]
    assert cases["B1"].value == "agency" and cases["B2"].value == "Children's social care"
    header = [c.value for c in cases[1]]
    lead = [n for n, s in rubric.model.fields.items() if "Children's social care" in s.answered_by]
    assert sorted(header) == sorted([*lead, "agency"])


def test_unknown_agency_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["template", "--agency", "Polise", "--output", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert len(result.stderr.strip().splitlines()) == 1
    assert "did you mean 'Police'?" in result.stderr
    # A rubric that never says who answers what has nothing for one agency's return.
    minimal = str(Path(__file__).resolve().parents[1] / "rubrics" / "minimal.yaml")
    result = runner.invoke(app, ["template", "--rubric", minimal, "--agency", "Health",
                                 "--output", str(out)])
    assert result.exit_code == 2 and "no column of this rubric is answered by Health" in \
        result.stderr


def test_cases_from_a_case_list_copy_its_rubric_columns(tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text("Case ID,Local authority,Legal status,Team\n"
                      "NM-001,Northmoor,child protection,A\nNM-002,Eastbridge,Child in need,B\n",
                      encoding="utf-8")
    full = agency_template(tmp_path, "--cases", str(listed), name="full.xlsx")
    cases = openpyxl.load_workbook(full)["Cases"]
    header = [c.value for c in cases[1]]
    assert "agency" not in header and not cases.protection.sheet
    rows = [dict(zip(header, (c.value for c in row), strict=True))
            for row in cases.iter_rows(min_row=2)]
    assert [(r["case_id"], r["area"], r["legal_status"]) for r in rows] == [
        ("NM-001", "Northmoor", "Child protection"), ("NM-002", "Eastbridge", "Child in need")]
    police = agency_template(tmp_path, "--cases", str(listed), "--agency", "Police")
    rows_police = list(openpyxl.load_workbook(police)["Cases"].iter_rows(min_row=2,
                                                                          values_only=True))
    assert [r[:2] for r in rows_police] == [("NM-001", "Police"), ("NM-002", "Police")]
    assert all(v is None for r in rows_police for v in r[2:])  # area is not a Police column


@pytest.mark.parametrize(("name", "lines", "where"), [
    ("ids.txt", ["NM-001", "Jane Smith"], "line 2"),
    ("ids.txt", ["NM-001", "943 476 5919"], "line 2"),
    ("ids.csv", ["case_id", "NM-001", "Jane Smith"], "ids.csv!A3"),
])
def test_identifying_ids_in_the_sample_are_refused(tmp_path: Path, name: str, lines: list[str],
                                                    where: str) -> None:
    ids = ids_file(tmp_path, lines, name)
    out = tmp_path / "t.xlsx"
    result = runner.invoke(app, ["template", "--cases", str(ids), "--output", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert where in result.stderr
    assert "Jane" not in result.stderr + result.stdout
    assert "5919" not in result.stderr.replace(str(ids), "") + result.stdout


def test_duplicate_and_multi_value_lines_are_refused(tmp_path: Path) -> None:
    for lines, message in ((["NM-001", "NM-001"], "line 2: duplicate case_id (first at line 1)"),
                           (["NM-001", "NM-002,Northmoor"], "line 2: more than one value")):
        ids = ids_file(tmp_path, lines)
        result = runner.invoke(app, ["template", "--cases", str(ids), "--output",
                                     str(tmp_path / "t.xlsx")])
        assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_filled_agency_template_validates_without_unknown_columns(
        tmp_path: Path, rubric: LoadedRubric) -> None:
    ids = ids_file(tmp_path, ["RT-001", "RT-002"])
    template = agency_template(tmp_path, "--agency", "Police", "--cases", str(ids))
    answers = {name: value for name, value in good_case(rubric).items()
               if name in police_columns(rubric)}
    filled = fill(template, [answers, answers], tmp_path / "police-filled.xlsx")
    checked = runner.invoke(app, ["validate", str(filled), "--format", "json"])
    assert checked.exit_code in (0, 1), checked.stderr
    report = json.loads(checked.stdout)
    problems = report["errors"] + report["warnings"]
    assert not [p for p in problems if "unknown column" in p["message"]], problems
    assert not [p for p in report["errors"] if p["column"] in police_columns(rubric)]


def test_a_copied_value_the_drop_down_refuses_is_named_at_its_cell(tmp_path: Path) -> None:
    listed = tmp_path / "list.csv"
    listed.write_text("Case ID,Local authority,Legal status\n"
                      "NM-001,Northmoor,Child protection plan\nNM-002,Eastbridge,Child in need\n",
                      encoding="utf-8")
    out = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["template", "--cases", str(listed), "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    header = [c.value for c in openpyxl.load_workbook(out)["Cases"][1]]
    cell = f"Cases!{get_column_letter(header.index('legal_status') + 1)}2"
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warned) == 1, result.stderr
    assert f"{cell} (legal_status)" in warned[0] and "drop-down refuses it" in warned[0]
    assert "did you mean 'Child protection'" in warned[0]
    assert "Child protection plan" not in warned[0]  # the cell is named, never quoted
