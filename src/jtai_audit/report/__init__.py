"""Formatters: a registry of formats, every one behind the same start/case/finish writer.

A command opens a writer for the format asked for, hands it each case as it is judged and
finishes it with the summary. json and jsonl write each case at once (memory stays flat
on a caseload); the other formats are whole documents, kept and rendered at the end.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol

from ..engine.columns import JudgedChunk
from ..engine.judge import CaseResult
from .data import ReportData
from .jsonout import STREAMS

Formatter = Callable[[ReportData], bytes]
Write = Callable[[bytes], None]


class Writer(Protocol):
    """One format's writer: `start` before the first case, `case` for each, `finish` last."""

    def start(self, data: ReportData) -> None: ...

    def case(self, result: CaseResult) -> None: ...

    def chunk(self, judged: JudgedChunk) -> None: ...

    def finish(self, data: ReportData) -> None: ...


class WholeDocument:
    """A format rendered in one piece (table, csv, markdown, html, xlsx): cases are kept."""

    def __init__(self, render: Formatter, write: Write) -> None:
        self.render = render
        self.write = write
        self.results: list[CaseResult] = []

    def start(self, data: ReportData) -> None:
        return None

    def case(self, result: CaseResult) -> None:
        self.results.append(result)

    def chunk(self, judged: JudgedChunk) -> None:
        self.results.extend(judged.case_results())

    def finish(self, data: ReportData) -> None:
        data.results.extend(self.results)
        self.write(self.render(data))


_REGISTRY: dict[str, tuple[str, str]] = {
    "table": ("table", "render"),
    "json": ("jsonout", "render"),
    "jsonl": ("jsonout", "render_lines"),
    "csv": ("csvout", "render"),
    "markdown": ("markdown", "render"),
    "html": ("html", "render"),
    "xlsx": ("xlsx", "render"),
}
FORMATS = tuple(_REGISTRY)


def formatter(name: str) -> Formatter:
    """The format's whole-document renderer, imported on demand (`table` never loads openpyxl)."""
    module_name, function = _REGISTRY[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    found: Formatter = getattr(module, function)
    return found


def open_writer(name: str, write: Write) -> Writer:
    """The writer for a format: streamed where the format allows it, else a whole document."""
    if name in STREAMS:
        return STREAMS[name](write)
    return WholeDocument(formatter(name), write)
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".md": "markdown",
              ".markdown": "markdown", ".html": "html", ".htm": "html", ".xlsx": "xlsx",
              ".txt": "table"}
