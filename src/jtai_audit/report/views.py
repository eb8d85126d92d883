"""The meeting's tables, computed once and shared by the markdown, HTML and xlsx reports.

Every figure carries the number of cases behind it, so a chair can tell a 40% from two
cases apart from a 40% from forty. Only case_id, area and outcomes with their evidence
leave this module: text fields (case notes, how the voice was gathered) never do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..engine.figures import GroupFigures, SpreadFigures
from ..engine.grading import limit_name
from ..engine.judge import CaseResult
from ..merge.combine import MISSING, UNREADABLE
from ..rubric.compiled import possible_outcomes
from ..rubric.wording import applies_text, is_capping, outcome_texts
from ..terms import GRADE_NAMES
from .cells import (
    LISTED_CONCERNS,
    OUTCOME_LABELS,
    cases,
    evidence_text,
)
from .data import ReportData
from .rows import AgencySection, CaseRow, FlaggedRule, PlanRow, RuleGuide, RuleRow


class Meeting:
    """Everything the meeting reports show, derived from one ReportData."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.model = data.rubric.model
        self.summary = data.summary
        self.figures = data.summary.figures()
        self.thresholds = self.model.grades.findings
        self.theme_titles = {t: theme.title for t, theme in self.model.themes.items()}
        self.themes = [t for t in self.model.themes if t in self.figures.themes]
        self.rules = self._rules()
        self.multi_source = len({r.case.source for r in data.results}) > 1

    def _rules(self) -> list[RuleRow]:
        rows = []
        by_id = {r.id: r for r in self.model.rules}
        for rule_id in self.summary.rules_worst_first():
            rule = by_id[rule_id]
            figures = self.figures.rules[rule_id]
            counts = {**figures.counts, "unanswered": figures.unanswered}
            rows.append(RuleRow(rule_id, rule.title, rule.theme,
                                self.theme_titles.get(rule.theme, rule.theme), rule.severity,
                                rule.owner_text, " ".join(rule.action.split()), counts,
                                figures.cases, figures.rate, figures.finding))
        return rows

    def agency_rules(self, agency: str) -> list[RuleRow]:
        """The rules an agency owns in at least one case, worst first.

        Each with the figures of the cases it owns only: one figure for one rule and one
        agency, as `--agency` gives it.
        """
        by_id = {r.id: r for r in self.model.rules}
        figures = self.summary.agency_figures(agency).rules
        rows = []
        for rule_id, f in figures.items():
            rule = by_id[rule_id]
            if not f.cases and not f.unanswered:
                continue  # not applicable in every case it owns: nothing to say
            rows.append(RuleRow(rule_id, rule.title, rule.theme,
                                self.theme_titles.get(rule.theme, rule.theme), rule.severity,
                                agency, " ".join(rule.action.split()),
                                {**f.counts, "unanswered": f.unanswered}, f.cases, f.rate,
                                f.finding))
        rows.sort(key=lambda r: (r.rate is None, r.rate or 0.0, r.rule))
        return rows

    def guide(self) -> list[RuleGuide]:
        """Every rule that was run, in rubric order, in words rather than conditions."""
        params = dict(self.model.params)
        return [RuleGuide(rule.id, rule.title, applies_text(rule, params),
                          outcome_texts(rule, params, possible_outcomes(rule)),
                          is_capping(self.model, rule))
                for rule in self.model.rules if rule.id in self.figures.rules]

    def concerns(self) -> tuple[list[tuple[str, str, str]], int]:
        """(case id, source, the rules with their titles) for the first concerns, and the rest."""
        titles = {r.id: r.title for r in self.model.rules}
        found = self.summary.first_concerns(LISTED_CONCERNS)
        rows = [(c["case_id"], self.source_name(c["source"]),
                 "; ".join(f"{r} {titles.get(r, r)}" for r in c["rules"]))
                for c in found[:LISTED_CONCERNS]]
        return rows, self.summary.concern_count - len(rows)

    def source_name(self, source: str) -> str:
        return Path(source).name

    def provenance(self) -> list[tuple[str, str]]:
        """Label/value pairs: what made this report, from which rubric, and when."""
        tool = self.data.tool()
        rubric = self.data.rubric_block()
        rows = [("Tool", f"{tool['name']} {tool['version']}"),
                ("Rubric", f"{rubric['id']} version {rubric['version']}"),
                ("Rubric sha256", str(rubric["sha256"])),
                ("Generated at", self.data.generated_at)]
        if rubric["extends"]:
            rows.insert(2, ("Extends", str(rubric["extends"])))
        for item in rubric["disabled"]:
            rows.append(("Rule disabled", f"{item['rule']}: {item['reason']}"))
        return rows

    def inputs(self) -> list[tuple[str, str, str]]:
        """Input files: path, sha256, and cases scored (or why the file was not read)."""
        return [(i.path, i.sha256, f"not read: {i.error}" if i.error else str(i.cases))
                for i in self.data.inputs]

    def headline(self) -> list[tuple[str, str]]:
        f = self.figures
        rows = [("Cases audited", str(f.cases)),
                ("Complete cases", f"{f.complete} of {f.cases}"),
                ("Mean score", "-" if f.mean_score is None else f"{f.mean_score:.1f}")]
        rows += [(f"Indicative grade: {g}", str(f.grades.get(g, 0))) for g in GRADE_NAMES]
        rows.append(("Grades limited below the score's band", str(self.summary.limited_cases)))
        rows.append(("Priority cases", str(f.priority_cases)))
        return rows

    def findings(self, kind: str) -> list[RuleRow]:
        """Rules with one finding: strengths best first, the others worst first."""
        return _findings(self.rules, kind)

    def theme_rows(self) -> list[tuple[str, str, float | None, int]]:
        """Theme id, title, percent and the cases behind it."""
        return [(t, self.theme_titles[t], *self.figures.themes[t]) for t in self.themes]

    def groups(self, key: str) -> list[GroupFigures]:
        """Rows of `areas`, `legal_status` or `age_bands`."""
        groups: list[GroupFigures] = getattr(self.figures, key)
        return groups

    def theme_cases(self, key: str, name: str, theme: str) -> int:
        """Cases behind one group's theme percent."""
        # Areas are kept by their folded label (`hillcrest ` and `Hillcrest` are one area).
        groups: list[GroupFigures] = getattr(self.figures, key)
        found = next((g for g in groups if g.name == name), None)
        return found.theme_cases.get(theme, 0) if found is not None else 0

    def spreads(self) -> list[SpreadFigures]:
        found = {s.theme: s for s in self.figures.spreads}
        return [found[t] for t in self.themes if t in found]

    def owners(self) -> list[tuple[str, float | None, int]]:
        return list(self.figures.owners)

    def _case(self, result: CaseResult) -> CaseRow:
        deciding = result.deciding_limit
        return CaseRow(result.case.case_id, self.summary.area_name(result.area), result.case.source,
                       result.grade or "-", result.shown_score,
                       unanswered=list(result.unanswered),
                       auditor_grade=result.auditor_grade,
                       limited_by=deciding.words() if deciding else "")

    def priority(self) -> list[CaseRow]:
        """Cases with a critical rule not met (or silent) or limited to Inadequate, and why."""
        titles = {r.id: r.title for r in self.model.rules}
        rows = []
        for result in self.data.results:
            flagged = result.concern_rules
            if not flagged:
                continue
            row = self._case(result)
            for item in result.results:
                if item.rule in flagged:
                    row.rules.append(FlaggedRule(item.rule, titles.get(item.rule, item.rule),
                                                 OUTCOME_LABELS[item.outcome.value],
                                                 evidence_text(item.evidence)))
            rows.append(row)
        return rows

    def cases_note(self) -> str:
        """Said above each case list when a caseload was too large to list every case."""
        left = self.data.cases_not_listed
        if not left:
            return ""
        return (f"The case lists hold the {len(self.data.results):,} cases a meeting reads "
                "first (a critical rule not met, then the lowest scores); "
                f"{left:,} more are counted in every figure and listed in the json, jsonl "
                "and csv reports.")

    def incomplete(self) -> list[CaseRow]:
        return [self._case(r) for r in self.data.results if not r.complete]

    def recording_gaps(self) -> list[RuleRow]:
        """Rules with `not evidenced` outcomes, most gaps first: records to fix, not practice."""
        rows = [r for r in self.rules if r.counts.get("not_evidenced")]
        return sorted(rows, key=lambda r: (-r.counts["not_evidenced"], r.rule))

    def grade_differences(self) -> list[CaseRow]:
        return [self._case(r) for r in self.data.results
                if r.grade and r.auditor_grade and r.auditor_grade != r.grade]

    def auditor_graded(self) -> int:
        return self.figures.auditor_graded

    def grades_sentence(self) -> str:
        """How many cases carry the auditor's grade, and how many of them the list shows.

        The two numbers differ when the auditor agrees with the indicative grade, so the
        sentence gives both rather than one count above a shorter list.
        """
        graded, differ = self.auditor_graded(), self.summary.grades_differing
        if not graded:
            return "No case carries the auditor's own grade."
        carry = f"{cases(graded)} {'carries' if graded == 1 else 'carry'}"
        if not differ:
            return f"{carry} the auditor's own grade; none differs from the indicative grade."
        verb = "differs" if differ == 1 else "differ"
        return f"{carry} the auditor's own grade; {differ} {verb} from the indicative grade:"

    def actions(self) -> list[RuleRow]:
        """Rules needing action, one row per rule and owning agency.

        A rule needs action when its finding over the round, or over the cases one agency
        owns, is a priority or an improvement; each of its owning agencies with cases judged
        gets a row with the figures of the cases it owns. Priority first, worst rate first.
        """
        order = {"priority": 0, "improvement": 1}
        rank = {r.rule: order[r.finding or ""] for r in self.rules if r.finding in order}
        by_agency = [r for agency in self.summary.agencies() for r in self.agency_rules(agency)
                     if r.judged]
        for r in by_agency:
            if r.finding in order:
                rank[r.rule] = min(rank.get(r.rule, 2), order[r.finding or ""])
        rows = [r for r in by_agency if r.rule in rank]
        return sorted(rows, key=lambda r: (rank[r.rule], order.get(r.finding or "", 2),
                                           r.rate or 0.0, r.rule, r.owner))

    def plan(self) -> list[PlanRow]:
        """The new action plan: each rule to act on, then last round's open actions.

        A rule already on last round's plan keeps its owner, due date and status; an open
        action whose rule has no finding now (improved, or too few cases) stays on the plan.
        """
        carried = {(a.rule, a.owner_agency or self._first_owner(a.rule)): a
                   for a in self.data.actions or [] if a.open}
        rows = []
        for r in self.actions():
            old = carried.pop((r.rule, r.owner), None)
            rows.append(PlanRow(r.rule, r.title, r.finding_label, r.rate, r.judged, r.owner,
                                r.action, old.owner if old else None,
                                _day(old.due) if old else None,
                                (old.status or "Not started") if old else None))
        by_id = {r.id: r for r in self.model.rules}
        for old in carried.values():
            rule = by_id.get(old.rule)
            rows.append(PlanRow(old.rule, old.title, "Carried from the last round", old.rate_now,
                                self.figures.rules[old.rule].cases if old.rule in
                                self.figures.rules else None,
                                old.owner_agency or self._first_owner(old.rule),
                                " ".join(rule.action.split()) if rule else "", old.owner,
                                _day(old.due), old.status or "Not started"))
        return rows

    def carried(self) -> list[tuple[str, str, str, str, str, str, str]]:
        """Last round's actions: rule, owner agency, owner, due, status, overdue, rate moved."""
        return [(a.rule, a.owner_agency or self._first_owner(a.rule) or "-", a.owner or "-",
                 _day(a.due) or "-",
                 a.status or "Not started", "overdue" if a.overdue else "",
                 f"{_pct(a.rate_before)} → {_pct(a.rate_now)}")
                for a in self.data.actions or []]

    def _first_owner(self, rule_id: str) -> str:
        """The agency an action row with no owner agency falls to: the rule's first owner."""
        rule = next((r for r in self.model.rules if r.id == rule_id), None)
        return rule.owners[0] if rule is not None else ""

    def letter(self, owner: str | None = None) -> list[tuple[str, list[str]]]:
        """The findings as an inspection letter would put them, each with its figures.

        Sentences are generated from the Rules table and nothing else: the rule's title,
        rate and cases judged; each priority action points to its row of the Action plan.
        """
        rows = self.rules if owner is None else self.agency_rules(owner)
        lead: list[tuple[str, list[str]]] = []
        concerns: list[str] = []
        if owner is None:
            lead = [("The grades", self.grades_lead())]
            count = self.summary.concern_count
            if count:
                concerns = [f"The {cases(count)} of immediate concern above, for the local "
                            "escalation procedure."]

        def figures(r: RuleRow) -> str:
            return f"{_pct(r.rate)} across {r.judged} cases judged; {r.rule}"

        strengths = [f"{r.title} ({figures(r)})." for r in _findings(rows, "strength")]
        improve = [f"{r.title} ({figures(r)})." for r in _findings(rows, "improvement")]
        # Priority actions worst first, as the Rules table orders them.
        priority = [f"{r.title} ({figures(r)}): in the Action plan." for r in
                    _findings(rows, "priority")]
        found = [("What is working well", _first(strengths)),
                 ("What needs to improve", _first(improve)),
                 ("Priority action", concerns + _first(priority))]
        if not any(sentences for _, sentences in found):  # one line, not three over "None"
            return [*lead, ("Findings", [self.no_findings(rows, owner)])]
        return [*lead, *found]

    def no_findings(self, rows: list[RuleRow], owner: str | None) -> str:
        """Why a letter has nothing to say: the rules it reads, or their cases, are too few."""
        if owner is not None and not rows:
            return f"{owner} owns no rule of this rubric: no finding of its own."
        least = self.thresholds.min_cases
        if all(r.judged < least for r in rows):
            return (f"No finding yet: no rule was judged on {least} or more of these cases, "
                    "too few to call anything working well, to improve or a priority (the "
                    "Rules table has every figure).")
        return ("No finding on the evidence of these cases: nothing working well, to improve "
                "or for priority action.")

    def grades_lead(self) -> list[str]:
        """The letter's first words: the grades, and how many a limit set, by what."""
        f = self.figures
        graded = sum(f.grades.values())
        shown = ", ".join(f"{g} {f.grades.get(g, 0)}" for g in GRADE_NAMES)
        lines = [f"Indicative grades of the {cases(f.cases)}: {shown}."]
        limited = self.summary.limited_cases
        if not graded:
            return lines
        if not limited:
            lines.append(f"No grade was limited: each of the {graded} graded cases has the "
                         "grade its score gives.")
            return lines
        by_rule = self.summary.limited_by_rule.most_common()
        parts = ", ".join(f"{n} by {limit_name(rule)}" for rule, n in by_rule[:LETTER_ITEMS])
        if len(by_rule) > LETTER_ITEMS:
            parts += ", and others"
        if sum(n for _, n in by_rule) > limited:
            parts += " (a case limited by several rules is counted under each)"
        lines.append(f"{limited} of {graded} graded cases limited below their score's grade: "
                     f"{parts}. A limit is the worst that happened to the child, as an "
                     "inspector judges it; the score alone would have graded them higher.")
        return lines

    def agencies(self) -> list[AgencySection]:
        """One section per agency involved in at least one case or that sent a return.

        Its rules are counted in the cases where it owns them; every section also gives
        the completeness of its own columns and the rules its answers fed.
        """
        merged = self.data.merged
        titles = {r.id: r.title for r in self.model.rules}
        found = []
        for agency in self.summary.agencies():
            figures = self.summary.agency_figures(agency)
            # Returns awaited: not come in, or sent but not readable.
            missing = [s.case_id for s in merged.statuses if s.agency == agency
                       and s.status in (MISSING, UNREADABLE)] if merged is not None else []
            conflicts = [f"{c.case_id} {c.column}" for c in merged.conflicts
                         if any(x.agency == agency for x in c.cells)] if merged else []
            fed = sorted(((r, titles.get(r, r), rate, n) for r, (rate, n) in figures.fed.items()
                          if n), key=lambda x: (x[2] is None, x[2] or 0.0, x[0]))
            found.append(AgencySection(agency, self.agency_rules(agency),
                                       self.letter(agency), missing, conflicts,
                                       figures.cases, figures.returned, fed,
                                       list(figures.completeness.items())))
        return found

    def threshold_text(self) -> str:
        t = self.thresholds
        return (f"A rule judged on at least {t.min_cases} cases is a strength at a rate of "
                f"{t.strength_from:g}% or more, an area for priority action below "
                f"{t.priority_below:g}%, and an area for improvement in between; on fewer "
                "cases its figures are shown but it is called none of these (too few cases "
                "to judge).")


LETTER_ITEMS = 6  # a letter names the main points; the Rules table has every one


def _findings(rules: list[RuleRow], kind: str) -> list[RuleRow]:
    """Rules with one finding: strengths best first, the others worst first (as given)."""
    rows = [r for r in rules if r.finding == kind]
    if kind == "strength":
        rows.sort(key=lambda r: (-(r.rate or 0.0), r.rule))
    return rows


def _first(sentences: list[str]) -> list[str]:
    """The first few points, and how many more the Rules table holds."""
    if len(sentences) <= LETTER_ITEMS:
        return sentences
    rest = len(sentences) - LETTER_ITEMS
    return [*sentences[:LETTER_ITEMS], f"And {rest} more in the Rules table."]


def _day(value: dt.date | None) -> str | None:
    return None if value is None else value.strftime("%d/%m/%Y")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
