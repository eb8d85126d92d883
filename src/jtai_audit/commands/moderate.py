"""`jtai-audit moderate`: two auditors, same cases — agreement, kappa and every disagreement.

Disagreements are what moderation is for, not a failure of the run: the command exits 0
whenever it could compare the two workbooks (exit 2 when one cannot be read). Invalid
cells are warned about on stderr and compared as unanswered.
"""

from __future__ import annotations

from pathlib import Path

from ..auditing.moderation import KAPPA_THRESHOLD, READ_DIFFERENTLY, Moderation, compare_answers
from ..engine.columns import ColumnJudge
from ..engine.judge import Engine
from ..errors import UsageError
from ..report import formats
from ..report.moderation import Moderated
from ..rubric.loader import load_rubric
from ..workbook.cases import Case
from ..workbook.reader import load_case_file
from .messages import emit, report_notices, say


def moderate(first: Path, second: Path, rubric_spec: str | None, fmt: str,
             sheet: str | None) -> int:
    """Compare two workbooks case by case (matched on case_id)."""
    render = formats.renderer("moderate", fmt)
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
    emit(render(Moderated(result, first, second, KAPPA_THRESHOLD, READ_DIFFERENTLY)), None)
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
