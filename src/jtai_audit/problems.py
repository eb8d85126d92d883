"""Rubric problems as frozen, ordered value objects, so tests compare whole lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    """One finding about a rubric file, ordered by file, line and column."""

    file: str
    line: int
    col: int
    level: Level
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.level} {self.code}: {self.message}"
