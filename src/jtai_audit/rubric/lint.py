"""Rubric checks beyond the schema: cross-references, bands, lexicons, citations, examples."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

from ..conditions.phrases import COMMON_WORDS
from ..hints import did_you_mean
from ..schema import FieldSpec, Rubric, Rule
from ..terms import Status
from ..workbook.cells import is_blank, parse_cell

NA_TYPES = ("answer", "yes_no", "choice", "list", "integer")

if TYPE_CHECKING:
    from .collector import Collector
    from .compiled import RuleProgram


def check_model(model: Rubric, out: Collector) -> None:
    """Problems a schema cannot see: names that must be declared, bands, weights, lexicons."""
    _check_fields(model, out)
    _check_grades(model, out)
    agencies = [v for spec in model.fields.values() if spec.agencies for v in spec.values or []]
    severities = model.grades.severities
    if model.grades.capping_severity not in severities:
        out.add("error", "grades", f"capping_severity '{model.grades.capping_severity}' is not "
                f"one of the severities ({', '.join(severities)})", ("grades", "capping_severity"))
    rule_ids = {r.id for r in model.rules}
    for rule in model.rules:
        where = ("rules", rule.id)
        if rule.theme not in model.themes:
            out.add("error", rule.id, f"theme '{rule.theme}' is not declared under themes",
                    (*where, "theme"))
        for owner in rule.owners:
            if agencies and owner not in agencies:
                out.add("error", rule.id, f"owner '{owner}' is not an agency "
                        f"({', '.join(agencies)})", (*where, "owner"))
        if not rule.owners:
            out.add("error", rule.id, "owner: an empty list (name at least one agency)",
                    (*where, "owner"))
        if rule.severity not in severities:
            out.add("error", rule.id, f"severity '{rule.severity}' is not declared "
                    f"({', '.join(severities)})", (*where, "severity"))
        if rule.weight <= 0:
            out.add("error", rule.id, f"weight must be above 0, not {rule.weight:g}",
                    (*where, "weight"))
        if not rule.sources:
            out.add("error", rule.id, "no source citation (report, year, section or paragraph)",
                    (*where, "sources"))
        for index, source in enumerate(rule.sources):
            if source.section is None and source.paragraph is None:
                out.add("error", rule.id, "a source needs a section or a paragraph",
                        (*where, "sources", index))
        if not rule.action.strip():
            out.add("error", rule.id, "no recommended action", (*where, "action"))
        _check_words(model, rule, out)
        for name in rule.silent_reads or {}:
            spec = model.fields.get(name)
            if spec is None:
                out.add("error", rule.id, f"silent_reads names unknown field '{name}'",
                        (*where, "silent_reads"))
            elif spec.type not in ("answer", "yes_no", "choice", "integer"):
                out.add("error", rule.id, f"silent_reads on a {spec.type} field: only answers, "
                        "yes/no, choices and integers are null only when silent",
                        (*where, "silent_reads"))
    if not agencies:
        out.add("error", "fields", "no field declares the agencies that own rules "
                "(set 'agencies: true' on a list field)", ("fields",))
    else:
        _check_answered_by(model, agencies, out)
    for index, item in enumerate(model.disable):
        if item.rule not in rule_ids:
            out.add("error", "disable", f"disables unknown rule '{item.rule}'",
                    ("disable", index, "rule"))
        if not item.reason.strip():
            out.add("error", "disable", f"disabling '{item.rule}' needs a reason",
                    ("disable", index, "reason"))
    for name, lexicon in model.lexicons.items():
        if not lexicon.phrases:
            out.add("error", "lexicons", f"lexicon '{name}' is empty", ("lexicons", name))
        for index, phrase in enumerate(lexicon.phrases):
            if phrase.strip().lower() in COMMON_WORDS or not phrase.strip():
                out.add("error", "lexicons", f"'{phrase}' is too common to be a phrase on its own",
                        ("lexicons", name, "phrases", index))
    used = {t for r in model.rules for t in [r.theme]}
    for theme in model.themes:
        if theme not in used:
            out.add("warning", "themes", f"theme '{theme}' has no rules", ("themes", theme))


def _check_words(model: Rubric, rule: Rule, out: Collector) -> None:
    """Reports show the rule in words: they must exist and name only real parameters."""
    where = ("rules", rule.id)
    for index, source in enumerate(rule.sources):
        if not source.quote and not source.note:
            out.add("warning", rule.id, "a source without the sentence it is cited for (quote) "
                    "or a note on what it is", (*where, "sources", index))
    if rule.words is None:
        out.add("warning", rule.id, "no 'words': reports and explain cannot say in words when "
                "the rule applies and what its outcomes mean", (*where, "id"))
        return
    texts = {"standard": rule.standard or ""}
    texts.update({f"words.{k}": v for k, v in rule.words.model_dump().items() if v})
    for key, text in texts.items():
        for name in re.findall(r"\{(\w+)\}", text):
            if name not in model.params:
                out.add("error", rule.id, f"{key} names unknown parameter '{{{name}}}'",
                        (*where, *key.split(".")))
    if rule.applies.strip() != "true" and not rule.words.applies:
        out.add("warning", rule.id, "words.applies missing: the rule has an applies condition",
                (*where, "words"))


def _check_fields(model: Rubric, out: Collector) -> None:
    for name, spec in model.fields.items():
        where = ("fields", name)
        if spec.type in ("choice", "list") and not spec.values:
            out.add("error", "fields", f"{spec.type} field '{name}' needs values", where)
        if spec.blank_means is not None:
            other = model.fields.get(spec.blank_means)
            if other is None or other.type != spec.type:
                out.add("error", "fields", f"blank_means '{spec.blank_means}' is not a {spec.type} "
                        "field", (*where, "blank_means"))
        if spec.not_before is not None:
            other = model.fields.get(spec.not_before)
            if spec.type != "date" or other is None or other.type != "date":
                out.add("error", "fields", f"not_before '{spec.not_before}': both '{name}' and "
                        "it must be date fields", (*where, "not_before"))
        if spec.na_allowed is not False and spec.type not in NA_TYPES:
            out.add("error", "fields", f"na_allowed on a {spec.type} field: N/A is an answer only "
                    f"in {', '.join(NA_TYPES)} fields", (*where, "na_allowed"))
        for other_name in spec.blank_ok_if or {}:
            if other_name not in model.fields:
                out.add("error", "fields", f"blank_ok_if names unknown field '{other_name}'",
                        (*where, "blank_ok_if"))
        if spec.words and spec.type != "date":
            out.add("error", "fields", f"words on a {spec.type} field: only a date field takes a "
                    "word instead of a date", (*where, "words"))
        if len(spec.words) > 1:
            out.add("error", "fields", "one word at most: a word reads as null in conditions, "
                    "so two could not be told apart", (*where, "words"))
        if spec.judgement and spec.type in ("id", "label", "text"):
            out.add("error", "fields", f"judgement on a {spec.type} field: it never holds "
                    "Not recorded", (*where, "judgement"))
    seen_roles: dict[str, str] = {}
    for name, spec in model.fields.items():
        if spec.role is None:
            continue
        if spec.role in seen_roles:
            out.add("error", "fields", f"role '{spec.role}' is already {seen_roles[spec.role]}'s: "
                    "a role names one column", ("fields", name, "role"))
        seen_roles.setdefault(spec.role, name)
    if not any(s.type == "id" for s in model.fields.values()):
        out.add("error", "fields", "no field of type id (the case's pseudonym)", ("fields",))


def _check_answered_by(model: Rubric, agencies: list[str], out: Collector) -> None:
    """Agency returns are merged by `answered_by`: every column needs an agency, and a real one.

    A rubric that never says who answers what is not merged by agency, so it is not asked to.
    """
    listed = ", ".join(agencies)
    claimed = any(spec.answered_by for spec in model.fields.values())
    for name, spec in model.fields.items():
        if claimed and not spec.answered_by:
            out.add("error", "fields", f"no agency answers field '{name}': add answered_by (the "
                    "agencies whose records answer it, the preferred first)", ("fields", name),
                    key=True)
        for index, agency in enumerate(spec.answered_by):
            where = ("fields", name, "answered_by", index)
            if agency not in agencies:
                hint = did_you_mean(agency, agencies, key=str.casefold)
                out.add("error", "fields", f"answered_by '{agency}' of field '{name}' is not an "
                        f"agency ({listed}){hint}", where)
            elif agency in spec.answered_by[:index]:
                out.add("error", "fields", f"answered_by of field '{name}' names '{agency}' twice",
                        where)
    lead = model.params.get("lead_agency")
    if lead is not None and lead not in agencies:
        hint = did_you_mean(str(lead), agencies, key=str.casefold)
        out.add("error", "params", f"lead_agency '{lead}' is not an agency ({listed}){hint}",
                ("params", "lead_agency"))


def _check_grades(model: Rubric, out: Collector) -> None:
    bands = sorted(model.grades.bands, key=lambda b: b.min)
    where = ("grades", "bands")
    if not bands:
        out.add("error", "grades", "no grade bands", where)
        return
    if bands[0].min != 0:
        out.add("error", "grades", f"grade bands start at {bands[0].min:g}, not 0", where)
    if bands[-1].max != 100:
        out.add("error", "grades", f"grade bands end at {bands[-1].max:g}, not 100", where)
    for low, high in itertools.pairwise(bands):
        if high.min > low.max:
            out.add("error", "grades", f"gap between {low.max:g} and {high.min:g} "
                    f"({low.grade} / {high.grade})", where)
        elif high.min < low.max:
            out.add("error", "grades", f"bands overlap between {high.min:g} and {low.max:g} "
                    f"({low.grade} / {high.grade})", where)
    for band in bands:
        if band.max <= band.min:
            out.add("error", "grades", f"band {band.grade} is empty ({band.min:g}-{band.max:g})",
                    where)


def example_values(spec: FieldSpec, raw: Any) -> tuple[Any, Status, str | None]:
    """An example's value read exactly as a workbook cell would be."""
    if is_blank(raw):
        return None, Status.UNANSWERED, None
    parsed = parse_cell(raw, spec)
    return parsed.value, parsed.status, parsed.problem


def check_examples(model: Rubric, programs: list[RuleProgram], out: Collector) -> None:
    """Examples name declared fields, read as cells, and cover every outcome the rule can give."""
    by_id = {p.rule.id: p for p in programs}
    for rule in model.rules:
        for index, example in enumerate(rule.examples):
            where = ("rules", rule.id, "examples", index, "case")
            for name, raw in example.case.items():
                spec = model.fields.get(name)
                if spec is None:
                    out.add("error", rule.id, f"example names undeclared field '{name}'",
                            (*where, name), key=True)
                    continue
                _, status, problem = example_values(spec, raw)
                if status is Status.INVALID:
                    out.add("error", rule.id, f"example value for '{name}': {problem}",
                            (*where, name))
        program = by_id.get(rule.id)
        if program is None:
            continue
        covered = {e.expect for e in rule.examples}
        for outcome in sorted(program.outcomes - covered):
            out.add("error", rule.id, f"no example with outcome '{outcome}'",
                    ("rules", rule.id, "examples") if rule.examples else ("rules", rule.id, "id"))
        for index, example in enumerate(rule.examples):
            if example.expect not in program.outcomes:
                out.add("error", rule.id, f"example expects '{example.expect}', an outcome this "
                        "rule does not give", ("rules", rule.id, "examples", index, "expect"))
        shown = {(e.expect.value, e.grade_limit) for e in rule.examples if e.grade_limit}
        for index, limit in enumerate(rule.limits):
            if (limit.outcome, limit.best) not in shown:
                out.add("warning", rule.id, f"no example shows the limit '{limit.outcome}: "
                        f"{limit.best} at best' (an example with expect: {limit.outcome} and "
                        f"grade_limit: {limit.best})", ("rules", rule.id, "limits", index))
