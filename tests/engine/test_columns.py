"""The column-at-a-time engine gives, case for case and figure for figure, the row engine's results.

`RowEngine.evaluate` (tests/engine/oracle.py, one case at a time) is the reference; `ColumnJudge` is what `score` runs.
If they ever disagree a report would change with nothing in the rubric or the cases changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jtai_audit.engine.columns import ColumnJudge
from jtai_audit.engine.judge import CaseResult
from jtai_audit.engine.summary import Summary
from jtai_audit.report.summary_json import summary_dict
from jtai_audit.rubric.loader import load_rubric
from jtai_audit.workbook import columns as workbook_columns
from jtai_audit.workbook.cases import CellRefs, build_case
from jtai_audit.workbook.columns import ColumnReader
from jtai_audit.workbook.reader import CaseStream

from ..conftest import EXAMPLE, ROOT
from .oracle import RowEngine

RUBRIC = load_rubric(None)
FIELDS = RUBRIC.model.fields
FIXTURES = sorted([EXAMPLE, *(ROOT / "tests" / "fixtures").glob("*.xlsx"),
                   *(ROOT / "tests" / "fixtures").glob("*.csv")])


def _shape(result: CaseResult) -> dict[str, Any]:
    """Everything a report can show of a case result."""
    return {"case": (result.case.case_id, result.case.source, result.case.row),
            "area": result.area, "score": result.score, "grade": result.grade,
            "band": result.band_grade, "capped_by": result.capped_by,
            "complete": result.complete, "unanswered": result.unanswered,
            "warnings": result.warnings, "auditor": result.auditor_grade,
            "results": [(r.rule, r.theme, r.outcome, r.evidence, r.silent, r.na_cells,
                         r.unanswered) for r in result.results]}


def _both(path: Path, size: int, agency: str | None = None
          ) -> tuple[list[CaseResult], list[CaseResult], Summary, Summary]:
    engine = RowEngine(RUBRIC)
    rows = [engine.evaluate(case) for case in CaseStream(path, FIELDS).cases()]
    judge = ColumnJudge(RowEngine(RUBRIC))
    by_row, by_chunk = (Summary(RUBRIC.model, agency=agency, reads=RUBRIC.reads),
                        Summary(RUBRIC.model, agency=agency, reads=RUBRIC.reads))
    columns: list[CaseResult] = []
    for chunk in CaseStream(path, FIELDS).chunks(size):
        judged = judge.judge(chunk)
        by_chunk.add_chunk(judged)
        columns.extend(judged.case_results())
    for result in rows:
        by_row.add(result)
    return rows, columns, by_row, by_chunk


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("size", [1, 7, 5_000])
def test_every_fixture_judged_by_columns_as_by_rows(path: Path, size: int) -> None:
    rows, columns, by_row, by_chunk = _both(path, size)
    assert [_shape(r) for r in columns] == [_shape(r) for r in rows]
    assert json.dumps(summary_dict(by_chunk), default=str) == json.dumps(summary_dict(by_row),
                                                                      default=str)


@pytest.mark.parametrize("agency", ["Probation", "Children's social care", "Education"])
@pytest.mark.parametrize("size", [1, 7, 5_000])
def test_one_agencys_part_is_counted_by_columns_as_by_rows(agency: str, size: int) -> None:
    """Owners per case (the first listed agency involved, else the lead) in both paths."""
    _, _, by_row, by_chunk = _both(EXAMPLE, size, agency)
    mine, theirs = summary_dict(by_chunk), summary_dict(by_row)
    assert json.dumps(mine, default=str) == json.dumps(theirs, default=str)
    # One agency's rules are its own figures in the whole round's per-agency picture.
    _, _, whole, _ = _both(EXAMPLE, size)
    owned = summary_dict(whole)["agencies"][agency]["rules"]
    assert {r: {k: b[k] for k in ("rate", "cases", "finding")}
            for r, b in mine["rules"].items() if b["cases"] or b["unanswered"]} == \
        {r: b for r, b in owned.items() if b["cases"]
         or whole.agency_outcomes[agency][r].get("unanswered")}
    # The agency's part holds its own picture only, the whole round's to the digit.
    assert summary_dict(by_chunk)["agencies"] == {agency: summary_dict(whole)["agencies"][agency]}


def test_tables_started_afresh_between_chunks_change_nothing(monkeypatch: Any) -> None:
    monkeypatch.setattr(workbook_columns, "MEMO_LIMIT", 2)
    rows, columns, by_row, by_chunk = _both(EXAMPLE, 4)
    assert [_shape(r) for r in columns] == [_shape(r) for r in rows]
    assert summary_dict(by_chunk) == summary_dict(by_row)


def test_reader_notices_come_in_the_row_readers_order(tmp_path: Path) -> None:
    path = ROOT / "tests" / "fixtures" / "libreoffice_messy.xlsx"
    by_rows = CaseStream(path, FIELDS)
    list(by_rows.cases())
    by_chunks = CaseStream(path, FIELDS)
    for _ in by_chunks.chunks(2):
        pass
    assert by_chunks.notices == by_rows.notices
    assert by_chunks.count == by_rows.count


_CELL = st.one_of(
    st.none(), st.sampled_from(["Yes", "No", "Partly", "NR", "N/A", "Not recorded", "y", "",
                                " yes ", "Maybe", "Police; Health", "High", "7", "DASH"]),
    st.integers(-3, 30), st.dates(dt.date(2024, 12, 20), dt.date(2025, 1, 10)),
    st.booleans(), st.sampled_from([1.0, 0.0, 7.5, 45_658.0, float("nan")]),
    st.sampled_from(["a volatile relationship", "she should have left", "seen alone",
                     "'toxic relationship' in his words"]))
_ROW = st.fixed_dictionaries({name: _CELL for name in FIELDS if name != "case_id"})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ROW, min_size=1, max_size=12), st.integers(1, 5),
       st.sets(st.sampled_from([n for n in FIELDS if n != "case_id"]), max_size=12))
def test_generated_cases_judged_alike(rows: list[dict[str, Any]], size: int,
                                      missing: set[str]) -> None:
    """Any cells (text, numbers, booleans, dates), some columns missing from the file."""
    names = [n for n in FIELDS if n not in missing]
    table = [[f"G-{i}" if n == "case_id" else row.get(n) for n in names]
             for i, row in enumerate(rows)]
    letters = {n: f"C{i}" for i, n in enumerate(names)}
    reader = ColumnReader(FIELDS, {n: i for i, n in enumerate(names)}, source="g",
                          sheet="Cases", letters=letters)
    engine = RowEngine(RUBRIC)
    judge = ColumnJudge(RowEngine(RUBRIC))
    for start in range(0, len(table), size):
        numbers = list(range(start + 2, start + 2 + len(table[start:start + size])))
        chunk = reader.read(table[start:start + size], numbers)
        judged = judge.judge(chunk)
        for row in range(len(chunk)):
            raw = dict(zip(names, table[start + row], strict=True))
            case = build_case(raw, FIELDS, source="g", row=numbers[row],
                              cells=CellRefs("Cases", letters, numbers[row]))
            assert _shape(judged.case_result(row)) == _shape(engine.evaluate(case))


def test_one_judge_over_several_files_never_reuses_another_files_codes() -> None:
    """A batch: the second file's codes mean other cells than the first's."""
    judge = ColumnJudge(RowEngine(RUBRIC))
    engine = RowEngine(RUBRIC)
    for path in (EXAMPLE, ROOT / "tests" / "fixtures" / "date1904.xlsx", EXAMPLE):
        expected = [engine.evaluate(case) for case in CaseStream(path, FIELDS).cases()]
        found = [r for chunk in CaseStream(path, FIELDS).chunks()
                 for r in judge.judge(chunk).case_results()]
        assert [_shape(r) for r in found] == [_shape(r) for r in expected]


def test_a_chunk_of_rows_without_case_ids_is_scored_as_nothing(tmp_path: Path) -> None:
    from ..conftest import write_xlsx

    path = write_xlsx(tmp_path / "c.xlsx", ["case_id", "child_seen"],
                      [["A-1", "Yes"], [None, "No"], [None, "Yes"], ["A-2", "No"]])
    judge = ColumnJudge(RowEngine(RUBRIC))
    summary = Summary(RUBRIC.model)
    stream = CaseStream(path, FIELDS)
    judged = [judge.judge(chunk) for chunk in stream.chunks(1)]
    for item in judged:
        summary.add_chunk(item)
    assert [len(j) for j in judged] == [1, 0, 0, 1]
    assert summary.cases == 2 and stream.count == 2
    assert sum("no case_id" in n.message for n in stream.notices) == 2


def test_weights_that_are_not_halves_give_the_row_engines_figures(tmp_path: Path) -> None:
    """Sums of tenths depend on their order: such a rubric's points are added case by case."""
    text = (ROOT / "rubrics" / "jtai-domestic-abuse.yaml").read_text(encoding="utf-8")
    weights = iter((0.1, 0.7, 1.3) * 100)
    odd = re.sub(r"(?m)^(\s+weight: )\d+(\.\d+)?$", lambda m: f"{m.group(1)}{next(weights)}",
                 text)
    assert odd != text
    (tmp_path / "odd.yaml").write_text(odd, encoding="utf-8")
    rubric = load_rubric(str(tmp_path / "odd.yaml"))
    assert {r.weight for r in rubric.model.rules} == {0.1, 0.7, 1.3}
    engine = RowEngine(rubric)
    by_row, by_chunk = Summary(rubric.model, reads=rubric.reads), \
        Summary(rubric.model, reads=rubric.reads)
    for case in CaseStream(EXAMPLE, rubric.model.fields).cases():
        by_row.add(engine.evaluate(case))
    judge = ColumnJudge(RowEngine(rubric))
    for chunk in CaseStream(EXAMPLE, rubric.model.fields).chunks(5):
        by_chunk.add_chunk(judge.judge(chunk))
    assert by_chunk._half_weights is False
    for name in ("themes", "owners", "areas"):
        for key in getattr(by_row, name):
            mine, theirs = getattr(by_chunk, name)[key], getattr(by_row, name)[key]
            assert repr(mine) == repr(theirs), (name, key)
    assert summary_dict(by_chunk) == summary_dict(by_row)


def test_grades_that_differ_are_counted_past_the_list(monkeypatch: Any) -> None:
    from jtai_audit.engine import summary as summary_module

    monkeypatch.setattr(summary_module, "LISTED_CASES", 2)
    rows, _, by_row, by_chunk = _both(EXAMPLE, 5_000)
    differ = sum(1 for r in rows if r.auditor_grade and r.grade and r.auditor_grade != r.grade)
    assert differ > 2
    assert by_row.grades_differing == by_chunk.grades_differing == differ
    assert len(by_chunk.grade_differences) == 2
