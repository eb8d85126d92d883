"""The merge report: which returns are in, which are missing (the chasing list), conflicts.

Text for the audit coordinator, JSON for tools, CSV to send each agency its list. No value
of a `text` field and no date is ever shown: conflicting dates as the interval between them.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..merge.combine import LEAD_MISSING, MISSING, NOT_INVOLVED, RETURNED, UNREADABLE, Merged


def merge_dict(merged: Merged) -> dict[str, Any]:
    """The contract's merge JSON."""
    return {
        "cases": len(merged.cases),
        "returns": [{"case_id": s.case_id, "agency": s.agency, "status": s.status,
                     "source": s.source, "reason": s.reason} for s in merged.statuses],
        "missing": merged.missing,
        "conflicts": [{"case_id": c.case_id, "column": c.column,
                       "cells": [_cell(x.agency, x.file, x.cell, x.value) for x in c.cells]}
                      for c in merged.conflicts],
        "not_scored": [{"case_id": case_id, "agencies": list(agencies),
                        "reason": "no lead-agency return"}
                       for case_id, agencies in merged.orphans],
        "problems": [{**p.as_dict(), "level": p.level} for p in merged.problems],
        "unreadable": [{"file": file, "message": message, "agency": merged.read_as.get(file)}
                       for file, message in merged.unreadable],
    }


def _cell(agency: str, file: str, cell: str, value: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"agency": agency, "file": file, "cell": cell}
    if value is not None:
        found["value"] = value
    return found


def render_json(merged: Merged) -> bytes:
    return (json.dumps(merge_dict(merged), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_csv(merged: Merged) -> bytes:
    """A row for every child and agency, agency by agency, for sending.

    Columns agency, case_id, status, source, reason; an agency with no return expected
    for a child is `not_involved` there.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["agency", "case_id", "status", "source", "reason"])
    found = {(s.agency, s.case_id): s for s in merged.statuses}
    children = merged.children()
    for agency in merged.agencies:
        for case_id in children:
            item = found.get((agency, case_id))
            if item is None:
                writer.writerow([agency, case_id, NOT_INVOLVED, "", ""])
            else:
                writer.writerow([agency, case_id, item.status, item.source or "",
                                 item.reason or ""])
    return out.getvalue().encode("utf-8")


def render_text(merged: Merged) -> bytes:
    """Returns in, conflicts, cases not scored, and last the chasing list."""
    returned = sum(1 for s in merged.statuses if s.status == RETURNED)
    expected = sum(1 for s in merged.statuses if s.status in (RETURNED, MISSING, UNREADABLE,
                                                               LEAD_MISSING))
    lines = [f"{len(merged.cases)} case(s) merged; {returned} of {expected} expected returns "
             "in."]
    for file, message in merged.unreadable:
        lines.append(f"not read: {file}: {message}")
    for case_id, agencies in merged.orphans:
        lines.append(f"not scored: {case_id}: no lead-agency return (returned by "
                     f"{', '.join(agencies)})")
    if merged.conflicts:
        lines += ["", f"Conflicts ({len(merged.conflicts)}): the preferred agency's value is "
                  "used; correct the return that is wrong and merge again."]
        for conflict in merged.conflicts:
            sides = "; ".join(f"{c.agency} {c.file} {c.cell}"
                              + (f" = {c.value}" if c.value is not None else "")
                              for c in conflict.cells)
            lines.append(f"  {conflict.case_id} {conflict.column}: {sides}")
    missing = merged.missing
    unreadable = {a: merged.unreadable_of(a) for a in merged.agencies if merged.unreadable_of(a)}
    lead_missing = [s for s in merged.statuses if s.status == LEAD_MISSING]
    unknown = [(f, m) for f, m in merged.unreadable if f not in merged.read_as]
    awaited = missing or unreadable or lead_missing or unknown
    lines += ["", "Chasing list: returns still awaited" if awaited
              else "Chasing list: every expected return is in."]
    for agency, ids in missing.items():
        lines += [f"{agency} ({len(ids)}) missing:", *(f"  {case_id}" for case_id in ids)]
    for agency, items in unreadable.items():
        files = dict.fromkeys((s.source or "", s.reason or "") for s in items)
        lines.append(f"{agency} ({len(items)}) unreadable: sent but not read; send it again "
                     "as a readable return:")
        lines += [f"  file {file}: {reason}" for file, reason in files]
        lines += [f"  {s.case_id}" for s in items]
    if lead_missing:
        lead = lead_missing[0].agency
        lines.append(f"{lead} ({len(lead_missing)}) lead_missing: no lead-agency return, so "
                     "these children cannot be scored:")
        lines += [f"  {s.case_id}" for s in lead_missing]
    if unknown:
        lines.append(f"Returns not read ({len(unknown)}): whose they are cannot be told; "
                     "check each file:")
        lines += [f"  file {file}: {message}" for file, message in unknown]
    return ("\n".join(lines) + "\n").encode("utf-8")


def merged_summary(merged: Merged) -> dict[str, Any]:
    """What the score report says of the returns behind its cases (counts and the ids)."""
    return {"missing": merged.missing, "conflicts": len(merged.conflicts),
            "not_scored": [case_id for case_id, _ in merged.orphans]}
