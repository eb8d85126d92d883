"""`label` values (area, team): one normalisation key, and the near-duplicates `validate` warns of.

Auditors type the same area as `Hillcrest`, `hillcrest ` and `Hillcrest  `: the contract
reads these as one area (trimmed, case-insensitive, runs of spaces collapsed), shown in
the spelling used most often. A real typo (`Hilcrest`) is not merged — guessing would
move cases between areas — but `validate` asks whether it is the same area. Label
values are printable (area names, not free text), so messages quote them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# A label column with more distinct values than this is not a list of areas (a wrong
# column, free text): past it new values are not tracked, so memory stays flat.
MAX_LABELS = 10_000
# The merge warning names this many groups of spellings, then counts the rest.
MAX_MERGED_LISTED = 5


def label_key(value: Any) -> str:
    """The value two labels are compared by; a blank label is `""`, a value of its own.

    The summary groups areas by the same key, so a duplicate found here is a duplicate of
    the areas the report shows.
    """
    return " ".join(_text(value).split()).casefold()


def _text(value: Any) -> str:
    """A cell as typed: `12.0` from a number cell reads as `12`, as the case reader shows it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def tidy(spelling: str) -> str:
    """A spelling as shown: trimmed, runs of spaces collapsed, case kept."""
    return " ".join(spelling.split())


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value was first seen: the file as shown, and its `Sheet!A1` cell."""

    file: str
    sheet: str
    cell: str


@dataclass(slots=True)
class _Label:
    """One label after normalisation: its rows, its spellings and where each first appears."""

    rows: int = 0
    spellings: Counter[str] = field(default_factory=Counter)
    first: dict[str, Place | None] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        """The spelling used most often (the first seen of equals), tidied."""
        return tidy(self.spellings.most_common(1)[0][0])

    @property
    def place(self) -> Place | None:
        """The first cell of this label, whichever spelling it had."""
        return next(iter(self.first.values()), None)


@dataclass(frozen=True, slots=True)
class LabelWarning:
    """A finding about a label column, at a cell; `message` quotes labels only."""

    column: str
    place: Place | None
    message: str


class LabelColumn:
    """Every label of one column seen so far, across all the files of a run."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.labels: dict[str, _Label] = {}

    def add(self, value: Any, place: Place | None = None) -> str:
        """Count one row's value; return its key (blank values are counted but not listed)."""
        key = label_key(value)
        if not key:
            return key
        label = self.labels.get(key)
        if label is None:
            if len(self.labels) >= MAX_LABELS:
                return key
            label = self.labels[key] = _Label()
        spelling = _text(value)
        label.rows += 1
        label.spellings[spelling] += 1
        if spelling not in label.first:
            label.first[spelling] = place
        return key

    def shown(self, key: str, typed: Any = None) -> str:
        """A key's label in its most used spelling; `typed`, tidied, when it is not tracked."""
        label = self.labels.get(key)
        return label.shown if label is not None else tidy(_text(typed))

    def merged(self) -> LabelWarning | None:
        """One warning naming the spellings read as one label, or None when there are none.

        At the first cell of a spelling other than the one shown, where a reader can look.
        """
        groups = [label for label in self.labels.values() if len(label.spellings) > 1]
        if not groups:
            return None
        noun = self.name.replace("_", " ")
        parts = [f"{_listing(list(g.spellings))} are read as one {noun}"
                 for g in groups[:MAX_MERGED_LISTED]]
        rest = len(groups) - MAX_MERGED_LISTED
        more = f" (and {rest} more {noun}s spelt in more than one way)" if rest > 0 else ""
        top = groups[0].spellings.most_common(1)[0][0]
        place = next(p for s, p in groups[0].first.items() if s != top)
        return LabelWarning(self.name, place, f"{self.name}: " + "; ".join(parts) + more)

    def near_duplicates(self) -> Iterator[LabelWarning]:
        """One warning per pair of labels one edit apart, at the rarer label's first cell.

        Of two labels used as often, the one first seen later is taken as the typo.
        """
        order = {key: i for i, key in enumerate(self.labels)}
        found: list[tuple[int, int, str, str]] = []
        for a, b in _near_pairs(list(self.labels)):
            less, more = sorted((a, b), key=lambda k: (self.labels[k].rows, -order[k]))
            found.append((order[less], order[more], less, more))
        noun = self.name.replace("_", " ")
        for _, _, rare_key, common_key in sorted(found):
            rare, common = self.labels[rare_key], self.labels[common_key]
            yield LabelWarning(
                self.name, rare.place,
                f"{self.name}: '{rare.shown}' ({_rows(rare.rows)}) is one letter from "
                f"'{common.shown}' ({_rows(common.rows)}) — the same {noun}?")


def _listing(spellings: list[str]) -> str:
    """`'a' and 'b'`, `'a', 'b' and 'c'`: spellings as typed, spaces kept, so they can be found."""
    quoted = [f"'{s}'" for s in spellings]
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _near_pairs(keys: list[str]) -> set[tuple[str, str]]:
    """Pairs of keys one edit apart, found through shared one-letter deletions.

    Comparing every pair is quadratic; two strings one edit apart always share a string
    made by deleting at most one letter from each, so an index of those finds the
    candidates in linear time, and `one_edit_apart` confirms them.
    """
    index: dict[str, list[str]] = {}
    for key in keys:
        for variant in {key, *(key[:i] + key[i + 1:] for i in range(len(key)))}:
            index.setdefault(variant, []).append(key)
    pairs: set[tuple[str, str]] = set()
    for group in index.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                pair = (a, b) if a < b else (b, a)
                if pair not in pairs and one_edit_apart(a, b):
                    pairs.add(pair)
    return pairs


def one_edit_apart(a: str, b: str) -> bool:
    """True when one letter added, removed or changed turns `a` into `b` (a typo).

    No edit-distance library is a dependency, and a bounded check (Levenshtein at most 1)
    is a dozen lines. Differences that usually mean two real labels are not warned of:
    a changed digit (`Team 1` / `Team 2`) or an edit inside a word shorter than four
    letters (`Team A` / `Team B`, `NE` / `NW`).
    """
    if len(a) < len(b):
        a, b = b, a
    if a == b or len(a) - len(b) > 1:
        return False
    i = 0
    while i < len(b) and a[i] == b[i]:
        i += 1
    same_length = len(a) == len(b)
    if a[i + 1:] != (b[i + 1:] if same_length else b[i:]):
        return False
    changed = a[i] + (b[i] if same_length else "")
    if any(c.isdigit() for c in changed):
        return False
    return max(len(_word_at(a, i)), len(_word_at(b, i))) >= 4


def _word_at(text: str, index: int) -> str:
    """The space-separated word holding `index` (the word before it, on a space)."""
    start = text.rfind(" ", 0, index) + 1
    end = text.find(" ", index)
    return text[start:end if end >= 0 else len(text)]
