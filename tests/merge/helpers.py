"""Shared by the merge tests: the example returns, small returns written on the fly, runs.

The example returns (examples/returns/, examples/returns-resolved/) are examples/cases.xlsx
split by examples/returns/build_returns.py; its MISSING and CONFLICTS are what the tests
expect `merge` to find.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import openpyxl
from typer.testing import CliRunner, Result

from jtai_audit.cli import app
from jtai_audit.commands.inputs import input_files, merge_opened, open_inputs
from jtai_audit.merge.combine import Merged
from jtai_audit.merge.returns import answerers
from jtai_audit.rubric.compiled import LoadedRubric

from ..conftest import ROOT, write_xlsx

RETURNS = ROOT / "examples" / "returns"
RESOLVED = ROOT / "examples" / "returns-resolved"
FIXTURES = ROOT / "tests" / "fixtures" / "returns"
LEAD = "Children's social care"
runner = CliRunner()


def build_script() -> ModuleType:
    """examples/returns/build_returns.py, imported (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("build_returns", RETURNS / "build_returns.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = build_script()
MISSING: tuple[tuple[str, str], ...] = BUILD.MISSING
CONFLICTS: tuple[tuple[str, str, str, Any], ...] = BUILD.CONFLICTS


CASE_KEYS = ("case_id", "area", "score", "grade", "provisional", "capped_by", "auditor_grade",
             "complete", "unanswered", "results")


def judged(case: dict[str, Any]) -> dict[str, Any]:
    """What a case's results are, without where it was read from (`source`, `row`)."""
    return {key: case[key] for key in CASE_KEYS}


def invoke(*args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def run_json(*args: str | Path) -> tuple[int, dict[str, Any], str]:
    """A command with `--format json`: exit code, the parsed stdout, and stderr."""
    result = runner.invoke(app, [*(str(a) for a in args), "--format", "json"])
    assert result.exit_code in (0, 1), (result.stdout, result.stderr)
    return result.exit_code, json.loads(result.stdout), result.stderr


def copy_returns(target: Path, source: Path = RESOLVED) -> Path:
    """A copy of a folder of example returns, to change one of them."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("*.py"))
    return target


def edit_return(path: Path, cells: dict[str, Any]) -> Path:
    """Change cells of a return (`{"B5": "Health"}`) as an auditor would, in Excel."""
    book = openpyxl.load_workbook(path)
    sheet = book["Cases"]
    for ref, value in cells.items():
        sheet[ref] = value
    book.save(path)
    return path


def header_of(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book["Cases"]
    return [str(c.value) for c in next(sheet.iter_rows(max_row=1))]


def row_of(path: Path, case_id: str) -> int:
    """The sheet row of a case in a return."""
    book = openpyxl.load_workbook(path, read_only=True)
    for number, row in enumerate(book["Cases"].iter_rows(values_only=True), start=1):
        if row and row[0] == case_id:
            return number
    raise AssertionError(f"{case_id} not in {path}")


def write_return(path: Path, agency: str | None, rows: Sequence[dict[str, Any]]) -> Path:
    """A small return: `case_id`, `agency` (omitted when None) and the columns the rows use."""
    columns: list[str] = []
    for row in rows:
        columns += [name for name in row if name not in columns and name != "case_id"]
    header = ["case_id", *(["agency"] if agency is not None else []), *columns]
    values = [[row.get("case_id"), *([row.get("agency", agency)] if agency is not None else []),
               *(row.get(name) for name in columns)] for row in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_xlsx(path, header, values)


def merge_paths(rubric: LoadedRubric, *paths: Path) -> Merged:
    """The returns merged as `merge` merges them (unreadable returns set aside)."""
    files = input_files(list(paths))
    opened = open_inputs(files, rubric.model, quiet=True)
    merged, _ = merge_opened(opened, rubric.model, single=False, quiet=True)
    return merged


def example_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = BUILD.read_example()
    return rows


def unmergeable(rubric: LoadedRubric) -> dict[str, set[str]]:
    """Cells of examples/cases.xlsx that only agencies not involved in the case answer.

    The merge gives those cells `N/A` (the contract), so a case that answers one in the
    single sheet cannot merge to the same outcome: examples/cases.xlsx answers `gp_involved`
    where Health is not involved (EB-003, FL-003) and `dvds_disclosure` where Police are not
    (NM-005, SM-004, FL-004, AC-005). Empty once the example agrees with `answered_by`.
    """
    found: dict[str, set[str]] = {}
    for row in example_rows():
        expected = BUILD.expected(rubric, row)
        for name in rubric.model.fields:
            value = row.get(name)
            if value in (None, "N/A") or name == "case_id":
                continue
            if not any(a in expected for a in answerers(rubric.model, name)):
                found.setdefault(row["case_id"], set()).add(name)
    return found


def agency_columns(rubric: LoadedRubric, agency: str) -> set[str]:
    return {n for n in rubric.model.fields if agency in answerers(rubric.model, n)}


def one_line(stderr: str, *needles: str) -> str:
    """The one stderr line holding every needle (and no traceback anywhere)."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if all(n in line for n in needles)]
    assert len(lines) == 1, (needles, stderr)
    return lines[0]

