from __future__ import annotations

import datetime as dt

import pytest

from jtai_audit.schema import FieldSpec
from jtai_audit.terms import Status
from jtai_audit.workbook.cells import parse_answer, parse_cell, parse_date, parse_list, parse_yes_no


@pytest.mark.parametrize(("raw", "word"), [
    ("Yes", "Yes"), ("y", "Yes"), ("YES ", "Yes"), ("Partly", "Partly"), ("p", "Partly"),
    ("Partial", "Partly"), ("No", "No"), ("n", "No"), ("Not recorded", "Not recorded"),
    ("NR", "Not recorded"), ("N/A", "N/A"), ("na", "N/A"), ("Not applicable", "N/A"),
])
def test_answer_aliases(raw: str, word: str) -> None:
    assert parse_answer(raw).value == word


def test_silent_answers_have_their_status() -> None:
    assert parse_answer("NR").status is Status.NOT_RECORDED
    assert parse_answer("n/a").status is Status.NOT_APPLICABLE


def test_near_miss_is_named_without_echoing_the_cell() -> None:
    parsed = parse_answer("Yse")
    assert parsed.status is Status.INVALID
    assert parsed.problem == ("not an answer (Yes, Partly, No, Not recorded, N/A) — "
                              "did you mean 'Yes'?")
    assert "Yse" not in (parsed.problem or "")


def test_yes_no_refuses_partly_and_reads_booleans() -> None:
    assert parse_yes_no("Partly").status is Status.INVALID
    assert parse_yes_no(True).value == "Yes"
    assert parse_yes_no("FALSE").value == "No"


@pytest.mark.parametrize(("raw", "expected"), [
    (dt.datetime(2025, 3, 14, 0, 0), dt.date(2025, 3, 14)),
    (dt.date(2025, 3, 14), dt.date(2025, 3, 14)),
    ("2025-03-14", dt.date(2025, 3, 14)),
    ("14/03/2025", dt.date(2025, 3, 14)),
    ("03/04/2025", dt.date(2025, 4, 3)),  # UK day-first, never US month-first
    ("14.03.2025", dt.date(2025, 3, 14)),
    (45730, dt.date(2025, 3, 14)),  # an Excel serial
    (45730.0, dt.date(2025, 3, 14)),
])
def test_dates(raw: object, expected: dt.date) -> None:
    assert parse_date(raw).value == expected


def test_us_order_date_is_refused_not_swapped() -> None:
    parsed = parse_date("03/14/2025")
    assert parsed.status is Status.INVALID
    assert parsed.problem is not None and "does not exist" in parsed.problem


def test_date_words() -> None:
    assert parse_date("Not recorded").status is Status.NOT_RECORDED
    assert parse_date("N/A").status is Status.NOT_APPLICABLE
    assert parse_date("soon").status is Status.INVALID


def test_lists_are_semicolon_separated_and_checked() -> None:
    values = ["Police", "Health", "Probation"]
    assert parse_list("police; Health;", values).value == ("Police", "Health")
    bad = parse_list("Police; Helth", values)
    assert bad.status is Status.INVALID and "did you mean 'Health'" in (bad.problem or "")


def test_integers_respect_range_and_refuse_fractions() -> None:
    spec = FieldSpec(type="integer", description="age", min=0, max=17)
    assert parse_cell("7", spec).value == 7
    assert parse_cell(7.0, spec).value == 7
    assert parse_cell(18, spec).status is Status.INVALID
    assert parse_cell(2.5, spec).status is Status.INVALID
    assert parse_cell("seven", spec).status is Status.INVALID
