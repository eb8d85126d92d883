"""JSON and JSON Lines: the machine-readable contract, written as cases are scored.

Streaming keeps memory flat on a million-row run: each case is serialised when it is made
and only the summary's counts are kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring
from typing import Any

import numpy as np

from ..engine.columns import JudgedChunk
from ..engine.grading import LimitReached, binding
from ..engine.judge import CaseResult, RuleResult
from ..terms import MEMO_LIMIT
from .data import ReportData, case_dict, result_dict
from .summary_json import SPLICED, spliced, summary_dict

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

    def chunk(self, judged: JudgedChunk) -> None:
        """A chunk of cases, each line made from the chunk's pre-serialised parts."""
        lines = list(chunk_json(judged))
        if not lines:
            return
        prefix = b"\n    " if self.count == 0 else b",\n    "
        self.write(prefix + b",\n    ".join(lines))
        self.count += len(lines)

    def finish(self, data: ReportData) -> None:
        tail = {"inputs": data.inputs_block(), "generated_at": data.generated_at,
                "summary": summary_dict(data.summary, stream=True), **_actions(data)}
        # Compact: the summary of a large run (incomplete cases, priority list) is big, and
        # only the C encoder, used without indent, keeps it quick.
        body = " " + _dumps(tail)[1:]
        self.write(b"\n  ],\n" if self.count else b"],\n")
        _write_spliced(self.write, body + "\n", data)


class JsonLinesStream:
    """`score --format jsonl`: one case object a line, then one summary line."""

    def __init__(self, write: Write) -> None:
        self.write = write

    def start(self, data: ReportData) -> None:
        return None

    def case(self, result: CaseResult) -> None:
        self.write(b'{"type": "case", ' + case_json(result)[1:] + b"\n")

    def chunk(self, judged: JudgedChunk) -> None:
        lines = [b'{"type": "case", ' + line[1:] + b"\n" for line in chunk_json(judged)]
        self.write(b"".join(lines))

    def finish(self, data: ReportData) -> None:
        line = {"type": "summary", **data.provenance(),
                "summary": summary_dict(data.summary, stream=True), **_actions(data)}
        _write_spliced(self.write, _dumps(line) + "\n", data)


def _write_spliced(write: Write, text: str, data: ReportData) -> None:
    """The summary's text, with each complete list written item by item where it is marked.

    A caseload's concern and priority lists can hold hundreds of thousands of cases; they
    are streamed from the summary (memory, then disk) into the same bytes `json.dumps`
    would give for the whole list.
    """
    places = sorted((text.find(_dumps(marker)), key) for key, marker in SPLICED.items()
                    if _dumps(marker) in text)
    start = 0
    for at, key in places:
        write(text[start:at].encode("utf-8"))
        write(b"[")
        for number, item in enumerate(spliced(data.summary, key)):
            write(item if number == 0 else b", " + item)
        write(b"]")
        start = at + len(_dumps(SPLICED[key]))
    write(text[start:].encode("utf-8"))


def _actions(data: ReportData) -> dict[str, Any]:
    """`actions`, when last round's plan was carried in (`score --actions`)."""
    if data.actions is None:
        return {}
    return {"actions": [a.as_dict() for a in data.actions]}


_RESULTS: dict[tuple[Any, ...], bytes] = {}


def _result_json(result: RuleResult) -> bytes:
    """One rule result as JSON; the same result met again is not serialised again."""
    key: tuple[Any, ...] = (result.rule, result.theme, result.outcome, result.evidence,
                            result.unanswered, result.out_of_order)
    try:
        text = _RESULTS.get(key)
    except TypeError:  # an unhashable value in the evidence: serialise it directly
        text, key = None, ()
    if text is None:
        text = _dumps(result_dict(result)).encode("utf-8")
        if key and len(_RESULTS) < MEMO_LIMIT:
            _RESULTS[key] = text
    return text


def case_json(result: CaseResult) -> bytes:
    """A case as compact JSON.

    Most rule results repeat across cases (the engine reuses them), so each distinct
    result is serialised once and spliced in.
    """
    body = case_dict(result, with_results=False)
    parts = [_result_json(item) for item in result.results]
    head = _dumps(body).encode("utf-8")
    return head[:-3] + b"[" + b", ".join(parts) + b"]}"


_TEXT: dict[Any, bytes] = {}


def _text(value: Any) -> bytes:
    """A small repeated value (area, grade, list of rules) as JSON, remembered."""
    key = tuple(value) if isinstance(value, list) else value
    found = _TEXT.get(key)
    if found is None:
        found = _dumps(value).encode("utf-8")
        if len(_TEXT) < MEMO_LIMIT:
            _TEXT[key] = found
    return found


def chunk_json(judged: JudgedChunk) -> Iterator[bytes]:
    """Each case of a chunk as `case_json` writes it, byte for byte, from shared parts."""
    rows = len(judged)
    columns = []
    for distinct, index in zip(judged.distinct, judged.index, strict=True):
        parts = []
        for item in distinct:
            text = item.serialised
            if text is None:
                text = item.serialised = _result_json(item.result)
            parts.append(text)
        table = np.empty(len(parts), dtype=object)
        table[:] = parts
        columns.append(table[index].tolist())
    source = b', "source": ' + _text(judged.source) + b', "row": '
    numbers = judged.chunk.rows
    per_row = zip(*columns, strict=True) if columns else iter([()] * rows)
    for row, results in zip(range(rows), per_row, strict=True):
        score = judged.scores[row]
        unanswered = judged.unanswered[row]
        yield b"".join((
            b'{"case_id": ', encode_basestring(judged.case_ids[row]).encode("utf-8"),
            b', "area": ', _text(judged.areas[row]), source, str(numbers[row]).encode(),
            b', "score": ', b"null" if score is None else repr(round(score, 1)).encode(),
            b', "grade": ', _text(judged.grades[row]),
            b', "band_grade": ', _text(judged.bands[row]),
            b', "limited_by": ', _limits(binding(judged.limits[row], judged.bands[row])),
            b', "provisional": ', b"true" if unanswered else b"false",
            b', "capped_by": ', _text(judged.capped_by[row]),
            b', "auditor_grade": ', _text(judged.auditor[row]),
            b', "complete": ', b"false" if unanswered else b"true",
            b', "unanswered": ', _text(unanswered),
            b', "results": [', b", ".join(results), b"]}"))


def _limits(limits: list[LimitReached]) -> bytes:
    if not limits:
        return b"[]"
    return _dumps([limit.to_dict() for limit in limits]).encode("utf-8")


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
