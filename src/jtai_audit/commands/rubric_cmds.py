"""`jtai-audit rubric check|test|show|schema`: rubric files as code."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from ..engine.examples import run_examples
from ..errors import UsageError
from ..problems import LineProblem
from ..rubric.loader import check_rubric, load_rubric, resolve_spec
from ..schema import Rubric
from .messages import say

CHECK_FORMATS = ("text", "json", "github")


def rubric_files(paths: list[Path]) -> Iterator[Path]:
    """YAML files named, and those in folders named (recursively, hidden ones skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix in (".yaml", ".yml") and not any(
                        part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        elif path.exists():
            yield path
        else:
            raise UsageError(f"no such file or folder: {path}")


def _github(problem: LineProblem) -> str:
    message = f"{problem.code}: {problem.message}".replace("%", "%25").replace("\n", "%0A")
    return (f"::{problem.level} file={problem.file},line={problem.line},"
            f"col={problem.col}::{message}")


def check(paths: list[Path], fmt: str = "text", strict: bool = False) -> int:
    """Every problem in every rubric file; exit 1 on errors (and on warnings with --strict)."""
    if fmt not in CHECK_FORMATS:
        raise UsageError(f"unknown --format '{fmt}' ({', '.join(CHECK_FORMATS)})")
    if fmt == "text" and os.environ.get("GITHUB_ACTIONS") == "true":
        fmt = "github"
    files = list(rubric_files(paths))
    if not files:
        raise UsageError("no rubric files (.yaml) found in the paths given")
    problems: list[LineProblem] = []
    for path in files:
        problems.extend(check_rubric(path)[1])
    problems.sort()
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    if fmt == "json":
        print(json.dumps({"files": [str(f) for f in files], "errors": errors,
                          "warnings": warnings,
                          "problems": [_problem_dict(p) for p in problems]}, indent=2))
    else:
        for problem in problems:
            print(_github(problem) if fmt == "github" else str(problem))
        say(f"{len(files)} file(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors or (strict and warnings) else 0


def _problem_dict(problem: LineProblem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "col": problem.col,
            "level": problem.level, "code": problem.code, "message": problem.message}


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


def show(spec: str) -> int:
    """The effective rubric after `extends`, as YAML."""
    rubric = load_rubric(spec)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    stream = io.StringIO()
    stream.write(f"# effective rubric of {resolve_spec(spec)}; sha256 {rubric.sha256}\n")
    yaml.dump(effective(rubric.model), stream)
    print(stream.getvalue(), end="")
    return 0


def schema_document() -> dict[str, Any]:
    """JSON Schema of the rubric format, generated from the pydantic models."""
    document = Rubric.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "jtai-audit rubric"
    return document


def schema() -> int:
    print(json.dumps(schema_document(), indent=2))
    return 0
