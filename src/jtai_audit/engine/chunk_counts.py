"""A chunk's outcomes counted into a summary in array passes, as `Summary.add` counts a case.

Split from the summary so that each stays readable: the summary says what is counted,
these functions count a whole chunk at once with numpy (per rule, per owner, per agency
fed, per theme and group), giving the same figures as counting its cases one by one.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from ..terms import OUTCOME_POINTS, Outcome, Status
from .columns import JudgedChunk
from .owners import involved_set

if TYPE_CHECKING:
    from .summary import Summary

UNANSWERED = "unanswered"  # outcomes left out because blank cells could change them
OUT_OF_ORDER = "dates_out_of_order"  # outcomes left out because two dates are swapped
# The outcome keys a rule's counts hold, numbered for counting a chunk's rows per outcome.
KEYS = (*(o.value for o in Outcome), UNANSWERED, OUT_OF_ORDER)
_KEY_NUMBER = {key: number for number, key in enumerate(KEYS)}
# A cell the auditor has answered, for an agency's completeness: anything but blank or unreadable.
ANSWERED_STATES = frozenset({Status.ANSWERED, Status.NOT_RECORDED, Status.NOT_APPLICABLE,
                             Status.BLANK})


def count_involved(self: Summary, judged: JudgedChunk) -> tuple[Any, list[frozenset[str]]]:
    """Each row's agencies involved, as a code into the chunk's distinct sets of them.

    Each agency's cases and answered cells are counted here, as `add` counts them.
    """
    chunk = judged.chunk
    field_name = self.owned.field
    listed = chunk.column(field_name) if field_name and field_name in chunk.tables \
        else [None] * len(judged)
    sets: dict[frozenset[str], int] = {}
    row_codes = []
    lead = self.owned.lead
    for value in listed:
        found = involved_set(value, lead) if field_name else self.owned.involved({})
        code = sets.get(found)
        if code is None:
            code = sets[found] = len(sets)
        row_codes.append(code)
    codes = np.array(row_codes, dtype=np.intp)
    distinct = list(sets)
    per_set = np.bincount(codes, minlength=len(distinct))
    rows_answered: dict[str, Any] = {}  # per column, each row answered (a column once)
    for agency in self.owned.agencies:
        wanted = [i for i, s in enumerate(distinct) if agency in s]
        if not wanted:
            continue
        self.agency_cases[agency] += int(per_set[wanted].sum())
        mask = np.isin(codes, wanted) if len(wanted) < len(distinct) else None
        answered = self.agency_answered[agency]
        for name in self.owned.columns.get(agency, ()):
            flags = rows_answered.get(name)
            if flags is None:
                table = chunk.tables.get(name)
                if table is None:
                    continue
                states = np.array([cell[1] in ANSWERED_STATES for cell in table.cells],
                                  dtype=bool)
                flags = rows_answered[name] = \
                    states[np.asarray(chunk.codes[name], dtype=np.intp)]
            count = int((flags if mask is None else flags[mask]).sum())
            if count:
                answered[name] += count
    return codes, distinct

def count_rules(self: Summary, judged: JudgedChunk, dimensions: list[tuple[Any, list[Any]]],
                involvement: tuple[Any, list[frozenset[str]]]) -> None:
    themes: dict[str, list[Any]] = {}
    owners: dict[str, list[Any]] = {}
    inv, sets = involvement
    agencies = self.owned.agencies
    agency_no = self._agency_number
    feeds = {a: np.isin(inv, [i for i, s in enumerate(sets) if a in s])
             for a in agencies if self._fed.get(a)}
    for distinct, index in zip(judged.distinct, judged.index, strict=True):
        rule = distinct[0].result.rule
        keys = np.array([_KEY_NUMBER[UNANSWERED if i.result.unanswered
                                     else OUT_OF_ORDER if i.result.out_of_order
                                     else i.result.outcome.value] for i in distinct],
                        dtype=np.intp)
        owner_codes = np.array([agency_no[self.owned.owner(rule, s)] for s in sets],
                               dtype=np.intp)[inv]
        present_owners = np.unique(owner_codes).tolist()
        for code in present_owners:
            mine = owner_codes == code
            count_outcomes(self.agency_outcomes[agencies[code]][rule], keys, distinct,
                           index[mine])
        for agency, rows in feeds.items():
            if rule in self._fed[agency] and rows.any():
                count_outcomes(self.fed_outcomes[agency][rule], keys, distinct, index[rows])
        own = None
        if self.agency is not None:
            own = owner_codes == agency_no.get(self.agency, -1)
            if own.any():
                count_outcomes(self.outcomes[rule], keys, distinct, index[own])
        else:
            count_outcomes(self.outcomes[rule], keys, distinct, index)
        weight = self._rule_info[rule]
        scored = [i.result.judged for i in distinct]
        if not any(scored):
            continue
        got = np.array([weight * OUTCOME_POINTS[i.result.outcome] if ok else 0.0
                        for i, ok in zip(distinct, scored, strict=True)])[index]
        possible = np.array([weight if ok else 0.0 for ok in scored])[index]
        present = np.array(scored, dtype=bool)[index]
        if own is not None:
            got, possible, present = got * own, possible * own, present & own
        parts = [(themes, distinct[0].result.theme, got, possible, present)]
        for code in present_owners:
            mine = owner_codes == code
            parts.append((owners, agencies[code], got * mine, possible * mine,
                          present & mine))
        for store, name, g, p, seen in parts:
            sums = store.get(name)
            if sums is None:
                store[name] = [g, p, seen]
            else:
                sums[0] = sums[0] + g
                sums[1] = sums[1] + p
                sums[2] = sums[2] | seen
    for owner, (got, possible, present) in sorted(owners.items()):
        if present.any():
            tally = self.owners[owner]
            tally.earned += float(got.sum())
            tally.possible += float(possible.sum())
            tally.count += int(present.sum())
    for theme, (got, possible, present) in themes.items():
        if not present.any():
            continue
        tally = self.themes[theme]
        tally.earned += float(got[present].sum())
        tally.possible += float(possible[present].sum())
        tally.count += int(present.sum())
        for codes, groups in dimensions:
            mask = present & (codes >= 0)
            if not mask.any():
                continue
            where = codes[mask]
            counts = np.bincount(where, minlength=len(groups))
            earned = np.bincount(where, weights=got[mask], minlength=len(groups))
            possible_sum = np.bincount(where, weights=possible[mask], minlength=len(groups))
            for number, group in enumerate(groups):
                if counts[number]:
                    group_tally = group.themes[theme]
                    group_tally.earned += float(earned[number])
                    group_tally.possible += float(possible_sum[number])
                    group_tally.count += int(counts[number])

def count_outcomes(counts: Counter[str], keys: Any, distinct: list[Any], index: Any) -> None:
    """Add the outcomes of these rows (`index` into the distinct results) to `counts`.

    `keys` numbers each distinct result's outcome (`_KEYS`), so the rows are counted per
    outcome in one array pass, however many distinct results the rule has.
    """
    if not len(index):
        return
    found = np.bincount(keys[index], minlength=len(KEYS)).tolist()
    for key, count in zip(KEYS, found, strict=True):
        if count:
            counts[key] += count
