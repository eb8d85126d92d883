"""`jtai-audit score`: read workbooks, judge every case, write the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..cases import Notice
from ..engine import Engine
from ..errors import ExitCode, StrictFailure, UsageError, WorkbookError
from ..output import refuse_overwriting_inputs, write_atomic
from ..report import EXTENSIONS, FORMATS, formatter
from ..report.data import InputInfo, ReportData
from ..rubric import load_rubric
from ..summary import Summary
from ..workbook import Limits, iter_inputs, load_case_file, sha256_of
from .messages import report_notices, say


@dataclass
class ScoreOptions:
    """Options of `score`, as the CLI parsed them."""

    rubric: str | None = None
    sheet: str | None = None
    format: str | None = None
    output: Path | None = None
    fail_under: float | None = None
    strict: bool = False
    redact_paths: bool = False
    color: bool = False
    limits: Limits = field(default_factory=Limits)


def choose_format(requested: str | None, output: Path | None) -> str:
    """`--format`, else the output file's extension, else the table."""
    if requested:
        if requested not in FORMATS:
            raise UsageError(f"unknown --format '{requested}' ({', '.join(FORMATS)})")
        return requested
    if output is not None:
        found = EXTENSIONS.get(output.suffix.lower())
        if found is None:
            raise UsageError(f"cannot tell the format from '{output.name}': give --format")
        return found
    return "table"


def score(paths: list[Path], options: ScoreOptions) -> int:
    """Score every case in the inputs; the exit code follows the contract."""
    fmt = choose_format(options.format, options.output)
    files = list(iter_inputs(paths))
    if not files:
        raise UsageError("no .xlsx, .xlsm or .csv files found in the paths given")
    if options.output is not None:
        refuse_overwriting_inputs(options.output, files)
    rubric = load_rubric(options.rubric)
    engine = Engine(rubric)
    summary = Summary(rubric.model)
    inputs: list[InputInfo] = []
    results = []
    unreadable = 0
    invalid: list[Notice] = []
    batch = len(files) > 1
    for path in files:
        shown = _shown_path(path, options.redact_paths)
        try:
            case_file = load_case_file(path, rubric.model.fields, sheet=options.sheet,
                                       display=shown, limits=options.limits)
        except WorkbookError as exc:
            if not batch:
                raise
            unreadable += 1
            say(f"error: {exc} (not scored)")
            inputs.append(InputInfo(shown, _digest(path), 0, exc.message))
            continue
        for column in case_file.missing_columns:
            say(f"warning: {shown}: no '{column}' column: every case is unanswered on it")
        invalid.extend(case_file.invalid)
        inputs.append(InputInfo(shown, case_file.sha256, len(case_file.cases)))
        for case in case_file.cases:
            result = engine.evaluate(case)
            summary.add(result)
            results.append(result)
    report_notices(invalid)
    if options.strict and invalid:
        raise StrictFailure(f"{len(invalid)} invalid cell(s) and --strict: no report written")
    na = [w for r in results for w in r.warnings]
    for line in na[:20]:
        say(f"warning: {line}")
    if len(na) > 20:
        say(f"warning: … and {len(na) - 20} more 'N/A on a rule that applies'")
    data = ReportData(rubric, inputs, results, summary, color=options.color and fmt == "table")
    payload = formatter(fmt)(data)
    _emit(payload, options.output)
    code = ExitCode.OK
    if unreadable:
        code = ExitCode.FINDINGS
    mean = summary.mean_score
    if options.fail_under is not None and (mean is None or mean < options.fail_under):
        say(f"mean score {mean if mean is not None else '-'} is below --fail-under "
            f"{options.fail_under:g}")
        code = ExitCode.FINDINGS
    return int(code)


def _digest(path: Path) -> str:
    try:
        return sha256_of(path)
    except OSError:
        return ""


def _shown_path(path: Path, redact: bool) -> str:
    if redact:
        digest = _digest(path)
        return digest[:12] if digest else "unreadable"
    return str(path)


def _emit(payload: bytes, output: Path | None) -> None:
    import sys

    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        write_atomic(output, payload)
        say(f"wrote {output}")
