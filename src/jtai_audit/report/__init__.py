"""The score report's formats, every one behind the same start/case/finish writer.

A command opens a writer for the format asked for, hands it each case as it is judged and
finishes it with the summary. json and jsonl write each case at once (memory stays flat
on a caseload); the other formats are whole documents, kept and rendered at the end.
Which formats there are, and their renderers, is `report.formats` (every report's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..engine.columns import JudgedChunk
from ..engine.judge import CaseResult, concern_rules
from .data import ReportData
from .formats import renderer
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
    """A format rendered in one piece (table, csv, markdown, html, xlsx).

    A report people read lists at most `listed` cases: those a meeting looks at first (a
    critical rule not met, then the lowest scores), shown in the order they were read,
    with the count of the rest; only csv (listed=None) keeps every case. Memory then stays
    flat however many cases are scored.
    """

    def __init__(self, render: Formatter, write: Write, listed: int | None = None) -> None:
        self.render = render
        self.write = write
        self.listed = listed
        self.results: list[CaseResult] = []
        self._kept: list[tuple[tuple[int, float, int], CaseResult]] = []
        self._worst_kept: tuple[int, float, int] | None = None
        self.seen = 0

    def start(self, data: ReportData) -> None:
        return None

    def case(self, result: CaseResult) -> None:
        self._offer(_rank(result.concern_rules, result.score, self.seen), lambda: result)
        self.seen += 1

    def chunk(self, judged: JudgedChunk) -> None:
        for row in range(len(judged)):
            limits = judged.limits[row]
            flagged = concern_rules(judged.capped_by[row], limits) if limits \
                else judged.capped_by[row]
            key = _rank(flagged, judged.scores[row], self.seen)
            self._offer(key, lambda row=row: judged.case_result(row))  # type: ignore[misc]
            self.seen += 1

    def _offer(self, key: tuple[int, float, int], result: Callable[[], CaseResult]) -> None:
        if self.listed is None:
            self.results.append(result())
            return
        if self._worst_kept is not None and key >= self._worst_kept:
            return  # a full list, and this case would come after every case on it
        self._kept.append((key, result()))
        if len(self._kept) >= 2 * max(self.listed, 1):
            self._trim()

    def _trim(self) -> None:
        assert self.listed is not None
        self._kept.sort(key=lambda item: item[0])
        del self._kept[self.listed:]
        if len(self._kept) >= self.listed:
            self._worst_kept = self._kept[-1][0] if self._kept else (-1, -1.0, -1)

    def finish(self, data: ReportData) -> None:
        if self.listed is not None:
            self._trim()
            self.results = [result for _, result in sorted(self._kept, key=lambda i: i[0][2])]
            data.cases_not_listed = self.seen - len(self.results)
        data.results.extend(self.results)
        self.write(self.render(data))


def _rank(capped: list[str], score: float | None, seen: int) -> tuple[int, float, int]:
    """Cases a meeting reads first: of immediate concern, then the lowest score."""
    return (0 if capped else 1, 101.0 if score is None else score, seen)


def formatter(name: str) -> Formatter:
    """The score format's whole-document renderer, from the one registry of formats."""
    found: Formatter = renderer("score", name)
    return found


def open_writer(name: str, write: Write, listed: int | None = None) -> Writer:
    """The writer for a format: streamed where the format allows it, else a whole document.

    `listed` bounds the cases a report people read keeps; csv always keeps every case.
    """
    if name in STREAMS:
        return STREAMS[name](write)
    return WholeDocument(formatter(name), write, None if name == "csv" else listed)
