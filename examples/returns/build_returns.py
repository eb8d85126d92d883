"""Build the example agency returns: `examples/cases.xlsx` split into one return per agency.

Why: in a real multi-agency audit each agency audits its own records for the sampled
children and sends back its own workbook. These returns are the example audit told that
way, so `jtai-audit merge examples/returns/` and `jtai-audit score examples/returns/` can be
tried, and tested, against the single-sheet example they were cut from.

Each return is the agency's own template (`jtai-audit template --agency NAME --cases ...`):
`case_id`, the `agency` column, and only the columns that agency answers (`answered_by`),
one row for each case it is expected to return (the lead agency's for every case; another
agency's where it is in the case's `agencies_involved` and answers at least one column),
with the values of `examples/cases.xlsx`. Free text (`case_notes`, `voice_method`) is in
the lead agency's return only, so the merged text is the example's own.

Two folders are written:

- `examples/returns/`: as the audit coordinator first receives them, with exactly two
  returns still missing and three cells where an agency's record disagrees with the
  preferred agency's (MISSING and CONFLICTS below);
- `examples/returns-resolved/`: after chasing and correcting, every return in and every
  conflict corrected in the return that was wrong.

Deterministic: no randomness, SOURCE_DATE_EPOCH fixed for the workbook properties, and the
package's own writer fixes the zip timestamps, so a rerun gives byte-identical files.

Run from the repository root:  python examples/returns/build_returns.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from jtai_audit.auditing.template import build_template
from jtai_audit.merge.returns import agencies_of, agency_fields, answerers, lead_agency
from jtai_audit.rubric.compiled import LoadedRubric
from jtai_audit.rubric.loader import load_rubric

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "cases.xlsx"
RESOLVED = HERE.parent / "returns-resolved"
# The workbook properties' time: the day the example audit's last area was audited, as in
# examples/build_cases.py. Pinned whatever the caller's SOURCE_DATE_EPOCH, so the committed
# files do not depend on who rebuilt them.
FIXED_TIME = dt.datetime(2025, 11, 21, 9, 0, 0, tzinfo=dt.UTC)

# Returns that have not come in yet: (case_id, agency). Never the lead agency's.
MISSING: tuple[tuple[str, str], ...] = (
    ("EB-005", "Police"),   # voice_police, orders and Clare's Law unanswered for now
    ("KF-002", "Health"),   # routine enquiry, voice_health and GP unanswered for now
)
# Cells where an agency's return disagrees with the preferred agency's:
# (case_id, column, the agency that recorded it differently, its value).
CONFLICTS: tuple[tuple[str, str, str, Any], ...] = (
    # Police (preferred) have the incident on the date in cases.xlsx; children's social care
    # recorded the day the notification reached them.
    ("NM-003", "incident_date", "Children's social care", "next working day"),
    # Children's social care (preferred) say Partly; the police record lists the child as a
    # victim in its own right.
    ("KF-003", "recognised_as_victim", "Police", "Yes"),
    # Police (preferred) graded the risk High; children's social care kept the earlier level.
    ("SM-006", "risk_level", "Children's social care", "Medium"),
)
TEXT_TYPES = ("text",)


def slug(agency: str) -> str:
    """A return's file name: `Children's social care` -> `children-s-social-care`."""
    return re.sub(r"[^a-z0-9]+", "-", agency.lower()).strip("-")


def read_example() -> list[dict[str, Any]]:
    """The example's rows, by canonical column name, as openpyxl reads them."""
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Cases"]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell) for cell in next(rows)]
    return [dict(zip(header, row, strict=True)) for row in rows if row[0] is not None]


def involved(row: dict[str, Any]) -> list[str]:
    return [part.strip() for part in str(row.get("agencies_involved") or "").split(";")
            if part.strip()]


def expected(rubric: LoadedRubric, row: dict[str, Any]) -> list[str]:
    """The agencies expected to return a case, as the merge expects them."""
    model = rubric.model
    lead = lead_agency(model)
    answering = {a for name in model.fields for a in answerers(model, name)}
    return [a for a in agencies_of(model)
            if a == lead or (a in involved(row) and a in answering)]


def next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def return_row(rubric: LoadedRubric, agency: str, row: dict[str, Any],
               resolved: bool) -> dict[str, Any]:
    """One agency's row for one case: its columns, the example's values (free text: lead only)."""
    model = rubric.model
    out: dict[str, Any] = {}
    for name, spec in agency_fields(model, agency).items():
        if spec.type in TEXT_TYPES and agency != lead_agency(model):
            continue
        out[name] = row.get(name)
    if not resolved:
        for case_id, column, who, value in CONFLICTS:
            if case_id == row["case_id"] and who == agency:
                if value == "next working day":
                    value = next_working_day(row[column].date())
                out[column] = value
    return out


def build(rubric: LoadedRubric, rows: Sequence[dict[str, Any]],
          resolved: bool) -> dict[str, bytes]:
    """Each agency's return as a file name and its bytes."""
    files: dict[str, bytes] = {}
    for agency in agencies_of(rubric.model):
        mine = [return_row(rubric, agency, row, resolved) for row in rows
                if agency in expected(rubric, row)
                and (resolved or (row["case_id"], agency) not in MISSING)]
        if mine:
            files[slug(agency) + ".xlsx"] = build_template(rubric, mine, agency)
    return files


def check(rubric: LoadedRubric, rows: Sequence[dict[str, Any]]) -> None:
    """The planted changes are what they say: not the lead's, and agencies expected."""
    model = rubric.model
    by_id = {row["case_id"]: row for row in rows}
    for case_id, agency in MISSING:
        assert agency != lead_agency(model) and agency in expected(rubric, by_id[case_id])
    for case_id, column, agency, value in CONFLICTS:
        order = [a for a in answerers(model, column) if a in expected(rubric, by_id[case_id])]
        assert agency in order and order[0] != agency, (case_id, column)
        assert value != by_id[case_id][column], (case_id, column)


def write(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(exist_ok=True)
    for stale in folder.glob("*.xlsx"):
        if stale.name not in files:
            stale.unlink()
    for name, data in files.items():
        (folder / name).write_bytes(data)


def main() -> None:
    os.environ["SOURCE_DATE_EPOCH"] = str(int(FIXED_TIME.timestamp()))
    rubric = load_rubric(None)
    rows = read_example()
    check(rubric, rows)
    write(HERE, build(rubric, rows, resolved=False))
    write(RESOLVED, build(rubric, rows, resolved=True))


if __name__ == "__main__":
    main()
