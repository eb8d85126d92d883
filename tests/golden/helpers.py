"""Shared by the report tests: golden-file comparison and the example's private text."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl

from jtai_audit import __version__

HERE = Path(__file__).resolve().parent
UPDATE = os.environ.get("JTAI_UPDATE_GOLDEN") == "1"


def _normalise(text: bytes) -> bytes:
    """The tool's version is not part of what a golden file pins down."""
    return (text.replace(f"jtai-audit {__version__}".encode(), b"jtai-audit VERSION")
            .replace(f",{__version__},".encode(), b",VERSION,")
            .replace(f'"version": "{__version__}"'.encode(), b'"version": "VERSION"'))


def check_golden(name: str, actual: bytes) -> None:
    """Compare with tests/golden/NAME; JTAI_UPDATE_GOLDEN=1 rewrites it instead.

    A missing golden file fails: a test that wrote its own expectation could never fail.
    """
    path = HERE / name
    actual = _normalise(actual)
    if UPDATE:
        path.write_bytes(actual)
    assert path.exists(), f"{name} is missing; create it with JTAI_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes(), (
        f"{name} differs from the golden file; rerun with JTAI_UPDATE_GOLDEN=1 if intended")


def private_texts(workbook: Path) -> list[str]:
    """Every text-field value (case notes, voice method) in a case workbook."""
    book = openpyxl.load_workbook(workbook, read_only=True)
    sheet = book["Cases"]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip().lower() for h in next(rows)]
    wanted = [header.index(c) for c in ("case_notes", "voice_method") if c in header]
    found = {str(row[i]).strip() for row in rows for i in wanted
             if i < len(row) and row[i] and len(str(row[i]).strip()) > 12}
    book.close()
    return sorted(found)
