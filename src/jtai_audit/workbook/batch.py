"""A run's inputs as a batch: folders expanded, identical files, one case in two inputs.

These checks span files, so they live apart from the reader, which sees one file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .labels import Place
from .reader import READABLE_SUFFIXES, sha256_of


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


@dataclass(frozen=True)
class Input:
    """An input, its sha256 ("" if unreadable) and any earlier input with the same bytes."""

    path: Path
    sha256: str
    same_as: Path | None = None


def hash_inputs(files: list[Path]) -> list[Input]:
    """Each input with its sha256, and the input it is a copy of (same bytes), if any.

    The same workbook saved twice in a folder would count every child twice; whole-file
    hashes catch it before anything is read. Of identical files the one read is the first
    whose name does not look like a copy: a folder lists `cases (copy).xlsx` and
    `Copy of cases.xlsx` before `cases.xlsx`, and the warning should name the copy.
    """
    digests: list[str] = []
    for path in files:
        try:
            digests.append(sha256_of(path))
        except OSError:
            digests.append("")
    kept: dict[str, int] = {}
    for index, (path, digest) in enumerate(zip(files, digests, strict=True)):
        best = kept.get(digest)
        if digest and (best is None or _copy_rank(path) < _copy_rank(files[best])):
            kept[digest] = index
    return [Input(path, digest, files[kept[digest]] if digest and kept[digest] != i else None)
            for i, (path, digest) in enumerate(zip(files, digests, strict=True))]


_COPY_NAME = re.compile(r"\bcopy\b|\(\d+\)", re.IGNORECASE)


def _copy_rank(path: Path) -> bool:
    """Names like `cases (copy).xlsx`, `Copy of cases.xlsx` or `cases (1).xlsx`."""
    return bool(_COPY_NAME.search(path.stem))


class SeenCases:
    """(area, case_id) → the input and row it was first seen in, across one run's inputs.

    One child's case in two workbooks that are not agency returns is counted twice; the
    second sighting is reported. Only the key and where it was first seen are kept, never
    the case: a caseload can be 100,000+ rows. Areas are compared by `label_key`.
    """

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], tuple[int, int]] = {}
        self._files: list[tuple[str, str, str]] = []
        self._areas: dict[str, str] = {}

    def open_file(self, shown: str, sheet: str, id_letter: str) -> int:
        """Start an input (as shown, its sheet, its case_id column); return its number."""
        self._files.append((shown, sheet, id_letter))
        return len(self._files) - 1

    def place(self, file: int, row: int) -> Place:
        shown, sheet, letter = self._files[file]
        return Place(shown, sheet, f"{sheet}!{letter}{row}")

    def see(self, file: int, area_key: str, case_id: str, row: int) -> Place | None:
        """Where this (area, case_id) was first seen in an earlier input, else None.

        A repeat inside one input is that input's own duplicate case_id, reported by its
        reader, so it is not reported again here.
        """
        area_key = self._areas.setdefault(area_key, area_key)  # one string per area
        key = (area_key, case_id)
        found = self._first.get(key)
        if found is None:
            self._first[key] = (file, row)
            return None
        return self.place(*found) if found[0] != file else None
