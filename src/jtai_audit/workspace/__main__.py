"""`python -m jtai_audit.workspace` is `jtai-audit serve` (the tests start it this way)."""

from __future__ import annotations

from ..cli import app

app(["serve", *__import__("sys").argv[1:]], prog_name="jtai-audit")
