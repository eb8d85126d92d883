"""Reading agency returns: each workbook is one agency's rows for the sampled children.

A return is a case file with an `agency` column naming one agency on every row. Its rows
are read like any case file (the same reader, the same pseudonym check); what makes it a
return is checked here: one known agency throughout, one row per child, and no row that
holds nothing but the child's id and the agency's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError, WorkbookError
from ..hints import did_you_mean
from ..problems import CellProblem
from ..schema import FieldSpec, Rubric
from ..terms import Status
from ..workbook.cases import Case
from ..workbook.cells import TYPOGRAPHIC
from ..workbook.limits import column_letter
from ..workbook.reader import CaseStream
from ..workbook.sheets import agency_column_values


def agency_key(text: str) -> str:
    """Agency names compare trimmed, case-insensitively, curly apostrophes as straight."""
    return " ".join(text.translate(TYPOGRAPHIC).split()).casefold()


def agencies_of(model: Rubric) -> list[str]:
    """The agencies a rubric knows: the values of its `agencies: true` list field."""
    return [v for spec in model.fields.values() if spec.agencies for v in spec.values or []]


def lead_agency(model: Rubric) -> str:
    """The agency whose return holds the shared facts (`params.lead_agency`)."""
    lead = model.params.get("lead_agency")
    if isinstance(lead, str) and lead:
        return lead
    ids = [s.answered_by[0] for s in model.fields.values() if s.type == "id" and s.answered_by]
    return ids[0] if ids else "Children's social care"


def answerers(model: Rubric, name: str) -> list[str]:
    """Who answers a column, preferred first; a column nobody claims is the lead's."""
    return list(model.fields[name].answered_by) or [lead_agency(model)]


def _loose(text: str) -> str:
    """A name or file name with only its letters and digits: `children-s-social-care`."""
    return re.sub(r"[^0-9a-z]", "", agency_key(text))


def attribute_file(path: Path, model: Rubric) -> str | None:
    """The agency whose return an unreadable file holds, if it can be told.

    By its `agency` column when that can be read, else by its file name matched like an
    agency name (`probation.xlsx`, `Children's social care return.xlsx`; the longest agency
    name the file name holds), else None.
    """
    agencies = agencies_of(model)
    known = {agency_key(a): a for a in agencies}
    for value in agency_column_values(path):
        name = known.get(agency_key(value))
        if name is not None:
            return name
    stem = _loose(path.stem)
    if not stem:
        return None
    exact = next((a for a in agencies if _loose(a) == stem), None)
    if exact is not None:
        return exact
    held = sorted((a for a in agencies if _loose(a) and _loose(a) in stem),
                  key=lambda a: -len(_loose(a)))
    return held[0] if held else None


def find_agency(typed: str, model: Rubric) -> str:
    """The canonical name of the agency typed; UsageError (with a near miss) when none is."""
    agencies = agencies_of(model)
    found = {agency_key(a): a for a in agencies}.get(agency_key(typed))
    if found is None:
        hint = did_you_mean(typed, agencies, cutoff=0.6, key=agency_key)
        raise UsageError(f"--agency {typed}: not one of the agencies ({', '.join(agencies)})"
                         f"{hint}")
    return found


def agency_fields(model: Rubric, agency: str) -> dict[str, FieldSpec]:
    """One agency's columns: the case id and every column it answers, in rubric order."""
    return {name: spec for name, spec in model.fields.items()
            if spec.type == "id" or agency in answerers(model, name)}


@dataclass(frozen=True)
class ReturnRow:
    """One agency's row for one child, and where it came from."""

    agency: str
    case: Case
    file: str
    sheet: str


@dataclass
class AgencyReturn:
    """A return file read: its agency, its rows, and what was wrong with its cells."""

    file: str
    sheet: str
    agency: str
    sha256: str
    rows: list[ReturnRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)  # invalid cells (warnings)
    ignored: list[CellProblem] = field(default_factory=list)  # values in others' columns


def read_return(stream: CaseStream, model: Rubric) -> AgencyReturn:
    """The rows of one return; a return that is not one agency's throughout is refused."""
    known = {agency_key(a): a for a in agencies_of(model)}
    id_name = stream.id_name
    agency: str | None = None
    rows: list[ReturnRow] = []
    for case in stream.cases():
        cell = f"{stream.sheet}!{_letter(stream, id_name)}{case.row}"
        if case.agency is None:
            raise WorkbookError(f"{cell}: no agency on this row of a return (one agency's "
                                f"name on every row: {', '.join(known.values())})",
                                stream.display)
        name = known.get(agency_key(case.agency))
        if name is None:
            raise WorkbookError(f"{cell}: the agency column does not hold one of the agencies "
                                f"({', '.join(known.values())})", stream.display)
        if agency is not None and name != agency:
            raise WorkbookError(f"{cell}: a second agency in one return ({agency} above, "
                                f"{name} here): one agency's return per file",
                                stream.display)
        agency = name
        if _only_id(case, model):
            continue  # a pre-filled row nobody answered is not a return
        rows.append(ReturnRow(name, case, stream.display, stream.sheet))
    if agency is None:
        raise WorkbookError("no rows in this return", stream.display)
    found = AgencyReturn(stream.display, stream.sheet, agency, stream.sha256, rows,
                         list(stream.notices))
    found.ignored = list(_others_columns(found, model, stream))
    return found


def _letter(stream: CaseStream, name: str) -> str:
    return column_letter(stream.columns[name])


def _only_id(case: Case, model: Rubric) -> bool:
    """Nothing but the child's id (and the agency) on the row."""
    for name, spec in model.fields.items():
        if spec.type == "id":
            continue
        state = case.status.get(name)
        if state in (Status.ANSWERED, Status.NOT_APPLICABLE, Status.INVALID) or (
                state is Status.NOT_RECORDED and spec.type != "date"):
            return False
    return True


def _others_columns(found: AgencyReturn, model: Rubric,
                    stream: CaseStream) -> Iterable[CellProblem]:
    """Values in columns this agency does not answer: ignored, each cell named once."""
    present = [n for n in stream.columns if model.fields[n].type != "id"]
    foreign = [n for n in present if found.agency not in answerers(model, n)]
    for row in found.rows:
        for name in foreign:
            state = row.case.status.get(name)
            spec = model.fields[name]
            if state in (Status.ANSWERED, Status.NOT_APPLICABLE) or (
                    state is Status.NOT_RECORDED and spec.type != "date"):
                cell = row.case.cells.get(name, name)
                yield CellProblem(found.file, found.sheet, cell, name,
                                  f"{name} is not answered by {found.agency}: ignored",
                                  level="warning", kind="foreign")
