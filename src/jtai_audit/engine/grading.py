"""Limiting judgements: a case's grade is the worst of its score's band and every limit it reaches.

Inspectors judge a case by the worst that happened to the child, not by an average: a plan
that rests on the mother alone is not "Good" however well the rest was done. A rule's own
`limits` say the best grade a case can have when the rule has a given outcome; the rubric's
count limits (`grades.limits`) say what widespread failures do together. Counted rules that
share a deciding field are one failure (one written agreement fails PERP-3 and NAP-2), so
they count once. v2.2's `grades.caps` still work: one critical rule not met is each
critical rule's default limit, and higher counts are count limits over critical rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..conditions.expressions import to_engine_value
from ..rubric.compiled import LimitProgram, LoadedRubric, RuleProgram
from ..schema import CountLimit
from ..terms import GRADE_NAMES, MEMO_LIMIT, Outcome, Status

COUNT_RULE = "grades.limits"
_PLAIN = frozenset({Status.ANSWERED, Status.BLANK})


@dataclass(frozen=True, slots=True)
class LimitReached:
    """A limit a case reached: the rule (or `grades.limits`), the outcome, the best grade."""

    rule: str
    outcome: str
    best: str
    why: str
    rules: tuple[str, ...] = ()  # for a count limit: the rules it counted
    label: str = ""  # for a count limit: what it counted, in a few words

    @property
    def rank(self) -> int:
        return GRADE_NAMES.index(self.best)

    def to_dict(self) -> dict[str, Any]:
        """As `cases[].limited_by` gives it."""
        found: dict[str, Any] = {"rule": self.rule, "outcome": self.outcome, "best": self.best}
        if self.rule == COUNT_RULE:
            found["rules"] = list(self.rules)
        found["why"] = self.why
        return found

    def words(self) -> str:
        """Beside a grade: "limited by NAP-2 not met"."""
        if self.rule == COUNT_RULE:
            return f"limited by {self.label} ({', '.join(self.rules)})"
        return f"limited by {self.rule} {self.outcome.replace('_', ' ')}"


def takes_part(result: Any) -> bool:
    """Whether a rule result can count towards a limit: not met, or a silent record."""
    outcome = result.outcome
    return outcome is Outcome.NOT_MET or (outcome is Outcome.NOT_EVIDENCED and result.silent
                                          and not result.unanswered)


def limit_name(rule: str) -> str:
    """A limit's rule as a sentence names it: a count limit is "widespread failures"."""
    return "widespread failures (count limits)" if rule == COUNT_RULE else rule


def worst(*grades: str | None) -> str | None:
    """The lowest of the grades given (None where there is none)."""
    ranks = [GRADE_NAMES.index(g) for g in grades if g is not None]
    return GRADE_NAMES[max(ranks)] if ranks else None


class Grader:
    """Applies one rubric's limits: each rule's own (when judged) and the count limits."""

    def __init__(self, rubric: LoadedRubric) -> None:
        model = rubric.model
        grades = model.grades
        self._capping = grades.capping_severity
        default: tuple[LimitProgram, ...] = ()
        single = [c for c in grades.caps if c.critical_not_met == 1]
        if single:
            best = worst(*(c.best for c in single)) or GRADE_NAMES[-1]
            default = (LimitProgram(Outcome.NOT_MET, best, None,
                                    "a critical rule not met (grades.caps)"),)
        self.limits: dict[str, tuple[LimitProgram, ...]] = {
            p.rule.id: p.limits or (default if p.rule.severity == self._capping else ())
            for p in rubric.programs}
        self.critical = {p.rule.id for p in rubric.programs
                         if p.rule.severity == self._capping}
        self.severity = {p.rule.id: p.rule.severity for p in rubric.programs}
        # Dates and counts are context (two rules reading the referral date fail apart).
        kinds = ("answer", "yes_no", "choice", "list")
        self.deciding = {p.rule.id: frozenset(f for f in p.deciding
                                              if model.fields[f].type in kinds)
                         for p in rubric.programs}
        order = {name: bit for bit, name in enumerate(model.fields)}
        self._masks = {rule: sum(1 << order[f] for f in fields)
                       for rule, fields in self.deciding.items()}
        self.counts: list[CountLimit] = list(grades.limits)
        self.counts += [CountLimit(counts="not_met", at_least=c.critical_not_met,
                                   severities=[self._capping], best=c.best,
                                   why=f"{c.critical_not_met} critical rules not met "
                                       "(grades.caps)")
                        for c in grades.caps if c.critical_not_met > 1]
        # Cases repeat the same failures: each pattern is graded once (bounded, so memory
        # stays flat over a caseload).
        self._memo: dict[tuple[Any, ...], tuple[str | None, tuple[LimitReached, ...]]] = {}

    # -- a rule's own limits -------------------------------------------------------------

    def rule_limit(self, program: RuleProgram, outcome: Outcome, silent: bool,
                   values: Mapping[str, Any], status: Mapping[str, Status]
                   ) -> LimitReached | None:
        """The limit this rule's outcome reaches on this case, if any.

        A silent record on a critical rule reaches its `not_met` limit unless the rule names
        a `not_evidenced` one: for the actions that keep a child safe, absence of a record
        is absence of the action. Unanswered cells never reach a limit.
        """
        limits = self.limits[program.rule.id]
        if not limits or outcome in (Outcome.MET, Outcome.NOT_APPLICABLE):
            return None
        if outcome is Outcome.NOT_EVIDENCED and not silent:
            return None
        trial: dict[str, Any] | None = None
        wanted = [outcome]
        if outcome is Outcome.NOT_EVIDENCED and program.rule.id in self.critical \
                and not any(limit.outcome is outcome for limit in limits):
            wanted = [Outcome.NOT_MET]
        for limit in limits:
            if limit.outcome not in wanted:
                continue
            if limit.when is not None:
                if trial is None:
                    trial = {f: to_engine_value(values.get(f)) if status.get(f) in _PLAIN
                             else None for f in program.fields}
                if not limit.when(trial):
                    continue
            return LimitReached(program.rule.id, outcome.value, limit.best, limit.why)
        return None

    # -- the case's grade ----------------------------------------------------------------

    def grade(self, band: str | None, results: Iterable[Any]
              ) -> tuple[str | None, list[LimitReached]]:
        """The case's grade and every limit it reached, worst first (band None: no grade).

        `results` may hold only the results that can take part in a limit (`takes_part`):
        the others change nothing here.
        """
        own: list[LimitReached] = []
        failing: list[Any] = []
        for result in results:
            if result.limit is not None:
                own.append(result.limit)
            if takes_part(result):
                failing.append(result)
        key = (band, tuple(own), tuple(r.rule for r in failing))
        found = self._memo.get(key)
        if found is None:
            reached = list(own)
            if self.counts and (len(reached) > 1 or len(failing) > 1):
                reached += self._count_limits(failing, reached)
            reached.sort(key=lambda limit: -limit.rank)
            grade = None if band is None else worst(band, *(limit.best for limit in reached))
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            found = self._memo[key] = (grade, tuple(reached))
        return found[0], list(found[1])

    def _count_limits(self, failing: Sequence[Any], reached: Sequence[LimitReached]
                      ) -> list[LimitReached]:
        found: list[LimitReached] = []
        for count in self.counts:
            if count.counts == "limits":
                floor = GRADE_NAMES.index(count.at_most)
                counted = [limit.rule for limit in reached
                           if limit.rank >= floor and limit.rule != COUNT_RULE]
                what = f"rules limiting to {count.at_most} or lower"
                label = "{} separate failures"
            else:
                counted = [r.rule for r in failing if self._fails(r, count.severities)]
                what = f"{' or '.join(count.severities)} rules not met"
                label = "{} rules not met"
            if len(counted) < count.at_least:
                continue
            groups = self.groups(counted)
            if len(groups) >= count.at_least:
                found.append(LimitReached(COUNT_RULE, f"{len(groups)} {what}", count.best,
                                          count.why, tuple(counted),
                                          label.format(len(groups))))
        return found

    def _fails(self, result: Any, severities: list[str]) -> bool:
        """Not met, or (on a rule of the capping severity) a silent record."""
        if self.severity.get(result.rule) not in severities:
            return False
        return result.outcome is Outcome.NOT_MET or result.rule in self.critical

    def groups(self, rules: Sequence[str]) -> list[list[str]]:
        """Rules joined when their deciding fields overlap, directly or through another."""
        groups: list[tuple[int, list[str]]] = []  # deciding fields as bits, and the rules
        for rule in rules:
            fields = self._masks.get(rule, 0)
            kept: list[tuple[int, list[str]]] = []
            members: list[str] = []
            for group in groups:
                if group[0] & fields:
                    fields |= group[0]
                    members += group[1]
                else:
                    kept.append(group)
            kept.append((fields, [*members, rule]))
            groups = kept
        return [members for _, members in groups]


def binding(limits: Sequence[LimitReached], band: str | None) -> list[LimitReached]:
    """The limits below the score's band: what `limited_by` lists (none: the band decides)."""
    if band is None or not limits:
        return []
    floor = GRADE_NAMES.index(band)
    return [limit for limit in limits if limit.rank > floor]


def deciding_limit(grade: str | None, band: str | None,
                   limits: Sequence[LimitReached]) -> LimitReached | None:
    """The first limit that set the grade below its band, shown beside the grade."""
    return next((limit for limit in binding(limits, band) if limit.best == grade), None)
