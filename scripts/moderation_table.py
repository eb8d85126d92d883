"""Print the moderation study's figures as a Markdown table, from two auditors' workbooks.

Run from the repository root, after `pip install .`:

    python scripts/moderation_table.py docs/moderation/round2/reader-c.xlsx \
        docs/moderation/round2/reader-d.xlsx

It calls `jtai-audit moderate --format json` (the same figures the command prints) and
lists every question with its agreement and Cohen's kappa, worst first, then the grades.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def main(first: str, second: str) -> int:
    command = Path(sys.executable).with_name("jtai-audit")  # beside this Python, in a venv
    tool = str(command) if command.exists() else "jtai-audit"
    found = subprocess.run([tool, "moderate", first, second, "--format", "json"],
                           capture_output=True, text=True, check=False)
    if found.returncode not in (0, 1):
        print(found.stderr, file=sys.stderr)
        return found.returncode
    doc = json.loads(found.stdout)
    kappa, agreement = doc["kappa"], doc["agreement"]

    def order(name: str) -> tuple[float, str]:
        value = kappa.get(name)
        return (2.0 if value is None else value, name)

    print("| question | agreement | Cohen's kappa |")
    print("| --- | ---: | ---: |")
    for name in sorted(agreement, key=order):
        value = kappa.get(name)
        shown = "-" if value is None else f"{value:.2f}"
        print(f"| `{name}` | {agreement[name]:.1f}% | {shown} |")
    low = [n for n in agreement if kappa.get(n) is not None and kappa[n] < 0.6]
    print()
    print(f"Questions below kappa 0.6: {len(low)}"
          + (f" ({', '.join(sorted(low, key=order))})" if low else "") + ".")
    grades = doc["grades"]
    print(f"Cases where the tool's grade differs between the two readers' answers: "
          f"{len(grades)}" + (f" ({', '.join(g['case_id'] for g in grades)})" if grades
                              else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
