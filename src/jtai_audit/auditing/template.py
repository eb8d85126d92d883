"""The blank case-file workbook, built from a rubric's declared fields.

Auditors fill the workbook in Excel or LibreOffice, so the template does the checking it
can at the point of entry: drop-downs for every answer, yes/no and choice column, date and
whole-number validation, and an input message saying what each column means. Drop-down
values live on a hidden `Lists` sheet and are referenced by range, because Excel limits an
inline list to 255 characters. A `Guidance` sheet says which rules read each column and
which report finding lies behind them, so an auditor knows why a question is asked.

Two auditors reading the same record must give the same answer, so the template says what
silence means (DESIGN v2.3) wherever an auditor reads: at the top of the Guidance sheet;
for each question, what `Yes`, `Partly` and `No` look like in a record, with an example
(from the rubric's guidance file, `rubric/guidance.py`); and in each column's input
message (at most 255 characters, Excel's limit), the one-line rule for its kind and its
Guidance row. A dependent question is greyed out by conditional formatting (a formula rule,
which Excel and LibreOffice both show) on the rows where its `na_allowed` condition holds.

An agency's template (`--agency`) is that agency's return: the case id, an `agency` column
naming it, and only the columns its records answer (`answered_by`), so each agency audits
its own records. Its pre-filled case ids and agency names are locked (the sheet is
protected without a password; every other cell stays open), because the returns are
merged per child by exactly those two cells.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .. import agency_columns as returns
from ..merge.returns import agency_fields
from ..rubric.compiled import LoadedRubric
from ..rubric.guidance import Guidance, Kind, Question, load_guidance
from ..schema import FieldSpec, Source
from ..stamps import xlsx_bytes
from ..workbook.cells import ANSWER_CHOICES, YES_NO_CHOICES, parse_cell
from ..workbook.limits import column_letter
from .greying import grey_dependents
from .silence import SILENCE_TITLE, one_line_rule, silence_rule

LAST_ROW = 1000
PROMPT_LIMIT = 255  # Excel refuses a longer input message
SILENT_WORDS = ("Not recorded", "N/A")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
# A differential style: both colours set, as Excel and LibreOffice read different ones.
_WRAP = Alignment(wrap_text=True, vertical="top")
_TYPE_NAMES = {
    "id": "case reference (a pseudonym, never a name)", "label": "name of the area",
    "answer": "answer", "yes_no": "yes / no fact", "choice": "one of a list",
    "list": "several of a list, separated by ';'", "date": "date", "integer": "whole number",
    "text": "free text (never printed in reports)",
}
VOICE_NOTE = ("The child's voice: for babies, young, pre-verbal and disabled children, "
              "observation and play are their voice — how the child presented, played and "
              "related to others. Answer voice_recorded = Yes when that is recorded well, and "
              "say how in voice_method.")
INTRO = [
    "One row per child's case on the Cases sheet. Row 1 holds the column names: keep them.",
    "Blank means 'not answered yet': the case is incomplete and its grade provisional. "
    "'N/A' only where the question does not apply to this child.",
    "Dates are day first (14/03/2025) or real date cells. Lists take several values "
    "separated by ';'.",
    VOICE_NOTE,
    "case_id is a pseudonym (NM-014): never a name or an NHS number.",
]


def allowed_values(spec: FieldSpec) -> tuple[str, ...]:
    """The words a drop-down offers: the vocabulary, plus the silent words for choices."""
    if spec.type == "answer":
        return ANSWER_CHOICES
    if spec.type == "yes_no":
        return YES_NO_CHOICES
    if spec.type in ("choice", "list"):
        return (*(spec.values or []), *SILENT_WORDS)
    return ()


def allowed_text(spec: FieldSpec) -> str:
    """The allowed answers of a column, in words, for messages and the Guidance sheet."""
    if spec.type in ("answer", "yes_no", "choice", "list"):
        return ", ".join(allowed_values(spec))
    if spec.type == "integer":
        low = spec.min if spec.min is not None else 0
        return f"a whole number from {low}" + (f" to {spec.max}" if spec.max is not None else "")
    if spec.type == "date":
        words = "".join(f", {word}" for word in spec.words)
        return f"a date (14/03/2025){words}, Not recorded, N/A or blank (not recorded)"
    return "free text" if spec.type == "text" else "text"


def source_text(source: Source) -> str:
    """`JTAI 2026, section 'Children's voices'` or `JTAI 2017, paragraph 12`."""
    where = (f"section '{source.section}'" if source.section
             else f"paragraph {source.paragraph}" if source.paragraph is not None else "")
    return f"{source.report} ({source.year})" + (f", {where}" if where else "")


def build_template(rubric: LoadedRubric, rows: Sequence[Mapping[str, Any]] = (),
                   agency: str | None = None) -> bytes:
    """The template as .xlsx bytes; `rows` pre-fill cells (canonical words where they parse).

    With `agency` (a canonical agency name), that agency's return: its columns only, and an
    `agency` column holding its name on every pre-filled row.
    """
    model = rubric.model
    fields = model.fields if agency is None else agency_fields(model, agency)
    columns = returns.return_columns(fields, agency)
    words = load_guidance(rubric)
    kinds = {name: words.kind(name, spec) for name, spec in fields.items()}
    intro = _intro(rubric, fields, agency, kinds, words)
    top = len(intro) + 3  # the Guidance sheet's table heading; each column's row below it
    rows_of = {name: top + 1 + index for index, name in enumerate(fields)}
    prompts = {name: _prompt(spec, kinds[name], rows_of[name], _condition(rubric, name))
               for name, spec in fields.items()}
    book = Workbook()
    cases = book.active
    assert cases is not None
    cases.title = "Cases"
    guidance = book.create_sheet("Guidance")
    lists = book.create_sheet("Lists")
    lists.sheet_state = "hidden"
    ranges = _write_lists(lists, fields, agency)
    last_row = max(LAST_ROW, len(rows) + 1)
    _write_cases(cases, fields, columns, ranges, agency, last_row, prompts)
    grey_dependents(cases, rubric, columns, kinds, last_row)
    _fill(cases, fields, columns, rows, agency)
    _write_guidance(guidance, rubric, fields, agency, intro, kinds, words)
    return xlsx_bytes(book)


def _condition(rubric: LoadedRubric, name: str) -> str | None:
    """The `na_allowed` condition as auditors read it: parameters shown as their values."""
    compiled = rubric.na_allowed.get(name)
    if compiled is None:
        return None
    params = rubric.model.params
    return re.sub(r"\$(\w+)", lambda m: str(params.get(m.group(1), m.group(0))), compiled.text)


def _write_lists(sheet: Worksheet, fields: Mapping[str, FieldSpec],
                 agency: str | None) -> dict[str, str]:
    """One column per distinct vocabulary; each field → the absolute range of its list."""
    ranges: dict[tuple[str, ...], str] = {}
    by_field: dict[str, str] = {}
    vocabularies = [(n, s.type, allowed_values(s)) for n, s in fields.items()
                    if s.type in ("answer", "yes_no", "choice")]
    if agency is not None:
        vocabularies.append((returns.AGENCY_COLUMN, "choice", (agency,)))
    for name, kind, values in vocabularies:
        if values not in ranges:
            letter = column_letter(len(ranges))
            title = {"answer": "answer", "yes_no": "yes_no"}.get(kind, name)
            sheet.cell(row=1, column=len(ranges) + 1, value=title)
            for offset, value in enumerate(values, start=2):
                sheet[f"{letter}{offset}"] = value
            ranges[values] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
        by_field[name] = ranges[values]
    return by_field


def _prompt(spec: FieldSpec, kind: Kind, row: int, condition: str | None) -> str:
    """The input message: the column's meaning, its one-line rule, its Guidance row.

    At most PROMPT_LIMIT characters: the rule and the pointer always fit, and the meaning
    is shortened (at a word, with '…') to the room left.
    """
    rule = one_line_rule(spec, kind, condition)
    if len(rule) > 160:
        rule = rule[:159].rsplit(" ", 1)[0] + "…)"
    tail = " ".join(part for part in (rule, f"See Guidance row {row}.") if part)
    meaning = " ".join((spec.question or spec.description).split())
    room = PROMPT_LIMIT - len(tail) - 1
    if len(meaning) > room:
        meaning = meaning[:room - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{meaning} {tail}"


def _write_cases(sheet: Worksheet, fields: Mapping[str, FieldSpec], columns: Sequence[str],
                 ranges: Mapping[str, str], agency: str | None, last_row: int,
                 prompts: Mapping[str, str]) -> None:
    for index, name in enumerate(columns):
        letter = column_letter(index)
        cell = sheet.cell(row=1, column=index + 1, value=name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=False, vertical="top")
        if name == returns.AGENCY_COLUMN and agency is not None:
            width, prompt = max(len(agency) + 3, 12), returns.agency_prompt(agency)
            body = returns.agency_validation(agency, ranges[name])
        else:
            spec = fields[name]
            width = min(max(len(name) + 2, 12, *(len(v) + 3 for v in allowed_values(spec))),
                        40 if spec.type != "text" else 50)
            prompt, body = prompts[name], _body_validation(spec, ranges.get(name))
        sheet.column_dimensions[letter].width = width
        title = name.replace("_", " ")[:32]
        header = DataValidation(showInputMessage=True, promptTitle=title, prompt=prompt)
        header.add(f"{letter}1")
        sheet.add_data_validation(header)
        body.showInputMessage = True
        body.promptTitle = title
        body.prompt = prompt
        body.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(body)
    if agency is not None:
        returns.protect(sheet, columns)
    sheet.freeze_panes = "B2"
    sheet.page_setup.orientation = "landscape"
    sheet.print_title_rows = "1:1"


def _body_validation(spec: FieldSpec, list_range: str | None) -> DataValidation:
    """A stop on list columns; a warning on dates and numbers, which also take 'Not recorded'."""
    if list_range is not None:
        return DataValidation(type="list", formula1=f"={list_range}", allow_blank=True,
                              showErrorMessage=True, errorStyle="stop",
                              errorTitle="Not in the list",
                              error=f"Choose one of: {allowed_text(spec)}"[:250])
    if spec.type == "date":
        start = (dt.date(1990, 1, 1) - dt.date(1899, 12, 30)).days
        end = (dt.date(2099, 12, 31) - dt.date(1899, 12, 30)).days
        return DataValidation(type="date", operator="between", formula1=str(start),
                              formula2=str(end), allow_blank=True, showErrorMessage=True,
                              errorStyle="warning", errorTitle="Not a date",
                              error="A date, day first (14/03/2025), or "
                              + "".join(f"{word} / " for word in spec.words)
                              + "Not recorded / N/A.")
    if spec.type == "integer":
        low = spec.min if spec.min is not None else 0
        high = spec.max if spec.max is not None else 9999
        return DataValidation(type="whole", operator="between", formula1=str(low),
                              formula2=str(high), allow_blank=True, showErrorMessage=True,
                              errorStyle="warning", errorTitle="Not a whole number in range",
                              error=f"A whole number from {low} to {high}, or Not recorded.")
    return DataValidation(allow_blank=True)


def _fill(sheet: Worksheet, fields: Mapping[str, FieldSpec], columns: Sequence[str],
          rows: Iterable[Mapping[str, Any]], agency: str | None) -> None:
    """Pre-filled rows; in a return, its case ids and agency names are locked, the rest open."""
    order = {name: index + 1 for index, name in enumerate(columns)}
    for number, row in enumerate(rows, start=2):
        cells = dict(row) if agency is None else {**row, returns.AGENCY_COLUMN: agency}
        for name, raw in cells.items():
            if name not in order or raw is None or raw == "":
                continue
            spec = fields.get(name)
            value = raw
            if spec is not None:
                parsed = parse_cell(raw, spec)
                value = parsed.value if parsed.problem is None and parsed.value is not None \
                    else raw
            if isinstance(value, tuple):
                value = "; ".join(value)
            cell = sheet.cell(row=number, column=order[name], value=value)
            if agency is not None:
                returns.lock_or_open(cell, name, spec)


_WIDTHS = (28, 16, 30, 40, 60, 36, 36)


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell needs, roughly: characters per line ≈ the column width."""
    return sum(max(1, -(-len(part) // max(width - 2, 1))) for part in text.split("\n"))


def _intro(rubric: LoadedRubric, fields: Mapping[str, FieldSpec], agency: str | None,
           kinds: Mapping[str, Kind], words: Guidance) -> list[str]:
    """The lines above the Guidance sheet's table: how to fill in, silence, the notes."""
    intro = [line for line in INTRO
             if line != VOICE_NOTE or any(s.role == "voice" for s in fields.values())]
    if agency is not None:
        intro = [f"The {agency} return: answer each question from {agency} records only. The "
                 "other agencies' questions are in their own returns, merged per child.",
                 *intro, f"Keep {agency} in the {returns.AGENCY_COLUMN} column of every row."]
    intro += silence_rule(kinds)
    intro += [f"{note.title}: {' '.join(note.text.split())}" for note in words.notes]
    return intro


def how_to_answer(spec: FieldSpec, kind: Kind, condition: str | None,
                  entry: Question | None) -> str:
    """The Guidance sheet's 'how to answer' cell: the rule, what answers look like, an example."""
    parts = [one_line_rule(spec, kind, condition)]
    if entry is not None:
        parts += [f"{word}: {' '.join(text.split())}" for word, text in entry.looks_like.items()]
        if entry.example:
            parts.append(f"Example: {' '.join(entry.example.split())}")
    return "\n".join(p for p in parts if p)


def _write_guidance(sheet: Worksheet, rubric: LoadedRubric, fields: Mapping[str, FieldSpec],
                    agency: str | None, intro: Sequence[str], kinds: Mapping[str, Kind],
                    words: Guidance) -> None:
    model = rubric.model
    sheet["A1"] = f"How to fill in the Cases sheet — {model.title or model.id} (version " \
                  f"{model.version})" + (f" — the {agency} return" if agency else "")
    sheet["A1"].font = Font(bold=True, size=13)
    for offset, line in enumerate(intro, start=2):
        cell = sheet.cell(row=offset, column=1, value=line)
        if line == SILENCE_TITLE:
            cell.font = Font(bold=True)
    top = len(intro) + 3
    headers = ("Column", "Type", "Allowed answers", "What it means",
               "How to answer: what Yes, Partly and No look like in a record",
               "Rules that use it", "Report findings behind them")
    for index, title in enumerate(headers, start=1):
        cell = sheet.cell(row=top, column=index, value=title)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    users: dict[str, list[int]] = {name: [] for name in fields}
    for number, program in enumerate(rubric.programs):
        for name in program.fields:
            users.setdefault(name, []).append(number)
    for row, (name, spec) in enumerate(fields.items(), start=top + 1):
        programs = [rubric.programs[i] for i in users.get(name, [])]
        sources = dict.fromkeys(source_text(s) for p in programs for s in p.rule.sources)
        meaning = " ".join((spec.question or spec.description).split())
        if spec.role == "voice":
            meaning += " " + VOICE_NOTE
        if spec.na_allowed is not False and spec.na_means:
            meaning += f" N/A when: {' '.join(spec.na_means.split())}"
        values = (name, _TYPE_NAMES.get(spec.type, spec.type) + (" (optional)" if spec.optional
                                                                  else ""),
                  allowed_text(spec), meaning,
                  how_to_answer(spec, kinds[name], _condition(rubric, name),
                                words.questions.get(name)),
                  "\n".join(f"{p.rule.id} — {p.rule.title}" for p in programs),
                  "\n".join(sources))
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value).alignment = _WRAP
        # Spreadsheets do not always grow a row to fit wrapped text: set the height.
        lines = max(_lines(value, width) for value, width in zip(values, _WIDTHS, strict=True))
        sheet.row_dimensions[row].height = 13.0 * lines + 2
    for letter, width in zip("ABCDEFG", _WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"B{top + 1}"
    # Printed for the audit meeting: landscape, one page wide, the column titles repeated.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{top}:{top}"
