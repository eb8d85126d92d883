"""`jtai-audit template`: a blank workbook to fill in, made from the rubric's fields.

`--agency NAME` makes it that agency's return (its columns and its `agency` column);
`--cases SAMPLE` gives it one row per sampled case id. SAMPLE is a case list (.csv or
.xlsx with a `case_id` column, whose rubric columns are copied in, as `sample --output
x.xlsx` copies them) or a text file with one id a line. Every id is checked as a case
file's are: a name or an NHS number is refused with its cell or line named, never echoed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..agency_columns import return_columns
from ..auditing.sampling import CaseList, read_case_list
from ..auditing.template import LAST_ROW, build_template
from ..errors import UsageError, WorkbookError
from ..files import refuse_overwriting_inputs, write_atomic
from ..merge.returns import agency_fields, find_agency
from ..rubric.loader import load_rubric
from ..schema import FieldSpec, id_field
from ..terms import Status
from ..workbook.cases import read_cell
from ..workbook.limits import Limits, column_letter
from ..workbook.rows import IdCheck, match_columns
from ..workbook.sheets import WORKBOOK_SUFFIXES, header_key
from .messages import say

# Read as case lists (a header row with case_id); anything else is a text file of ids.
# .xls and .ods go to the case-list reader too, which says to save them as .xlsx or .csv.
CASE_LIST_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv", ".xls", ".ods", ".numbers")


def check_xlsx_output(output: Path) -> None:
    """Only .xlsx carries drop-downs and hidden sheets; anything else would lose them."""
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"--output {output}: a template is an .xlsx workbook (name it .xlsx)")


def list_columns(cases: CaseList, fields: Mapping[str, FieldSpec]) -> dict[str, str]:
    """The case list's own header behind each rubric column it holds (aliases matched)."""
    columns, _ = match_columns(cases.header, fields)
    return {name: cases.header[index] for name, index in columns.items()}


def prefill(cases: CaseList, ids: Sequence[str],
            headers: Mapping[str, str]) -> list[dict[str, Any]]:
    """One template row per id: the list's values of the rubric columns in `headers`."""
    return [{**{name: cases.rows[case_id].get(header) for name, header in headers.items()},
             cases.id_name: case_id} for case_id in ids]


def read_id_lines(path: Path, id_name: str, limits: Limits | None = None) -> list[str]:
    """A text file of case ids, one a line (a `case_id` header line is allowed), each checked."""
    limits = limits or Limits()
    if not path.is_file():
        raise WorkbookError("no such file", str(path))
    if path.stat().st_size > limits.max_file_bytes:
        raise WorkbookError(f"larger than the {limits.max_file_bytes:,}-byte limit", str(path))
    data = path.read_bytes()
    if b"\x00" in data:
        raise WorkbookError("not a text file of case ids (one a line expected)", str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    ids: list[str] = []
    check = IdCheck(id_name, lambda number: f"line {number}")
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value or (not ids and header_key(value) == header_key(id_name)):
            continue
        if any(separator in value for separator in ",;\t"):
            raise WorkbookError(f"line {number}: more than one value (for a case list, name it "
                                f".csv and give it a {id_name} header)", str(path))
        problem = check(value, number)
        if problem is not None:
            raise WorkbookError(f"line {number}: {problem.message}", str(path))
        ids.append(value)
    if not ids:
        raise WorkbookError(f"no {id_name} in the file (one a line expected)", str(path))
    return ids


def sample_rows(path: Path, fields: Mapping[str, FieldSpec], wanted: Sequence[str],
                sheet: str | None) -> tuple[list[dict[str, Any]], list[str]]:
    """The rows a SAMPLE pre-fills, and the rubric columns copied in besides the id."""
    id_name = id_field(fields)
    if path.suffix.lower() not in CASE_LIST_SUFFIXES:
        return [{id_name: case_id} for case_id in read_id_lines(path, id_name)], []
    cases = read_case_list(path, fields, sheet)
    if not cases.ids:
        raise WorkbookError(f"no {id_name} in the list (one row per sampled case)", str(path))
    headers = {name: header for name, header in list_columns(cases, fields).items()
               if name in wanted and name != id_name}
    return prefill(cases, cases.ids, headers), list(headers)


def _warn_refused(rows: Sequence[dict[str, Any]], copied: Sequence[str],
                  fields: Mapping[str, FieldSpec], agency: str | None) -> None:
    """A copied value the template's own drop-down would refuse, named at its cell.

    It is copied as it is (the template never changes a case list's answer), for the
    auditor to correct.
    """
    letters = {n: column_letter(i) for i, n in enumerate(return_columns(dict(fields), agency))}
    for name in copied:
        spec = fields[name]
        if spec.type not in ("answer", "yes_no", "choice", "list", "integer"):
            continue
        for number, row in enumerate(rows, start=2):
            parsed = read_cell(row.get(name), spec)
            if parsed.status is Status.INVALID:
                why = parsed.problem or "not a value it offers"
                say(f"warning: Cases!{letters[name]}{number} ({name}): copied from the case "
                    f"list but its drop-down refuses it ({why}): correct it in the template")


def template(output: Path, rubric_spec: str | None, agency: str | None = None,
             cases: Path | None = None, sheet: str | None = None) -> int:
    """Write the template atomically, owner-only; exit 0."""
    check_xlsx_output(output)
    if cases is not None:
        refuse_overwriting_inputs(output, [cases])
    elif sheet is not None:
        raise UsageError("--sheet names the sheet of the --cases list: give --cases too")
    rubric = load_rubric(rubric_spec)
    model = rubric.model
    name = None if agency is None else find_agency(agency, model)
    fields = model.fields if name is None else agency_fields(model, name)
    if name is not None and all(spec.type == "id" for spec in fields.values()):
        raise UsageError(f"--agency {agency}: no column of this rubric is answered by {name} "
                         "(answered_by)")
    rows: list[dict[str, Any]] = []
    copied: list[str] = []
    if cases is not None:
        rows, copied = sample_rows(cases, model.fields, list(fields), sheet)
    _warn_refused(rows, copied, fields, name)
    write_atomic(output, build_template(rubric, rows, name))
    what = f"{len(fields)} columns" if name is None else \
        f"the {name} return ({len(fields) + 1} columns: case_id, agency and its questions)"
    filled = "" if cases is None else f", {len(rows)} case(s) pre-filled" + (
        f" with {', '.join(copied)}" if copied else "")
    say(f"wrote {output}: {what}{filled}, drop-downs to row {max(LAST_ROW, len(rows) + 1)}, "
        "and a Guidance sheet")
    return 0
