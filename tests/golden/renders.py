"""Each (report, format) of the registry rendered on small, fixed inputs, for the goldens.

score and learning render the meeting fixture (fixed rubric, cases, hashes and time);
compare renders three rounds of it; merge, validate, moderate and rubric check run the
command on files in the repository (relative paths, from its root, SOURCE_DATE_EPOCH
pinned), because their inputs are what the command builds from those files; moderate
compares two copies of the meeting fixture's workbook that differ in three answers.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from jtai_audit.cli import app
from jtai_audit.engine.rounds import compare_rounds
from jtai_audit.report import formats, formatter
from jtai_audit.report.compare import Names

from ..conftest import write_xlsx
from .fixture import HEADER, ROWS, RUBRIC, meeting_data

ROOT = Path(__file__).resolve().parent.parent.parent
EPOCH = "1767225600"  # 2026-01-01, as scripts/capture_outputs.sh pins it


def golden_name(report: str, fmt: str) -> str:
    """tests/golden/<report>.<format>; binary formats as a text dump (`.txt`)."""
    stem = "meeting" if report == "score" else report
    return f"{stem}.{fmt}" + (".txt" if formats.lookup(report, fmt).binary else "")


def workbook_text(payload: bytes) -> bytes:
    """Every sheet's cell values, row by row: what an xlsx says, without its zip's bytes."""
    book = openpyxl.load_workbook(io.BytesIO(payload))
    lines = []
    for sheet in book.worksheets:
        lines.append(f"# {sheet.title}")
        lines += [repr(row) for row in sheet.iter_rows(values_only=True)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _meeting(report: str, fmt: str) -> bytes:
    return formats.renderer(report, fmt)(meeting_data())


def _compare(fmt: str) -> bytes:
    """Three rounds (trend tables and charts included): the fixture growing by cases."""
    docs = [json.loads(formatter("json")(meeting_data(ROWS[:n]))) for n in (3, 5, len(ROWS))]
    result = compare_rounds(docs, ["Spring", "Summer", "Autumn"])
    model = meeting_data().rubric.model
    names = Names({r.id: r.title for r in model.rules},
                  {t: theme.title for t, theme in model.themes.items()})
    return formats.renderer("compare", fmt)(result, names)


@contextmanager
def _at(folder: Path) -> Iterator[None]:
    """Run from `folder` (paths in the output stay relative), time pinned, not in Actions."""
    saved = os.getcwd(), dict(os.environ)
    os.chdir(folder)
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.environ.pop("GITHUB_ACTIONS", None)
    try:
        yield
    finally:
        os.chdir(saved[0])
        os.environ.clear()
        os.environ.update(saved[1])


def _command(*args: str) -> Callable[[str], bytes]:
    def run(fmt: str) -> bytes:
        with _at(ROOT):
            return _invoke([*args, "--format", fmt])
    return run


def _invoke(args: list[str]) -> bytes:
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout_bytes


def _moderate(fmt: str) -> bytes:
    """Two auditors on the meeting fixture: the second reads three answers differently."""
    second = [list(row) for row in ROWS]
    second[0][6], second[3][5], second[4][7] = "Partly", "Partly", "Partly"
    with tempfile.TemporaryDirectory() as folder:
        write_xlsx(Path(folder) / "first.xlsx", HEADER, ROWS)
        write_xlsx(Path(folder) / "second.xlsx", HEADER, second)
        with _at(Path(folder)):
            return _invoke(["moderate", "first.xlsx", "second.xlsx", "--rubric", str(RUBRIC),
                            "--format", fmt])


COMMANDS: dict[str, Callable[[str], bytes]] = {
    "merge": _command("merge", "examples/returns"),
    "validate": _command("validate", "tests/fixtures/libreoffice_messy.xlsx"),
    "moderate": _moderate,
    "rubric-check": _command("rubric", "check", "tests/rubrics/broken"),
}


def rendered(report: str, fmt: str) -> bytes:
    """The bytes a golden file pins: the output itself, or a binary format's text dump."""
    if report in ("score", "learning"):
        payload = _meeting(report, fmt)
    elif report == "compare":
        payload = _compare(fmt)
    else:
        payload = COMMANDS[report](fmt)
    return workbook_text(payload) if formats.lookup(report, fmt).binary else payload
