"""CPU seconds of `jtai-audit score` by stage, in-process: where a run's time goes.

`python benchmarks/stages.py FILE [FORMAT]` scores FILE (jsonl by default, to a temporary
file) with the judge, its rules, the engine calls, the atoms, the chunk reader and the
summary timed by `time.process_time`, which a loaded machine disturbs less than the wall
clock. Stages nest: `judge.rules` is part of `judge`. Put another checkout's package first
on `PYTHONPATH` to time it the same way.
"""

from __future__ import annotations

import collections
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SPENT: collections.defaultdict[str, float] = collections.defaultdict(float)


def _timed(owner: Any, name: str, label: str) -> None:
    original: Callable[..., Any] = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - started

    setattr(owner, name, timed)


def main() -> None:
    from jtai_audit.cli import main as cli
    from jtai_audit.engine import columns, summary
    from jtai_audit.workbook import columns as reading

    _timed(columns.ColumnJudge, "judge", "judge")
    _timed(columns.ColumnJudge, "_judge_rule", "judge.rules")
    _timed(columns.ColumnJudge, "_evaluate", "judge.rules.engine")
    try:
        from jtai_audit.engine import atoms
    except ImportError:  # a checkout before the atoms
        pass
    else:
        _timed(atoms.RuleAtoms, "update", "judge.rules.atoms")
    _timed(reading.ColumnReader, "read", "read chunks")
    _timed(summary.Summary, "add_chunk", "summary")
    path, fmt = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "jsonl"
    with tempfile.TemporaryDirectory() as folder:
        sys.argv = ["jtai-audit", "score", path, "--format", fmt, "--output",
                    str(Path(folder) / f"out.{fmt}"), "--max-file-bytes", "4000000000"]
        started = time.process_time()
        with contextlib.suppress(SystemExit):  # the CLI exits with its code
            cli()
        SPENT["total"] = time.process_time() - started
    for label, seconds in sorted(SPENT.items()):
        print(f"{label:24s} {seconds:7.2f}", file=sys.stderr)


if __name__ == "__main__":
    main()
