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
from ..workbook.cells import is_blank
from ..workbook.limits import column_letter
from ..workbook.pseudonyms import pseudonym_problem
from ..workbook.reader import match_columns
from ..workbook.sheets import header_key, id_header_hint, read_sheet

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
    """Read a case list; refuse missing, duplicate or identifying case ids (cell named)."""
    data = read_sheet(path, sheet)
    if not data.rows:
        raise WorkbookError(f"no header row in {data.name}!1:1", str(path))
    header = [_text(c) for c in data.rows[0]]
    columns, unknown = match_columns(header, fields)
    id_name = next((n for n, s in fields.items() if s.type == "id"), "case_id")
    if id_name not in columns:
        hint = id_header_hint([text for text, _ in unknown], id_name)
        raise WorkbookError(f"no {id_name} column in the header row {data.name}!1:1{hint}",
                            str(path))
    index = columns[id_name]
    ids: list[str] = []
    rows: dict[str, dict[str, Any]] = {}
    first: dict[str, str] = {}
    for number, row in enumerate(data.rows[1:], start=2):
        if all(is_blank(c) for c in row):
            continue
        cell = f"{data.name}!{column_letter(index)}{number}"
        value = _text(row[index] if index < len(row) else None)
        if not value:
            raise WorkbookError(f"{cell}: no {id_name}", str(path))
        problem = pseudonym_problem(value, id_name)
        if problem is not None:
            raise WorkbookError(f"{cell}: {problem}", str(path))
        if value in first:
            raise WorkbookError(f"{cell}: duplicate {id_name} (first at {first[value]})",
                                str(path))
        first[value] = cell
        ids.append(value)
        rows[value] = {h: row[i] for i, h in enumerate(header) if h and i < len(row)}
    return CaseList(ids, rows, header, id_name)


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
