"""`jtai-audit score`: read workbooks, judge every case, write the report."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..engine.actions import carry
from ..engine.columns import ColumnJudge
from ..engine.judge import Engine
from ..engine.summary import LISTED_CASES, Summary
from ..errors import ExitCode, StrictFailure, UsageError
from ..files import OutputSink, refuse_overwriting_inputs
from ..merge.returns import find_agency, lead_agency
from ..problems import CellProblem
from ..report import WholeDocument, Writer, formats, open_writer
from ..report.data import InputInfo, ReportData
from ..report.returns import merged_summary
from ..report.summary_json import DiskList
from ..report.throttle import MAX_PER_KIND, Throttle
from ..rubric.compiled import for_agency
from ..rubric.loader import load_rubric
from ..schema import id_field
from ..workbook.actions import read_action_plan
from ..workbook.batch import SeenCases, iter_inputs
from ..workbook.cases import Case
from ..workbook.columns import Chunk
from ..workbook.labels import label_key
from ..workbook.limits import Limits, column_letter
from ..workbook.reader import CaseStream
from .inputs import merge_opened, open_inputs, say_merge
from .messages import report_notices, say
from .progress import RowsProgress, files_progress


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
    agency: str | None = None
    audience: str = "meeting"
    actions: Path | None = None
    appendix: tuple[str, ...] = ()


AUDIENCES = ("meeting", "learning")
TABLE_CASES = 100  # cases the terminal table lists (the rest counted)
APPENDICES = ("cases", "rules")


def choose_format(requested: str | None, output: Path | None) -> str:
    """`--format`, else the output file's extension, else the table."""
    if requested:
        return formats.lookup("score", requested).name
    if output is not None:
        found = formats.for_suffix("score", output.suffix)
        if found is None and output.suffix.lower() == ".pdf":
            raise UsageError(f"--output {output.name}: there is no pdf format; write .html "
                             "and print it to PDF from the browser (it is laid out for A4)")
        if found is None:
            raise UsageError(f"cannot tell the format from '{output.name}': give --format "
                             f"({formats.listed('score')})")
        return found.name
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
    if options.agency is not None:
        options.agency = find_agency(options.agency, rubric.model)
        rubric = for_agency(rubric, options.agency)
    # json, jsonl and csv list every case; a terminal shows fewer cases than a pack.
    listed = None if fmt in ("json", "jsonl", "csv") else \
        min(TABLE_CASES, LISTED_CASES) if fmt == "table" else LISTED_CASES
    summary = Summary(rubric.model, listed, agency=rubric.agency, reads=rubric.reads,
                      overflow=DiskList if listed is None else None)
    data = ReportData(rubric, [], [], summary,
                      color=options.color and fmt == "table", agency=options.agency,
                      appendix=options.appendix)
    # --strict must see every cell before anything is written: its stdout is held back.
    unknown = [a for a in options.appendix if a not in APPENDICES]
    if unknown:
        raise UsageError(f"unknown --appendix '{unknown[0]}' ({', '.join(APPENDICES)})")
    if options.audience not in AUDIENCES:
        raise UsageError(f"unknown --audience '{options.audience}' ({', '.join(AUDIENCES)})")
    plan = read_action_plan(options.actions) if options.actions is not None else None
    if plan is not None:
        report_notices(plan.problems)
    sink = OutputSink(options.output, hold=options.strict)
    writer = open_writer(fmt, sink.write, listed) if options.audience == "meeting" \
        else WholeDocument(formats.renderer("learning", fmt), sink.write, 0)
    try:
        writer.start(data)
        unreadable, invalid = _score_files(files, options, data, writer)
        report_notices(invalid)
        if options.strict and invalid:
            raise StrictFailure(f"{len(invalid)} invalid cell(s) and --strict: no report written")
        if plan is not None:
            data.actions = carry(plan.actions, data.summary)
        writer.finish(data)
        sink.commit()
    except BaseException:
        sink.abort()
        raise
    _say_concerns(data.summary.first_concerns(MAX_PER_KIND), data.summary.concern_count,
                  named=options.audience == "meeting")
    if options.output is not None:
        say(f"wrote {options.output}")
    code = ExitCode.FINDINGS if unreadable or (options.strict and data.returns_open) \
        else ExitCode.OK
    mean = data.summary.mean_score
    if options.fail_under is not None and (mean is None or mean < options.fail_under):
        say(f"mean score {mean if mean is not None else '-'} is below --fail-under "
            f"{options.fail_under:g}")
        code = ExitCode.FINDINGS
    return int(code)


def score_document(paths: list[Path], rubric_spec: str | None = None,
                   sheet: str | None = None) -> dict[str, Any]:
    """The `score --format json` report of some inputs, as a dict (for `compare`)."""
    files = list(iter_inputs(paths))
    if not files:
        raise UsageError(f"no .xlsx, .xlsm or .csv files in {', '.join(map(str, paths))}")
    rubric = load_rubric(rubric_spec)
    data = ReportData(rubric, [], [], Summary(rubric.model, reads=rubric.reads))
    parts: list[bytes] = []
    writer = open_writer("json", parts.append)
    writer.start(data)
    _score_files(files, ScoreOptions(rubric=rubric_spec, sheet=sheet), data, writer)
    writer.finish(data)
    found: dict[str, Any] = json.loads(b"".join(parts))
    return found


def _score_files(files: list[Path], options: ScoreOptions, data: ReportData,
                 writer: Writer) -> tuple[int, list[CellProblem]]:
    """Read and judge every file; a batch reports an unreadable file and goes on.

    Agency returns are merged per child first (missing returns leave cells unanswered,
    never poorer); whole case files are judged as they are read.
    """
    model = data.rubric.model
    opened = open_inputs(files, model, sheet=options.sheet, limits=options.limits,
                         redact=options.redact_paths, progress=files_progress,
                         unreadable_note="not scored")
    judge = _Judge(data, writer, options.agency)
    invalid: list[CellProblem] = []
    if opened.returns:
        merged, returns = merge_opened(opened, model, single=len(files) == 1,
                                       unreadable_note="not scored")
        data.summary.returns = merged_summary(merged)
        data.summary.returned = merged.returned()
        data.merged = merged
        for part in returns:
            data.inputs.append(InputInfo(part.file, part.sha256, len(part.rows)))
        say_merge(merged, agency=options.agency, cells=False)  # cells: reported once, below
        judge.cases(merged.cases)
        invalid = [p for p in merged.problems if p.kind == "invalid"]
        judge.merged = bool(merged.missing or merged.conflicts)
    else:
        # One input cannot repeat another: the ids of a caseload are kept only for a batch.
        duplicates = _Duplicates(data, active=len(opened.streams) > 1)
        rows = RowsProgress(sum(stream.expected for _, _, stream in opened.streams))
        try:
            for _, shown, case_file in opened.streams:
                _warn_missing_columns(shown, case_file.missing_columns)
                info = InputInfo(shown, case_file.sha256, 0)
                data.inputs.append(info)
                duplicates.open(case_file)
                for chunk in case_file.chunks():
                    judge.chunk(chunk, shown, duplicates)
                    rows.reached(case_file)
                rows.finished(case_file)
                info.cases = case_file.count
                invalid.extend(case_file.notices)
        finally:
            rows.close()
        duplicates.finish()
    for bad, shown, message in opened.unreadable:
        data.inputs.append(InputInfo(shown, bad.sha256, 0, message))
    judge.finish()
    data.inputs.sort(key=lambda info: opened.order.index(info.path)
                     if info.path in opened.order else len(opened.order))
    data.returns_open = judge.merged
    return len(opened.unreadable), invalid


_NA = "N/A where the question applies"  # the kind of the warnings counted past the first


class _Judge:
    """Judge one case: summary, writer, and its N/A warnings (20, then counted)."""

    def __init__(self, data: ReportData, writer: Writer, agency: str | None = None) -> None:
        self.engine = Engine(data.rubric)
        self.columns = ColumnJudge(self.engine)
        self.data = data
        self.writer = writer
        self.printer = Throttle()
        self.merged = False
        self.agency = agency
        model = data.rubric.model
        self.involved = next((n for n, s in model.fields.items() if s.agencies), None)
        self.lead = lead_agency(model)

    def cases(self, cases: list[Case]) -> None:
        """Merged cases, judged in batches of one source (each its lead return)."""
        for source, batch in itertools.groupby(cases, key=lambda case: case.source):
            self.chunk(self.columns.batch(list(batch)), source, None)

    def _own_part(self, chunk: Chunk) -> Chunk:
        """One agency's part: the cases it is involved in (merged: joined), as a chunk."""
        if self.agency is None or self.agency == self.lead:
            return chunk
        involved = chunk.column(self.involved) if self.involved else [()] * len(chunk)
        keep = [row for row, agencies in enumerate(involved) if self.agency in (agencies or ())]
        return chunk if len(keep) == len(chunk) else chunk.subset(keep)

    def chunk(self, chunk: Chunk, shown: str, duplicates: _Duplicates | None) -> None:
        """A chunk judged column by column; warnings come row by row, as for single cases."""
        if duplicates is not None and duplicates.file >= 0:  # every row of a case file
            ids = chunk.column(duplicates.id_name)
            areas = chunk.column(duplicates.area) if duplicates.area else [None] * len(ids)
            for case_id, area, row in zip(ids, areas, chunk.rows, strict=True):
                duplicates.see(str(case_id or ""), area, row)
        chunk = self._own_part(chunk)
        judged = self.columns.judge(chunk)
        counts = judged.na_counts
        printer = self.printer
        for row in (np.flatnonzero(counts).tolist() if counts.any() else ()):
            if printer.counts[_NA] < MAX_PER_KIND:
                for line in judged.warnings(row):
                    printer.line(_NA, f"warning: {shown}: {line}")
            else:  # past the ones shown they are only counted: no line is worded
                printer.count(_NA, int(counts[row]))
        self.data.summary.add_chunk(judged)
        self.writer.chunk(judged)

    def finish(self) -> None:
        self.printer.finish(lambda kind, more: f"warning: … and {more} more '{kind}'")


def _say_concerns(concerns: list[dict[str, Any]], count: int, named: bool = True) -> None:
    """Cases of immediate concern first on stderr, whatever the format: they cannot wait."""
    if not concerns:
        return
    say(f"{count} case(s) of immediate concern (a critical rule not met or silent, or a "
        "limit to Inadequate, case open): take them to the local escalation procedure")
    if not named:  # the learning summary names no case, not even on the terminal
        return
    for item in concerns[:MAX_PER_KIND]:
        say(f"  {item['case_id']} ({item['source']}): {', '.join(item['rules'])}")
    if count > MAX_PER_KIND:
        say(f"  … and {count - MAX_PER_KIND} more (the JSON report lists them all)")


def _warn_missing_columns(shown: str, missing: list[str]) -> None:
    if missing:
        say(f"warning: {shown}: {len(missing)} column(s) the rubric reads are missing, so "
            f"every case is unanswered on them: {', '.join(missing[:8])}"
            + (f" and {len(missing) - 8} more" if len(missing) > 8 else ""))


class _Duplicates:
    """The same (area, case_id) in two inputs that are not agency returns: warned, both scored.

    Warned as found (stderr, 20 then counted) and listed in `summary.duplicates`; areas
    are compared by `label_key` and named as the summary names them, in the spelling used
    most often, settled when the run ends (the summary is written last).
    """

    def __init__(self, data: ReportData, active: bool = True) -> None:
        self.active = active
        fields = data.rubric.model.fields
        self.area = next((n for n, s in fields.items() if s.type == "label"), "")
        self.id_name = id_field(fields)
        self.summary = data.summary
        self.seen = SeenCases()
        self.entries: dict[tuple[str, str], dict[str, Any]] = {}
        self.printer = Throttle()
        self.file = -1

    def open(self, case_file: CaseStream) -> None:
        # A return holds one agency's part of a case that other agencies' returns hold
        # too: returns are merged per child elsewhere, so they are not duplicates here.
        if case_file.agency_return or not self.active:
            self.file = -1
            return
        letter = column_letter(case_file.columns[case_file.id_name])
        self.file = self.seen.open_file(case_file.display, case_file.sheet, letter)

    def see(self, case_id: str, area: Any, row: int) -> None:
        if self.file < 0 or not case_id:
            return
        typed = None if area is None else str(area)
        key = label_key(typed)
        first = self.seen.see(self.file, key, case_id, row)
        if first is None:
            return
        here = self.seen.place(self.file, row)
        entry = self.entries.get((key, case_id))
        if entry is None:
            entry = self.entries[(key, case_id)] = {"area": typed, "case_id": case_id,
                                                    "sources": [first.file]}
            self.summary.duplicates.append(entry)
        if here.file not in entry["sources"]:
            entry["sources"].append(here.file)
        if self.printer.wanted("duplicate"):
            where = f"area '{self.summary.area_name(typed)}'" if key else "no area"
            say(f"warning: {here.file}: {here.cell}: case_id {case_id} ({where}) is also in "
                f"{first.file} at {first.cell}: both scored")

    def finish(self) -> None:
        self.printer.finish(lambda _, more: f"warning: … and {more} more case_id(s) also in "
                            "an earlier input")
        for entry in self.entries.values():
            entry["area"] = self.summary.area_name(entry["area"])
