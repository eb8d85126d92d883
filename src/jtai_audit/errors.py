"""One small error hierarchy, handled once at the CLI edge.

Every error carries where it happened (file, sheet cell or YAML line) so the user gets one
line that says where and what was expected, never a traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes fixed by the product contract."""

    OK = 0
    FINDINGS = 1
    ERROR = 2


class AuditError(Exception):
    """Base of every error the tool reports to a user as one line."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class WorkbookError(AuditError):
    """A case-file workbook cannot be read, or is refused (for example a real name in case_id)."""


class RubricError(AuditError):
    """A rubric file cannot be loaded; `problems` holds every problem found, not only the first."""

    def __init__(self, message: str, where: str | None = None,
                 problems: list[str] | None = None) -> None:
        super().__init__(message, where)
        self.problems = problems or [str(self)]


class UsageError(AuditError):
    """A bad option or argument combination."""


class StrictFailure(AuditError):
    """Invalid cells found while `--strict` asks for them to be fatal."""

    exit_code = ExitCode.FINDINGS
