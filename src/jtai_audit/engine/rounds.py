"""What moved between two audit rounds, per rule, theme and area: pure, on score JSON.

Rule rates are recomputed from the outcome counts with the contract's one rate ((met +
half partly met) over the cases judged), so every figure carries the number of cases
behind it; a change is after minus before, unrounded, then rounded.

"Hard to shift" (the JTAI reports' phrase for findings unchanged since 2017) means a rule
below the strength threshold in both rounds, judged on enough cases to call anything. The
JSON report carries each rule's finding: an area for improvement or for priority action
is below the threshold. A report without findings falls back to the default threshold
(80%) and the default minimum of 3 judged cases.
"""

from __future__ import annotations

from typing import Any

from .tallies import one_decimal, rule_rate

DEFAULT_STRENGTH_FROM = 80.0
DEFAULT_MIN_CASES = 3


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


def _rate_in(doc: dict[str, Any], rule: str) -> tuple[float | None, int]:
    return _rule_rate(doc["summary"]["rules"].get(rule))


def compare_rounds(docs: list[dict[str, Any]], labels: list[str]) -> dict[str, Any]:
    """Two or more rounds: first against last, and with three or more, the trend.

    Hard to shift is below the strength threshold in every round, on enough cases each
    time; the trend gives each rule's rate, theme's percent and area's mean per round.
    """
    result = compare_docs(docs[0], docs[-1])
    rules = list(result["rules"])
    result["labels"] = {"before": labels[0], "after": labels[-1]}
    result["hard_to_shift"] = [
        r for r in rules
        if all(rate is not None and _below(d["summary"], r, rate, judged)
               for d in docs for rate, judged in [_rate_in(d, r)])]
    if len(docs) < 3:
        return result
    result["hard_to_shift_means"] = result["hard_to_shift_means"].replace(
        "in both rounds", f"in all {len(docs)} rounds")
    result["rounds"] = [{"label": label, "rubric_sha256": d["rubric"]["sha256"],
                         "cases": d["summary"]["cases"]} for label, d in zip(labels, docs,
                                                                           strict=True)]
    themes = list(result["themes"])
    areas = list(result["areas"])
    result["trend"] = {
        "rules": {r: [one_decimal(_rate_in(d, r)[0]) for d in docs] for r in rules},
        "themes": {t: [d["summary"]["themes"].get(t) for d in docs] for t in themes},
        "areas": {a: [(d["summary"]["areas"].get(a) or {}).get("mean_score") for d in docs]
                  for a in areas},
    }
    return result
