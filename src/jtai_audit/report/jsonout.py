"""JSON and JSON Lines: the machine-readable contract, written as cases are scored.

Streaming keeps memory flat on a million-row run: each case is serialised when it is made
and only the summary's counts are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..engine import CaseResult
from .data import ReportData, case_dict

Write = Callable[[bytes], None]


def _dumps(obj: Any, indent: int | None = None) -> str:
    return json.dumps(obj, indent=indent, ensure_ascii=False, default=str)


class JsonStream:
    """`score --format json`: provenance first, the cases as they come, the summary last."""

    def __init__(self, write: Write) -> None:
        self.write = write
        self.count = 0

    def start(self, data: ReportData) -> None:
        head = {"tool": data.tool(), "rubric": data.rubric_block()}
        self.write(_dumps(head, indent=2)[:-2].encode("utf-8") + b',\n  "cases": [')

    def case(self, result: CaseResult) -> None:
        prefix = b"\n    " if self.count == 0 else b",\n    "
        self.write(prefix + _dumps(case_dict(result)).encode("utf-8"))
        self.count += 1

    def finish(self, data: ReportData) -> None:
        tail = {"inputs": data.inputs_block(), "generated_at": data.generated_at,
                "summary": data.summary.to_dict()}
        body = _dumps(tail, indent=2)[1:]
        self.write(b"\n  ],\n" if self.count else b"],\n")
        self.write(body.encode("utf-8") + b"\n")


class JsonLinesStream:
    """`score --format jsonl`: one case object a line, then one summary line."""

    def __init__(self, write: Write) -> None:
        self.write = write

    def start(self, data: ReportData) -> None:
        return None

    def case(self, result: CaseResult) -> None:
        self.write(_dumps({"type": "case", **case_dict(result)}).encode("utf-8") + b"\n")

    def finish(self, data: ReportData) -> None:
        line = {"type": "summary", **data.provenance(), "summary": data.summary.to_dict()}
        self.write(_dumps(line).encode("utf-8") + b"\n")


def _collect(stream_type: type[JsonStream] | type[JsonLinesStream], data: ReportData) -> bytes:
    parts: list[bytes] = []
    stream = stream_type(parts.append)
    stream.start(data)
    for result in data.results:
        stream.case(result)
    stream.finish(data)
    return b"".join(parts)


def render(data: ReportData) -> bytes:
    return _collect(JsonStream, data)


def render_lines(data: ReportData) -> bytes:
    return _collect(JsonLinesStream, data)


STREAMS: dict[str, type[JsonStream] | type[JsonLinesStream]] = {
    "json": JsonStream, "jsonl": JsonLinesStream}
