"""The chasing list: one status for each expected return, and unreadable files attributed.

`returned`, `missing`, `unreadable` (a file holding that agency's return could not be read:
its file and the one-line reason), `not_involved` and `lead_missing` (no lead-agency return:
the child cannot be scored), in the text, the csv and the json of `merge`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from .helpers import LEAD, RETURNS, copy_returns, invoke, run_json

EDUCATION_CASES = 21


def _two_case_sheets(path: Path) -> None:
    """Saved with its sheet renamed and a second sheet that also has a case_id header."""
    book = openpyxl.load_workbook(path)
    book["Cases"].title = "Return"
    other = book.create_sheet("Copy")
    other.append(["case_id", "agency"])
    book.save(path)


def test_an_unreadable_return_is_listed_as_unreadable_with_its_file(tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns", RETURNS)
    education = folder / "education.xlsx"
    _, before, _ = run_json("merge", folder)
    expected = [r["case_id"] for r in before["returns"] if r["agency"] == "Education"]
    _two_case_sheets(education)
    code, merged, _ = run_json("merge", folder)
    assert code == 1
    mine = [r for r in merged["returns"] if r["agency"] == "Education"]
    assert [r["case_id"] for r in mine] == expected
    assert {r["status"] for r in mine} == {"unreadable"}
    assert {r["source"] for r in mine} == {str(education)}
    assert all("case_id header" in r["reason"] for r in mine)
    assert "Education" not in merged["missing"]
    assert merged["unreadable"][0]["agency"] == "Education"
    text = invoke("merge", folder).stdout
    chasing = text[text.index("Chasing list"):]
    assert f"Education ({len(expected)}) unreadable" in chasing
    assert f"file {education}: " in chasing
    assert "Education (" not in chasing.replace(f"Education ({len(expected)}) unreadable", "")
    rows = list(csv.reader(io.StringIO(invoke("merge", folder, "--format", "csv").stdout)))
    unread = [r for r in rows[1:] if r[0] == "Education" and r[2] == "unreadable"]
    assert len(unread) == len(expected) and all(r[3] == str(education) and r[4] for r in unread)


def test_a_return_whose_id_header_is_case_ref_is_unreadable_not_missing(
        tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns", RETURNS)
    health = folder / "health.xlsx"
    book = openpyxl.load_workbook(health)
    book["Cases"]["A1"] = "Case Ref"
    book.save(health)
    _, merged, _ = run_json("merge", folder)
    statuses = {r["status"] for r in merged["returns"] if r["agency"] == "Health"}
    assert statuses == {"unreadable"}
    assert "Health" not in merged["missing"]


def test_an_unreadable_file_is_attributed_by_its_name_else_listed_as_not_read(
        tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns", RETURNS)
    (folder / "probation.xlsx").write_bytes(b"not a workbook at all")
    (folder / "scan-0001.xlsx").write_bytes(b"not a workbook either")
    _, merged, _ = run_json("merge", folder)
    assert {r["status"] for r in merged["returns"] if r["agency"] == "Probation"} == \
        {"unreadable"}
    assert {u["file"]: u["agency"] for u in merged["unreadable"]} == {
        str(folder / "probation.xlsx"): "Probation", str(folder / "scan-0001.xlsx"): None}
    text = invoke("merge", folder).stdout
    assert "Returns not read (1)" in text and f"file {folder / 'scan-0001.xlsx'}: " in text


def test_children_with_no_lead_return_are_lead_missing(tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns", RETURNS)
    (folder / "children-s-social-care.xlsx").unlink()
    code, merged, _ = run_json("merge", folder)
    assert code == 1 and merged["cases"] == 0
    lead = [r for r in merged["returns"] if r["agency"] == LEAD]
    assert lead and {r["status"] for r in lead} == {"lead_missing"}
    assert {r["case_id"] for r in lead} == {n["case_id"] for n in merged["not_scored"]}
    assert all(set(r) == {"case_id", "agency", "status", "source", "reason"}
               for r in merged["returns"])
    text = invoke("merge", folder).stdout
    assert f"{LEAD} ({len(lead)}) lead_missing" in text
