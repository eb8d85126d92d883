"""The re-audit report: what moved between two rounds, as a terminal table or markdown."""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from .cells import md


def _fmt(value: Any, signed: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value:+.1f}" if signed and value else f"{value:.1f}"


def _rows(section: dict[str, Any]) -> list[list[str]]:
    arrow = {"up": "up", "down": "down", "same": "same", None: "-"}
    return [[name, _fmt(e["before"]), _fmt(e["after"]), _fmt(e["change"], True),
             arrow[e["direction"]], f"{e['cases_before'] if e['cases_before'] is not None else '-'}"
             f" / {e['cases_after'] if e['cases_after'] is not None else '-'}"]
            for name, e in section.items()]


HEADERS = {"rules": "Rule (rate %)", "themes": "Theme (%)", "areas": "Area (mean score)"}


def render_table(result: dict[str, Any]) -> bytes:
    buffer = io.StringIO()
    console = Console(file=buffer, width=80, no_color=True, highlight=False, emoji=False)
    for key, title in HEADERS.items():
        table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
        for name in ("Name", "Before", "After", "Change", "Direction", "Cases"):
            table.add_column(name, justify="left" if name in ("Name", "Direction") else "right",
                             overflow="fold")
        for row in _rows(result[key]):
            table.add_row(*row)
        console.print(table)
    hard = ", ".join(result["hard_to_shift"]) or "none"
    console.print(f"Hard to shift ({result['hard_to_shift_means']}): {hard}")
    if not result["rubric"]["same"]:
        console.print("Warning: the two rounds were scored with different rubrics.")
    return buffer.getvalue().encode("utf-8")


def render_markdown(result: dict[str, Any]) -> bytes:
    out = ["# Re-audit: what moved", ""]
    for key, title in HEADERS.items():
        out += [f"## {title}", "", "| Name | Before | After | Change | Direction | Cases |",
                "| --- | ---: | ---: | ---: | --- | ---: |"]
        out += ["| " + " | ".join([md(r[0]), *r[1:]]) + " |" for r in _rows(result[key])]
        out.append("")
    hard = ", ".join(result["hard_to_shift"]) or "none"
    out += ["## Hard to shift", "", f"Rules {result['hard_to_shift_means']}: {hard}", ""]
    if not result["rubric"]["same"]:
        out += ["**Warning:** the two rounds were scored with different rubrics.", ""]
    return "\n".join(out).encode("utf-8")
