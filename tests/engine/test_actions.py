"""Last round's action plan, filled in by people, carried into the next round's report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from jtai_audit.cli import app

from ..conftest import EXAMPLE

runner = CliRunner()


def _last_round(tmp_path: Path) -> Path:
    report = tmp_path / "round-1.xlsx"
    result = runner.invoke(app, ["score", str(EXAMPLE), "--output", str(report)])
    assert result.exit_code == 0, result.stderr
    return report


def test_a_filled_action_plan_is_carried_with_rates_and_overdue(tmp_path: Path) -> None:
    report = _last_round(tmp_path)
    book = openpyxl.load_workbook(report)
    sheet = book["Action plan"]
    header = [c.value for c in sheet[1]]
    assert header == ["Rule", "Title", "Finding", "Rate (%)", "Cases judged", "Owner agency",
                      "Recommended action", "Owner", "Due date", "Status", "Notes"]
    rows = list(sheet.iter_rows(min_row=2))
    first, second, third = rows[0], rows[1], rows[2]
    rules = [first[0].value, second[0].value, third[0].value]
    first[7].value, first[8].value, first[9].value = "Head of service", dt.date(2025, 1, 31), "in progress"
    second[7].value, second[8].value, second[9].value = "Named nurse", "31/12/2030", "Done"
    third[8].value, third[9].value, third[10].value = "next spring", "Strated", "SECRET-NOTE"
    sheet.insert_rows(3)  # a blank row someone left in
    book.save(report)

    result = runner.invoke(app, ["score", str(EXAMPLE), "--actions", str(report),
                                 "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "Action plan!I5 (Due date): " in result.stderr and "did you mean 'Not started'" in result.stderr
    assert "SECRET-NOTE" not in result.stdout + result.stderr
    actions = {a["rule"]: a for a in json.loads(result.stdout)["actions"]}
    assert list(actions)[:3] == rules
    one = actions[rules[0]]
    assert set(one) == {"rule", "owner_agency", "owner", "due", "status", "overdue",
                        "rate_before", "rate_now"}
    assert one["status"] == "In progress" and one["overdue"] is True  # due before the audits
    assert one["owner"] == "Head of service" and one["due"] == "2025-01-31"
    assert isinstance(one["rate_before"], float) and one["rate_now"] == one["rate_before"]
    assert actions[rules[1]]["overdue"] is False and actions[rules[1]]["status"] == "Done"
    assert actions[rules[2]]["due"] is None and actions[rules[2]]["status"] == "Not started"

    markdown = runner.invoke(app, ["score", str(EXAMPLE), "--actions", str(report),
                                   "--format", "markdown"]).stdout
    plan = markdown.split("## Action plan")[1]
    assert "Head of service" in plan and "31/01/2025" in plan
    assert "Actions carried from the last round" in plan and "overdue" in plan
    new_report = tmp_path / "round-2.xlsx"
    runner.invoke(app, ["score", str(EXAMPLE), "--actions", str(report),
                        "--output", str(new_report)])
    carried = openpyxl.load_workbook(new_report)["Action plan"]
    owners = {r[0]: r[7] for r in carried.iter_rows(min_row=2, values_only=True)}
    assert owners[rules[0]] == "Head of service"  # open: carried into the new plan


def test_an_action_plan_without_its_sheet_is_one_clear_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(EXAMPLE), "--actions", str(EXAMPLE)])
    assert result.exit_code == 2
    assert "Action plan" in result.stderr and "Traceback" not in result.stderr


def test_a_status_typed_in_other_words_is_hinted_and_an_added_row_keeps_its_owner_agency(
        tmp_path: Path) -> None:
    report = _last_round(tmp_path)
    book = openpyxl.load_workbook(report)
    sheet = book["Action plan"]
    sheet["J2"] = "Completed"
    # A row someone added by hand, with no owner agency: the rule's owner is its agency,
    # in the carried-actions table as in the plan.
    sheet.append(["PERP-5", None, None, None, None, None, None, "Service manager", None,
                  "In progress", None])
    added = sheet.max_row
    book.save(report)
    result = runner.invoke(app, ["score", str(EXAMPLE), "--actions", str(report),
                                 "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    line = next(x for x in result.stderr.splitlines() if "Action plan!J2 (Status)" in x)
    assert "did you mean 'Done'?" in line and "Completed" not in line
    plan = result.stdout.split("## Action plan")[1]
    carried = plan.split("Actions carried from the last round")[1]
    row = next(x for x in carried.splitlines() if x.startswith("| PERP-5 |"))
    assert row.split(" | ")[1] == "Probation", row  # its first owner, never "-"
    assert added > 2
