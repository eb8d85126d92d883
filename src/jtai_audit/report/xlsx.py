"""The xlsx report: the contract's five sheets, native charts, and an action plan to fill in.

Native openpyxl charts (not pictures) so the chair can restyle them, and the Action plan
sheet has empty Owner / Due date / Status columns with a drop-down, because the meeting
fills them in on the screen. Grades are written as words and coloured by conditional
formatting, so colour is never the only signal.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from ..engine.judge import CaseResult
from ..stamps import xlsx_bytes
from ..terms import GRADE_NAMES
from .cells import CONCERN_TEXT, INDICATIVE, OUTCOME_LABELS
from .data import ReportData
from .views import Meeting
from .xlsxkit import (
    BOLD,
    FINDING_FILLS,
    GRADE_FILLS,
    OUTCOME_FILLS,
    TITLE_FONT,
    WRAP,
    fill,
    fit_rows,
    letter,
    put,
    table,
    text_is,
    widths,
)

STATUSES = ("Not started", "In progress", "Done", "Dropped")
OUTCOMES = ("met", "partly_met", "not_met", "not_evidenced", "not_applicable")


def _colour_by_text(ws: Worksheet, ref: str, fills: dict[str, str]) -> None:
    for text, colour in fills.items():
        ws.conditional_formatting.add(ref, text_is(ref, text, colour))


def _summary(ws: Worksheet, view: Meeting) -> None:
    model = view.model
    put(ws, 1, 1, f"Audit meeting report: {model.title or model.id}").font = TITLE_FONT
    put(ws, 2, 1, f"Indicative grades. {INDICATIVE}").font = BOLD
    put(ws, 4, 1, "Cases of immediate concern").font = BOLD
    put(ws, 5, 1, CONCERN_TEXT)
    concerns, rest = view.concerns()
    row = table(ws, 6, ["Case", "Source", "Critical rules"], concerns or [("None", "", "")])
    if rest:
        put(ws, row, 1, f"… and {rest} more (the JSON report lists them all).")
        row += 2
    row = table(ws, row, ["Provenance", "Value"], view.provenance())
    row = table(ws, row, ["Input file", "sha256", "Cases"], view.inputs())
    row = table(ws, row, ["Measure", "Value"], view.headline())
    grades_at = row
    row = table(ws, row, ["Indicative grade", "Cases"],
                [(g, view.figures.grades.get(g, 0)) for g in GRADE_NAMES])
    for offset, grade in enumerate(GRADE_NAMES, start=1):
        ws.cell(row=grades_at + offset, column=1).fill = fill(GRADE_FILLS[grade])
    themes_at = row
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
        chart.add_data(Reference(ws, min_col=2, min_row=themes_at, max_row=themes_at + len(rows)),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=themes_at + 1,
                                       max_row=themes_at + len(rows)))
        chart.legend = None
        chart.width, chart.height = 20, 10
        # Below the tables, not beside them: beside, it covered the concerns' long text
        # and ran past the printed page. Each chart starts a printed page, never split.
        ws.row_breaks.append(Break(id=row))
        ws.add_chart(chart, f"A{row + 1}")
        row += CHART_ROWS[chart.height]
    areas_at = row
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
        chart.width, chart.height = 26, 12
        ws.row_breaks.append(Break(id=row))
        ws.add_chart(chart, f"A{row + 1}")
        row += CHART_ROWS[chart.height]
    table(ws, row, ["Theme", "Best area", "Best (%)", "Cases", "Worst area", "Worst (%)",
                    "Cases", "Gap (points)"],
          [(s.title, s.best, s.best_percent, s.best_cases, s.worst, s.worst_percent,
            s.worst_cases, s.gap) for s in view.spreads()])
    widths(ws, [34, 40, 12, 12, 14, 12, 10, 12, 12])
    for line in ws.iter_rows(min_row=4, max_row=areas_at - 1, min_col=1, max_col=2):
        for cell in line:
            cell.alignment = WRAP
    fit_rows(ws, 4, [1, 2])


def _cases(ws: Worksheet, view: Meeting) -> None:
    rule_ids = [r.id for r in view.model.rules if r.id in view.figures.rules]
    put(ws, 1, 1, "Colour key (the words carry the meaning):").font = BOLD
    for i, (text, colour) in enumerate(GRADE_FILLS.items()):
        put(ws, 1, 3 + i, text).fill = fill(colour)
    for i, (text, colour) in enumerate(OUTCOME_FILLS.items()):
        put(ws, 2, 3 + i, text).fill = fill(colour)
    put(ws, 2, 1, "Provisional = incomplete case (unanswered questions).")
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
        put(ws, last + 2, 1, f"… and {view.data.cases_not_listed:,} more cases, not listed "
            "here: cases with a critical rule not met and the lowest scores come first; the "
            "json, jsonl and csv formats list every case.")
    widths(ws, [18, 12, 16, 8, 20, 11, 20, 8, 9, 11, 30] + [13] * len(rule_ids))


def _limit_words(result: CaseResult) -> str:
    deciding = result.deciding_limit
    return deciding.words() if deciding else ""


def _rules(ws: Worksheet, view: Meeting) -> None:
    names = ["Rule", "Title", "Theme", "Severity", "Owner agency",
             *(OUTCOME_LABELS[o] for o in OUTCOMES), "Cases judged", "Rate (%)", "Finding",
             "Still blank", "Applies", "What the outcomes mean"]
    guide = {g.rule: g for g in view.guide()}
    rows = [[r.rule, r.title, r.theme_title, r.severity, r.owner,
             *(r.counts.get(o, 0) for o in OUTCOMES), r.judged, r.rate,
             r.finding_label, r.counts.get("unanswered", 0), guide[r.rule].applies,
             guide[r.rule].meanings()] for r in view.rules]
    last = table(ws, 1, names, rows) - 1
    ws.freeze_panes = "B2"
    if rows:
        _colour_by_text(ws, f"M2:M{last}", FINDING_FILLS)
    widths(ws, [11, 44, 28, 10, 22, 7, 8, 8, 11, 6, 9, 9, 24, 8, 40, 90])
    for line in ws.iter_rows(min_row=2, min_col=2, max_col=16):
        for index in (0, 13, 14):  # title, applies, what the outcomes mean
            line[index].alignment = WRAP
    fit_rows(ws, 2, [2, 13, 15, 16])


def _priority(ws: Worksheet, view: Meeting) -> None:
    names = ["Source", "Case", "Area", "Indicative grade", "Rule", "Title", "Outcome",
             "Evidence", "Grade limited by"]
    rows = [[view.source_name(c.source), c.case_id, c.area, c.grade, f.rule, f.title,
             f.outcome, f.evidence, c.limited_by] for c in view.priority() for f in c.rules]
    last = table(ws, 1, names, rows) - 1
    ws.freeze_panes = "C2"
    if rows:
        _colour_by_text(ws, f"D2:D{last}", GRADE_FILLS)
    widths(ws, [18, 12, 16, 20, 10, 40, 14, 60, 30])
    for line in ws.iter_rows(min_row=2, min_col=6, max_col=9):
        for cell in line:
            cell.alignment = WRAP
    fit_rows(ws, 2, [6, 8, 9])


def _actions(ws: Worksheet, view: Meeting) -> None:
    names = ["Rule", "Title", "Finding", "Rate (%)", "Cases judged", "Owner agency",
             "Recommended action", "Owner", "Due date", "Status", "Notes"]
    rows = [[r.rule, r.title, r.finding, r.rate, r.judged, r.owner_agency, r.action, r.owner,
             _date(r.due), r.status, None] for r in view.plan()]
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
    for line in ws.iter_rows(min_row=2, max_row=last, min_col=2, max_col=9):
        for cell in line:
            cell.alignment = WRAP
        line[-1].number_format = "DD/MM/YYYY"
    _colour_by_text(ws, f"C2:C{last}", FINDING_FILLS)
    fit_rows(ws, 2, [2, 3, 6, 7])
    widths(ws, [10, 36, 22, 9, 9, 22, 60, 18, 12, 14, 30])


# Rows a chart of this height (cm) covers at the default row height (15 pt), and a gap.
CHART_ROWS = {10: 21, 12: 25}
PAGE_COLUMNS = 15  # on paper, no more columns than this share a page


def _print_setup(sheet: Worksheet) -> None:
    """A4 landscape, header rows repeated, a print area; wide sheets split across pages.

    The Cases sheet has a column per rule: squeezed onto one page width it cannot be read,
    so it spreads over as many pages as 15 columns each need, the case id repeated on each.
    """
    sheet.print_options.gridLines = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToHeight = 0
    wide = sheet.title == "Cases" and sheet.max_column > PAGE_COLUMNS
    sheet.page_setup.fitToWidth = -(-sheet.max_column // PAGE_COLUMNS) if wide else 1
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1" if sheet.title != "Cases" else "3:3"
    if wide:
        sheet.print_title_cols = "A:B"
    sheet.print_area = f"A1:{letter(sheet.max_column)}{max(sheet.max_row, 1)}"


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
    for sheet in book.worksheets:
        _print_setup(sheet)
    return xlsx_bytes(book, data.generated_at)

