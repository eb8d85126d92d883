"""Load a rubric: YAML with positions → `extends` merged → pydantic → cross-checks → compiled.

Every problem is collected (not only the first) with the file, line and column that
caused it, so `rubric check` can report them all and `score` can refuse a broken rubric
before any case is read.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..conditions.expressions import Compiled, Environment, ExpressionProblem, SilentReading
from ..errors import RubricError
from ..problems import LineProblem
from ..schema import Rubric, Rule
from ..terms import Outcome
from .collector import Collector
from .compiled import LimitProgram, LoadedRubric, RuleProgram, possible_outcomes
from .extends import bundled_ids, bundled_path, check_overrides, display_name, load_chain, merge
from .lint import check_examples, check_model
from .yamlfile import YamlDocument

DEFAULT_RUBRIC = "jtai-domestic-abuse"
CONDITIONS = ("applies", "met", "partly")
SemPath = tuple[str | int, ...]
_PYDANTIC_TAGS = ("function-", "union[", "list[", "int", "str", "float", "bool")


def resolve_spec(spec: str | Path | None) -> Path:
    """A `--rubric` value: a file path, or the id of a bundled rubric (default: the JTAI one)."""
    if spec is None:
        spec = DEFAULT_RUBRIC
    path = Path(spec)
    if path.is_file():
        return path
    bundled = bundled_path(str(spec))
    if bundled is not None:
        return bundled
    raise RubricError(f"no rubric file or bundled rubric named '{spec}' "
                      f"(bundled: {', '.join(bundled_ids())})")


def load_rubric(spec: str | Path | None = None) -> LoadedRubric:
    """Load a rubric for scoring; any error stops here with every problem listed."""
    path = resolve_spec(spec)
    loaded, problems = check_rubric(path)
    errors = [p for p in problems if p.level == "error"]
    if errors or loaded is None:
        lines = [str(p) for p in sorted(errors)]
        first = lines[0] if lines else ""
        raise RubricError(f"the rubric has {len(errors)} error(s); first: {first}",
                          problems=lines)
    return loaded


def check_rubric(path: Path) -> tuple[LoadedRubric | None, list[LineProblem]]:
    """Every problem in a rubric file (and what it extends); the loaded rubric when usable."""
    early: list[LineProblem] = []
    chain = load_chain(path, early)
    if early or not chain:
        return None, sorted(early)
    collector = Collector(chain)
    for doc in chain:
        _duplicate_ids(doc, collector)
    if collector.problems:  # rules merge by id: with duplicates the merged rubric is ambiguous
        return None, sorted(set(collector.problems))
    merged = merge(chain)
    try:
        model = Rubric.model_validate(merged)
    except ValidationError as exc:
        _schema_problems(exc, merged, collector)
        return None, sorted(set(collector.problems))
    check_model(model, collector)
    collector.problems.extend(check_overrides(chain))
    env = Environment(model.fields, model.params, model.lexicons)
    na_allowed = _compile_na_allowed(model, env, collector)
    programs = _compile(model, env, collector, na_allowed)
    check_examples(model, programs, collector)
    here = display_name(path)
    # A partnership checking its variant wants its own style warnings, not the parent's.
    problems = sorted({p for p in collector.problems if p.level == "error" or p.file == here})
    if any(p.level == "error" for p in problems):
        return None, problems
    loaded = LoadedRubric(model, programs, env, effective_sha256(model), display_name(path),
                          chain, [p for p in problems if p.level == "warning"], na_allowed)
    return loaded, problems


def effective_sha256(model: Rubric) -> str:
    """Hash of the effective rubric, canonically serialised: a changed parameter is a new rubric.

    Keys left at their defaults are not hashed, so a new optional key in the rubric format
    does not make every partnership's unchanged rubric look changed to `compare`.
    """
    canonical = json.dumps(model.model_dump(mode="json", exclude_defaults=True), sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _duplicate_ids(doc: YamlDocument, collector: Collector) -> None:
    rules = doc.data.get("rules")
    if not isinstance(rules, list):
        return
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        rid = rule.get("id") if isinstance(rule, dict) else None
        if isinstance(rid, str) and rid in seen:
            line, col = doc.position(("rules", index, "id")) or (1, 1)
            collector.problems.append(LineProblem(display_name(doc.path), line, col, "error", rid,
                                              f"duplicate rule id '{rid}'"))
        if isinstance(rid, str):
            seen.add(rid)


def _schema_problems(exc: ValidationError, merged: dict[str, Any], collector: Collector) -> None:
    for error in exc.errors(include_input=False, include_url=False):
        loc = list(error["loc"])
        sem: list[str | int] = []
        code = str(loc[0]) if loc else "schema"
        node: Any = merged
        for step in loc:
            if isinstance(step, str) and step.startswith(_PYDANTIC_TAGS):
                continue
            if sem == ["rules"] and isinstance(step, int) and isinstance(node, list):
                rid = node[step].get("id") if isinstance(node[step], dict) else None
                if isinstance(rid, str):
                    code = rid
                    sem.append(rid)
                    node = node[step]
                    continue
            sem.append(step)
            node = node[step] if isinstance(node, dict | list) and _has(node, step) else None  # type: ignore[index]
        kind = error["type"]
        where = ".".join(str(s) for s in sem)
        if kind == "extra_forbidden":
            message = f"unknown key '{sem[-1]}'"
            collector.add("error", code, message, tuple(sem), key=True)
            continue
        if kind == "missing":
            message = f"missing required key '{sem[-1]}'"
            collector.add("error", code, message, tuple(sem[:-1]))
            continue
        collector.add("error", code, f"{where}: {error['msg']}", tuple(sem))


def _has(node: Any, step: str | int) -> bool:
    if isinstance(node, dict):
        return step in node
    return isinstance(step, int) and 0 <= step < len(node)


def _compile_na_allowed(model: Rubric, env: Environment, collector: Collector
                        ) -> dict[str, Compiled | None]:
    """Each field's `na_allowed`: always (None) or a compiled condition on other fields."""
    found: dict[str, Compiled | None] = {}
    for name, spec in model.fields.items():
        if spec.na_allowed is False:
            continue
        if spec.na_allowed is True:
            found[name] = None
            continue
        try:
            found[name] = env.compile(spec.na_allowed)
        except ExpressionProblem as problem:
            offset = problem.offset
            if offset is None and problem.token:
                offset = _token_offset(spec.na_allowed, problem.token)
            collector.add("error", name, f"na_allowed: {problem.message}",
                          ("fields", name, "na_allowed"), offset=offset)
    return found


def _fields_read(fields: set[str], na_allowed: dict[str, Compiled | None]) -> tuple[str, ...]:
    """The fields a rule reads, with those that decide whether its `N/A` answers are allowed."""
    pending = set(fields)
    while pending:
        name = pending.pop()
        condition = na_allowed.get(name)
        if condition is not None:
            pending.update(condition.fields - fields)
            fields |= condition.fields
    return tuple(sorted(fields))


def _compile(model: Rubric, env: Environment, collector: Collector,
             na_allowed: dict[str, Compiled | None]) -> list[RuleProgram]:
    disabled = {d.rule for d in model.disable}
    programs: list[RuleProgram] = []
    for rule in model.rules:
        compiled: dict[str, Compiled | None] = {}
        for name in CONDITIONS:
            text = getattr(rule, name)
            if text is None or (name == "applies" and text.strip() == "true"):
                compiled[name] = None
                continue
            try:
                compiled[name] = env.compile(text)
            except ExpressionProblem as problem:
                offset = problem.offset
                if offset is None and problem.token:
                    offset = _token_offset(text, problem.token)
                collector.add("error", rule.id, f"{name}: {problem.message}",
                              ("rules", rule.id, name), offset=offset)
                compiled[name] = None
        limits = _compile_limits(rule, env, collector)
        if compiled["met"] is None or rule.id in disabled:
            continue
        readings = _silent_readings(model, rule.silent_reads)
        if readings:
            compiled = {name: None if c is None else SilentReading.wrap(c, readings,
                                                                        name != "applies")
                        for name, c in compiled.items()}
        met = compiled["met"]
        assert met is not None
        parts = [c for c in compiled.values() if c is not None]
        parts += [limit.when for limit in limits if limit.when is not None]
        fields = _fields_read(set(readings).union(*(c.fields for c in parts)), na_allowed)
        lexicons = tuple(dict.fromkeys(x for c in parts for x in c.lexicons))
        programs.append(RuleProgram(rule, compiled["applies"], met, compiled["partly"], fields,
                                    lexicons, possible_outcomes(rule), limits))
    return programs


def _compile_limits(rule: Rule, env: Environment, collector: Collector
                    ) -> tuple[LimitProgram, ...]:
    """A rule's `limits`, each `when` compiled like any other condition."""
    found: list[LimitProgram] = []
    for index, limit in enumerate(rule.limits):
        when = None
        if limit.when is not None:
            try:
                when = env.compile(limit.when)
            except ExpressionProblem as problem:
                offset = problem.offset
                if offset is None and problem.token:
                    offset = _token_offset(limit.when, problem.token)
                collector.add("error", rule.id, f"limits: when: {problem.message}",
                              ("rules", rule.id, "limits", index, "when"), offset=offset)
                continue
        found.append(LimitProgram(Outcome(limit.outcome), limit.best, when, limit.why))
    return tuple(found)


def _silent_readings(model: Rubric, reads: dict[str, str | float] | None) -> dict[str, Any]:
    """A rule's `silent_reads`, as engine values (integers are numbers); unknown fields dropped."""
    found: dict[str, Any] = {}
    for name, value in (reads or {}).items():
        spec = model.fields.get(name)
        if spec is None:
            continue  # check_model reports it
        found[name] = float(value) if spec.type == "integer" else str(value)
    return found


def _token_offset(text: str, token: str) -> int | None:
    import re

    match = re.search(r"(?<![\w$])\$?" + re.escape(token) + r"(?!\w)", text)
    return match.start() if match else None
