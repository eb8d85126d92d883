"""Problems as frozen, ordered value objects, one type per kind of position.

A rubric problem sits at `file:line:col`; a case-file problem at a `Sheet!A1` cell. Both
are values, so tests compare whole lists and reports sort them the same way every time.
No problem ever carries a cell's content: only where it is and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True, slots=True)
class LineProblem:
    """One finding about a rubric file, ordered by file, line and column."""

    file: str
    line: int
    col: int
    level: Level
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.level} {self.code}: {self.message}"


@dataclass(frozen=True, order=True, slots=True)
class CellProblem:
    """One finding about a case file: `cell` is `Sheet!A1` (`Sheet!1:1` for the header row)."""

    file: str
    sheet: str
    cell: str
    column: str
    message: str
    level: Level = "error"
    kind: str = "invalid"

    def __str__(self) -> str:
        """`Cases!F14 (child_seen): not an answer…`: the cell, then the column's name."""
        if not self.cell:
            return self.message
        column = f" ({self.column})" if self.column else ""
        return f"{self.cell}{column}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "sheet": self.sheet, "cell": self.cell,
                "column": self.column, "message": self.message}
