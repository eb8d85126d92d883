"""What every report is made from: provenance, case results and the summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..engine.actions import CarriedAction
from ..engine.judge import CaseResult, RuleResult
from ..engine.summary import Summary
from ..merge.combine import Merged
from ..rubric.compiled import LoadedRubric
from ..stamps import generated_now


@dataclass
class InputInfo:
    """One input file as reports show it: path (or hash prefix when redacted), sha256, cases."""

    path: str
    sha256: str
    cases: int
    error: str | None = None


@dataclass
class ReportData:
    """A scored run, ready for any formatter."""

    rubric: LoadedRubric
    inputs: list[InputInfo]
    results: list[CaseResult]
    summary: Summary
    generated_at: str = field(default_factory=lambda: generated_now())
    color: bool = False
    returns_open: bool = False  # agency returns merged with some missing or conflicting
    agency: str | None = None  # one agency's part only (`score --agency`)
    actions: list[CarriedAction] | None = None  # last round's plan (`score --actions`)
    merged: Merged | None = None  # the agency returns behind the cases, when merged
    appendix: tuple[str, ...] = ()  # printed-pack appendices asked for: "cases", "rules"
    cases_not_listed: int = 0  # cases scored but left off a report's case lists (too many)

    def tool(self) -> dict[str, str]:
        return {"name": "jtai-audit", "version": __version__}

    def rubric_block(self) -> dict[str, Any]:
        model = self.rubric.model
        block = {"id": model.id, "version": model.version, "title": model.title,
                 "sha256": self.rubric.sha256, "extends": model.extends,
                 "params": model.model_dump(mode="json")["params"],
                 "disabled": [{"rule": d.rule, "reason": d.reason} for d in model.disable]}
        if self.agency is not None:
            block["agency"] = self.agency  # one agency's part: only the rules it owns
        return block

    def inputs_block(self) -> list[dict[str, Any]]:
        out = []
        for item in self.inputs:
            entry: dict[str, Any] = {"path": item.path, "sha256": item.sha256,
                                     "cases": item.cases}
            if item.error:
                entry["error"] = item.error
            out.append(entry)
        return out

    def provenance(self) -> dict[str, Any]:
        return {"tool": self.tool(), "rubric": self.rubric_block(),
                "inputs": self.inputs_block(), "generated_at": self.generated_at}


def case_dict(result: CaseResult, with_results: bool = True) -> dict[str, Any]:
    """A case as the JSON contract names it; text fields never appear, only their evidence."""
    case = result.case
    return {
        "case_id": case.case_id,
        "area": result.area,
        "source": case.source,
        "row": case.row,
        "score": result.shown_score,
        "grade": result.grade,
        "band_grade": result.band_grade,
        "limited_by": [limit.to_dict() for limit in result.limited_by],
        "provisional": result.provisional,
        "capped_by": result.capped_by,
        "auditor_grade": result.auditor_grade,
        "complete": result.complete,
        "unanswered": result.unanswered,
        "results": [result_dict(r) for r in result.results] if with_results else [],
    }


def result_dict(result: RuleResult) -> dict[str, Any]:
    """One rule's result as the JSON contract names it."""
    out: dict[str, Any] = {"rule": result.rule, "theme": result.theme,
                           "outcome": result.outcome.value, "evidence": result.evidence_dict()}
    if result.unanswered:  # left out of the score and rates until these cells are answered
        out["unanswered"] = list(result.unanswered)
    if result.out_of_order:  # left out until the dates are put right
        out["dates_out_of_order"] = list(result.out_of_order)
    return out
