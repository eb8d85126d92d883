"""Rules keyed on their atoms give, rule for rule, the row engine's results.

`ColumnJudge` decides a rule once per class of cells (`engine/atoms.py`): lists of agencies
by `'Police' in agencies_involved`, a rule's dates by `$working_days(a, b) <= N` and their
order. These tests hold that path against the row engine (tests/engine/oracle.py) on the
cells where a wrong class would show: dates either side of weekends and bank holidays,
blank and unrecorded dates, lists with the same answers, `N/A` answers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jtai_audit.conditions.atoms import field_atoms
from jtai_audit.engine.columns import ColumnJudge
from jtai_audit.engine.judge import CaseResult
from jtai_audit.rubric.loader import load_rubric
from jtai_audit.workbook.cases import CellRefs, build_case
from jtai_audit.workbook.columns import ColumnReader

from .oracle import RowEngine

RUBRIC = load_rubric(None)
FIELDS = RUBRIC.model.fields
NAMES = list(FIELDS)
AGENCIES = FIELDS["agencies_involved"].values or []
DATES = [n for n, s in FIELDS.items() if s.type == "date"]
# Around Christmas 2024 (25, 26 December and 1 January are bank holidays) and Easter 2025
# (Good Friday 18 April, Easter Monday 21 April), weekends included.
_DAYS = [dt.date(2024, 12, 20) + dt.timedelta(days=k) for k in range(16)] + \
    [dt.date(2025, 4, 15) + dt.timedelta(days=k) for k in range(10)]
_ANSWER = st.sampled_from(["Yes", "No", "Partly", "N/A", "Not recorded", "", None])
_DATE = st.one_of(st.sampled_from(_DAYS), st.sampled_from([None, "", "Not recorded", "N/A"]))
_LIST = st.one_of(
    st.lists(st.sampled_from(AGENCIES), min_size=1, max_size=4, unique=True).map("; ".join),
    st.sampled_from(["", "Not recorded", "N/A", None]))


def _cell(name: str) -> Any:
    spec = FIELDS[name]
    if spec.type == "date":
        return _DATE
    if spec.type == "list":
        return _LIST
    if spec.type == "integer":
        return st.one_of(st.none(), st.integers(0, 30), st.just("Not recorded"))
    if spec.type == "text":
        return st.sampled_from(["", "a volatile relationship", "seen at home", None])
    if spec.type == "choice":
        return st.sampled_from([*(spec.values or []), "", "N/A", "Not recorded"])
    return _ANSWER


_ROW = st.fixed_dictionaries({n: _cell(n) for n in NAMES if n != "case_id"})


def _full(result: CaseResult) -> tuple[Any, ...]:
    """Everything of a case result, each rule's result whole (evidence, limit, dates' order)."""
    return (result.case.case_id, result.case.row, result.score, result.grade,
            result.band_grade, result.capped_by, result.complete, result.unanswered,
            result.results, result.warnings, result.limits)


def _judge_both(table: list[dict[str, Any]], size: int) -> ColumnJudge:
    letters = {n: f"C{i}" for i, n in enumerate(NAMES)}
    reader = ColumnReader(FIELDS, {n: i for i, n in enumerate(NAMES)}, source="a",
                          sheet="Cases", letters=letters)
    engine = RowEngine(RUBRIC)
    judge = ColumnJudge(RowEngine(RUBRIC))
    rows = [[f"A-{i}" if n == "case_id" else row.get(n) for n in NAMES]
            for i, row in enumerate(table)]
    for start in range(0, len(rows), size):
        part = rows[start:start + size]
        numbers = list(range(start + 2, start + 2 + len(part)))
        judged = judge.judge(reader.read(part, numbers))
        for row, raw in enumerate(part):
            case = build_case(dict(zip(NAMES, raw, strict=True)), FIELDS, source="a",
                              row=numbers[row], cells=CellRefs("Cases", letters, numbers[row]))
            assert _full(judged.case_result(row)) == _full(engine.evaluate(case))
    return judge


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ROW, min_size=1, max_size=30), st.integers(1, 30))
def test_rules_keyed_on_atoms_agree_with_the_row_engine(rows: list[dict[str, Any]],
                                                         size: int) -> None:
    _judge_both(rows, size)


def _row(**cells: Any) -> dict[str, Any]:
    return {n: "Yes" if FIELDS[n].type in ("answer", "yes_no") else None
            for n in NAMES if n != "case_id"} | cells


def test_every_two_date_interval_over_the_holidays_agrees() -> None:
    """Each pair of dates over Christmas 2024 and Easter 2025, in both orders, one chunk."""
    table = [_row(agencies_involved="Police; Health", attends_setting="Yes",
                  significant_harm_suspected="Yes", strategy_discussion_held="Yes",
                  incidents_last_12_months=5,
                  incident_date=a, referral_date=b, referral_decision_date=a,
                  harm_threshold_date=b, strategy_discussion_date=a, school_notified_date=b)
             for a in _DAYS for b in _DAYS]
    judge = _judge_both(table, 5_000)
    # Decided by class, not by pair: far fewer engine calls than pairs of dates.
    numbers = {p.rule.id: n for n, p in enumerate(judge.programs)}
    for rule in ("ESC-1", "ESC-8", "ESC-9", "SHARE-1"):
        assert judge._atoms[numbers[rule]].dates is not None
        assert len(judge._classes[numbers[rule]]) < len(judge._cache[numbers[rule]])


def test_lists_with_the_same_answers_share_a_decision_and_keep_their_own_evidence() -> None:
    table = [_row(agencies_involved=agencies, voice_police="Partly", unborn_at_referral="No",
                  child_age_years=4)
             for agencies in ("Police", "Police; Health", "Health; Police; Housing",
                              "Housing", "Education; Housing", "", "Not recorded", "N/A")]
    judge = _judge_both(table, 100)
    number = next(n for n, p in enumerate(judge.programs) if p.rule.id == "VOICE-3")
    results = judge._cache[number].values()
    shown = {dict(j.result.evidence)["agencies_involved"] for j in results}
    assert ("Police", "Health") in shown and ("Housing",) in shown
    assert len(judge._classes[number]) < len(judge._cache[number])


def test_a_field_used_other_than_through_a_yes_no_atom_keeps_its_cells() -> None:
    env = RUBRIC.env
    bare = env.compile("incident_date != null and referral_date != null and "
                       "child_age_years != null and "
                       "$working_days(incident_date, referral_date) > child_age_years")
    groups = dict.fromkeys(DATES, "$dates")
    assert field_atoms([bare], env, ["child_age_years", "$dates"], groups) == {}
    atoms = field_atoms([env.compile("'Police' in agencies_involved and incident_date != null "
                                     "and referral_date != null and "
                                     "$working_days(incident_date, referral_date) <= 1")],
                        env, ["agencies_involved", "$dates"], groups)
    assert set(atoms) == {"agencies_involved", "$dates"}
    police, = atoms["agencies_involved"]
    assert police({"agencies_involved": ("Health", "Police")})
    assert not police({"agencies_involved": ("Health",)})


def test_notes_alike_in_answers_and_evidence_are_judged_once() -> None:
    """Every note with no listed phrase is one result; a phrase found is shown as itself."""
    notes = [f"seen at home on visit {n}" for n in range(40)] + \
        ["a volatile relationship", "a volatile relationship again", None, ""]
    judge = _judge_both([_row(case_notes=note) for note in notes], 100)
    number = next(n for n, p in enumerate(judge.programs) if p.rule.id == "LANG-1")
    shown = [dict(j.result.evidence).get("case_notes") for j in judge._cache[number].values()]
    assert shown.count("no listed phrase") == 1
    assert len(judge._cache[number]) < 10
