"""Limits on what a workbook may hold, and spreadsheet column letters: the readers' base."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Limits on what a workbook may hold; each has a CLI option to raise it."""

    max_file_bytes: int = 1_000_000_000
    max_rows: int = 2_000_000
    max_columns: int = 1_000
    max_cell_chars: int = 30_000  # Excel stops at 32,767: a full cell was cut short


def column_letter(index: int) -> str:
    """0-based column index → spreadsheet letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
