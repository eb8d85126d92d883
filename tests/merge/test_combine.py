"""Merging returns per child (merge/combine.py): precedence, conflicts, missing and N/A cells.

What the coordinator relies on: the preferred agency's value is used and a disagreement
shown with both cells; a blank or `Not recorded` gives way without a conflict; the latest
audit date and the highest incident count win; text is joined, never compared or shown; a
missing return leaves its cells unanswered (dates too); an agency not involved gives N/A.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl.utils import get_column_letter

from jtai_audit.merge.combine import MISSING as MISSING_STATUS
from jtai_audit.merge.combine import NOT_INVOLVED, RETURNED, Merged
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.terms import Status
from jtai_audit.workbook.cases import Case

from .helpers import (
    CONFLICTS,
    LEAD,
    MISSING,
    RESOLVED,
    RETURNS,
    example_rows,
    header_of,
    merge_paths,
    one_line,
    row_of,
    run_json,
    write_return,
)

LEAD_ROW: dict[str, Any] = {"case_id": "T-1", "area": "Testshire",
                            "agencies_involved": "Police; Children's social care; Health",
                            "audit_date": dt.date(2025, 11, 3), "child_seen": "Yes"}


def case(merged: Merged, case_id: str = "T-1") -> Case:
    return next(c for c in merged.cases if c.case_id == case_id)


def cell_of(path: Path, case_id: str, column: str) -> str:
    return f"Cases!{get_column_letter(header_of(path).index(column) + 1)}{row_of(path, case_id)}"


@pytest.fixture(scope="module")
def examples(rubric: LoadedRubric) -> Merged:
    return merge_paths(rubric, RETURNS)


def test_merged_cases_follow_the_lead_agencys_rows(examples: Merged) -> None:
    """Not the order the returns were read in (adult-mental-health.xlsx comes first)."""
    assert [c.case_id for c in examples.cases] == [r["case_id"] for r in example_rows()]
    lead = RETURNS / "children-s-social-care.xlsx"
    for merged in examples.cases:
        assert merged.source == str(lead) and merged.row == row_of(lead, merged.case_id)


def test_a_conflict_uses_the_preferred_value_and_names_both_cells(examples: Merged) -> None:
    rows = {r["case_id"]: r for r in example_rows()}
    assert len(examples.conflicts) == len(CONFLICTS) == 3
    for conflict, (case_id, column, agency, _) in zip(examples.conflicts, CONFLICTS,
                                                      strict=True):
        assert (conflict.case_id, conflict.column) == (case_id, column)
        preferred, other = conflict.cells
        assert other.agency == agency and preferred.agency != agency
        for side in conflict.cells:
            path = RETURNS / Path(side.file).name
            assert side.cell == cell_of(path, case_id, column)
        value = case(examples, case_id).values[column]
        wanted = rows[case_id][column]
        assert value == (wanted.date() if isinstance(wanted, dt.datetime) else wanted)
        source = examples.sources[(case_id, column)]
        assert [s.agency for s in source] == [preferred.agency]


def test_conflict_values_closed_words_shown_dates_as_an_interval_text_never() -> None:
    code, report, _ = run_json("merge", RETURNS)
    assert code == 1
    values = {(c["case_id"], c["column"]): [cell.get("value") for cell in c["cells"]]
              for c in report["conflicts"]}
    assert values == {
        ("NM-003", "incident_date"): ["the date used", "1 working day after Police's"],
        ("KF-003", "recognised_as_victim"): ["Partly", "Yes"],
        ("SM-006", "risk_level"): ["High", "Medium"],
    }
    assert all(set(cell) <= {"agency", "file", "cell", "value"}
               for c in report["conflicts"] for cell in c["cells"])


def test_integers_and_lists_show_their_values_text_is_joined_never_a_conflict(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{
        **LEAD_ROW, "other_children_linked": 2, "protective_orders": "DVPN; DVPO",
        "risk_level": "High", "case_notes": "Social worker's note."}])
    police = write_return(tmp_path / "police.xlsx", "Police", [{
        "case_id": "T-1", "other_children_linked": 3, "protective_orders": "DVPO; DVPN",
        "risk_level": "High", "case_notes": "Police officer's note."}])
    merged = merge_paths(rubric, csc, police)
    assert [(c.column, [x.value for x in c.cells]) for c in merged.conflicts] == [
        ("other_children_linked", ["2", "3"])]  # CSC is preferred; lists in any order agree
    notes = case(merged).values["case_notes"]
    assert notes == "Social worker's note.\n\nPolice officer's note."  # one paragraph each
    assert [s.agency for s in merged.sources[("T-1", "case_notes")]] == [LEAD, "Police"]
    police_lists = write_return(tmp_path / "later" / "police.xlsx", "Police", [{
        "case_id": "T-1", "protective_orders": "DVPO"}])
    (conflict,) = merge_paths(rubric, csc, police_lists).conflicts
    assert [x.value for x in conflict.cells] == ["DVPO", "DVPN; DVPO"]  # Police preferred


def test_blank_and_not_recorded_give_way_to_a_value_without_conflict(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{
        **LEAD_ROW, "incident_date": None, "risk_level": "Not recorded",
        "recognised_as_victim": "Not recorded"}])
    police = write_return(tmp_path / "police.xlsx", "Police", [{
        "case_id": "T-1", "incident_date": dt.date(2025, 3, 7), "risk_level": None,
        "recognised_as_victim": "Yes"}])
    merged = merge_paths(rubric, csc, police)
    assert merged.conflicts == []
    got = case(merged)
    assert got.values["incident_date"] == dt.date(2025, 3, 7)
    assert got.values["recognised_as_victim"] == "Yes"
    assert got.status["recognised_as_victim"] is Status.ANSWERED
    assert got.status["risk_level"] is Status.NOT_RECORDED  # silent in every return


def test_the_latest_audit_date_wins_without_conflict(rubric: LoadedRubric,
                                                    tmp_path: Path) -> None:
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [LEAD_ROW])
    police = write_return(tmp_path / "police.xlsx", "Police", [
        {"case_id": "T-1", "audit_date": dt.date(2025, 11, 10)}])
    health = write_return(tmp_path / "health.xlsx", "Health", [
        {"case_id": "T-1", "audit_date": dt.date(2025, 11, 5)}])
    merged = merge_paths(rubric, csc, police, health)
    assert merged.conflicts == []
    assert case(merged).values["audit_date"] == dt.date(2025, 11, 10)
    assert [s.agency for s in merged.sources[("T-1", "audit_date")]] == ["Police"]


def test_the_highest_incident_count_wins_without_conflict(rubric: LoadedRubric,
                                                          tmp_path: Path) -> None:
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{**LEAD_ROW,
                                                     "incidents_last_12_months": 2}])
    police = write_return(tmp_path / "police.xlsx", "Police", [
        {"case_id": "T-1", "incidents_last_12_months": 5}])
    health = write_return(tmp_path / "health.xlsx", "Health", [
        {"case_id": "T-1", "incidents_last_12_months": 7}])
    merged = merge_paths(rubric, csc, police, health)
    assert case(merged).values["incidents_last_12_months"] == 7  # known to any agency
    assert merged.conflicts == []


def test_a_missing_return_leaves_its_cells_unanswered_dates_included(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{**LEAD_ROW,
                                                     "incident_date": dt.date(2025, 3, 7)}])
    merged = merge_paths(rubric, csc)  # Police and Health still to come
    assert merged.missing == {"Police": ["T-1"], "Health": ["T-1"]}
    got = case(merged)
    for name in ("voice_police", "school_notified_date", "voice_health", "routine_enquiry"):
        assert got.status[name] is Status.UNANSWERED, name
    # a cell another involved agency answers is taken from it meanwhile
    assert got.values["incident_date"] == dt.date(2025, 3, 7)
    assert [(s.agency, s.status) for s in merged.statuses] == [
        ("Police", MISSING_STATUS), (LEAD, RETURNED), ("Health", MISSING_STATUS)]


def test_cells_only_agencies_not_involved_answer_merge_as_na(rubric: LoadedRubric,
                                                            tmp_path: Path) -> None:
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{**LEAD_ROW,
                                                     "agencies_involved": "Health"}])
    got = case(merge_paths(rubric, csc))
    assert got.status["voice_police"] is Status.NOT_APPLICABLE  # Police not involved
    assert got.status["voice_probation"] is Status.NOT_APPLICABLE
    assert got.status["voice_health"] is Status.UNANSWERED  # Health's return awaited


def test_a_return_from_an_agency_not_involved_is_warned_and_not_merged(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    csc = write_return(folder / "csc.xlsx", LEAD, [{**LEAD_ROW, "agencies_involved": "Health"}])
    write_return(folder / "police.xlsx", "Police", [{"case_id": "T-1", "voice_police": "N/A"}])
    merged = merge_paths(rubric, folder)
    assert ("T-1", "Police", NOT_INVOLVED) in {(s.case_id, s.agency, s.status)
                                                for s in merged.statuses}
    assert case(merged).status["voice_police"] is Status.NOT_APPLICABLE
    assert case(merged).values["agencies_involved"] == ("Health",)  # N/A answers nothing
    code, report, stderr = run_json("merge", folder)
    assert code == 1  # Health's return is still awaited
    assert {"case_id": "T-1", "agency": "Police", "status": "not_involved",
            "source": str(folder / "police.xlsx"), "reason": None} in report["returns"]
    line = one_line(stderr, "police.xlsx", "Cases!A2")
    assert "Police is not in case T-1's agencies_involved" in line
    assert csc.exists()


def test_unanswered_agencies_involved_merges_every_return_that_came(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    """Who is involved is unknown, not "nobody": no return is refused, no cell made N/A."""
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{**LEAD_ROW, "agencies_involved": None}])
    police = write_return(tmp_path / "police.xlsx", "Police", [{"case_id": "T-1",
                                                                "voice_police": "No"}])
    merged = merge_paths(rubric, csc, police)
    assert not [p for p in merged.problems if p.kind == "not_involved"]
    got = case(merged)
    assert got.values["voice_police"] == "No"
    assert got.status["voice_health"] is Status.UNANSWERED
    assert got.status["agencies_involved"] is Status.UNANSWERED


def test_an_agency_whose_return_answers_for_the_child_joins_agencies_involved(
        rubric: LoadedRubric, tmp_path: Path) -> None:
    """v2.3: the lead's list joined with every agency whose return answers a field."""
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{**LEAD_ROW, "agencies_involved": "Health"}])
    police = write_return(tmp_path / "police.xlsx", "Police", [{"case_id": "T-1",
                                                                "voice_police": "No"}])
    health = write_return(tmp_path / "health.xlsx", "Health", [{"case_id": "T-1",
                                                                "voice_health": "Yes"}])
    merged = merge_paths(rubric, csc, police, health)
    got = case(merged)
    assert got.values["agencies_involved"] == ("Health", "Police")  # the lead's order first
    assert got.status["agencies_involved"] is Status.ANSWERED
    assert got.values["voice_police"] == "No"  # merged, not N/A
    assert ("T-1", "Police", RETURNED) in {(s.case_id, s.agency, s.status)
                                           for s in merged.statuses}
    assert not [p for p in merged.problems if p.kind == "not_involved"]
    assert merged.missing == {}


def test_an_audit_date_alone_does_not_make_an_agency_involved(rubric: LoadedRubric,
                                                              tmp_path: Path) -> None:
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{**LEAD_ROW, "agencies_involved": "Health"}])
    police = write_return(tmp_path / "police.xlsx", "Police", [
        {"case_id": "T-1", "audit_date": dt.date(2025, 11, 4)}])
    merged = merge_paths(rubric, csc, police)
    assert case(merged).values["agencies_involved"] == ("Health",)
    assert ("T-1", "Police", NOT_INVOLVED) in {(s.case_id, s.agency, s.status)
                                                for s in merged.statuses}


@pytest.mark.parametrize(("lead", "police", "health", "merged_value"), [
    ("No", "Yes", "No", "Yes"),  # a Yes from any agency wins
    ("Yes", "No", None, "Yes"),
    ("No", "No", "Not recorded", "No"),
    ("Not recorded", "No", None, "No"),
])
def test_a_yes_fact_from_any_agency_wins_and_a_no_gives_way(
        lead: str, police: str, health: str | None, merged_value: str,
        rubric: LoadedRubric, tmp_path: Path) -> None:
    """v2.3: an agency's No says only that its own record shows no sign: no conflict."""
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{**LEAD_ROW,
                                                     "perpetrator_identified": lead}])
    police_return = write_return(tmp_path / "police.xlsx", "Police", [
        {"case_id": "T-1", "perpetrator_identified": police}])
    paths = [csc, police_return]
    if health is not None:
        paths.append(write_return(tmp_path / "health.xlsx", "Health", [
            {"case_id": "T-1", "voice_health": "Yes"}]))
    merged = merge_paths(rubric, *paths)
    assert merged.conflicts == []
    got = case(merged)
    assert got.values["perpetrator_identified"] == merged_value
    assert got.status["perpetrator_identified"] is Status.ANSWERED
    yes_side = [s.agency for s in merged.sources[("T-1", "perpetrator_identified")]]
    assert yes_side == [LEAD if lead == merged_value else "Police"]


def test_a_yes_fact_still_conflicts_with_na(rubric: LoadedRubric, tmp_path: Path) -> None:
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [{**LEAD_ROW,
                                                     "perpetrator_identified": "N/A"}])
    police = write_return(tmp_path / "police.xlsx", "Police", [
        {"case_id": "T-1", "perpetrator_identified": "Yes"}])
    (conflict,) = merge_paths(rubric, csc, police).conflicts
    assert conflict.column == "perpetrator_identified"


@pytest.mark.parametrize("second_file", [False, True])
def test_two_rows_for_one_case_in_one_agencys_returns_name_both_cells(
        second_file: bool, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    write_return(folder / "csc.xlsx", LEAD, [LEAD_ROW])
    rows = [{"case_id": "T-1", "voice_police": "Yes"}, {"case_id": "T-1", "voice_police": "No"}]
    if second_file:
        write_return(folder / "police-a.xlsx", "Police", rows[:1])
        write_return(folder / "police-b.xlsx", "Police", rows[1:])
        second, first = f"{folder / 'police-b.xlsx'}: Cases!A2", "police-a.xlsx at Cases!A2"
    else:
        write_return(folder / "police.xlsx", "Police", rows)
        second, first = f"{folder / 'police.xlsx'}: Cases!A3", "first at Cases!A2"
    code, report, stderr = run_json("merge", folder)
    assert code == 1
    line = one_line(stderr, "a second Police row for case T-1" if second_file
                    else "duplicate case_id")
    assert line.startswith(f"error: {second}") and first in line
    assert [p["level"] for p in report["problems"]] == ["error"]


def test_a_case_no_lead_return_holds_is_not_merged(rubric: LoadedRubric,
                                                   tmp_path: Path) -> None:
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [LEAD_ROW])
    police = write_return(tmp_path / "police.xlsx", "Police", [
        {"case_id": "T-1", "voice_police": "Yes"}, {"case_id": "T-2", "voice_police": "No"}])
    merged = merge_paths(rubric, csc, police)
    assert [c.case_id for c in merged.cases] == ["T-1"]
    assert merged.orphans == [("T-2", ("Police",))]
    # Not scored: on the chasing list as the lead agency's return missing, the Police
    # return in.
    assert {(s.agency, s.status) for s in merged.statuses if s.case_id == "T-2"} == {
        (LEAD, "lead_missing"), ("Police", "returned")}


def test_resolved_returns_merge_without_conflicts_or_gaps(rubric: LoadedRubric) -> None:
    merged = merge_paths(rubric, RESOLVED)
    assert merged.conflicts == [] and merged.missing == {} and merged.orphans == []
    assert {s.status for s in merged.statuses} == {RETURNED}
    assert [p for p in merged.problems if p.level == "error"] == []
    assert len(MISSING) == 2
