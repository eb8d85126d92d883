"""`jtai-audit rubric check|test|show|schema`: rubric files as code.

`rubric show` lists a rubric's rules (id and title), shows one rule as YAML, or with
`--full` the whole effective rubric (after `extends`) as YAML.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ..engine.examples import run_examples
from ..errors import UsageError
from ..hints import did_you_mean
from ..problems import LineProblem
from ..report import formats
from ..rubric.compiled import LoadedRubric
from ..rubric.extends import bundled_path, is_guidance_file
from ..rubric.loader import check_rubric, load_rubric, resolve_spec
from ..schema import Rubric
from .messages import emit, say


def rubric_files(paths: list[Path]) -> Iterator[Path]:
    """YAML files named, and those in folders named (hidden ones and guidance files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix in (".yaml", ".yml") and not is_guidance_file(child) and not any(
                        part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        elif path.exists():
            yield path
        else:
            raise UsageError(f"no such file or folder: {path}")


def check(paths: list[Path], fmt: str = "text", strict: bool = False) -> int:
    """Every problem in every rubric file; exit 1 on errors (and on warnings with --strict)."""
    if fmt == "text" and os.environ.get("GITHUB_ACTIONS") == "true":
        fmt = "github"
    render = formats.renderer("rubric-check", fmt)
    files = list(rubric_files(paths))
    if not files:
        raise UsageError("no rubric files (.yaml) found in the paths given")
    problems: list[LineProblem] = []
    for path in files:
        problems.extend(check_rubric(path)[1])
    problems.sort()
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    emit(render(files, problems), None)
    if fmt != "json":  # JSON carries the counts; people reading lines get them on stderr
        say(f"{len(files)} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors or (strict and warnings) else 0


def test(paths: list[Path]) -> int:
    """Run every rule's examples; the last line is exactly `N passed, N failed`."""
    passed = failed = 0
    for path in rubric_files(paths):
        loaded, problems = check_rubric(path)
        if loaded is None:
            for problem in problems:
                if problem.level == "error":
                    print(str(problem))
            print(f"{path}: cannot run examples: the rubric has errors")
            failed += 1
            continue
        for run in run_examples(loaded):
            if run.passed:
                passed += 1
            else:
                failed += 1
                print(f"{path}: FAIL {run.diff()}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def effective(model: Rubric) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return data


def show(item: str | None = None, rubric_spec: str | None = None, full: bool = False) -> int:
    """What a rubric holds, after `extends`.

    Without an id: its name, version and each rule's id and title. With a rule id (VOICE-1):
    that rule as YAML. `item` may also be a rubric file or bundled rubric id (the rubric to
    list). `full`: the whole effective rubric as YAML.
    """
    rule_id = None
    if item is not None and _is_rubric(item):
        if rubric_spec is not None:
            raise UsageError(f"give the rubric once: '{item}' or --rubric {rubric_spec}")
        rubric_spec = item
    elif item is not None:
        rule_id = item
    rubric = load_rubric(rubric_spec)
    if rule_id is not None:
        print(_rule_yaml(rubric, rule_id, rubric_spec), end="")
    elif full:
        stream = io.StringIO()
        stream.write(f"# effective rubric of {resolve_spec(rubric_spec)}; "
                     f"sha256 {rubric.sha256}\n")
        _yaml().dump(effective(rubric.model), stream)
        print(stream.getvalue(), end="")
    else:
        print("\n".join(_overview(rubric, rubric_spec)))
    return 0


def _is_rubric(item: str) -> bool:
    """A rubric file (or a path meant as one), or the id of a bundled rubric."""
    return (Path(item).is_file() or item.endswith((".yaml", ".yml"))
            or bundled_path(item) is not None)


def _yaml(sort_keys: bool = True) -> YAML:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.representer.sort_base_mapping_type_on_output = sort_keys
    return yaml


def _with_rubric(command: str, rubric_spec: str | None) -> str:
    return command if rubric_spec is None else f"{command} --rubric {rubric_spec}"


def _overview(rubric: LoadedRubric, rubric_spec: str | None) -> list[str]:
    """The rubric's name and version, then one line a rule: id and title."""
    model = rubric.model
    about = f"extends {model.extends}; " if model.extends else ""
    lines = [f"Rubric {model.id}, version {model.version} ({about}sha256 {rubric.sha256[:12]})"]
    if model.title:
        lines.append(f"  {model.title}")
    disabled = {d.rule: d.reason for d in model.disable}
    lines.append(f"{len(model.rules)} rules" + (f", {len(disabled)} disabled" if disabled else "")
                 + ":")
    width = max((len(rule.id) for rule in model.rules), default=0)
    for rule in model.rules:
        off = f"  [disabled: {disabled[rule.id]}]" if rule.id in disabled else ""
        lines.append(f"  {rule.id:<{width}}  {rule.title}{off}")
    example = model.rules[0].id if model.rules else "RULE_ID"
    lines += ["",
              "One rule as YAML:   "
              + _with_rubric(f"jtai-audit rubric show {example}", rubric_spec),
              "One rule in words:  " + _with_rubric(f"jtai-audit explain {example}", rubric_spec),
              "The whole rubric:   " + _with_rubric("jtai-audit rubric show --full", rubric_spec)]
    return lines


def _rule_yaml(rubric: LoadedRubric, rule_id: str, rubric_spec: str | None) -> str:
    """One rule of the effective rubric as YAML, after a comment naming the rubric."""
    model = rubric.model
    wanted = rule_id.strip().upper()
    rules = [r for r in effective(model)["rules"] if r["id"] == wanted]
    if not rules:
        hint = did_you_mean(wanted, [r.id for r in model.rules], cutoff=0.6, quote=False)
        what = "" if re.fullmatch(r"[A-Z]+-\d+[A-Z]?", wanted) else \
            f", and no rubric file or bundled rubric named '{rule_id}'"
        listing = _with_rubric("jtai-audit rubric show", rubric_spec)
        raise UsageError(f"no rule {wanted} in rubric {model.id}{hint}{what} ('{listing}' "
                         "lists the rules)")
    stream = io.StringIO()
    stream.write(f"# {wanted} of rubric {model.id}, version {model.version} (after extends)\n"
                 "# in words: " + _with_rubric(f"jtai-audit explain {wanted}", rubric_spec) + "\n")
    reason = next((d.reason for d in model.disable if d.rule == wanted), None)
    if reason is not None:
        stream.write(f"# disabled in {model.id}: {reason}\n")
    _yaml(sort_keys=False).dump(rules[0], stream)
    return stream.getvalue()


def schema_document() -> dict[str, Any]:
    """JSON Schema of the rubric format, generated from the pydantic models."""
    document = Rubric.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "jtai-audit rubric"
    return document


def schema() -> int:
    print(json.dumps(schema_document(), indent=2))
    return 0
