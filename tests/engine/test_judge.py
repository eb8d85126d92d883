from __future__ import annotations

from pathlib import Path
from typing import Any

from jtai_audit.engine.columns import ColumnJudge
from jtai_audit.engine.judge import Engine, band_grade
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.rubric.loader import load_rubric
from jtai_audit.terms import Outcome
from jtai_audit.workbook.cases import build_case
from tests.engine.oracle import RowEngine

from ..conftest import good_case


def _evaluate(rubric: LoadedRubric, **changes: Any) -> Any:
    case = build_case(good_case(rubric, **changes), rubric.model.fields, source="t", row=2)
    return ColumnJudge(Engine(rubric)).case(case)


def _outcome(result: Any, rule: str) -> Outcome:
    return next(r.outcome for r in result.results if r.rule == rule)


def test_good_practice_is_outstanding_and_complete(rubric: LoadedRubric) -> None:
    result = _evaluate(rubric)
    assert result.complete and result.unanswered == []
    assert result.grade == "Outstanding"
    assert {r.rule for r in result.results} == {p.rule.id for p in rubric.programs}


def test_child_not_seen_limits_the_grade_to_inadequate(rubric: LoadedRubric) -> None:
    result = _evaluate(rubric, child_seen="No", child_seen_alone="No")
    assert _outcome(result, "VOICE-1") is Outcome.NOT_MET
    assert result.band_grade in ("Outstanding", "Good")  # the score alone says little is wrong
    assert result.capped_by == ["VOICE-1"]
    assert result.grade == "Inadequate"
    assert [(limit.rule, limit.best) for limit in result.limited_by] == [
        ("VOICE-1", "Inadequate")]


def test_unanswered_critical_cell_never_caps(rubric: LoadedRubric) -> None:
    result = _evaluate(rubric, child_seen=None)
    assert _outcome(result, "VOICE-1") is Outcome.NOT_EVIDENCED
    assert result.capped_by == []
    assert not result.complete and "child_seen" in result.unanswered
    assert result.provisional


def test_silent_record_on_critical_rule_counts_for_cap(rubric: LoadedRubric) -> None:
    result = _evaluate(rubric, child_seen="Not recorded", child_seen_alone="Not recorded")
    assert _outcome(result, "VOICE-1") is Outcome.NOT_EVIDENCED
    assert result.capped_by == ["VOICE-1"]
    assert result.complete


def test_unanswered_cell_that_cannot_matter_does_not_hide_the_outcome(
        rubric: LoadedRubric) -> None:
    result = _evaluate(rubric, child_age_years=2, child_seen_alone=None)
    assert _outcome(result, "VOICE-1") is Outcome.MET


def test_na_on_a_rule_that_applies_is_not_evidenced_and_warned(rubric: LoadedRubric) -> None:
    result = _evaluate(rubric, child_seen="N/A", child_seen_alone="N/A")
    assert _outcome(result, "VOICE-1") is Outcome.NOT_EVIDENCED
    assert any("VOICE-1" in w for w in result.warnings)


def test_not_applicable_rules_do_not_change_the_score(rubric: LoadedRubric) -> None:
    base = _evaluate(rubric)
    unborn = _evaluate(rubric, child_age_years=None, unborn_at_referral="Yes",
                       prebirth_assessment="Yes")
    assert _outcome(unborn, "VOICE-1") is Outcome.NOT_APPLICABLE
    assert base.score == unborn.score == 100.0


def test_evidence_gives_dates_as_intervals_and_never_text(rubric: LoadedRubric) -> None:
    result = _evaluate(rubric, case_notes="Described as a volatile relationship by staff.")
    for item in result.results:
        for name, value in item.evidence:
            assert "2025" not in str(value), (item.rule, name, value)
            assert "staff" not in str(value)


def test_bands_and_caps(rubric: LoadedRubric) -> None:
    model = rubric.model
    assert band_grade(model, 100.0) == "Outstanding"
    assert band_grade(model, 0.0) == "Inadequate"



def test_v22_caps_still_limit_a_rubric_without_limits() -> None:
    """A local rubric written for v2.2 keeps its caps: each is read as a default limit."""
    minimal = load_rubric(Path(__file__).parent.parent / "rubrics" / "minimal.yaml")
    assert minimal.model.grades.caps and not minimal.model.grades.limits
    critical = next(p for p in minimal.programs if p.rule.severity == "critical")
    grader = Engine(minimal).grader
    limit = grader.limits[critical.rule.id]
    assert [(x.outcome.value, x.best) for x in limit] == [("not_met", "Requires improvement")]


def test_the_batch_judge_and_the_row_oracle_agree_case_after_case(rubric: LoadedRubric) -> None:
    variants = [good_case(rubric), good_case(rubric, child_seen="No"),
                good_case(rubric, child_seen=None), good_case(rubric, child_age_years=None)]
    cached, uncached = ColumnJudge(Engine(rubric)), RowEngine(rubric)
    for row in variants * 2:
        case = build_case(row, rubric.model.fields, source="t", row=2)
        assert cached.case(case).results == uncached.evaluate(case).results
