from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.workbook.limits import column_letter

from ..conftest import EXAMPLE, case_rows, good_case

runner = CliRunner()


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["validate", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def test_ten_planted_errors_are_reported_each_at_its_cell_and_nothing_else(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    g = good_case
    cases = [
        g(rubric, case_id="V-01", child_seen="Yse"),
        g(rubric, case_id="V-02", audit_date="31/02/2025"),
        g(rubric, case_id="V-03", child_age_years=19),
        g(rubric, case_id="V-04", dash_score=30),
        g(rubric, case_id=None),
        g(rubric, case_id="V-01"),
        g(rubric, case_id="V-07", strategy_discussion_date=dt.date(2025, 3, 1)),
        g(rubric, case_id="V-08", school_notified_date=dt.date(2025, 12, 1)),
        g(rubric, case_id="V-09", escalation_raised="Yes"),
        g(rubric, case_id="V-10", legal_status="Child protectoin"),
    ]
    header, rows = case_rows(rubric, cases)
    path = make_xlsx(header, rows)
    code, doc = run_json(str(path))

    def cell(name: str, row: int) -> str:
        return f"Cases!{column_letter(header.index(name))}{row}"

    expected = {
        (cell("child_seen", 2), "child_seen"), (cell("audit_date", 3), "audit_date"),
        (cell("child_age_years", 4), "child_age_years"), (cell("dash_score", 5), "dash_score"),
        (cell("case_id", 6), "case_id"), (cell("case_id", 7), "case_id"),
        (cell("strategy_discussion_date", 8), "strategy_discussion_date"),
        (cell("school_notified_date", 9), "school_notified_date"),
        (cell("escalation_raised", 10), "escalation_raised"),
        (cell("legal_status", 11), "legal_status"),
    }
    assert code == 1
    assert {(e["cell"], e["column"]) for e in doc["errors"]} == expected
    assert len(doc["errors"]) == 10
    messages = {e["cell"]: e["message"] for e in doc["errors"]}
    assert "did you mean 'Yes'" in messages[cell("child_seen", 2)]
    assert "did you mean 'Child protection'" in messages[cell("legal_status", 11)]
    assert "does not exist" in messages[cell("audit_date", 3)]
    assert "first at Cases!A2" in messages[cell("case_id", 7)]
    for item in doc["errors"] + doc["warnings"]:
        assert set(item) == {"file", "sheet", "cell", "column", "message"}
        assert "Yse" not in item["message"] and "protectoin" not in item["message"]


def test_warnings_do_not_change_the_exit_code(rubric: LoadedRubric,
                                              make_xlsx: Callable[..., Path]) -> None:
    case = good_case(rubric, case_id="W-01", voice_police=None, dash_score=5, risk_tool="DARA",
                     child_seen="N/A")
    header, rows = case_rows(rubric, [case])
    index = header.index("child_seen_alone")
    header[index] = "Child seen alon"  # misspelt: unknown, and the real column is missing
    code, doc = run_json(str(make_xlsx(header, rows)))
    assert code == 0 and doc["errors"] == []
    found = {(w["column"], w["message"].split(":")[0].split(" (")[0]) for w in doc["warnings"]}
    assert ("voice_police", "unanswered") in found
    assert ("dash_score", "a DASH score but risk_tool is not DASH") in found
    assert any(c == "child_seen" and m.startswith("N/A") for c, m in found)
    unknown = [w for w in doc["warnings"] if w["message"].startswith("unknown column")]
    assert unknown and "did you mean 'child_seen_alone'" in unknown[0]["message"]
    assert unknown[0]["cell"] == f"Cases!{column_letter(index)}1"
    assert doc["completeness"]["voice_police"] == 0.0
    assert doc["completeness"]["child_seen"] == 100.0


def test_a_name_in_case_id_is_an_error_at_its_cell_never_echoed(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, case_id="Jane Smith"),
                                      good_case(rubric, case_id="N-02", child_seen="Yse")])
    result = runner.invoke(app, ["validate", str(make_xlsx(header, rows))])
    assert result.exit_code == 1
    assert "Cases!A2 (case_id): error: case_id looks like a person's name" in result.stdout
    assert f"Cases!{column_letter(header.index('child_seen'))}3 (child_seen): error" in result.stdout
    assert "Jane" not in result.stdout + result.stderr


def test_missing_case_id_column_names_the_header_row(rubric: LoadedRubric,
                                                     make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric)])
    index = header.index("case_id")
    del header[index]
    del rows[0][index]
    code, doc = run_json(str(make_xlsx(header, rows)))
    assert code == 1
    assert [(e["cell"], e["column"]) for e in doc["errors"]] == [("Cases!1:1", "case_id")]


def test_text_format_lines_completeness_and_count() -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(": warning: " in line for line in lines[:lines.index(
        next(x for x in lines if x.startswith("Completeness")))])
    assert lines[-1].startswith("0 error(s), ")
    assert any(re.fullmatch(r"Completeness: \d+ of \d+ columns answered in all 36 case\(s\); "
                            r"below 100%:", line) for line in lines)
    assert any(re.fullmatch(r"  voice_method +58\.3%  \(optional: may be blank\)", line)
               for line in lines)
    assert not any(line.strip().startswith("case_id") for line in lines)  # 100%: not listed
    assert not any(line.endswith("100.0%") for line in lines)


def test_completeness_lists_only_the_columns_below_100_percent(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, case_id=f"C-0{n}", auditor_grade="Good")
                                      for n in (1, 2)])
    whole = runner.invoke(app, ["validate", str(make_xlsx(header, rows, name="whole.xlsx"))])
    assert whole.exit_code == 0
    counted = [x for x in whole.stdout.splitlines() if x.startswith("Completeness")]
    assert counted == [f"Completeness: all {len(rubric.model.fields)} columns answered in all "
                       "2 case(s)"]
    rows[1][header.index("child_seen")] = None
    half = runner.invoke(app, ["validate", str(make_xlsx(header, rows, name="half.xlsx"))])
    lines = half.stdout.splitlines()
    start = lines.index(f"Completeness: {len(rubric.model.fields) - 1} of "
                        f"{len(rubric.model.fields)} columns answered in all 2 case(s); "
                        "below 100%:")
    assert lines[start + 1:-1] == ["  child_seen   50.0%"]


def test_unreadable_file_alone_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
