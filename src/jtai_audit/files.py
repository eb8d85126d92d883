"""Writing output files: atomically (no half-written file) and owner-only (0600)."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from .errors import UsageError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A string a spreadsheet could run as a formula gets a leading quote; others pass.

    OWASP CSV injection: every CSV this tool writes (reports and the merged case file)
    passes its text through here.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def refuse_overwriting_inputs(output: Path, inputs: list[Path]) -> None:
    """An --output equal to an input would destroy the case file: refuse before reading."""
    for path in inputs:
        if same_file(output, path):
            raise UsageError(f"--output {output} is one of the input files: choose another name")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename over it."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {path}: folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


class AtomicWriter:
    """A binary stream that becomes `path` only when closed without error (0600)."""

    def __init__(self, path: Path) -> None:
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise UsageError(f"cannot write {path}: folder {folder} does not exist")
        self.path = path
        handle, self.temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                                  dir=folder)
        os.chmod(self.temporary, 0o600)
        self.stream = os.fdopen(handle, "wb")

    def write(self, data: bytes) -> None:
        self.stream.write(data)

    def commit(self) -> None:
        self.stream.close()
        os.replace(self.temporary, self.path)

    def abort(self) -> None:
        self.stream.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)


class Spool:
    """Items (one line of bytes each) kept in memory up to `limit`, the rest in a temporary file.

    A caseload's complete lists (every priority case for the JSON report) grow with the
    cases; past the limit they wait on disk, so memory stays flat. The file is deleted
    when closed or collected.
    """

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self.head: list[bytes] = []
        self.count = 0
        self._file: Any = None

    def append(self, item: bytes) -> None:
        self.count += 1
        if len(self.head) < self.limit:
            self.head.append(item)
            return
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (kept open while the run lasts)
        self._file.write(item + b"\n")

    def __iter__(self) -> Any:
        yield from self.head
        if self._file is not None:
            self._file.flush()
            self._file.seek(0)
            for line in self._file:
                yield line[:-1]
            self._file.seek(0, os.SEEK_END)

    def __len__(self) -> int:
        return self.count


class OutputSink:
    """Where a report goes: stdout as it comes, or a file that appears only when complete.

    `hold` keeps stdout output back until `commit`, for a run that may still refuse to
    write anything (`--strict` finding an invalid cell after the first cases were judged).
    """

    def __init__(self, output: Path | None, hold: bool = False) -> None:
        self.output = output
        self.file = AtomicWriter(output) if output is not None else None
        self.held = io.BytesIO() if hold and output is None else None

    def write(self, data: bytes) -> None:
        if self.file is not None:
            self.file.write(data)
        elif self.held is not None:
            self.held.write(data)
        else:
            sys.stdout.buffer.write(data)

    def commit(self) -> None:
        if self.file is not None:
            self.file.commit()
            return
        if self.held is not None:
            sys.stdout.buffer.write(self.held.getvalue())
        sys.stdout.flush()

    def abort(self) -> None:
        if self.file is not None:
            self.file.abort()
