"""The contract's words, defined once: outcomes and their points, grades, cell statuses.

Other tools read these names (DESIGN.md marks them fixed), so every module that needs one
imports it from here rather than retyping the string.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """The five outcomes fixed by the contract."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    NOT_EVIDENCED = "not_evidenced"


OUTCOME_POINTS: dict[Outcome, float] = {
    Outcome.MET: 1.0,
    Outcome.PARTLY_MET: 0.5,
    Outcome.NOT_MET: 0.0,
    Outcome.NOT_EVIDENCED: 0.0,
}

GRADE_NAMES = ("Outstanding", "Good", "Requires improvement", "Inadequate")


class Status(StrEnum):
    """What a cell says about the record, beyond its value."""

    ANSWERED = "answered"
    UNANSWERED = "unanswered"  # blank: the auditor has not answered yet
    NOT_RECORDED = "not_recorded"  # the auditor says the record is silent
    NOT_APPLICABLE = "na"  # the auditor says the question does not apply
    INVALID = "invalid"  # could not be read; treated as unanswered
    BLANK = "blank"  # blank where blank is itself an answer (optional, still unborn, defaulted)


SILENT = frozenset({Status.NOT_RECORDED, Status.NOT_APPLICABLE})
UNKNOWN = frozenset({Status.UNANSWERED, Status.INVALID})

# Every memo table (parsed cells, a chunk's distinct cells, judged combinations, limits,
# serialised results) holds at most this many entries, then starts afresh: a repeated
# pattern is remembered, and memory stays flat however long the caseload. One bound, so
# a change to it is made here and measured once (`make bench`).
MEMO_LIMIT = 50_000
