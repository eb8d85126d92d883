"""YAML with node positions, refused quickly when hostile.

Positions let every rubric problem name its line and column; an event scan before
composing refuses alias bombs and deep nesting before they cost memory or recursion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

MAX_ALIASES = 50
MAX_DEPTH = 50
MAX_BYTES = 5_000_000


class YamlProblem(Exception):
    """A YAML file that cannot be read; line and column are 1-based."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass
class YamlDocument:
    """A loaded YAML document and where it came from.

    `data` comes from the fast (C, when installed) safe loader; the slower round-trip
    loader that knows every node's line and column runs only when a problem needs one.
    """

    path: Path
    text: str
    data: Any
    _positioned: Any = None

    @property
    def nodes(self) -> Any:
        """The document with positions (ruamel's commented containers), loaded on demand."""
        if self._positioned is None:
            self._positioned = YAML(typ="rt", pure=True).load(self.text)
        return self._positioned

    def position(self, path: Sequence[str | int], key: bool = False) -> tuple[int, int] | None:
        """1-based (line, col) of the value at `path` (or of its key), or None if absent."""
        node = self.nodes
        where: tuple[int, int] | None = (1, 1)
        for step in path:
            if isinstance(node, CommentedMap) and step in node:
                line, col = node.lc.key(step) if key else node.lc.value(step)
                where = (line + 1, col + 1)
                node = node[step]
            elif isinstance(node, CommentedSeq) and isinstance(step, int) and step < len(node):
                line, col = node.lc.item(step)
                where = (line + 1, col + 1)
                node = node[step]
            else:
                return where if where != (1, 1) else None
        return where

    def exists(self, path: Sequence[str | int]) -> bool:
        node = self.nodes
        for step in path:
            in_map = isinstance(node, CommentedMap) and step in node
            if in_map or (isinstance(node, CommentedSeq) and isinstance(step, int)
                          and step < len(node)):
                node = node[step]
            else:
                return False
        return True

    def text_position(self, path: Sequence[str | int], offset: int) -> tuple[int, int] | None:
        """Position of character `offset` inside the scalar at `path`, block scalars included."""
        start = self.position(path)
        node = self.nodes
        for step in path:
            node = node[step]
        if start is None or not isinstance(node, str):
            return start
        line, col = start
        if isinstance(node, LiteralScalarString | FoldedScalarString):
            lines = self.text.splitlines()
            body = line  # the first content line follows the indicator line
            indent = len(lines[body]) - len(lines[body].lstrip()) if body < len(lines) else 0
            before = node[:offset]
            return body + 1 + before.count("\n"), indent + 1 + len(before.rsplit("\n", 1)[-1])
        quoted = self.text.splitlines()[line - 1][col - 1:col] in ("'", '"')
        return line, col + offset + (1 if quoted else 0)


def _scan(text: str, name: str) -> None:
    depth = aliases = 0
    try:
        for event in YAML(typ="safe").parse(text):
            if isinstance(event, AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise YamlProblem(f"more than {MAX_ALIASES} aliases: refused (alias bomb?)",
                                      *_mark(event))
            elif isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(f"nested more than {MAX_DEPTH} deep: refused", *_mark(event))
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except MarkedYAMLError as exc:
        raise _problem(exc) from None
    except YAMLError as exc:
        raise YamlProblem(f"not valid YAML in {name}: {type(exc).__name__}") from None


def _mark(event: Any) -> tuple[int, int]:
    mark = getattr(event, "start_mark", None)
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _problem(exc: MarkedYAMLError) -> YamlProblem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return YamlProblem(f"YAML syntax: {exc.problem or exc.context}", line, col)


def load_yaml(path: Path) -> YamlDocument:
    """Read a YAML file with positions; raise `YamlProblem` for anything unreadable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlProblem(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise YamlProblem(f"larger than {MAX_BYTES} bytes: refused")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise YamlProblem("not UTF-8 text") from None
    _scan(text, path.name)
    try:
        data = YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        raise _problem(exc) from None
    except YAMLError as exc:
        raise YamlProblem(f"not valid YAML: {type(exc).__name__}") from None
    return YamlDocument(path, text, data)


def plain(node: Any) -> Any:
    """Ruamel's commented containers as plain dicts, lists and strings."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node
