"""`SOURCE_DATE_EPOCH` pins "generated at", so two runs on the same inputs are identical."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jtai_audit.cli import app

from ..conftest import EXAMPLE

runner = CliRunner()


@pytest.mark.parametrize("fmt", ["json", "markdown", "html"])
def test_two_runs_with_source_date_epoch_are_byte_identical(
        fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = runner.invoke(app, ["score", str(EXAMPLE), "--format", fmt])
    second = runner.invoke(app, ["score", str(EXAMPLE), "--format", fmt])
    assert first.exit_code == 0, first.stderr
    assert first.stdout_bytes == second.stdout_bytes
    assert "2026-01-01T00:00:00+00:00" in first.stdout
