"""The rule for answering from a silent record, in words (DESIGN v2.3).

Written at the top of the template's Guidance sheet (a line per kind of question) and,
in one line, into each column's input message.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..rubric.guidance import Kind
from ..schema import FieldSpec

SILENCE_TITLE = "Answering from a silent record: read the whole record first, then"
_RULE_LINES: dict[str, str] = {
    "fact": "Facts: No when the record shows no sign of it (None where the list has None); "
            "Not recorded only where the record shows the question arose and leaves the "
            "answer out (a DASH was started but its level is missing).",
    "judgement": "Your judgements ({names}): answer from your reading of everything known at "
                 "the time, never from silence.",
    "practice": "Practice answers: Not recorded when the record is silent on it; No when it "
                "shows the work was needed and not done (an action agreed and never shown "
                "done is No).",
    "dependent": "Dependent questions ({names}): N/A whenever the answer they depend on rules "
                 "them out; the Cases sheet greys them out on those rows.",
}


def silence_rule(kinds: Mapping[str, Kind]) -> list[str]:
    """The rule for silence, one line per kind of question the workbook holds."""
    lines = [SILENCE_TITLE]
    for kind, line in _RULE_LINES.items():
        names = [n for n, k in kinds.items() if k == kind]
        if kind == "fact" or (names and kind != "fact"):
            lines.append("• " + line.format(names=", ".join(names)))
    return lines


def one_line_rule(spec: FieldSpec, kind: Kind, condition: str | None) -> str:
    """How to answer this column from a silent record, in one line."""
    if kind == "judgement":
        return "Your judgement: answer from your reading of everything known at the time, " \
               "never from silence."
    if kind == "practice":
        return "Not recorded when the record is silent on it; an action agreed and never " \
               "shown done is No."
    if kind == "dependent":
        when = f" ({' '.join(condition.split())})" if condition else ""
        return f"N/A when its parent rules it out{when}; else Not recorded if the record is " \
               "silent."
    if kind == "fact":
        if spec.type == "yes_no":
            return "No when the record shows no sign; Not recorded only when the question " \
                   "arose and the answer is missing."
        none = "None" in (spec.values or [])
        several = "Separate several with ';'. " if spec.type == "list" else ""
        return several + ("None when the record shows no sign; " if none else "") + \
            "Not recorded only when the question arose and the answer is missing."
    if kind == "date":
        return "Day first: 14/03/2025. Not recorded when the record gives no date."
    return {"list": "Several values: separate them with ';'."}.get(spec.type, "")
