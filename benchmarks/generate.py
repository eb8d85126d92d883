"""Generate benchmark case files in the canonical columns (deterministic, seeded).

Workbooks of 1,000, 10,000 and 100,000 cases and a 1,000,000-row CSV, with a realistic
mix of answers, dates and notes of 50-400 characters. Files are cached in
benchmarks/data/ and rebuilt only when missing.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from jtai_audit.rubric.loader import load_rubric

DATA = Path(__file__).resolve().parent / "data"
SIZES = (1_000, 10_000, 100_000)
CSV_ROWS = 1_000_000
POOL = 20_000
AREAS = ["Northmoor", "Eastbridge", "Kingsford", "Saltmarsh", "Fernleigh", "Ashcombe"]
WORDS = ("child", "seen", "at", "home", "with", "mother", "and", "sibling", "health",
         "visitor", "visited", "nursery", "reports", "settled", "plan", "reviewed", "police",
         "attended", "incident", "referral", "made", "school", "informed", "father", "not",
         "present", "risk", "assessment", "completed", "family", "support", "worker",
         "allocated")
PHRASES = ["volatile relationship", "domestic incident", "parental conflict"]
ANSWERS = ["Yes"] * 6 + ["Partly"] * 2 + ["No"] * 2 + ["Not recorded", "N/A", ""]


def _note(rng: random.Random) -> str:
    length = rng.randint(50, 400)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    if rng.random() < 0.1:
        words.insert(rng.randrange(len(words)), rng.choice(PHRASES))
    return " ".join(words)[:length]


def rows(count: int, seed: int = 2026) -> Iterator[list[Any]]:
    """The header, then `count` cases."""
    rubric = load_rubric(None)
    fields = rubric.model.fields
    yield list(fields)
    rng = random.Random(seed)
    start = dt.date(2024, 1, 1)
    for index in range(count):
        referral = start + dt.timedelta(days=rng.randrange(600))
        unborn = rng.random() < 0.08
        row: list[Any] = []
        for name, spec in fields.items():
            value: Any
            if name == "case_id":
                value = f"B-{index:07d}"
            elif name == "area":
                value = rng.choice(AREAS)
            elif name == "child_age_years":
                value = None if unborn else rng.randint(0, 7)
            elif name == "unborn_at_referral":
                value = "Yes" if unborn else "No"
            elif spec.type == "answer":
                value = rng.choice(ANSWERS)
            elif spec.type == "yes_no":
                value = rng.choice(["Yes", "No", "No", "Not recorded"])
            elif spec.type == "choice":
                value = rng.choice(spec.values or [""])
            elif spec.type == "list":
                value = "; ".join(rng.sample(spec.values or [], k=rng.randint(1, 4)))
            elif spec.type == "integer":
                value = None if spec.optional and rng.random() < 0.5 else rng.randint(
                    spec.min or 0, min(spec.max or 10, 20))
            elif spec.type == "date":
                value = None if rng.random() < 0.1 else referral + dt.timedelta(
                    days=rng.randint(-3, 10))
            elif spec.type == "text":
                value = _note(rng) if name == "case_notes" else rng.choice(["play", "words", ""])
            else:
                value = ""
            row.append(value)
        yield row


def write_xlsx(count: int) -> Path:
    path = DATA / f"cases-{count}.xlsx"
    if path.exists():
        return path
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cases")
    for row in rows(count):
        sheet.append(row)
    temporary = path.with_suffix(".part")
    book.save(temporary)
    temporary.replace(path)
    return path


def write_csv(count: int) -> Path:
    path = DATA / f"cases-{count}.csv"
    if path.exists():
        return path
    temporary = path.with_suffix(".part")
    # A pool of distinct cases, repeated under new ids: generating a million from scratch
    # would take longer than the benchmark itself.
    generated = rows(POOL)
    header = next(generated)
    pool = [["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v
             for v in row] for row in generated]
    with temporary.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for index in range(count):
            row = pool[index % POOL]
            row[0] = f"C-{index:07d}"
            writer.writerow(row)
    temporary.replace(path)
    return path


def main() -> None:
    DATA.mkdir(exist_ok=True)
    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    for size in sizes:
        print(f"workbook of {size:,} cases: {write_xlsx(size)}", flush=True)
    if not sys.argv[1:]:
        print(f"CSV of {CSV_ROWS:,} rows: {write_csv(CSV_ROWS)}", flush=True)


if __name__ == "__main__":
    main()
