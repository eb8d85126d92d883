"""Judging a chunk of cases a column at a time: each rule once per distinct combination.

A rule reads a few fields; over a caseload those fields take few distinct combinations
(Yes/No/Partly × a handful of ages). The row-at-a-time engine (`Engine.evaluate`) stays
the reference: here every distinct combination of a rule's cells in the chunk is judged by
that same engine, once, and the outcome is scattered back to the rows. Scores, caps and
unanswered cells are then array arithmetic over the rows (numpy), in the same order of
floating-point operations as `Engine.score`, so the figures are identical to the last bit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ..conditions.expressions import to_engine_value
from ..rubric.compiled import RuleProgram
from ..terms import MEMO_LIMIT, OUTCOME_POINTS, Outcome, Status
from ..workbook.cases import Case
from ..workbook.columns import Chunk, FieldTable, chunk_of
from .atoms import RuleAtoms
from .grading import LimitReached, takes_part
from .judge import CaseResult, Engine, RuleResult, band_grade, judgement

Index = npt.NDArray[np.intp]
_NO_ROWS: list[str] = []
_PLAIN = frozenset({Status.ANSWERED, Status.BLANK})


class Judged:
    """A rule's result for one distinct combination, and its `N/A` cells that left it open.

    `serialised` is the JSON writer's copy of the result, kept here so that a combination
    met again in a later chunk is not serialised again.
    """

    __slots__ = ("caps", "grading", "mask", "na_fields", "result", "serialised")

    def __init__(self, result: RuleResult, na_fields: tuple[str, ...],
                 mask: tuple[int, ...]) -> None:
        self.result = result
        self.na_fields = na_fields
        self.serialised: bytes | None = None
        self.mask = mask  # the unanswered fields as bits, for an array OR over the rules
        self.caps = result.caps  # counts towards a cap, if the rule is critical
        # May take part in a limit: its own, or a count of failures.
        self.grading = result.limit is not None or takes_part(result)


@dataclass
class JudgedChunk:
    """A chunk's results: per rule, the distinct results and each row's index into them."""

    chunk: Chunk
    engine: Engine
    distinct: list[list[Judged]]
    index: list[Index]
    case_ids: list[str]
    areas: list[str | None]
    scores: list[float | None]
    grades: list[str | None]
    bands: list[str | None]
    capped_by: list[list[str]]
    limits: list[list[LimitReached]]  # every limit each row reached, worst first
    unanswered: list[list[str]]
    auditor: list[str | None]
    na_counts: Index  # per row, the `N/A` answers the question does not allow (warned)

    def __len__(self) -> int:
        return len(self.case_ids)

    @property
    def source(self) -> str:
        return self.chunk.source

    def results(self, row: int) -> list[RuleResult]:
        """One row's rule results, in rubric order (shared objects: never mutated)."""
        return [d[i[row]].result for d, i in zip(self.distinct, self.index, strict=True)]

    def warnings(self, row: int) -> list[str]:
        """The row's `N/A where the question applies` warnings, as `Engine.score` words them."""
        lines = []
        cells = self.chunk.cells_of(row)
        for distinct, index in zip(self.distinct, self.index, strict=True):
            judged = distinct[index[row]]
            for name in judged.na_fields:
                cell = cells.get(name, name)
                lines.append(f"{cell} ({name}): N/A where the question applies "
                             f"({judged.result.rule}); read as a silent record (not evidenced)")
        return lines

    def case(self, row: int) -> Case:
        """The row's case with every typed cell (for the row engine: tests, checks)."""
        return self.chunk.case(row)

    def reference(self, row: int) -> Case:
        """Who and where the row is, without its cells: what a report's case list needs.

        A csv report keeps every case until the end, so its cases hold no cell values.
        """
        chunk = self.chunk
        return Case(self.case_ids[row], chunk.source, chunk.rows[row], {}, {},
                    chunk.cells_of(row))

    def case_result(self, row: int, cells: bool = False) -> CaseResult:
        """The row as the row-at-a-time engine gives it (for the bounded lists reports show).

        `cells=True` keeps every typed cell on the case, as `Summary.add` reads some.
        """
        results = self.results(row)
        na_cells = any(self.distinct[r][self.index[r][row]].na_fields
                       for r in range(len(self.distinct)))
        case = self.case(row) if cells else self.reference(row)
        if na_cells:
            results = [_with_cells(r, j, case) for r, j in
                       zip(results, (d[i[row]] for d, i in zip(self.distinct, self.index,
                                                               strict=True)), strict=True)]
        score = self.scores[row]
        # Lists of their own: the chunk's lists are shared between rows.
        return CaseResult(case, self.areas[row], score, self.grades[row], self.bands[row],
                          list(self.capped_by[row]), not self.unanswered[row],
                          list(self.unanswered[row]), results, self.warnings(row),
                          self.auditor[row], list(self.limits[row]))

    def case_results(self) -> Iterator[CaseResult]:
        for row in range(len(self)):
            yield self.case_result(row)


def _with_cells(result: RuleResult, judged: Judged, case: Case) -> RuleResult:
    if not judged.na_fields:
        return result
    return replace(result, na_cells=tuple(case.cells.get(f, f) for f in judged.na_fields))


class ColumnJudge:
    """Judges chunks with one `Engine`, remembering each rule's distinct results between chunks.

    The one way cases are judged: a sheet's rows a chunk at a time, cases already read (a
    merged case file) as batches, a single case as a batch of one. `only` judges one rule
    (a rule's examples); the figures of the other rules are then not there.
    """

    def __init__(self, engine: Engine, only: str | None = None) -> None:
        self.engine = engine
        model = engine.model
        self.programs = [p for p in engine.rubric.programs
                         if only is None or p.rule.id == only]
        # Cases already read are interned here, kept between batches like a sheet's tables.
        self._tables = {name: FieldTable(name, spec) for name, spec in engine.fields.items()}
        self._cache: list[dict[tuple[Any, ...], Judged]] = [{} for _ in self.programs]
        # Rules whose list, note or answer fields are keyed on their atoms: decided once
        # per combination of classes (`_classes`), shown per combination of cells.
        self._atoms = [RuleAtoms(engine, p) for p in self.programs]
        self._classes: list[dict[tuple[int, ...], Judged]] = [{} for _ in self.programs]
        self._field_order = [{f: i for i, f in enumerate(p.fields)} for p in self.programs]
        self._generations: list[tuple[int, ...]] = [() for _ in self.programs]
        order = list(engine.fields)
        self._order = order
        self._position = {name: i for i, name in enumerate(order)}
        self._words = (len(order) + 62) // 63
        capping = model.grades.capping_severity
        self._capping = [p.rule.severity == capping for p in self.programs]
        self._weights = [float(p.rule.weight) for p in self.programs]
        self._unanswered_names: dict[tuple[int, ...], list[str]] = {}
        label = next((n for n, s in engine.fields.items() if s.type == "label"), None)
        self._label = label
        self._auditor = model.field_with("auditor_grade")

    def case(self, case: Case) -> CaseResult:
        """One case, judged as a batch of one, with every typed cell kept on the result."""
        return self.judge(self.batch([case])).case_result(0, cells=True)

    def batch(self, cases: list[Case]) -> Chunk:
        """Cases already read, all from one source, as a chunk for `judge`."""
        return chunk_of(cases, self._tables)

    def judge(self, chunk: Chunk) -> JudgedChunk:
        rows = len(chunk)
        if not rows:  # every row of the chunk lacked a case_id
            empty = np.zeros(0, dtype=np.intp)
            return JudgedChunk(chunk, self.engine, [[] for _ in self.programs],
                               [empty for _ in self.programs], [], [], [], [], [], [],
                               [], [], [], empty)
        distinct: list[list[Judged]] = []
        indexes: list[Index] = []
        for number, program in enumerate(self.programs):
            found, index = self._judge_rule(number, program, chunk, rows)
            distinct.append(found)
            indexes.append(index)
        total = np.zeros(rows)
        earned = np.zeros(rows)
        caps = np.zeros(rows, dtype=np.intp)
        grading = np.zeros(rows, dtype=bool)
        taking_rules: list[tuple[npt.NDArray[np.bool_], list[Judged], Index]] = []
        na = np.zeros(rows, dtype=np.intp)
        masks = np.zeros((self._words, rows), dtype=np.int64)
        for number, (found, index) in enumerate(zip(distinct, indexes, strict=True)):
            weight = self._weights[number]
            judged = [j.result.judged for j in found]
            total += np.array([weight if j else 0.0 for j in judged])[index]
            earned += np.array([weight * OUTCOME_POINTS[j.result.outcome] if ok else 0.0
                                for j, ok in zip(found, judged, strict=True)])[index]
            if self._capping[number]:
                caps += np.array([j.caps for j in found], dtype=np.intp)[index]
            flags = [j.grading for j in found]
            if any(flags):
                rowwise = np.array(flags, dtype=bool)[index]
                grading |= rowwise
                taking_rules.append((rowwise, found, index))
            na += np.array([len(j.na_fields) for j in found], dtype=np.intp)[index]
            opened = [j.mask for j in found]
            if any(any(m) for m in opened):
                for word in range(self._words):
                    masks[word] |= np.array([m[word] for m in opened], dtype=np.int64)[index]
        with np.errstate(divide="ignore", invalid="ignore"):
            shown = np.where(total > 0, 100 * earned / np.where(total > 0, total, 1), np.nan)
        scores: list[float | None] = [None if s != s else s for s in shown.tolist()]
        bands = [None if s is None else band_grade(self.engine.model, s) for s in scores]
        grades = list(bands)
        limits: list[list[LimitReached]] = [[]] * rows
        grader = self.engine.grader
        # Each row's results that can take part in a limit, gathered rule by rule.
        taking: dict[int, list[RuleResult]] = {row: [] for row in
                                               np.flatnonzero(grading).tolist()}
        for rowwise, found, index in taking_rules:
            for row in np.flatnonzero(rowwise).tolist():
                taking[row].append(found[index[row]].result)
        for row, results in taking.items():
            grades[row], limits[row] = grader.grade(bands[row], results)
        capped_by = self._capped_by(distinct, indexes, caps)
        unanswered = self._unanswered(masks)
        ids = chunk.column(next(n for n, t in chunk.tables.items() if t.spec.type == "id"))
        nothing: list[str | None] = [None] * rows
        areas = _texts(chunk.column(self._label)) if self._label else nothing
        auditor = _texts(chunk.column(self._auditor)) if self._auditor else nothing
        return JudgedChunk(chunk, self.engine, distinct, indexes,
                           [str(i or "") for i in ids], areas, scores, grades, bands,
                           capped_by, limits, unanswered, auditor, na)

    def _capped_by(self, distinct: list[list[Judged]], indexes: list[Index],
                   caps: npt.NDArray[np.intp]) -> list[list[str]]:
        capped: list[list[str]] = [_NO_ROWS] * len(caps)
        rows = np.flatnonzero(caps)
        if not len(rows):
            return capped
        for row in rows.tolist():
            capped[row] = []
        for number, (found, index) in enumerate(zip(distinct, indexes, strict=True)):
            if not self._capping[number]:
                continue
            flags = np.array([j.caps for j in found], dtype=bool)
            if not flags.any():
                continue
            rule = self.programs[number].rule.id
            for row in np.flatnonzero(flags[index]).tolist():
                capped[row].append(rule)
        return capped

    def _mask(self, names: tuple[str, ...]) -> tuple[int, ...]:
        words = [0] * self._words
        for name in names:
            position = self._position[name]
            words[position // 63] |= 1 << (position % 63)
        return tuple(words)

    def _unanswered(self, masks: npt.NDArray[np.int64]) -> list[list[str]]:
        keys = list(zip(*(m.tolist() for m in masks), strict=True))
        out: list[list[str]] = []
        names = self._unanswered_names
        for key in keys:
            found = names.get(key)
            if found is None:
                if len(names) >= MEMO_LIMIT:
                    names.clear()
                found = names[key] = [n for i, n in enumerate(self._order)
                                      if key[i // 63] >> (i % 63) & 1]
            out.append(found)
        return out

    def _judge_rule(self, number: int, program: RuleProgram, chunk: Chunk,
                    rows: int) -> tuple[list[Judged], Index]:
        fields = program.fields
        generations = tuple(chunk.tables[f].generation for f in fields)
        cache = self._cache[number]
        classes = self._classes[number]
        if generations != self._generations[number] or len(cache) > MEMO_LIMIT:
            cache.clear()
            classes.clear()
            self._generations[number] = generations
        if not fields:
            found = cache.get(())
            if found is None:
                found = cache[()] = self._evaluate(program, chunk, 0)
            return [found], np.zeros(rows, dtype=np.intp)
        atoms = self._atoms[number]
        if atoms:  # rows alike in their atoms' classes and their evidence are judged once
            atoms.update(chunk.tables, self.engine, program)
            columns, sizes = atoms.columns(chunk, fields, self.engine, program)
        else:
            columns = [np.asarray(chunk.codes[f], dtype=np.int64) for f in fields]
            sizes = [len(chunk.tables[f].cells) for f in fields]
        combined = columns[0]
        capacity = sizes[0]
        for column, size in zip(columns[1:], sizes[1:], strict=True):
            capacity *= size
            if capacity >= 1 << 62:  # too many combinations for one integer: pair them up
                _, combined = np.unique(np.stack([combined, column]), axis=1,
                                        return_inverse=True)
                combined = combined.reshape(-1).astype(np.int64)
                capacity = rows
            else:
                combined = combined * size + column
        _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
        results: list[Judged] = []
        codes = [chunk.codes[f] for f in fields]
        keys = [column.tolist() for column in columns] if atoms else codes
        for row in first.tolist():
            key = tuple(c[row] for c in keys)
            hit = cache.get(key)
            if hit is None:
                hit = cache[key] = self._by_class(
                    number, program, chunk, row, tuple(c[row] for c in codes)) \
                    if atoms else self._evaluate(program, chunk, row)
            results.append(hit)
        return results, inverse.reshape(-1).astype(np.intp)

    def _by_class(self, number: int, program: RuleProgram, chunk: Chunk, row: int,
                  codes: tuple[int, ...]) -> Judged:
        """The rule decided once for the row's class of cells, shown with the row's cells."""
        atoms = self._atoms[number]
        classes = self._classes[number]
        key, dates = atoms.judge(codes, chunk.tables, self.engine, program)
        decided = classes.get(key)
        if decided is None:
            decided = classes[key] = self._evaluate(program, chunk, row)
        result = atoms.evidence(decided.result, codes, self._field_order[number], dates)
        if result is decided.result:
            return decided
        return Judged(result, decided.na_fields, decided.mask)

    def _evaluate(self, program: RuleProgram, chunk: Chunk, row: int) -> Judged:
        """The reference engine's judgement of one row, on the fields this rule reads."""
        values: dict[str, Any] = {}
        status: dict[str, Status] = {}
        for name in program.fields:
            values[name], status[name] = chunk.cell(name, row)
        case = Case("", chunk.source, chunk.rows[row], values, status)
        engine = self.engine
        if all(state in _PLAIN for state in status.values()):
            # Every cell answered: nothing to try, so the outcome is the conditions' (what
            # `_decide` finds too, with less work).
            trial = {name: to_engine_value(value) for name, value in values.items()}
            plain = Outcome.NOT_APPLICABLE if program.applies is not None \
                and not program.applies(trial) else judgement(program, trial)
            result, _ = engine.conclude(program, case, plain)
            return Judged(result, (), self._mask(()))
        result, na_fields = engine.conclude(program, case, *engine.decide(program, case))
        return Judged(result, na_fields, self._mask(result.unanswered))


def _texts(values: list[Any]) -> list[str | None]:
    return [None if v is None else str(v) for v in values]
