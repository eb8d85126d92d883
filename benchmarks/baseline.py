"""The pipeline a competent analyst would write: openpyxl read-only, rule-engine row by row.

Each rule's conditions are rule-engine expressions evaluated on a dict of the row; a
condition that raises on a blank cell counts as false. It does no vocabulary checks,
no not-evidenced reasoning and no evidence, so it is a generous baseline.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys

import rule_engine
from openpyxl import load_workbook

from jtai_audit.rubric.loader import load_rubric


def main(path: str) -> None:
    rubric = load_rubric(None)
    model = rubric.model
    rules = []
    for program in rubric.programs:
        for condition in (program.applies, program.met, program.partly):
            if condition is not None:
                context = rubric.env.context()
                rules.append(rule_engine.Rule(condition.text, context=context))
    book = load_workbook(path, read_only=True)
    sheet = book["Cases"]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    kinds = {name: spec.type for name, spec in model.fields.items()}
    matched = 0
    for row in rows:
        values: dict[str, object] = {}
        for name, value in zip(header, row, strict=False):
            kind = kinds.get(name)
            if kind == "list":
                value = tuple(v.strip() for v in str(value or "").split(";") if v.strip())
            elif kind == "date" and isinstance(value, dt.datetime):
                value = value.replace(tzinfo=dt.UTC)
            elif kind == "integer" and value is not None:
                value = float(value)
            elif value == "":
                value = None
            values[name] = value
        for rule in rules:
            with contextlib.suppress(rule_engine.errors.EngineError):
                matched += bool(rule.matches(values))
    print(matched)


if __name__ == "__main__":
    main(sys.argv[1])
