"""`moderate`'s report: every disagreement first, then agreement and kappa per question.

The comparison is `auditing.moderation`'s; this only words it. The report layer may not
import the auditing layer, so the kappa threshold and its advice come in with the result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..auditing.moderation import Moderation


@dataclass(frozen=True)
class Moderated:
    """Two auditors' workbooks compared, with what a low kappa means."""

    result: Moderation
    first: Path
    second: Path
    threshold: float  # kappa below which auditors read a question differently
    advice: str  # what to do about such a question


def render_json(moderated: Moderated) -> bytes:
    return (json.dumps(moderated.result.as_dict(), indent=2, ensure_ascii=False) + "\n") \
        .encode("utf-8")


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


def render_text(moderated: Moderated) -> bytes:
    """What the meeting must settle first (every disagreement), then agreement per question."""
    result, first, second = moderated.result, moderated.first, moderated.second
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
    lines += ["", f"Questions with kappa below {moderated.threshold:g} ({len(low)})"
              + (":" if low else ": none")]
    for name in low:  # two lines each, so the text stays 80 characters wide
        lines += [f"  {name} (kappa {result.columns[name].kappa:.2f}):", f"    {moderated.advice}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"
