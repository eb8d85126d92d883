"""`jtai-audit validate`: data quality only; errors exit 1, warnings leave the exit code alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..auditing.row_checks import ERROR, WARNING
from ..auditing.validation import BatchChecks, check_file
from ..errors import ExitCode, UsageError, WorkbookError
from ..merge.combine import Merged
from ..merge.returns import AgencyReturn, answerers
from ..problems import CellProblem
from ..report import formats
from ..report.validation import Validation
from ..rubric.loader import load_rubric
from ..schema import Rubric, id_field
from ..terms import Status
from ..workbook.batch import hash_inputs, iter_inputs
from .inputs import Opened, merge_opened, open_inputs
from .messages import emit, same_file, say


def validate(paths: list[Path], rubric_spec: str | None, fmt: str, sheet: str | None) -> int:
    """Check every file; one unreadable file of several is an error, of one file exit 2.

    A round of agency returns is checked return by return on each return's own columns,
    then merged: unanswered cells once per child (never in a row of a child the agency
    did not work with), completeness over the children. One return given alone is
    checked on its own columns only.
    """
    render = formats.renderer("validate", fmt)
    files = list(iter_inputs(paths))
    if not files:
        raise UsageError("no .xlsx, .xlsm or .csv files found in the paths given")
    rubric = load_rubric(rubric_spec)
    model = rubric.model
    opened = _opened(files, model, sheet)
    in_round = opened is not None and opened.returns
    alone = in_round and len(files) == 1
    problems: list[CellProblem] = []
    answered: Counter[str] = Counter()
    cases = 0
    columns: list[str] = list(model.fields)
    batch = BatchChecks()
    for item in hash_inputs(files):
        path = item.path
        if item.same_as is not None:
            say(same_file(str(path), str(item.same_as)))
            continue
        try:
            report = check_file(path, rubric, sheet=sheet, batch=batch,
                                unanswered=not in_round or alone)
        except WorkbookError as exc:
            if len(files) == 1:
                raise
            problems.append(CellProblem(str(path), "", "", "", f"not readable: {exc.message}"))
            continue
        problems.extend(report.problems)
        answered.update(report.answered)
        cases += report.cases
        if alone:
            columns = [model_id(model), *report.columns]
    problems.extend(batch.label_problems())
    unit = "case(s)"
    if opened is not None and in_round:
        found, merged, returns = _return_problems(opened, model, single=len(files) == 1)
        problems.extend(found)
        if not alone:
            problems.extend(_unanswered_by_child(merged, returns, model))
            answered, cases, unit = _children_answered(merged, model), len(merged.cases), \
                "children"
    completeness = {name: round(100 * answered[name] / cases, 1) if cases else 0.0
                    for name in columns}
    errors = [p for p in problems if p.level == ERROR]
    warnings = [p for p in problems if p.level == WARNING]
    optional = {name for name, spec in model.fields.items() if spec.optional}
    short = {name for name in completeness if answered[name] < cases}
    emit(render(Validation(errors, warnings, completeness, cases, unit, short, optional)), None)
    return int(ExitCode.FINDINGS if errors else ExitCode.OK)


def model_id(model: Rubric) -> str:
    return id_field(model.fields)


def _opened(files: list[Path], model: Rubric, sheet: str | None) -> Opened | None:
    """The inputs opened as `score` opens them (None: the one file given cannot be read)."""
    try:
        return open_inputs(files, model, sheet=sheet, quiet=True)
    except WorkbookError:
        return None  # the one file given could not be read: reported by its check


def _return_problems(opened: Opened, model: Rubric, single: bool
                     ) -> tuple[list[CellProblem], Merged, list[AgencyReturn]]:
    """Given agency returns: conflicts and repeated rows are errors, missing returns warnings.

    Each return's own cells were checked above; what only the merge can see is checked here.
    One return given alone is checked on its own: the cases it cannot be scored on without
    the lead agency's return are one line, and no other agency's return is awaited.
    """
    # A malformed return given alone stops the run (exit 2), as in `score` and `merge`; in a
    # batch it is named on stderr and listed as an error.
    merged, returns = merge_opened(opened, model, single=single,
                                   unreadable_note="not a readable return")
    found = [p for p in merged.problems if p.kind != "invalid"]
    # A return the merge cannot read (two agencies, an unknown or missing agency) is an
    # error even when its cells are fine one by one.
    found += [CellProblem(shown, "", "", "", f"not a readable agency return: {message}")
              for _, shown, message in opened.unreadable]
    for conflict in merged.conflicts:
        first = conflict.cells[0]
        others = "; ".join(f"{c.agency} {c.file} {c.cell}" for c in conflict.cells[1:])
        found.append(CellProblem(first.file, first.cell.split("!")[0], first.cell,
                                 conflict.column, f"case {conflict.case_id}: {first.agency}'s "
                                 f"record disagrees with {others}"))
    if single:
        if merged.orphans and returns:
            who = ", ".join(sorted({a for _, names in merged.orphans for a in names}))
            found.append(CellProblem(
                returns[0].file, "", "", "", f"{len(merged.orphans)} case(s) of this "
                f"{who} return cannot be scored until it is merged with the lead "
                "agency's return: validate the folder of returns to check the round",
                level=WARNING, kind="alone"))
        return found, merged, returns
    for case_id, agencies in merged.orphans:
        found.append(CellProblem("(returns)", "", "", "", f"case {case_id} is in the "
                                 f"{', '.join(agencies)} return(s) but in no lead-agency "
                                 "return: it cannot be scored", level=WARNING))
    for agency, ids in merged.missing.items():
        for case_id in ids:
            found.append(CellProblem("(returns)", "", "", "", f"case {case_id}: awaiting the "
                                     f"{agency} return", level=WARNING, kind="missing"))
    return found, merged, returns


def _unanswered_by_child(merged: Merged, returns: list[AgencyReturn],
                         model: Rubric) -> list[CellProblem]:
    """Cells no return answered, once per child, at the cell of the agency that answers it.

    A cell awaited from a return that has not come in is the `awaiting` warning already; a
    cell only agencies not involved with the child answer is N/A in the merge, never asked.
    """
    rows = {(r.case.case_id, r.agency): r for item in returns for r in item.rows}
    found: list[CellProblem] = []
    for case in merged.cases:
        for name in model.fields:
            if case.status.get(name) is not Status.UNANSWERED \
                    or (case.case_id, name) in merged.awaiting:
                continue
            row = next((rows[(case.case_id, a)] for a in answerers(model, name)
                        if (case.case_id, a) in rows and name in rows[(case.case_id, a)]
                        .case.cells), None)
            if row is None:
                continue  # no return has the column: its header was warned about
            found.append(CellProblem(row.file, row.sheet, row.case.cells[name], name,
                                     "unanswered: the case is incomplete (write Not recorded "
                                     "if the record is silent)", level=WARNING))
    return found


def _children_answered(merged: Merged, model: Rubric) -> Counter[str]:
    """Per column, the merged children whose cell is answered.

    N/A where only agencies not involved answer it counts: the merge answers it.
    """
    answered: Counter[str] = Counter()
    for case in merged.cases:
        for name, spec in model.fields.items():
            state = case.status.get(name)
            if state in (Status.ANSWERED, Status.NOT_RECORDED, Status.NOT_APPLICABLE) or (
                    state is Status.BLANK and (spec.blank_ok_if or spec.blank_means)):
                answered[name] += 1
    return answered
