"""The re-audit report: what moved between rounds, as a table, json, markdown, html or xlsx.

Rules and themes are named by their titles (ids beside rule titles), never by internal
keys alone. With three or more rounds the report adds the trend: a table per section and,
in html and xlsx, a line chart of each theme and of each hard-to-shift rule.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment
from rich import box
from rich.console import Console
from rich.table import Table

from ..stamps import xlsx_bytes
from . import charts
from .cells import html_page, html_table, md
from .xlsxkit import (
    BOLD,
    LINE,
    TITLE_FONT,
    Pager,
    column_points,
    fitted,
    paragraph,
    put,
    setup_page,
    table,
    widths,
)

HEADERS = {"rules": "Rules (rate %)", "themes": "Themes (%)", "areas": "Areas (mean score)"}
COLUMNS = ("Name", "Before", "After", "Change", "Direction", "Cases")


@dataclass(frozen=True)
class Names:
    """Rule and theme titles, so tables say what a key means."""

    rules: Mapping[str, str] = field(default_factory=dict)
    themes: Mapping[str, str] = field(default_factory=dict)

    def of(self, key: str, name: str) -> str:
        if key == "rules":
            title = self.rules.get(name)
            return f"{name} {title}" if title else name
        if key == "themes":
            return self.themes.get(name, name)
        return name


def _round_names(result: dict[str, Any]) -> tuple[str, str]:
    labels = result.get("labels") or {}
    return labels.get("before", "first round"), labels.get("after", "last round")


def _columns(result: dict[str, Any]) -> list[str]:
    """The table's headings, each Before and After naming its round."""
    before, after = _round_names(result)
    return ["Name", f"Before ({before})", f"After ({after})", "Change", "Direction",
            f"Cases ({before} / {after})"]


def _fmt(value: Any, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.1f}" if signed and value else f"{value:.1f}"


def _rows(key: str, section: dict[str, Any], names: Names) -> list[list[str]]:
    arrow = {"up": "up", "down": "down", "same": "same", None: "-"}
    return [[names.of(key, name), _fmt(e["before"]), _fmt(e["after"]), _fmt(e["change"], True),
             arrow[e["direction"]], f"{e['cases_before'] if e['cases_before'] is not None else '-'}"
             f" / {e['cases_after'] if e['cases_after'] is not None else '-'}"]
            for name, e in section.items()]


def _trend_rows(result: dict[str, Any], key: str, names: Names) -> list[list[str]]:
    return [[names.of(key, name), *(_fmt(v) for v in values)]
            for name, values in result["trend"][key].items()]


def _labels(result: dict[str, Any]) -> list[str]:
    return [r["label"] for r in result.get("rounds", [])]


def _hard(result: dict[str, Any], names: Names) -> str:
    return "; ".join(names.of("rules", r) for r in result["hard_to_shift"]) or "none"


def render_json(result: dict[str, Any], names: Names | None = None) -> bytes:
    """The figures as `engine.rounds` computed them: keys, not titles (tools join on keys)."""
    return (json.dumps(result, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_table(result: dict[str, Any], names: Names | None = None) -> bytes:
    names = names or Names()
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, no_color=True, highlight=False, emoji=False)
    for key, title in HEADERS.items():
        grid = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
        for name in _columns(result):
            grid.add_column(name, justify="left" if name in ("Name", "Direction") else "right",
                            overflow="fold")
        for row in _rows(key, result[key], names):
            grid.add_row(*row)
        console.print(grid)
    if "trend" in result:
        for key, title in HEADERS.items():
            grid = Table(box=box.SIMPLE_HEAD, title=f"Trend: {title}", title_justify="left",
                         pad_edge=False)
            grid.add_column("Name", overflow="fold")
            for label in _labels(result):
                grid.add_column(label, justify="right", overflow="fold")
            for row in _trend_rows(result, key, names):
                grid.add_row(*row)
            console.print(grid)
    console.print(f"Hard to shift ({result['hard_to_shift_means']}): {_hard(result, names)}")
    if not result["rubric"]["same"]:
        console.print("Warning: the rounds were scored with different rubrics.")
    return buffer.getvalue().encode("utf-8")


def render_markdown(result: dict[str, Any], names: Names | None = None) -> bytes:
    names = names or Names()
    out = ["# Re-audit: what moved", ""]
    for key, title in HEADERS.items():
        out += [f"## {title}", "", "| " + " | ".join(md(c) for c in _columns(result)) + " |",
                "| --- | ---: | ---: | ---: | --- | ---: |"]
        out += ["| " + " | ".join([md(r[0]), *r[1:]]) + " |" for r in _rows(key, result[key],
                                                                           names)]
        out.append("")
    if "trend" in result:
        labels = _labels(result)
        for key, title in HEADERS.items():
            out += [f"## Trend: {title}", "", "| Name | " + " | ".join(md(x) for x in labels)
                    + " |", "| --- |" + " ---: |" * len(labels)]
            out += ["| " + " | ".join([md(r[0]), *r[1:]]) + " |"
                    for r in _trend_rows(result, key, names)]
            out.append("")
    out += ["## Hard to shift", "", f"Rules {result['hard_to_shift_means']}: "
            f"{md(_hard(result, names))}", ""]
    if not result["rubric"]["same"]:
        out += ["**Warning:** the rounds were scored with different rubrics.", ""]
    return "\n".join(out).encode("utf-8")


def render_html(result: dict[str, Any], names: Names | None = None) -> bytes:
    names = names or Names()
    before, after = _round_names(result)
    parts = ["<h1>Re-audit: what moved</h1>",
             f"<h2>From {escape(before)} to {escape(after)}</h2>"]
    for key, title in HEADERS.items():
        parts.append(html_table(title, _columns(result), _rows(key, result[key], names)))
    if "trend" in result:
        labels = _labels(result)
        themes = result["trend"]["themes"]
        series = [(names.of("themes", t), v) for t, v in themes.items()]
        parts.append("<h2>Trend</h2>")
        if len(series) <= charts.MAX_PANELS:
            parts.append("<figure>" + charts.small_multiples(
                labels, series, "Each theme's percent per round") + "</figure>")
        hard = [(names.of("rules", r), result["trend"]["rules"][r])
                for r in result["hard_to_shift"]]
        if hard and len(hard) <= charts.MAX_PANELS:
            # a few rules share a chart; more would tangle, so each has its own
            draw = charts.trend_lines if len(hard) <= 5 else charts.small_multiples
            parts.append("<figure>" + draw(labels, hard, "Each hard-to-shift rule's rate per "
                                           "round") + "</figure>")
        elif hard:  # too many to chart at a size that can be read: the table says it
            parts.append(f"<p>{len(hard)} rules are hard to shift, too many to chart at a "
                         "readable size: their rates per round are in the table Trend: Rules "
                         "below, marked in its last column.</p>")
        marked = set(result["hard_to_shift"]) if len(hard) > charts.MAX_PANELS else set()
        for key, title in HEADERS.items():
            rows = _trend_rows(result, key, names)
            header = ["Name", *labels]
            if key == "rules" and marked:
                header.append("Hard to shift")
                rows = [[*row, "yes" if name in marked else ""]
                        for row, name in zip(rows, result["trend"][key], strict=True)]
            parts.append(html_table(f"Trend: {title}", header, rows))
    hard_rules = result["hard_to_shift"]
    listed = (f"{len(hard_rules)} rules, marked in the table Trend: Rules"
              if "trend" in result and len(hard_rules) > charts.MAX_PANELS
              else _hard(result, names))
    parts.append(f"<p>Hard to shift ({escape(result['hard_to_shift_means'])}): "
                 f"{escape(listed)}</p>")
    return html_page("Re-audit: what moved", parts)


def _numbers(key: str, section: dict[str, Any], names: Names) -> list[list[Any]]:
    """The table's rows for a spreadsheet: figures as numbers, a blank where none."""
    return [[names.of(key, name), e["before"], e["after"], e["change"],
             e["direction"] or "-", e["cases_before"], e["cases_after"]]
            for name, e in section.items()]


def _trend_chart(sheet: Any, start: int, rows: int, labels: list[str],
                 values: list[float], width: float) -> LineChart:
    """Straight lines with markers, the axis fitted to the figures and saying so."""
    low: float = max(0, 10 * math.floor(min(values) / 10) - 10) if values else 0
    high: float = min(100, 10 * math.ceil(max(values) / 10)) if values else 100
    chart = LineChart()
    # The fitted axis is said in the title: an axis title would print turned on its side.
    chart.title = "Each theme's percent per round" + (
        f" (axis {low} to {high})" if (low, high) != (0, 100) else "")
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = low, high
    chart.y_axis.majorUnit = 10
    chart.y_axis.number_format = "0"
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    data = Reference(sheet, min_col=1, max_col=1 + len(labels), min_row=start + 1,
                     max_row=start + rows)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, max_col=1 + len(labels), min_row=start))
    for number, series in enumerate(chart.series):
        series.smooth = False
        series.marker.symbol = MARKERS[number % len(MARKERS)]
        series.marker.size = 7
    if chart.legend is not None:
        chart.legend.position = "b"
    chart.width, chart.height = int(width), CHART_CM  # no wider than the printed columns
    return chart


CENTRED = Alignment(horizontal="center", vertical="top")
MARKERS = ("circle", "square", "triangle", "diamond", "x", "star", "plus", "dot")
CHART_CM = 10
CHART_ROWS = 20  # rows of 15 pt a 10 cm chart covers, and one to spare


def render_xlsx(result: dict[str, Any], names: Names | None = None) -> bytes:
    names = names or Names()
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Compare"
    before, after = _round_names(result)
    header = [*_columns(result)[:5], f"Cases ({before})", f"Cases ({after})"]
    every = [header] + [r for key in HEADERS for r in _numbers(key, result[key], names)]
    widths(sheet, fitted(every, [62, 12, 12, 10, 10, 12, 12]))
    pager = Pager(sheet)
    row = paragraph(sheet, 1, "Re-audit: what moved", 7, TITLE_FONT) + 1
    for key, title in HEADERS.items():
        at = row
        put(sheet, row, 1, title).font = BOLD
        row = table(sheet, row + 1, header, _numbers(key, result[key], names))
        for line in sheet.iter_rows(min_row=at + 2, max_row=row - 1, min_col=4, max_col=5):
            line[0].number_format = "+0.0;-0.0;0.0"
            line[1].alignment = CENTRED  # clear of the change's digits beside it
        pager.block(at, row - 1)
    at = row = row + 1
    row = paragraph(sheet, row, f"Hard to shift ({result['hard_to_shift_means']}): "
                    f"{_hard(result, names)}", 7)
    pager.block(at, row - 1)
    setup_page(sheet, None)
    if "trend" in result:
        labels = _labels(result)
        trend = book.create_sheet("Trend")
        rows_of = {key: [[names.of(key, n), *v] for n, v in result["trend"][key].items()]
                   for key in HEADERS}
        widths(trend, fitted([["Name", *labels], *(r for rows in rows_of.values()
                                                    for r in rows)],
                             [62, *([14] * len(labels))]))
        pager = Pager(trend)
        at = 1
        for key, title in HEADERS.items():
            first = at
            put(trend, at, 1, f"Trend: {title}").font = BOLD
            start = at + 1
            rows = rows_of[key]
            at = table(trend, start, ["Name", *labels], rows)
            if key == "themes" and rows:
                values = [v for r in rows for v in r[1:] if isinstance(v, int | float)]
                room = sum(column_points(trend, c) for c in range(1, len(labels) + 2))
                chart = _trend_chart(trend, start, len(rows), labels, values,
                                     room / 28.35)
                pager.block(first, at, CHART_ROWS * LINE)  # the table with its chart
                trend.add_chart(chart, f"A{at}")
                at += CHART_ROWS + 1
            else:
                pager.block(first, at - 1)
        setup_page(trend, None)
    return xlsx_bytes(book)
