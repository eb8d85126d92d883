"""`merge`, and `score` given returns: what the audit coordinator sees on the example audit.

examples/returns/ is examples/cases.xlsx split into one return per agency, with two returns
still missing and three cells where agencies disagree (build_returns.py's MISSING and
CONFLICTS); examples/returns-resolved/ is the same audit after chasing and correcting.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from jtai_audit.merge.returns import agencies_of
from jtai_audit.rubric.compiled import LoadedRubric

from ..conftest import EXAMPLE
from ..merge.helpers import (
    CONFLICTS,
    LEAD,
    MISSING,
    RESOLVED,
    RETURNS,
    agency_columns,
    copy_returns,
    edit_return,
    header_of,
    invoke,
    judged,
    one_line,
    row_of,
    run_json,
    unmergeable,
    write_return,
)


@pytest.fixture(scope="module")
def single() -> dict[str, Any]:
    return run_json("score", EXAMPLE)[1]


@pytest.fixture(scope="module")
def scored() -> dict[str, tuple[int, dict[str, Any], str]]:
    """`score FOLDER --format json` on the returns as they came in, and as resolved."""
    return {"returns": run_json("score", RETURNS), "resolved": run_json("score", RESOLVED)}


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {case["case_id"]: case for case in report["cases"]}


@pytest.mark.parametrize("folder", ["returns", "resolved"])
def test_cases_whose_returns_are_all_in_score_exactly_as_the_single_sheet(
        folder: str, single: dict[str, Any], scored: dict[str, Any],
        rubric: LoadedRubric) -> None:
    code, merged, _ = scored[folder]
    assert code == 0  # missing returns and conflicts are findings of merge, not of score
    assert [c["case_id"] for c in merged["cases"]] == [c["case_id"] for c in single["cases"]]
    awaited = {case_id for case_id, _ in MISSING} if folder == "returns" else set()
    odd = unmergeable(rubric)
    same = 0
    for case_id, expected in by_id(single).items():
        case = by_id(merged)[case_id]
        assert Path(case["source"]).name == "children-s-social-care.xlsx"  # the lead's return
        if case_id in awaited:
            continue
        if case_id not in odd:
            assert judged(case) == judged(expected), case_id
            same += 1
            continue
        # The single sheet answers a column that only agencies not involved answer: the
        # merge gives it N/A, so only the rules reading it may differ.
        for got, want in zip(case["results"], expected["results"], strict=True):
            if got != want:
                assert set(got["evidence"]) & odd[case_id], (case_id, got["rule"])
                assert all(got["evidence"].get(n) in ("N/A", None) for n in odd[case_id])
    assert same == 36 - len(awaited) - len(odd.keys() - awaited)


def test_a_case_with_a_return_missing_is_provisional_and_never_scored_lower(
        single: dict[str, Any], scored: dict[str, Any], rubric: LoadedRubric) -> None:
    _, merged, stderr = scored["returns"]
    for case_id, agency in MISSING:
        case, full = by_id(merged)[case_id], by_id(single)[case_id]
        assert case["complete"] is False and case["provisional"] is True
        # every unanswered cell is one the missing agency answers
        assert case["unanswered"] and set(case["unanswered"]) <= agency_columns(rubric, agency)
        for got, want in zip(case["results"], full["results"], strict=True):
            if got != want:  # left out as unanswered, never made worse
                assert got["outcome"] == "not_evidenced" and got["unanswered"], got
                assert set(got["unanswered"]) <= agency_columns(rubric, agency)
        # Never worse rule by rule, and never a cap the full return would not give. (The
        # score is a mean of what is judged: leaving out a met rule can lower it.)
        assert not set(case["capped_by"]) - set(full["capped_by"])
        one_line(stderr, f"awaiting the {agency} return", case_id)
    assert merged["summary"]["returns"] == {
        "missing": {agency: [case_id] for case_id, agency in MISSING},
        "conflicts": len(CONFLICTS), "not_scored": []}


def test_score_strict_exits_1_while_returns_are_missing_or_conflicting() -> None:
    assert invoke("score", RETURNS, "--format", "json", "--strict").exit_code == 1
    assert invoke("score", RESOLVED, "--format", "json", "--strict").exit_code == 0


def test_merge_lists_exactly_the_missing_returns_and_conflicts(rubric: LoadedRubric) -> None:
    code, report, _ = run_json("merge", RETURNS)
    assert code == 1
    assert report["cases"] == 36
    assert report["missing"] == {agency: [case_id] for case_id, agency in MISSING}
    missing = {(r["case_id"], r["agency"]) for r in report["returns"] if r["status"] == "missing"}
    assert missing == set(MISSING)
    assert all(r["source"] is None for r in report["returns"] if r["status"] == "missing")
    assert {r["status"] for r in report["returns"]} == {"returned", "missing"}
    found = {(c["case_id"], c["column"]): [cell["agency"] for cell in c["cells"]]
             for c in report["conflicts"]}
    model = rubric.model
    assert found == {(case_id, column): [next(a for a in model.fields[column].answered_by
                                              if a != agency), agency]
                     for case_id, column, agency, _ in CONFLICTS}
    assert report["not_scored"] == [] and report["unreadable"] == []


def test_merge_of_the_resolved_returns_is_complete_and_exits_0() -> None:
    code, report, stderr = run_json("merge", RESOLVED)
    assert code == 0, stderr
    assert report["missing"] == {} and report["conflicts"] == []
    assert {r["status"] for r in report["returns"]} == {"returned"}
    assert len(report["returns"]) == 178  # every expected return of the 36 children
    assert stderr == ""


def test_merge_text_ends_with_the_chasing_list() -> None:
    result = invoke("merge", RETURNS)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "36 case(s) merged; 176 of 178 expected returns in."
    tail = lines[lines.index("Chasing list: returns still awaited"):]
    assert tail == ["Chasing list: returns still awaited", "Police (1) missing:", "  EB-005",
                    "Health (1) missing:", "  KF-002"]
    assert f"Conflicts ({len(CONFLICTS)})" in result.stdout
    resolved = invoke("merge", RESOLVED)
    assert resolved.stdout.splitlines()[-1] == "Chasing list: every expected return is in."


def test_merge_csv_is_the_chasing_list_as_rows(rubric: LoadedRubric) -> None:
    result = invoke("merge", RETURNS, "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["agency", "case_id", "status", "source", "reason"]
    assert sorted(tuple(r[:2]) for r in rows[1:] if r[2] == "missing") == sorted(
        (agency, case_id) for case_id, agency in MISSING)
    agencies = [r[0] for r in rows[1:]]
    order = agencies_of(rubric.model)
    assert agencies == sorted(agencies, key=order.index)  # agency by agency, for sending
    # A row for every child and agency: the 178 expected returns, the rest not involved.
    assert len(rows) == 1 + 36 * len(order)
    assert sum(1 for r in rows[1:] if r[2] != "not_involved") == 178


def test_returns_mixed_with_a_whole_case_file_are_refused(tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    for command in ("merge", "score", "validate"):
        result = invoke(command, folder, EXAMPLE)
        assert result.exit_code == 2, (command, result.stdout)
        line = one_line(result.stderr, "cases.xlsx", "no agency column")
        assert "separate runs" in line


@pytest.mark.parametrize("command", ["merge", "score"])
def test_a_malformed_return_in_a_batch_exits_1_and_alone_exits_2(command: str,
                                                                  tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    police = folder / "police.xlsx"
    edit_return(police, {f"B{row_of(police, 'KF-003')}": "Health"})  # a second agency
    batch = invoke(command, folder, "--format", "json")
    assert batch.exit_code == 1
    cell = f"Cases!A{row_of(police, 'KF-003')}"
    one_line(batch.stderr, "police.xlsx", cell, "a second agency in one return")
    report = json.loads(batch.stdout)
    if command == "merge":
        assert report["unreadable"] == [{"file": str(police), "message": (
            f"{cell}: a second agency in one return (Police above, Health here): one "
            "agency's return per file"), "agency": "Police"}]
        assert f"not read: {police}: {cell}" in invoke(command, folder).stdout
        # Its cases are still awaited, as unreadable (the file and why), not as missing.
        assert "Police" not in report["missing"]
        police_returns = [r for r in report["returns"] if r["agency"] == "Police"]
        assert {r["status"] for r in police_returns} == {"unreadable"}
        assert {r["source"] for r in police_returns} == {str(police)}
    else:
        assert next(i for i in report["inputs"] if i["path"] == str(police))["cases"] == 0
    alone = invoke(command, police)
    assert alone.exit_code == 2
    one_line(alone.stderr, "police.xlsx", cell, "a second agency in one return")


@pytest.mark.parametrize("command", ["merge", "score"])
def test_an_unreadable_file_among_returns_exits_1(command: str, tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    (folder / "probation.xlsx").write_bytes((folder / "probation.xlsx").read_bytes()[:2000])
    result = invoke(command, folder, "--format", "json")
    assert result.exit_code == 1
    one_line(result.stderr, "probation.xlsx")
    alone = invoke(command, folder / "probation.xlsx")
    assert alone.exit_code == 2
    one_line(alone.stderr, "probation.xlsx")


def test_a_return_for_a_child_no_lead_return_holds_is_reported_not_scored(
        tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    write_return(folder / "police-extra.xlsx", "Police",
                 [{"case_id": "ZZ-001", "voice_police": "Yes"}])
    code, report, stderr = run_json("merge", folder)
    assert code == 1
    assert report["not_scored"] == [{"case_id": "ZZ-001", "agencies": ["Police"],
                                     "reason": "no lead-agency return"}]
    one_line(stderr, "ZZ-001", "no lead-agency return", "not scored")
    assert "not scored: ZZ-001" in invoke("merge", folder).stdout
    _, scored, stderr = run_json("score", folder)
    assert "ZZ-001" not in {c["case_id"] for c in scored["cases"]}
    assert scored["summary"]["returns"]["not_scored"] == ["ZZ-001"]
    one_line(stderr, "ZZ-001", "not scored")


def test_score_agency_gives_that_agency_its_own_part() -> None:
    _, merged, _ = run_json("merge", RETURNS)
    involved = [r["case_id"] for r in merged["returns"]
                if r["agency"] == "Police" and r["status"] in ("returned", "missing")]
    code, police, stderr = run_json("score", RETURNS, "--agency", "police")
    assert code == 0
    # The cases Police worked with, EB-005 (its return still awaited) included.
    assert [c["case_id"] for c in police["cases"]] == involved
    assert "EB-005" in involved and len(involved) == 32
    # Its rules are counted in the cases it owns them: the figures of the whole round's
    # per-agency picture, to the digit; each case keeps its whole score and grade.
    _, whole, _ = run_json("score", RETURNS)
    own = {r: {k: b[k] for k in ("rate", "cases", "finding")}
           for r, b in police["summary"]["rules"].items() if b["cases"] or b["unanswered"]}
    assert own and own == {r: b for r, b in whole["summary"]["agencies"]["Police"]["rules"]
                           .items() if r in own}
    graded = {c["case_id"]: (c["score"], c["grade"]) for c in whole["cases"]}
    assert all((c["score"], c["grade"]) == graded[c["case_id"]] for c in police["cases"])
    # Only its own returns awaited are listed.
    assert "awaiting the Police return" in stderr and "awaiting the Health return" not in stderr


def test_the_example_returns_keep_the_lead_agency_in_every_case() -> None:
    lead = {r["case_id"] for r in run_json("merge", RETURNS)[1]["returns"]
            if r["agency"] == LEAD and r["status"] == "returned"}
    assert len(lead) == 36
    assert all(agency != LEAD for _, agency in MISSING)


def test_score_names_each_invalid_cell_of_a_return_once(tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    police = folder / "police.xlsx"
    column = header_of(police).index("voice_police")
    cell = f"Cases!{chr(ord('A') + column)}{row_of(police, 'NM-001')}"
    edit_return(police, {cell.removeprefix("Cases!"): "Yse"})
    result = invoke("score", folder, "--format", "json")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if cell in line]
    assert len(lines) == 1 and lines[0].startswith("warning: "), lines
    assert "Yse" not in result.stderr
