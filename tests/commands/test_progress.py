"""A large run shows rows done, rate and time left on a terminal, and nothing in a pipe."""

from __future__ import annotations

import io
import sys
from typing import Any

from jtai_audit.commands import score


def test_a_pipe_gets_no_progress_bar(monkeypatch: Any) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    rows = score._Rows(1_000_000)
    assert rows.progress is None
    rows.advance(5_000)
    rows.close()
    assert sys.stderr.getvalue() == ""


def test_a_terminal_gets_rows_done_and_the_rate(monkeypatch: Any) -> None:
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr(sys, "stderr", terminal)
    rows = score._Rows(30_000)
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
    assert score._Rows(score._Rows.SHOWN_FROM - 1).progress is None
