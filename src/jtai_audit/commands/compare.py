"""`jtai-audit compare`: what moved between two audit rounds, per rule, theme and area.

Both rounds are `score --format json` outputs. Rule rates are recomputed from the outcome
counts with the contract's one rate ((met + half partly met) over the cases judged), so
every figure carries the number of cases behind it; a change is after minus before,
unrounded, then rounded.

"Hard to shift" (the JTAI reports' phrase for findings unchanged since 2017) means a rule
below the strength threshold in both rounds, judged on enough cases to call anything. The
JSON report carries each rule's finding: an area for improvement or for priority action
is below the threshold. A report without findings falls back to the default threshold
(80%) and the default minimum of 3 judged cases.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from ..engine.summary import one_decimal, rule_rate
from ..errors import AuditError, UsageError
from ..report.cells import md
from .messages import emit, say

FORMATS = ("table", "json", "markdown")
EXTENSIONS = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".txt": "table"}
DEFAULT_STRENGTH_FROM = 80.0
DEFAULT_MIN_CASES = 3


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


def _direction(before: float | None, after: float | None) -> tuple[float | None, str | None]:
    if before is None or after is None:
        return None, None
    change = round(after - before, 1)
    return change, "up" if change > 0 else "down" if change < 0 else "same"


def _entry(before: float | None, after: float | None, cases_before: int | None,
           cases_after: int | None) -> dict[str, Any]:
    change, direction = _direction(before, after)
    return {"before": one_decimal(before), "after": one_decimal(after), "change": change,
            "direction": direction, "cases_before": cases_before, "cases_after": cases_after}


def _rule_rate(counts: dict[str, Any] | None) -> tuple[float | None, int]:
    if not isinstance(counts, dict):
        return None, 0
    return rule_rate({k: int(v) for k, v in counts.items() if isinstance(v, int | float)
                      and not isinstance(v, bool)})


def _below(summary: dict[str, Any], rule: str, rate: float | None, judged: int) -> bool:
    """Below the strength threshold on enough cases to say so (an improvement or priority)."""
    block = summary["rules"].get(rule)
    if isinstance(block, dict) and "finding" in block:
        return block["finding"] in ("improvement", "priority")
    findings = summary.get("findings")
    if isinstance(findings, dict) and ("improvement" in findings or "priority" in findings):
        return rule in (findings.get("improvement") or []) or rule in (
            findings.get("priority") or [])
    return rate is not None and rate < DEFAULT_STRENGTH_FROM and judged >= DEFAULT_MIN_CASES


def compare_docs(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The compare JSON: rules, themes and areas with before, after, change and direction."""
    sb, sa = before["summary"], after["summary"]
    rules: dict[str, Any] = {}
    hard: list[str] = []
    for rule in list(dict.fromkeys([*sb["rules"], *sa["rules"]])):
        rb, nb = _rule_rate(sb["rules"].get(rule))
        ra, na = _rule_rate(sa["rules"].get(rule))
        rules[rule] = _entry(rb, ra, nb, na)
        if rb is not None and ra is not None and _below(sb, rule, rb, nb) \
                and _below(sa, rule, ra, na):
            hard.append(rule)
    theme_cases_b, theme_cases_a = sb.get("theme_cases", {}), sa.get("theme_cases", {})
    themes = {t: _entry(sb["themes"].get(t), sa["themes"].get(t), theme_cases_b.get(t),
                        theme_cases_a.get(t))
              for t in dict.fromkeys([*sb["themes"], *sa["themes"]])}
    areas = {}
    for area in sorted(set(sb["areas"]) | set(sa["areas"])):
        gb, ga = sb["areas"].get(area) or {}, sa["areas"].get(area) or {}
        areas[area] = _entry(gb.get("mean_score"), ga.get("mean_score"), gb.get("cases"),
                             ga.get("cases"))
    mean = _entry(sb.get("mean_score"), sa.get("mean_score"), sb["cases"], sa["cases"])

    def side(doc: dict[str, Any]) -> dict[str, Any]:
        return {"generated_at": doc.get("generated_at"), "cases": doc["summary"]["cases"],
                "inputs": [{"path": i.get("path"), "sha256": i.get("sha256")}
                           for i in doc.get("inputs", []) if isinstance(i, dict)]}

    return {"before": side(before), "after": side(after),
            "rubric": {"before": before["rubric"], "after": after["rubric"],
                       "same": before["rubric"]["sha256"] == after["rubric"]["sha256"]},
            "mean_score": mean, "rules": rules, "themes": themes, "areas": areas,
            "hard_to_shift": hard,
            "hard_to_shift_means": "below the strength threshold (an area for improvement or "
                                   "for priority action) in both rounds"}


def _fmt(value: Any, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.1f}" if signed and value else f"{value:.1f}"


def _rows(section: dict[str, Any]) -> list[list[str]]:
    arrow = {"up": "up", "down": "down", "same": "same", None: "-"}
    return [[name, _fmt(e["before"]), _fmt(e["after"]), _fmt(e["change"], True),
             arrow[e["direction"]], f"{e['cases_before'] if e['cases_before'] is not None else '-'}"
             f" / {e['cases_after'] if e['cases_after'] is not None else '-'}"]
            for name, e in section.items()]


HEADERS = {"rules": "Rule (rate %)", "themes": "Theme (%)", "areas": "Area (mean score)"}


def render_table(result: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, no_color=True, highlight=False, emoji=False)
    for key, title in HEADERS.items():
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
        for name in ("Name", "Before", "After", "Change", "Direction", "Cases"):
            table.add_column(name, justify="left" if name in ("Name", "Direction") else "right",
                             overflow="fold")
        for row in _rows(result[key]):
            table.add_row(*row)
        console.print(table)
    hard = ", ".join(result["hard_to_shift"]) or "none"
    console.print(f"Hard to shift ({result['hard_to_shift_means']}): {hard}")
    if not result["rubric"]["same"]:
        console.print("Warning: the two rounds were scored with different rubrics.")
    return buffer.getvalue().encode("utf-8")


def render_markdown(result: dict[str, Any]) -> bytes:
    out = ["# Re-audit: what moved", ""]
    for key, title in HEADERS.items():
        out += [f"## {title}", "", "| Name | Before | After | Change | Direction | Cases |",
                "| --- | ---: | ---: | ---: | --- | ---: |"]
        out += ["| " + " | ".join([md(r[0]), *r[1:]]) + " |" for r in _rows(result[key])]
        out.append("")
    hard = ", ".join(result["hard_to_shift"]) or "none"
    out += ["## Hard to shift", "", f"Rules {result['hard_to_shift_means']}: {hard}", ""]
    if not result["rubric"]["same"]:
        out += ["**Warning:** the two rounds were scored with different rubrics.", ""]
    return "\n".join(out).encode("utf-8")


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
