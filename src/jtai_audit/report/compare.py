"""The re-audit report: what moved between rounds, as a table, markdown, html or xlsx.

Rules and themes are named by their titles (ids beside rule titles), never by internal
keys alone. With three or more rounds the report adds the trend: a table per section and,
in html and xlsx, a line chart of each theme and of each hard-to-shift rule.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from rich import box
from rich.console import Console
from rich.table import Table

from ..stamps import xlsx_bytes
from . import charts
from .cells import html_page, html_table, md
from .xlsxkit import put, table

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


def render_table(result: dict[str, Any], names: Names | None = None) -> bytes:
    names = names or Names()
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, no_color=True, highlight=False, emoji=False)
    for key, title in HEADERS.items():
        grid = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
        for name in COLUMNS:
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
        out += [f"## {title}", "", "| " + " | ".join(COLUMNS) + " |",
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
    parts = ["<h1>Re-audit: what moved</h1>"]
    for key, title in HEADERS.items():
        parts.append(html_table(title, list(COLUMNS), _rows(key, result[key], names)))
    if "trend" in result:
        labels = _labels(result)
        themes = result["trend"]["themes"]
        series = [(names.of("themes", t), v) for t, v in themes.items()]
        parts.append("<h2>Trend</h2>" + charts.trend_lines(
            labels, series, "Each theme's percent per round"))
        hard = [(names.of("rules", r), result["trend"]["rules"][r])
                for r in result["hard_to_shift"]]
        if hard:
            parts.append(charts.trend_lines(labels, hard,
                                            "Each hard-to-shift rule's rate per round"))
        for key, title in HEADERS.items():
            parts.append(html_table(f"Trend: {title}", ["Name", *labels],
                                     _trend_rows(result, key, names)))
    parts.append(f"<p>Hard to shift ({escape(result['hard_to_shift_means'])}): "
                 f"{escape(_hard(result, names))}</p>")
    return html_page("Re-audit: what moved", parts)


def render_xlsx(result: dict[str, Any], names: Names | None = None) -> bytes:
    names = names or Names()
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Compare"
    put(sheet, 1, 1, "Re-audit: what moved")
    row = 3
    for key, title in HEADERS.items():
        put(sheet, row, 1, title)
        row = table(sheet, row + 1, list(COLUMNS), _rows(key, result[key], names))
    put(sheet, row, 1, f"Hard to shift ({result['hard_to_shift_means']}): "
                       f"{_hard(result, names)}")
    if "trend" in result:
        labels = _labels(result)
        trend = book.create_sheet("Trend")
        at = 1
        for key, title in HEADERS.items():
            put(trend, at, 1, f"Trend: {title}")
            rows = [[names.of(key, n), *v] for n, v in result["trend"][key].items()]
            start = at + 1
            at = table(trend, start, ["Name", *labels], rows)
            if key == "themes" and rows:
                chart = LineChart()
                chart.title = "Each theme's percent per round"
                chart.y_axis.title = "Percent"
                data = Reference(trend, min_col=1, max_col=1 + len(labels), min_row=start + 1,
                                 max_row=start + len(rows))
                chart.add_data(data, from_rows=True, titles_from_data=True)
                chart.set_categories(Reference(trend, min_col=2, max_col=1 + len(labels),
                                               min_row=start))
                trend.add_chart(chart, f"{chr(66 + len(labels) + 1)}{start}")
    return xlsx_bytes(book)
