from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from jtai_audit.auditing.moderation import cohen_kappa
from jtai_audit.cli import app

from ..conftest import EXAMPLE

runner = CliRunner()
CHANGES = [(2, "child_seen", "No"), (3, "voice_recorded", "Partly"), (5, "marac_referred", "No"),
           (7, "legal_status", "Early help"), (9, "dash_score", 3)]


def test_kappa_matches_the_published_worked_example() -> None:
    # Wikipedia, "Cohen's kappa": 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    pairs = ([("Yes", "Yes")] * 20 + [("Yes", "No")] * 5 + [("No", "Yes")] * 10
             + [("No", "No")] * 15)
    kappa = cohen_kappa(pairs)
    assert kappa == pytest.approx(0.4)


def test_kappa_is_undefined_when_both_used_one_answer_only() -> None:
    assert cohen_kappa([("Yes", "Yes")] * 5) is None
    assert cohen_kappa([]) is None
    assert cohen_kappa([("Yes", "No"), ("No", "Yes")]) == pytest.approx(-1.0)


def second_auditor(tmp_path: Path, changes: list[tuple[int, str, Any]]) -> Path:
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Cases"]
    header = [c.value for c in sheet[1]]
    for row, column, value in changes:
        sheet.cell(row=row, column=header.index(column) + 1, value=value)
    path = tmp_path / "second.xlsx"
    book.save(path)
    return path


def test_five_changed_answers_are_exactly_the_five_disagreements(tmp_path: Path) -> None:
    second = second_auditor(tmp_path, CHANGES)
    result = runner.invoke(app, ["moderate", str(EXAMPLE), str(second), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {"answers", "outcomes", "grades", "agreement", "kappa"} <= set(doc)
    header = [c.value for c in openpyxl.load_workbook(EXAMPLE)["Cases"][1]]
    expected = set()
    for row, column, _ in CHANGES:
        cell = f"Cases!{openpyxl.utils.get_column_letter(header.index(column) + 1)}{row}"
        expected.add((column, cell, cell))
    got = {(a["column"], a["first_cell"], a["second_cell"]) for a in doc["answers"]}
    assert got == expected and len(doc["answers"]) == 5
    changed = {a["column"]: a for a in doc["answers"]}
    assert changed["child_seen"]["second"] == "No"
    assert changed["dash_score"]["second"] == "3"
    for column in ("child_seen", "voice_recorded", "marac_referred", "legal_status"):
        assert doc["agreement"][column] == pytest.approx(100 * 35 / 36, abs=0.1)
        assert doc["kappa"][column] is not None and doc["kappa"][column] < 1
    assert doc["agreement"]["referral_date"] == 100.0
    assert "case_notes" not in doc["agreement"] and "voice_method" not in doc["kappa"]
    assert all(set(o) == {"case_id", "rule", "first", "second"} for o in doc["outcomes"])
    assert all(set(g) == {"case_id", "first", "second"} for g in doc["grades"])
    assert {o["case_id"] for o in doc["outcomes"]} <= {a["case_id"] for a in doc["answers"]}


def test_identical_workbooks_agree_fully(tmp_path: Path) -> None:
    result = runner.invoke(app, ["moderate", str(EXAMPLE), str(EXAMPLE)])
    assert result.exit_code == 0
    assert "Overall agreement 100.0%" in result.stdout
    assert "Answer disagreements to settle (0):" in result.stdout
    assert "Agreement per question: 75 of 75 agree in every case\n" in result.stdout


def test_text_puts_the_disagreements_first_and_names_both_files(tmp_path: Path) -> None:
    first = tmp_path / "auditor-a.xlsx"
    first.write_bytes(EXAMPLE.read_bytes())
    second = second_auditor(tmp_path, CHANGES)
    result = runner.invoke(app, ["moderate", str(first), str(second)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:3] == [f"  first auditor:  {first}", f"  second auditor: {second}"]
    settle = lines.index("Answer disagreements to settle (5):")
    assert lines[settle + 1].split() == ["case_id", "column", "first:", "auditor-a.xlsx",
                                         "second:", "second.xlsx"]
    child_seen = next(line for line in lines[settle + 2:] if " child_seen " in line)
    assert child_seen.split()[2:] == ["Cases!X2", "Yes", "Cases!X2", "No"]
    table = next(i for i, line in enumerate(lines) if line.startswith("Agreement per question"))
    grades = next(i for i, line in enumerate(lines) if line.startswith("Grade disagreements"))
    assert settle < grades < table
    assert lines[table].endswith("agree in every case; the others, worst first:")
    end = lines.index("", table)
    questions = [line.split()[0] for line in lines[table + 2:end]]
    assert sorted(questions) == sorted(column for _, column, _ in CHANGES)
    assert max(len(line) for line in lines[3:]) <= 80


def test_kappa_is_sorted_worst_first_and_low_questions_are_named_in_words(
        tmp_path: Path) -> None:
    """Questions below kappa 0.6 are named: auditors read them differently."""
    # child_seen disagrees on 14 of 36 cases (kappa below 0.6), voice_recorded on one.
    header = [c.value for c in openpyxl.load_workbook(EXAMPLE)["Cases"][1]]
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Cases"]
    column = header.index("child_seen") + 1
    flips = {"Yes": "No", "No": "Yes", "Partly": "No", "Not recorded": "Yes"}
    for row in range(2, 16):
        cell = sheet.cell(row=row, column=column)
        cell.value = flips.get(str(cell.value), "Yes")
    sheet.cell(row=3, column=header.index("voice_recorded") + 1, value="Partly")
    second = tmp_path / "second.xlsx"
    book.save(second)
    doc = json.loads(runner.invoke(app, ["moderate", str(EXAMPLE), str(second),
                                         "--format", "json"]).stdout)
    kappas = [k for k in doc["kappa"].values()]
    defined = [k for k in kappas if k is not None]
    assert defined == sorted(defined) and kappas[:len(defined)] == defined  # worst first
    assert doc["kappa"]["child_seen"] < 0.6 <= doc["kappa"]["voice_recorded"]
    assert doc["kappa_below"] == {"threshold": 0.6, "questions": ["child_seen"]}
    lines = runner.invoke(app, ["moderate", str(EXAMPLE), str(second)]).stdout.splitlines()
    table = next(i for i, line in enumerate(lines) if line.startswith("Agreement per question"))
    assert lines[table + 2].split()[0] == "child_seen"  # the worst first
    low = lines.index("Questions with kappa below 0.6 (1):")
    assert lines[low + 1:low + 3] == [
        f"  child_seen (kappa {doc['kappa']['child_seen']:.2f}):",
        "    auditors read this question differently: see its guidance"]
    same = runner.invoke(app, ["moderate", str(EXAMPLE), str(EXAMPLE)]).stdout
    assert "Questions with kappa below 0.6 (0): none" in same


def test_dates_disagree_as_intervals_and_unmatched_cases_warn(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Cases"]
    header = [c.value for c in sheet[1]]
    column = header.index("referral_date") + 1
    original = sheet.cell(row=2, column=column).value
    import datetime as dt

    sheet.cell(row=2, column=column, value=original + dt.timedelta(days=3))
    sheet.delete_rows(37)
    path = tmp_path / "second.xlsx"
    book.save(path)
    result = runner.invoke(app, ["moderate", str(EXAMPLE), str(path), "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    dates = [a for a in doc["answers"] if a["column"] == "referral_date"]
    assert dates[0]["first"] == "a date" and dates[0]["second"] == "3 day(s) later"
    assert str(original.year) not in result.stdout
    assert "only in" in result.stderr
