"""Reading last round's action plan: the `Action plan` sheet as people filled it in.

The sheet is the one `score` wrote (headers fixed by the contract), then edited by hand or
in LibreOffice: rows added, deleted or left blank, statuses typed, dates in any form a
case file accepts. A bad cell is reported at its `Sheet!A1` and the rest is read; the
`Notes` column is read by nobody and printed nowhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import WorkbookError
from ..hints import did_you_mean
from ..problems import CellProblem
from .cells import normalise_word, parse_date
from .limits import column_letter
from .sheets import header_key, read_sheet

SHEET = "Action plan"
HEADERS = ("Rule", "Title", "Finding", "Rate (%)", "Cases judged", "Owner agency",
           "Recommended action", "Owner", "Due date", "Status", "Notes")
STATUSES = ("Not started", "In progress", "Done", "Dropped")
CLOSED = ("Done", "Dropped")
# Words people type for a status that spelling alone does not bring near: hinted, not read
# as the status (a plan's status is the owner's word, never guessed).
_MEANT = {"completed": "Done", "complete": "Done", "finished": "Done", "closed": "Done",
          "achieved": "Done", "started": "In progress", "ongoing": "In progress",
          "underway": "In progress", "open": "In progress", "cancelled": "Dropped",
          "canceled": "Dropped", "withdrawn": "Dropped", "not begun": "Not started",
          "to do": "Not started", "todo": "Not started"}


@dataclass(frozen=True)
class PlanAction:
    """One action of the last round's plan, as far as the sheet says it."""

    rule: str
    owner_agency: str | None
    owner: str | None
    due: dt.date | None
    status: str | None
    rate_before: float | None
    cell: str  # where its rule is, for messages

    @property
    def open(self) -> bool:
        return self.status not in CLOSED


@dataclass
class ActionPlan:
    """The actions read, and the cells that could not be."""

    path: str
    actions: list[PlanAction] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def read_action_plan(path: Path, shown: str | None = None) -> ActionPlan:
    """The plan's actions; WorkbookError when there is no `Action plan` sheet to read."""
    display = shown or str(path)
    sheet = read_sheet(path, SHEET)
    rows = sheet.rows
    header = rows[0] if rows else []
    keys = {header_key(h): h for h in HEADERS}
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = keys.get(header_key(str(cell))) if cell is not None else None
        if name is not None and name not in columns:
            columns[name] = index
    if "Rule" not in columns:
        raise WorkbookError(f"no 'Rule' column in {SHEET}!1:1 (the action plan's headers: "
                            f"{', '.join(HEADERS)})", display)
    plan = ActionPlan(display)
    for number, row in enumerate(rows[1:], start=2):
        def get(name: str, row: list[Any] = row) -> Any:
            index = columns.get(name)
            value = row[index] if index is not None and index < len(row) else None
            return value.strip() if isinstance(value, str) else value

        rule = get("Rule")
        if rule in (None, ""):
            continue  # a blank or deleted row
        cell = f"{SHEET}!{column_letter(columns['Rule'])}{number}"
        plan.actions.append(PlanAction(
            str(rule).upper(), _text(get("Owner agency")), _text(get("Owner")),
            _due(get("Due date"), plan, display, _cell(columns, "Due date", number)),
            _status(get("Status"), plan, display, _cell(columns, "Status", number)),
            _rate(get("Rate (%)")), cell))
    return plan


def _cell(columns: dict[str, int], name: str, number: int) -> str:
    index = columns.get(name)
    return f"{SHEET}!{column_letter(index)}{number}" if index is not None else ""


def _text(value: Any) -> str | None:
    return None if value in (None, "") else " ".join(str(value).split())


def _rate(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).rstrip("%")) if value not in (None, "", "-") else None
    except ValueError:
        return None


def _status(value: Any, plan: ActionPlan, file: str, cell: str) -> str | None:
    if value in (None, ""):
        return None
    word = normalise_word(str(value))
    for status in STATUSES:
        if normalise_word(status) == word:
            return status
    meant = _MEANT.get(word)
    hint = f" — did you mean '{meant}'?" if meant is not None else \
        did_you_mean(str(value), STATUSES, cutoff=0.6, key=normalise_word)
    plan.problems.append(CellProblem(
        file, SHEET, cell, "Status", f"not a status ({', '.join(STATUSES)}){hint}"
        ": read as not started", level="warning"))
    return None


def _due(value: Any, plan: ActionPlan, file: str, cell: str) -> dt.date | None:
    if value in (None, ""):
        return None
    parsed = parse_date(value)
    if isinstance(parsed.value, dt.date):
        return parsed.value
    plan.problems.append(CellProblem(file, SHEET, cell, "Due date",
                                     f"{parsed.problem or 'not a date'}: read as no due date",
                                     level="warning"))
    return None
