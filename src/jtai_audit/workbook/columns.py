"""A chunk of rows read a column at a time: each distinct cell parsed once, rows as codes.

An audit column holds a handful of distinct values (Yes, No, Partly, a few dozen dates),
so parsing every cell of a 100,000-row caseload repeats the same few parses millions of
times. Here each column of a chunk becomes a list of small integer codes into a table of
distinct typed cells; the engine then judges each distinct combination once. The reading
is exactly `cases.build_case`'s, cell for cell (a test holds the two together).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from ..schema import FieldSpec, id_field
from ..terms import MEMO_LIMIT, Status
from .cases import Case, CellRefs, read_cell, resolve_blank

Cell = tuple[Any, Status]
_GENERATIONS = itertools.count()


@dataclass
class FieldTable:
    """One column's distinct typed cells: code → (value, status), and the problem if bad."""

    name: str
    spec: FieldSpec
    cells: list[Cell] = field(default_factory=list)
    problems: list[str | None] = field(default_factory=list)
    index: dict[Any, int] = field(default_factory=dict)
    bad: list[int] = field(default_factory=list)  # the codes of cells with a problem
    # Unique to this table and its contents, across every file of a run: a code means
    # something only while the generation is the same (the engine's memories check it).
    generation: int = field(default_factory=lambda: next(_GENERATIONS))

    def reset(self) -> None:
        self.cells.clear()
        self.problems.clear()
        self.index.clear()
        self.bad.clear()
        self.generation = next(_GENERATIONS)

    def intern(self, key: Any, cell: Cell, problem: str | None = None) -> int:
        code = self.index.get(key)
        if code is None:
            code = self.index[key] = len(self.cells)
            self.cells.append(cell)
            self.problems.append(problem)
            if problem is not None:
                self.bad.append(code)
        return code


@dataclass
class Chunk:
    """Some rows of one sheet, as codes per field, with where each row came from."""

    source: str
    sheet: str
    letters: Mapping[str, str]
    rows: list[int]  # sheet row numbers
    codes: dict[str, list[int]]
    tables: Mapping[str, FieldTable]
    problems: list[tuple[int, int, str, str]]  # (row index, field order, field, message)
    # Per row, where each cell came from, when the rows are not one sheet's (a merged case
    # names each field's return); None: the sheet's own cells (`letters` and `rows`).
    refs: list[Mapping[str, str]] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def cells_of(self, index: int) -> Mapping[str, str]:
        """Where each of the row's cells is (`Sheet!A1`, or a return's cell when merged)."""
        if self.refs is not None:
            return self.refs[index]
        return CellRefs(self.sheet, self.letters, self.rows[index])

    def cell(self, name: str, index: int) -> Cell:
        return self.tables[name].cells[self.codes[name][index]]

    def column(self, name: str) -> list[Any]:
        """The typed values of one field, row by row."""
        cells = self.tables[name].cells
        return [cells[c][0] for c in self.codes[name]]

    def subset(self, keep: list[int]) -> Chunk:
        """The chunk with only the rows at these positions (rows without a case_id dropped)."""
        return Chunk(self.source, self.sheet, self.letters, [self.rows[i] for i in keep],
                     {n: [c[i] for i in keep] for n, c in self.codes.items()}, self.tables, [],
                     None if self.refs is None else [self.refs[i] for i in keep])

    def case(self, index: int) -> Case:
        """One row as the row-at-a-time engine's `Case` (for the few rows a report lists)."""
        values: dict[str, Any] = {}
        status: dict[str, Status] = {}
        for name, table in self.tables.items():
            value, state = table.cells[self.codes[name][index]]
            values[name] = value
            status[name] = state
        id_name = id_field({n: t.spec for n, t in self.tables.items()})
        return Case(str(values.get(id_name) or ""), self.source, self.rows[index], values,
                    status, self.cells_of(index))


def chunk_of(cases: Sequence[Case], tables: Mapping[str, FieldTable]) -> Chunk:
    """Cases already read (a merged case file, a single case) as a chunk of one source.

    Each typed cell is interned into `tables` as it is, so a batch of one is judged by the
    same column engine as a sheet of 100,000 rows. The cases must share a source.
    """
    codes: dict[str, list[int]] = {}
    for name, table in tables.items():
        if len(table.cells) > MEMO_LIMIT:
            table.reset()
        column: list[int] = []
        for case in cases:
            value = case.values.get(name)
            state = case.status.get(name, Status.UNANSWERED)
            column.append(table.intern(("case", value.__class__, value, state),
                                       (value, state)))
        codes[name] = column
    source = cases[0].source if cases else ""
    return Chunk(source, "", {}, [case.row for case in cases], codes, tables, [],
                 [case.cells for case in cases])


class ColumnReader:
    """Reads chunks of one sheet's rows against a rubric's fields, keeping tables between them."""

    def __init__(self, fields: Mapping[str, FieldSpec], columns: Mapping[str, int], *,
                 source: str, sheet: str, letters: Mapping[str, str],
                 date1904: bool = False) -> None:
        self.fields = fields
        self.columns = columns
        self.source = source
        self.sheet = sheet
        self.letters = letters
        self.date1904 = date1904
        self.tables = {name: FieldTable(name, spec) for name, spec in fields.items()}
        self._order = {name: i for i, name in enumerate(fields)}

    def read(self, rows: Sequence[Sequence[Any]], numbers: list[int],
             awaited: Sequence[frozenset[str]] | None = None) -> Chunk:
        """Parse the chunk's rows; tables that grew too large, or hold free text, start afresh.

        `awaited`: per row, the fields a merged case file names as still awaited from a
        return: a blank there stays unanswered (a date included), as `build_case` keeps it.
        """
        for table in self.tables.values():
            if table.spec.type == "text" or len(table.cells) > MEMO_LIMIT:
                table.reset()
        width = min((len(r) for r in rows), default=0)
        codes: dict[str, list[int]] = {}
        problems: list[tuple[int, int, str, str]] = []
        for name, spec in self.fields.items():
            table = self.tables[name]
            index = self.columns.get(name)
            if index is None:
                raw: list[Any] = [None] * len(rows)
            elif index < width:
                raw = list(map(itemgetter(index), rows))
            else:
                raw = [r[index] if index < len(r) else None for r in rows]
            codes[name] = self._codes(table, spec, raw, problems)
        chunk = Chunk(self.source, self.sheet, self.letters, numbers, codes, self.tables,
                      problems)
        self._resolve_blanks(chunk, awaited)
        problems.sort(key=itemgetter(0, 1))
        return chunk

    def _codes(self, table: FieldTable, spec: FieldSpec, raw: list[Any],
               problems: list[tuple[int, int, str, str]]) -> list[int]:
        index = table.index
        # Text cells are keyed by themselves, other cells by (type, value) so that True, 1
        # and 1.0 stay apart: a plain lookup finds every text cell seen before (a number
        # never equals a text or tuple key), and the rest are looked up by type below.
        found: list[int | None] = list(map(index.get, raw))
        order = self._order[table.name]
        # Past the first chunk most columns are all known cells: skip the loop in Python.
        for position, code in enumerate(found) if None in found else ():
            if code is None:
                x = raw[position]
                key = x if x.__class__ is str else (x.__class__, x)
                code = index.get(key)
                if code is None:
                    parsed = read_cell(x, spec, self.date1904)
                    code = table.intern(key, (parsed.value, parsed.status), parsed.problem)
                found[position] = code
        if table.bad:
            wanted = set(table.bad)
            problems.extend((position, order, table.name, table.problems[code])  # type: ignore[misc]
                            for position, code in enumerate(found) if code in wanted)
        return found  # type: ignore[return-value]

    def _resolve_blanks(self, chunk: Chunk,
                        awaited: Sequence[frozenset[str]] | None = None) -> None:
        """`cases._resolve_blanks`, on the rows whose cell is still unanswered."""
        for name, spec in self.fields.items():
            present = name in self.columns
            if not (spec.blank_ok_if or spec.blank_means is not None
                    or (spec.type == "date" and present)):
                continue
            table = self.tables[name]
            open_codes = {c for c, (_, state) in enumerate(table.cells)
                          if state is Status.UNANSWERED}
            if not open_codes:
                continue
            column = chunk.codes[name]
            for position, code in enumerate(column):
                if code not in open_codes or (awaited and name in awaited[position]):
                    continue
                value, state = table.cells[code]

                def other(field: str, position: int = position) -> Cell:
                    return chunk.cell(field, position) if field in chunk.tables \
                        else (None, Status.UNANSWERED)

                found = resolve_blank(spec, value, other, present)
                if found is None:
                    continue
                value, state = found
                column[position] = table.intern(("resolved", value.__class__, value, state),
                                                (value, state))
