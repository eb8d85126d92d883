"""`validate` on a round of returns: each return on its own columns, then the merged round.

Unanswered cells are reported once per child and never in the row of a child the agency
did not work with (the multi-agency guide says to leave those rows blank); completeness
counts children, not rows. One return given alone is checked on its own columns only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl

from jtai_audit.rubric.compiled import LoadedRubric

from ..merge.helpers import RETURNS, agency_columns, copy_returns, invoke, run_json

CHILDREN = 36


def _validate_json(*args: str | Path) -> dict[str, Any]:
    result = invoke("validate", *args, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def _involved_rows(folder: Path) -> set[tuple[str, str]]:
    """(file, case_id) of every row whose agency is expected to return that child."""
    _, merged, _ = run_json("merge", folder)
    return {(r["source"], r["case_id"]) for r in merged["returns"]
            if r["status"] == "returned"}


def _row_number(cell: str) -> int:
    return int("".join(ch for ch in cell.split("!")[1] if ch.isdigit()))


def _prefill_uninvolved(path: Path, case_ids: list[str]) -> None:
    """Rows for children the agency never worked with, left blank as the guide says."""
    book = openpyxl.load_workbook(path)
    sheet = book["Cases"]
    agency = sheet["B2"].value
    for case_id in case_ids:
        sheet.append([case_id, agency])
    book.save(path)


def test_validate_on_the_example_returns_counts_children_and_never_a_child_not_involved(
        tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns", RETURNS)
    police = folder / "police.xlsx"
    _, merged, _ = run_json("merge", folder)
    children = list(dict.fromkeys(r["case_id"] for r in merged["returns"]))
    with_police = {r["case_id"] for r in merged["returns"] if r["agency"] == "Police"}
    others = [c for c in children if c not in with_police]
    assert others  # children Police never worked with
    _prefill_uninvolved(police, others)
    result = invoke("validate", folder)
    assert result.exit_code == 1  # the three planted conflicts
    lines = result.stdout.splitlines()
    assert lines[-1].endswith(f"in {CHILDREN} children")
    assert any(f"answered in all {CHILDREN} children" in line for line in lines)
    doc = _validate_json(folder)
    assert doc["cases"] == CHILDREN
    # Every warning at a return's row is about a child that agency is involved with.
    involved = _involved_rows(folder)
    rows: dict[tuple[str, int], str] = {}
    for path in folder.glob("*.xlsx"):
        for number, row in enumerate(openpyxl.load_workbook(path, read_only=True)["Cases"]
                                     .iter_rows(values_only=True), start=1):
            if number > 1 and row and row[0]:
                rows[(str(path), number)] = str(row[0])
    unanswered = 0
    for item in [*doc["warnings"], *doc["errors"]]:
        cell = item["cell"]
        if not cell or "!" not in cell or cell.endswith(":1") or cell.endswith("1:1"):
            continue
        case_id = rows.get((item["file"], _row_number(cell)))
        assert case_id is not None and (item["file"], case_id) in involved, item
        unanswered += item["message"].startswith("unanswered")
    # Once per child: no child and column is warned about twice.
    keys = [(rows.get((w["file"], _row_number(w["cell"]))), w["column"])
            for w in doc["warnings"] if w["message"].startswith("unanswered")]
    assert unanswered and len(keys) == len(set(keys))


def test_one_return_alone_is_checked_on_its_own_columns(rubric: LoadedRubric) -> None:
    police = RETURNS / "police.xlsx"
    doc = _validate_json(police)
    own = agency_columns(rubric, "Police") | {"case_id"}
    assert set(doc["completeness"]) <= own
    warnings = doc["warnings"]
    assert not [w for w in warnings if "awaiting" in w["message"]]
    alone = [w for w in warnings if "cannot be scored" in w["message"]]
    assert len(alone) == 1 and "validate the folder" in alone[0]["message"]
    text = invoke("validate", police).stdout
    assert "in no lead-agency return" not in text
