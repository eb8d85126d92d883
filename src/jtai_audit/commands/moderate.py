"""`jtai-audit moderate`: two auditors, same cases — agreement, kappa and every disagreement.

Disagreements are what moderation is for, not a failure of the run: the command exits 0
whenever it could compare the two workbooks (exit 2 when one cannot be read). Invalid
cells are warned about on stderr and compared as unanswered.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..auditing.moderation import KAPPA_THRESHOLD, READ_DIFFERENTLY, Moderation, compare_answers
from ..engine.columns import ColumnJudge
from ..engine.judge import Engine
from ..errors import UsageError
from ..rubric.loader import load_rubric
from ..workbook.cases import Case
from ..workbook.reader import load_case_file
from .messages import report_notices, say

FORMATS = ("text", "json")


def moderate(first: Path, second: Path, rubric_spec: str | None, fmt: str,
             sheet: str | None) -> int:
    """Compare two workbooks case by case (matched on case_id)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown --format '{fmt}' ({', '.join(FORMATS)})")
    rubric = load_rubric(rubric_spec)
    fields = rubric.model.fields
    files = [load_case_file(p, fields, sheet=sheet) for p in (first, second)]
    for loaded in files:
        report_notices(loaded.invalid)
    by_id = [{c.case_id: c for c in f.cases} for f in files]
    for mine, theirs, path in ((by_id[0], by_id[1], first), (by_id[1], by_id[0], second)):
        only = [case_id for case_id in mine if case_id not in theirs]
        if only:
            say(f"warning: {len(only)} case(s) only in {path}, not moderated: {', '.join(only)}")
    pairs = [(case, by_id[1][case_id]) for case_id, case in by_id[0].items()
             if case_id in by_id[1]]
    if not pairs:
        raise UsageError(f"no case_id in common between {first} and {second}")
    result = compare_answers(pairs, fields, (set(files[0].columns), set(files[1].columns)))
    _compare_results(result, pairs, ColumnJudge(Engine(rubric)))
    if fmt == "json":
        sys.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text(result, first, second))
    return 0


def _compare_results(result: Moderation, pairs: list[tuple[Case, Case]],
                     judge: ColumnJudge) -> None:
    """Outcome disagreements per case and rule, grade disagreements per case: no cells."""
    for first, second in pairs:
        one, two = judge.case(first), judge.case(second)
        outcomes = {r.rule: r.outcome for r in two.results}
        for rule in one.results:
            other = outcomes.get(rule.rule)
            if other is not None and other is not rule.outcome:
                result.outcomes.append({"case_id": first.case_id, "rule": rule.rule,
                                        "first": str(rule.outcome), "second": str(other)})
        if one.grade != two.grade:
            result.grades.append({"case_id": first.case_id, "first": one.grade,
                                  "second": two.grade})


def _labels(first: Path, second: Path) -> tuple[str, str]:
    """Short names for the table headings: file names, or the paths when the names clash."""
    if first.name != second.name:
        return first.name, second.name
    return str(first), str(second)


def _table(rows: list[list[str]]) -> list[str]:
    """Rows as columns two spaces apart; the first row is the heading."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def _text(result: Moderation, first: Path, second: Path) -> str:
    """What the meeting must settle first (every disagreement), then agreement per question."""
    one, two = _labels(first, second)
    heading = [f"first: {one}", f"second: {two}"]
    lines = [f"Moderation of {result.compared} case(s) in both workbooks",
             f"  first auditor:  {first}", f"  second auditor: {second}",
             f"Overall agreement {_percent(result.overall)} (answers both auditors gave)", ""]
    lines.append(f"Answer disagreements to settle ({len(result.answers)}):")
    if result.answers:
        lines += _table([["case_id", "column", *heading]] + [
            [a["case_id"], a["column"], f"{a['first_cell']} {a['first']}",
             f"{a['second_cell']} {a['second']}"] for a in result.answers])
    lines += ["", f"Outcome disagreements ({len(result.outcomes)}), from those answers:"]
    if result.outcomes:
        lines += _table([["case_id", "rule", *heading]] + [
            [o["case_id"], o["rule"], o["first"], o["second"]] for o in result.outcomes])
    lines += ["", f"Grade disagreements ({len(result.grades)}):"]
    if result.grades:
        lines += _table([["case_id", *heading]] + [
            [g["case_id"], g["first"] or "-", g["second"] or "-"] for g in result.grades])
    differing = [(n, c) for n, c in result.worst_first() if c.agreement != 100.0]
    lines += ["", f"Agreement per question: {len(result.columns) - len(differing)} of "
              f"{len(result.columns)} agree in every case"
              + ("; the others, worst first:" if differing else "")]
    if differing:
        lines += _table([["question", "agreement", "Cohen's kappa ('-': undefined)", "pairs"]] + [
            [name, _percent(c.agreement), "-" if c.kappa is None else f"{c.kappa:.2f}",
             str(len(c.pairs))] for name, c in differing])
    low = result.read_differently
    lines += ["", f"Questions with kappa below {KAPPA_THRESHOLD:g} ({len(low)})"
              + (":" if low else ": none")]
    for name in low:  # two lines each, so the text stays 80 characters wide
        lines += [f"  {name} (kappa {result.columns[name].kappa:.2f}):", f"    {READ_DIFFERENTLY}"]
    return "\n".join(lines) + "\n"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"
