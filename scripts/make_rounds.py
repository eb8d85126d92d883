"""Three audit rounds from the example workbook, for `compare` in `make check-render`.

Round 1 is the example with some answers a step worse, round 2 the example itself and
round 3 a step better, so every theme moves a little and the trend has something to show.
Deterministic: the same rows and columns change on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

from jtai_audit.stamps import xlsx_bytes

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "cases.xlsx"
WORSE = {"Yes": "Partly", "Partly": "No"}
BETTER = {"No": "Partly", "Partly": "Yes"}


def make_round(out: Path, steps: dict[str, str] | None, every: int) -> None:
    book = openpyxl.load_workbook(EXAMPLE)
    sheet = book["Cases"]
    if steps:
        for row in range(2, sheet.max_row + 1):
            for column in range(1, sheet.max_column + 1):
                cell = sheet.cell(row, column)
                if (row + column) % every == 0 and cell.value in steps:
                    cell.value = steps[cell.value]
    out.write_bytes(xlsx_bytes(book))  # stamped with SOURCE_DATE_EPOCH: the same bytes each run


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    make_round(out / "round-1.xlsx", WORSE, 3)
    make_round(out / "round-2.xlsx", None, 1)
    make_round(out / "round-3.xlsx", BETTER, 2)


if __name__ == "__main__":
    main(sys.argv[1])
