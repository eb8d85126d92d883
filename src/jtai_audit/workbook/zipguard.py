"""Refuse zip bombs before a workbook is decompressed, by declared size and ratio.

The defaults admit a 100,000-case workbook (a ~300 MB sheet compressed ~14:1).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import WorkbookError
from .limits import Limits

MAX_UNCOMPRESSED = 2_000_000_000
MAX_RATIO = 120


def check_zip(path: Path, limits: Limits) -> None:
    """An .xlsx is a zip: check it is one, and that no member would expand out of proportion."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        with path.open("rb") as handle:
            head = handle.read(1 << 20)
        if head.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE compound file, not a zip
            if "EncryptionInfo".encode("utf-16-le") in head:
                raise WorkbookError("the workbook is encrypted: remove the password and save "
                                    "it again", str(path)) from None
            raise WorkbookError("an old-format (.xls) workbook named .xlsx: save it as .xlsx",
                                str(path)) from None
        raise WorkbookError("not a readable .xlsx workbook (damaged or not a zip file)",
                            str(path)) from None
    except OSError as exc:
        raise WorkbookError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    _refuse_doctype(path, members)
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise WorkbookError(f"would expand to {total:,} bytes, more than {MAX_UNCOMPRESSED:,}: "
                            "refused (zip bomb?)", str(path))
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO \
                and member.file_size > 10_000_000:
            raise WorkbookError(f"a part compressed more than {MAX_RATIO}:1: refused (zip bomb?)",
                                str(path))


def _refuse_doctype(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Office XML never declares a DTD; one that does is an entity-expansion attack."""
    try:
        with zipfile.ZipFile(path) as archive:
            for member in members:
                if not member.filename.endswith((".xml", ".rels")):
                    continue
                with archive.open(member) as stream:
                    head = stream.read(2048)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise WorkbookError(f"{member.filename} declares XML entities: refused "
                                        "(entity expansion attack?)", str(path))
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as exc:
        raise WorkbookError(f"not a readable .xlsx workbook ({type(exc).__name__})",
                            str(path)) from None
