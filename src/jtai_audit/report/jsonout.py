"""JSON and JSON Lines: the machine-readable contract, written as cases are scored.

Streaming keeps memory flat on a million-row run: each case is serialised when it is made
and only the summary's counts are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..engine.judge import CaseResult
from .data import ReportData, case_dict, result_dict

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
        self.write(prefix + case_json(result))
        self.count += 1

    def finish(self, data: ReportData) -> None:
        tail = {"inputs": data.inputs_block(), "generated_at": data.generated_at,
                "summary": data.summary.to_dict(), **_actions(data)}
        # Compact: the summary of a large run (incomplete cases, priority list) is big, and
        # only the C encoder, used without indent, keeps it quick.
        body = " " + _dumps(tail)[1:]
        self.write(b"\n  ],\n" if self.count else b"],\n")
        self.write(body.encode("utf-8") + b"\n")


class JsonLinesStream:
    """`score --format jsonl`: one case object a line, then one summary line."""

    def __init__(self, write: Write) -> None:
        self.write = write

    def start(self, data: ReportData) -> None:
        return None

    def case(self, result: CaseResult) -> None:
        self.write(b'{"type": "case", ' + case_json(result)[1:] + b"\n")

    def finish(self, data: ReportData) -> None:
        line = {"type": "summary", **data.provenance(), "summary": data.summary.to_dict(),
                **_actions(data)}
        self.write(_dumps(line).encode("utf-8") + b"\n")


def _actions(data: ReportData) -> dict[str, Any]:
    """`actions`, when last round's plan was carried in (`score --actions`)."""
    if data.actions is None:
        return {}
    return {"actions": [a.as_dict() for a in data.actions]}


_RESULTS: dict[tuple[Any, ...], bytes] = {}


def case_json(result: CaseResult) -> bytes:
    """A case as compact JSON.

    Most rule results repeat across cases (the engine reuses them), so each distinct
    result is serialised once and spliced in.
    """
    body = case_dict(result, with_results=False)
    parts = []
    for item in result.results:
        key: tuple[Any, ...] = (item.rule, item.theme, item.outcome, item.evidence,
                                item.unanswered)
        try:
            text = _RESULTS.get(key)
        except TypeError:  # an unhashable value in the evidence: serialise it directly
            text, key = None, ()
        if text is None:
            text = _dumps(result_dict(item)).encode("utf-8")
            if key and len(_RESULTS) < 200_000:
                _RESULTS[key] = text
        parts.append(text)
    head = _dumps(body).encode("utf-8")
    return head[:-3] + b"[" + b", ".join(parts) + b"]}"


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
