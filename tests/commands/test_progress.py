"""A large run shows rows done, rate and time left on a terminal, and nothing in a pipe."""

from __future__ import annotations

import io
import sys
from typing import Any

from jtai_audit.commands import progress


def test_a_pipe_gets_no_progress_bar(monkeypatch: Any) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    rows = progress.RowsProgress(1_000_000)
    assert rows.progress is None
    rows.advance(5_000)
    rows.close()
    assert sys.stderr.getvalue() == ""


def test_a_terminal_gets_rows_done_and_the_rate(monkeypatch: Any) -> None:
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", terminal)
    rows = progress.RowsProgress(30_000)
    assert rows.progress is not None
    rows.advance(5_000)
    rows.progress.refresh()
    task = rows.progress.tasks[0]
    assert (task.completed, task.total) == (5_000, 30_000)
    assert "5,000 of 30,000 rows" in rows.progress.columns[2].render(task).plain
    rows.close()


def test_a_small_file_gets_no_progress_bar(monkeypatch: Any) -> None:
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", terminal)
    assert progress.RowsProgress(progress.RowsProgress.SHOWN_FROM - 1).progress is None


def test_the_bar_reaches_the_total_with_rows_that_lack_a_case_id(
        monkeypatch: Any, tmp_path: Any) -> None:
    from jtai_audit.rubric.loader import load_rubric
    from jtai_audit.workbook.reader import CaseStream

    from ..conftest import write_xlsx

    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(progress.RowsProgress, "SHOWN_FROM", 1)
    path = write_xlsx(tmp_path / "c.xlsx", ["case_id", "child_seen"],
                      [["A-1", "Yes"], [None, "No"], ["A-2", "No"], ["A-3", "Yes"]])
    for by_rows in (False, True):
        stream = CaseStream(path, load_rubric(None).model.fields)
        rows = progress.RowsProgress(stream.expected)
        if by_rows:
            for _ in stream.cases():
                rows.reached(stream)
        else:
            for _ in stream.chunks(2):
                rows.reached(stream)
        rows.finished(stream)
        assert rows.progress is not None
        assert rows.progress.tasks[0].completed == rows.progress.tasks[0].total == 4
        rows.close()
