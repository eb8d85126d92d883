"""Grades an inspector would give: each case here is one the reports describe.

Each starts from a row where every answer is good practice (a 6-year-old on a child
protection plan, Outstanding) and changes what the report's example changes. A weighted
mean called these Good or Outstanding; the limits must not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jtai_audit.engine.columns import ColumnJudge
from jtai_audit.engine.grading import COUNT_RULE
from jtai_audit.engine.judge import CaseResult, Engine
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.workbook.cases import build_case

from ..conftest import good_case

RI, INADEQUATE = "Requires improvement", "Inadequate"


def _grade(rubric: LoadedRubric, **changes: Any) -> CaseResult:
    row = good_case(rubric, child_age_years=6, **changes)
    return ColumnJudge(Engine(rubric)).case(build_case(row, rubric.model.fields, source="t", row=2))


MOTHER_BLAMING = {
    "written_agreement": "With non-abusing parent", "perpetrator_engaged": "No",
    "perpetrator_in_plan": "No", "perpetrator_intervention": "None",
    "coercive_control_considered": "No", "plan_shares_responsibility": "No",
    "case_notes": "Mother failed to protect the children.",
}
WITNESS_NOT_VICTIM = {
    "recognised_as_victim": "Partly", "impact_on_child_assessed": "Partly",
    "voice_recorded": "No", "voice_police": "No", "voice_health": "No",
    "voice_informed_plan": "No", "child_safety_plan": "No", "child_recovery_support": "No",
}
PREMATURE_STEP_DOWN = {
    "stepped_down_or_closed": "Yes", "risk_reduction_evidenced": "Partly",
    "separation_risk_considered": "No", "professional_disagreement": "Yes",
    "escalation_raised": "No", "probation_stayed_involved": "No",
    "safety_plan_breached": "Yes", "breach_challenged": "Partly",
    "perpetrator_intervention": "Waiting list", "interim_risk_management": "No",
}
REPEATED_INCIDENTS = {
    "incidents_last_12_months": 5, "marac_referred": "No", "strategy_discussion_held": "No",
    "strategy_discussion_date": None, "history_considered": "No",
    "coercive_control_considered": "No", "safety_plan": "No",
    "safety_plan_shared": "N/A", "child_safety_plan": "N/A", "safety_plan_breached": "N/A",
}


def test_the_good_practice_baseline_is_outstanding(rubric: LoadedRubric) -> None:
    result = _grade(rubric)
    assert result.grade == "Outstanding"
    assert result.limited_by == []


@pytest.mark.parametrize(("name", "changes", "allowed"), [
    ("mother-blaming (2017 ¶69; 2026 over-reliance on non-abusing parents)", MOTHER_BLAMING,
     {RI, INADEQUATE}),
    ("witness, not victim (2026 Conclusion)", WITNESS_NOT_VICTIM, {RI, INADEQUATE}),
    ("premature step-down (the 2026 report's own example)", PREMATURE_STEP_DOWN, {INADEQUATE}),
    ("repeated incidents, no action (2017 ¶31)", REPEATED_INCIDENTS, {INADEQUATE}),
])
def test_the_reports_failures_are_not_called_good(rubric: LoadedRubric, name: str,
                                                   changes: dict[str, Any],
                                                   allowed: set[str]) -> None:
    result = _grade(rubric, **changes)
    assert result.grade in allowed, (name, result.shown_score, result.grade,
                                     [limit.to_dict() for limit in result.limited_by])
    assert result.limits, "a limit, not the score alone, must say why"


def test_one_written_agreement_is_one_failure(rubric: LoadedRubric) -> None:
    """PERP-3, NAP-2 and PERP-2 share their deciding answers: no count limit from them alone."""
    result = _grade(rubric, written_agreement="With non-abusing parent",
                    perpetrator_in_plan="No", plan_shares_responsibility="No")
    rules = {limit.rule for limit in result.limited_by}
    assert {"PERP-3", "NAP-2", "PERP-2"} <= rules
    assert COUNT_RULE not in rules
    assert result.grade == RI


def test_two_separate_failures_make_the_case_inadequate(rubric: LoadedRubric) -> None:
    result = _grade(rubric, written_agreement="With non-abusing parent", safety_plan="No",
                    safety_plan_shared="N/A", child_safety_plan="N/A",
                    safety_plan_breached="N/A")
    count = next(limit for limit in result.limited_by if limit.rule == COUNT_RULE)
    assert count.best == INADEQUATE
    assert {"PERP-3", "PLAN-2"} <= set(count.rules)
    assert result.grade == INADEQUATE
    assert result.deciding_limit is not None and result.deciding_limit.rule == COUNT_RULE


def test_a_baby_with_a_strategy_discussion_three_days_late_stays_good(
        rubric: LoadedRubric) -> None:
    baby = {"child_age_years": 0, "attends_setting": "No", "school_notified_date": None,
            "child_seen_alone": "N/A", "child_send": "Yes", "child_safety_plan": "N/A",
            "strategy_discussion_date": dt.date(2025, 3, 13)}  # 3 working days after 10 March
    row = good_case(rubric, **baby)
    result = ColumnJudge(Engine(rubric)).case(build_case(row, rubric.model.fields, source="t", row=2))
    assert result.grade in {"Good", "Outstanding"}
    assert [limit.rule for limit in result.limited_by] == ["ESC-1"]
    assert result.limited_by[0].best == "Good"


def test_no_strategy_discussion_is_worse_than_a_late_one(rubric: LoadedRubric) -> None:
    never = _grade(rubric, strategy_discussion_held="No", strategy_discussion_date=None)
    late = _grade(rubric, strategy_discussion_date=dt.date(2025, 4, 30))
    undated = _grade(rubric, strategy_discussion_date=None)
    assert never.grade == INADEQUATE
    assert late.grade == RI and undated.grade == RI


def test_an_unanswered_cell_never_reaches_a_limit(rubric: LoadedRubric) -> None:
    result = _grade(rubric, recognised_as_victim=None, child_seen=None)
    assert result.limited_by == []
    assert not result.complete


def test_a_silent_record_on_a_critical_rule_limits_like_not_met(rubric: LoadedRubric) -> None:
    result = _grade(rubric, child_seen="Not recorded")
    assert result.grade == INADEQUATE
    assert result.limited_by[0].rule == "VOICE-1"


def test_dates_the_wrong_way_round_are_left_out_not_called_met(rubric: LoadedRubric) -> None:
    """A decision dated before its referral is a typing slip: ESC-8 leaves the case out."""
    result = _grade(rubric, referral_decision_date=dt.date(2025, 3, 3))  # referral 10 March
    esc8 = next(r for r in result.results if r.rule == "ESC-8")
    assert esc8.out_of_order == ("referral_date", "referral_decision_date")
    assert not esc8.judged and esc8.limit is None
    assert result.grade == "Outstanding" and result.shown_score == 100.0


def test_an_unrecorded_perpetrator_leaves_perp_1_open(rubric: LoadedRubric) -> None:
    """Not recorded: the rule might not apply, so it is a silent record, never "not met"."""
    result = _grade(rubric, perpetrator_identified="Not recorded",
                    perpetrator_history_checked="No")
    perp1 = next(r for r in result.results if r.rule == "PERP-1")
    assert perp1.outcome.value == "not_evidenced" and perp1.silent
