"""The rubric format's reading features: a date column's word, judgement columns, blank_ok_if
lists and a rule's silent_reads, on a local variant; school closures in the calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jtai_audit.conditions import calendar
from jtai_audit.engine.columns import ColumnJudge
from jtai_audit.engine.judge import Engine
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.rubric.loader import check_rubric, load_rubric
from jtai_audit.terms import Outcome, Status
from jtai_audit.workbook.cases import build_case, read_cell

from ..conftest import good_case

VARIANT = """\
id: variant
version: '1'
extends: jtai-domestic-abuse
fields:
  school_notified_date: {words: [Not notified]}
  significant_harm_suspected: {judgement: true}
  dash_score: {optional: false, blank_ok_if: {risk_tool: [DARA, Other, None]}}
rules:
  - id: VOICE-1
    silent_reads: {child_seen_alone: 'No'}
"""


def _variant(tmp_path: Path) -> LoadedRubric:
    path = tmp_path / "variant.yaml"
    path.write_text(VARIANT)
    return load_rubric(path)


def _outcome(rubric: LoadedRubric, rule: str, **changes: object) -> Outcome:
    case = build_case(good_case(rubric, **changes), rubric.model.fields, source="t", row=2)
    return next(r.outcome for r in ColumnJudge(Engine(rubric)).case(case).results if r.rule == rule)


def test_a_date_word_is_an_answered_null(tmp_path: Path) -> None:
    rubric = _variant(tmp_path)
    spec = rubric.model.fields["school_notified_date"]
    word = read_cell("not  NOTIFIED", spec)
    assert (word.value, word.status, word.problem) == (None, Status.ANSWERED, None)
    assert read_cell("Not recorded", spec).status is Status.NOT_RECORDED
    bad = read_cell("never", spec)
    assert bad.status is Status.INVALID and "Not notified" in (bad.problem or "")
    assert read_cell("Not notified", rubric.model.fields["incident_date"]).status \
        is Status.INVALID
    # In SHARE-1's `met` the word is null (not met); Not recorded is tried with every date.
    assert _outcome(rubric, "SHARE-1", school_notified_date="Not notified") is Outcome.NOT_MET
    assert _outcome(rubric, "SHARE-1", school_notified_date="Not recorded") \
        is Outcome.NOT_EVIDENCED


def test_a_judgement_left_not_recorded_is_unanswered(tmp_path: Path) -> None:
    rubric = _variant(tmp_path)
    spec = rubric.model.fields["significant_harm_suspected"]
    assert read_cell("NR", spec).status is Status.UNANSWERED
    assert read_cell("Yes", spec).status is Status.ANSWERED


def test_blank_ok_if_takes_a_list_of_values(tmp_path: Path) -> None:
    rubric = _variant(tmp_path)

    def status(tool: str) -> Status:
        raw = good_case(rubric, risk_tool=tool, dash_score=None)
        return build_case(raw, rubric.model.fields, source="t", row=2).status["dash_score"]

    assert status("DARA") is Status.BLANK and status("None") is Status.BLANK
    assert status("DASH") is Status.UNANSWERED


def test_a_silent_reading_reads_a_silent_cell_but_tries_a_blank(tmp_path: Path) -> None:
    rubric = _variant(tmp_path)
    silent = {"child_age_years": 6, "child_seen_alone": "Not recorded"}
    assert _outcome(rubric, "VOICE-1", **silent) is Outcome.PARTLY_MET
    assert _outcome(rubric, "VOICE-1", child_age_years=6, child_seen_alone=None) \
        is Outcome.NOT_EVIDENCED
    assert _outcome(rubric, "VOICE-1", child_age_years=6, child_seen_alone="Yes") is Outcome.MET


def test_school_closures_are_skipped_like_weekends() -> None:
    friday = dt.date(2025, 12, 12)
    closures = ((dt.date(2025, 12, 15), dt.date(2025, 12, 16)),)
    assert calendar.next_school_day(friday) == dt.date(2025, 12, 15)
    assert calendar.next_school_day(friday, closures) == dt.date(2025, 12, 17)


def test_the_new_keys_are_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\nversion: '1'\nextends: jtai-domestic-abuse\nfields:\n"
        "  gp_involved: {words: [Never]}\n"
        "  case_notes: {judgement: true}\n"
        "rules:\n  - id: SHARE-5\n    silent_reads: {referral_date: '2025-01-01', nothing: 'No'}\n")
    loaded, problems = check_rubric(bad)
    messages = [p.message for p in problems if p.level == "error"]
    assert loaded is None
    assert any(m.startswith("words on a answer field") for m in messages)
    assert any(m.startswith("judgement on a text field") for m in messages)
    assert any("silent_reads on a date field" in m for m in messages)
    assert any("silent_reads names unknown field 'nothing'" in m for m in messages)
