"""The learning summary names no child and shows no small number, in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app

from ..conftest import EXAMPLE

runner = CliRunner()
CASE_ID = re.compile(r"\b[A-Z]{2}-\d{3}\b")
COUNT_KEYS = {"cases", "complete", "incomplete", "met", "partly_met", "not_met",
              "not_applicable", "not_evidenced", "unanswered", "concerns", "priority_cases",
              "conflicts", "not_scored"}


def _counts(node: Any, key: str = "") -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [c for k, v in node.items() for c in _counts(v, k)]
    if isinstance(node, list):
        return [c for v in node for c in _counts(v, key)]
    return [(key, node)]


def test_learning_json_has_no_case_and_no_count_from_one_to_four() -> None:
    result = runner.invoke(app, ["score", str(EXAMPLE), "--audience", "learning",
                                 "--format", "json"])
    assert result.exit_code == 0
    assert not CASE_ID.search(result.stdout) and not CASE_ID.search(result.stderr)
    doc = json.loads(result.stdout)
    assert doc["cases"] == [] and doc["summary"]["audience"] == "learning"
    grades = doc["summary"]["grades"]
    assert grades["Good"] == "fewer than 5" and grades["Inadequate"] == 16
    for key, value in _counts(doc["summary"]):
        if key in COUNT_KEYS or key in grades:
            assert value in (0, None, "fewer than 5") or (isinstance(value, int) and value >= 5)
    rules = doc["summary"]["rules"]
    small = [b for b in rules.values() if b["cases"] == "fewer than 5"]
    assert small and all(b["rate"] in (None, "fewer than 5") and b["finding"] is None
                         for b in small)
    for name in ("concerns", "priority_cases"):
        assert not isinstance(doc["summary"][name], list)


@pytest.mark.parametrize("fmt", ["markdown", "html", "csv", "table"])
def test_learning_text_formats_name_no_case(fmt: str) -> None:
    result = runner.invoke(app, ["score", str(EXAMPLE), "--audience", "learning",
                                 "--format", fmt])
    assert result.exit_code == 0
    assert not CASE_ID.search(result.stdout)
    assert "fewer than 5" in result.stdout or fmt == "csv"


def test_learning_xlsx_has_no_cases_or_priority_sheet(tmp_path: Path) -> None:
    out = tmp_path / "learning.xlsx"
    result = runner.invoke(app, ["score", str(EXAMPLE), "--audience", "learning",
                                 "--output", str(out)])
    assert result.exit_code == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert "Cases" not in book.sheetnames and "Priority cases" not in book.sheetnames
    texts = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c is not None]
    assert not any(CASE_ID.search(t) for t in texts)
    assert "fewer than 5" in texts
