"""`rubric check`'s report: one line a problem (text or GitHub annotations), or JSON.

GitHub annotations are the `::error file=…,line=…::` lines Actions shows beside the diff;
the count of files and problems goes to stderr (the command says it), not in here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..problems import LineProblem


def render_text(files: list[Path], problems: list[LineProblem]) -> bytes:
    return "".join(f"{problem}\n" for problem in problems).encode("utf-8")


def render_github(files: list[Path], problems: list[LineProblem]) -> bytes:
    return "".join(f"{_github(problem)}\n" for problem in problems).encode("utf-8")


def render_json(files: list[Path], problems: list[LineProblem]) -> bytes:
    errors = sum(p.level == "error" for p in problems)
    document = {"files": [str(f) for f in files], "errors": errors,
                "warnings": len(problems) - errors,
                "problems": [_problem_dict(p) for p in problems]}
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def _github(problem: LineProblem) -> str:
    message = f"{problem.code}: {problem.message}".replace("%", "%25").replace("\n", "%0A")
    return (f"::{problem.level} file={problem.file},line={problem.line},"
            f"col={problem.col}::{message}")


def _problem_dict(problem: LineProblem) -> dict[str, Any]:
    return {"file": problem.file, "line": problem.line, "col": problem.col,
            "level": problem.level, "code": problem.code, "message": problem.message}
