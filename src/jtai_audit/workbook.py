"""Case-file workbooks (.xlsx, .xlsm, .csv) → typed cases, every problem at its `Sheet!A1` cell.

xlsx is read with python-calamine (Rust; several times faster than openpyxl on large
sheets). Messages never quote a cell's content: a name typed into the wrong cell must
not reach a log.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cases import Case, Notice, build_case
from .errors import WorkbookError
from .models import FieldSpec

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
READABLE_SUFFIXES = (*WORKBOOK_SUFFIXES, ".csv")
MAX_LISTED = 20


@dataclass(frozen=True)
class Limits:
    """Limits on what a workbook may hold; each has a CLI option to raise it."""

    max_file_bytes: int = 500_000_000
    max_rows: int = 2_000_000
    max_columns: int = 1_000
    max_cell_chars: int = 32_767


def header_key(text: str) -> str:
    """Headers match case-insensitively with spaces, hyphens and underscores alike.

    Brackets, '?', ':' and '.' count as spaces too: headers typed by hand read
    `Child age (years)` or `Child seen?`, often with a line break inside the cell.
    """
    return re.sub(r"[\s_\-()?:.]+", "_", str(text).strip().lower()).strip("_")


def column_letter(index: int) -> str:
    """0-based column index → spreadsheet letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def looks_like_nhs_number(value: str) -> bool:
    """Ten digits passing the NHS modulus-11 check (spaces and hyphens allowed)."""
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:['’-][A-Za-z][a-z]*)*$")


def looks_like_name(value: str) -> bool:
    """Two or more capitalised words, as a person's name is written."""
    words = value.split()
    return len(words) >= 2 and all(_NAME_WORD.match(w) for w in words)


@dataclass
class Sheet:
    """A sheet's cells as Python values, with the name used in cell references."""

    name: str
    rows: list[list[Any]]
    date1904: bool = False


@dataclass
class CaseFile:
    """A workbook read against a rubric's fields: its cases and every problem found."""

    path: Path
    display: str
    sheet: str
    sha256: str
    columns: dict[str, int]
    unknown_columns: list[tuple[str, str]]
    cases: list[Case]
    notices: list[Notice] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def invalid(self) -> list[Notice]:
        return [n for n in self.notices if n.kind == "invalid"]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_sheet(path: Path, sheet: str | None, limits: Limits = Limits()) -> Sheet:
    """The sheet holding the cases, as rows of Python values; WorkbookError when unreadable."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise WorkbookError("no such file", str(path))
    if path.is_dir():
        raise WorkbookError("is a folder, not a workbook", str(path))
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError("empty file: no header row", str(path))
    if size > limits.max_file_bytes:
        raise WorkbookError(f"larger than the {limits.max_file_bytes:,}-byte limit "
                            "(raise it with --max-file-bytes)", str(path))
    if suffix == ".csv":
        return _read_csv(path, limits)
    if suffix in WORKBOOK_SUFFIXES:
        return _read_xlsx(path, sheet, limits)
    if suffix in (".xls", ".ods", ".numbers"):
        raise WorkbookError(f"{suffix} workbooks are not read: save it as .xlsx or .csv", str(path))
    raise WorkbookError("not a case-file workbook (.xlsx, .xlsm or .csv expected)", str(path))


def _read_csv(path: Path, limits: Limits) -> Sheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise WorkbookError("not readable text (UTF-8 or Windows-1252 expected)",
                                str(path)) from None
    if "\x00" in text:
        raise WorkbookError("not readable text (binary content in a .csv)", str(path))
    first = text.split("\n", 1)[0]
    unquoted = re.sub(r'"[^"]*"', "", first)
    delimiter = ";" if unquoted.count(";") > unquoted.count(",") else ","
    csv.field_size_limit(max(limits.max_cell_chars * 4, 131072))
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise WorkbookError(f"not a readable CSV ({exc})", str(path)) from None
    return Sheet(path.name, rows)


def _read_xlsx(path: Path, sheet: str | None, limits: Limits) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    from .zipguard import check_zip

    check_zip(path, limits)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except CalamineError as exc:
        raise WorkbookError(_calamine_reason(exc), str(path)) from None
    except Exception:  # calamine raises plain exceptions for some corrupt files
        raise WorkbookError("not a readable .xlsx workbook", str(path)) from None
    with book:
        visible = [m.name for m in book.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
        name = _choose_sheet(book, visible, sheet, path)
        try:
            data = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except CalamineError as exc:
            raise WorkbookError(_calamine_reason(exc), f"{path}:{name}") from None
    return Sheet(name, data, _uses_1904(path))


def _uses_1904(path: Path) -> bool:
    """The 1904 date system (old Mac Excel, some LibreOffice files) shifts plain serials.

    calamine converts date-formatted cells itself; a date typed into a General cell comes
    back as a bare serial, which only the workbook's own flag can place on the calendar.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            head = archive.read("xl/workbook.xml")[:4096].decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return False
    return re.search(r"<(?:\w+:)?workbookPr\b[^>]*\bdate1904=\"(?:1|true)\"", head) is not None


def _calamine_reason(exc: Exception) -> str:
    kind = type(exc).__name__
    if kind == "PasswordError":
        return "the workbook is encrypted: remove the password and save it again"
    if kind == "ZipError":
        return "not a readable .xlsx workbook (damaged or not a zip file)"
    if kind == "XmlError":
        return "not a readable .xlsx workbook (damaged XML inside)"
    return "not a readable .xlsx workbook"


def _choose_sheet(book: Any, visible: list[str], sheet: str | None, path: Path) -> str:
    if sheet is not None:
        if sheet not in book.sheet_names:
            raise WorkbookError(f"no sheet named '{sheet}' (sheets: {', '.join(visible)})",
                                str(path))
        return sheet
    if "Cases" in book.sheet_names:
        return "Cases"
    found = []
    for name in visible:
        header = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=1)
        if header and any(header_key(str(c)) == "case_id" for c in header[0]):
            found.append(name)
    if len(found) == 1:
        return found[0]
    reason = "several sheets have" if found else "no visible sheet has"
    raise WorkbookError(f"no sheet named 'Cases' and {reason} a case_id header: "
                        "choose one with --sheet", str(path))


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


class _Notices:
    """Problems of one file: after MAX_LISTED of one kind the rest are counted, not listed."""

    def __init__(self, display: str, sheet: str) -> None:
        self.display = display
        self.sheet = sheet
        self.items: list[Notice] = []
        self.counts: Counter[str] = Counter()

    def add(self, cell: str, column: str, message: str, kind: str = "invalid") -> None:
        self.items.append(Notice(self.display, self.sheet, cell, column, message, kind))


def load_case_file(path: Path, fields: Mapping[str, FieldSpec], *, sheet: str | None = None,
                   display: str | None = None, limits: Limits = Limits()) -> CaseFile:
    """Read one workbook against the rubric's fields; refuse it when case_id is not a pseudonym."""
    shown = display or str(path)
    data = read_sheet(path, sheet, limits)
    digest = sha256_of(path)
    rows = data.rows
    if not rows or not any(c not in (None, "") for c in rows[0]):
        raise WorkbookError(f"no header row in {data.name}!1:1", shown)
    header = rows[0]
    if len(header) > limits.max_columns:
        raise WorkbookError(f"{len(header):,} columns: more than the {limits.max_columns:,} "
                            "allowed (raise it with --max-columns)", shown)
    if len(rows) - 1 > limits.max_rows:
        raise WorkbookError(f"more than {limits.max_rows:,} rows (raise it with --max-rows)", shown)
    columns, unknown = match_columns(header, fields)
    id_name = next((n for n, s in fields.items() if s.type == "id"), "case_id")
    if id_name not in columns:
        raise WorkbookError(f"no {id_name} column in the header row {data.name}!1:1", shown)
    notices = _Notices(shown, data.name)
    _refuse_identifiers(rows, columns[id_name], data.name, shown, limits)
    cases: list[Case] = []
    seen: dict[str, str] = {}
    letters = {name: column_letter(i) for name, i in columns.items()}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c is not None and str(c).strip() for c in row):
            continue
        raw = {name: (row[i] if i < len(row) else None) for name, i in columns.items()}
        _check_lengths(raw, letters, number, data.name, shown, limits)

        def problem(name: str, message: str, number: int = number) -> None:
            notices.add(f"{letters[name]}{number}", name, message)

        case = build_case(raw, fields, source=shown, row=number,
                          cells={n: f"{data.name}!{letters[n]}{number}" for n in columns},
                          date1904=data.date1904, on_problem=problem)
        id_cell = f"{letters[id_name]}{number}"
        if not case.case_id:
            notices.add(id_cell, id_name, "no case_id: the row is not scored")
            continue
        if case.case_id in seen:
            notices.add(id_cell, id_name, f"duplicate case_id (first at {seen[case.case_id]})")
        else:
            seen[case.case_id] = f"{data.name}!{id_cell}"
        cases.append(case)
    missing = [n for n, s in fields.items() if n not in columns and not s.optional]
    result = CaseFile(path, shown, data.name, digest, columns,
                      [(text, column_letter(i)) for text, i in unknown], cases, notices.items,
                      missing)
    return result


def _refuse_identifiers(rows: list[list[Any]], index: int, sheet: str, shown: str,
                        limits: Limits) -> None:
    for number, row in enumerate(rows[1:], start=2):
        value = row[index] if index < len(row) else None
        if value is None:
            continue
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        cell = f"{sheet}!{column_letter(index)}{number}"
        if looks_like_nhs_number(text):
            raise WorkbookError(f"{cell}: case_id looks like an NHS number; use a pseudonym", shown)
        if looks_like_name(text.strip()):
            raise WorkbookError(f"{cell}: case_id looks like a person's name; use a pseudonym",
                                shown)


def _check_lengths(raw: Mapping[str, Any], letters: Mapping[str, str], number: int, sheet: str,
                   shown: str, limits: Limits) -> None:
    for name, value in raw.items():
        if isinstance(value, str) and len(value) > limits.max_cell_chars:
            raise WorkbookError(f"{sheet}!{letters[name]}{number}: cell longer than "
                                f"{limits.max_cell_chars:,} characters (raise it with "
                                "--max-cell-chars)", shown)


def iter_inputs(paths: list[Path]) -> Iterator[Path]:
    """Files named, and the readable files of folders named (hidden and `~$` lock files skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.name.startswith((".", "~$")) or not child.is_file():
                    continue
                if child.suffix.lower() in READABLE_SUFFIXES:
                    yield child
        else:
            yield path


ProblemHook = Callable[[str, str], None]
