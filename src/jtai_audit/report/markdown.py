"""Markdown for the meeting's minutes: every table the meeting discusses, in plain text.

Case-supplied text (case_id, area) is escaped so a value cannot turn into a link or
break a table; text fields never appear.
"""

from __future__ import annotations

from collections.abc import Sequence

from .cells import (
    CONCERN_TEXT,
    FINDING_HEADINGS,
    INDICATIVE,
    LETTER_TEXT,
    RATE_TEXT,
    cases,
    md,
    md_code,
    num,
    pct,
)
from .data import ReportData
from .rows import RuleRow
from .views import Meeting


def _table(header: Sequence[str], rows: Sequence[Sequence[str]],
           right: Sequence[int] = ()) -> list[str]:
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _rule_line(row: RuleRow) -> str:
    return (f"- **{md(row.rule)}** {md(row.title)}: rate {pct(row.rate)} "
            f"({cases(row.judged)} judged; owner: {md(row.owner)})")


def _findings(view: Meeting) -> list[str]:
    out = ["## Findings", "", view.threshold_text(), ""]
    for kind in ("strength", "improvement", "priority"):
        rows = view.findings(kind)
        out.append(f"**{FINDING_HEADINGS[kind]}**")
        out.append("")
        out += [_rule_line(r) for r in rows] or ["- none"]
        out.append("")
    return out


def _groups(view: Meeting, key: str, label: str) -> list[str]:
    rows = view.groups(key)
    if not rows:
        return ["None recorded.", ""]
    header = [label, "Cases", "Mean score"] + [view.theme_titles[t] for t in view.themes]
    body = [[md(g.name), str(g.cases), num(g.mean_score)]
            + [f"{pct(g.themes.get(t))} ({view.theme_cases(key, g.name, t)})"
               for t in view.themes] for g in rows]
    return _table(header, body, right=range(1, len(header)))


def render(data: ReportData) -> bytes:
    view = Meeting(data)
    model = view.model
    out = [f"# Audit meeting report: {md(model.title or model.id)}", "",
           f"> **Indicative grades.** {INDICATIVE}", ""]
    out += _concerns(view)
    out += _letter(view)
    out += ["## Headline numbers", ""]
    out += _table(["Measure", "Value"], view.headline(), right=[1])
    out += _findings(view)
    out += ["## By theme", "", "Percent of the weighted points available, and the cases "
            "behind each figure.", ""]
    out += _table(["Theme", "Score", "Cases"],
                  [[md(title), pct(p), str(n)] for _, title, p, n in view.theme_rows()],
                  right=[1, 2])
    out += ["## By area", "", "Each theme cell shows the percent and, in brackets, the cases "
            "behind it.", ""]
    out += _groups(view, "areas", "Area")
    out += ["### Spread between areas", ""]
    spreads = view.spreads()
    out += _table(["Theme", "Best area", "Best", "Worst area", "Worst", "Gap (points)"],
                  [[md(s.title), md(s.best), f"{pct(s.best_percent)} ({s.best_cases})",
                    md(s.worst), f"{pct(s.worst_percent)} ({s.worst_cases})", num(s.gap)]
                   for s in spreads], right=[2, 4, 5]) if spreads else [
        "Fewer than two areas: no spread to show.", ""]
    out += ["## By rule, worst first", "", RATE_TEXT, ""]
    out += _table(["Rule", "Title", "Met", "Partly", "Not met", "Not evidenced", "N/A",
                   "Still blank", "Cases judged", "Rate", "Finding"],
                  [[md(r.rule), md(r.title)] + [str(r.counts.get(o, 0)) for o in
                   ("met", "partly_met", "not_met", "not_evidenced", "not_applicable",
                    "unanswered")]
                   + [str(r.judged), pct(r.rate), r.finding_label]
                   for r in view.rules], right=range(2, 10))
    out += ["## By owner agency", ""]
    out += _table(["Owner agency", "Score", "Cases"],
                  [[md(o), pct(p), str(n)] for o, p, n in view.owners()], right=[1, 2])
    out += ["## By legal status", "", *_groups(view, "legal_status", "Legal status")]
    out += ["## By age band", "", *_groups(view, "age_bands", "Age band")]
    out += _priority(view) + _gaps(view) + _differences(view) + _actions(view)
    out += _agencies(view) + _guide(view)
    # What made the report is for the record: last, as in the HTML and xlsx packs.
    out += ["## Provenance", ""]
    out += _table(["Item", "Value"], [[k, md_code(v) if "sha256" in k else md(v)]
                                      for k, v in view.provenance()])
    out += _table(["Input file", "sha256", "Cases"],
                  [[md(p), f"`{s}`", md(c)] for p, s, c in view.inputs()])
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


def _paragraphs(letter: list[tuple[str, list[str]]], level: str) -> list[str]:
    out: list[str] = []
    for heading, sentences in letter:
        out += [f"{level} {heading}", ""]
        out += [f"- {md(s)}" for s in sentences] or ["- None on the evidence of these cases."]
        out.append("")
    return out


def _letter(view: Meeting) -> list[str]:
    return ["## The findings, as an inspection letter would put them", "",
            LETTER_TEXT, "", *_paragraphs(view.letter(), "###")]


def _agencies(view: Meeting) -> list[str]:
    out = ["## Feedback to each agency", ""]
    for section in view.agencies():
        out += [f"### {md(section.agency)}", "", md(section.involvement()), ""]
        out += _paragraphs(section.letter, "####")
        if section.rules:
            out += ["The rules it owns, over the cases in which it owns them:", ""]
            out += _table(["Rule", "Title", "Rate", "Cases judged", "Finding"],
                          [[md(r.rule), md(r.title), pct(r.rate), str(r.judged),
                            md(r.finding_label)] for r in section.rules], right=[2, 3])
        out += [md(section.completeness_line()), ""]
        if section.fed:
            out += ["The rules its answers fed, over the children it is involved with:", ""]
            out += _table(["Rule", "Title", "Rate", "Cases judged"],
                          [[md(r), md(t), pct(p), str(n)] for r, t, p, n in section.fed],
                          right=[2, 3])
        if section.missing:
            out += [f"Returns still awaited from {md(section.agency)}: "
                    f"{md(', '.join(section.missing))}.", ""]
        if section.conflicts:
            out += [f"Cells where {md(section.agency)}'s record disagrees with another "
                    f"agency's: {md(', '.join(section.conflicts))}.", ""]
    return out


def _concerns(view: Meeting) -> list[str]:
    rows, rest = view.concerns()
    out = ["## Cases of immediate concern", "", CONCERN_TEXT, ""]
    if not rows:
        return [*out, "None.", ""]
    out += _table(["Case", "Source", "Rules behind the concern"],
                  [[md(c), md(s), md(r)] for c, s, r in rows])
    return out + ([f"… and {rest} more (the JSON report lists them all).", ""] if rest else [])


def _note(view: Meeting) -> list[str]:
    note = view.cases_note()
    return [note, ""] if note else []


def _priority(view: Meeting) -> list[str]:
    out = ["## Priority cases", "", "Cases where a critical rule was not met, or the record "
           "is silent on it, or a limit made the grade Inadequate: to go back to their teams.",
           "", *_note(view)]
    rows = [[md(c.case_id), md(c.area), md(c.grade_text), md(f.rule), md(f.outcome),
             md_code(f.evidence)] for c in view.priority() for f in c.rules]
    return out + (_table(["Case", "Area", "Indicative grade", "Rule", "Outcome", "Evidence"],
                         rows) if rows else ["None.", ""])


def _gaps(view: Meeting) -> list[str]:
    out = ["## Recording gaps and incomplete cases", "",
           "These are apart from practice failures: *not evidenced* means the record is "
           "silent or the question unanswered; an incomplete case has unanswered questions "
           "and its grade is provisional.", "", "### Recording gaps (not evidenced)", ""]
    gaps = view.recording_gaps()
    out += _table(["Rule", "Title", "Not evidenced", "Cases judged"],
                  [[md(r.rule), md(r.title), str(r.counts["not_evidenced"]), str(r.judged)]
                   for r in gaps], right=[2, 3]) if gaps else ["None.", ""]
    out += ["### Incomplete cases", "", *_note(view)]
    rows = [[md(c.case_id), md(c.area), md(c.grade_text),
             ", ".join(md_code(u) for u in c.unanswered)] for c in view.incomplete()]
    return out + (_table(["Case", "Area", "Provisional grade", "Unanswered questions"], rows)
                  if rows else ["None.", ""])


def _differences(view: Meeting) -> list[str]:
    out = ["## Auditor and indicative grades", "",
           view.grades_sentence(), "", *_note(view)]
    rows = [[md(c.case_id), md(c.area), md(c.auditor_grade or "-"), md(c.grade_text)]
            for c in view.grade_differences()]
    return out + (_table(["Case", "Area", "Auditor grade", "Indicative grade"], rows)
                  if rows else [])


def _guide(view: Meeting) -> list[str]:
    out = ["## What each rule checks", ""]
    return out + _table(["Rule", "Applies", "What the outcomes mean"],
                        [[f"**{md(g.rule)}** {md(g.title)}", md(g.applies), md(g.meanings())]
                         for g in view.guide()])


def _actions(view: Meeting) -> list[str]:
    out = ["## Action plan", ""]
    rows = [[md(r.rule), md(r.finding), pct(r.rate), md(r.owner_agency), md(r.action),
             md(r.owner or ""), md(r.due or ""), md(r.status or "")] for r in view.plan()]
    out += (_table(["Rule", "Finding", "Rate", "Owner agency", "Recommended action", "Owner",
                    "Due date", "Status"], rows)
            if rows else ["No rule below the strength threshold.", ""])
    carried = view.carried()
    if carried:
        out += ["### Actions carried from the last round", "",
                "Overdue: due before this round's latest audit date.", ""]
        out += _table(["Rule", "Owner agency", "Owner", "Due date", "Status", "Overdue",
                       "Rate then → now"], [[md(c) for c in row] for row in carried])
    return out
