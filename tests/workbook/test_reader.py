from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.errors import WorkbookError
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.terms import Status
from jtai_audit.workbook.limits import column_letter
from jtai_audit.workbook.pseudonyms import looks_like_name, looks_like_nhs_number
from jtai_audit.workbook.reader import load_case_file
from jtai_audit.workbook.sheets import header_key

from ..conftest import case_rows, good_case, write_xlsx


def test_header_matching_treats_spaces_hyphens_underscores_alike() -> None:
    assert header_key("Child seen") == header_key("child_seen") == header_key("CHILD-SEEN")
    assert header_key("Child\nseen ") == "child_seen"


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_pseudonym_checks() -> None:
    assert looks_like_nhs_number("943 476 5919")
    assert not looks_like_nhs_number("9434765918")
    assert looks_like_name("Jane Smith")
    assert not looks_like_name("NM-001")
    assert not looks_like_name("case 12")


def test_bad_cell_is_named_and_treated_as_unanswered(rubric: LoadedRubric,
                                                     make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, child_seen="Yse")])
    path = make_xlsx(header, rows)
    loaded = load_case_file(path, rubric.model.fields)
    column = column_letter(header.index("child_seen"))
    assert [str(n) for n in loaded.invalid] == [
        f"Cases!{column}2 (child_seen): not an answer (Yes, Partly, No, Not recorded, N/A) — did you mean 'Yes'?"]
    case = loaded.cases[0]
    assert case.status["child_seen"] is Status.INVALID
    assert "child_seen" in case.unanswered(rubric.model.fields)


def test_name_in_case_id_refuses_the_file_without_echoing_it(
        rubric: LoadedRubric, make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric, case_id="Jane Smith")])
    path = make_xlsx(header, rows)
    with pytest.raises(WorkbookError) as caught:
        load_case_file(path, rubric.model.fields)
    assert "Cases!A2" in str(caught.value) and "Jane" not in str(caught.value)


def test_csv_semicolon_cp1252_with_aliases(rubric: LoadedRubric, tmp_path: Path) -> None:
    text = "Case ID;Age;Child seen;Area\r\nX-1;4;y;Bournè\r\n\r\n"
    path = tmp_path / "cases.csv"
    path.write_bytes(text.encode("cp1252"))
    loaded = load_case_file(path, rubric.model.fields)
    case = loaded.cases[0]
    assert (case.case_id, case.values["child_age_years"], case.values["child_seen"],
            case.values["area"]) == ("X-1", 4, "Yes", "Bournè")
    assert len(loaded.cases) == 1  # the blank row is skipped


def test_blank_age_is_an_answer_only_while_unborn(rubric: LoadedRubric,
                                                  make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [
        good_case(rubric, case_id="U-1", child_age_years=None, unborn_at_referral="Yes"),
        good_case(rubric, case_id="U-2", child_age_years=None, unborn_at_referral="No")])
    cases = load_case_file(make_xlsx(header, rows), rubric.model.fields).cases
    assert cases[0].status["child_age_years"] is Status.BLANK
    assert cases[1].status["child_age_years"] is Status.UNANSWERED


def test_duplicate_case_id_is_reported(rubric: LoadedRubric,
                                       make_xlsx: Callable[..., Path]) -> None:
    header, rows = case_rows(rubric, [good_case(rubric), good_case(rubric)])
    loaded = load_case_file(make_xlsx(header, rows), rubric.model.fields)
    assert [str(n) for n in loaded.invalid] == ["Cases!A3 (case_id): duplicate case_id (first at Cases!A2)"]


def test_sheet_choice_needs_a_case_id_header(rubric: LoadedRubric,
                                             make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx(["child", "seen"], [["a", "b"]], sheet="Data")
    with pytest.raises(WorkbookError, match="choose one with --sheet"):
        load_case_file(path, rubric.model.fields)


def test_not_a_workbook(rubric: LoadedRubric, tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_text("this is not a workbook")
    with pytest.raises(WorkbookError, match=r"not a readable \.xlsx workbook"):
        load_case_file(path, rubric.model.fields)


def test_a_case_id_under_another_header_gets_a_hint(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", ["Case Ref", "Case notes", "child_seen"],
                      [["T-001", "seen at home", "Yes"]])
    runner = CliRunner()
    score = runner.invoke(app, ["score", str(path)])
    assert score.exit_code == 2
    assert "no case_id column in the header row Cases!1:1 — is 'Case Ref' the case id? " \
           "Rename that header case_id" in score.stderr
    validate = runner.invoke(app, ["validate", str(path)])
    assert "is 'Case Ref' the case id?" in validate.stdout and "Case notes" not in validate.stdout
