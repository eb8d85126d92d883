"""The one door from the workspace into the rest of jtai-audit.

Every figure, message and file the workspace shows comes from the functions the CLI's
commands call, called here as the CLI calls them: `score`, `merge`, `validate`,
`sample`, `template`, `compare` and `rubric check`, with their machine output (JSON)
read back. The commands write to stdout and stderr and name files as they were given,
so each call runs under one lock, with both streams captured and the working folder set
to a folder of the round's files under the names people gave them.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from ..auditing.sampling import read_case_list
from ..commands.compare import compare
from ..commands.merge import merge
from ..commands.rubric_cmds import check
from ..commands.sample import sample
from ..commands.score import ScoreOptions, score
from ..commands.template import template
from ..commands.validate import validate
from ..errors import AuditError, RubricError
from ..merge.returns import agencies_of, read_return
from ..rubric.loader import load_rubric
from ..workbook.actions import HEADERS, SHEET, STATUSES
from ..workbook.reader import CaseStream

_LOCK = threading.RLock()
SUFFIXES = (".xlsx", ".xlsm", ".csv")
ACTION_STATUSES = STATUSES


class PipelineError(Exception):
    """A command refused its input: the one line it would print, and what it said before."""

    def __init__(self, message: str, lines: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.lines = list(lines)


@dataclass
class Ran:
    """What a command printed and returned."""

    code: int
    stdout: bytes
    stderr: list[str]


@contextlib.contextmanager
def _captured(cwd: Path | None) -> Iterator[tuple[io.BytesIO, io.StringIO]]:
    out, err = io.BytesIO(), io.StringIO()
    text = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    here = os.getcwd()
    with _LOCK:
        old = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = text, err
        try:
            if cwd is not None:
                os.chdir(cwd)
            yield out, err
        finally:
            text.flush()
            sys.stdout, sys.stderr = old
            os.chdir(here)


def _run(command: Callable[[], int], cwd: Path | None = None) -> Ran:
    """Run a command function as `cli.run` does, its errors turned into PipelineError."""
    with _captured(cwd) as (out, err):
        try:
            code = command()
        except RubricError as exc:
            raise PipelineError(str(exc) if exc.problems == [str(exc)] else
                                f"{len(exc.problems)} rubric problem(s)",
                                [*err.getvalue().splitlines(), *exc.problems]) from None
        except AuditError as exc:
            raise PipelineError(str(exc), err.getvalue().splitlines()) from None
        return Ran(code, out.getvalue(), err.getvalue().splitlines())


def _spec(rubric: Path | None) -> str | None:
    return None if rubric is None else str(rubric)


def safe_name(name: str, fallback: str = "upload.xlsx") -> str:
    """A file's name as people gave it, without folders or characters a path cannot hold."""
    base = re.sub(r"[^\w .()&'+-]", "_", Path(name.replace("\\", "/")).name).strip(" .")
    return base[:120] or fallback


@dataclass
class Staged:
    """A round's files laid out under the names people gave them, in a private folder."""

    folder: Path
    names: list[str] = field(default_factory=list)


@contextlib.contextmanager
def staged(work: Path, files: Sequence[tuple[str, Path]]) -> Iterator[Staged]:
    """Links (or copies) of the stored files, named as uploaded, for one command."""
    work.mkdir(mode=0o700, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work) as folder:
        found = Staged(Path(folder))
        for name, path in files:
            shown = safe_name(name)
            stem, suffix = os.path.splitext(shown)
            count = 1
            while shown in found.names:
                count += 1
                shown = f"{stem} ({count}){suffix}"
            target = found.folder / shown
            try:
                os.link(path, target)
            except OSError:
                target.write_bytes(path.read_bytes())
            found.names.append(shown)
        yield found


# rubric ---------------------------------------------------------------------------------
def check_rubric(path: Path) -> tuple[bool, list[str]]:
    """`rubric check` on an uploaded variant: usable (no error) and every problem, worded."""
    ran = _run(lambda: check([path], "json"))
    report = json.loads(ran.stdout)
    lines = [f"line {p['line']}: {p['level']}: {p['message']}" for p in report["problems"]]
    if report["errors"] == 0:
        try:
            load_rubric(path)
        except AuditError as exc:
            return False, [*lines, str(exc)]
    return report["errors"] == 0, lines


def agencies(rubric: Path | None) -> list[str]:
    """The agencies the rubric lists, lead agency first as the rubric gives them."""
    with _LOCK:
        return agencies_of(load_rubric(_spec(rubric)).model)


# uploads --------------------------------------------------------------------------------
def check_return(path: Path, rubric: Path | None) -> str | None:
    """Open an uploaded return as `score` does (zip bomb, XML entities, a workbook at all).

    Returns its agency when it reads as one agency's return, None otherwise (the merge
    then reports it as it reports any file it cannot read as a return). Raises
    PipelineError when the reader refuses the file.
    """
    with _LOCK:
        model = load_rubric(_spec(rubric)).model
        try:
            stream = CaseStream(path, model.fields)
        except AuditError as exc:
            raise PipelineError(exc.message) from None
        if not stream.agency_return:
            raise PipelineError("this workbook has no agency column: it is not an agency "
                                "return (download the agency's template from the round)")
        try:
            return read_return(stream, model).agency
        except AuditError:
            return None


def check_case_list(path: Path, rubric: Path | None) -> int:
    """Read a case list as `sample` does; the number of cases in it."""
    with _LOCK:
        model = load_rubric(_spec(rubric)).model
        try:
            return len(read_case_list(path, model.fields, None).ids)
        except AuditError as exc:
            raise PipelineError(exc.message) from None


# sample and templates -------------------------------------------------------------------
@dataclass
class Sample:
    """The sample drawn: its ids in list order, what `sample` said, and its CSV."""

    ids: list[str]
    messages: list[str]
    csv: bytes


def draw_sample(work: Path, case_list: tuple[str, Path], size: int, by: list[str],
                seed: int | None, rubric: Path | None) -> Sample:
    """`sample LIST --size N --by … --seed S --output sample.csv`."""
    with staged(work, [case_list]) as stage:
        output = Path("sample.csv")  # relative to the stage: messages name no folder
        ran = _run(lambda: sample(Path(stage.names[0]), size, by, seed, output, None,
                                  _spec(rubric)), stage.folder)
        output = stage.folder / output
        lines = ran.stdout.decode("utf-8").splitlines()
        ids = [line.split("\t")[0] for line in (lines[1:] if by else lines) if line]
        return Sample(ids, ran.stderr, output.read_bytes())


def agency_template(work: Path, agency: str, sample_csv: Path | None,
                    rubric: Path | None) -> bytes:
    """`template --agency NAME [--cases sample.csv] --output return.xlsx`."""
    with staged(work, [("sample.csv", sample_csv)] if sample_csv else []) as stage:
        cases = Path("sample.csv") if sample_csv else None
        _run(lambda: template(Path("template.xlsx"), _spec(rubric), agency, cases, None),
             stage.folder)
        return (stage.folder / "template.xlsx").read_bytes()


# returns --------------------------------------------------------------------------------
@dataclass
class RoundState:
    """The chasing list and validation problems of the returns in so far."""

    returns: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    missing: dict[str, list[str]]
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    completeness: dict[str, float]
    messages: list[str]
    refused: str | None = None


def round_state(work: Path, files: Sequence[tuple[str, Path]],
                rubric: Path | None) -> RoundState:
    """`merge --format json` and `validate --format json` on the returns in so far."""
    if not files:
        return RoundState([], [], {}, [], [], {}, [])
    with staged(work, files) as stage:
        paths = [Path(name) for name in stage.names]
        try:
            merged = _run(lambda: merge(paths, _spec(rubric), None, "json"), stage.folder)
            checked = _run(lambda: validate(paths, _spec(rubric), "json", None), stage.folder)
        except PipelineError as exc:
            return RoundState([], [], {}, [], [], {}, exc.lines, refused=exc.message)
    report = json.loads(merged.stdout)
    found = json.loads(checked.stdout)
    return RoundState(report.get("returns", []), report.get("conflicts", []),
                      report.get("missing", {}), found["errors"], found["warnings"],
                      found["completeness"], merged.stderr)


# scoring --------------------------------------------------------------------------------
@dataclass
class Scored:
    """Every file `score` and `merge` wrote for the round, and what scoring said."""

    outputs: dict[str, tuple[str, bytes]]  # kind -> (file name, bytes)
    messages: list[str]
    document: dict[str, Any]


PACKS = {  # kind: (file name, --audience, --format)
    "pack_html": ("meeting-pack.html", "meeting", "html"),
    "pack_xlsx": ("meeting-pack.xlsx", "meeting", "xlsx"),
    "pack_md": ("meeting-pack.md", "meeting", "markdown"),
    "score_json": ("score.json", "meeting", "json"),
    "learning_html": ("learning-summary.html", "learning", "html"),
    "learning_xlsx": ("learning-summary.xlsx", "learning", "xlsx"),
}


def score_round(work: Path, files: Sequence[tuple[str, Path]], rubric: Path | None,
                actions: bytes | None = None) -> Scored:
    """`score returns/ --output …` once per pack, and `merge --output merged.xlsx`."""
    with staged(work, list(files)) as stage:
        paths = [Path(name) for name in stage.names]
        outputs: dict[str, tuple[str, bytes]] = {}
        messages: list[str] = []
        out = stage.folder / "out"
        out.mkdir()
        plan = out / "last-round-plan.xlsx"
        if actions is not None:
            plan.write_bytes(actions)
        for kind, (name, audience, fmt) in PACKS.items():
            target = Path("out") / name  # relative to the stage: messages name no folder
            options = ScoreOptions(rubric=_spec(rubric), format=fmt, output=target,
                                   audience=audience,
                                   actions=Path("out") / plan.name if actions is not None
                                   else None)
            ran = _run(_scorer(paths, options), stage.folder)
            if kind == "pack_html":
                messages = [line for line in ran.stderr if not line.startswith("wrote ")]
            outputs[kind] = (name, (stage.folder / target).read_bytes())
        merged = Path("out") / "merged-cases.xlsx"
        _run(lambda: merge(paths, _spec(rubric), merged, "json"), stage.folder)
        outputs["merged_xlsx"] = (merged.name, (stage.folder / merged).read_bytes())
    document = json.loads(outputs["score_json"][1])
    return Scored(outputs, messages, document)


def _scorer(paths: list[Path], options: ScoreOptions) -> Callable[[], int]:
    return lambda: score(paths, options)


# the action plan ------------------------------------------------------------------------
def action_rows(pack_xlsx: Path) -> list[dict[str, Any]]:
    """The `Action plan` sheet `score` wrote, one dict a row keyed by its fixed headers."""
    with _LOCK:
        book = openpyxl.load_workbook(pack_xlsx, read_only=True, data_only=True)
        try:
            if SHEET not in book.sheetnames:
                return []
            rows = book[SHEET].iter_rows(values_only=True)
            header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
            found = []
            for row in rows:
                item = {name: row[header.index(name)] if name in header
                        and header.index(name) < len(row) else None for name in HEADERS}
                if item["Rule"]:
                    found.append(item)
            return found
        finally:
            book.close()


def filled_plan(pack_xlsx: Path, edits: dict[str, dict[str, str]]) -> bytes:
    """The pack's Action plan as people fill it in: owner, due date, status and notes.

    This is the workbook `score --actions` reads in the next round.
    """
    with _LOCK:
        book = openpyxl.load_workbook(pack_xlsx)
        sheet = book[SHEET]
        header = [str(c.value).strip() if c.value is not None else "" for c in sheet[1]]
        columns = {name: header.index(name) + 1 for name in HEADERS if name in header}
        for row in range(2, sheet.max_row + 1):
            rule = sheet.cell(row, columns["Rule"]).value
            edit = edits.get(str(rule)) if rule else None
            if edit is None:
                continue
            for name, key in (("Owner", "owner"), ("Due date", "due"), ("Status", "status"),
                              ("Notes", "notes")):
                if name in columns:
                    sheet.cell(row, columns[name]).value = edit.get(key) or None
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


# rounds over time -----------------------------------------------------------------------
@dataclass
class Trend:
    """`compare`'s report over the rounds, as HTML and as JSON."""

    html: bytes
    document: dict[str, Any]


def trend(work: Path, rounds: Sequence[tuple[str, Path]]) -> Trend:
    """`compare round-1.json round-2.json … --label …` in html and json."""
    with staged(work, [(f"round-{i}.json", path) for i, (_, path) in enumerate(rounds)]) \
            as stage:
        paths = [Path(name) for name in stage.names]
        labels = [label for label, _ in rounds]
        html = Path("trend.html")
        _run(lambda: compare(paths, "html", html, False, labels), stage.folder)
        ran = _run(lambda: compare(paths, "json", None, False, labels), stage.folder)
        return Trend((stage.folder / html).read_bytes(), json.loads(ran.stdout))
