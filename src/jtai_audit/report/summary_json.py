"""The summary as the JSON outputs give it, and the complete case lists streamed into it.

The engine's summary counts; this is where its figures become the contract's `summary`
keys (DESIGN "Machine-readable outputs"), and where the complete lists of concerns and
priority cases, which grow with a caseload, wait on disk and are spliced into the JSON
item by item, so memory stays flat however many cases are concerns.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..engine.chunk_counts import OUT_OF_ORDER, UNANSWERED
from ..engine.figures import GroupFigures, RuleFigures
from ..engine.summary import Summary
from ..files import Spool

# Where a streamed report splices the complete lists into the summary (`stream=True`).
SPLICED = {"concerns": "\x00jtai:concerns\x00", "priority_cases": "\x00jtai:priority\x00"}


def item_json(item: dict[str, Any]) -> bytes:
    """One list item as the JSON reports write it (the same separators and escapes)."""
    return json.dumps(item, ensure_ascii=False, default=str).encode("utf-8")


def spliced(summary: Summary, key: str) -> Iterator[bytes]:
    """A complete list of `summary_dict(stream=True)`, one serialised item at a time.

    Items past the first SPILL that waited on disk are written as they were stored:
    each case is serialised once.
    """
    yield from map(item_json, summary.kept(key))
    over = summary.overflow(key)
    yield from over.lines() if isinstance(over, DiskList) else map(item_json, over)


class DiskList:
    """A summary's list past its first items, on disk (`Summary(overflow=)`).

    Each item is stored as the JSON reports write it.
    """

    def __init__(self) -> None:
        self._spool = Spool(0)

    def append(self, item: dict[str, Any]) -> None:
        self._spool.append(item_json(item))

    def lines(self) -> Iterator[bytes]:
        """Each item as it was serialised, for the report to write out unchanged."""
        return iter(self._spool)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for line in self._spool:
            found: dict[str, Any] = json.loads(line)
            yield found


def summary_dict(summary: Summary, stream: bool = False) -> dict[str, Any]:
    """The contract's summary keys, and the breakdowns the meeting asks for.

    `stream=True` leaves a marker (SPLICED) where the complete concern and priority lists
    go, for a writer to splice them in from `spliced` without holding them all.
    """
    figures = summary.figures()

    def groups(items: list[GroupFigures]) -> dict[str, Any]:
        return {g.name: {"cases": g.cases, "mean_score": g.mean_score, "themes": g.themes}
                for g in items}

    def rule_block(r: RuleFigures) -> dict[str, Any]:
        return {**r.counts, UNANSWERED: r.unanswered,
                OUT_OF_ORDER: summary.outcomes[r.rule].get(OUT_OF_ORDER, 0),
                "rate": r.rate, "cases": r.cases,
                "finding": r.finding}

    return {
        "cases": figures.cases,
        "complete": figures.complete,
        "incomplete": figures.cases - figures.complete,
        "mean_score": figures.mean_score,
        "grades": figures.grades,
        "themes": {t: percent for t, (percent, _) in figures.themes.items()},
        "theme_cases": {t: cases for t, (_, cases) in figures.themes.items()},
        "rules": {r: rule_block(f) for r, f in figures.rules.items()},
        "findings": {kind: [r for r in summary.rules_worst_first() if summary.finding(r) == kind]
                     for kind in ("strength", "improvement", "priority")},
        "areas": groups(figures.areas),
        "area_spread": {sp.theme: {"best": {"area": sp.best, "percent": sp.best_percent,
                                            "cases": sp.best_cases},
                                   "worst": {"area": sp.worst, "percent": sp.worst_percent,
                                             "cases": sp.worst_cases},
                                   "gap": sp.gap} for sp in figures.spreads},
        "owners": {o: {"percent": p, "cases": n} for o, p, n in figures.owners},
        "agencies": {a.agency: {
            "cases": a.cases, "returned": a.returned,
            "rules": {r: {"rate": f.rate, "cases": f.cases, "finding": f.finding}
                      for r, f in a.rules.items()},
            "fed": {r: {"rate": rate, "cases": n} for r, (rate, n) in a.fed.items()},
            "completeness": a.completeness}
            for a in (summary.agency_figures(name) for name in summary.agencies())},
        "legal_status": groups(figures.legal_status),
        "age_bands": groups(figures.age_bands),
        "recording_gaps": {r: summary.outcomes[r].get("not_evidenced", 0)
                           for r in summary.rules if summary.outcomes[r].get("not_evidenced")},
        "limited": {"cases": summary.limited_cases,
                    "by_rule": dict(summary.limited_by_rule.most_common())},
        "concerns": SPLICED["concerns"] if stream else summary.concerns,
        "duplicates": summary.duplicates,
        **({"returns": summary.returns} if summary.returns is not None else {}),
        "priority_cases": SPLICED["priority_cases"] if stream else summary.priority,
        "incomplete_cases": summary.incomplete,
        "auditor_grades": {"graded": summary.auditor_graded,
                           "differences": summary.grade_differences},
    }
