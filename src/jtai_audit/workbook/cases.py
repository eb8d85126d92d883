"""A case as the engine sees it: typed values, what each cell said, and where it came from."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..schema import FieldSpec, id_field
from ..terms import MEMO_LIMIT, Status
from .cells import TYPOGRAPHIC, Parsed, parse_cell


@dataclass(slots=True)
class Case:
    """One child's case: typed values keyed by field, with each cell's status and reference."""

    case_id: str
    source: str
    row: int
    values: dict[str, Any]
    status: dict[str, Status]
    cells: Mapping[str, str] = field(default_factory=dict)
    agency: str | None = None  # as typed in an agency return's `agency` column

    def label(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None else str(value)

    def unanswered(self, fields: Mapping[str, FieldSpec]) -> list[str]:
        """Columns the auditor has not answered yet (blank or unreadable), in rubric order."""
        return [name for name in fields
                if self.status.get(name) in (Status.UNANSWERED, Status.INVALID)]




def build_case(raw: Mapping[str, Any], fields: Mapping[str, FieldSpec], *, source: str, row: int,
               cells: Mapping[str, str] | None = None, date1904: bool = False,
               on_problem: Any = None, awaited: Collection[str] = ()) -> Case:
    """Read raw cell values into a typed case; `on_problem(field, message)` hears each bad cell.

    `awaited`: fields a merged case file names as still awaited from a return, whose blank
    stays unanswered (a date included) rather than read as a silent record.
    """
    values: dict[str, Any] = {}
    status: dict[str, Status] = {}
    for name, spec in fields.items():
        parsed = read_cell(raw.get(name), spec, date1904)
        values[name] = parsed.value
        status[name] = parsed.status
        if parsed.problem is not None and on_problem is not None:
            on_problem(name, parsed.problem)
    _resolve_blanks(values, status, fields, raw, awaited)
    case_id = str(values.get(_id_field(fields)) or "")
    return Case(case_id, source, row, values, status, cells if cells is not None else {})


def read_cell(cell: Any, spec: FieldSpec, date1904: bool = False) -> Parsed:
    """One cell as a case holds it: a blank's status by the field, a list never None.

    The one reading of a cell, for the row reader and the column reader alike.
    """
    if cell is None or cell == "" or (type(cell) is str and not cell.strip()):
        blank = Status.BLANK if spec.optional or spec.type in ("id", "label", "text") \
            else Status.UNANSWERED
        return Parsed(() if spec.type == "list" else None, blank)
    parsed = _parse(cell, spec, date1904)
    if spec.judgement and parsed.status is Status.NOT_RECORDED:
        # The auditor's own judgement is never answered from silence: not answered yet.
        return Parsed(None, Status.UNANSWERED)
    if parsed.value is None and spec.type == "list":
        return Parsed((), parsed.status, parsed.problem)
    return parsed


# Keyed by the spec's id, with the spec kept beside the result: an id is reused once its
# object is gone (a rubric loaded again in the same process), so a hit must be the same spec.
_PARSED: dict[tuple[int, type, Any, bool], tuple[FieldSpec, Parsed]] = {}


def _parse(raw: Any, spec: FieldSpec, date1904: bool) -> Parsed:
    """parse_cell, remembered: audits repeat the same few words in every row."""
    if spec.type == "text":
        return parse_cell(raw, spec, date1904)
    key = (id(spec), type(raw), raw, date1904)
    found = _PARSED.get(key)
    if found is None or found[0] is not spec:
        if len(_PARSED) >= MEMO_LIMIT:
            _PARSED.clear()
        cell = raw.translate(TYPOGRAPHIC) if isinstance(raw, str) else raw
        found = _PARSED[key] = (spec, parse_cell(cell, spec, date1904))
    return found[1]


class CellRefs(Mapping[str, str]):
    """`Sheet!A1` of each field in one row, made only when a message needs one."""

    __slots__ = ("letters", "row", "sheet")

    def __init__(self, sheet: str, letters: Mapping[str, str], row: int) -> None:
        self.sheet = sheet
        self.letters = letters
        self.row = row

    def __getitem__(self, name: str) -> str:
        return f"{self.sheet}!{self.letters[name]}{self.row}"

    def __iter__(self) -> Iterator[str]:
        return iter(self.letters)

    def __len__(self) -> int:
        return len(self.letters)


def _resolve_blanks(values: dict[str, Any], status: dict[str, Status],
                    fields: Mapping[str, FieldSpec], present: Mapping[str, Any],
                    awaited: Collection[str] = ()) -> None:
    """Blank dates are silent records; `blank_means` and `blank_ok_if` turn blanks into answers.

    Only a blank date *in* a column says the record holds no date; a column the file
    lacks (or a return that never came) is unknown, dates included.
    """
    for name, spec in fields.items():
        if status[name] is not Status.UNANSWERED or name in awaited:
            continue
        found = resolve_blank(spec, values[name], lambda k: (
            values.get(k), status.get(k, Status.UNANSWERED)), name in present)
        if found is not None:
            values[name], status[name] = found


def resolve_blank(spec: FieldSpec, value: Any, other: Callable[[str], tuple[Any, Status]],
                  present: bool) -> tuple[Any, Status] | None:
    """An unanswered cell read again with its row (`other(field)`), or None if it stays.

    `blank_ok_if` makes it a blank answer, `blank_means` takes another cell's answer, and
    a blank date in a column the file has says the record holds no date.
    """
    if spec.blank_ok_if and all(_holds(other(k)[0], v) for k, v in spec.blank_ok_if.items()):
        return value, Status.BLANK
    if spec.blank_means is not None:
        return other(spec.blank_means)
    if spec.type == "date" and present:
        return value, Status.NOT_RECORDED
    return None


def _holds(value: Any, wanted: str | list[str]) -> bool:
    return value in wanted if isinstance(wanted, list) else value == wanted


def _id_field(fields: Mapping[str, FieldSpec]) -> str:
    return id_field(fields)
