"""The meeting packs as a chair sees them: numbers as numbers, rounds named, charts readable,
ids whole, provenance last (what `make check-render` cannot check without a PDF)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from jtai_audit.report import charts, formatter
from jtai_audit.report.cells import html_ids
from jtai_audit.report.compare import render_html, render_markdown, render_xlsx
from jtai_audit.report.htmlstyle import STYLE
from jtai_audit.report.learning import render_xlsx as learning_xlsx

from ..golden.fixture import meeting_data

runner = CliRunner()


def _result() -> dict[str, object]:
    entry = {"before": 41.0, "after": 54.8, "change": 13.8, "direction": "up",
             "cases_before": 36, "cases_after": 36}
    return {"rules": {"VOICE-4": entry}, "themes": {"voice": entry},
            "areas": {"Ashcombe": {**entry, "change": -2.5, "direction": "down"}},
            "hard_to_shift": ["VOICE-4"], "hard_to_shift_means": "below it in all 3 rounds",
            "rubric": {"same": True}, "labels": {"before": "Spring 2025", "after": "Spring 2026"},
            "rounds": [{"label": x} for x in ("Spring 2025", "Autumn 2025", "Spring 2026")],
            "trend": {"rules": {"VOICE-4": [41.0, 50.0, 54.8]},
                      "themes": {f"t{i}": [80.0 + i, 85.0, 90.0 + i / 2] for i in range(8)},
                      "areas": {"Ashcombe": [50.0, 55.0, 60.0]}}}


def test_compare_xlsx_stores_numbers_names_rounds_and_fits_widths() -> None:
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(_result())))
    sheet = book["Compare"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Name")
    assert [c.value for c in header][1:3] == ["Before (Spring 2025)", "After (Spring 2026)"]
    numbers = [c for c in cells if isinstance(c.value, int | float)]
    assert {c.value for c in numbers} >= {41.0, 54.8, 13.8, -2.5}
    assert not [c for c in cells if isinstance(c.value, str)
                and re.fullmatch(r"[+-]?\d+(\.\d+)?", c.value)]
    change = next(c for c in numbers if c.value == 13.8)
    assert change.number_format == "+0.0;-0.0;0.0"
    assert len({sheet.column_dimensions[x].width for x in "ABCD"}) > 1  # from content
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.orientation == "landscape"


def test_compare_trend_chart_is_straight_marked_fitted_and_titled() -> None:
    payload = render_xlsx(_result())
    trend = openpyxl.load_workbook(io.BytesIO(payload))["Trend"]
    names = [c.value for c in trend["A"]]
    first = names.index("t0") + 1
    assert all(isinstance(trend.cell(first, 2 + i).value, int | float) for i in range(3))
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "Each theme's percent per round" in chart  # a title
    assert chart.count('<smooth val="0" />') == 8 and '<smooth val="1" />' not in chart
    assert chart.count("<marker><symbol") == 8 and 'symbol val="none"' not in chart
    assert '<min val="70" />' in chart and '<max val="100" />' in chart
    assert "axis 70 to 100" in chart  # the fitted axis says so
    assert '<legendPos val="b" />' in chart  # below the plot, not over the lines


def test_compare_markdown_and_html_name_the_rounds_and_draw_small_multiples() -> None:
    text = render_markdown(_result()).decode()
    assert "| Name | Before (Spring 2025) | After (Spring 2026) |" in text
    html = render_html(_result()).decode()
    assert "Before (Spring 2025)" in html and '<span class="id">VOICE-4</span>' in html
    assert html.count("<svg") >= 2
    assert "axis 70 to 100" in html  # the fitted axis says so


def test_fitted_axis_and_small_multiples() -> None:
    assert charts.fitted_axis([85.0, 97.0]) == (80.0, 100.0)
    assert charts.fitted_axis([0.0, 100.0]) == (0.0, 100.0)
    assert charts.fitted_axis([None]) == (0.0, 100.0)
    svg = charts.small_multiples(["A", "B", "C"], [(f"Theme {i}", [50.0, 60.0, None])
                                                 for i in range(8)], "Each theme")
    assert svg.count("Theme ") >= 8 and "<title>Each theme: Theme 0: A 50.0, B 60.0, C no " \
        "figure; Theme 1:" in svg  # the text alternative gives the figures
    # Drawn at the size it prints, across an A4 landscape page, its text 10 pt or more.
    width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    assert width <= 10.75 * 72
    sizes = [float(x) for x in re.findall(r"font-size: ?([\d.]+)px", svg)]
    assert sizes and min(sizes) >= 10


def test_learning_xlsx_stores_rates_as_numbers_and_small_counts_as_words() -> None:
    book = openpyxl.load_workbook(io.BytesIO(learning_xlsx(meeting_data())))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert not [c.value for c in cells if isinstance(c.value, str)
                and re.fullmatch(r"[+-]?\d+(\.\d+)?", c.value)]
    assert any(c.value == "fewer than 5" for c in cells)
    assert any(isinstance(c.value, float) for c in cells)
    assert "Legal status" in [c.value for c in cells] and "Legal statu" not in [
        c.value for c in cells]
    for ws in book.worksheets:
        assert ws.page_setup.fitToWidth == 1 and ws.print_area


def test_html_ids_never_break_and_agencies_flow() -> None:
    assert html_ids("VOICE-4 and RS-009 <b>") == (
        '<span class="id">VOICE-4</span> and <span class="id">RS-009</span> &lt;b&gt;')
    assert re.search(r"\.id \{ white-space: nowrap; \}", STYLE)
    agency = STYLE[STYLE.index("section.agency {"):]
    assert "break-before: page" not in agency.split("}")[0]  # no page of its own
    # It may break between its parts and between its letter's sentences, never inside a row
    # or a sentence, its headings kept with what follows.
    assert "section.agency tr, section.agency li { break-inside: avoid;" in STYLE
    assert "section.agency h3, section.agency h4, section.agency h3 + p { break-after: avoid;" \
        in STYLE
    assert not re.search(r"font-size: [0-7](\.\d+)?pt", STYLE)  # nothing under 8 pt
    html = formatter("html")(meeting_data()).decode()
    assert '<span class="id">' in html


def test_markdown_puts_provenance_last(tmp_path: Path) -> None:
    text = formatter("markdown")(meeting_data()).decode()
    assert text.index("## Provenance") > text.index("## Headline numbers")
    assert text.index("## Provenance") > text.index("## Feedback to each agency")
