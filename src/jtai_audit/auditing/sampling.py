"""Stratified random samples of case ids: proportional, reproducible, every stratum seen.

Counts per stratum are the exact proportional share rounded by largest remainder, so
they add up to the size and each is within one case of its share. A stratum whose share
rounds to zero still gets one case when the size allows, taken from the stratum furthest
above its exact share: an audit that never looks at a small area cannot say anything
about it. Within a stratum the draw is `random.Random(seed)` over the sorted ids, so the
same seed gives the same sample whatever order the list is in.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import UsageError, WorkbookError
from ..hints import did_you_mean
from ..schema import FieldSpec
from ..workbook.rows import CaseRows
from ..workbook.sheets import header_key

Stratum = tuple[str, ...]
BLANK_LABEL = "(blank)"


@dataclass
class CaseList:
    """The ids of a case list in list order, each row's cells by header, and the header."""

    ids: list[str]
    rows: dict[str, dict[str, Any]]
    header: list[str]
    id_name: str


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else " ".join(str(value).split())


def read_case_list(path: Path, fields: Mapping[str, FieldSpec], sheet: str | None) -> CaseList:
    """Read a case list; refuse missing, duplicate or identifying case ids (cell named).

    A list is refused rather than sampled around: a sample drawn from a list with a
    repeated child or a real name in it would carry the fault into every return.
    """
    source = CaseRows(path, fields, sheet=sheet)
    source.require_header()
    header = [_text(c) for c in source.header]
    ids: list[str] = []
    rows: dict[str, dict[str, Any]] = {}
    check = source.id_check()
    for number, row in source.numbered():
        value = source.case_id(row)
        problem = check(value, number)
        if problem is not None:
            raise WorkbookError(f"{check.cell(number)}: {problem.message}", str(path))
        ids.append(value)
        rows[value] = {h: row[i] for i, h in enumerate(header) if h and i < len(row)}
    return CaseList(ids, rows, header, source.id_name)


def resolve_by(by: Sequence[str], header: Sequence[str]) -> list[str]:
    """`--by` names → the list's own headers, matched as workbook headers are."""
    keys = {header_key(h): h for h in header if h}
    found: list[str] = []
    for name in by:
        match = keys.get(header_key(name))
        if match is None:
            hint = did_you_mean(name, [h for h in header if h], cutoff=0.6, key=header_key)
            raise UsageError(f"--by {name}: no such column in the case list{hint}")
        found.append(match)
    return found


def strata_of(cases: CaseList, by: Sequence[str]) -> dict[Stratum, list[str]]:
    """Ids per stratum, in list order; a blank cell is its own stratum."""
    strata: dict[Stratum, list[str]] = {}
    for case_id in cases.ids:
        row = cases.rows[case_id]
        key = tuple(_text(row.get(column)) or BLANK_LABEL for column in by)
        strata.setdefault(key, []).append(case_id)
    return strata


def allocate(sizes: Mapping[Stratum, int], size: int) -> dict[Stratum, int]:
    """Largest-remainder shares, then one case for each stratum that rounds to zero."""
    total = sum(sizes.values())
    if not 0 < size <= total:
        raise UsageError(f"--size {size}: choose from 1 to {total} (the cases in the list)")
    exact = {key: Fraction(size * count, total) for key, count in sizes.items()}
    counts = {key: math.floor(share) for key, share in exact.items()}
    remainder = size - sum(counts.values())
    # Ties: the larger stratum first, then the stratum's name, so the result is deterministic.
    order = sorted(exact, key=lambda k: (-(exact[k] - counts[k]), -sizes[k], k))
    for key in order[:remainder]:
        counts[key] += 1
    for key in sorted((k for k in counts if counts[k] == 0), key=lambda k: (-exact[k], k)):
        donors = [k for k in counts if counts[k] >= 2]
        if not donors:
            break
        donor = max(donors, key=lambda k: (counts[k] - exact[k], sizes[k], k))
        counts[donor] -= 1
        counts[key] = 1
    return counts


def draw(strata: Mapping[Stratum, list[str]], counts: Mapping[Stratum, int],
         seed: int) -> set[str]:
    """The chosen ids: strata in sorted order, ids sorted, so row order never matters."""
    rng = random.Random(seed)
    chosen: set[str] = set()
    for key in sorted(strata):
        chosen.update(rng.sample(sorted(strata[key]), counts[key]))
    return chosen


def exact_shares(sizes: Mapping[Stratum, int], size: int) -> dict[Stratum, float]:
    total = sum(sizes.values())
    return {key: size * count / total for key, count in sizes.items()}


def by_values(cases: CaseList, picked: Sequence[str], by: Sequence[str]) -> list[list[str]]:
    """Each picked id with its `--by` values (blank as blank), so cases can be allocated."""
    return [[case_id, *(_text(cases.rows[case_id].get(column)) for column in by)]
            for case_id in picked]
