"""Every report's formats in one table: (report, format) → renderer, file suffixes, binary.

Commands look up here which formats they accept, the message for one they do not, the
format an `--output` suffix stands for, and the function that renders it, so a format is
one entry (and a golden file) rather than a tuple, a dict and an `if` in each command.
Renderers are named, not imported: a module is loaded only when its format is asked for,
so `score --format table` never imports the xlsx or html writers (openpyxl itself comes
in anyway, with the workbook reader). Each report's renderers take that report's
own input (ReportData for score and learning, the compared rounds for compare, ...) and
return the bytes written.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import UsageError

Renderer = Callable[..., bytes]


@dataclass(frozen=True)
class Format:
    """One format of one report: where its renderer is, which files it writes."""

    report: str
    name: str
    renderer_path: str  # "module:function", the module under jtai_audit.report
    suffixes: tuple[str, ...]  # file suffixes that mean this format; the first is its own
    binary: bool = False  # bytes no terminal or diff can read (compared cell by cell)

    def renderer(self) -> Renderer:
        """The render function, its module imported now (not when the registry loads)."""
        module_name, function = self.renderer_path.split(":")
        module = importlib.import_module(f"{__package__}.{module_name}")
        found: Renderer = getattr(module, function)
        return found


def _formats(report: str, *entries: tuple[str, str, tuple[str, ...]]) -> list[Format]:
    # xlsx, a zip, is every report's one binary format.
    return [Format(report, name, path, suffixes, binary=name == "xlsx")
            for name, path, suffixes in entries]


# File suffixes: a format written to a file of one of these is that format.
TXT, JSON, JSONL, CSV = (".txt",), (".json",), (".jsonl",), (".csv",)
MD, HTML, XLSX = (".md", ".markdown"), (".html", ".htm"), (".xlsx",)

# The order of each report's entries is the order its messages list them.
REGISTRY: dict[tuple[str, str], Format] = {(f.report, f.name): f for f in [
    *_formats("score", ("table", "table:render", TXT), ("json", "jsonout:render", JSON),
              ("jsonl", "jsonout:render_lines", JSONL), ("csv", "csvout:render", CSV),
              ("markdown", "markdown:render", MD), ("html", "html:render", HTML),
              ("xlsx", "xlsx:render", XLSX)),
    # `score --audience learning`: the same formats, none naming a child (table: markdown).
    *_formats("learning", ("table", "learning:render_markdown", TXT),
              ("json", "learning:render_json", JSON),
              ("jsonl", "learning:render_jsonl", JSONL),
              ("csv", "learning:render_csv", CSV),
              ("markdown", "learning:render_markdown", MD),
              ("html", "learning:render_html", HTML), ("xlsx", "learning:render_xlsx", XLSX)),
    *_formats("compare", ("table", "compare:render_table", TXT),
              ("json", "compare:render_json", JSON),
              ("markdown", "compare:render_markdown", MD),
              ("html", "compare:render_html", HTML), ("xlsx", "compare:render_xlsx", XLSX)),
    *_formats("merge", ("text", "returns:render_text", TXT),
              ("json", "returns:render_json", JSON), ("csv", "returns:render_csv", CSV)),
    *_formats("validate", ("text", "validation:render_text", TXT),
              ("json", "validation:render_json", JSON)),
    *_formats("moderate", ("text", "moderation:render_text", TXT),
              ("json", "moderation:render_json", JSON)),
    *_formats("rubric-check", ("text", "rubric_check:render_text", TXT),
              ("json", "rubric_check:render_json", JSON),
              ("github", "rubric_check:render_github", TXT)),
]}


def names(report: str) -> tuple[str, ...]:
    """The report's formats, in the order its messages list them."""
    return tuple(name for kind, name in REGISTRY if kind == report)


def listed(report: str) -> str:
    """The report's formats as the messages list them: "a, b, c"."""
    return ", ".join(names(report))


def lookup(report: str, name: str) -> Format:
    """The format asked for, or the usage error every command words the same way."""
    found = REGISTRY.get((report, name))
    if found is None:
        raise UsageError(f"unknown --format '{name}' ({listed(report)})")
    return found


def for_suffix(report: str, suffix: str) -> Format | None:
    """The format an `--output` file's suffix stands for (None: none of the report's)."""
    wanted = suffix.lower()
    return next((f for f in REGISTRY.values()
                 if f.report == report and wanted in f.suffixes), None)


def renderer(report: str, name: str) -> Renderer:
    """The renderer of a known format (an unknown one is a usage error)."""
    return lookup(report, name).renderer()
