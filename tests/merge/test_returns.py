"""Reading a return (merge/returns.py): one agency's rows, its columns only, bad returns refused.

Every refusal is one line on stderr naming the file and the cell, with the contract's exit
code: 2 alone, 1 in a batch (the rest merged). The example returns are checked against the
script that builds them, and returns saved by LibreOffice and as CSV read like the originals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl.utils import get_column_letter

from jtai_audit.merge.returns import (
    AgencyReturn,
    agencies_of,
    agency_fields,
    lead_agency,
    read_return,
)
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.workbook.reader import CaseStream

from .helpers import (
    BUILD,
    FIXTURES,
    LEAD,
    MISSING,
    RESOLVED,
    RETURNS,
    copy_returns,
    edit_return,
    example_rows,
    header_of,
    invoke,
    merge_paths,
    one_line,
    row_of,
    run_json,
    write_return,
)


def read(rubric: LoadedRubric, path: Path) -> AgencyReturn:
    return read_return(CaseStream(path, rubric.model.fields), rubric.model)


def test_the_example_returns_are_what_the_script_builds(rubric: LoadedRubric,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Committed and reproducible: rerun `python examples/returns/build_returns.py` after a
    change to examples/cases.xlsx or to the rubric's columns."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(BUILD.FIXED_TIME.timestamp())))
    rows = example_rows()
    for folder, resolved in ((RETURNS, False), (RESOLVED, True)):
        built = BUILD.build(rubric, rows, resolved=resolved)
        assert sorted(built) == sorted(p.name for p in folder.glob("*.xlsx"))
        for name, data in built.items():
            assert (folder / name).read_bytes() == data, f"{folder.name}/{name} is stale"
        assert BUILD.build(rubric, rows, resolved=resolved) == built  # byte-identical rerun


def test_each_return_holds_its_agency_its_columns_and_its_cases(rubric: LoadedRubric) -> None:
    rows = example_rows()
    agencies = agencies_of(rubric.model)
    names = {BUILD.slug(a) + ".xlsx": a for a in agencies}
    seen = set()
    for folder in (RETURNS, RESOLVED):
        for path in sorted(folder.glob("*.xlsx")):
            agency = names[path.name]
            seen.add(agency)
            columns = [n for n in agency_fields(rubric.model, agency) if n != "case_id"]
            assert header_of(path) == ["case_id", "agency", *columns]
            found = read(rubric, path)
            assert found.agency == agency and found.ignored == [] and found.problems == []
            expected = [r["case_id"] for r in rows if agency in BUILD.expected(rubric, r)]
            if folder == RETURNS:
                expected = [c for c in expected if (c, agency) not in MISSING]
            assert [r.case.case_id for r in found.rows] == expected
    # every agency expected for some case, and no other
    assert seen == {a for r in rows for a in BUILD.expected(rubric, r)}
    assert {"Police", LEAD, "Health", "Probation", "Education"} <= seen
    assert lead_agency(rubric.model) == LEAD


BAD_AGENCY = [
    ("Health", "a second agency in one return (Police above, Health here)"),
    ("Polise", "the agency column does not hold one of the agencies"),
    (None, "no agency on this row of a return"),
]


@pytest.mark.parametrize(("typed", "message"), BAD_AGENCY)
@pytest.mark.parametrize("command", ["merge", "score", "validate"])
def test_a_bad_agency_cell_refuses_the_return_naming_file_and_cell(
        typed: str | None, message: str, command: str, tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    police = folder / "police.xlsx"
    row = row_of(police, "NM-004")
    edit_return(police, {f"B{row}": typed})
    alone = invoke(command, police)
    assert alone.exit_code == 2, alone.stdout
    line = one_line(alone.stderr, message)
    assert str(police) in line and f"Cases!A{row}" in line
    batch = invoke(command, folder)
    assert batch.exit_code == 1
    one_line(batch.stderr, str(police), f"Cases!A{row}", message)


def test_agency_names_are_matched_like_the_vocabulary(rubric: LoadedRubric,
                                                      tmp_path: Path) -> None:
    path = write_return(tmp_path / "csc.xlsx", "  children\u2019s SOCIAL care ", [
        {"case_id": "T-1", "area": "Testshire", "agencies_involved": "Police"}])
    assert read(rubric, path).agency == LEAD


def test_a_row_with_only_the_id_and_agency_is_not_a_return(rubric: LoadedRubric,
                                                           tmp_path: Path) -> None:
    """A pre-filled template row nobody answered: the return is still awaited."""
    csc = write_return(tmp_path / "csc.xlsx", LEAD, [
        {"case_id": "T-1", "area": "Testshire", "agencies_involved": "Police; Health"}])
    police = write_return(tmp_path / "police.xlsx", "Police", [
        {"case_id": "T-1", "voice_police": None, "incident_date": None}])
    assert read(rubric, police).rows == []
    merged = merge_paths(rubric, csc, police)
    assert merged.missing == {"Police": ["T-1"], "Health": ["T-1"]}


def test_a_value_in_a_column_the_agency_does_not_answer_is_warned_and_ignored(
        tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    police = folder / "police.xlsx"
    row = row_of(police, "NM-001")
    letter = get_column_letter(len(header_of(police)) + 1)
    edit_return(police, {f"{letter}1": "child_seen", f"{letter}{row}": "No"})
    code, report, stderr = run_json("merge", folder)
    assert code == 0  # a warning: the return is merged, the value ignored
    line = one_line(stderr, str(police), f"Cases!{letter}{row}")
    assert "child_seen is not answered by Police: ignored" in line
    assert report["problems"] == [{
        "file": str(police), "sheet": "Cases", "cell": f"Cases!{letter}{row}",
        "column": "child_seen", "message": "child_seen is not answered by Police: ignored",
        "level": "warning"}]
    _, scored, _ = run_json("score", folder)
    _, resolved, _ = run_json("score", RESOLVED)
    assert scored["cases"][0]["results"] == resolved["cases"][0]["results"]  # NM-001 unchanged


def same_rows(first: AgencyReturn, second: AgencyReturn) -> list[tuple[str, Any, Any]]:
    """Where two reads of one return differ: (case_id, first's cell, second's)."""
    differ = []
    assert [r.case.case_id for r in first.rows] == [r.case.case_id for r in second.rows]
    for a, b in zip(first.rows, second.rows, strict=True):
        for name in a.case.values:
            left = (a.case.status.get(name), a.case.values.get(name))
            right = (b.case.status.get(name), b.case.values.get(name))
            if left != right:
                differ.append((a.case.case_id, left, right))
    return differ


@pytest.mark.parametrize(("fixture", "original"), [
    ("return_police_libreoffice.xlsx", "police.xlsx"),
    ("return_health_libreoffice.csv", "health.xlsx"),
])
def test_a_return_saved_by_libreoffice_or_as_csv_reads_like_the_original(
        fixture: str, original: str, rubric: LoadedRubric) -> None:
    """tests/fixtures/make_return_fixtures.py made them from examples/returns-resolved/."""
    saved = read(rubric, FIXTURES / fixture)
    assert saved.agency == read(rubric, RESOLVED / original).agency
    assert saved.problems == [] and saved.ignored == []
    assert same_rows(read(rubric, RESOLVED / original), saved) == []
    sheet = fixture if fixture.endswith(".csv") else "Cases"
    assert saved.rows[0].case.cells["case_id"] == f"{sheet}!A2"


def test_returns_saved_by_libreoffice_and_as_csv_merge_and_score_the_same(
        tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    (folder / "police.xlsx").write_bytes((FIXTURES / "return_police_libreoffice.xlsx")
                                         .read_bytes())
    (folder / "health.xlsx").unlink()
    (folder / "health.csv").write_bytes((FIXTURES / "return_health_libreoffice.csv")
                                        .read_bytes())
    code, report, stderr = run_json("merge", folder)
    assert code == 0, stderr
    assert {r["status"] for r in report["returns"]} == {"returned"}
    _, mixed, _ = run_json("score", folder)
    _, original, _ = run_json("score", RESOLVED)
    assert [{k: v for k, v in c.items() if k != "source"} for c in mixed["cases"]] == \
        [{k: v for k, v in c.items() if k != "source"} for c in original["cases"]]
