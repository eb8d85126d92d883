"""Problems found while checking a rubric, each placed in the file and line that caused it.

A rule may come from the variant or from the rubric it extends: a problem is reported in
whichever file of the `extends` chain holds the offending key.
"""

from __future__ import annotations

from ..problems import Level, LineProblem
from .extends import display_name
from .yamlfile import YamlDocument

SemPath = tuple[str | int, ...]


class Collector:
    """Problems found so far, each placed in the file and at the line that caused it."""

    def __init__(self, chain: list[YamlDocument]) -> None:
        self.chain = chain
        self.problems: list[LineProblem] = []

    def add(self, level: Level, code: str, message: str, sem: SemPath,
            key: bool = False, offset: int | None = None) -> None:
        doc, path = self._find(sem)
        if doc is None:
            doc, line, col = self.chain[0], 1, 1
        elif offset is not None:
            line, col = doc.text_position(path, offset) or (1, 1)
        else:
            line, col = doc.position(path, key=key) or (1, 1)
        self.problems.append(LineProblem(display_name(doc.path), line, col, level, code, message))

    def _find(self, sem: SemPath) -> tuple[YamlDocument | None, SemPath]:
        best: tuple[YamlDocument | None, SemPath, int] = (None, (), -1)
        for doc in self.chain:
            path = _concrete(doc, sem)
            depth = _existing_depth(doc, path)
            if depth == len(path):
                return doc, path
            if depth > best[2] and depth > 0:
                best = (doc, path[:depth], depth)
        return best[0], best[1]


def _concrete(doc: YamlDocument, sem: SemPath) -> SemPath:
    """Turn ('rules', 'VOICE-1', ...) into the list index that rule has in this file."""
    if len(sem) >= 2 and sem[0] == "rules" and isinstance(sem[1], str):
        rules = doc.data.get("rules") if isinstance(doc.data, dict) else None
        if isinstance(rules, list):
            for index, item in enumerate(rules):
                if isinstance(item, dict) and item.get("id") == sem[1]:
                    return ("rules", index, *sem[2:])
        return ("rules", -1, *sem[2:])
    return sem


def _existing_depth(doc: YamlDocument, path: SemPath) -> int:
    for depth in range(len(path), 0, -1):
        if doc.exists(path[:depth]):
            return depth
    return 0


