"""One rule's cells told apart only as far as its conditions can tell them apart.

A rule over `agencies_involved` meets a new list on almost every row of a large caseload,
yet its conditions ask one thing of it (`'Police' in agencies_involved`). Each distinct
cell of such a field is put in a class by its answers to the field's atoms
(`conditions/atoms.py`), and the rule is decided once per combination of classes, by the
same engine call as before on a row of that combination. The rows' own cells come back in
the evidence only, which is made per field and per distinct cell (a list is shown as
itself, a note by the phrases found in it), so the result is the one the engine gives
each row.

A rule's dates are read together, once per distinct combination of them: the atoms over
the dates only (`$working_days(a, b) <= N`), the dates' order (`out_of_order`) and each
date's interval to the others as shown in the evidence. Rows alike in class and in
evidence are one result.

Left to their cells: a field used other than through a yes/no atom, a field a date-order
check reads that is not a date, any cell that is not an answered value (`Not recorded`,
`N/A`, unreadable: decided without looking at the value, so a class of its own is always
safe), and a rule's dates when one of them is unanswered (tried with dates counted from
the others).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from ..conditions.atoms import Atom, field_atoms
from ..conditions.expressions import Compiled, to_engine_value
from ..rubric.compiled import RuleProgram
from ..terms import MEMO_LIMIT, Status
from ..workbook.cases import Case
from ..workbook.columns import Chunk, FieldTable
from .judge import Engine, RuleResult

_PLAIN = frozenset({Status.ANSWERED, Status.BLANK})
Column = npt.NDArray[np.int64]
DATES = "$dates"  # the group of a rule's dates (no field is named with a `$`)


class _FieldClasses:
    """One field's classes for one rule: per code, a class number and the evidence shown."""

    def __init__(self, name: str, atoms: tuple[Atom, ...]) -> None:
        self.name = name
        self.atoms = atoms
        self.generation = -1
        self.classes: list[int] = []
        self.shown: list[Any] = []
        self._numbers: dict[Any, int] = {}
        # Per code, cells alike in class and in evidence: interchangeable in every result.
        self.same: list[int] = []
        self._same: dict[Any, int] = {}
        # By cell, not code, so kept when the table starts afresh: a note met again in a
        # later chunk (a text column's table is new each chunk) is not read again.
        self._cells: dict[tuple[Any, ...], tuple[Any, Any]] = {}

    def update(self, table: FieldTable, engine: Engine, program: RuleProgram) -> None:
        """Classify the table's cells not seen yet (a new generation starts again)."""
        if table.generation != self.generation:
            self.generation = table.generation
            self.classes = []
            self.shown = []
            self._numbers = {}
            self.same = []
            self._same = {}
        memo = self._cells
        for code in range(len(self.classes), len(table.cells)):
            value, status = table.cells[code]
            cell = (value.__class__, value, status)
            try:
                found, keep = memo.get(cell), True
            except TypeError:  # an unhashable value: read it, remember nothing
                found, keep = None, False
            if found is None:
                case = Case("", "", 0, {self.name: value}, {self.name: status})
                # Not a date field: its evidence never reads the other dates.
                found = self._atoms(value, status), engine.shown(self.name, case, (), program)
                if keep:
                    if len(memo) >= MEMO_LIMIT:
                        memo.clear()
                    memo[cell] = found
            key = ("cell", code) if found[0] is None else found[0]
            number = self._numbers.get(key)
            if number is None:
                number = self._numbers[key] = len(self._numbers)
            self.classes.append(number)
            self.shown.append(found[1])
            alike = (number, found[1].__class__, found[1])
            try:
                same = self._same.setdefault(alike, len(self._same))
            except TypeError:  # evidence that cannot be a key: the cell is alike to none
                same = self._same[("cell", code)] = len(self._same)
            self.same.append(same)

    @property
    def kinds(self) -> int:
        """How many numbers `same` holds (0 to kinds - 1)."""
        return len(self._same)

    def _atoms(self, value: Any, status: Status) -> Any:
        """The cell's answers to the atoms; None: a class of its own (by its code)."""
        if status not in _PLAIN or value is None:
            return None
        values = {self.name: to_engine_value(value)}
        try:
            return ("atoms", status, tuple(atom(values) for atom in self.atoms))
        except Exception:  # an atom that cannot take this value: the cell is its own class
            return None


class _DateClasses:
    """A rule's dates, read together: the atoms over them and the dates' order, per row.

    Only when every date the rule reads is an answered value or a plain blank: an
    unanswered date is tried with dates counted from the others, so it keeps its cells.
    """

    def __init__(self, names: tuple[str, ...], atoms: tuple[Atom, ...]) -> None:
        self.names = names
        self.atoms = atoms
        self._generations: tuple[int, ...] = ()
        self._seen: dict[tuple[int, ...], tuple[Any, tuple[Any, ...]]] = {}
        # Dates alike in class and in evidence, numbered: kept until a table starts afresh
        # (the judge's memory of results is keyed on these numbers).
        self.alike: dict[tuple[Any, tuple[Any, ...]], int] = {}

    def update(self, tables: Mapping[str, FieldTable]) -> None:
        """Forget the classes of codes that a table started afresh has given other cells."""
        generations = tuple(tables[n].generation for n in self.names)
        if generations != self._generations:
            self._generations = generations
            self._seen = {}
            self.alike = {}
        elif len(self._seen) > MEMO_LIMIT:
            self._seen = {}

    def of(self, codes: tuple[int, ...], tables: Mapping[str, FieldTable], engine: Engine,
           program: RuleProgram) -> tuple[Any, tuple[Any, ...]]:
        """The dates' class (what decides) and how each date is shown (its interval)."""
        found = self._seen.get(codes)
        if found is None:
            found = self._seen[codes] = self._classify(codes, tables, engine, program)
        return found

    def _classify(self, codes: tuple[int, ...], tables: Mapping[str, FieldTable],
                  engine: Engine, program: RuleProgram) -> tuple[Any, tuple[Any, ...]]:
        values: dict[str, Any] = {}
        status: dict[str, Status] = {}
        for name, code in zip(self.names, codes, strict=True):
            values[name], status[name] = tables[name].cells[code]
        case = Case("", "", 0, values, status)
        shown = tuple(engine.shown(n, case, self.names, program) for n in self.names)
        if any(state not in _PLAIN for state in status.values()):
            return ("cells", codes), shown
        trial = {name: to_engine_value(value) for name, value in values.items()}
        try:
            answers = tuple(atom(trial) for atom in self.atoms)
        except Exception:  # an atom that cannot take these dates: they are their own class
            return ("cells", codes), shown
        states = tuple(status.values())
        return ("atoms", states, answers, engine.out_of_order(program, values, status)), shown


class RuleAtoms:
    """The fields of one rule that are keyed on their atoms' answers rather than their cells."""

    def __init__(self, engine: Engine, program: RuleProgram) -> None:
        rubric = engine.rubric
        conditions: list[Compiled] = [c for c in (program.applies, program.met,
                                                   program.partly) if c is not None]
        conditions += [limit.when for limit in engine.grader.limits[program.rule.id]
                       if limit.when is not None]
        conditions += [c for f in program.fields if (c := rubric.na_allowed.get(f)) is not None]
        dates = engine.date_fields[program.rule.id]
        ordered = {name for pair in engine.ordered_dates[program.rule.id] for name in pair}
        candidates = [f for f in program.fields if f not in dates and f not in ordered]
        atoms = field_atoms(conditions, rubric.env, [*candidates, DATES],
                            dict.fromkeys(dates, DATES))
        self.dates = _DateClasses(dates, atoms[DATES]) if dates and DATES in atoms else None
        self.fields = {name: _FieldClasses(name, found) for name, found in atoms.items()
                       if name != DATES}
        kept = set(dates) if self.dates is not None else set()
        self._positions = [(i, self.fields.get(f)) for i, f in enumerate(program.fields)
                           if f not in kept]
        # In the order of `dates` (the fields' order), which `_DateClasses` reads them in.
        self._date_positions = [program.fields.index(f) for f in dates] if kept else []
        self._date_shown = {name: n for n, name in enumerate(dates)} if kept else {}

    def __bool__(self) -> bool:
        return bool(self.fields) or self.dates is not None

    def update(self, tables: Mapping[str, FieldTable], engine: Engine,
               program: RuleProgram) -> None:
        for name, classes in self.fields.items():
            classes.update(tables[name], engine, program)
        if self.dates is not None:
            self.dates.update(tables)

    def columns(self, chunk: Chunk, fields: tuple[str, ...], engine: Engine,
                program: RuleProgram) -> tuple[list[Column], list[int]]:
        """Per row, what tells its result apart, and how many values each column can take.

        A field keyed on atoms gives the number of its cells alike in class and evidence
        (every note with no listed phrase is one), the dates one number for their class and
        intervals; any other field its own codes. Rows alike in all are judged once.
        """
        tables = chunk.tables
        columns: list[Column] = []
        sizes: list[int] = []
        for i, classes in self._positions:
            codes = np.asarray(chunk.codes[fields[i]], dtype=np.int64)
            if classes is None:
                columns.append(codes)
                sizes.append(len(tables[fields[i]].cells))
            else:
                columns.append(np.asarray(classes.same, dtype=np.int64)[codes])
                sizes.append(classes.kinds)
        if self.dates is not None:
            dates = self.dates
            stacked = np.stack([np.asarray(chunk.codes[fields[i]], dtype=np.int64)
                                for i in self._date_positions])
            distinct, inverse = np.unique(stacked, axis=1, return_inverse=True)
            alike = []
            for codes in distinct.T.tolist():
                found = dates.of(tuple(codes), tables, engine, program)
                alike.append(dates.alike.setdefault(found, len(dates.alike)))
            columns.append(np.asarray(alike, dtype=np.int64)[inverse.reshape(-1)])
            sizes.append(len(dates.alike))
        return columns, sizes

    def judge(self, codes: tuple[int, ...], tables: Mapping[str, FieldTable], engine: Engine,
              program: RuleProgram) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """A combination of cells (codes in the rule's field order) as classes and cells.

        Also how the rule's dates are shown for this combination (empty without dates).
        """
        key = tuple(codes[i] if c is None else c.classes[codes[i]]
                    for i, c in self._positions)
        if self.dates is None:
            return key, ()
        dated, shown = self.dates.of(tuple(codes[i] for i in self._date_positions), tables,
                                     engine, program)
        return (*key, dated), shown

    def evidence(self, result: RuleResult, codes: tuple[int, ...], order: Mapping[str, int],
                 dates: tuple[Any, ...]) -> RuleResult:
        """The class's result with each atom-keyed field shown as this combination's cell."""
        fields = self.fields
        date_shown = self._date_shown
        evidence = tuple((name, fields[name].shown[codes[order[name]]] if name in fields
                          else dates[date_shown[name]] if name in date_shown
                          else shown) for name, shown in result.evidence)
        if evidence == result.evidence:
            return result
        return RuleResult(result.rule, result.theme, result.outcome, evidence, result.silent,
                          result.na_cells, result.unanswered, result.limit,
                          result.out_of_order)
