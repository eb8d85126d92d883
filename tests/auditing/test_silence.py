"""`validate` and the rule for a silent record (DESIGN v2.3): one test per kind of warning.

A yes/no fact with no sign of it in the record is `No`, so `Not recorded` there is warned
about; a dependent question answered although its parent rules it out is warned about
with both cells named. After 20 warnings of one kind the rest are counted.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.workbook.limits import column_letter

from ..conftest import case_rows, good_case

runner = CliRunner()
FACT = "a fact with no sign of it in the record is No (v2.3)"

LOCAL_RUBRIC = """\
id: words-test
version: '1'
extends: jtai-domestic-abuse
fields:
  safety_plan_shared:
    type: answer
    answered_by: [Children's social care]
    description: Safety plan shared with partner agencies.
    na_allowed: "safety_plan != 'Yes'"
    na_means: There is no safety plan to share.
"""


def warnings(path: Path, *extra: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["validate", str(path), *extra, "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["warnings"]
    return found


def cell(header: list[str], name: str, row: int) -> str:
    return f"Cases!{column_letter(header.index(name))}{row}"


def test_not_recorded_in_a_yes_no_fact_is_warned_at_its_cell(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [
        good_case(rubric, case_id="S-01", child_send="Not recorded"),
        good_case(rubric, case_id="S-02", child_send="No", marac_referred="Not recorded")])
    found = [w for w in warnings(make_xlsx(header, rows)) if FACT in w["message"]]
    assert [(w["cell"], w["column"]) for w in found] == [
        (cell(header, "child_send", 2), "child_send"),
        (cell(header, "marac_referred", 3), "marac_referred")]
    text = runner.invoke(app, ["validate", str(make_xlsx(header, rows, name="t.xlsx"))]).stdout
    assert f"{cell(header, 'child_send', 2)} (child_send): warning: Not recorded in a yes/no " \
           "fact: a fact with no sign of it in the record is No (v2.3)" in text


def test_the_fact_warning_is_shown_20_times_then_counted(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, case_id=f"S-{n:02}",
                                                child_send="Not recorded") for n in range(25)])
    result = runner.invoke(app, ["validate", str(make_xlsx(header, rows))])
    lines = result.stdout.splitlines()
    assert sum(FACT in line for line in lines) == 20
    assert "warning: … and 5 more 'Not recorded in a yes/no fact'" in lines


# With no safety plan, the other questions about the plan are N/A, as the template asks.
NO_PLAN = {"safety_plan_shared": "N/A", "child_safety_plan": "N/A"}


def test_a_dependent_answered_against_its_parent_names_both_cells(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [
        good_case(rubric, case_id="D-01", safety_plan="No", safety_plan_breached="Yes",
                  **NO_PLAN),
        good_case(rubric, case_id="D-02", safety_plan_breached="No", breach_challenged="Yes"),
        good_case(rubric, case_id="D-03", safety_plan="No", safety_plan_breached="N/A",
                  breach_challenged="N/A", **NO_PLAN),  # what the parent calls for: nothing to say
        good_case(rubric, case_id="D-04", safety_plan="Not recorded",
                  safety_plan_breached="Yes"),  # a silent parent rules nothing out
    ])
    found = [w for w in warnings(make_xlsx(header, rows))
             if w["message"].startswith("answered although its parent rules it out")]
    assert [(w["cell"], w["column"]) for w in found] == [
        (cell(header, "safety_plan_breached", 2), "safety_plan_breached"),
        (cell(header, "breach_challenged", 3), "breach_challenged")]
    assert f"({cell(header, 'safety_plan', 2)} safety_plan)" in found[0]["message"]
    assert f"({cell(header, 'safety_plan_breached', 3)} safety_plan_breached)" \
        in found[1]["message"]
    assert "N/A expected where safety_plan != 'Yes'" in found[0]["message"]


def test_a_local_rubrics_dependent_is_warned_and_its_guidance_can_say_otherwise(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path], tmp_path: Path) -> None:
    """safety_plan No with safety_plan_shared Yes, in any rubric that declares the condition."""
    local = tmp_path / "words-test.yaml"
    local.write_text(LOCAL_RUBRIC, encoding="utf-8")
    header, rows = case_rows(rubric, [good_case(rubric, case_id="L-01", safety_plan="No",
                                                safety_plan_shared="Yes",
                                                safety_plan_breached="N/A")])
    path = make_xlsx(header, rows)
    found = [w for w in warnings(path, "--rubric", str(local))
             if w["column"] == "safety_plan_shared"]
    assert len(found) == 1
    assert found[0]["cell"] == cell(header, "safety_plan_shared", 2)
    assert cell(header, "safety_plan", 2) in found[0]["message"]
    (tmp_path / "words-test.guidance.yaml").write_text(
        "questions:\n  safety_plan_shared: {kind: practice}\n", encoding="utf-8")
    assert not [w for w in warnings(path, "--rubric", str(local))
                if w["column"] == "safety_plan_shared"]


def test_a_dependent_warning_is_shown_20_times_then_counted(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, case_id=f"D-{n:02}", safety_plan="No",
                                                safety_plan_breached="Yes", **NO_PLAN)
                                      for n in range(23)])
    lines = runner.invoke(app, ["validate", str(make_xlsx(header, rows))]).stdout.splitlines()
    assert sum("warning: answered although its parent rules it out" in line for line in lines) == 20
    assert "warning: … and 3 more 'answered although its parent rules it out'" in lines


def test_dates_out_of_order_are_warned_naming_both_cells(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, case_id="O-01",
                                                referral_decision_date=dt.date(2025, 3, 3))])
    found = [w for w in warnings(make_xlsx(header, rows))
             if "dates out of order" in w["message"]]
    assert [(w["cell"], w["column"]) for w in found] == [
        (cell(header, "referral_decision_date", 2), "referral_decision_date")]
    assert f"({cell(header, 'referral_date', 2)} referral_date)" in found[0]["message"]
