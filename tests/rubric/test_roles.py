"""Core columns are found by their role, so a local rubric that renames them loses nothing."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.rubric.loader import load_rubric

from ..conftest import ROOT, case_rows, good_case, write_xlsx

runner = CliRunner()
RENAMES = {"audit_date": "date_of_audit", "risk_level": "risk_grade"}


def _renamed_rubric(tmp_path: Path) -> Path:
    text = (ROOT / "rubrics" / "jtai-domestic-abuse.yaml").read_text(encoding="utf-8")
    for old, new in RENAMES.items():
        # Every use of the column, but not the role it plays: that is what stays the same.
        text = re.sub(rf"(?<!role: )\b{old}\b", new, text)
    text = text.replace("id: jtai-domestic-abuse\n", "id: renamed-columns\n", 1)
    path = tmp_path / "renamed.yaml"
    path.write_text(text.replace("$schema=rubric.schema.json", ""), encoding="utf-8")
    return path


def test_a_rubric_that_renames_audit_date_and_risk_level_keeps_its_checks(tmp_path: Path) -> None:
    rubric_path = _renamed_rubric(tmp_path)
    rubric = load_rubric(rubric_path)
    assert rubric.model.field_with("audit_date") == "date_of_audit"
    assert rubric.model.field_with("risk_level") == "risk_grade"
    default = load_rubric(None)
    row = good_case(default, audit_date=dt.date(2025, 3, 1), referral_date=dt.date(2025, 3, 10),
                    risk_level="Medium", dash_score=16)
    header, rows = case_rows(default, [row])
    header = [RENAMES.get(h, h) for h in header]
    workbook = write_xlsx(tmp_path / "cases.xlsx", header, rows)

    checked = runner.invoke(app, ["validate", str(workbook), "--rubric", str(rubric_path),
                                  "--format", "json"])
    problems = json.loads(checked.stdout)
    errors = {(p["column"], p["message"]) for p in problems["errors"]}
    warnings = {(p["column"], p["message"]) for p in problems["warnings"]}
    assert ("referral_date", "a date after the date_of_audit") in errors
    assert ("risk_grade", "DASH score at or above 14 but risk_grade is not High: check") \
        in warnings

    scored = runner.invoke(app, ["score", str(workbook), "--rubric", str(rubric_path),
                                 "--format", "json"])
    summary = json.loads(scored.stdout)["summary"]
    assert summary["legal_status"]["Child protection"]["cases"] == 1
    assert summary["age_bands"]["5-7"]["cases"] == 1


def test_two_columns_cannot_play_one_role(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "rubrics" / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("child_age_years: {type: integer,",
                        "child_age_years: {type: integer, role: age,")
    text = text.replace("case_notes: {type: text,", "case_notes: {type: integer, role: age,")
    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["rubric", "check", str(path)])
    assert result.exit_code == 1
    assert "role 'age' is already child_age_years's: a role names one column" in result.stdout
