"""`jtai-audit validate`: data quality only; errors exit 1, warnings leave the exit code alone."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

from ..errors import ExitCode, UsageError, WorkbookError
from ..problems import CellProblem
from ..rubric.loader import load_rubric
from ..schema import Rubric
from ..validation import ERROR, WARNING, BatchChecks, check_file
from ..workbook.batch import hash_inputs, iter_inputs
from .inputs import merge_opened, open_inputs
from .messages import MAX_PER_KIND, same_file, say

FORMATS = ("text", "json")


def validate(paths: list[Path], rubric_spec: str | None, fmt: str, sheet: str | None) -> int:
    """Check every file; one unreadable file of several is an error, of one file exit 2."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown --format '{fmt}' ({', '.join(FORMATS)})")
    files = list(iter_inputs(paths))
    if not files:
        raise UsageError("no .xlsx, .xlsm or .csv files found in the paths given")
    rubric = load_rubric(rubric_spec)
    problems: list[CellProblem] = []
    answered: Counter[str] = Counter()
    cases = 0
    batch = BatchChecks()
    for item in hash_inputs(files):
        path = item.path
        if item.same_as is not None:
            say(same_file(str(path), str(item.same_as)))
            continue
        try:
            report = check_file(path, rubric, sheet=sheet, batch=batch)
        except WorkbookError as exc:
            if len(files) == 1:
                raise
            problems.append(CellProblem(str(path), "", "", "", f"not readable: {exc.message}"))
            continue
        problems.extend(report.problems)
        answered.update(report.answered)
        cases += report.cases
    problems.extend(batch.label_problems())
    problems.extend(_return_problems(files, rubric.model, sheet))
    completeness = {name: round(100 * answered[name] / cases, 1) if cases else 0.0
                    for name in rubric.model.fields}
    errors = [p for p in problems if p.level == ERROR]
    warnings = [p for p in problems if p.level == WARNING]
    if fmt == "json":
        payload = {"errors": [p.as_dict() for p in errors],
                   "warnings": [p.as_dict() for p in warnings],
                   "completeness": completeness, "cases": cases}
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    else:
        optional = {name for name, spec in rubric.model.fields.items() if spec.optional}
        short = {name for name in completeness if answered[name] < cases}
        _text(errors, warnings, _completeness(completeness, short, cases, optional), cases)
    return int(ExitCode.FINDINGS if errors else ExitCode.OK)


def _return_problems(files: list[Path], model: Rubric, sheet: str | None) -> list[CellProblem]:
    """Given agency returns: conflicts and repeated rows are errors, missing returns warnings.

    Each return's own cells were checked above; what only the merge can see is checked here.
    """
    try:
        opened = open_inputs(files, model, sheet=sheet, quiet=True)
    except WorkbookError:
        return []  # the one file given could not be read: reported above
    if not opened.returns:
        return []
    # A malformed return given alone stops the run (exit 2), as in `score` and `merge`; in a
    # batch it is named on stderr and listed as an error.
    merged, _ = merge_opened(opened, model, single=len(files) == 1,
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
    for case_id, agencies in merged.orphans:
        found.append(CellProblem("(returns)", "", "", "", f"case {case_id} is in the "
                                 f"{', '.join(agencies)} return(s) but in no lead-agency "
                                 "return: it cannot be scored", level=WARNING))
    for agency, ids in merged.missing.items():
        for case_id in ids:
            found.append(CellProblem("(returns)", "", "", "", f"case {case_id}: awaiting the "
                                     f"{agency} return", level=WARNING, kind="missing"))
    return found


def _text(errors: list[CellProblem], warnings: list[CellProblem], completeness: list[str],
          cases: int) -> None:
    """Every error; warnings 20 of a kind, then counted (a blank workbook has thousands)."""
    lines = [_line(p) for p in errors]
    shown: Counter[str] = Counter()
    for problem in warnings:
        kind = _kind(problem.message)
        shown[kind] += 1
        if shown[kind] <= MAX_PER_KIND:
            lines.append(_line(problem))
    for kind, count in shown.items():
        if count > MAX_PER_KIND:
            lines.append(f"warning: … and {count - MAX_PER_KIND} more '{kind}'")
    lines += completeness
    lines.append(f"{len(errors)} error(s), {len(warnings)} warning(s) in {cases} case(s)")
    sys.stdout.write("\n".join(lines) + "\n")


def _completeness(percent: dict[str, float], short: set[str], cases: int,
                  optional: set[str]) -> list[str]:
    """One line counting the columns answered in every case, then each other column.

    Only the columns below 100% are listed (in workbook order), so a finished workbook
    gets one line instead of one per column.
    """
    if not cases:
        return ["Completeness: no cases to count"]
    done = len(percent) - len(short)
    if not short:
        return [f"Completeness: all {done} columns answered in all {cases} case(s)"]
    lines = [f"Completeness: {done} of {len(percent)} columns answered in all {cases} "
             "case(s); below 100%:"]
    width = max(len(name) for name in short)
    for name in (n for n in percent if n in short):
        note = "  (optional: may be blank)" if name in optional else ""
        lines.append(f"  {name:<{width}}  {min(percent[name], 99.9):5.1f}%{note}")
    return lines


def _line(problem: CellProblem) -> str:
    column = f" ({problem.column})" if problem.column and problem.cell else ""
    where = f"{problem.cell}{column}: " if problem.cell else ""
    return f"{problem.file}: {where}{problem.level}: {problem.message}"


def _kind(message: str) -> str:
    """A warning's kind, for the 20-then-count rule: column names and rule ids left out."""
    return re.sub(r"'[^']*'", "…", message.split(":")[0].split(" (")[0].split(" —")[0])


