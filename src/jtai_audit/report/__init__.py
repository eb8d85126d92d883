"""Formatters: a registry of name → function turning a report into bytes."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .data import ReportData

Formatter = Callable[[ReportData], bytes]


_REGISTRY: dict[str, tuple[str, str]] = {
    "table": ("table", "render"),
    "json": ("jsonout", "render"),
    "jsonl": ("jsonout", "render_lines"),
    "csv": ("csvout", "render"),
    "markdown": ("markdown", "render"),
    "html": ("html", "render"),
    "xlsx": ("xlsx", "render"),
}
FORMATS = tuple(_REGISTRY)


def formatter(name: str) -> Formatter:
    """The formatter for a format name, imported on demand (`table` never loads openpyxl)."""
    module_name, function = _REGISTRY[name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    found: Formatter = getattr(module, function)
    return found
EXTENSIONS = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".md": "markdown",
              ".markdown": "markdown", ".html": "html", ".htm": "html", ".xlsx": "xlsx",
              ".txt": "table"}
