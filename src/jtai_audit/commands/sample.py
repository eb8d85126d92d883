"""`jtai-audit sample`: a reproducible stratified random sample of case ids, one a line."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

from ..blank_workbook import build_template
from ..errors import UsageError
from ..files import refuse_overwriting_inputs, write_atomic
from ..rubric.loader import load_rubric
from ..sampling import allocate, draw, exact_shares, read_case_list, resolve_by, strata_of
from ..workbook.sheets import header_key
from .messages import say
from .template import check_xlsx_output

_PRINTABLE = ("label", "choice", "yes_no", "answer", "integer", "list")


def sample(case_list: Path, size: int, by: list[str], seed: int | None, output: Path | None,
           sheet: str | None, rubric_spec: str | None) -> int:
    """Print the sample in list order; with --output also write a pre-filled template."""
    if output is not None:
        check_xlsx_output(output)
        refuse_overwriting_inputs(output, [case_list])
    rubric = load_rubric(rubric_spec)
    fields = rubric.model.fields
    cases = read_case_list(case_list, fields, sheet)
    columns = resolve_by(by, cases.header)
    canonical = {header_key(n): n for n in fields}
    for column in columns:
        spec = fields.get(canonical.get(header_key(column), ""))
        if spec is not None and spec.type not in _PRINTABLE:
            raise UsageError(f"--by {column}: a {spec.type} column cannot be a stratum "
                             "(its values would be printed)")
    if seed is None:
        seed = random.SystemRandom().randrange(1, 10**9)
        say(f"no --seed given: drew with --seed {seed} (give it again to repeat this sample)")
    strata = strata_of(cases, columns)
    sizes = {key: len(ids) for key, ids in strata.items()}
    counts = allocate(sizes, size)
    chosen = draw(strata, counts, seed)
    picked = [case_id for case_id in cases.ids if case_id in chosen]
    sys.stdout.write("".join(f"{case_id}\n" for case_id in picked))
    if columns:
        shares = exact_shares(sizes, size)
        for key in sorted(strata):
            say(f"{' / '.join(key)}: {counts[key]} of {sizes[key]} "
                f"(exact share {shares[key]:.2f})")
    say(f"{len(picked)} of {len(cases.ids)} case(s) drawn with --seed {seed}")
    if output is not None:
        wanted = [canonical[k] for k in (header_key(cases.id_name), "area",
                                         *(header_key(c) for c in columns)) if k in canonical]
        skipped = [c for c in columns if header_key(c) not in canonical]
        if skipped:
            say(f"not copied to the template (not rubric columns): {', '.join(skipped)}")
        rows = [_prefill(cases.rows[case_id], wanted) for case_id in picked]
        write_atomic(output, build_template(rubric, rows))
        say(f"wrote {output}: {len(rows)} case(s) pre-filled")
    return 0


def _prefill(row: dict[str, Any], wanted: list[str]) -> dict[str, Any]:
    """The wanted rubric columns of one list row, found by header matching."""
    by_key = {header_key(h): value for h, value in row.items()}
    return {name: by_key.get(header_key(name)) for name in wanted}
