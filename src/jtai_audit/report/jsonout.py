"""JSON and JSON Lines: the machine-readable contract."""

from __future__ import annotations

import json
from typing import Any

from .data import ReportData, case_dict


def _dumps(obj: Any, indent: int | None = None) -> str:
    return json.dumps(obj, indent=indent, ensure_ascii=False, default=str)


def document(data: ReportData) -> dict[str, Any]:
    return {**data.provenance(), "cases": [case_dict(r) for r in data.results],
            "summary": data.summary.to_dict()}


def render(data: ReportData) -> bytes:
    return (_dumps(document(data), indent=2) + "\n").encode("utf-8")


def render_lines(data: ReportData) -> bytes:
    """One case object a line, then one summary line (with the provenance)."""
    lines = [_dumps({"type": "case", **case_dict(r)}) for r in data.results]
    lines.append(_dumps({"type": "summary", **data.provenance(),
                         "summary": data.summary.to_dict()}))
    return ("\n".join(lines) + "\n").encode("utf-8")
