"""Case-file workbooks (.xlsx, .xlsm, .csv) → typed cases, every problem at its `Sheet!A1` cell.

xlsx is read with python-calamine (Rust; several times faster than openpyxl on large
sheets). Messages never quote a cell's content: a name typed into the wrong cell must
not reach a log.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import WorkbookError
from ..problems import CellProblem
from ..schema import FieldSpec
from .cases import Case, CellRefs, build_case
from .columns import Chunk, ColumnReader
from .limits import Limits, column_letter
from .pseudonyms import pseudonym_problem
from .sheets import (
    AWAITING_COLUMN,
    WORKBOOK_SUFFIXES,
    awaited_in_sources,
    header_key,
    id_header_hint,
    read_sheet,
)

READABLE_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")
MAX_LISTED = 20
_NONE: frozenset[str] = frozenset()


@dataclass
class CaseFile:
    """A workbook read against a rubric's fields: its cases and every problem found."""

    path: Path
    display: str
    sheet: str
    sha256: str
    columns: dict[str, int]
    unknown_columns: list[tuple[str, str]]
    cases: list[Case]
    notices: list[CellProblem] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def invalid(self) -> list[CellProblem]:
        return [n for n in self.notices if n.kind == "invalid"]


def has_agency_column(header: list[Any]) -> bool:
    """An `agency` column makes the workbook one agency's return (merged per child elsewhere)."""
    return any(cell is not None and header_key(str(cell)) == "agency" for cell in header)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def match_columns(header: list[Any], fields: Mapping[str, FieldSpec]) -> tuple[
        dict[str, int], list[tuple[str, int]]]:
    """Map each declared field to its column; return the unknown headers and their indexes."""
    lookup: dict[str, str] = {}
    for name, spec in fields.items():
        lookup[header_key(name)] = name
        for alias in spec.aliases:
            lookup.setdefault(header_key(alias), name)
    columns: dict[str, int] = {}
    unknown: list[tuple[str, int]] = []
    for index, cell in enumerate(header):
        text = "" if cell is None else str(cell)
        if not text.strip():
            continue
        found = lookup.get(header_key(text))
        if found is None:
            unknown.append((text, index))
        elif found not in columns:
            columns[found] = index
    return columns, unknown


class CaseStream:
    """A workbook opened against a rubric's fields; `cases()` reads it one case at a time.

    Opening checks the header and, in a first pass over the case_id column, that every id
    is a pseudonym and that there is at least one case: a refused file is refused before
    anything about it is written.
    """

    def __init__(self, path: Path, fields: Mapping[str, FieldSpec], *, sheet: str | None = None,
                 display: str | None = None, limits: Limits | None = None,
                 sha256: str | None = None) -> None:
        self.path = path
        self.fields = fields
        self.limits = limits or Limits()
        self.display = display or str(path)
        self.data = read_sheet(path, sheet, self.limits)
        self.sha256 = sha256 or sha256_of(path)
        header = next(self.data.iter_rows(), [])
        self.agency_return = has_agency_column(header)
        self.agency_index = next((i for i, cell in enumerate(header) if cell is not None
                                  and header_key(str(cell)) == "agency"), None)
        if not any(c not in (None, "") for c in header):
            raise WorkbookError(f"no header row in {self.data.name}!1:1", self.display)
        if len(header) > self.limits.max_columns:
            raise WorkbookError(f"{len(header):,} columns: more than the "
                                f"{self.limits.max_columns:,} allowed (raise it with "
                                "--max-columns)", self.display)
        self.columns, unknown = match_columns(header, fields)
        self.unknown_columns = [(text, column_letter(i)) for text, i in unknown
                                if header_key(text) not in ("agency", AWAITING_COLUMN)]
        # A merged case file's cells still awaited from a return: its CSV's `awaiting`
        # column, or its xlsx `Sources` sheet (read when the cases are).
        self.awaiting_index = next((i for text, i in unknown
                                    if header_key(text) == AWAITING_COLUMN), None)
        self._awaited_ids: dict[str, frozenset[str]] | None = None
        self.id_name = next((n for n, s in fields.items() if s.type == "id"), "case_id")
        if self.id_name not in self.columns:
            hint = id_header_hint([text for text, _ in unknown], self.id_name)
            raise WorkbookError(f"no {self.id_name} column in the header row "
                                f"{self.data.name}!1:1{hint}", self.display)
        self.missing_columns = [n for n, s in fields.items()
                                if n not in self.columns and not s.optional]
        self.notices: list[CellProblem] = []
        self.count = 0
        self.consumed = 0  # non-blank rows read so far, with or without a case_id (progress)
        self._first_pass()

    @property
    def sheet(self) -> str:
        return self.data.name

    def _awaited(self, row: list[Any]) -> frozenset[str]:
        """The fields of this row that its merged file names as still awaited."""
        if self.awaiting_index is not None:
            cell = row[self.awaiting_index] if self.awaiting_index < len(row) else None
            if cell is None or not str(cell).strip():
                return _NONE
            return frozenset(p.strip() for p in str(cell).split(";") if p.strip())
        if self.data.sources is None:
            return _NONE
        if self._awaited_ids is None:
            self._awaited_ids = awaited_in_sources(self.data.sources())
        index = self.columns[self.id_name]
        key = row[index] if index < len(row) else None
        return self._awaited_ids.get(str(key).strip(), _NONE) if key is not None else _NONE

    def _first_pass(self) -> None:
        index = self.columns[self.id_name]
        cases = 0
        for number, row in enumerate(self.data.iter_rows(), start=1):
            if number == 1:
                continue
            if number - 1 > self.limits.max_rows:
                raise WorkbookError(f"more than {self.limits.max_rows:,} rows (raise it with "
                                    "--max-rows)", self.display)
            for cell in row:
                if type(cell) is str and len(cell) > self.limits.max_cell_chars:
                    raise WorkbookError(
                        f"{self.data.name}!{column_letter(row.index(cell))}{number}: cell "
                        f"longer than {self.limits.max_cell_chars:,} characters (raise it "
                        "with --max-cell-chars)", self.display)
            value = row[index] if index < len(row) else None
            if value is not None and str(value).strip():
                cases += 1
                _refuse_identifier(value, f"{self.data.name}!{column_letter(index)}{number}",
                                   self.display)
            elif not _blank_row(row):
                cases += 1
        if not cases:
            raise WorkbookError(f"no cases below the header row of {self.data.name}",
                                self.display)
        self.expected = cases

    def cases(self) -> Iterator[Case]:
        """The cases, in sheet order; bad cells become notices and are treated as unanswered."""
        name, shown, columns = self.data.name, self.display, self.columns
        letters = {field: column_letter(i) for field, i in columns.items()}
        id_name = self.id_name
        seen: dict[str, int] = {}
        for number, row in enumerate(self.data.iter_rows(), start=1):
            if number == 1 or _blank_row(row):
                continue
            self.consumed += 1
            width = len(row)
            raw = {field: (row[i] if i < width else None) for field, i in columns.items()}

            def problem(field: str, message: str, number: int = number) -> None:
                self.notices.append(CellProblem(shown, name, f"{name}!{letters[field]}{number}",
                                                field, message))

            case = build_case(raw, self.fields, source=shown, row=number,
                              cells=CellRefs(name, letters, number),
                              date1904=self.data.date1904, on_problem=problem,
                              awaited=self._awaited(row))
            if self.agency_index is not None and self.agency_index < width:
                agency = row[self.agency_index]
                case.agency = None if agency is None else " ".join(str(agency).split()) or None
            message = self._id_notice(case.case_id, seen, number)
            if message is not None:
                self.notices.append(CellProblem(shown, name, f"{name}!{letters[id_name]}{number}",
                                                id_name, message))
            if not case.case_id:
                continue
            self.count += 1
            yield case


    def chunks(self, size: int = 5_000) -> Iterator[Chunk]:
        """The cases a chunk of rows at a time, read column by column (`cases()`'s reading).

        Rows without a case_id are dropped with a notice; every notice comes in the order
        `cases()` gives it (row by row, a row's cells in rubric order, then its case_id).
        """
        name, columns = self.data.name, self.columns
        letters = {f: column_letter(i) for f, i in columns.items()}
        reader = ColumnReader(self.fields, columns, source=self.display, sheet=name,
                              letters=letters, date1904=self.data.date1904)
        id_index = columns[self.id_name]
        seen: dict[str, int] = {}  # case_id → the row it was first on
        rows: list[list[Any]] = []
        numbers: list[int] = []
        awaited: list[frozenset[str]] = []
        named = self.awaiting_index is not None or self.data.sources is not None
        for number, row in enumerate(self.data.iter_rows(), start=1):
            if number == 1:
                continue
            key = row[id_index] if id_index < len(row) else None
            if (key is None or not str(key).strip()) and _blank_row(row):
                continue
            rows.append(row)
            numbers.append(number)
            if named:
                awaited.append(self._awaited(row))
            if len(rows) >= size:
                yield self._finish_chunk(reader.read(rows, numbers, awaited if named else None),
                                         seen)
                rows, numbers, awaited = [], [], []
        if rows:
            yield self._finish_chunk(reader.read(rows, numbers, awaited if named else None), seen)

    def _finish_chunk(self, chunk: Chunk, seen: dict[str, int]) -> Chunk:
        self.consumed += len(chunk)
        name, id_name = self.data.name, self.id_name
        order = len(self.fields)
        notes: list[tuple[int, int, str, str]] = []
        keep: list[int] = []
        for position, value in enumerate(chunk.column(id_name)):
            case_id = str(value or "")
            message = self._id_notice(case_id, seen, chunk.rows[position])
            if message is not None:
                notes.append((position, order, id_name, message))
            if case_id:
                keep.append(position)
        letters = chunk.letters
        for position, _, field_name, message in sorted([*chunk.problems, *notes],
                                                       key=lambda p: (p[0], p[1])):
            self.notices.append(CellProblem(
                self.display, name, f"{name}!{letters[field_name]}{chunk.rows[position]}",
                field_name, message))
        if len(keep) < len(chunk):
            chunk = chunk.subset(keep)
        self.count += len(chunk)
        return chunk


    def _id_notice(self, case_id: str, seen: dict[str, int], number: int) -> str | None:
        """What a row's case_id must be told, if anything; remembers each id's first row.

        Rows are remembered as numbers, not cell names: a million ids fit.
        """
        if not case_id:
            return "no case_id: the row is not scored"
        first = seen.get(case_id)
        if first is None:
            seen[case_id] = number
            return None
        letter = column_letter(self.columns[self.id_name])
        return f"duplicate case_id (first at {self.data.name}!{letter}{first})"


def _blank_row(row: list[Any]) -> bool:
    """A row with nothing in it but spaces: skipped, never a case."""
    return not any(c is not None and str(c).strip() for c in row)


def load_case_file(path: Path, fields: Mapping[str, FieldSpec], *, sheet: str | None = None,
                   display: str | None = None, limits: Limits | None = None) -> CaseFile:
    """Read a whole workbook against the rubric's fields (small files: validate, moderate)."""
    stream = CaseStream(path, fields, sheet=sheet, display=display, limits=limits)
    cases = list(stream.cases())
    return CaseFile(path, stream.display, stream.sheet, stream.sha256, stream.columns,
                    stream.unknown_columns, cases, stream.notices, stream.missing_columns)


def _refuse_identifier(value: Any, cell: str, shown: str) -> None:
    """A case_id must be a pseudonym: refuse NHS numbers and names, without echoing them."""
    problem = pseudonym_problem(value)
    if problem is not None:
        raise WorkbookError(f"{cell}: {problem}", shown)
