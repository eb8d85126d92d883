"""The one way a case sheet's rows are read: by `score`, `validate`, `sample` and `template`.

Every tool that reads a sheet of cases must agree on three things, or a file `validate`
passes is one `score` reads differently: which rows are blank (skipped, never a case),
what a row's case id is (the text `score` reports), and when an id is missing, repeated
or looks like a real identity. Each tool decides how loudly to say it — the reader
drops the row with a notice, `validate` lists an error, `sample` refuses the list — but
the rule and its words are here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from ..errors import WorkbookError
from ..schema import FieldSpec, id_field
from .cells import TYPOGRAPHIC
from .limits import Limits, column_letter
from .pseudonyms import pseudonym_problem
from .sheets import AWAITING_COLUMN, Sheet, header_key, id_header_hint, read_sheet

AGENCY_COLUMN = "agency"


def blank_row(row: list[Any]) -> bool:
    """A row with nothing in it but spaces: skipped, never a case."""
    return not any(c is not None and str(c).strip() for c in row)


def id_text(value: Any) -> str:
    """A case id as `score` reports it, one rule for every tool.

    ` EB-001 ` is trimmed, a curly apostrophe made straight, and the number 1001 that
    Excel stores as 1001.0 read as `1001`.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = value if isinstance(value, str) else str(value)
    return text.translate(TYPOGRAPHIC).strip()


class IdKind(Enum):
    """What is wrong with a row's case id."""

    MISSING = "missing"
    IDENTIFYING = "identifying"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class IdProblem:
    """What is wrong with an id, in words each tool then says at its own level."""

    kind: IdKind
    message: str


class IdCheck:
    """Missing, identifying and repeated case ids down one sheet, in one set of words.

    `place` names row n where a message points back to it (`Cases!A3`, or `line 3` of a
    text file of ids). Each id's first row is remembered as a number, not a cell name, so
    a million ids fit.
    """

    def __init__(self, name: str, place: Callable[[int], str]) -> None:
        self.name = name
        self.cell = place
        self.seen: dict[str, int] = {}

    def __call__(self, text: str, number: int, *, pseudonym: bool = True) -> IdProblem | None:
        """The problem with row `number`'s id (already `id_text`), if any.

        `pseudonym=False` skips the identity check for a reader that refused identifying
        ids on an earlier pass over the sheet.
        """
        if not text:
            return IdProblem(IdKind.MISSING, f"no {self.name}")
        if pseudonym:
            problem = pseudonym_problem(text, self.name)
            if problem is not None:
                return IdProblem(IdKind.IDENTIFYING, problem)
        first = self.seen.get(text)
        if first is None:
            self.seen[text] = number
            return None
        return IdProblem(IdKind.DUPLICATE, f"duplicate {self.name} (first at {self.cell(first)})")


class CaseRows:
    """A case sheet opened against a rubric's fields: its header matched, its rows to read.

    Opening reads only the header; `numbered()` streams the rows after it, so a
    million-row CSV is never held whole.
    """

    def __init__(self, path: Path, fields: Mapping[str, FieldSpec], *, sheet: str | None = None,
                 display: str | None = None, limits: Limits | None = None) -> None:
        self.path = path
        self.fields = fields
        self.limits = limits or Limits()
        self.display = display or str(path)
        self.data: Sheet = read_sheet(path, sheet, self.limits)
        self.header: list[Any] = next(self.data.iter_rows(), [])
        self.columns, unknown = match_columns(self.header, fields)
        self.id_name = id_field(fields)
        # A return's own column, and a merged file's cells still awaited: not unknown.
        self.unknown = [(text, i) for text, i in unknown
                        if header_key(text) not in (AGENCY_COLUMN, AWAITING_COLUMN)]
        self.awaiting_index = next((i for text, i in unknown
                                    if header_key(text) == AWAITING_COLUMN), None)
        self.agency_index = next((i for i, cell in enumerate(self.header) if cell is not None
                                  and header_key(str(cell)) == AGENCY_COLUMN), None)
        self.letters = {name: column_letter(i) for name, i in self.columns.items()}

    @property
    def sheet(self) -> str:
        return self.data.name

    @property
    def agency_return(self) -> bool:
        """An `agency` column makes the workbook one agency's return."""
        return self.agency_index is not None

    def id_hint(self) -> str:
        """" — is 'Case Ref' the case id? …" when the id column was not found."""
        return id_header_hint([text for text, _ in self.unknown], self.id_name)

    def require_header(self) -> None:
        """Refuse a sheet with no header row, too wide a one, or none naming the id column."""
        if not any(c is not None and str(c).strip() for c in self.header):
            raise WorkbookError(f"no header row in {self.sheet}!1:1", self.display)
        if len(self.header) > self.limits.max_columns:
            raise WorkbookError(f"{len(self.header):,} columns: more than the "
                                f"{self.limits.max_columns:,} allowed (raise it with "
                                "--max-columns)", self.display)
        if self.id_name not in self.columns:
            raise WorkbookError(f"no {self.id_name} column in the header row "
                                f"{self.sheet}!1:1{self.id_hint()}", self.display)

    def id_check(self) -> IdCheck:
        """A fresh check of this sheet's ids (call `require_header` first)."""
        sheet, letter = self.sheet, self.letters[self.id_name]
        return IdCheck(self.id_name, lambda number: f"{sheet}!{letter}{number}")

    def numbered(self) -> Iterator[tuple[int, list[Any]]]:
        """Each non-blank row after the header with its row number in the sheet."""
        for number, row in enumerate(self.data.iter_rows(), start=1):
            if number > 1 and not blank_row(row):
                yield number, row

    def case_id(self, row: list[Any]) -> str:
        index = self.columns[self.id_name]
        return id_text(row[index] if index < len(row) else None)


def match_columns(header: list[Any], fields: Mapping[str, FieldSpec]) -> tuple[
        dict[str, int], list[tuple[str, int]]]:
    """Map each declared field to its column; return the unknown headers and their indexes."""
    lookup: dict[str, str] = {}
    for name, spec in fields.items():
        lookup[header_key(name)] = name
        for alias in spec.aliases:
            lookup.setdefault(header_key(alias), name)
    columns: dict[str, int] = {}
    unknown: list[tuple[str, int]] = []
    for index, cell in enumerate(header):
        text = "" if cell is None else str(cell)
        if not text.strip():
            continue
        found = lookup.get(header_key(text))
        if found is None:
            unknown.append((text, index))
        elif found not in columns:
            columns[found] = index
    return columns, unknown
