"""Merging returns per child: each cell from the first agency that answers it.

The contract's rules, in one place: a cell comes from the first agency in `answered_by`
whose return holds a value; a blank or `Not recorded` gives way to a value and never
conflicts; two different values are a conflict (the preferred agency's value is used and
both cells are reported); `audit_date` takes the latest and incidents the highest; text
joins every agency's paragraph. For a `yes_no` fact a `Yes` from any agency wins and a `No`
gives way to it without conflict (an agency's `No` says only that its own record shows no
sign); `agencies_involved` is the lead agency's list joined with every agency whose return
answers a field for the child (an answer, not only `N/A` or `Not recorded`). A return
that never came leaves its agency's cells unanswered ("awaiting the Police return"); cells
only agencies not involved in the case answer merge as N/A. The returns themselves are never edited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..conditions.calendar import working_days_between
from ..problems import CellProblem
from ..schema import FieldSpec, Rubric, id_field
from ..terms import Status
from ..workbook.cases import Case
from .returns import AgencyReturn, ReturnRow, agencies_of, answerers, lead_agency

CLOSED = ("answer", "yes_no", "choice", "list", "integer")
RETURNED, MISSING, NOT_INVOLVED = "returned", "missing", "not_involved"
UNREADABLE, LEAD_MISSING = "unreadable", "lead_missing"


@dataclass(frozen=True)
class ReturnStatus:
    """Whether an agency's return for a child came in (`source` is the file when it did)."""

    case_id: str
    agency: str
    status: str
    source: str | None
    reason: str | None = None  # `unreadable`: the file's one-line error


@dataclass(frozen=True)
class ConflictCell:
    """One side of a conflict: the agency, its cell (file and `Sheet!A1`) and its value."""

    agency: str
    file: str
    cell: str
    value: str | None  # closed vocabularies only; dates as an interval; text never


@dataclass(frozen=True)
class Conflict:
    """Two agencies' records disagree on one cell of one child's case."""

    case_id: str
    column: str
    cells: tuple[ConflictCell, ...]


@dataclass(frozen=True)
class Source:
    """Where a merged cell came from: the agency, the return file and its cell."""

    agency: str
    file: str
    cell: str


@dataclass
class Merged:
    """The merged cases, and everything the chasing list and the meeting need to know."""

    cases: list[Case] = field(default_factory=list)
    statuses: list[ReturnStatus] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    orphans: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # no lead return
    problems: list[CellProblem] = field(default_factory=list)  # errors and warnings
    sources: dict[tuple[str, str], tuple[Source, ...]] = field(default_factory=dict)
    agencies: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (input, why): not merged
    # Cells left unanswered because a return has not come in: (case_id, column) → the agency
    # awaited. The merged case file names them, so reading it back keeps them unanswered.
    awaiting: dict[tuple[str, str], str] = field(default_factory=dict)
    read_as: dict[str, str] = field(default_factory=dict)  # unreadable file → its agency

    @property
    def missing(self) -> dict[str, list[str]]:
        """The chasing list: each agency's case ids whose return has not come in."""
        found: dict[str, list[str]] = {}
        for item in self.statuses:
            if item.status == MISSING:
                found.setdefault(item.agency, []).append(item.case_id)
        return {a: found[a] for a in self.agencies if a in found}

    def mark_unreadable(self, agency: str, file: str, reason: str) -> None:
        """An unreadable file holds this agency's return: its awaited returns say so."""
        self.statuses = [
            ReturnStatus(s.case_id, s.agency, UNREADABLE, file, reason)
            if s.agency == agency and s.status in (MISSING, LEAD_MISSING) else s
            for s in self.statuses]

    def unreadable_of(self, agency: str) -> list[ReturnStatus]:
        return [s for s in self.statuses if s.agency == agency and s.status == UNREADABLE]

    def children(self) -> list[str]:
        """Every child the returns name: the merged cases, then those with no lead return."""
        return [*(c.case_id for c in self.cases),
                *(case_id for case_id, _ in self.orphans)]

    def returned(self) -> dict[str, int]:
        """Each agency's returns that came in (children it returned for)."""
        found: dict[str, int] = {}
        for item in self.statuses:
            if item.status == RETURNED:
                found[item.agency] = found.get(item.agency, 0) + 1
        return found

    def status_of(self, case_id: str) -> dict[str, str]:
        return {s.agency: s.status for s in self.statuses if s.case_id == case_id}


def merge_returns(returns: Iterable[AgencyReturn], model: Rubric) -> Merged:
    """One merged case per child that the lead agency returned, in the lead's row order."""
    merged = Merged(agencies=agencies_of(model))
    lead = lead_agency(model)
    rows: dict[str, dict[str, ReturnRow]] = {}
    order: list[str] = []
    leads: list[str] = []  # the lead agency's rows, in the order its returns hold them
    for item in returns:
        merged.problems.extend(item.problems)
        merged.problems.extend(item.ignored)
        for row in item.rows:
            by_agency = rows.setdefault(row.case.case_id, {})
            if row.case.case_id not in order:
                order.append(row.case.case_id)
            first = by_agency.get(row.agency)
            if first is not None:
                if first.file == row.file:
                    continue  # the reader has said it: duplicate case_id, both cells named
                merged.problems.append(CellProblem(
                    row.file, row.sheet, _id_cell(row, model), _id_name(model),
                    f"a second {row.agency} row for case {row.case.case_id} (first in "
                    f"{first.file} at {_id_cell(first, model)}): only the first is merged"))
                continue
            by_agency[row.agency] = row
            if row.agency == lead:
                leads.append(row.case.case_id)
    answering = {a for name in model.fields for a in answerers(model, name)}
    for case_id in order:
        if lead not in rows[case_id]:
            merged.orphans.append((case_id, tuple(sorted(rows[case_id]))))
    for case_id in leads:
        by_agency = rows[case_id]
        lead_case = by_agency[lead].case
        known = lead_case.status.get(_agencies_field(model)) in (Status.ANSWERED,
                                                                 Status.NOT_APPLICABLE)
        # Unanswered (or silent) agencies_involved is unknown, not "nobody else": the returns
        # that came are merged, and no other agency's return is expected or its cells N/A.
        involved = _involved(lead_case.values.get(_agencies_field(model)) or (), by_agency,
                             model) if known else by_agency
        expected = [a for a in merged.agencies if a == lead or (a in involved and a in answering)]
        for agency in merged.agencies:
            if agency in expected:
                came = by_agency.get(agency)
                merged.statuses.append(ReturnStatus(case_id, agency,
                                                    RETURNED if came else MISSING,
                                                    came.file if came else None))
            elif agency in by_agency:
                row = by_agency.pop(agency)
                merged.statuses.append(ReturnStatus(case_id, agency, NOT_INVOLVED, row.file))
                merged.problems.append(CellProblem(
                    row.file, row.sheet, _id_cell(row, model), _id_name(model),
                    f"{agency} is not in case {case_id}'s agencies_involved and its return "
                    "answers nothing for the child (only N/A or Not recorded): not merged",
                    level="warning", kind="not_involved"))
        case = _merge_case(case_id, by_agency, expected, model, merged, known)
        name = _agencies_field(model)
        listed = tuple(case.values.get(name) or ())
        joined = [a for a in merged.agencies if a in involved and a not in listed]
        if known and joined:
            case.values[name] = (*listed, *joined)
            case.status[name] = Status.ANSWERED
        merged.cases.append(case)
    for case_id, _ in merged.orphans:  # no lead return: it cannot be scored
        for agency in merged.agencies:
            came = rows[case_id].get(agency)
            if agency == lead:
                merged.statuses.append(ReturnStatus(case_id, agency, LEAD_MISSING, None))
            elif came is not None:
                merged.statuses.append(ReturnStatus(case_id, agency, RETURNED, came.file))
    return merged


def _involved(listed: Iterable[str], by_agency: dict[str, ReturnRow],
              model: Rubric) -> set[str]:
    """The lead's agencies_involved joined with every agency whose return answers for the child.

    A return answers when it holds an answer in a column its agency answers (the audit date
    aside): a return of nothing but `N/A` or `Not recorded` does not make an agency involved.
    The lead agency's own return does not either: it answers the shared facts of every
    sampled child, involved or not.
    """
    found = set(listed)
    lead = lead_agency(model)
    for agency, row in by_agency.items():
        if agency in found or agency == lead:
            continue
        for name, spec in model.fields.items():
            if spec.type == "id" or spec.role == "audit_date" or spec.agencies \
                    or agency not in answerers(model, name):
                continue
            if row.case.status.get(name) is Status.ANSWERED \
                    and row.case.values.get(name) not in (None, (), ""):
                found.add(agency)
                break
    return found


def _merge_case(case_id: str, by_agency: dict[str, ReturnRow], expected: list[str],
                model: Rubric, merged: Merged, known: bool = True) -> Case:
    """One child's merged case; `known`: the lead's agencies_involved says who is involved."""
    lead_row = by_agency[lead_agency(model)]
    values: dict[str, Any] = {}
    status: dict[str, Status] = {}
    cells: dict[str, str] = {}
    for name, spec in model.fields.items():
        order = [a for a in answerers(model, name) if a in expected]
        if spec.type == "id":
            values[name], status[name], cells[name] = case_id, Status.ANSWERED, \
                lead_row.case.cells.get(name, name)
            continue
        if not order and not known:  # who answers it may be involved: unknown until said
            values[name], status[name] = (() if spec.type == "list" else None), Status.UNANSWERED
            continue
        if not order:  # only agencies not involved in this case answer it
            values[name] = "N/A" if spec.type == "answer" else (() if spec.type == "list" else None)
            status[name] = Status.NOT_APPLICABLE
            continue
        entries = [by_agency[a] for a in order if a in by_agency]
        value, state, chosen = _pick(name, spec, entries, len(entries) < len(order), model,
                                     merged, case_id)
        values[name], status[name] = value, state
        awaited = [a for a in order if a not in by_agency]
        if state is Status.UNANSWERED and awaited:
            merged.awaiting[(case_id, name)] = awaited[0]
        if chosen:
            merged.sources[(case_id, name)] = tuple(
                Source(r.agency, r.file, r.case.cells.get(name, name)) for r in chosen)
            cells[name] = chosen[0].case.cells.get(name, name)
    return Case(case_id, lead_row.case.source, lead_row.case.row, values, status, cells,
                lead_row.agency)


def _holds_value(row: ReturnRow, name: str, spec: FieldSpec) -> bool:
    state = row.case.status.get(name)
    if state is Status.ANSWERED or state is Status.NOT_APPLICABLE:
        return True
    return state is Status.BLANK and row.case.values.get(name) not in (None, (), "")


def _pick(name: str, spec: FieldSpec, entries: list[ReturnRow], awaiting: bool, model: Rubric,
          merged: Merged, case_id: str) -> tuple[Any, Status, list[ReturnRow]]:
    """The merged value of one cell, its status, and the rows it came from."""
    holders = [r for r in entries if _holds_value(r, name, spec)]
    if spec.type == "text":
        texts = [r for r in entries if r.case.values.get(name)]
        if not texts:
            return None, Status.BLANK, []
        joined = "\n\n".join(str(r.case.values[name]) for r in texts)
        return joined, Status.ANSWERED, texts
    if spec.type == "yes_no" and any(_says(r, name, "Yes") for r in holders):
        holders = [r for r in holders if not _says(r, name, "No")]  # No gives way to Yes
    if holders:
        if spec.role in ("audit_date", "incidents"):
            best = max(holders, key=lambda r: _sortable(r.case.values.get(name)))
            return best.case.values.get(name), best.case.status[name], [best]
        distinct = {_comparable(r, name) for r in holders}
        if len(distinct) > 1:
            merged.conflicts.append(Conflict(case_id, name, tuple(
                ConflictCell(r.agency, r.file, r.case.cells.get(name, name),
                             _shown(r, name, spec, holders[0])) for r in holders)))
        first = holders[0]
        return first.case.values.get(name), first.case.status[name], [first]
    silent = [r for r in entries if r.case.status.get(name) is Status.NOT_RECORDED]
    if silent and not awaiting:
        return silent[0].case.values.get(name), Status.NOT_RECORDED, silent[:1]
    blank = [r for r in entries if r.case.status.get(name) is Status.BLANK]
    if blank and not awaiting:
        return blank[0].case.values.get(name), Status.BLANK, blank[:1]
    # Nothing yet, or said silent by one agency while still awaited from another: unknown.
    return None if spec.type != "list" else (), Status.UNANSWERED, []


def _says(row: ReturnRow, name: str, word: str) -> bool:
    return row.case.status.get(name) is Status.ANSWERED and row.case.values.get(name) == word


def _comparable(row: ReturnRow, name: str) -> Any:
    value = row.case.values.get(name)
    state = row.case.status.get(name)
    if isinstance(value, tuple | list):
        value = frozenset(value)
    return state, value


def _sortable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return (1, value.toordinal())
    if isinstance(value, int | float):
        return (1, value)
    return (0, 0)


def _shown(row: ReturnRow, name: str, spec: FieldSpec, reference: ReturnRow) -> str | None:
    """A conflicting value as reports may show it: never text, dates as an interval."""
    value = row.case.values.get(name)
    if row.case.status.get(name) is Status.NOT_APPLICABLE:
        return "N/A"
    if spec.type in CLOSED:
        if isinstance(value, tuple | list):
            return "; ".join(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return None if value is None else str(value)
    if spec.type == "date" and value is None and spec.words \
            and row.case.status.get(name) is Status.ANSWERED:
        return spec.words[0]  # `Not notified` against a date: shown in words
    if spec.type == "date" and isinstance(value, dt.date):
        start = reference.case.values.get(name)
        if row is reference:
            return "the date used"
        if not isinstance(start, dt.date):
            return None
        days = working_days_between(start, value)
        unit = "working day" if abs(days) == 1 else "working days"
        return f"{abs(days)} {unit} {'after' if days >= 0 else 'before'} {reference.agency}'s"
    return None


def _agencies_field(model: Rubric) -> str:
    return next((n for n, s in model.fields.items() if s.agencies), "agencies_involved")


def _id_name(model: Rubric) -> str:
    return id_field(model.fields)


def _id_cell(row: ReturnRow, model: Rubric) -> str:
    return row.case.cells.get(_id_name(model), _id_name(model))
