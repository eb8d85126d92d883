"""`jtai-audit compare`: what moved between two audit rounds, per rule, theme and area.

Both rounds are `score --format json` outputs; the figures come from `engine.rounds` and
are written by `report.compare`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..engine.rounds import compare_docs
from ..errors import AuditError, UsageError
from ..report.compare import render_markdown, render_table
from .messages import emit, say

FORMATS = ("table", "json", "markdown")
EXTENSIONS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".txt": "table"}


def _load(path: Path) -> dict[str, Any]:
    """A score JSON report, or one line saying why it cannot be compared."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise AuditError(f"cannot read {path}: {reason}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AuditError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}); "
                         "give the output of `jtai-audit score --format json`") from None
    if not isinstance(doc, dict):
        raise AuditError(f"{path}: not a score report (expected a JSON object)")
    summary = doc.get("summary")
    rubric = doc.get("rubric")
    missing = [k for k in ("tool", "rubric", "inputs", "summary") if k not in doc]
    if isinstance(summary, dict):
        missing += [f"summary.{k}" for k in ("cases", "rules", "themes", "areas")
                    if not isinstance(summary.get(k), dict if k != "cases" else int)]
    if isinstance(rubric, dict) and not isinstance(rubric.get("sha256"), str):
        missing.append("rubric.sha256")
    if missing or not isinstance(summary, dict) or not isinstance(rubric, dict):
        raise AuditError(f"{path}: not a score report: missing {', '.join(missing) or 'keys'}; "
                         "give the output of `jtai-audit score --format json`")
    return doc


def compare(before: Path, after: Path, fmt: str | None = None, output: Path | None = None,
            allow_rubric_change: bool = False) -> int:
    """Compare two rounds; refuse different rubrics unless allowed (exit 2)."""
    chosen = fmt or (EXTENSIONS.get(output.suffix.lower()) if output is not None else "table")
    if chosen not in FORMATS:
        raise UsageError(f"unknown --format '{fmt}' ({', '.join(FORMATS)})" if fmt else
                         f"cannot tell the format from '{output}': give --format")
    first, second = _load(before), _load(after)
    if first["rubric"]["sha256"] != second["rubric"]["sha256"]:
        if not allow_rubric_change:
            raise UsageError("the two rounds were scored with different rubrics (rubric.sha256 "
                             "differs): give --allow-rubric-change to compare them anyway")
        say("warning: the two rounds were scored with different rubrics")
    result = compare_docs(first, second)
    if chosen == "json":
        payload = (json.dumps(result, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    elif chosen == "markdown":
        payload = render_markdown(result)
    else:
        payload = render_table(result)
    emit(payload, output)
    return 0
