"""Rubric 1.2 in the core rubric: `Not notified`, the harm judgement, the DASH score required
with DASH, and school closures in a local variant."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.conditions import calendar
from jtai_audit.engine.columns import ColumnJudge
from jtai_audit.engine.judge import Engine
from jtai_audit.merge.casefile import cell_text
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.rubric.loader import load_rubric
from jtai_audit.terms import Outcome, Status
from jtai_audit.workbook.cases import build_case, read_cell

from ..conftest import case_rows, good_case

runner = CliRunner()


def _outcome(rubric: LoadedRubric, rule: str, **changes: object) -> Outcome:
    case = build_case(good_case(rubric, **changes), rubric.model.fields, source="t", row=2)
    return next(r.outcome for r in ColumnJudge(Engine(rubric)).case(case).results if r.rule == rule)


def test_not_notified_is_an_answer_that_no_date_exists(rubric: LoadedRubric) -> None:
    """The core rubric's own column (the word itself: tests/rubric/test_format_features.py)."""
    spec = rubric.model.fields["school_notified_date"]
    assert _outcome(rubric, "SHARE-1", school_notified_date="Not notified") is Outcome.NOT_MET
    case = build_case(good_case(rubric, school_notified_date="Not notified"),
                      rubric.model.fields, source="t", row=2)
    assert cell_text(case, "school_notified_date", spec, True) == "Not notified"


def test_a_judgement_left_not_recorded_is_unanswered_and_validate_names_it(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    spec = rubric.model.fields["significant_harm_suspected"]
    assert read_cell("Not recorded", spec).status is Status.UNANSWERED
    assert read_cell("Yes", spec).status is Status.ANSWERED
    case = build_case(good_case(rubric, significant_harm_suspected="NR"), rubric.model.fields,
                      source="t", row=2)
    result = ColumnJudge(Engine(rubric)).case(case)
    esc1 = next(r for r in result.results if r.rule == "ESC-1")
    assert esc1.unanswered == ("significant_harm_suspected",) and not result.complete
    header, rows = case_rows(rubric, [good_case(rubric, significant_harm_suspected="Not recorded")])
    out = runner.invoke(app, ["validate", str(make_xlsx(header, rows)), "--format", "json"])
    warnings = [w for w in json.loads(out.stdout)["warnings"]
                if w["column"] == "significant_harm_suspected"]
    assert len(warnings) == 1 and "judgement" in warnings[0]["message"]


def test_a_dash_score_is_required_only_when_dash_was_used(rubric: LoadedRubric) -> None:
    fields = rubric.model.fields

    def status(tool: str | None) -> Status:
        raw = good_case(rubric, risk_tool=tool, dash_score=None)
        return build_case(raw, fields, source="t", row=2).status["dash_score"]

    assert status("DARA") is Status.BLANK
    assert status("None") is Status.BLANK
    assert status("DASH") is Status.UNANSWERED
    assert _outcome(rubric, "ESC-6", risk_tool="DASH", risk_level="Medium", dash_score=None,
                    marac_referred="No") is Outcome.NOT_EVIDENCED
    assert _outcome(rubric, "ESC-6", risk_tool="Other", risk_level="Medium", dash_score=None,
                    marac_referred="No") is Outcome.NOT_APPLICABLE


def test_school_closures_are_skipped_like_weekends(tmp_path: Path) -> None:
    # Friday 12 December 2025; a closure on Monday 15th and Tuesday 16th.
    friday = dt.date(2025, 12, 12)
    closures = ((dt.date(2025, 12, 15), dt.date(2025, 12, 16)),)
    assert calendar.next_school_day(friday) == dt.date(2025, 12, 15)
    assert calendar.next_school_day(friday, closures) == dt.date(2025, 12, 17)
    variant = tmp_path / "closures.yaml"
    variant.write_text("id: closures\nversion: '1'\nextends: jtai-domestic-abuse\nparams:\n"
                       "  school_closures: [{from: 2025-12-15, to: 2025-12-16}]\n")
    local, core = load_rubric(variant), load_rubric(None)
    told_wednesday = {"incident_date": friday, "school_notified_date": dt.date(2025, 12, 17)}
    assert _outcome(core, "SHARE-1", **told_wednesday) is Outcome.NOT_MET
    assert _outcome(local, "SHARE-1", **told_wednesday) is Outcome.MET
    assert local.model.model_dump(mode="json")["params"]["school_closures"] == [
        {"from": "2025-12-15", "to": "2025-12-16"}]
