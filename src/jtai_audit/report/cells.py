"""Making values safe and readable in a cell: spreadsheets, CSV and Markdown.

Area names and case ids come from the auditors' workbooks, so every report treats them
as untrusted text: a value a spreadsheet would run as a formula is neutralised (OWASP CSV
injection) and a value Markdown would read as markup is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

# Inside a table cell only these can start markup (links, emphasis, HTML, code, a new cell).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")

OUTCOME_LABELS = {"met": "Met", "partly_met": "Partly met", "not_met": "Not met",
                  "not_evidenced": "Not evidenced", "not_applicable": "N/A"}
FINDING_LABELS = {"strength": "Strength", "improvement": "Area for improvement",
                  "priority": "Area for priority action"}
FINDING_SHORT = {"strength": "Strength", "improvement": "Improvement",
                 "priority": "Priority action"}
FINDING_HEADINGS = {"strength": "Strengths", "improvement": "Areas for improvement",
                    "priority": "Areas for priority action"}
TOO_FEW = "Too few cases to judge"
CONCERN_TEXT = ("Cases where a critical rule is not met, or the record is silent on it, or a "
                "limit makes the grade Inadequate, and the case is not closed with evidenced "
                "risk reduction. Take them to the local escalation procedure before the "
                "meeting.")
LETTER_TEXT = ("Written from the findings below: each sentence is a rule's title with its rate "
               "and the cases judged, as in the Rules table; each priority action has its "
               "row in the Action plan. Nothing here is written from the case notes.")
LISTED_CONCERNS = 50  # reports list this many, then count the rest (json lists all)
RATE_TEXT = ("Rate: met counts in full and partly met as half, out of the cases judged (met, "
             "partly met, not met, not evidenced); rules left open by cells still blank are "
             "counted apart and left out.")
INDICATIVE = ("Grades are indicative: they come from the rubric's rules applied to the "
              "audit answers. They are not inspection judgements.")


def md(value: Any) -> str:
    """Untrusted text for a Markdown table cell: one line, markup characters escaped."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(value: Any) -> str:
    """Our own identifiers (field names, evidence) as a Markdown code span."""
    text = " ".join(str(value).replace("`", "'").split()).replace("|", "/")
    return f"`{text}`" if text else ""


def pct(value: float | None) -> str:
    """A percentage to one decimal place; a dash when nothing was judged."""
    return "-" if value is None else f"{value:.1f}%"


def num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def evidence_text(evidence: Iterable[tuple[str, Any]]) -> str:
    """Evidence as `field=value; field=value` (lists joined with commas)."""
    parts = []
    for name, value in evidence:
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
        parts.append(f"{name}={shown}")
    return "; ".join(parts)


def cases(count: int) -> str:
    return f"{count} case" if count == 1 else f"{count} cases"


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


SIMPLE_STYLE = ("body{font-family:sans-serif;max-width:70rem;margin:auto;padding:1rem}"
                "table{border-collapse:collapse;margin-bottom:1.5rem}caption{text-align:left;"
                "font-weight:bold}td,th{border:1px solid #888;padding:.25rem .5rem;"
                "text-align:left}svg{max-width:100%;height:auto}"
                ".notice{border-left:4px solid #555;padding-left:.5rem}"
                ".id{white-space:nowrap}figure{margin:1rem 0}figure svg{width:100%;height:auto}"
                "@media print{@page{size:A4 landscape;margin:12mm}body{font-size:10pt;"
                "max-width:none;padding:0}table{font-size:9pt}h2{break-after:avoid}"
                "tr,figure,table.short{break-inside:avoid}thead{display:table-header-group}"
                "figure svg{max-height:175mm}}")


_ID = re.compile(r"\b([A-Z][A-Z0-9]*-[0-9]+)\b")


def html_ids(text: str) -> str:
    """Escaped text with every id ("VOICE-4", "RS-009") kept whole: never broken at its hyphen."""
    return _ID.sub(r'<span class="id">\1</span>', escape(text))


def html_table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain, escaped table for the one-page reports (learning summary, re-audit)."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html_ids(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    title = f"<caption>{escape(caption)}</caption>" if caption else ""
    short = ' class="short"' if len(rows) <= 20 else ""  # kept whole on a printed page
    return f"<table{short}>{title}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_page(title: str, parts: Sequence[str]) -> bytes:
    """A self-contained page that loads nothing: inline style, inline SVG only."""
    page = ('<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            f"<title>{escape(title)}</title>\n<style>{SIMPLE_STYLE}</style>\n</head>\n"
            "<body>\n<main>\n" + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")
    return page.encode("utf-8")


def as_number(text: str) -> str | int | float:
    """A shown figure back as a number for a spreadsheet; words ("fewer than 5") stay words."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
