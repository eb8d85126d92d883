"""`jtai-audit sample`: a reproducible stratified random sample of case ids, one a line.

With `--by`, each id is printed with its `--by` values (tab-separated under a header line,
so it pastes into Excel as columns): the sample is allocated by team or area from it.
`--output x.csv` writes the sample as `case_id` and the `--by` columns, a list that
`template --cases` reads as it is; `--output x.xlsx` writes the pre-filled template, and
with `--by` a `Sample` sheet of each id and its `--by` values (a column that is not a
rubric column, such as Team, cannot go on the Cases sheet).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..auditing.sampling import (
    CaseList,
    allocate,
    by_values,
    draw,
    exact_shares,
    read_case_list,
    resolve_by,
    strata_of,
)
from ..auditing.template import build_template
from ..errors import UsageError
from ..files import neutralise, refuse_overwriting_inputs, write_atomic
from ..rubric.loader import load_rubric
from ..stamps import xlsx_bytes
from ..workbook.sheets import header_key
from .messages import say
from .template import list_columns, prefill

_PRINTABLE = ("label", "choice", "yes_no", "answer", "integer", "list")


def sample(case_list: Path, size: int, by: list[str], seed: int | None, output: Path | None,
           sheet: str | None, rubric_spec: str | None) -> int:
    """Print the sample in list order; --output also writes it (.csv) or its template (.xlsx)."""
    if output is not None:
        if output.suffix.lower() not in (".csv", ".xlsx"):
            raise UsageError(f"--output {output}: .csv (the sampled ids and --by columns) or "
                             ".xlsx (a pre-filled template)")
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
    if columns:
        table = [[cases.id_name, *columns], *by_values(cases, picked, columns)]
        sys.stdout.write("".join("\t".join(neutralise(v) for v in row) + "\n" for row in table))
    else:
        sys.stdout.write("".join(f"{case_id}\n" for case_id in picked))
    if columns:
        shares = exact_shares(sizes, size)
        for key in sorted(strata):
            say(f"{' / '.join(key)}: {counts[key]} of {sizes[key]} "
                f"(exact share {shares[key]:.2f})")
    say(f"{len(picked)} of {len(cases.ids)} case(s) drawn with --seed {seed}")
    if output is not None and output.suffix.lower() == ".csv":
        write_atomic(output, _sample_csv(cases.id_name, picked, cases.rows, columns))
        say(f"wrote {output}: {len(picked)} case id(s)"
            + (f" with {', '.join(columns)}" if columns else ""))
    elif output is not None:
        headers = {name: header for name, header in list_columns(cases, fields).items()
                   if name == "area" or header in columns}
        rows = prefill(cases, picked, headers)
        template = build_template(rubric, rows)
        if columns:
            template = _with_sample_sheet(template, cases, picked, columns)
        write_atomic(output, template)
        say(f"wrote {output}: {len(rows)} case(s) pre-filled"
            + (f"; the Sample sheet gives each case's {', '.join(columns)}" if columns else ""))
        skipped = [c for c in columns if c not in headers.values()]
        if skipped:
            say(f"not on the Cases sheet (not rubric columns): {', '.join(skipped)}")
    return 0


def _with_sample_sheet(template: bytes, cases: CaseList, picked: list[str],
                       columns: list[str]) -> bytes:
    """The template with a `Sample` sheet after Cases: each id and its --by values."""
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book.create_sheet("Sample", index=1)
    table = [[cases.id_name, *columns], *by_values(cases, picked, columns)]
    for row in table:
        sheet.append([neutralise(value) for value in row])
    for index in range(len(table[0])):
        width = max(len(row[index]) for row in table)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width, 8) + 2, 60)
        sheet.cell(row=1, column=index + 1).font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return xlsx_bytes(book)


def _sample_csv(id_name: str, picked: list[str], rows: dict[str, dict[str, Any]],
                columns: list[str]) -> bytes:
    """case_id and the --by columns (the list's own headers), UTF-8 with a BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([id_name, *columns])
    for case_id in picked:
        cells = [case_id, *(_text(rows[case_id].get(c)) for c in columns)]
        writer.writerow([neutralise(v) for v in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value: Any) -> str:
    """A list cell as text: whole numbers without '.0', dates as ISO dates."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return "" if value is None else " ".join(str(value).split())
