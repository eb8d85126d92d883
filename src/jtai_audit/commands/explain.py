"""`jtai-audit explain RULE_ID`: the rule in words, with the effective parameters."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping

from ..errors import UsageError
from ..hints import did_you_mean
from ..rubric.compiled import possible_outcomes
from ..rubric.loader import load_rubric
from ..rubric.wording import (
    CAP_NOTE,
    applies_text,
    citations,
    fill,
    is_capping,
    limit_lines,
    outcome_texts,
)
from .messages import say


def standard_text(template: str, params: Mapping[str, object]) -> str:
    """Fill {param} placeholders with the rubric's effective values."""
    return fill(template, params)


def _wrap(line: str) -> str:
    """80 columns; a continued line is indented under its own start, quotes under quotes."""
    indent = " " * (len(line) - len(line.lstrip()))
    return textwrap.fill(line, width=80, subsequent_indent=indent + "    ",
                         break_on_hyphens=False)


def explain(rule_id: str, rubric_spec: str | None) -> int:
    rubric = load_rubric(rubric_spec)
    model = rubric.model
    wanted = rule_id.strip().upper()
    rule = next((r for r in model.rules if r.id == wanted), None)
    if rule is None:
        hint = did_you_mean(wanted, [r.id for r in model.rules], cutoff=0.6, quote=False)
        raise UsageError(f"no rule {rule_id} in rubric {model.id}{hint}")
    params = dict(model.params)
    words = rule.words.model_dump().values() if rule.words is not None else ()
    texts = (rule.applies, rule.met, rule.partly or "", rule.standard or "",
             *(w for w in words if w))
    used = sorted({name for text in texts for pair in re.findall(r"\$(\w+)|\{(\w+)\}", text)
                   for name in pair if name in params})
    disabled = next((d for d in model.disable if d.rule == rule.id), None)
    lines = [f"{rule.id} — {rule.title}",
             f"Theme: {model.themes[rule.theme].title}",
             f"Severity: {rule.severity}   Weight: {rule.weight:g}   Owner: {rule.owner_text}"]
    if disabled:
        lines.append(f"DISABLED in {model.id}: {disabled.reason}")
    if rule.standard:
        lines.append(f"Standard: {standard_text(rule.standard, params)}")
    if used:
        lines.append("Parameters: " + ", ".join(f"{n} = {params.get(n)}" for n in used))
    outcomes = possible_outcomes(rule)
    lines.append(f"Applies: {applies_text(rule, params)}")
    lines += [f"{label}: {text}" for label, text in outcome_texts(rule, params, outcomes)]
    limits = limit_lines(model, rule)
    if limits:
        lines.append("Limits on the case's grade (the grade is the lowest of the score's band "
                     "and every limit reached):")
        lines += [f"  - {line}" for line in limits]
    if is_capping(model, rule):
        lines.append(CAP_NOTE)
    lines += [f"Why: {' '.join(rule.why.split())}", "Sources:"]
    for citation in citations(rule.sources):
        lines.append(f"  - {citation.where}")
        lines += [f'      "{quote}"' for quote in citation.quotes]
        lines += [f"      Note: {note}" for note in citation.notes]
    lines.append(f"Recommended action: {' '.join(rule.action.split())}")
    print("\n".join(_wrap(line) for line in lines))
    if rubric.warnings:
        say(f"{len(rubric.warnings)} rubric warning(s): run 'jtai-audit rubric check'")
    return 0
