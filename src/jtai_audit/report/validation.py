"""`validate`'s report: every error, warnings 20 of a kind, and completeness per column.

The command finds the problems and counts the answers; this only words them, as text for
the person fixing the workbook or as the contract's JSON for tools.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..problems import CellProblem
from .throttle import Throttle


@dataclass
class Validation:
    """What `validate` found in its inputs, ready to be written."""

    errors: list[CellProblem]
    warnings: list[CellProblem]
    completeness: dict[str, float]  # percent answered, per column in workbook order
    cases: int
    unit: str = "case(s)"  # "children" when agency returns were merged per child
    short: set[str] = field(default_factory=set)  # columns not answered in every case
    optional: set[str] = field(default_factory=set)  # columns that may be left blank


def render_json(found: Validation) -> bytes:
    payload = {"errors": [p.as_dict() for p in found.errors],
               "warnings": [p.as_dict() for p in found.warnings],
               "completeness": found.completeness, "cases": found.cases}
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_text(found: Validation) -> bytes:
    """Every error; warnings 20 of a kind, then counted (a blank workbook has thousands)."""
    lines = [_line(p) for p in found.errors]
    printer = Throttle(lines.append)
    for problem in found.warnings:
        printer.line(_kind(problem.message), _line(problem))
    printer.finish(lambda kind, more: f"warning: … and {more} more '{kind}'")
    lines += _completeness(found)
    lines.append(f"{len(found.errors)} error(s), {len(found.warnings)} warning(s) in "
                 f"{found.cases} {found.unit}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _completeness(found: Validation) -> list[str]:
    """One line counting the columns answered in every case, then each other column.

    Only the columns below 100% are listed (in workbook order), so a finished workbook
    gets one line instead of one per column.
    """
    percent, short, cases, unit = found.completeness, found.short, found.cases, found.unit
    if not cases:
        return ["Completeness: no cases to count"]
    done = len(percent) - len(short)
    if not short:
        return [f"Completeness: all {done} columns answered in all {cases} {unit}"]
    lines = [f"Completeness: {done} of {len(percent)} columns answered in all {cases} "
             f"{unit}; below 100%:"]
    width = max(len(name) for name in short)
    for name in (n for n in percent if n in short):
        note = "  (optional: may be blank)" if name in found.optional else ""
        lines.append(f"  {name:<{width}}  {min(percent[name], 99.9):5.1f}%{note}")
    return lines


def _line(problem: CellProblem) -> str:
    column = f" ({problem.column})" if problem.column and problem.cell else ""
    where = f"{problem.cell}{column}: " if problem.cell else ""
    return f"{problem.file}: {where}{problem.level}: {problem.message}"


def _kind(message: str) -> str:
    """A warning's kind, for the 20-then-count rule: column names and rule ids left out."""
    return re.sub(r"'[^']*'", "…", message.split(":")[0].split(" (")[0].split(" —")[0])
