from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.rubric.loader import load_rubric

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "cases.xlsx"
# The local variant DESIGN.md shows: extends the default, one parameter, one rule disabled.
DESIGN_VARIANT = """id: anyshire-da
version: '1'
extends: jtai-domestic-abuse
params:
  strategy_discussion_working_days: 3
disable:
  - rule: EARLY-1
    reason: early help audited separately this round
"""


@pytest.fixture(scope="session")
def rubric() -> LoadedRubric:
    return load_rubric(None)


def write_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]],
               sheet: str = "Cases") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    def make(header: Sequence[str], rows: Sequence[Sequence[Any]], name: str = "cases.xlsx",
             sheet: str = "Cases") -> Path:
        return write_xlsx(tmp_path / name, header, rows, sheet)

    return make


GOOD_CASE: dict[str, Any] = {
    "case_id": "T-001", "area": "Testshire", "audit_date": dt.date(2025, 11, 3),
    "child_age_years": 5, "unborn_at_referral": "No", "child_send": "No", "attends_setting": "Yes",
    "legal_status": "Child protection",
    "agencies_involved": "Police; Children's social care; Health; Probation; Education",
    "siblings_in_household": 1, "other_children_linked": 0,
    "referral_date": dt.date(2025, 3, 10), "incident_date": dt.date(2025, 3, 7),
    "incidents_last_12_months": 2, "harm_threshold_date": None,
    "significant_harm_suspected": "Yes", "strategy_discussion_held": "Yes",
    "strategy_discussion_date": dt.date(2025, 3, 11), "referral_decision_date": dt.date(2025, 3, 10),
    "safety_plan_breached": "No",
    "school_notified_date": dt.date(2025, 3, 10), "risk_tool": "DASH", "risk_level": "High",
    "dash_score": 16, "marac_referred": "Yes", "perpetrator_identified": "Yes",
    "perpetrator_intervention": "Started", "written_agreement": "None",
    "protective_orders": "DVPO", "contact_with_abusing_parent": "None", "safety_plan": "Yes",
    "professional_disagreement": "No", "stepped_down_or_closed": "No",
    "dvds_disclosure": "None", "auditor_grade": None, "voice_method": "play",
    "case_notes": "Child seen at school.",
}


def good_case(rubric: LoadedRubric, **changes: Any) -> dict[str, Any]:
    """A case with every answer 'Yes' (N/A where the rule does not apply), then `changes`."""
    row = dict(GOOD_CASE)
    for name, spec in rubric.model.fields.items():
        if spec.type == "answer" and name not in row:
            row[name] = "Yes"
    for name in ("escalation_raised", "escalation_resolved", "risk_reduction_evidenced",
                 "probation_stayed_involved", "prebirth_assessment", "interim_risk_management",
                 "dvds_shared", "contact_risk_assessed", "early_help_offered",
                 "breach_challenged"):
        row[name] = "N/A"
    row.update(changes)
    return row


def case_rows(rubric: LoadedRubric, cases: Sequence[dict[str, Any]]) -> tuple[list[str],
                                                                          list[list[Any]]]:
    header = list(rubric.model.fields)
    return header, [[c.get(h) for h in header] for c in cases]
