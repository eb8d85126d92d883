"""`jtai-audit merge`: agency returns → one case per child, and the chasing list.

`--output` is always the merged case file (xlsx with a Sources sheet, or csv); `--format`
is the report on stdout. Exit 1 when returns are missing or cells conflict (or a return
could not be read, or holds a child no lead-agency return holds), 0 when every expected
return is in and agrees.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ExitCode, UsageError
from ..files import refuse_overwriting_inputs, write_atomic
from ..merge.casefile import merged_csv, merged_xlsx
from ..report import formats
from ..rubric.loader import load_rubric
from ..workbook.limits import Limits
from .inputs import input_files, merge_opened, open_inputs, say_merge
from .messages import emit, say

CASE_FILES = (".xlsx", ".csv")


def merge(paths: list[Path], rubric_spec: str | None = None, output: Path | None = None,
          fmt: str = "text", sheet: str | None = None, redact_paths: bool = False,
          limits: Limits | None = None) -> int:
    """Merge the returns; write the merged case file and the report; exit per the contract."""
    render = formats.renderer("merge", fmt)
    if output is not None and output.suffix.lower() not in CASE_FILES:
        raise UsageError(f"--output {output.name}: the merged case file is .xlsx or .csv")
    files = input_files(paths)
    if output is not None:
        refuse_overwriting_inputs(output, files)
    rubric = load_rubric(rubric_spec)
    model = rubric.model
    opened = open_inputs(files, model, sheet=sheet, limits=limits, redact=redact_paths)
    if opened.streams and not opened.returns:
        raise UsageError("no agency returns among the inputs (a return has an agency column "
                         "naming one agency on every row)")
    merged, _ = merge_opened(opened, model, single=len(files) == 1)
    say_merge(merged)
    if output is not None:
        payload = merged_csv(merged, model) if output.suffix.lower() == ".csv" \
            else merged_xlsx(merged, model)
        write_atomic(output, payload)
        say(f"wrote {output} ({len(merged.cases)} case(s))")
    emit(render(merged), None)
    errors = any(p.level == "error" for p in merged.problems)
    findings = (merged.missing or merged.conflicts or merged.orphans or opened.unreadable
                or errors)
    return int(ExitCode.FINDINGS if findings else ExitCode.OK)
