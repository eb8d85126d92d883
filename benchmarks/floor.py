"""The floor: reading the workbook into Python rows and nothing else."""

from __future__ import annotations

import csv
import sys

from python_calamine import CalamineWorkbook


def main(path: str) -> None:
    count = 0
    if path.endswith(".csv"):
        with open(path, encoding="utf-8", newline="") as handle:
            for _ in csv.reader(handle):
                count += 1
    else:
        sheet = CalamineWorkbook.from_path(path).get_sheet_by_name("Cases")
        for _ in sheet.iter_rows():
            count += 1
    print(count)


if __name__ == "__main__":
    main(sys.argv[1])
