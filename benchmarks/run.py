"""`make bench`: time the floor, an analyst's baseline and `jtai-audit score`, in one run.

(a) python-calamine alone reading the workbook into rows (csv module for CSV): the floor;
(b) openpyxl read-only + rule-engine row by row: what a competent analyst would write;
(c) `jtai-audit score --format json` (jsonl for the million-row CSV), end to end.
Each is a separate process, timed best of several runs, with its own peak memory from
wait4(). Results are printed and written to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from generate import CSV_ROWS, DATA, SIZES, write_csv, write_xlsx

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
CLI = str(Path(PYTHON).parent / "jtai-audit")
QUICK = os.environ.get("BENCH_QUICK") == "1"
READING = "## Reading the table"


@dataclass
class Run:
    """The best of several runs of one command."""

    seconds: float
    peak_mb: float


def measure(command: list[str], repeats: int) -> Run:
    best: Run | None = None
    for _ in range(repeats):
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"benchmark command failed: {' '.join(command)}")
        run = Run(elapsed, usage.ru_maxrss / 1024)
        if best is None or run.seconds < best.seconds:
            best = Run(run.seconds, max(run.peak_mb, best.peak_mb if best else 0))
    assert best is not None
    return best


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    packages = ", ".join(f"{p} {version(p)}" for p in ("jtai-audit", "python-calamine",
                                                         "openpyxl", "rule-engine"))
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}; "
            f"Python {platform.python_version()}; {packages}")


def main() -> None:
    """`run.py` measures everything; `run.py xlsx` or `run.py csv` re-measures one part.

    Each row's figures come from the same run; rows kept from an earlier run are marked
    with the date they were measured.
    """
    DATA.mkdir(exist_ok=True)
    parts = set(sys.argv[1:]) or {"xlsx", "csv"}
    sizes = SIZES[:2] if QUICK else SIZES
    rows: list[list[str]] = []
    for size in sizes if "xlsx" in parts else ():
        path = str(write_xlsx(size))
        repeats = 3 if size <= 10_000 else 2
        floor = measure([PYTHON, str(HERE / "floor.py"), path], repeats)
        ours = measure(_score(path, "json"), repeats)
        # The analyst's baseline takes minutes at 100,000 rows: measured up to 10,000.
        naive = measure([PYTHON, str(HERE / "baseline.py"), path], 2) if size <= 10_000 \
            else None
        rows.append(_row(f"{size:,}-case workbook", "json", size, floor, naive, ours))
        print(rows[-1], flush=True)
    if not QUICK and "csv" in parts:
        for count, label, formats in ((100_000, "100,000", ("jsonl", "table", "html")),
                                      (CSV_ROWS, "1,000,000", ("jsonl", "html"))):
            path = str(write_csv(count))
            floor = measure([PYTHON, str(HERE / "floor.py"), path], 2)
            for fmt in formats:
                ours = measure(_score(path, fmt), 2 if count <= 100_000 else 1)
                rows.append(_row(f"{label}-row CSV", fmt, count, floor, None, ours))
                print(rows[-1], flush=True)
    rows = _merge_with_earlier(rows)
    report = _markdown(rows)
    results = HERE / "RESULTS.md"
    # The reading of the figures (targets, profile, next step) is written by hand below the
    # table; a new run replaces the table and keeps it.
    kept = results.read_text().partition(READING)[2] if results.exists() else ""
    results.write_text(report + (f"\n{READING}{kept}" if kept else ""))
    print(report)


def _score(path: str, fmt: str) -> list[str]:
    """`jtai-audit score` writing one format to a file, as a user would run it."""
    suffix = {"table": "txt"}.get(fmt, fmt)
    return [CLI, "score", path, "--format", fmt, "--output", str(DATA / f"out.{suffix}"),
            "--max-file-bytes", "4000000000"]


def _merge_with_earlier(rows: list[list[str]]) -> list[list[str]]:
    """Keep the rows of an earlier run that this run did not measure again."""
    store = DATA / "results.json"
    today = time.strftime("%Y-%m-%d %H:%M")
    earlier: dict[str, list[str]] = json.loads(store.read_text()) if store.exists() else {}
    for row in rows:
        earlier[f"{row[0]} {row[1]}"] = [*row, today]
    store.write_text(json.dumps(earlier, indent=1))
    order = [label for label in earlier if "workbook" in label] + [
        label for label in earlier if "workbook" not in label]
    return [earlier[label] for label in order]


def _row(label: str, fmt: str, cases: int, floor: Run, naive: Run | None,
         ours: Run) -> list[str]:
    return [label, fmt, f"{floor.seconds:.2f}", f"{naive.seconds:.2f}" if naive else "-",
            f"{ours.seconds:.2f}", f"{cases / ours.seconds:,.0f}", f"{ours.peak_mb:,.0f}",
            f"{ours.seconds / floor.seconds:.1f}×",
            f"{naive.seconds / ours.seconds:.1f}×" if naive else "-"]


def _markdown(rows: list[list[str]]) -> str:
    head = ["input", "format", "(a) floor s", "(b) baseline s", "(c) score s", "cases/s (c)",
            "peak MB (c)", "(c)/(a)", "(b)/(c)", "measured"]
    lines = ["# Benchmark results", "", f"Machine: {machine()}.", "",
             "Measured by `make bench` (benchmarks/run.py): best of several runs, each a "
             "separate process; peak memory (maximum resident set) from wait4(). (a) the "
             "floor: python-calamine reading the workbook into Python rows (the csv module "
             "for CSV); (b) openpyxl read-only and rule-engine row by row, what an analyst "
             "would write (up to 10,000 rows); (c) `jtai-audit score` end to end, writing "
             "the format named to a file.", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    lines += ["", *_memory_lines(rows)]
    return "\n".join(lines) + "\n"


def _memory_lines(rows: list[list[str]]) -> list[str]:
    """Peak memory at 1,000,000 rows against 100,000, per format: flat memory is a ratio near 1."""
    peak = {(r[0], r[1]): float(r[6].replace(",", "")) for r in rows}
    found = []
    for fmt in ("jsonl", "html"):
        small, large = peak.get(("100,000-row CSV", fmt)), peak.get(("1,000,000-row CSV", fmt))
        if small and large:
            found.append(f"- Peak memory, {fmt}: {large:,.0f} MB at 1,000,000 rows against "
                         f"{small:,.0f} MB at 100,000 ({large / small:.2f}×).")
    return found


if __name__ == "__main__":
    main()
