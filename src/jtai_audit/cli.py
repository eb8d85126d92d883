"""The command line: parse options, call a command function, map errors to exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .commands.helptext import Command, Group
from .errors import AuditError, ExitCode, RubricError
from .workbook.limits import Limits

app = typer.Typer(
    name="jtai-audit",
    cls=Group,
    help="Audit children's case files against the JTAI findings on children who are "
         "victims of domestic abuse. Grades are indicative, not inspection judgements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
)
rubric_app = typer.Typer(cls=Group, help="Rubric files as code: check, test, show, schema.",
                         no_args_is_help=True, pretty_exceptions_show_locals=False)
app.add_typer(rubric_app, name="rubric")

RubricOpt = Annotated[str | None, typer.Option(
    "--rubric", metavar="RUBRIC",
    help="A rubric file, or the id of a bundled rubric (default: jtai-domestic-abuse).")]
SheetOpt = Annotated[str | None, typer.Option(
    "--sheet", metavar="NAME",
    help="The sheet holding the cases (default: the one named Cases, else the only one "
         "with case_id in its header row).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks of unexpected errors.")]


def run(command: Callable[[], int], debug: bool = False) -> None:
    """Run a command; known errors become one line on stderr and a contract exit code."""
    try:
        code = command()
    except RubricError as exc:
        single = exc.problems == [str(exc)]  # said once, by the error line below
        for line in [] if single else exc.problems:
            print(line, file=sys.stderr)
        print(f"jtai-audit: error: {exc}" if single else
              f"jtai-audit: error: {len(exc.problems)} rubric problem(s)", file=sys.stderr)
        raise typer.Exit(int(exc.exit_code)) from None
    except AuditError as exc:
        print(f"jtai-audit: error: {exc}", file=sys.stderr)
        raise typer.Exit(int(exc.exit_code)) from None
    except BrokenPipeError:  # `jtai-audit ... | head` closed the pipe: not an error
        sys.stderr.close()
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        print("jtai-audit: interrupted", file=sys.stderr)
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if debug:
            raise
        print(f"jtai-audit: unexpected error ({type(exc).__name__}); run again with --debug "
              "for details", file=sys.stderr)
        raise typer.Exit(int(ExitCode.ERROR)) from None
    raise typer.Exit(code)


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _version(value: bool) -> None:
    if value:
        print(f"jtai-audit {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Audit children's case files against the JTAI domestic abuse findings."""


@app.command(cls=Command)
def score(
    paths: Annotated[list[Path], typer.Argument(
        metavar="FILE|FOLDER...", help="Workbooks (.xlsx, .xlsm, .csv) or folders of them.")],
    rubric: RubricOpt = None,
    sheet: SheetOpt = None,
    format: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="table, json, jsonl, csv, markdown, html or xlsx (default: from --output's "
             "extension, else table).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="PATH", help="Write the report here.")] = None,
    fail_under: Annotated[float | None, typer.Option(
        "--fail-under", metavar="N",
        help="Exit 1 when the mean score of all cases is below N.")] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Invalid cells are fatal (exit 1).")] = False,
    redact_paths: Annotated[bool, typer.Option(
        "--redact-paths",
        help="Show input files by the first 12 hex digits of their sha256.")] = False,
    max_file_bytes: Annotated[int, typer.Option(
        "--max-file-bytes", metavar="N", help="Largest input file, in bytes.")
    ] = Limits.max_file_bytes,
    max_rows: Annotated[int, typer.Option(
        "--max-rows", metavar="N", help="Most rows in a sheet.")] = Limits.max_rows,
    max_columns: Annotated[int, typer.Option(
        "--max-columns", metavar="N", help="Most columns in a sheet.")] = Limits.max_columns,
    max_cell_chars: Annotated[int, typer.Option(
        "--max-cell-chars", metavar="N", help="Longest cell, in characters.")
    ] = Limits.max_cell_chars,
    agency: Annotated[str | None, typer.Option(
        "--agency", metavar="NAME",
        help="Only this agency's part: the rules it owns and the cases it returned.")] = None,
    audience: Annotated[str, typer.Option(
        "--audience", metavar="AUDIENCE",
        help="meeting: the full report, for the meeting only; learning: de-identified, "
             "small numbers suppressed, for sharing.")] = "meeting",
    actions: Annotated[Path | None, typer.Option(
        "--actions", metavar="LAST.xlsx",
        help="Last round's report whose Action plan sheet people filled in: its actions "
             "are carried into this report.")] = None,
    appendix: Annotated[list[str] | None, typer.Option(
        "--appendix", metavar="cases|rules",
        help="Add to the printed html pack: cases (per-case detail), rules (each rule in "
             "words). Repeat for both.")] = None,
    debug: DebugOpt = False,
) -> None:
    """Score every case in the workbooks against the rubric."""
    from .commands.score import ScoreOptions
    from .commands.score import score as run_score

    options = ScoreOptions(rubric, sheet, format, output, fail_under, strict, redact_paths,
                           _color(), Limits(max_file_bytes, max_rows, max_columns, max_cell_chars),
                           agency, audience, actions, tuple(appendix or ()))
    run(lambda: run_score(paths, options), debug)


@app.command(cls=Command)
def explain(
    rule_id: Annotated[str, typer.Argument(
        metavar="RULE_ID", help="A rule id, such as VOICE-1 (`jtai-audit rubric show` "
                                "lists them).")],
    rubric: RubricOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The rule, its effective parameters, reasons and sources."""
    from .commands.explain import explain as run_explain

    run(lambda: run_explain(rule_id, rubric), debug)


@app.command(cls=Command)
def validate(
    paths: Annotated[list[Path], typer.Argument(
        metavar="FILE|FOLDER...", help="Workbooks (.xlsx, .xlsm, .csv) or folders of them.")],
    rubric: RubricOpt = None,
    sheet: SheetOpt = None,
    format: Annotated[str, typer.Option(
        "--format", metavar="text|json", help="The report's format.")] = "text",
    debug: DebugOpt = False,
) -> None:
    """Data quality only: every problem with its Sheet!A1 cell; errors exit 1."""
    from .commands.validate import validate as run_validate

    run(lambda: run_validate(paths, rubric, format, sheet), debug)


@app.command(cls=Command)
def merge(
    paths: Annotated[list[Path], typer.Argument(
        metavar="FILE|FOLDER...", help="Agency returns (.xlsx, .xlsm, .csv) or folders of "
                                       "them.")],
    rubric: RubricOpt = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE",
        help="The merged case file to write (.xlsx with a Sources sheet, or .csv).")] = None,
    format: Annotated[str, typer.Option(
        "--format", metavar="text|json|csv",
        help="The report on stdout; csv is the chasing list.")] = "text",
    sheet: SheetOpt = None,
    redact_paths: Annotated[bool, typer.Option(
        "--redact-paths", help="Name inputs by the first 12 hex digits of their sha256.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Merge agency returns per child: returns missing (the chasing list) and conflicts."""
    from .commands.merge import merge as run_merge

    run(lambda: run_merge(paths, rubric, output, format, sheet, redact_paths), debug)


@app.command(cls=Command)
def template(
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="FILE", help="The .xlsx file to write.")],
    rubric: RubricOpt = None,
    agency: Annotated[str | None, typer.Option(
        "--agency", metavar="NAME",
        help="One agency's return: only the columns it answers, and its agency column.")
    ] = None,
    cases: Annotated[Path | None, typer.Option(
        "--cases", metavar="SAMPLE",
        help="One row per sampled case id: a text file with one id a line, or a .csv/.xlsx "
             "list with case_id (its rubric columns are copied in).")] = None,
    sheet: Annotated[str | None, typer.Option(
        "--sheet", metavar="NAME", help="The sheet holding the --cases list.")] = None,
    debug: DebugOpt = False,
) -> None:
    """A blank workbook to fill in, with drop-downs and a Guidance sheet."""
    from .commands.template import template as run_template

    run(lambda: run_template(output, rubric, agency, cases, sheet), debug)


@app.command(cls=Command)
def sample(
    case_list: Annotated[Path, typer.Argument(
        metavar="LIST", help="A case list (.csv or .xlsx) with a case_id column.")],
    size: Annotated[int, typer.Option("--size", metavar="N", help="How many cases to draw.")],
    by: Annotated[list[str] | None, typer.Option(
        "--by", metavar="COLUMN",
        help="Stratify by this column, such as Team; repeat for more.")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", metavar="N", help="Random seed, for a reproducible sample.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="PATH",
        help="Also write the sample: .csv (ids and --by columns) or a pre-filled template "
             "(.xlsx).")] = None,
    sheet: Annotated[str | None, typer.Option(
        "--sheet", metavar="NAME", help="The sheet holding the list.")] = None,
    rubric: RubricOpt = None,
    debug: DebugOpt = False,
) -> None:
    """A reproducible stratified random sample: case ids one a line, with any --by values."""
    from .commands.sample import sample as run_sample

    run(lambda: run_sample(case_list, size, by or [], seed, output, sheet, rubric), debug)


@app.command(cls=Command)
def moderate(
    first: Annotated[Path, typer.Argument(
        metavar="FIRST", help="The first auditor's workbook.")],
    second: Annotated[Path, typer.Argument(
        metavar="SECOND", help="The second auditor's workbook, same cases.")],
    rubric: RubricOpt = None,
    sheet: SheetOpt = None,
    format: Annotated[str, typer.Option(
        "--format", metavar="text|json", help="The report's format.")] = "text",
    debug: DebugOpt = False,
) -> None:
    """Two auditors, same cases: every disagreement, then agreement and Cohen's kappa."""
    from .commands.moderate import moderate as run_moderate

    run(lambda: run_moderate(first, second, rubric, format, sheet), debug)


@app.command(cls=Command)
def compare(
    rounds: Annotated[list[Path], typer.Argument(
        metavar="ROUND ROUND...",
        help="Two or more rounds, earliest first: JSON from `score --format json`, or "
             "workbooks or folders to score with --rubric.")],
    format: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT",
        help="table, json, markdown, html or xlsx (default: from --output's extension, "
             "else table).")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="PATH", help="Write the report here.")] = None,
    label: Annotated[list[str] | None, typer.Option(
        "--label", metavar="NAME",
        help="A name for each round, in order; repeat for each (default: the file or "
             "folder name).")] = None,
    rubric: RubricOpt = None,
    allow_rubric_change: Annotated[bool, typer.Option(
        "--allow-rubric-change", help="Compare rounds scored with different rubrics.")
    ] = False,
    debug: DebugOpt = False,
) -> None:
    """Re-audit: what moved between rounds, per rule, theme and area, and the trend."""
    from .commands.compare import compare as run_compare

    run(lambda: run_compare(rounds, format, output, allow_rubric_change, label, rubric), debug)


@app.command(cls=Command)
def serve(
    data: Annotated[Path | None, typer.Option(
        "--data", metavar="DIR",
        help="The workspace's data folder (default: your user data folder).")] = None,
    port: Annotated[int, typer.Option(
        "--port", metavar="N", help="Port on 127.0.0.1 (default: any free port).")] = 0,
    max_upload: Annotated[float, typer.Option(
        "--max-upload", metavar="MB", help="Largest upload, in MB.")] = 20,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Print the link only; do not open a browser.")] = False,
    debug: DebugOpt = False,
) -> None:
    """The workspace: the whole round in your browser, on this computer only."""
    from .workspace.serve import serve as run_serve

    run(lambda: run_serve(data, port, max_upload, not no_browser), debug)


@rubric_app.command("check", cls=Command)
def rubric_check(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="Rubric files (.yaml) or folders of them.")],
    format: Annotated[str, typer.Option(
        "--format", metavar="text|json|github",
        help="github: annotations for GitHub Actions.")] = "text",
    strict: Annotated[bool, typer.Option(
        "--strict", help="Warnings also fail (exit 1).")] = False,
    debug: DebugOpt = False,
) -> None:
    """Lint rubric files: every problem as file:line:col."""
    from .commands.rubric_cmds import check

    run(lambda: check(paths, format, strict), debug)


@rubric_app.command("test", cls=Command)
def rubric_test(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="Rubric files (.yaml) or folders of them.")],
    debug: DebugOpt = False,
) -> None:
    """Run every rule's examples; the last line is 'N passed, N failed'."""
    from .commands.rubric_cmds import test

    run(lambda: test(paths), debug)


@rubric_app.command("show", cls=Command)
def rubric_show(
    item: Annotated[str | None, typer.Argument(
        metavar="RULE_ID|PATH",
        help="A rule id (VOICE-1): that rule. A rubric file or bundled rubric id: the rules "
             "of that rubric. Without it: the rules of --rubric.")] = None,
    rubric: RubricOpt = None,
    full: Annotated[bool, typer.Option(
        "--full", help="The whole effective rubric as YAML (thousands of lines).")] = False,
    debug: DebugOpt = False,
) -> None:
    """The effective rubric after extends: each rule's id and title, or one rule."""
    from .commands.rubric_cmds import show

    run(lambda: show(item, rubric, full), debug)


@rubric_app.command("schema", cls=Command)
def rubric_schema(debug: DebugOpt = False) -> None:
    """JSON Schema of the rubric format."""
    from .commands.rubric_cmds import schema

    run(schema, debug)


def main() -> None:
    """Console entry point."""
    app()


def rubric_hook() -> None:
    """The pre-commit hook: `rubric check` then `rubric test` on the files pre-commit passes."""
    from .commands.rubric_cmds import check, test

    paths = [Path(a) for a in sys.argv[1:]]
    if not paths:
        sys.exit(0)
    try:
        checked = check(paths)
        tested = test(paths) if checked == 0 else 0
    except AuditError as exc:
        print(f"jtai-audit: error: {exc}", file=sys.stderr)
        sys.exit(int(exc.exit_code))
    sys.exit(max(checked, tested))
