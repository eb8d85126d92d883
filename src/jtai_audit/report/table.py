"""The terminal table: per case, then by theme and by area; fits 80 columns."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table

from ..engine.grading import limit_name
from .data import ReportData

GRADE_STYLE = {"Outstanding": "bold green", "Good": "green", "Requires improvement": "yellow",
               "Inadequate": "bold red"}


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


PRIORITY_IDS = 50  # ids named on the terminal; the rest are counted


def _agency(console: Console, data: ReportData) -> None:
    """One agency's own picture: its rules in the cases it owns them, and the rest.

    Its completeness and the rules its answers fed: what an agency that owns no rule can
    act on.
    """
    assert data.agency is not None
    figures = data.summary.agency_figures(data.agency)
    titles = {r.id: r.title for r in data.rubric.model.rules}
    rules = Table(box=box.SIMPLE_HEAD, title=f"{data.agency}: its rules, in the cases it owns "
                  "them", title_justify="left", pad_edge=False)
    for name in ("Rule", "Title"):
        rules.add_column(name, overflow="fold")
    for name in ("Rate %", "Cases"):
        rules.add_column(name, justify="right")
    rules.add_column("Finding", overflow="fold")
    for rule, f in figures.rules.items():
        if f.cases or f.unanswered:
            rules.add_row(rule, titles.get(rule, rule), _fmt(f.rate), str(f.cases),
                          f.finding or "-")
    if rules.row_count:
        console.print(rules)
    own = figures.completeness
    short = [f"{c} {min(p, 99.9):.1f}%" for c, p in own.items() if p < 100]
    console.print(f"Its own answers, over the {figures.cases} children it is involved with: "
                  f"{len(own) - len(short)} of {len(own)} columns complete"
                  + (f"; below 100%: {', '.join(short)}" if short else "") + ".")
    fed = Table(box=box.SIMPLE_HEAD, title="The rules its answers fed", title_justify="left",
                pad_edge=False)
    for name in ("Rule", "Title"):
        fed.add_column(name, overflow="fold")
    for name in ("Rate %", "Cases"):
        fed.add_column(name, justify="right")
    for rule, (rate, cases) in figures.fed.items():
        if cases:
            fed.add_row(rule, titles.get(rule, rule), _fmt(rate), str(cases))
    if fed.row_count:
        console.print(fed)


def render(data: ReportData) -> bytes:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, force_terminal=data.color, no_color=not data.color,
                      highlight=False, emoji=False)
    model = data.rubric.model
    console.print(f"[bold]{model.title or model.id}[/] (rubric {model.id} v{model.version})")
    cases = Table(box=box.SIMPLE_HEAD, title="Cases", title_justify="left", pad_edge=False)
    cases.add_column("Case", overflow="fold", max_width=16)
    cases.add_column("Area", overflow="fold", max_width=16)
    cases.add_column("Score", justify="right")
    cases.add_column("Indicative grade", overflow="fold")
    cases.add_column("Complete", overflow="fold", max_width=12)
    for result in data.results:
        grade = result.grade or "-"
        style = GRADE_STYLE.get(grade, "")
        mark = "*" if result.provisional else ""
        complete = "yes" if result.complete else f"no ({len(result.unanswered)} blank)"
        deciding = result.deciding_limit
        limit = f" — {deciding.words()}" if deciding else ""
        cases.add_row(result.case.case_id, data.summary.area_name(result.area),
                      _fmt(result.shown_score),
                      (f"[{style}]{grade}[/]{mark}" if style else grade + mark) + limit,
                      complete)
    console.print(cases)
    if data.cases_not_listed:
        console.print(f"… and {data.cases_not_listed:,} more cases, not listed here (cases "
                      "with a critical rule not met and the lowest scores come first; the "
                      "json, jsonl and csv formats list every case).")
    summary = data.summary
    themes = Table(box=box.SIMPLE_HEAD, title="By theme", title_justify="left", pad_edge=False)
    themes.add_column("Theme", overflow="fold")
    themes.add_column("Score %", justify="right")
    themes.add_column("Cases", justify="right")
    for theme_id, theme in model.themes.items():
        tally = summary.themes.get(theme_id)
        if tally is None:
            continue
        themes.add_row(theme.title, _fmt(tally.percent), str(tally.count))
    if themes.row_count:  # one agency's feedback may own no rule (its picture follows)
        console.print(themes)
    if data.agency is not None:
        _agency(console, data)
    areas = Table(box=box.SIMPLE_HEAD, title="By area", title_justify="left", pad_edge=False)
    areas.add_column("Area", overflow="fold")
    areas.add_column("Cases", justify="right")
    areas.add_column("Mean score", justify="right")
    for name, group in sorted((summary.area_name(k), g) for k, g in summary.areas.items()):
        areas.add_row(name, str(group.cases), _fmt(group.mean_score))
    console.print(areas)
    grades = ", ".join(f"{g}: {n}" for g, n in summary.figures().grades.items())
    console.print(f"{summary.cases} cases, mean score {_fmt(summary.mean_score)}. {grades}.")
    if summary.limited_cases:
        by = ", ".join(f"{n} by {limit_name(rule)}"
                       for rule, n in summary.limited_by_rule.most_common())
        console.print(f"{summary.limited_cases} case(s) limited below their score's grade: "
                      f"{by}.")
    if summary.priority:
        ids = ", ".join(p["case_id"] for p in summary.priority[:PRIORITY_IDS])
        rest = summary.priority_count - min(len(summary.priority), PRIORITY_IDS)
        more = f" and {rest:,} more" if rest > 0 else ""
        console.print("[bold]Priority cases[/] (a critical rule not met, or limited to "
                      f"Inadequate): {ids}{more}")
    console.print("Grades are indicative, from the rubric; they are not inspection judgements."
                  + (" * provisional: the case is incomplete." if summary.incomplete else ""))
    return buffer.getvalue().encode("utf-8")
