"""One self-contained HTML page for the audit meeting: projector first, printable, accessible.

Nothing is fetched when the page opens (charts are inline SVG, no fonts or scripts, and a
Content-Security-Policy forbids loads), because reports about children travel by email
and are opened on locked-down machines. Everything is escaped with `html.escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..rubric.wording import CAP_NOTE
from . import charts
from .cells import (
    CONCERN_TEXT,
    FINDING_SHORT,
    INDICATIVE,
    LETTER_TEXT,
    OUTCOME_LABELS,
    RATE_TEXT,
    TOO_FEW,
    html_ids,
    num,
    pct,
)
from .data import ReportData
from .htmlstyle import CSP, STYLE
from .views import Meeting

GRADE_CLASS = {"Outstanding": "g-out", "Good": "g-good", "Requires improvement": "g-ri",
               "Inadequate": "g-inad"}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _w(value: object) -> str:
    """Escaped text whose case and rule ids never break at their hyphen."""
    return html_ids(str(value))


SHORT = 15  # rows: a table this short is kept whole on a printed page


def _table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]],
           numeric: Sequence[int] = (), row_headers: bool = True, kind: str = "") -> str:
    """A table with a caption, column headers and (by default) the first cell as row header.

    Cells in `rows` are already-escaped HTML; headers and caption are escaped here. A
    short table is kept whole on paper; `kind` names it for the stylesheet.
    """
    classes = " ".join(c for c in (kind, "short" if len(rows) <= SHORT else "") if c)
    head = "".join(f'<th scope="col"{_num(i, numeric)}>{_e(h)}</th>'
                   for i, h in enumerate(header))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            tag = "th" if i == 0 and row_headers else "td"
            scope = ' scope="row"' if tag == "th" else ""
            cells.append(f"<{tag}{scope}{_num(i, numeric)}>{cell}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    attribute = f' class="{classes}"' if classes else ""
    return (f"<table{attribute}><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _num(index: int, numeric: Sequence[int]) -> str:
    return ' class="num"' if index in numeric else ""


def _grade(grade: str | None, provisional: bool = False, limited_by: str = "") -> str:
    if not grade or grade == "-":
        return "-"
    mark = " (provisional)" if provisional else ""
    limit = f"<br><small>{_e(limited_by)}</small>" if limited_by else ""
    return f'<span class="grade {GRADE_CLASS.get(grade, "")}">{_e(grade)}{mark}</span>{limit}'


def _finding(kind: str | None, rate: float | None = None) -> str:
    if not kind:
        return _e(TOO_FEW) if rate is not None else "-"
    return f'<span class="finding f-{kind}">{_e(FINDING_SHORT[kind])}</span>'


def _section(ident: str, title: str, body: str, major: bool = True,
             appendix: bool = False) -> str:
    cls = ' class="major appendix"' if appendix else ' class="major"' if major else ""
    return (f'<section id="{ident}"{cls} aria-labelledby="h-{ident}">'
            f'<h2 id="h-{ident}">{_e(title)}</h2>{body}</section>')


def _figure(svg: str, caption: str, table: str) -> str:
    return (f'<div class="chart-pair"><figure>{svg}<figcaption>{_e(caption)}</figcaption>'
            f"</figure>{table}</div>")


def _paragraphs(letter: list[tuple[str, list[str]]], level: int) -> str:
    parts = []
    for heading, sentences in letter:
        items = "".join(f"<li>{_w(s)}</li>" for s in sentences) or \
            "<li>None on the evidence of these cases.</li>"
        parts.append(f"<h{level}>{_e(heading)}</h{level}><ul>{items}</ul>")
    return "".join(parts)


def _letter(view: Meeting) -> str:
    return f"<p>{_e(LETTER_TEXT)}</p>" + _paragraphs(view.letter(), 3)


def _agencies(view: Meeting) -> str:
    parts = []
    for section in view.agencies():
        parts.append(f'<section class="agency"><h3>{_e(section.agency)}</h3>'
                     f"<p>{_e(section.involvement())}</p>")
        parts.append(f'<div class="letter">{_paragraphs(section.letter, 4)}</div>')
        if section.rules:
            parts.append(_table(f"{section.agency}: its rules, in the cases it owns them",
                                ["Rule", "Title", "Rate", "Cases judged", "Finding"],
                                [[_w(r.rule), _e(r.title), pct(r.rate), str(r.judged),
                                  _finding(r.finding, r.rate)] for r in section.rules],
                                numeric=[2, 3]))
        parts.append(f"<p>{_e(section.completeness_line())}</p>")
        if section.fed:
            parts.append(_table(f"{section.agency}: the rules its answers fed",
                                ["Rule", "Title", "Rate", "Cases judged"],
                                [[_e(r), _e(t), pct(p), str(n)] for r, t, p, n in section.fed],
                                numeric=[2, 3]))
        if section.missing:
            parts.append(f"<p>Returns still awaited: {_e(', '.join(section.missing))}.</p>")
        if section.conflicts:
            parts.append(f"<p>Cells where its record disagrees with another agency's: "
                         f"{_e(', '.join(section.conflicts))}.</p>")
        parts.append("</section>")
    return "".join(parts)


def _concerns(view: Meeting) -> str:
    rows, rest = view.concerns()
    body = f"<p>{_e(CONCERN_TEXT)}</p>"
    if not rows:
        return body + "<p>None.</p>"
    body += _table("Cases of immediate concern", ["Case", "Source", "Rules behind the concern"],
                   [[_w(c), _e(s), _w(r)] for c, s, r in rows])
    return body + (f"<p>… and {rest} more (the JSON report lists them all).</p>" if rest else "")


def _provenance(view: Meeting) -> str:
    rows = [[_e(k), f"<code>{_e(v)}</code>" if "sha256" in k else _e(v)]
            for k, v in view.provenance()]
    inputs = [[_e(p), f"<code>{_e(s)}</code>", _e(c)] for p, s, c in view.inputs()]
    return (_table("What made this report", ["Item", "Value"], rows)
            + _table("Input files", ["File", "sha256", "Cases"], inputs, numeric=[2]))


def _headline(view: Meeting) -> str:
    tiles = "".join(f'<div class="tile"><span class="value">{_e(v)}</span>'
                    f'<span class="label">{_e(k)}</span></div>' for k, v in view.headline())
    return f'<div class="tiles">{tiles}</div>'


def _themes(view: Meeting) -> str:
    rows = view.theme_rows()
    rated = [(title, p) for _, title, p, _ in rows if p is not None]
    table = _table("Theme scores", ["Theme", "Score", "Cases"],
                   [[_e(title), pct(p), str(n)] for _, title, p, n in rows], numeric=[1, 2])
    if not rated:
        return table
    label = "Bar chart of the score for each theme, in percent: " + "; ".join(
        f"{t} {p:.1f}%" for t, p in rated)
    svg = charts.theme_bars(rated, view.thresholds.strength_from,
                            view.thresholds.priority_below, label)
    return _figure(svg, "Theme scores, with the thresholds for a strength and for priority "
                   "action. The same numbers are in the table.", table)


def _side_by_side(view: Meeting, key: str, caption: str, corner: str = "Theme") -> str:
    """Groups as columns, themes as rows: the areas really do sit side by side.

    Eight themes fit on a projector as rows where eight theme columns would not.
    """
    groups = view.groups(key)
    rows = [["Cases audited", *(str(g.cases) for g in groups)],
            ["Mean score", *(num(g.mean_score) for g in groups)]]
    for theme in view.themes:
        rows.append([_e(view.theme_titles[theme])] + [
            f'{pct(g.themes.get(theme))} <small class="n">'
            f"({view.theme_cases(key, g.name, theme)})</small>" for g in groups])
    return _table(caption, [corner, *(g.name for g in groups)], rows,
                  numeric=range(1, len(groups) + 1))


def _areas(view: Meeting) -> str:
    groups = view.groups("areas")
    spreads = view.spreads()
    spread = _table("Spread between the best and worst area, per theme",
                    ["Theme", "Best area", "Worst area", "Gap (points)"],
                    [[_e(s.title), f"{_e(s.best)} {pct(s.best_percent)} ({s.best_cases})",
                      f"{_e(s.worst)} {pct(s.worst_percent)} ({s.worst_cases})", num(s.gap)]
                     for s in spreads], numeric=[3]) if spreads else (
        "<p>Fewer than two areas: no spread to show.</p>")
    if len(groups) < 2 or not view.themes:
        return _side_by_side(view, "areas", "Areas side by side: each theme's percent, with the "
                            "cases behind it") + spread
    titles = [view.theme_titles[t] for t in view.themes]
    data = [(g.name, [g.themes.get(t) for t in view.themes]) for g in groups]
    label = "Dot chart of each area's percent per theme, with a line from the worst to the " \
            "best area: " + "; ".join(f"{s.title}: best {s.best} {s.best_percent:.1f}%, worst "
                                      f"{s.worst} {s.worst_percent:.1f}%" for s in spreads)
    svg = charts.area_dots(titles, data, label)
    return (f'<figure class="wide">{svg}<figcaption>Each area\'s percent per theme; the grey '
            "line spans the worst to the best area. Areas differ by marker shape as well as "
            "colour. The same numbers are in the tables below.</figcaption></figure>"
            + spread + _side_by_side(view, "areas", "Areas side by side: each theme's "
                                     "percent, with the cases behind it"))


def _rules(view: Meeting) -> str:
    outcomes = ("met", "partly_met", "not_met", "not_evidenced", "not_applicable")
    rows = [[_w(r.rule), _e(r.title)] + [str(r.counts.get(o, 0)) for o in outcomes]
            + [str(r.counts.get("unanswered", 0)), str(r.judged),
               f"<strong>{pct(r.rate)}</strong>", _finding(r.finding, r.rate)]
            for r in view.rules]
    header = ["Rule", "Title"] + [OUTCOME_LABELS[o] for o in outcomes] + [
        "Still blank", "Cases judged", "Rate", "Finding"]
    return (f"<p>{_e(RATE_TEXT)} {_e(view.threshold_text())}"
            "</p>" + _table("Rules, worst first", header, rows, numeric=range(2, 10)))


def _owners(view: Meeting) -> str:
    return (_table("Score by owner agency", ["Owner agency", "Score", "Cases"],
                   [[_e(o), pct(p), str(n)] for o, p, n in view.owners()], numeric=[1, 2])
            + '<h3 id="h-legal">By legal status</h3>'
            + _side_by_side(view, "legal_status", "By legal status at audit: each theme's "
                            "percent, with the cases behind it")
            + '<h3 id="h-age">By age band</h3>'
            + _side_by_side(view, "age_bands", "By age band at audit: each theme's percent, "
                            "with the cases behind it"))


def _note(view: Meeting) -> str:
    note = view.cases_note()
    return f"<p>{_e(note)}</p>" if note else ""


def _priority(view: Meeting) -> str:
    rows = [[_w(c.case_id), _e(c.area), _grade(c.grade, limited_by=c.limited_by),
             f"{_w(f.rule)} {_e(f.title)}", _e(f.outcome), _e(f.evidence)]
            for c in view.priority() for f in c.rules]
    intro = ("<p>Cases where a critical rule was not met, or the record is silent on it, or a "
             "limit made the grade Inadequate. "
             "These go back to their teams today.</p>" + _note(view))
    return intro + (_table("Priority cases", ["Case", "Area", "Indicative grade", "Rule",
                                              "Outcome", "Evidence"], rows)
                    if rows else "<p>None.</p>")


def _gaps(view: Meeting) -> str:
    gaps = [[_w(r.rule), _e(r.title), str(r.counts["not_evidenced"]), str(r.judged)]
            for r in view.recording_gaps()]
    incomplete = [[_w(c.case_id), _e(c.area), _grade(c.grade, True, c.limited_by),
                   _e(", ".join(c.unanswered))] for c in view.incomplete()]
    return ("<p>Shown apart from practice failures: <em>not evidenced</em> means the record is "
            "silent or the question unanswered; an incomplete case's grade is provisional.</p>"
            '<h3 id="h-gaps-rules">Recording gaps (not evidenced)</h3>'
            + (_table("Recording gaps by rule", ["Rule", "Title", "Not evidenced",
                                                 "Cases judged"], gaps, numeric=[2, 3])
               if gaps else "<p>None.</p>")
            + '<h3 id="h-incomplete">Incomplete cases</h3>' + _note(view)
            + (_table("Incomplete cases", ["Case", "Area", "Provisional grade",
                                           "Unanswered questions"], incomplete)
               if incomplete else "<p>None.</p>"))


def _differences(view: Meeting) -> str:
    rows = [[_w(c.case_id), _e(c.area), _grade(c.auditor_grade),
             _grade(c.grade, limited_by=c.limited_by)] for c in view.grade_differences()]
    return (f"<p>{_e(view.grades_sentence())}</p>" + _note(view)
            + (_table("Auditor and indicative grades that differ",
                      ["Case", "Area", "Auditor grade", "Indicative grade"], rows)
               if rows else ""))


def _actions(view: Meeting) -> str:
    rows = [[_w(r.rule), _e(r.finding), pct(r.rate), _e(r.owner_agency), _e(r.action),
             _e(r.owner or ""), _e(r.due or ""), _e(r.status or "")] for r in view.plan()]
    body = (_table("Action plan: the empty columns are for the meeting to fill in",
                   ["Rule", "Finding", "Rate", "Owner agency", "Recommended action",
                    "Owner", "Due date", "Status"], rows, numeric=[2], kind="plan")
            if rows else "<p>No rule below the strength threshold.</p>")
    carried = view.carried()
    if carried:
        body += _table("Actions carried from the last round (overdue: due before this round's "
                       "latest audit date)", ["Rule", "Owner agency", "Owner", "Due date",
                                              "Status", "Overdue", "Rate then → now"],
                       [[_w(c) for c in row] for row in carried])
    return body


def _guide(view: Meeting) -> str:
    rows = [[f"<strong>{_w(g.rule)}</strong> {_e(g.title)}", _e(g.applies),
             "<br>".join(f"<strong>{_e(label)}:</strong> {_e(text)}" for label, text in g.outcomes)
             + (f"<br><em>{_e(CAP_NOTE)}</em>" if g.capping else "")]
            for g in view.guide()]
    return _table("What each rule checks, in words", ["Rule", "Applies", "What the outcomes mean"],
                  rows)


def render(data: ReportData) -> bytes:
    view = Meeting(data)
    title = f"Audit meeting report: {view.model.title or view.model.id}"
    sections = [
        _section("concerns", "Cases of immediate concern", _concerns(view), major=False),
        _section("letter", "The findings, as an inspection letter would put them",
                 _letter(view), major=False),
        _section("headline", "Headline numbers", _headline(view), major=False),
        _section("themes", "Themes", _themes(view)),
        _section("areas", "Areas side by side", _areas(view)),
        _section("rules", "Rules, worst first", _rules(view)),
        _section("owners", "Owner agencies, legal status and age", _owners(view)),
        _section("actions", "Action plan", _actions(view)),
        _section("agencies", "Feedback to each agency", _agencies(view)),
        # What made the report (tool, rubric, input files and their hashes) is for the
        # record, not the projector: it follows the figures the meeting discusses.
        _section("provenance", "About this report: what made it", _provenance(view),
                 major=False),
    ]
    # The printed pack stays short; per-case detail and the rules in words are appendices
    # the meeting asks for (`--appendix cases`, `--appendix rules`).
    if "cases" in data.appendix:
        sections += [
            _section("priority", "Appendix: priority cases", _priority(view), appendix=True),
            _section("gaps", "Appendix: recording gaps and incomplete cases", _gaps(view),
                     appendix=True),
            _section("grades", "Appendix: auditor and indicative grades", _differences(view),
                     appendix=True)]
    if "rules" in data.appendix:
        sections.append(_section("guide", "Appendix: what each rule checks", _guide(view),
                                 appendix=True))
    page = (f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="referrer" content="no-referrer">\n'
            f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<header><h1>{_e(title)}</h1>\n"
            f'<p class="notice" role="note"><strong>Indicative grades.</strong> '
            f"{_e(INDICATIVE)}</p>\n"
            f"<p class=\"meta\">Generated {_e(data.generated_at)} by "
            f"{_e(data.tool()['name'])} {_e(data.tool()['version'])}.</p></header>\n"
            f"<main>\n{chr(10).join(sections)}\n</main>\n</body>\n</html>\n")
    return page.encode("utf-8")
