"""Progress on stderr while a large run is scored: files, then rows, a rate, time left.

Shown only on a terminal, and only for runs long enough to need it; a pipe or a CI log
gets nothing, so outputs stay the same bytes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
    track,
)
from rich.text import Text

from ..workbook.batch import Input
from ..workbook.reader import CaseStream


class _Rate(ProgressColumn):
    """Rows a second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f}/s")


class RowsProgress:
    """Rows done, rate and time left on stderr while a large run is scored (a terminal only)."""

    SHOWN_FROM = 20_000

    def __init__(self, total: int) -> None:
        self.progress: Progress | None = None
        self._at = 0  # rows of the current file already counted
        if total >= self.SHOWN_FROM and sys.stderr.isatty():
            self.progress = Progress(
                TextColumn("Scoring"), BarColumn(bar_width=24),
                TextColumn("{task.completed:,.0f} of {task.total:,.0f} rows"), _Rate(),
                TimeRemainingColumn(), console=Console(stderr=True), transient=True)
            self.task = self.progress.add_task("Scoring", total=total)
            self.progress.start()

    def advance(self, rows: int) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, rows)

    def reached(self, stream: CaseStream) -> None:
        """The rows this file has read so far, those without a case_id included."""
        if self.progress is not None and stream.consumed > self._at:
            self.advance(stream.consumed - self._at)
            self._at = stream.consumed

    def finished(self, stream: CaseStream) -> None:
        self.reached(stream)
        self._at = 0

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def files_progress(files: list[Input]) -> Iterator[Input]:
    """A progress bar on stderr while files are read, only when stderr is a terminal."""
    if len(files) < 2 or not sys.stderr.isatty():
        yield from files
        return
    yield from track(files, description="Scoring", console=Console(stderr=True),
                     transient=True)
