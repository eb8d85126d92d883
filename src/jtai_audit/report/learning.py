"""The learning summary (`--audience learning`): the audit's lessons, shareable beyond the meeting.

Built from the summary only, never from the cases, so nothing here can name a child: no
case ids, no per-case table, no concern, priority, conflict or missing-return list (their
counts only). Areas and agencies stay. Small numbers are suppressed as statistical
disclosure control asks: every count from 1 to 4, and every rate or mean resting on fewer
than 5 cases, reads "fewer than 5".
"""

from __future__ import annotations

import csv
import io
import json
from html import escape
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..engine.grading import limit_name
from ..files import neutralise
from ..stamps import xlsx_bytes
from .cells import INDICATIVE, RATE_TEXT, as_number, html_page, html_table, md
from .data import ReportData
from .summary_json import summary_dict
from .xlsxkit import BOLD, Pager, fitted, paragraph, put, setup_page, table, widths

SMALL = "fewer than 5"
OUTCOMES = ("met", "partly_met", "not_met", "not_applicable", "not_evidenced", "unanswered")


def count(value: int | None) -> int | str | None:
    """A count as shared: 1 to 4 suppressed (0 is safe: it names nobody)."""
    return SMALL if value is not None and 0 < value < 5 else value


def figure(value: float | None, cases: int | None) -> float | str | None:
    """A rate or mean as shared: suppressed when fewer than 5 cases are behind it."""
    if value is None:
        return None
    return SMALL if cases is None or cases < 5 else value


def learning_dict(data: ReportData) -> dict[str, Any]:
    """The learning summary as JSON: the score report's keys, suppressed and without cases."""
    doc = summary_dict(data.summary)
    scored = data.summary.scored
    rules = {r: {**{o: count(b.get(o, 0)) for o in OUTCOMES},
                 "rate": figure(b["rate"], b["cases"]), "cases": count(b["cases"]),
                 "finding": b["finding"] if b["cases"] >= 5 else None}
             for r, b in doc["rules"].items()}
    themes = doc["themes"]
    theme_cases = doc["theme_cases"]
    summary: dict[str, Any] = {
        "audience": "learning",
        "cases": count(doc["cases"]),
        "complete": count(doc["complete"]),
        "incomplete": count(doc["incomplete"]),
        "mean_score": figure(doc["mean_score"], scored),
        "grades": {g: count(n) for g, n in doc["grades"].items()},
        "limited": {"cases": count(doc["limited"]["cases"]),
                    "by_rule": {r: count(n) for r, n in doc["limited"]["by_rule"].items()}},
        "themes": {t: figure(p, theme_cases.get(t)) for t, p in themes.items()},
        "theme_cases": {t: count(n) for t, n in theme_cases.items()},
        "rules": rules,
        "findings": {kind: [r for r in ids if rules[r]["finding"] == kind]
                     for kind, ids in doc["findings"].items()},
        "areas": _groups(doc["areas"]),
        "owners": {o: {"percent": figure(v["percent"], v["cases"]), "cases": count(v["cases"])}
                   for o, v in doc["owners"].items()},
        "legal_status": _groups(doc["legal_status"]),
        "age_bands": _groups(doc["age_bands"]),
        "recording_gaps": {r: count(n) for r, n in doc["recording_gaps"].items()},
        "concerns": count(data.summary.concern_count),
        "priority_cases": count(data.summary.priority_count),
    }
    returns = doc.get("returns")
    if returns is not None:
        summary["returns"] = {
            "missing": {a: count(len(ids)) for a, ids in returns["missing"].items()},
            "conflicts": count(returns["conflicts"]),
            "not_scored": count(len(returns["not_scored"]))}
    return {"tool": data.tool(), "rubric": data.rubric_block(),
            "inputs": [{"path": i.path, "sha256": i.sha256, "cases": count(i.cases)}
                       for i in data.inputs],
            "generated_at": data.generated_at, "audience": "learning", "cases": [],
            "summary": summary}


def _groups(groups: dict[str, Any]) -> dict[str, Any]:
    return {name: {"cases": count(g["cases"]), "mean_score": figure(g["mean_score"], g["cases"]),
                   "themes": {t: figure(p, g["cases"]) for t, p in g["themes"].items()}}
            for name, g in groups.items()}


def render_json(data: ReportData) -> bytes:
    return (json.dumps(learning_dict(data), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_jsonl(data: ReportData) -> bytes:
    doc = learning_dict(data)
    line = {"type": "summary", **{k: v for k, v in doc.items() if k not in ("cases",)}}
    return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _tables(data: ReportData) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every table of the learning summary: title, header, rows (values already suppressed)."""
    doc = learning_dict(data)["summary"]
    model = data.rubric.model
    titles = {r.id: r.title for r in model.rules}
    owners = {r.id: r.owner_text for r in model.rules}
    theme_titles = {t: th.title for t, th in model.themes.items()}
    headline = [["Cases audited", _shown(doc["cases"])],
                ["Mean score", _shown(doc["mean_score"])],
                ["Cases of immediate concern (taken to the local escalation procedure)",
                 _shown(doc["concerns"])]]
    headline += [[f"Indicative grade: {g}", _shown(n)] for g, n in doc["grades"].items()]
    headline.append(["Cases limited below their score's grade", _shown(doc["limited"]["cases"])])
    headline += [[f"Limited by {limit_name(r)}", _shown(n)]
                 for r, n in doc["limited"]["by_rule"].items()]
    out = [("Headline numbers", ["Measure", "Value"], headline),
           ("Themes", ["Theme", "Score (%)", "Cases"],
            [[theme_titles.get(t, t), _shown(p), _shown(doc["theme_cases"].get(t))]
             for t, p in doc["themes"].items()]),
           ("Rules", ["Rule", "Title", "Owner agency", "Rate (%)", "Cases judged", "Finding"],
            [[r, titles.get(r, r), owners.get(r, ""), _shown(b["rate"]), _shown(b["cases"]),
              (b["finding"] or "-").replace("improvement", "area for improvement")
              .replace("priority", "area for priority action")]
             for r, b in doc["rules"].items()])]
    for key, title in (("areas", "Areas"), ("legal_status", "Legal status"),
                       ("age_bands", "Age bands")):
        out.append((title, [{"Areas": "Area", "Age bands": "Age band"}.get(title, title),
                            "Cases", "Mean score"],
                    [[n, _shown(g["cases"]), _shown(g["mean_score"])]
                     for n, g in doc[key].items()]))
    out.append(("Owner agencies", ["Owner agency", "Score (%)", "Cases"],
                [[o, _shown(v["percent"]), _shown(v["cases"])] for o, v in doc["owners"].items()]))
    if "returns" in doc:
        out.append(("Agency returns", ["Agency", "Returns still awaited"],
                    [[a, _shown(n)] for a, n in doc["returns"]["missing"].items()]
                    + [["Conflicting cells", _shown(doc["returns"]["conflicts"])]]))
    return out


NOTE = ("Learning summary for sharing beyond the audit meeting: no case is named, and every "
        "count from 1 to 4 and every figure resting on fewer than 5 cases reads 'fewer than 5'.")


def render_markdown(data: ReportData) -> bytes:
    model = data.rubric.model
    lines = [f"# Learning summary: {md(model.title or model.id)}", "", f"> {NOTE}", "",
             f"> **Indicative grades.** {INDICATIVE}", "", RATE_TEXT, ""]
    for title, header, rows in _tables(data):
        lines += [f"## {title}", "", "| " + " | ".join(header) + " |",
                  "| " + " | ".join("---" for _ in header) + " |"]
        lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
        lines.append("")
    lines.append(f"Generated {data.generated_at} by jtai-audit {data.tool()['version']}.")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_html(data: ReportData) -> bytes:
    model = data.rubric.model
    parts = [f"<h1>Learning summary: {escape(model.title or model.id)}</h1>",
             f'<p class="notice">{escape(NOTE)}</p>',
             f"<p><strong>Indicative grades.</strong> {escape(INDICATIVE)}</p>",
             f"<p>{escape(RATE_TEXT)}</p>"]
    for title, header, rows in _tables(data):
        parts.append(f"<h2>{escape(title)}</h2>" + html_table(title, header, rows, heading=True))
    return html_page("Learning summary", parts)


def render_csv(data: ReportData) -> bytes:
    """The rules table as CSV: no per-case rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    _, header, rows = _tables(data)[2]
    writer.writerow(header)
    writer.writerows([[neutralise(c) for c in row] for row in rows])
    return out.getvalue().encode("utf-8")



def _sheet(ws: Worksheet, tables: list[tuple[str, list[str], list[list[str]]]],
           most: list[float], note: str | None = None) -> None:
    """Tables one below another, numbers as numbers, each kept whole on an A4 page."""
    cells: list[list[Any]] = [h for _, h, _ in tables]
    cells += [[as_number(c) for c in row] for _, _, rows in tables for row in rows]
    widths(ws, fitted(cells, most))
    pager = Pager(ws)
    row = 1
    if note:
        row = paragraph(ws, row, note, len(most), BOLD) + 1
        pager.block(1, row - 1)
    for title, header, rows in tables:
        at = row
        if title:
            put(ws, row, 1, title).font = BOLD
            row += 1
        row = table(ws, row, header, [[as_number(c) for c in r] for r in rows])
        pager.block(at, row - 1)
    setup_page(ws, None if note else "1:1")


def render_xlsx(data: ReportData) -> bytes:
    """A Summary, Rules and Action plan workbook without the Cases or Priority cases sheets."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Summary"
    tables = _tables(data)
    _sheet(sheet, tables[:2] + tables[3:], [48, 14, 14], NOTE)
    _, header, rows = tables[2]
    _sheet(book.create_sheet("Rules"), [("", header, rows)], [10, 44, 20, 12, 12, 26])
    _sheet(book.create_sheet("Action plan"),
           [("", ["Rule", "Title", "Finding", "Rate (%)", "Cases judged", "Owner agency"],
             [[r[0], r[1], r[5], r[3], r[4], r[2]] for r in rows if "area for" in r[5]])],
           [10, 44, 26, 12, 12, 20])
    return xlsx_bytes(book, data.generated_at)
