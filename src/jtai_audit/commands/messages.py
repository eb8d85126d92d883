"""Messages on stderr: one line each, and after 20 of one kind the rest are counted (Throttle)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from ..files import write_atomic
from ..problems import CellProblem
from ..report.throttle import Throttle


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
