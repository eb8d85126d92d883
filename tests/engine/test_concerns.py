"""Cases of immediate concern: a critical rule failed or silent on a case still open."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.engine.columns import ColumnJudge
from jtai_audit.engine.judge import Engine
from jtai_audit.engine.summary import Summary
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.workbook.cases import build_case

from ..conftest import EXAMPLE, good_case

runner = CliRunner()


def _concerns(rubric: LoadedRubric, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    engine, summary = ColumnJudge(Engine(rubric)), Summary(rubric.model)
    for number, row in enumerate(cases, start=2):
        summary.add(engine.case(build_case(row, rubric.model.fields, source="t.xlsx",
                                               row=number)))
    return summary.concerns


def test_open_case_with_a_critical_failure_is_a_concern_and_a_safe_closure_is_not(
        rubric: LoadedRubric) -> None:
    found = _concerns(rubric, [
        good_case(rubric, case_id="C-1", recognised_as_victim="No"),
        good_case(rubric, case_id="C-2", child_seen="Not recorded",
                  child_seen_alone="Not recorded"),
        good_case(rubric, case_id="C-3", recognised_as_victim="No", stepped_down_or_closed="Yes",
                  risk_reduction_evidenced="Yes"),
        good_case(rubric, case_id="C-4", stepped_down_or_closed="Yes",
                  risk_reduction_evidenced="No"),
        good_case(rubric, case_id="C-5"),
        good_case(rubric, case_id="C-6", child_seen=None),  # blank: unknown, not a concern
    ])
    assert [(c["case_id"], c["rules"]) for c in found] == [
        ("C-1", ["VICTIM-1"]), ("C-2", ["VOICE-1"]), ("C-4", ["ESC-5"])]
    assert all(c["source"] == "t.xlsx" for c in found)


def test_concerns_lead_every_report_and_stderr() -> None:
    result = runner.invoke(app, ["score", str(EXAMPLE), "--format", "json"])
    concerns = json.loads(result.stdout)["summary"]["concerns"]
    assert concerns and {"case_id", "source", "rules"} == set(concerns[0])
    assert "case(s) of immediate concern" in result.stderr
    assert concerns[0]["case_id"] in result.stderr
    markdown = runner.invoke(app, ["score", str(EXAMPLE), "--format", "markdown"]).stdout
    first_section = markdown.split("\n## ")[1]
    assert first_section.startswith("Cases of immediate concern")
    assert all(c["case_id"] in first_section for c in concerns)
