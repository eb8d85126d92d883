"""The answer vocabulary and the parsing of one cell into a typed value.

One function per column type, all returning a `Parsed` value, so the workbook loader,
the rubric examples and the template share exactly one reading of every word.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..hints import closest
from ..schema import FieldSpec
from ..terms import Status

ANSWER_CHOICES = ("Yes", "Partly", "No", "Not recorded", "N/A")
YES_NO_CHOICES = ("Yes", "No", "Not recorded", "N/A")

_ANSWER_WORDS = {
    "yes": "Yes", "y": "Yes",
    "partly": "Partly", "p": "Partly", "partial": "Partly",
    "no": "No", "n": "No",
    "not recorded": "Not recorded", "nr": "Not recorded",
    "n/a": "N/A", "na": "N/A", "not applicable": "N/A",
}
_YES_NO_WORDS = {
    "yes": "Yes", "y": "Yes", "true": "Yes",
    "no": "No", "n": "No", "false": "No",
    "not recorded": "Not recorded", "nr": "Not recorded",
    "n/a": "N/A", "na": "N/A", "not applicable": "N/A",
}
_SILENT_WORDS = {"not recorded": Status.NOT_RECORDED, "nr": Status.NOT_RECORDED,
                 "n/a": Status.NOT_APPLICABLE, "na": Status.NOT_APPLICABLE,
                 "not applicable": Status.NOT_APPLICABLE}

EXCEL_EPOCH = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$")
_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})$")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A typed cell: `problem` says what was expected when the cell could not be read."""

    value: Any
    status: Status
    problem: str | None = None


# Excel and Word autocorrect "Children's" to "Children’s"; the vocabularies have straight quotes.
TYPOGRAPHIC = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2032": "'"})


def normalise_word(text: str) -> str:
    """Lower-case and collapse whitespace, as auditors type words in many ways."""
    return " ".join(text.replace("\u00a0", " ").split()).lower()


def near_miss(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    """The canonical word a near miss probably meant (`Yse` -> `Yes`), or None."""
    return closest(word, choices, cutoff=0.6, key=normalise_word)


def _expected(kind: str, choices: tuple[str, ...] | list[str], raw: str) -> Parsed:
    listed = ", ".join(choices)
    message = f"not {kind} ({listed})"
    guess = near_miss(raw, choices)
    if guess is not None:
        message += f" — did you mean '{guess}'?"
    return Parsed(None, Status.INVALID, message)


def _as_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "Yes" if raw else "No"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def parse_answer(raw: Any) -> Parsed:
    word = _ANSWER_WORDS.get(normalise_word(_as_text(raw)))
    if word is None:
        return _expected("an answer", ANSWER_CHOICES, _as_text(raw))
    return Parsed(word, _status_of(word))


def parse_yes_no(raw: Any) -> Parsed:
    word = _YES_NO_WORDS.get(normalise_word(_as_text(raw)))
    if word is None:
        return _expected("Yes or No", YES_NO_CHOICES, _as_text(raw))
    return Parsed(word, _status_of(word))


def _status_of(word: str) -> Status:
    if word == "Not recorded":
        return Status.NOT_RECORDED
    if word == "N/A":
        return Status.NOT_APPLICABLE
    return Status.ANSWERED


def parse_choice(raw: Any, values: list[str]) -> Parsed:
    text = normalise_word(_as_text(raw))
    for value in values:
        if normalise_word(value) == text:
            return Parsed(value, Status.ANSWERED)
    silent = _SILENT_WORDS.get(text)
    if silent is not None:
        return Parsed(None, silent)
    return _expected("one of", values, _as_text(raw))


def parse_list(raw: Any, values: list[str]) -> Parsed:
    chosen: list[str] = []
    for part in re.split(r"[;\n]", _as_text(raw)):
        if not part.strip():
            continue
        one = parse_choice(part, values)
        if one.status is Status.INVALID:
            return Parsed(None, Status.INVALID, (one.problem or "").replace(
                "not one of", "not a list of", 1) + " (separate several with ';')")
        if one.value is None:  # a silent word stands for the whole cell
            return one
        if one.value not in chosen:
            chosen.append(one.value)
    return Parsed(tuple(chosen), Status.ANSWERED)


def parse_integer(raw: Any, spec: FieldSpec) -> Parsed:
    if isinstance(raw, bool):
        return Parsed(None, Status.INVALID, "not a whole number")
    if isinstance(raw, int | float):
        number = float(raw)
    else:
        text = normalise_word(str(raw))
        silent = _SILENT_WORDS.get(text)
        if silent is not None:
            return Parsed(None, silent)
        try:
            number = float(text.replace(",", ""))
        except ValueError:
            return Parsed(None, Status.INVALID, "not a whole number")
    if not number.is_integer():
        return Parsed(None, Status.INVALID, "not a whole number")
    value = int(number)
    low = spec.min if spec.min is not None else None
    high = spec.max if spec.max is not None else None
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{low if low is not None else ''}-{high if high is not None else ''}"
        return Parsed(None, Status.INVALID, f"a whole number out of range ({span} expected)")
    return Parsed(value, Status.ANSWERED)


def parse_date(raw: Any, date1904: bool = False, words: list[str] | tuple[str, ...] = ()
               ) -> Parsed:
    """A date; or one of the field's `words` (`Not notified`): an answer that no date exists.

    Such a word is an answered null, so conditions read it as `== null`, while `Not recorded`
    stays a silent record.
    """
    if isinstance(raw, dt.datetime):
        return Parsed(raw.date(), Status.ANSWERED)
    if isinstance(raw, dt.date):
        return Parsed(raw, Status.ANSWERED)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _from_serial(float(raw), date1904)
    text = normalise_word(str(raw))
    silent = _SILENT_WORDS.get(text)
    if silent is not None:
        return Parsed(None, silent)
    if any(normalise_word(word) == text for word in words):
        return Parsed(None, Status.ANSWERED)
    expected = "not a date (a date cell, 2025-03-14 or 14/03/2025" + "".join(
        f", {word}" for word in words) + ")"
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _UK.match(text)
        if not match:
            if re.fullmatch(r"\d+(\.0+)?", text):
                return _from_serial(float(text), date1904)
            return Parsed(None, Status.INVALID, expected)
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000
    try:
        return Parsed(dt.date(year, month, day), Status.ANSWERED)
    except ValueError:
        return Parsed(None, Status.INVALID, "a date that does not exist (day/month/year expected)")


def _from_serial(serial: float, date1904: bool) -> Parsed:
    if not 1 <= serial < 2958466:
        return Parsed(None, Status.INVALID, "not a date (a date cell, 2025-03-14 or 14/03/2025)")
    epoch = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
    return Parsed(epoch + dt.timedelta(days=int(serial)), Status.ANSWERED)


def parse_cell(raw: Any, spec: FieldSpec, date1904: bool = False) -> Parsed:
    """Read one non-blank cell as the column's type."""
    kind = spec.type
    if kind == "answer":
        return parse_answer(raw)
    if kind == "yes_no":
        return parse_yes_no(raw)
    if kind == "choice":
        return parse_choice(raw, spec.values or [])
    if kind == "list":
        return parse_list(raw, spec.values or [])
    if kind == "integer":
        return parse_integer(raw, spec)
    if kind == "date":
        return parse_date(raw, date1904, spec.words)
    if kind == "label":  # `hillcrest ` and `Hill  crest` typed by hand: trimmed, spaces collapsed
        return Parsed(" ".join(_as_text(raw).split()), Status.ANSWERED)
    return Parsed(_as_text(raw).strip(), Status.ANSWERED)


def is_blank(raw: Any) -> bool:
    """Empty cells and cells holding only spaces count as blank."""
    return raw is None or (isinstance(raw, str) and not raw.strip())
