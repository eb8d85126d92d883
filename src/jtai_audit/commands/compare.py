"""`jtai-audit compare`: what moved between two audit rounds, per rule, theme and area.

Both rounds are `score --format json` outputs; the figures come from `engine.rounds` and
are written by `report.compare`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..engine.rounds import compare_rounds
from ..errors import AuditError, UsageError
from ..report import formats
from ..report.compare import Names
from ..rubric.loader import load_rubric
from .messages import emit, say
from .score import score_document


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


def compare(rounds: list[Path], fmt: str | None = None, output: Path | None = None,
            allow_rubric_change: bool = False, labels: list[str] | None = None,
            rubric_spec: str | None = None) -> int:
    """Compare rounds in the order given; refuse different rubrics unless allowed (exit 2).

    A round is the JSON `score` wrote, or workbooks or a folder, scored here with `--rubric`.
    """
    chosen = formats.lookup("compare", fmt or "table") if fmt or output is None else \
        formats.for_suffix("compare", output.suffix)
    if chosen is None:
        raise UsageError(f"cannot tell the format from '{output}': give --format")
    if len(rounds) < 2:
        raise UsageError("compare needs at least two rounds")
    if labels and len(labels) != len(rounds):
        raise UsageError(f"{len(labels)} --label(s) for {len(rounds)} rounds: give one each")
    names = labels or [path.stem if path.is_file() else path.name for path in rounds]
    docs = [_round(path, rubric_spec) for path in rounds]
    if len({d["rubric"]["sha256"] for d in docs}) > 1:
        if not allow_rubric_change:
            raise UsageError("the rounds were scored with different rubrics (rubric.sha256 "
                             "differs): give --allow-rubric-change to compare them anyway")
        say("warning: the rounds were scored with different rubrics")
    result = compare_rounds(docs, names)
    titles = _names(rubric_spec)
    emit(chosen.renderer()(result, titles), output)
    return 0


def _round(path: Path, rubric_spec: str | None) -> dict[str, Any]:
    """A round: a score JSON report as it is, or workbooks scored now against the rubric."""
    if path.is_dir() or path.suffix.lower() in (".xlsx", ".xlsm", ".csv"):
        return score_document([path], rubric_spec)
    return _load(path)


def _names(rubric_spec: str | None) -> Names:
    """Rule and theme titles from the rubric named (the default when none is)."""
    try:
        model = load_rubric(rubric_spec).model
    except AuditError:
        return Names()
    return Names({r.id: r.title for r in model.rules},
                 {t: theme.title for t, theme in model.themes.items()})
