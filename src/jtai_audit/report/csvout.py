"""Tidy CSV: one row per case and rule, for pivot tables and statistics packages.

Tidy (rather than one wide row per case) so a partnership can filter by rule, theme or
owner without reshaping. Provenance rides in trailing columns on every row rather than in
comment lines, which many tools refuse; repeated values cost little. Every string is
neutralised against CSV injection, because a spreadsheet opening this file would
otherwise run an area name such as `=HYPERLINK(...)`.
"""

from __future__ import annotations

import csv
import io

from ..files import neutralise
from .cells import evidence_text
from .data import ReportData

HEADER = ("source", "source_sha256", "case_id", "area", "row", "score", "grade",
          "grade_limited_by", "provisional", "complete", "rule", "theme", "severity", "owner",
          "outcome", "limits_grade_to", "evidence",
          "rubric_id", "rubric_version", "rubric_sha256", "tool_version", "generated_at")


def render(data: ReportData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    rules = {r.id: r for r in data.rubric.model.rules}
    digests = {i.path: i.sha256 for i in data.inputs}
    model = data.rubric.model
    tail = [model.id, model.version, data.rubric.sha256, data.tool()["version"],
            data.generated_at]
    for result in data.results:
        case = result.case
        area = data.summary.area_name(result.area)
        deciding = result.deciding_limit
        head = [case.source, digests.get(case.source, ""), case.case_id, area,
                case.row, "" if result.score is None else f"{result.shown_score:.1f}",
                result.grade or "", deciding.words() if deciding else "",
                str(result.provisional).lower(),
                str(result.complete).lower()]
        for item in result.results:
            rule = rules.get(item.rule)
            row = [*head, item.rule, item.theme, rule.severity if rule else "",
                   rule.owner_text if rule else "", item.outcome.value,
                   item.limit.best if item.limit else "", evidence_text(item.evidence), *tail]
            writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue().encode("utf-8")
