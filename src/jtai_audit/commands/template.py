"""`jtai-audit template`: a blank workbook to fill in, made from the rubric's fields."""

from __future__ import annotations

from pathlib import Path

from ..blank_workbook import build_template
from ..errors import UsageError
from ..files import write_atomic
from ..rubric.loader import load_rubric
from .messages import say


def check_xlsx_output(output: Path) -> None:
    """Only .xlsx carries drop-downs and hidden sheets; anything else would lose them."""
    if output.suffix.lower() != ".xlsx":
        raise UsageError(f"--output {output}: a template is an .xlsx workbook (name it .xlsx)")


def template(output: Path, rubric_spec: str | None) -> int:
    """Write the template atomically, owner-only; exit 0."""
    check_xlsx_output(output)
    rubric = load_rubric(rubric_spec)
    write_atomic(output, build_template(rubric))
    say(f"wrote {output}: {len(rubric.model.fields)} columns, drop-downs to row 1000, "
        "and a Guidance sheet")
    return 0
