"""Reading the sheet that holds the cases, row by row, without holding every row.

A sheet can be read more than once (a first pass checks that every case_id is a
pseudonym before anything is written); each pass streams its rows, so a million-row CSV
never sits in memory. xlsx is read with python-calamine (Rust; several times faster than
openpyxl on large sheets); CSV with the csv module.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from ..errors import WorkbookError
from .limits import Limits
from .zipguard import check_zip

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# A merged case file names the cells still awaited from a return: in its xlsx `Sources`
# sheet ("awaiting Police return" where the return file is named) and in a merged CSV's
# last column. Reading it back leaves those cells unanswered, dates included.
SOURCES_SHEET = "Sources"
AWAITING_COLUMN = "awaiting"
_AWAITING = re.compile(r"^awaiting .+ return$")


def awaiting_note(agency: str) -> str:
    """How the `Sources` sheet names a cell whose return has not come in."""
    return f"awaiting {agency} return"


def awaited_in_sources(rows: Iterator[list[Any]]) -> dict[str, frozenset[str]]:
    """From a merged file's `Sources` sheet: case id → the columns still awaited."""
    found: dict[str, set[str]] = {}
    for number, row in enumerate(rows):
        if number == 0 or len(row) < 4:
            continue
        case_id, column, note = row[0], row[1], row[3]
        if case_id is None or column is None or not isinstance(note, str):
            continue
        if _AWAITING.match(note.strip()):
            found.setdefault(str(case_id).strip(), set()).add(str(column).strip())
    return {k: frozenset(v) for k, v in found.items()}


_ID_WORDS = re.compile(r"\b(ref|reference|id|no|number|pseudonym)\b")


def id_header_hint(header: list[Any], id_name: str = "case_id") -> str:
    """" — is 'Case Ref' the case id? …" when an unmatched header looks like an id."""
    for cell in header:
        if cell is None or not str(cell).strip():
            continue
        words = header_key(str(cell)).replace("_", " ")
        if _ID_WORDS.search(words):
            return (f" — is '{' '.join(str(cell).split())}' the case id? Rename that header "
                    f"{id_name}")
    return ""


def header_key(text: str) -> str:
    """Headers match case-insensitively with spaces, hyphens and underscores alike.

    Brackets, '?', ':' and '.' count as spaces too: headers typed by hand read
    `Child age (years)` or `Child seen?`, often with a line break inside the cell.
    """
    return re.sub(r"[\s_\-()?:.]+", "_", str(text).strip().lower()).strip("_")


@dataclass
class Sheet:
    """A sheet's rows as Python values, with the name used in cell references."""

    name: str
    passes: Callable[[], Iterator[list[Any]]]
    date1904: bool = False
    # A merged case file's `Sources` sheet, read only when asked for (awaited cells).
    sources: Callable[[], Iterator[list[Any]]] | None = None

    def iter_rows(self) -> Iterator[list[Any]]:
        """A fresh pass over every row, header first; row n of the sheet is the n-th yielded."""
        return self.passes()

    @cached_property
    def rows(self) -> list[list[Any]]:
        """Every row at once, for the small files (case lists, moderation) that want a list."""
        return list(self.passes())


def read_sheet(path: Path, sheet: str | None, limits: Limits | None = None) -> Sheet:
    """The sheet holding the cases; WorkbookError with one clear line when it is unreadable."""
    limits = limits or Limits()
    suffix = path.suffix.lower()
    if not path.exists():
        raise WorkbookError("no such file" + _near_name(path), str(path))
    if path.is_dir():
        raise WorkbookError("is a folder, not a workbook", str(path))
    if path.name.startswith("~$"):
        raise WorkbookError("this is Excel's lock file for a workbook that is open: give the "
                            f"workbook itself ({path.name[2:]}), saved", str(path))
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


def _near_name(path: Path) -> str:
    """A file of that name in another case (`Cases.xlsx` for `cases.xlsx`), as a hint."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    except OSError:
        return ""
    same = [n for n in names if n.casefold() == path.name.casefold()]
    return f" — did you mean '{folder / same[0]}'?" if same else ""


def _encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), else cp1252, decided over the whole file in chunks."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    if b"\x00" in block:
                        raise WorkbookError("not readable text (binary content in a .csv)",
                                            str(path))
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise WorkbookError("not readable text (UTF-8 or Windows-1252 expected)", str(path))


def _read_csv(path: Path, limits: Limits) -> Sheet:
    encoding = _encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        first = handle.readline()
    unquoted = re.sub(r'"[^"]*"', "", first)
    delimiter = ";" if unquoted.count(";") > unquoted.count(",") else ","
    csv.field_size_limit(max(limits.max_cell_chars * 4, 131072))

    def passes() -> Iterator[list[Any]]:
        with path.open(encoding=encoding, newline="") as handle:
            try:
                yield from csv.reader(handle, delimiter=delimiter)
            except csv.Error as exc:
                raise WorkbookError(f"not a readable CSV ({exc})", str(path)) from None

    return Sheet(path.name, passes)


def _read_xlsx(path: Path, sheet: str | None, limits: Limits) -> Sheet:
    check_zip(path, limits)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except CalamineError as exc:
        raise WorkbookError(_calamine_reason(exc), str(path)) from None
    except Exception:  # calamine raises plain exceptions for some corrupt files
        raise WorkbookError("not a readable .xlsx workbook", str(path)) from None
    visible = [m.name for m in book.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    name = _choose_sheet(book, visible, sheet, path)
    try:
        data = book.get_sheet_by_name(name)
    except CalamineError as exc:
        raise WorkbookError(_calamine_reason(exc), f"{path}:{name}") from None
    start = data.start

    def passes() -> Iterator[list[Any]]:
        if start is None:
            return
        top, left = start
        for _ in range(top):  # calamine's range starts at the first used cell
            yield []
        pad = [None] * left
        try:
            for row in data.iter_rows():
                yield pad + row if left else row
        except CalamineError as exc:
            raise WorkbookError(_calamine_reason(exc), f"{path}:{name}") from None

    sources: Callable[[], Iterator[list[Any]]] | None = None
    if SOURCES_SHEET in book.sheet_names and name != SOURCES_SHEET:
        def read_sources() -> Iterator[list[Any]]:
            try:
                yield from book.get_sheet_by_name(SOURCES_SHEET).iter_rows()
            except CalamineError as exc:
                raise WorkbookError(_calamine_reason(exc), f"{path}:{SOURCES_SHEET}") from None
        sources = read_sources

    return Sheet(name, passes, _uses_1904(path), sources)


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
        if sheet in book.sheet_names:
            return sheet
        # `--sheet cases` means the sheet called Cases: sheet names are not case-sensitive
        # in Excel either.
        folded = [n for n in book.sheet_names if n.casefold() == sheet.strip().casefold()]
        if len(folded) == 1:
            return str(folded[0])
        raise WorkbookError(f"no sheet named '{sheet}' (sheets: {', '.join(visible)})",
                            str(path))
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


def agency_column_values(path: Path, limits: Limits | None = None, most: int = 50) -> list[str]:
    """The values under an `agency` header on any sheet of a file, as far as they can be read.

    For naming the agency of a return that could not be read as a whole (two sheets with a
    case_id header, a second agency, a damaged row): never raises, [] when nothing is found.
    """
    limits = limits or Limits()
    found: list[str] = []
    try:
        if path.suffix.lower() == ".csv":
            sheets = [_read_csv(path, limits).iter_rows()]
        else:
            check_zip(path, limits)
            book = CalamineWorkbook.from_path(str(path))
            sheets = [iter(book.get_sheet_by_name(n).iter_rows()) for n in book.sheet_names]
        for rows in sheets:
            header = next(rows, [])
            index = next((i for i, c in enumerate(header) if c is not None
                          and header_key(str(c)) == "agency"), None)
            if index is None:
                continue
            for number, row in enumerate(rows):
                if number >= limits.max_rows or len(found) >= most:
                    break
                cell = row[index] if index < len(row) else None
                if cell is not None and str(cell).strip():
                    found.append(" ".join(str(cell).split()))
    except Exception:  # a file already known to be unreadable: whatever can be read helps
        return found
    return found
