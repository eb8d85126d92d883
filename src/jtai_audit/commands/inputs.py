"""Opening a run's inputs: files of folders, copies read once, returns told from case files.

`score`, `validate` and `merge` take the same inputs. A batch goes on past a file it
cannot read (reported, exit 1); a single file that cannot be read stops the run (exit 2).
Agency returns and whole case files cannot be mixed in one run: a return is one agency's
part of a child's case, a case file is the whole case, and counting both would count the
child twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError, WorkbookError
from ..merge.combine import Merged, merge_returns
from ..merge.returns import AgencyReturn, attribute_file, read_return
from ..report.throttle import Throttle
from ..schema import Rubric
from ..workbook.batch import Input, hash_inputs, iter_inputs
from ..workbook.limits import Limits
from ..workbook.reader import CaseStream
from .messages import same_file, say


@dataclass
class Opened:
    """The readable inputs of a run, and those that could not be read."""

    streams: list[tuple[Input, str, CaseStream]] = field(default_factory=list)
    unreadable: list[tuple[Input, str, str]] = field(default_factory=list)  # shown, message
    order: list[str] = field(default_factory=list)  # every input as shown, in the order given

    @property
    def returns(self) -> bool:
        return any(stream.agency_return for _, _, stream in self.streams)


def input_files(paths: list[Path]) -> list[Path]:
    files = list(iter_inputs(paths))
    if not files:
        raise UsageError("no .xlsx, .xlsm or .csv files found in the paths given")
    return files


def shown_path(item: Input, redact: bool) -> str:
    """An input as outputs name it: its path, or its hash when paths are redacted."""
    if redact:
        return item.sha256[:12] if item.sha256 else "unreadable"
    return str(item.path)


def open_inputs(files: list[Path], model: Rubric, *, sheet: str | None = None,
                limits: Limits | None = None, redact: bool = False,
                progress: Callable[[list[Input]], Iterable[Input]] | None = None,
                unreadable_note: str = "not read", quiet: bool = False) -> Opened:
    """Every input opened (header and pseudonym check); copies skipped with a warning."""
    opened = Opened()
    items = hash_inputs(files)
    for item in progress(items) if progress is not None else items:
        shown = shown_path(item, redact)
        opened.order.append(shown)
        if item.same_as is not None:
            if not quiet:
                say(same_file(shown, shown_path(Input(item.same_as, item.sha256), redact)))
            continue
        try:
            stream = CaseStream(item.path, model.fields, sheet=sheet, display=shown,
                                limits=limits, sha256=item.sha256 or None)
        except WorkbookError as exc:
            if len(files) == 1:
                raise
            if not quiet:
                say(f"error: {exc} ({unreadable_note})")
            opened.unreadable.append((item, shown, exc.message))
            continue
        opened.streams.append((item, shown, stream))
    if opened.returns:
        plain = [shown for _, shown, s in opened.streams if not s.agency_return]
        if plain:
            raise UsageError(f"{plain[0]} has no agency column but other inputs are agency "
                             "returns: give returns and whole case files in separate runs")
    return opened


def merge_opened(opened: Opened, model: Rubric, single: bool, unreadable_note: str = "not read",
                 quiet: bool = False) -> tuple[Merged, list[AgencyReturn]]:
    """Read every return and merge them per child; a malformed return is unreadable."""
    returns: list[AgencyReturn] = []
    for item, shown, stream in opened.streams:
        try:
            returns.append(read_return(stream, model))
        except WorkbookError as exc:
            if single:
                raise
            if not quiet:
                say(f"error: {exc} ({unreadable_note})")
            opened.unreadable.append((item, shown, exc.message))
    merged = merge_returns(returns, model)
    merged.unreadable = [(shown, message) for _, shown, message in opened.unreadable]
    for item, shown, message in opened.unreadable:
        agency = attribute_file(item.path, model)
        if agency is not None:
            merged.read_as[shown] = agency
            merged.mark_unreadable(agency, shown, message)
    return merged, returns


def say_merge(merged: Merged, prefix: str = "warning", agency: str | None = None,
              cells: bool = True) -> None:
    """The merge on stderr: problems with their cells, conflicts and returns awaited.

    Given one `agency` (`score --agency`), only that agency's returns awaited are listed;
    `cells=False` leaves the returns' own cell notices to the caller (`score` reports them
    with a whole case file's, once).
    """
    printer = Throttle()
    for problem in merged.problems:
        if not cells and problem.kind == "invalid":
            continue
        level = "error" if problem.level == "error" else prefix
        printer.line(problem.kind, f"{level}: {problem.file}: {problem}")
    printer.finish(lambda kind, more: f"{prefix}: … and {more} more of this kind ({kind})")
    for case_id, agencies in merged.orphans:
        say(f"{prefix}: case {case_id} is in the {', '.join(agencies)} return(s) but in no "
            "lead-agency return: not scored")
    if merged.conflicts:
        say(f"{prefix}: {len(merged.conflicts)} cell(s) where agencies' records disagree: the "
            "preferred agency's value is used (jtai-audit merge lists them)")
    for awaited, ids in merged.missing.items():
        if agency is not None and awaited != agency:
            continue
        say(f"{prefix}: awaiting the {awaited} return for {len(ids)} case(s): "
            + ", ".join(ids[:10]) + (" …" if len(ids) > 10 else ""))
