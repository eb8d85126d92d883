"""Reading a summary's counts as the figures every report shows.

A mixin of `Summary`: the summary counts cases as they come; these methods turn the
counts into rates, findings, spreads and each agency's picture, computed when a report
asks, never stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..schema import Rubric, Rule
from ..terms import GRADE_NAMES, Outcome
from ..workbook.labels import label_key
from .chunk_counts import UNANSWERED
from .figures import AgencyFigures, GroupFigures, RuleFigures, SpreadFigures, SummaryFigures
from .owners import RuleOwners
from .tallies import AGE_BANDS, NO_AREA, Group, Tally, one_decimal, rule_rate


class Reading:
    """The figures of a summary's counts (the attributes are `Summary`'s)."""

    model: Rubric
    agency: str | None
    owned: RuleOwners
    rules: dict[str, Rule]
    outcomes: dict[str, Counter[str]]
    score_total: float
    scored: int
    cases: int
    complete: int
    grades: Counter[str]
    themes: dict[str, Tally]
    owners: dict[str, Tally]
    areas: dict[str, Group]
    legal_status: dict[str, Group]
    age_bands: dict[str, Group]
    returned: dict[str, int] | None
    agency_cases: Counter[str]
    agency_outcomes: dict[str, dict[str, Counter[str]]]
    fed_outcomes: dict[str, dict[str, Counter[str]]]
    agency_answered: dict[str, Counter[str]]
    priority_count: int
    auditor_graded: int
    _spellings: dict[str, Counter[str]]

    @property
    def mean_score(self) -> float | None:
        return one_decimal(self.score_total / self.scored) if self.scored else None

    def area_name(self, area: str | None) -> str:
        """An area as reports show it: the spelling used most often for its label."""
        key = label_key(area or NO_AREA)
        spellings = self._spellings.get(key)
        return spellings.most_common(1)[0][0] if spellings else (area or NO_AREA)

    def rule_rate(self, rule_id: str) -> float | None:
        """The rule's rate, unrounded: (met + half partly) per judged case."""
        return rule_rate(self.outcomes.get(rule_id, Counter()))[0]

    def rule_cases(self, rule_id: str) -> int:
        """How many cases the rule was judged on (its rate's denominator)."""
        return rule_rate(self.outcomes.get(rule_id, Counter()))[1]

    def finding(self, rule_id: str) -> str | None:
        """Strength / improvement / priority by the rubric's thresholds; None on too few cases.

        A rule judged on fewer than `min_cases` cases is shown with its figures but never
        called anything: one late strategy discussion is not a "strength".
        """
        return self._finding(self.outcomes.get(rule_id, Counter()))

    def _finding(self, counts: Mapping[str, int]) -> str | None:
        rate, judged = rule_rate(counts)
        thresholds = self.model.grades.findings
        if rate is None or judged < thresholds.min_cases:
            return None
        if rate >= thresholds.strength_from:
            return "strength"
        if rate < thresholds.priority_below:
            return "priority"
        return "improvement"

    def rules_worst_first(self) -> list[str]:
        rated = [(self.rule_rate(r), r) for r in self.rules if r in self.outcomes]
        return [r for rate, r in sorted(rated, key=lambda x: (x[0] is None, x[0] or 0, x[1]))]

    def spreads(self) -> list[SpreadFigures]:
        """For each theme, the best and worst area and the gap between them."""
        found: list[SpreadFigures] = []
        for theme in self.model.themes:
            rated = [(g.themes[theme].percent, self.area_name(a), g.themes[theme].count)
                     for a, g in self.areas.items() if theme in g.themes
                     and g.themes[theme].percent is not None]
            if len(rated) < 2:
                continue
            rated.sort()
            low, high = rated[0], rated[-1]
            found.append(SpreadFigures(theme, self.model.themes[theme].title, high[1],
                                       high[0] or 0.0, high[2], low[1],
                                       low[0] or 0.0, low[2],
                                       round((high[0] or 0) - (low[0] or 0), 1)))
        return found

    def rule_figures(self, rule_id: str, counts: Mapping[str, int] | None = None) -> RuleFigures:
        """A rule's figures: over every case, or over the `counts` given (one agency's)."""
        if counts is None:
            counts = self.outcomes.get(rule_id, Counter())
        rate, judged = rule_rate(counts)
        return RuleFigures(rule_id, {o.value: counts.get(o.value, 0) for o in Outcome},
                           counts.get(UNANSWERED, 0), one_decimal(rate), judged,
                           self._finding(counts))

    def agencies(self) -> list[str]:
        """The agencies with a picture of their own: involved in a case, or returns sent.

        One agency's feedback (`score --agency`) is that agency's picture alone.
        """
        if self.agency is not None:
            return [self.agency]
        returned = self.returned or {}
        return [a for a in self.owned.agencies
                if self.agency_cases.get(a) or returned.get(a)]

    def agency_figures(self, agency: str) -> AgencyFigures:
        """One agency's own picture: owned rules, rules its answers fed, its completeness.

        The rules it owns are counted only in the cases where it owns them, so these are the
        figures `score --agency` gives, to the digit.
        """
        owned = self.agency_outcomes.get(agency, {})
        fed = self.fed_outcomes.get(agency, {})
        cases = self.agency_cases.get(agency, 0)
        answered = self.agency_answered.get(agency, Counter())
        return AgencyFigures(
            agency, cases, None if self.returned is None else self.returned.get(agency, 0),
            {r: self.rule_figures(r, owned[r]) for r in self.rules if r in owned},
            {r: (one_decimal(rule_rate(fed[r])[0]), rule_rate(fed[r])[1])
             for r in self.rules if r in fed},
            {c: round(100 * answered.get(c, 0) / cases, 1) if cases else 0.0
             for c in self.owned.columns.get(agency, ())})

    def _groups(self, items: dict[str, Group], name: Any = str) -> list[GroupFigures]:
        themes = self.model.themes
        shown = sorted((name(key), g) for key, g in items.items())
        return [GroupFigures(n, g.cases, g.mean_score,
                             {t: g.themes[t].percent for t in themes if t in g.themes},
                             {t: g.themes[t].count for t in themes if t in g.themes})
                for n, g in shown]

    def figures(self) -> SummaryFigures:
        """Everything the reports show, as typed values."""
        themes = self.model.themes
        bands = {g.name: g for g in self._groups(self.age_bands)}
        return SummaryFigures(
            cases=self.cases, complete=self.complete, mean_score=self.mean_score,
            grades={g: self.grades.get(g, 0) for g in GRADE_NAMES},
            themes={t: (self.themes[t].percent, self.themes[t].count) for t in themes
                    if t in self.themes},
            rules={r: self.rule_figures(r) for r in self.rules if r in self.outcomes},
            areas=self._groups(self.areas, self.area_name),
            legal_status=self._groups(self.legal_status),
            age_bands=[bands[b] for b in AGE_BANDS if b in bands],
            spreads=self.spreads(),
            owners=[(o, t.percent, t.count) for o, t in sorted(self.owners.items())],
            priority_cases=self.priority_count, auditor_graded=self.auditor_graded)
