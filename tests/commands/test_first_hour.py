"""Issue 14, the first hour of a new user: one test per wall they hit, asserting the fix.

Each message must name the fix in the user's terms (the column, the workbook, the format).
Other bullets are tested where their module is: help screens (test_cli), completeness
(test_validate), sample --by (test_sample), moderate (test_moderate), rubric show
(test_rubric_cmds), the README's first screen (tests/test_readme_first_screen.py), the
grades sentence and provenance order (tests/report/test_grades_and_order.py), the
glossary and walkthrough (tests/test_docs.py).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app

from ..conftest import EXAMPLE, ROOT, write_xlsx

runner = CliRunner()


def test_make_demo_ends_with_the_next_command_for_this_shell_and_for_windows() -> None:
    found = subprocess.run(["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout
    assert ". .venv/bin/activate && jtai-audit" in found
    assert "Activate.ps1" in found


def test_a_bad_cell_names_its_column(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", ["case_id", "area", "child_seen"],
                      [["A-1", "Northmoor", "Yse"]])
    found = runner.invoke(app, ["validate", str(path)])
    assert "Cases!C2 (child_seen)" in found.stdout + found.stderr
    assert "did you mean 'Yes'" in found.stdout + found.stderr


def test_a_case_ref_header_is_named_as_the_likely_case_id(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "c.xlsx", ["Case Ref", "child_seen"], [["A-1", "Yes"]])
    found = runner.invoke(app, ["score", str(path)])
    assert found.exit_code == 2
    assert "is 'Case Ref' the case id?" in found.stderr


def test_sheet_names_are_matched_whatever_their_case() -> None:
    found = runner.invoke(app, ["score", str(EXAMPLE), "--sheet", "cases", "--format", "json"])
    assert found.exit_code == 0, found.stderr


def test_excels_lock_file_given_by_name_points_at_the_workbook(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "Cases.xlsx")
    lock = tmp_path / "~$Cases.xlsx"
    lock.write_bytes(b"\x00" * 165)
    found = runner.invoke(app, ["score", str(lock)])
    assert found.exit_code == 2
    assert "Excel's lock file" in found.stderr and "Cases.xlsx" in found.stderr
    assert "zip" not in found.stderr


def test_asking_for_a_pdf_says_how_to_get_one(tmp_path: Path) -> None:
    found = runner.invoke(app, ["score", str(EXAMPLE), "--output", str(tmp_path / "m.pdf")])
    assert found.exit_code == 2
    assert "there is no pdf format; write .html and print it to PDF" in found.stderr
    assert not (tmp_path / "m.pdf").exists()


def test_a_path_in_the_wrong_case_gets_the_right_name(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE, tmp_path / "Cases.xlsx")
    found = runner.invoke(app, ["score", str(tmp_path / "cases.xlsx")])
    assert found.exit_code == 2
    assert f"did you mean '{tmp_path / 'Cases.xlsx'}'?" in found.stderr
