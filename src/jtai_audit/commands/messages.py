"""Messages on stderr: one line each, and after 20 of one kind the rest are counted."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from ..files import write_atomic
from ..problems import CellProblem

MAX_PER_KIND = 20


def say(message: str) -> None:
    """One line on stderr."""
    print(message, file=sys.stderr)


def same_file(shown: str, first: str) -> str:
    """The warning for an input whose bytes equal an earlier input's (it is read once).

    Redacted paths are hash prefixes, so two identical files show the same name.
    """
    if shown == first:
        return f"warning: {shown} is given twice (the same file): read once"
    return f"warning: {shown} is the same file as {first}: read once"


class Throttle:
    """The one printer of many lines: the first MAX_PER_KIND of each kind, the rest counted.

    A blank workbook or a caseload can raise thousands of the same warning; the first of
    each kind says where, and the rest are one line ("… and 4,980 more"), worded by the
    caller (`finish`).
    """

    def __init__(self, emit: Callable[[str], None] = say) -> None:
        self.emit = emit
        self.counts: Counter[str] = Counter()

    def wanted(self, kind: str) -> bool:
        """Count one line of this kind; True while it is still to be said."""
        self.counts[kind] += 1
        return self.counts[kind] <= MAX_PER_KIND

    def line(self, kind: str, text: str) -> None:
        if self.wanted(kind):
            self.emit(text)

    def count(self, kind: str, lines: int) -> None:
        """Lines past the ones said, counted without being worded."""
        self.counts[kind] += lines

    def finish(self, word: Callable[[str, int], str]) -> None:
        """One line per kind with lines left unsaid: `word(kind, how many)`."""
        for kind, count in self.counts.items():
            if count > MAX_PER_KIND:
                self.emit(word(kind, count - MAX_PER_KIND))


def report_notices(notices: Iterable[CellProblem], prefix: str = "warning") -> int:
    """Print notices (20 of each kind, then a count); return how many there were."""
    printer = Throttle()
    total = 0
    for notice in notices:
        total += 1
        printer.line(notice.message.split(" (")[0].split(" —")[0],
                     f"{prefix}: {notice.file}: {notice}")
    printer.finish(lambda kind, more: f"{prefix}: … and {more} more '{kind}' in the same run")
    return total


def emit(payload: bytes, output: Path | None) -> None:
    """Machine output to stdout, or to `output` atomically (owner-only)."""
    if output is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    else:
        write_atomic(output, payload)
        say(f"wrote {output}")
