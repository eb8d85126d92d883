"""The xlsx report: the contract's five sheets, native charts, and an action plan to fill in.

Native openpyxl charts (not pictures) so the chair can restyle them, and the Action plan
sheet has empty Owner / Due date / Status columns with a drop-down, because the meeting
fills them in on the screen. Grades are written as words and coloured by conditional
formatting, so colour is never the only signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..engine.judge import CaseResult
from ..stamps import xlsx_bytes
from ..terms import GRADE_NAMES
from .cells import CONCERN_TEXT, INDICATIVE, OUTCOME_LABELS, as_number
from .data import ReportData
from .views import Meeting
from .xlsxkit import (
    BOLD,
    BOX,
    FINDING_FILLS,
    GRADE_FILLS,
    HEADER_FILL,
    HEADER_FONT,
    LINE,
    OUTCOME_FILLS,
    TITLE_FONT,
    WRAP,
    Pager,
    balanced_breaks,
    fill,
    fitted,
    letter,
    paragraph,
    put,
    row_height,
    setup_page,
    table,
    text_is,
    text_lines,
    widths,
)

STATUSES = ("Not started", "In progress", "Done", "Dropped")
OUTCOMES = ("met", "partly_met", "not_met", "not_evidenced", "not_applicable")


def _colour_by_text(ws: Worksheet, ref: str, fills: dict[str, str]) -> None:
    for text, colour in fills.items():
        ws.conditional_formatting.add(ref, text_is(ref, text, colour))


# Summary columns: labels, then numbers and area names (the areas table has a theme each).
SUMMARY_WIDTHS = [40, 13, 11, 11, 13, 11, 11, 11, 11]
SPAN = len(SUMMARY_WIDTHS)



def _title(ws: Worksheet, row: int, text: str) -> int:
    """A table's title, in bold above it. Returns the table's first row."""
    put(ws, row, 1, text).font = BOLD
    return row + 1


def _axis_in_whole_numbers(chart: BarChart) -> None:
    """Percent axis labelled 0, 20 ... 100 (not 0.0, 10.0 ...), shown in Excel too."""
    chart.y_axis.number_format = "0"
    chart.y_axis.majorUnit = 20
    chart.y_axis.delete = False
    chart.x_axis.delete = False


def _spanning(ws: Worksheet, row: int, names: Sequence[str],
              rows: Sequence[Sequence[Any]]) -> int:
    """A table whose last column spans the rest of the page (merged), for long text.

    The concerns' critical rules, the sha256 of the rubric and inputs. Returns the next row.
    """
    last = len(names)
    wide = sum(SUMMARY_WIDTHS[last - 1:])
    for index, values in enumerate([tuple(names), *rows]):
        at = row + index
        for column, value in enumerate(values, start=1):
            cell = put(ws, at, column, value)
            cell.alignment = WRAP
            if index == 0:
                cell.font = HEADER_FONT
                cell.fill = HEADER_FILL
        for column in range(1, SPAN + 1):
            ws.cell(row=at, column=column).border = BOX
        ws.merge_cells(start_row=at, start_column=last, end_row=at, end_column=SPAN)
        lines = max([text_lines(values[-1], wide)]
                    + [text_lines(v, SUMMARY_WIDTHS[i]) for i, v in enumerate(values[:-1])])
        ws.row_dimensions[at].height = row_height(lines)
    return row + len(rows) + 2


def _summary(ws: Worksheet, view: Meeting) -> None:
    """The meeting's first sheet, laid out for A4.

    Concerns, headline, themes, areas, and what made the report last. Each table and chart
    is kept whole on a printed page.
    """
    model = view.model
    widths(ws, SUMMARY_WIDTHS)
    pager = Pager(ws)
    row = paragraph(ws, 1, f"Audit meeting report: {model.title or model.id}", SPAN,
                    TITLE_FONT)
    row = paragraph(ws, row, f"Indicative grades. {INDICATIVE}", SPAN, BOLD) + 1
    at = row
    put(ws, row, 1, "Cases of immediate concern").font = BOLD
    row = paragraph(ws, row + 1, CONCERN_TEXT, SPAN)
    concerns, rest = view.concerns()
    row = _spanning(ws, row, ["Case", "Source", "Rules behind the concern"],
                    concerns or [("None", "", "")])
    if rest:
        put(ws, row - 1, 1, f"… and {rest} more (the JSON report lists them all).")
        row += 1
    pager.block(1, row - 1)
    at = row
    row = _title(ws, row, "Headline numbers")
    row = table(ws, row, ["Measure", "Value"],
                [(k, as_number(v)) for k, v in view.headline()], number_format="0.0")
    row = _title(ws, row + 1, "Indicative grades")
    grades_at = row
    row = table(ws, row, ["Indicative grade", "Cases"],
                [(g, view.figures.grades.get(g, 0)) for g in GRADE_NAMES])
    for offset, grade in enumerate(GRADE_NAMES, start=1):
        ws.cell(row=grades_at + offset, column=1).fill = fill(GRADE_FILLS[grade])
    pager.block(at, row - 1)
    at = row + 1
    themes_at = _title(ws, at, "Themes")
    row = themes_at
    rows = view.theme_rows()
    row = table(ws, row, ["Theme", "Score (%)", "Cases"],
                [(title, p, n) for _, title, p, n in rows])
    if rows:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Score by theme (%)"
        chart.y_axis.title = "Percent of weighted points"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.x_axis.scaling.orientation = "maxMin"  # the table's order, top to bottom
        chart.add_data(Reference(ws, min_col=2, min_row=themes_at, max_row=themes_at + len(rows)),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=themes_at + 1,
                                       max_row=themes_at + len(rows)))
        chart.legend = None
        chart.width, chart.height = 22, 10
        # Below the tables, not beside them: beside, it covered the concerns' long text
        # and ran past the printed page. A chart is kept whole on a printed page.
        _axis_in_whole_numbers(chart)
        pager.block(at, row, CHART_ROWS[chart.height] * LINE)  # title, table and chart
        ws.add_chart(chart, f"A{row}")
        row += CHART_ROWS[chart.height] + 1
    else:
        pager.block(at, row - 1)
    at = row + 1
    areas_at = _title(ws, at, "Areas side by side")
    row = areas_at
    groups = view.groups("areas")
    titles = [view.theme_titles[t] for t in view.themes]
    row = table(ws, row, ["Area (theme %)", *titles],
                [(g.name, *(g.themes.get(t) for t in view.themes)) for g in groups])
    if groups and titles:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = "Areas side by side, per theme (%)"
        chart.y_axis.title = "Percent"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.add_data(Reference(ws, min_col=1, max_col=len(titles) + 1, min_row=areas_at + 1,
                                 max_row=areas_at + len(groups)), from_rows=True,
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=2, max_col=len(titles) + 1,
                                       min_row=areas_at))
        chart.legend.position = "b"
        chart.width, chart.height = 26, 12
        _axis_in_whole_numbers(chart)
        pager.block(at, row, CHART_ROWS[chart.height] * LINE)
        ws.add_chart(chart, f"A{row}")
        row += CHART_ROWS[chart.height] + 1
    else:
        pager.block(at, row - 1)
    at = row + 1
    row = _title(ws, at, "Spread between the best and worst area, per theme")
    row = table(ws, row, ["Theme", "Best area", "Best (%)", "Cases", "Worst area", "Worst (%)",
                          "Cases", "Gap (points)"],
                [(s.title, s.best, s.best_percent, s.best_cases, s.worst, s.worst_percent,
                  s.worst_cases, s.gap) for s in view.spreads()])
    pager.block(at, row - 1)
    # What made the report is for the record: last, as in the HTML pack.
    at = row + 1
    row = _title(ws, at, "About this report: what made it")
    row = _spanning(ws, row, ["Provenance", "Value"], view.provenance())
    row = _spanning(ws, row, ["Input file", "Cases", "sha256"],
                    [(p, as_number(c), s) for p, s, c in view.inputs()])
    pager.block(at, row - 1)


def _cases(ws: Worksheet, view: Meeting) -> None:
    rule_ids = [r.id for r in view.model.rules if r.id in view.figures.rules]
    names = ["Source", "Case", "Area", "Score", "Indicative grade", "Provisional",
             "Auditor grade", "Grades differ", "Complete", "Unanswered", "Grade limited by",
             *rule_ids]
    rows = []
    for result in view.data.results:
        outcomes = {r.rule: OUTCOME_LABELS[r.outcome.value] for r in result.results}
        auditor = result.auditor_grade
        differ = "yes" if auditor and result.grade and auditor != result.grade else ""
        rows.append([view.source_name(result.case.source), result.case.case_id,
                     view.summary.area_name(result.area), result.shown_score, result.grade or "",
                     "yes" if result.provisional else "no", "" if auditor is None else
                     str(auditor), differ, "yes" if result.complete else "no",
                     len(result.unanswered), _limit_words(result),
                     *(outcomes.get(r, "") for r in rule_ids)])
    # The key's words sit in columns wide enough for them (E to H), never cut.
    widths(ws, [*fitted([names[:4], *rows], [18, 10, 16, 8]), 21, 12, 21, 15, 9, 11, 30]
           + [14] * len(rule_ids))
    put(ws, 1, 1, "Colour key (the words carry the meaning):").font = BOLD
    put(ws, 2, 1, "Provisional = incomplete case.")
    for i, (text, colour) in enumerate(GRADE_FILLS.items()):
        put(ws, 1, 5 + i, text).fill = fill(colour)
    for i, (text, colour) in enumerate(OUTCOME_FILLS.items()):
        put(ws, 2, 5 + i, text).fill = fill(colour)
    last = table(ws, 3, names, rows) - 1
    ws.freeze_panes = "C4"
    ws.auto_filter.ref = f"A3:{letter(len(names))}{max(last, 4)}"
    if rows:
        _colour_by_text(ws, f"E4:E{last}", GRADE_FILLS)
        _colour_by_text(ws, f"G4:G{last}", GRADE_FILLS)
        first, end = letter(12), letter(len(names))
        if rule_ids:
            _colour_by_text(ws, f"{first}4:{end}{last}", OUTCOME_FILLS)
    if view.data.cases_not_listed:
        paragraph(ws, last + 2, f"… and {view.data.cases_not_listed:,} more cases, not listed "
                  "here: cases with a critical rule not met and the lowest scores come first; "
                  "the json, jsonl and csv formats list every case.", 10)


def _limit_words(result: CaseResult) -> str:
    deciding = result.deciding_limit
    return deciding.words() if deciding else ""


def _rules(ws: Worksheet, view: Meeting) -> None:
    names = ["Rule", "Title", "Theme", "Severity", "Owner agency",
             *(OUTCOME_LABELS[o] for o in OUTCOMES), "Cases judged", "Rate (%)", "Finding",
             "Still blank"]
    rows = [[r.rule, r.title, r.theme_title, r.severity, r.owner,
             *(r.counts.get(o, 0) for o in OUTCOMES), r.judged, r.rate,
             r.finding_label, r.counts.get("unanswered", 0)] for r in view.rules]
    widths(ws, fitted([names, *rows], [11, 40, 24, 10, 20, 8, 8, 8, 10, 6, 8, 8, 14, 8]))
    last = table(ws, 1, names, rows) - 1
    ws.freeze_panes = "B2"
    if rows:
        _colour_by_text(ws, f"M2:M{last}", FINDING_FILLS)


def _guide(ws: Worksheet, view: Meeting) -> None:
    """What each rule checks, in words: apart from the Rules figures, so both print large."""
    names = ["Rule", "Title", "Applies", "What the outcomes mean"]
    rows = [[g.rule, g.title, g.applies, g.meanings()] for g in view.guide()]
    widths(ws, fitted([names, *rows], [11, 30, 40, 90]))
    table(ws, 1, names, rows)
    ws.freeze_panes = "B2"


def _priority(ws: Worksheet, view: Meeting) -> None:
    names = ["Source", "Case", "Area", "Indicative grade", "Rule", "Title", "Outcome",
             "Evidence", "Grade limited by"]
    rows = [[view.source_name(c.source), c.case_id, c.area, c.grade, f.rule, f.title,
             f.outcome, f.evidence, c.limited_by] for c in view.priority() for f in c.rules]
    widths(ws, fitted([names, *rows], [14, 10, 14, 21, 10, 32, 14, 44, 28]))
    last = table(ws, 1, names, rows) - 1
    ws.freeze_panes = "C2"
    if rows:
        _colour_by_text(ws, f"D2:D{last}", GRADE_FILLS)


def _actions(ws: Worksheet, view: Meeting) -> None:
    names = ["Rule", "Title", "Finding", "Rate (%)", "Cases judged", "Owner agency",
             "Recommended action", "Owner", "Due date", "Status", "Notes"]
    rows = [[r.rule, r.title, r.finding, r.rate, r.judged, r.owner_agency, r.action, r.owner,
             _date(r.due), r.status, None] for r in view.plan()]
    # The empty columns are for the meeting to write in: wide enough to, on the page.
    widths(ws, [*fitted([names[:7], *(r[:7] for r in rows)],
                        [10, 28, 14, 8, 8, 16, 48]), 14, 11, 13, 18])
    last = max(table(ws, 1, names, rows) - 1, 2)
    ws.freeze_panes = "B2"
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"',
                            allow_blank=True, showDropDown=False)
    status.promptTitle = "Status"
    status.prompt = "Not started, In progress, Done or Dropped"
    status.showInputMessage = True
    ws.add_data_validation(status)
    status.add(f"J2:J{last}")
    due = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    due.error = "A date, such as 31/03/2026"
    ws.add_data_validation(due)
    due.add(f"I2:I{last}")
    for line in ws.iter_rows(min_row=2, max_row=last, min_col=9, max_col=9):
        line[0].number_format = "DD/MM/YYYY"
    _colour_by_text(ws, f"C2:C{last}", FINDING_FILLS)


# Rows a chart of this height (cm) covers at the default row height (15 pt).
CHART_ROWS = {10: 19, 12: 23}
PAGE_COLUMNS = 15  # a sheet wider than this is spread over several pages across
PAGE_WIDTH = 150  # characters of column width an A4 landscape page holds at a readable size


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, header rows repeated, a print area; wide sheets split across pages.

    The Cases sheet has a column per rule: squeezed onto one page width it cannot be read,
    so it spreads over as many pages as 15 columns each need, the case id repeated on each.
    """
    wide = sheet.title == "Cases" and sheet.max_column > PAGE_COLUMNS
    titles = {"Summary": None, "Cases": "3:3"}  # the Summary is laid out by hand
    setup_page(sheet, titles.get(sheet.title, "1:1"), _pages_wide(sheet) if wide else 1)
    if wide:
        sheet.print_title_cols = "A:B"
    # No page left with a few rows alone: rows shared out evenly between a sheet's pages.
    if sheet.title == "Cases":
        balanced_breaks(sheet, 4, _pages_wide(sheet) if wide else 1, 2 if wide else 0)
    elif sheet.title != "Summary":
        balanced_breaks(sheet, 2)


def _pages_wide(sheet: Worksheet) -> int:
    """Pages across for a wide sheet, from its column widths, so its text stays readable.

    At most PAGE_WIDTH characters of width a page, the case id columns repeated on each.
    """
    widths = [sheet.column_dimensions[letter(i)].width or 13.0
              for i in range(1, sheet.max_column + 1)]
    repeated = sum(widths[:2])
    return max(1, -(-int(sum(widths) - repeated) // int(PAGE_WIDTH - repeated)))


def _date(day: str | None) -> dt.date | None:
    return None if day is None else dt.datetime.strptime(day, "%d/%m/%Y").date()


def render(data: ReportData) -> bytes:
    view = Meeting(data)
    book = Workbook()
    summary = book.active
    assert summary is not None  # a new workbook always has one sheet
    summary.title = "Summary"
    _summary(summary, view)
    _cases(book.create_sheet("Cases"), view)
    _rules(book.create_sheet("Rules"), view)
    _priority(book.create_sheet("Priority cases"), view)
    _actions(book.create_sheet("Action plan"), view)
    _guide(book.create_sheet("Rules in words"), view)
    for sheet in book.worksheets:
        _print_setup(sheet)
    return xlsx_bytes(book, data.generated_at)

