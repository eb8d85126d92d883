"""Workbooks as real writers save them: LibreOffice, Excel's UK CSV dialects, other exporters.

The fixtures are rebuilt by tests/fixtures/make_fixtures.py (LibreOffice headless).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.terms import Status
from jtai_audit.workbook.reader import load_case_file
from jtai_audit.workbook.sheets import header_key

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CSV_FILES = ["excel_uk.csv", "excel_uk_utf8_bom.csv", "excel_uk_semicolon_bom.csv",
             "libreoffice_semicolon_cp1252.csv"]


@pytest.mark.parametrize("name", CSV_FILES)
def test_csv_as_excel_and_libreoffice_write_it_in_the_uk(rubric: LoadedRubric, name: str) -> None:
    loaded = load_case_file(FIXTURES / name, rubric.model.fields)
    assert loaded.sheet == name
    assert loaded.notices == [] and loaded.unknown_columns == []
    first, second = loaded.cases
    assert first.case_id == "RW-001"
    assert first.values["audit_date"] == dt.date(2025, 11, 3)
    assert first.values["referral_date"] == dt.date(2025, 3, 10)
    assert first.values["child_age_years"] == 6
    # "Children’s" with a typographic apostrophe (cp1252 0x92) is the vocabulary word.
    assert first.values["agencies_involved"] == ("Police", "Children's social care")
    assert first.values["dash_score"] == 16
    assert first.cells["child_seen"] == f"{name}!H2"
    assert second.status["child_seen"] is Status.NOT_APPLICABLE
    # No risk_tool column: a blank DASH score is optional only when the tool is not DASH (1.2).
    assert second.status["dash_score"] is Status.UNANSWERED


def test_saved_by_libreoffice_with_messy_headers_and_cells(rubric: LoadedRubric) -> None:
    loaded = load_case_file(FIXTURES / "libreoffice_messy.xlsx", rubric.model.fields)
    assert loaded.notices == []
    # Line breaks and brackets in headers; the merged J1:K1 header leaves K without one.
    assert loaded.unknown_columns == []
    assert loaded.columns["child_age_years"] == 3 and loaded.columns["case_notes"] == 9
    first, second = loaded.cases
    assert first.values["area"] == "Northmoor"  # trailing space
    assert first.values["child_age_years"] == 6  # a number stored as text
    assert first.values["unborn_at_referral"] == "No"  # FALSE
    assert first.values["agencies_involved"] == ("Police", "Children's social care")
    assert first.values["child_seen"] == "Yes"  # "Yes " with a trailing space
    assert first.values["dash_score"] == 16  # =10+6, its cached value
    assert second.case_id == "1002"  # a number typed as the case id
    assert second.values["unborn_at_referral"] == "Yes"  # TRUE
    assert second.values["audit_date"] == dt.date(2025, 11, 4)  # text, day first
    assert second.values["referral_date"] == dt.date(2025, 2, 1)  # ISO text
    assert second.status["child_seen"] is Status.NOT_APPLICABLE  # a formula giving "N/A"


def test_1904_date_system(rubric: LoadedRubric) -> None:
    loaded = load_case_file(FIXTURES / "date1904.xlsx", rubric.model.fields)
    assert loaded.notices == []
    first, second = loaded.cases
    assert first.values["audit_date"] == dt.date(2025, 11, 3)
    assert first.values["referral_date"] == dt.date(2025, 3, 10)
    # A date typed as a General number: a 1904-system serial, not a 1900 one.
    assert second.values["referral_date"] == dt.date(2025, 3, 10)


def test_hidden_sheets_are_ignored(rubric: LoadedRubric) -> None:
    loaded = load_case_file(FIXTURES / "hidden_sheet.xlsx", rubric.model.fields)
    assert loaded.sheet == "Audit 2025"
    assert [c.case_id for c in loaded.cases] == ["RW-001"]
    assert loaded.cases[0].cells["child_seen"] == "Audit 2025!B2"


def test_inline_and_shared_strings(rubric: LoadedRubric) -> None:
    loaded = load_case_file(FIXTURES / "inline_strings.xlsx", rubric.model.fields)
    assert loaded.notices == []
    case = loaded.cases[0]
    assert case.case_id == "RW-001"
    assert case.values["child_seen"] == "Yes"  # inline rich text in two runs
    assert case.values["dash_score"] == 16  # header from the shared strings table


def test_headers_with_brackets_and_question_marks() -> None:
    assert header_key("Child age\n(years)") == "child_age_years"
    assert header_key("Child seen?") == "child_seen"
