"""A rule in words for practitioners: when it applies, what each outcome means, its sources.

Conditions are code for the engine; a meeting reads these words instead. They come from
the rule's `words` block with `{param}` placeholders filled from the effective rubric, so a
local variant that changes a timescale says the new number everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..schema import Rubric, Rule, Source
from ..terms import Outcome

CAP_NOTE = ("A critical rule: not evidenced because the record is silent (Not recorded, a "
            "blank date, an N/A the question does not allow) limits the grade as not met "
            "does, unless the rule sets its own limit for a silent record.")


def limit_lines(model: Rubric, rule: Rule) -> list[str]:
    """A rule's limits on the grade, in words: the best grade each outcome allows, and why."""
    limits = list(rule.limits)
    lines: list[str] = []
    for limit in limits:
        when = f", when {limit.when}" if limit.when else ""
        lines.append(f"{OUTCOME_WORDS[limit.outcome]}{when}: {limit.best} at best. "
                     f"{' '.join(limit.why.split())}")
    if not limits and rule.severity == model.grades.capping_severity:
        single = [c for c in model.grades.caps if c.critical_not_met == 1]
        if single:
            lines.append(f"Not met: {single[0].best} at best (the rubric's grades.caps).")
    return lines
OUTCOME_WORDS = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met",
                 "not_evidenced": "Not evidenced"}


def fill(template: str, params: Mapping[str, object]) -> str:
    """Fill {param} placeholders with the rubric's effective values (whole numbers as such)."""
    def value_of(match: re.Match[str]) -> str:
        value = params.get(match.group(1))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value) if value is not None else match.group(0)

    return re.sub(r"\{(\w+)\}", value_of, " ".join(template.split()))


def applies_text(rule: Rule, params: Mapping[str, object]) -> str:
    """When the rule applies, in words; "every case" when it has no condition."""
    if rule.words is not None and rule.words.applies:
        return fill(rule.words.applies, params)
    if rule.applies.strip() == "true":
        return "Every case."
    return "When its conditions hold (this rule has no words for them yet)."


def outcome_texts(rule: Rule, params: Mapping[str, object],
                  outcomes: frozenset[Outcome]) -> list[tuple[str, str]]:
    """(label, meaning) for each outcome the rule can give, in contract order."""
    words = rule.words
    found: list[tuple[str, str]] = []
    for key, label in OUTCOME_WORDS.items():
        if Outcome(key) not in outcomes:
            continue
        text = getattr(words, key, None) if words is not None else None
        if text is None and key == "not_evidenced":
            text = "The record is silent (Not recorded, a blank date) on what decides it."
        if text:
            found.append((label, fill(text, params)))
    return found


@dataclass(frozen=True)
class Citation:
    """One source as a reader sees it: where it is, and the sentences the rule rests on."""

    where: str
    quotes: tuple[str, ...]
    notes: tuple[str, ...]


def citations(sources: list[Source]) -> list[Citation]:
    """Each source once (same report and place merged), with every quote and note kept."""
    merged: dict[str, tuple[list[str], list[str]]] = {}
    for source in sources:
        if source.section:
            place = f"'{source.section}'"
        elif source.paragraph is not None:
            place = f"paragraph {source.paragraph}"
        else:
            place = ""
        where = f"{source.report} ({source.year})" + (f", {place}" if place else "")
        quotes, notes = merged.setdefault(where, ([], []))
        for quote in ([source.quote] if isinstance(source.quote, str) else source.quote or []):
            if quote not in quotes:
                quotes.append(quote)
        if source.note and source.note not in notes:
            notes.append(source.note)
    return [Citation(w, tuple(q), tuple(n)) for w, (q, n) in merged.items()]


def is_capping(model: Rubric, rule: Rule) -> bool:
    return rule.severity == model.grades.capping_severity
