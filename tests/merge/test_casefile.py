"""The merged case file (merge/casefile.py): `merge --output merged.xlsx|merged.csv`.

A case file like the returns: owner-only, the canonical columns, one row per child, the text
columns kept (the one output that keeps them), a Sources sheet naming the agency, file and
cell behind every merged cell, and it scores as the returns do.
"""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
)

from jtai_audit.rubric.compiled import LoadedRubric

from .helpers import (
    CONFLICTS,
    LEAD,
    MISSING,
    RESOLVED,
    RETURNS,
    copy_returns,
    example_rows,
    header_of,
    invoke,
    judged,
    row_of,
    run_json,
)


def merge_to(tmp_path: Path, source: Path, name: str) -> Path:
    output = tmp_path / name
    result = invoke("merge", source, "--output", output)
    assert result.exit_code in (0, 1), result.stderr
    assert f"wrote {output} (36 case(s))" in result.stderr
    return output


@pytest.fixture(scope="module")
def merged_xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return merge_to(tmp_path_factory.mktemp("merged"), RETURNS, "merged.xlsx")


def test_the_merged_workbook_is_owner_only_with_canonical_columns(
        merged_xlsx: Path, rubric: LoadedRubric) -> None:
    assert stat.S_IMODE(merged_xlsx.stat().st_mode) == 0o600
    book = openpyxl.load_workbook(merged_xlsx)
    assert book.sheetnames == ["Cases", "Sources"]
    cases = book["Cases"]
    assert [c.value for c in cases[1]] == list(rubric.model.fields)  # no agency column
    assert [r[0] for r in cases.iter_rows(min_row=2, values_only=True)] == [
        r["case_id"] for r in example_rows()]


def test_the_merged_workbook_keeps_the_text_columns(merged_xlsx: Path) -> None:
    sheet = openpyxl.load_workbook(merged_xlsx)["Cases"]
    header = [c.value for c in sheet[1]]
    for row, example in zip(sheet.iter_rows(min_row=2, values_only=True), example_rows(),
                            strict=True):
        for name in ("case_notes", "voice_method"):
            assert row[header.index(name)] == example[name], (example["case_id"], name)


def test_sources_name_the_agency_file_and_cell_of_every_merged_cell(merged_xlsx: Path) -> None:
    sources = openpyxl.load_workbook(merged_xlsx)["Sources"]
    every = [tuple(str(v) for v in row) for row in sources.iter_rows(values_only=True)]
    assert every[0] == ("case_id", "column", "agency", "return file", "return cell")
    # A cell awaited from a return that never came is named as such, with no cell.
    awaited = [r for r in every[1:] if r[3].startswith("awaiting ")]
    assert awaited and {(r[0], r[2]) for r in awaited} == set(MISSING)
    assert all(r[3] == f"awaiting {r[2]} return" and r[4] == "None" for r in awaited)
    rows = [every[0], *(r for r in every[1:] if r not in awaited)]
    returns: dict[str, list[tuple[Any, ...]]] = {}  # each return's rows, from row 1
    for file in {r[3] for r in rows[1:]}:
        assert Path(file).parent == RETURNS
        book = openpyxl.load_workbook(file, read_only=True)
        returns[file] = list(book["Cases"].iter_rows(values_only=True))
    for case_id, column, agency, file, cell in rows[1:]:
        letter, number = coordinate_from_string(cell.removeprefix("Cases!"))
        row = returns[file][number - 1]
        assert (row[0], row[1]) == (case_id, agency)  # the child's row in that agency's return
        assert returns[file][0][column_index_from_string(letter) - 1] == column
    found = {(r[0], r[1]): r[2] for r in rows[1:]}
    for case_id, column, agency, _ in CONFLICTS:  # the preferred agency's cell, not the other
        assert found[(case_id, column)] != agency
    assert found[("NM-001", "case_notes")] == LEAD
    for case_id, agency in MISSING:  # nothing is sourced from a return that never came
        assert not [r for r in rows[1:] if r[0] == case_id and r[2] == agency]


def scored(path: Path) -> dict[str, dict[str, Any]]:
    return {c["case_id"]: judged(c) for c in run_json("score", path)[1]["cases"]}


@pytest.mark.parametrize("name", ["merged.xlsx", "merged.csv"])
def test_the_merged_file_of_complete_returns_scores_like_the_returns(name: str,
                                                                     tmp_path: Path) -> None:
    output = merge_to(tmp_path, RESOLVED, name)
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert scored(output) == scored(RESOLVED)


@pytest.mark.parametrize("name", ["merged.xlsx", "merged.csv"])
def test_the_merged_file_of_returns_still_awaited_scores_like_them_dates_included(
        name: str, tmp_path: Path) -> None:
    """Awaited cells survive the merged file: blank, named in its Sources sheet (xlsx) or its
    `awaiting` column (csv), and read back as unanswered, not as "not recorded": EB-005's
    school_notified_date, awaited from the missing Police return, stays out of SHARE-1."""
    output = merge_to(tmp_path, RETURNS, name)
    merged, returns = scored(output), scored(RETURNS)
    assert merged == returns
    assert "school_notified_date" in merged["EB-005"]["unanswered"]


def test_a_merged_csv_names_the_cells_still_awaited_in_its_last_column(
        tmp_path: Path, rubric: LoadedRubric) -> None:
    data = merge_to(tmp_path, RETURNS, "merged.csv").read_bytes().decode("utf-8-sig")
    lines = [line.split(",") for line in data.split("\r\n") if line]
    assert lines[0][-1] == "awaiting"
    awaiting = {row[0]: row[-1] for row in lines[1:]}
    assert "school_notified_date" in awaiting["EB-005"].split("; ")
    assert {k for k, v in awaiting.items() if v} == {c for c, _ in MISSING}


def test_the_merged_csv_is_utf8_with_a_bom_and_the_canonical_header(
        tmp_path: Path, rubric: LoadedRubric) -> None:
    data = merge_to(tmp_path, RESOLVED, "merged.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0].split(",") == [*rubric.model.fields, "awaiting"]
    assert len([line for line in lines[1:] if line]) == 36


def test_case_text_is_never_written_as_a_formula(tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    lead = folder / "children-s-social-care.xlsx"
    column = header_of(lead).index("case_notes") + 1
    letter = get_column_letter(column)
    book = openpyxl.load_workbook(lead)
    typed = book["Cases"][f"{letter}{row_of(lead, 'NM-001')}"]
    typed.value = "=1+1 said the note"
    typed.data_type = "s"  # typed as text (Excel: a leading apostrophe), not a formula
    book.save(lead)
    book = openpyxl.load_workbook(merge_to(tmp_path, folder, "merged.xlsx"))
    cell = book["Cases"].cell(row=2, column=[c.value for c in book["Cases"][1]]
                              .index("case_notes") + 1)
    assert cell.data_type == "s" and cell.value == "=1+1 said the note"
    text = merge_to(tmp_path, folder, "merged.csv").read_text("utf-8-sig")
    assert "'=1+1 said the note" in text


def test_the_merged_workbook_is_reproducible(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1763715600")
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
    first = merge_to(tmp_path / "a", RESOLVED, "merged.xlsx")
    second = merge_to(tmp_path / "b", RESOLVED, "merged.xlsx")
    assert first.read_bytes() == second.read_bytes()
    book = openpyxl.load_workbook(first)
    assert book.properties.created == dt.datetime(2025, 11, 21, 9, 0, 0)


@pytest.mark.parametrize("name", ["merged.json", "merged.xls"])
def test_the_merged_file_is_xlsx_or_csv(name: str, tmp_path: Path) -> None:
    result = invoke("merge", RESOLVED, "--output", tmp_path / name)
    assert result.exit_code == 2
    assert "the merged case file is .xlsx or .csv" in result.stderr
    assert not (tmp_path / name).exists()


def test_the_merged_file_never_overwrites_a_return(tmp_path: Path) -> None:
    folder = copy_returns(tmp_path / "returns")
    police = folder / "police.xlsx"
    before = police.read_bytes()
    result = invoke("merge", folder, "--output", police)
    assert result.exit_code == 2
    assert police.read_bytes() == before
