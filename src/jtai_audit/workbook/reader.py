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
from .cases import Case
from .columns import Chunk, ColumnReader
from .limits import Limits, column_letter
from .pseudonyms import pseudonym_problem
from .rows import CaseRows, IdCheck, IdKind, blank_row, id_text
from .sheets import WORKBOOK_SUFFIXES, awaited_in_sources

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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class CaseStream:
    """A workbook opened against a rubric's fields; `cases()` reads it one case at a time.

    Opening checks the header and, in a first pass over the case_id column, that every id
    is a pseudonym and that there is at least one case: a refused file is refused before
    anything about it is written.
    """

    def __init__(self, path: Path, fields: Mapping[str, FieldSpec], *, sheet: str | None = None,
                 display: str | None = None, limits: Limits | None = None,
                 sha256: str | None = None) -> None:
        self.source = CaseRows(path, fields, sheet=sheet, display=display, limits=limits)
        self.path = path
        self.fields = fields
        self.limits = self.source.limits
        self.display = self.source.display
        self.data = self.source.data
        self.sha256 = sha256 or sha256_of(path)
        self.agency_return = self.source.agency_return
        self.agency_index = self.source.agency_index
        self.source.require_header()
        self.columns = self.source.columns
        self.unknown_columns = [(text, column_letter(i)) for text, i in self.source.unknown]
        # A merged case file's cells still awaited from a return: its CSV's `awaiting`
        # column, or its xlsx `Sources` sheet (read when the cases are).
        self.awaiting_index = self.source.awaiting_index
        self._awaited_ids: dict[str, frozenset[str]] | None = None
        self._agencies: dict[int, str | None] = {}  # an agency return's row → agency typed
        self.id_name = self.source.id_name
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
            case_id = id_text(row[index] if index < len(row) else None)
            if case_id:
                cases += 1
                problem = pseudonym_problem(case_id, self.id_name)
                if problem is not None:  # refused, the cell named, the value never echoed
                    raise WorkbookError(f"{self.data.name}!{column_letter(index)}{number}: "
                                        f"{problem}", self.display)
            elif not blank_row(row):
                cases += 1
        if not cases:
            raise WorkbookError(f"no cases below the header row of {self.data.name}",
                                self.display)
        self.expected = cases

    def cases(self) -> Iterator[Case]:
        """The cases one at a time, in sheet order, read as `chunks()` reads them.

        For the small files that want a case at a time (a return, a moderation pair);
        an agency return's rows carry the agency typed on them.
        """
        for chunk in self.chunks():
            for index in range(len(chunk)):
                case = chunk.case(index)
                case.agency = self._agencies.get(case.row)
                yield case

    def chunks(self, size: int = 5_000) -> Iterator[Chunk]:
        """The cases a chunk of rows at a time, read column by column: the one reading.

        Rows without a case_id are dropped with a notice; notices come row by row, a row's
        cells in rubric order, then its case_id.
        """
        name, columns = self.data.name, self.columns
        letters = {f: column_letter(i) for f, i in columns.items()}
        reader = ColumnReader(self.fields, columns, source=self.display, sheet=name,
                              letters=letters, date1904=self.data.date1904)
        ids = self.source.id_check()
        rows: list[list[Any]] = []
        numbers: list[int] = []
        awaited: list[frozenset[str]] = []
        named = self.awaiting_index is not None or self.data.sources is not None
        agency = self.agency_index
        for number, row in self.source.numbered():
            rows.append(row)
            numbers.append(number)
            if agency is not None and agency < len(row) and row[agency] is not None:
                self._agencies[number] = " ".join(str(row[agency]).split()) or None
            if named:
                awaited.append(self._awaited(row))
            if len(rows) >= size:
                yield self._finish_chunk(reader.read(rows, numbers, awaited if named else None),
                                         ids)
                rows, numbers, awaited = [], [], []
        if rows:
            yield self._finish_chunk(reader.read(rows, numbers, awaited if named else None), ids)

    def _finish_chunk(self, chunk: Chunk, ids: IdCheck) -> Chunk:
        self.consumed += len(chunk)
        name, id_name = self.data.name, self.id_name
        order = len(self.fields)
        notes: list[tuple[int, int, str, str]] = []
        keep: list[int] = []
        for position, value in enumerate(chunk.column(id_name)):
            case_id = str(value or "")
            message = _id_notice(ids, case_id, chunk.rows[position])
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


def load_case_file(path: Path, fields: Mapping[str, FieldSpec], *, sheet: str | None = None,
                   display: str | None = None, limits: Limits | None = None) -> CaseFile:
    """Read a whole workbook against the rubric's fields (small files: validate, moderate)."""
    stream = CaseStream(path, fields, sheet=sheet, display=display, limits=limits)
    cases = list(stream.cases())
    return CaseFile(path, stream.display, stream.sheet, stream.sha256, stream.columns,
                    stream.unknown_columns, cases, stream.notices, stream.missing_columns)


def _id_notice(ids: IdCheck, case_id: str, number: int) -> str | None:
    """What a row's case id must be told: ids were checked as pseudonyms on the first pass."""
    problem = ids(case_id, number, pseudonym=False)
    if problem is None:
        return None
    if problem.kind is IdKind.MISSING:
        return f"{problem.message}: the row is not scored"
    return problem.message
