"""Input hygiene in batches: identical files read once, one case in two files, label typos.

Asserts on what the user sees (warnings, `summary.duplicates`, validate's errors and
exit codes), never on scores or grades, which follow the rubric.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.workbook.labels import one_edit_apart
from jtai_audit.workbook.limits import column_letter
from jtai_audit.workbook.reader import sha256_of

from ..conftest import case_rows, good_case, write_xlsx

runner = CliRunner()

# Planted in cells that must never reach a message: free text and an unknown column.
SECRET = "Marker Secretperson"


def workbook(rubric: LoadedRubric, path: Path, cases: list[tuple[str, str | None]],
             agency: str | None = None) -> Path:
    """Good cases given as (case_id, area), secrets in the text cells; an agency's return
    when `agency` is given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [good_case(rubric, case_id=case_id, area=area, case_notes=f"{SECRET} notes",
                      voice_method=f"{SECRET} play") for case_id, area in cases]
    header, values = case_rows(rubric, rows)
    extra = {"Child name": SECRET, **({"Agency": agency} if agency else {})}
    return write_xlsx(path, [*header, *extra], [[*row, *extra.values()] for row in values])


def score_json(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, ["score", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout), result.stderr


def validate_json(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, ["validate", *args, "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_the_same_workbook_saved_twice_in_a_folder_is_read_once(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    original = workbook(rubric, tmp_path / "audit" / "cases.xlsx",
                        [("T-001", "Hillcrest"), ("T-002", "Hillcrest"), ("T-003", "Eastfield")])
    copy = tmp_path / "audit" / "cases (copy).xlsx"
    shutil.copyfile(original, copy)

    code, doc, stderr = score_json(str(tmp_path / "audit"))
    assert code == 0
    assert doc["summary"]["cases"] == 3
    assert [i["path"] for i in doc["inputs"]] == [str(original)]
    assert doc["summary"]["duplicates"] == []
    warning = f"warning: {copy} is the same file as {original}: read once"
    assert stderr.count("same file") == 1 and warning in stderr.splitlines()

    code, report, stderr = validate_json(str(tmp_path / "audit"))
    assert code == 0 and report["errors"] == []
    assert report["cases"] == 3
    assert warning in stderr.splitlines()


def test_redacted_paths_stay_redacted_in_the_hygiene_warnings(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    first = workbook(rubric, tmp_path / "smith-family.xlsx", [("T-001", "Hillcrest")])
    copy = tmp_path / "smith-family copy.xlsx"
    shutil.copyfile(first, copy)
    second = workbook(rubric, tmp_path / "jones-family.xlsx",
                      [("T-001", "hillcrest"), ("T-009", "Hillcrest")])
    code, doc, stderr = score_json(str(first), str(copy), str(second), "--redact-paths")
    assert code == 0
    assert "family" not in stderr + json.dumps(doc)
    short = sha256_of(first)[:12], sha256_of(second)[:12]
    assert f"warning: {short[0]} is given twice (the same file): read once" in stderr
    assert doc["summary"]["duplicates"] == [
        {"area": "Hillcrest", "case_id": "T-001", "sources": list(short)}]


def test_one_case_in_two_files_is_warned_and_listed_by_score_and_an_error_in_validate(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    first = workbook(rubric, tmp_path / "north.xlsx",
                     [("T-001", "Hillcrest"), ("T-002", "Hillcrest"), ("T-003", "Eastfield")])
    second = workbook(rubric, tmp_path / "south.xlsx",
                      [("T-010", "Eastfield"), ("T-003", "Westbrook"), ("T-001", "hillcrest ")])

    code, doc, stderr = score_json(str(first), str(second))
    assert code == 0
    assert doc["summary"]["cases"] == 6  # both copies scored
    assert doc["summary"]["duplicates"] == [
        {"area": "Hillcrest", "case_id": "T-001", "sources": [str(first), str(second)]}]
    lines = [line for line in stderr.splitlines() if "is also in" in line]
    assert lines == [f"warning: {second}: Cases!A4: case_id T-001 (area 'Hillcrest') is also "
                     f"in {first} at Cases!A2: both scored"]

    code, report, _ = validate_json(str(first), str(second))
    assert code == 1
    errors = [e for e in report["errors"] if "is also in" in e["message"]]
    assert [(e["file"], e["cell"], e["column"]) for e in errors] == [
        (str(second), "Cases!A4", "case_id")]
    assert f"{first} at Cases!A2" in errors[0]["message"]
    assert "'Hillcrest'" in errors[0]["message"]

    # One file alone has nothing to clash with.
    code, report, _ = validate_json(str(second))
    assert not [e for e in report["errors"] if "is also in" in e["message"]]


def test_agency_returns_for_one_child_are_not_duplicates(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    # Returns are one child's case seen by several agencies: merged, never duplicates.
    police = workbook(rubric, tmp_path / "police.xlsx", [("T-001", "Hillcrest")], "Police")
    health = workbook(rubric, tmp_path / "health.xlsx", [("T-001", "Hillcrest")], "Health")
    result = runner.invoke(app, ["score", str(police), str(health), "--format", "json"])
    if result.exit_code == 0:
        assert json.loads(result.stdout)["summary"]["duplicates"] == []
    assert "is also in" not in result.stderr
    check = runner.invoke(app, ["validate", str(police), str(health), "--format", "json"])
    assert "is also in" not in check.stdout


def test_a_label_one_letter_off_is_warned_at_its_first_cell(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    first = workbook(rubric, tmp_path / "a.xlsx",
                     [(f"H-{n:03}", "Hillcrest") for n in range(1, 4)] + [("E-001", "Eastfield")])
    second = workbook(rubric, tmp_path / "b.xlsx",
                      [("H-010", "Hillcrest"), ("H-011", "Hilcrest"), ("H-012", "Hilcrest")])
    code, report, _ = validate_json(str(first), str(second))
    assert code == 0 and report["errors"] == []
    near = [w for w in report["warnings"] if "one letter from" in w["message"]]
    area = column_letter(list(rubric.model.fields).index("area"))
    assert near == [{"file": str(second), "sheet": "Cases", "cell": f"Cases!{area}3",
                     "column": "area",
                     "message": "area: 'Hilcrest' (2 rows) is one letter from 'Hillcrest' "
                                "(4 rows) — the same area?"}]
    text = runner.invoke(app, ["validate", str(first), str(second)])
    assert text.exit_code == 0
    assert f"{second}: Cases!{area}3 (area): warning: area: 'Hilcrest' (2 rows)" in text.stdout


def test_case_and_space_differences_are_merged_not_warned_as_typos(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    path = workbook(rubric, tmp_path / "a.xlsx",
                    [("H-001", "Hillcrest"), ("H-002", "hillcrest "), ("H-003", "HILLCREST"),
                     ("W-001", "West  Brook"), ("W-002", "West Brook"), ("T-001", "Team 1"),
                     ("T-002", "Team 2")])
    code, report, _ = validate_json(str(path))
    assert code == 0
    assert not [w for w in report["warnings"] if "one letter from" in w["message"]]
    merged = [w for w in report["warnings"] if "read as one" in w["message"]]
    assert len(merged) == 1
    assert merged[0]["message"] == ("area: 'Hillcrest', 'hillcrest ' and 'HILLCREST' are read "
                                    "as one area; 'West  Brook' and 'West Brook' are read as "
                                    "one area")
    area = column_letter(list(rubric.model.fields).index("area"))
    assert merged[0]["cell"] == f"Cases!{area}3"


@pytest.mark.parametrize(("a", "b", "near"), [
    ("hilcrest", "hillcrest", True), ("hillcrest", "hillcrets", False),
    ("hill crest", "hillcrest", True), ("eastfeld", "eastfield", True),
    ("team 1", "team 2", False), ("team a", "team b", False), ("ne", "nw", False),
    ("hillcrest", "hillcrest", False), ("eastfield", "westfield", False),
    ("westbrook", "westbrooke", True), ("eastfield", "eastfeild", False),
    ("ab cd", "abxcd", True), ("", "a", False),
])
def test_one_edit_apart(a: str, b: str, near: bool) -> None:
    assert one_edit_apart(a, b) is near and one_edit_apart(b, a) is near


def test_hygiene_messages_print_only_ids_labels_files_and_cells(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    first = workbook(rubric, tmp_path / "a.xlsx", [("T-001", "Hillcrest"), ("T-002", "Hilcrest")])
    copy = tmp_path / "a copy.xlsx"
    shutil.copyfile(first, copy)
    second = workbook(rubric, tmp_path / "b.xlsx", [("T-001", "hillcrest ")])
    paths = [str(first), str(copy), str(second)]
    score = runner.invoke(app, ["score", *paths, "--format", "json"])
    validate = runner.invoke(app, ["validate", *paths, "--format", "json"])
    for output in (score.stdout, score.stderr, validate.stdout, validate.stderr):
        assert "Marker" not in output and "Secretperson" not in output
    for entry in json.loads(score.stdout)["summary"]["duplicates"]:
        assert set(entry) == {"area", "case_id", "sources"}
    report = json.loads(validate.stdout)
    messages = [line for line in score.stderr.splitlines() + validate.stderr.splitlines()
                if "same file" in line or "is also in" in line]
    messages += [item["message"] for item in report["errors"] + report["warnings"]
                 if any(k in item["message"] for k in ("is also in", "one letter", "read as one"))]
    # The copy read once and T-001 in two files (score and validate each), Hilcrest, and
    # 'hillcrest ' read as Hillcrest.
    assert len(messages) == 6
    labels = {"Hillcrest", "Hilcrest", "hillcrest "}
    for message in messages:
        rest = message
        for path in paths:
            rest = rest.replace(path, "")
        assert set(re.findall(r"'([^']*)'", rest)) <= labels, message
        assert set(re.findall(r"[A-Z]-\d{3}", rest)) <= {"T-001"}, message
