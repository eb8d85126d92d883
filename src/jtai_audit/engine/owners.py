"""Owners per case: which agency a rule belongs to in one child's case.

A rule's `owner` is one agency or a list. In each case the rule belongs to the first
listed agency involved in that case (`agencies_involved`), else to the lead agency, so an
agency is never charged with a case it was not involved in. The lead agency answers the
shared facts of every child, so it counts as involved in every case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..merge.returns import agencies_of, answerers, lead_agency
from ..schema import Rubric
from ..terms import MEMO_LIMIT


class RuleOwners:
    """Each rule's owner in a case, and each agency's columns and involvement."""

    def __init__(self, model: Rubric) -> None:
        self.lead = lead_agency(model)
        self.field = next((n for n, s in model.fields.items() if s.agencies), None)
        self._owners = {r.id: r.owners for r in model.rules}
        owners = [a for r in model.rules for a in r.owners]
        self.agencies = list(dict.fromkeys([*agencies_of(model), *owners]))
        if self.lead not in self.agencies:
            self.agencies = [self.lead, *self.agencies]
        # A rubric with no agencies_involved column cannot say who worked with a child:
        # every agency counts as involved, so a rule is its first listed owner's.
        self._everyone = frozenset(self.agencies)
        self._cache: dict[tuple[str, frozenset[str]], str] = {}
        # The columns each agency answers (the case id and free text aside): its own answers.
        self.columns = {a: [n for n, s in model.fields.items()
                            if s.type not in ("id", "text") and a in answerers(model, n)]
                        for a in self.agencies}

    def involved(self, values: Mapping[str, Any]) -> frozenset[str]:
        """The agencies involved in a case: its `agencies_involved` and the lead agency."""
        if self.field is None:
            return self._everyone
        return involved_set(values.get(self.field), self.lead)

    def owner(self, rule: str, involved: frozenset[str]) -> str:
        """The agency that owns `rule` in a case with these agencies involved."""
        key = (rule, involved)
        found = self._cache.get(key)
        if found is None:
            found = next((a for a in self._owners[rule] if a in involved), self.lead)
            if len(self._cache) < MEMO_LIMIT:
                self._cache[key] = found
        return found

    def fed(self, agency: str, reads: Mapping[str, Iterable[str]]) -> list[str]:
        """The rules that read a column this agency answers."""
        own = set(self.columns.get(agency, ()))
        return [r for r, fields in reads.items() if own.intersection(fields)]


def involved_set(listed: Any, lead: str) -> frozenset[str]:
    """`agencies_involved` as typed (a tuple of names, or unknown) with the lead agency."""
    names = listed if isinstance(listed, tuple | list | frozenset | set) else ()
    return frozenset((*names, lead))
