"""Many lines of one kind: the first MAX_PER_KIND said, the rest counted in one line.

Shared by the commands (warnings on stderr) and the reports that list problems
(`validate`'s text), so both stop at the same number.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable

MAX_PER_KIND = 20


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


class Throttle:
    """The one printer of many lines: the first MAX_PER_KIND of each kind, the rest counted.

    A blank workbook or a caseload can raise thousands of the same warning; the first of
    each kind says where, and the rest are one line ("… and 4,980 more"), worded by the
    caller (`finish`).
    """

    def __init__(self, emit: Callable[[str], None] = _stderr) -> None:
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
