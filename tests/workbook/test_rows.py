"""One row source: `score`, `validate`, `sample` and `template` agree on a sheet's rows.

A file `validate` passes must be the file `score` reads: the same rows skipped as blank,
the same case ids, the same ids called missing, repeated or identifying.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from jtai_audit.auditing.sampling import read_case_list
from jtai_audit.auditing.validation import check_file
from jtai_audit.commands.template import read_id_lines
from jtai_audit.errors import WorkbookError
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.schema import FieldSpec, id_field
from jtai_audit.workbook.reader import CaseStream
from jtai_audit.workbook.rows import IdCheck, IdKind, blank_row, id_text

from ..conftest import case_rows, good_case


def test_blank_rows_are_rows_of_nothing_but_spaces() -> None:
    assert blank_row([None, "", "   ", "\t"])
    assert not blank_row([None, 0])  # a zero typed in a cell is an answer
    assert not blank_row([None, dt.date(2025, 1, 1)])


def test_an_id_reads_as_the_text_the_auditor_meant() -> None:
    assert id_text(1001.0) == "1001"  # Excel's number for an id typed as digits
    assert id_text("  EB-001 ") == "EB-001"
    assert id_text("O\u2019B-7") == "O'B-7"  # a curly apostrophe from Word
    assert id_text(None) == id_text("   ") == ""


def test_one_check_says_missing_identifying_and_repeated_ids_in_one_set_of_words() -> None:
    check = IdCheck("case_id", lambda n: f"Cases!A{n}")
    assert check("EB-001", 2) is None
    missing = check("", 3)
    assert missing is not None and (missing.kind, missing.message) == (IdKind.MISSING,
                                                                      "no case_id")
    named = check("Jane Smith", 4)
    assert named is not None and named.kind is IdKind.IDENTIFYING
    assert "Jane" not in named.message and "name" in named.message
    again = check("EB-001", 5)
    assert again is not None and again.message == "duplicate case_id (first at Cases!A2)"


def test_a_rubric_names_its_own_id_column() -> None:
    spec = FieldSpec(type="id", description="the child's pseudonym")
    other = FieldSpec(type="text", description="notes")
    assert id_field({"notes": other, "child_ref": spec}) == "child_ref"
    assert id_field({"notes": other}) == "case_id"


@pytest.fixture
def awkward(rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> Path:
    """Ids as an auditor's sheet holds them: a number, spaces, a blank row, a repeat."""
    header, rows = case_rows(rubric, [good_case(rubric, case_id=1001.0),
                                      good_case(rubric, case_id="  EB-002 "),
                                      good_case(rubric, case_id="EB-003")])
    spaces = ["  "] * len(header)
    return make_xlsx(header, [rows[0], spaces, rows[1], [None] * len(header), rows[2]])


def test_score_sample_and_validate_read_the_same_ids_from_the_same_rows(
        rubric: LoadedRubric, awkward: Path) -> None:
    stream = CaseStream(awkward, rubric.model.fields)
    scored = [(case.case_id, case.row) for chunk in stream.chunks()
              for case in (chunk.case(i) for i in range(len(chunk)))]
    assert scored == [("1001", 2), ("EB-002", 4), ("EB-003", 6)]
    assert read_case_list(awkward, rubric.model.fields, None).ids == [c for c, _ in scored]
    report = check_file(awkward, rubric)
    assert report.cases == 3
    assert not [p for p in report.problems if p.column == "case_id"]


def test_a_repeated_id_is_named_at_the_same_cell_by_each_tool(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, case_id="EB-001"),
                                      good_case(rubric, case_id=" EB-001")])
    path = make_xlsx(header, rows)
    stream = CaseStream(path, rubric.model.fields)
    list(stream.chunks())
    told = [n.message for n in stream.notices if n.column == "case_id"]
    assert told == ["duplicate case_id (first at Cases!A2)"]
    assert [(p.cell, p.message) for p in check_file(path, rubric).problems
            if p.column == "case_id"] == [("Cases!A3", "duplicate case_id (first at Cases!A2)")]
    with pytest.raises(WorkbookError, match=r"Cases!A3: duplicate case_id \(first at Cases!A2\)"):
        read_case_list(path, rubric.model.fields, None)


def test_a_text_file_of_ids_is_checked_by_the_same_rule(tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("case_id\nEB-001\n\nEB-002\nEB-001\n")
    with pytest.raises(WorkbookError, match=r"line 5: duplicate case_id \(first at line 2\)"):
        read_id_lines(ids, "case_id")
    ids.write_text("EB-001\nJane Smith\n")
    with pytest.raises(WorkbookError, match="line 2: case_id looks like a person's name") as err:
        read_id_lines(ids, "case_id")
    assert "Jane" not in str(err.value)
