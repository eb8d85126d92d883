"""`jtai-audit explain RULE_ID`: the rule in words, with the effective parameters."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping

from ..errors import UsageError
from ..models import Outcome
from ..rubric import load_rubric, possible_outcomes
from .messages import say


def standard_text(template: str, params: Mapping[str, object]) -> str:
    """Fill {param} placeholders with the rubric's effective values."""
    def fill(match: re.Match[str]) -> str:
        value = params.get(match.group(1))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value) if value is not None else match.group(0)

    return re.sub(r"\{(\w+)\}", fill, template)


def explain(rule_id: str, rubric_spec: str | None) -> int:
    rubric = load_rubric(rubric_spec)
    model = rubric.model
    wanted = rule_id.strip().upper()
    rule = next((r for r in model.rules if r.id == wanted), None)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(wanted, [r.id for r in model.rules], n=1)
        hint = f" — did you mean {close[0]}?" if close else ""
        raise UsageError(f"no rule {rule_id} in rubric {model.id}{hint}")
    params = dict(model.params)
    texts = (rule.applies, rule.met, rule.partly or "", rule.standard or "")
    used = sorted({name for text in texts for pair in re.findall(r"\$(\w+)|\{(\w+)\}", text)
                   for name in pair if name in params})
    disabled = next((d for d in model.disable if d.rule == rule.id), None)
    lines = [f"{rule.id} — {rule.title}",
             f"Theme: {model.themes[rule.theme].title}",
             f"Severity: {rule.severity}   Weight: {rule.weight:g}   Owner: {rule.owner}"]
    if disabled:
        lines.append(f"DISABLED in {model.id}: {disabled.reason}")
    if rule.standard:
        lines.append(f"Standard: {standard_text(rule.standard, params)}")
    if used:
        lines.append("Parameters: " + ", ".join(f"{n} = {params.get(n)}" for n in used))
    lines += [f"Why: {' '.join(rule.why.split())}", "Sources:"]
    for source in rule.sources:
        where = f"section '{source.section}'" if source.section else f"paragraph {source.paragraph}"
        lines.append(f"  - {source.report} ({source.year}), {where}")
    lines.append(f"Applies when: {' '.join(rule.applies.split())}")
    lines.append(f"Met when: {' '.join(rule.met.split())}")
    if rule.partly:
        lines.append(f"Partly met when: {' '.join(rule.partly.split())}")
    outcomes = possible_outcomes(rule)
    if Outcome.NOT_EVIDENCED in outcomes:
        lines.append("Not evidenced when the record is silent (Not recorded, blank) on what "
                     "decides it.")
    lines.append("Outcomes it can give: " + ", ".join(o.value for o in Outcome if o in outcomes))
    lines.append(f"Recommended action: {rule.action}")
    print("\n".join(textwrap.fill(line, width=80, subsequent_indent="    ",
                                   break_on_hyphens=False) for line in lines))
    if rubric.warnings:
        say(f"{len(rubric.warnings)} rubric warning(s): run 'jtai-audit rubric check'")
    return 0
