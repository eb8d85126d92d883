"""A fixed ReportData for the golden files: our own rubric, cases, hashes and time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jtai_audit.engine.columns import ColumnJudge
from jtai_audit.engine.judge import Engine
from jtai_audit.engine.summary import Summary
from jtai_audit.report.data import InputInfo, ReportData
from jtai_audit.rubric.loader import load_rubric
from jtai_audit.workbook.cases import build_case

HERE = Path(__file__).resolve().parent
RUBRIC = HERE / "meeting-rubric.yaml"
GENERATED_AT = "2026-01-15T10:30:00+00:00"
NOTES = "SECRET-NOTE mother said the volatile relationship ended"
HEADER = ("case_id", "area", "child_age_years", "legal_status", "agencies_involved",
          "child_seen", "voice_police", "perpetrator_in_plan", "auditor_grade", "case_notes")
ROWS: tuple[tuple[Any, ...], ...] = (
    ("N-1", "Northmoor", 6, "Child protection", "Police; Health", "Yes", "Yes", "Yes",
     "Outstanding", NOTES),
    ("N-2", "Northmoor", 2, "Child in need", "Health", "Yes", "N/A", "Partly", "Good", NOTES),
    ("N-3", "Northmoor", 9, "Child protection", "Police", "Yes", "Partly", "Yes", None, NOTES),
    ("A-1", "Ashcombe", 4, "Child protection", "Police", "No", "No", "No", "Requires improvement",
     NOTES),
    ("A-2", "Ashcombe", 7, "None", "Police; Health", "Partly", "Not recorded", "No", None, NOTES),
    ("A-3", "Ashcombe", 11, "Child in need", "Police", "Yes", None, "Partly", None, NOTES),
    ("=HYPERLINK(\"http://x\",\"y\")", "=HYPERLINK(\"http://x\",\"y\")", 5, "Child in need",
     "Police", "Not recorded", "No", "Yes", None, NOTES),
)


def meeting_data(rows: tuple[tuple[Any, ...], ...] = ROWS,
                 source: str = "cases/round-1.xlsx") -> ReportData:
    rubric = load_rubric(RUBRIC)
    fields = rubric.model.fields
    engine = ColumnJudge(Engine(rubric))
    summary = Summary(rubric.model, reads=rubric.reads)
    results = []
    for number, row in enumerate(rows, start=2):
        case = build_case(dict(zip(HEADER, row, strict=True)), fields, source=source, row=number)
        result = engine.case(case)
        summary.add(result)
        results.append(result)
    inputs = [InputInfo(source, "ab" * 32, len(rows))]
    return ReportData(rubric, inputs, results, summary, generated_at=GENERATED_AT)
